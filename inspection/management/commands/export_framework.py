import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspection.frameworks import export_document
from inspection.models import Framework


class Command(BaseCommand):
    help = "Write a framework back as the JSON document load_framework reads."

    def add_arguments(self, parser):
        parser.add_argument("code", help="The framework's code, for example probation-2023")
        parser.add_argument("file", nargs="?", help="Where to write it (default: standard output)")

    def handle(self, *args, code, file, **options):
        framework = Framework.objects.filter(code=code).first()
        if framework is None:
            codes = ", ".join(Framework.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"no framework {code} (loaded: {codes})")
        # The shipped documents' own layout, so an export diffs cleanly against them.
        text = json.dumps(export_document(framework), indent=2, ensure_ascii=False)
        if file is None:
            self.stdout.write(text)
            return
        try:
            Path(file).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot write {file}: {error.strerror}") from None
        self.stdout.write(f"Exported framework {code} to {file}")
