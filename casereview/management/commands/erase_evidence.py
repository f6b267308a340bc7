from django.core.management.base import BaseCommand, CommandError

from casereview.lifecycle.erasure import (
    ErasureCounts,
    ErasureRefused,
    check_erasable,
    due_inspections,
    erase_evidence,
    erasure_counts,
)
from inspection.management.authorship import add_user_argument, command_user
from inspection.models import Inspection


class Command(BaseCommand):
    help = (
        "Erase the evidence notes and free-text reasons of a complete inspection's cases, "
        "from the current rows and the audit history; answers and figures stay as they are."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("slug", nargs="?", help="The inspection whose evidence to erase")
        which.add_argument(
            "--due",
            action="store_true",
            help="Every complete inspection whose fieldwork ended more than "
            "EVIDENCE_RETENTION_DAYS ago",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be erased; change nothing"
        )
        add_user_argument(parser)

    def handle(self, *args, slug, due, dry_run, user, **options):
        author = command_user(user)
        if author is None and not dry_run:
            raise CommandError("--user USERNAME is required: the erasure records who made it")
        try:
            if due:
                inspections = due_inspections()
            else:
                inspection = Inspection.objects.filter(slug=slug).first()
                if inspection is None:
                    raise CommandError(f"no inspection {slug}")
                check_erasable(inspection)
                inspections = [inspection]
            for inspection in inspections:
                counts = erasure_counts(inspection)
                if dry_run:
                    self.stdout.write(
                        f"{inspection.slug}: would erase {counts.describe()}; nothing changed"
                    )
                elif due and not counts.anything:
                    self.stdout.write(f"{inspection.slug}: nothing left to erase")
                else:
                    how = "erase_evidence --due command" if due else "erase_evidence command"
                    erasure = erase_evidence(inspection=inspection, user=author, how=how)
                    erased = ErasureCounts.of(erasure).describe()
                    self.stdout.write(f"{inspection.slug}: erased {erased}")
        except ErasureRefused as error:
            raise CommandError(str(error)) from None
        if due and not inspections:
            self.stdout.write("no complete inspection is past its retention period")
