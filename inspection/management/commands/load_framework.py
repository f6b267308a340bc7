from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspection.frameworks import (
    DEFAULT_FRAMEWORK,
    FrameworkFrozen,
    FrameworkProblems,
    framework_path,
    load_framework,
    read_document,
    source_name,
)
from inspection.management.authorship import add_user_argument, command_user, recorded_as


class Command(BaseCommand):
    help = (
        "Create or update a framework (standards, key questions, prompts, bands) from JSON, "
        "after checking the whole document; a framework used by a complete inspection is "
        "frozen, so load a change to it under a new code (--code)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            nargs="?",
            default=DEFAULT_FRAMEWORK,
            help="A framework code shipped with the project, or the path of a JSON file",
        )
        parser.add_argument(
            "--code",
            help="Load the document as a new version under this code (for example "
            "probation-2023-v2) instead of the code it gives",
        )
        add_user_argument(parser)

    def handle(self, *args, source, code, user, **options):
        author = command_user(user)
        path = Path(source) if source.endswith(".json") else framework_path(source)
        if not path.exists():
            raise CommandError(f"no framework file at {path}")
        name = source_name(path)
        try:
            document = read_document(path)
            if code is not None and isinstance(document, dict):
                document = {**document, "code": code}
            with recorded_as("load_framework", author):
                framework = load_framework(document, source=name)
        except FrameworkProblems as error:
            for problem in error.problems:
                self.stderr.write(problem)
            count = len(error.problems)
            raise CommandError(
                f"{name}: {count} problem{'s' if count != 1 else ''} found; nothing loaded"
            ) from None
        except FrameworkFrozen as error:
            raise CommandError(f"{error}; nothing loaded") from None
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        self.stdout.write(f"Loaded framework {framework.code}")
