from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casereview.demo import PASSWORD, load_demo, sign_in_users


class Command(BaseCommand):
    help = (
        "Load the demo inspections (west-sussex-2023 as published, a fictional one under way, "
        "a fictional youth justice one) and the demo users. Idempotent. Refuses to run with "
        "DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (the demo users have a published password)",
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: refusing to create demo users with a published password "
                "(use --force to load the demo anyway)"
            )
        result = load_demo()
        for slug, count in result.imported.items():
            self.stdout.write(f"Imported {count} cases into {slug}")
        for slug, count in result.kept.items():
            self.stdout.write(f"Kept the {count} cases already in {slug}")
        self.stdout.write(f"Demo users (password {PASSWORD}):")
        for user in sign_in_users():
            self.stdout.write(f"  {user.username:<10} {user.description}")
