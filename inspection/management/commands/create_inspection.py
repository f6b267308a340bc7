import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from inspection.frameworks import DEFAULT_FRAMEWORK
from inspection.management.authorship import add_user_argument, command_user, recorded_as
from inspection.models import Framework, Inspection, Region, Role, TeamMembership, Unit


class Command(BaseCommand):
    help = "Create an inspection of a unit (creating the unit and region if new) and its team."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="For example west-sussex-2023")
        parser.add_argument("--unit", required=True, help="The Probation Delivery Unit's name")
        parser.add_argument("--region", required=True, help="The unit's region")
        parser.add_argument("--fieldwork-start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--lead", help="Username of the lead inspector")
        parser.add_argument(
            "--team", nargs="+", action="extend", default=[], help="Usernames of inspectors"
        )
        parser.add_argument("--framework", default=DEFAULT_FRAMEWORK, help="Framework code")
        add_user_argument(parser)

    def handle(self, *args, slug, unit, region, fieldwork_start, lead, team, framework, **opts):
        author = command_user(opts["user"])
        if slugify(slug) != slug:
            raise CommandError(f'"{slug}" is not a slug: use lower-case letters, digits and -')
        if Inspection.objects.filter(slug=slug).exists():
            raise CommandError(f"an inspection {slug} already exists")
        unit, region = unit.strip(), region.strip()
        if not unit or not region:
            raise CommandError("--unit and --region must not be empty")
        try:
            start = datetime.date.fromisoformat(fieldwork_start)
        except ValueError:
            raise CommandError(
                f'--fieldwork-start "{fieldwork_start}" is not a date in the form YYYY-MM-DD'
            ) from None
        framework_row = Framework.objects.filter(code=framework).first()
        if framework_row is None:
            raise CommandError(f"no framework {framework}; load it with load_framework")
        existing_unit = Unit.objects.select_related("region").filter(name__iexact=unit).first()
        if existing_unit and existing_unit.region.name.lower() != region.lower():
            raise CommandError(
                f"unit {existing_unit.name} is in region {existing_unit.region.name}, not {region}"
            )
        users = self.users([lead] if lead else [], team)

        with transaction.atomic(), recorded_as("create_inspection", author):
            if existing_unit is None:
                region_row = Region.objects.filter(name__iexact=region).first()
                region_row = region_row or Region.objects.create(name=region)
                existing_unit = Unit.objects.create(name=unit, region=region_row)
            inspection = Inspection.objects.create(
                slug=slug, unit=existing_unit, framework=framework_row, fieldwork_start=start
            )
            for username, user in users.items():
                role = Role.LEAD if username == lead else Role.INSPECTOR
                TeamMembership.objects.create(inspection=inspection, user=user, role=role)
        members = ", ".join(users) or "no team yet"
        self.stdout.write(
            f"Created inspection {slug} of {existing_unit.name} ({existing_unit.region.name}), "
            f"fieldwork from {start:%Y-%m-%d}; team: {members}"
        )

    def users(self, lead: list[str], team: list[str]) -> dict:
        """The named users, the lead first; every one must exist already."""
        usernames = list(dict.fromkeys(lead + team))
        found = {
            user.username: user for user in get_user_model().objects.filter(username__in=usernames)
        }
        missing = [username for username in usernames if username not in found]
        if missing:
            raise CommandError("no such user: " + ", ".join(missing))
        return {username: found[username] for username in usernames}
