from django.core.management.base import BaseCommand, CommandError

from casereview.lifecycle.backups import BackupError, contents, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by the backup command into the configured database, which must "
        "be empty unless --force; a backup from an older version is migrated afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="A backup file written by backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that is not empty (everything in it is lost)",
        )

    def handle(self, *args, path, force, **options):
        try:
            manifest = restore(path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        counts = ", ".join(f"{number:,} {label}" for label, number in contents().items())
        self.stdout.write(
            f"{path}: restored the {manifest.engine} backup of {manifest.created_at} "
            f"(version {manifest.app_version}): {counts}"
        )
