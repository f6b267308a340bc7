from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casereview.transfer.importing import CHANGE_REASON, CaseImportError, import_cases
from inspection.management.authorship import (
    add_user_argument,
    change_reason,
    command_user,
    recorded_as,
)
from inspection.models import Inspection


class Command(BaseCommand):
    help = (
        "Import an inspection's case sample from a CSV file (see docs/csv-format.md). "
        "The whole file is checked first; on any problem nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file", help="A UTF-8 CSV file with a header row")
        add_user_argument(parser)

    def handle(self, *args, slug, file, user, **options):
        author = command_user(user)
        inspection = Inspection.objects.select_related("framework").filter(slug=slug).first()
        if inspection is None:
            raise CommandError(f"no inspection {slug}")
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        except ValueError:  # a NUL in the name: no file can have it
            raise CommandError(f"cannot read {file!r}: not a file name") from None
        try:
            with recorded_as("import_cases", author):
                result = import_cases(
                    inspection=inspection,
                    data=data,
                    user=author,
                    reason=f"{CHANGE_REASON} ({change_reason('import_cases')})",
                )
        except CaseImportError as error:
            for problem in error.errors:
                self.stderr.write(problem)
            raise CommandError(f"{file}: {error}") from None
        self.stdout.write(f"Imported {result.created} cases into {slug}")
