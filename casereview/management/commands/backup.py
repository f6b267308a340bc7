from django.core.management.base import BaseCommand, CommandError

from casereview.lifecycle.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the configured database (SQLite or PostgreSQL) to PATH, "
        "with the schema version inside; safe while the service runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="The backup file to write (a tar file)")

    def handle(self, *args, path, **options):
        try:
            manifest = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        latest = ", ".join(f"{app} {name}" for app, name in sorted(manifest.latest().items()))
        self.stdout.write(
            f"{path}: {manifest.engine} backup of version {manifest.app_version} ({latest})"
        )
