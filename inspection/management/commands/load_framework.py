from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspection.frameworks import DEFAULT_FRAMEWORK, framework_path, load_framework, read_document
from inspection.management.authorship import add_user_argument, command_user, recorded_as


class Command(BaseCommand):
    help = "Create or update a framework (standards, key questions, prompts, bands) from JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            nargs="?",
            default=DEFAULT_FRAMEWORK,
            help="A framework code shipped with the project, or the path of a JSON file",
        )
        add_user_argument(parser)

    def handle(self, *args, source, user, **options):
        author = command_user(user)
        path = Path(source) if source.endswith(".json") else framework_path(source)
        if not path.exists():
            raise CommandError(f"no framework file at {path}")
        try:
            document = read_document(path)
            with recorded_as("load_framework", author):
                framework = load_framework(document)
        except (ValueError, KeyError) as error:
            raise CommandError(f"{path} is not a valid framework document: {error}") from error
        self.stdout.write(f"Loaded framework {framework.code}")
