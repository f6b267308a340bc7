from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from inspection import ratings
from inspection.management.authorship import add_user_argument, command_user, recorded_as
from inspection.models import Basis, DomainOneRating, Inspection, Standard


def parse_rating(raw: str) -> str:
    """`requires_improvement`, `Requires improvement` and `requires-improvement` alike."""
    value = "_".join(raw.strip().lower().replace("-", " ").replace("_", " ").split())
    if value not in ratings.RATING_LABELS:
        raise CommandError(
            f'"{raw}" is not a rating: use one of ' + ", ".join(ratings.RATING_LABELS)
        )
    return value


class Command(BaseCommand):
    help = (
        "Record the lead's judgement on a judgement-based standard of the inspection's "
        "framework, e.g. 1.2 requires_improvement (youth justice: 1.1-1.4 and 3.4)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("standard", help="A judgement-based standard's code, e.g. 1.2")
        parser.add_argument("rating", help="outstanding, good, requires_improvement or inadequate")
        parser.add_argument("--rationale", help="Why the standard has this rating")
        add_user_argument(parser)

    def handle(self, *args, slug, standard, rating, rationale, user, **options):
        author = command_user(user)
        inspection = Inspection.objects.select_related("framework").filter(slug=slug).first()
        if inspection is None:
            raise CommandError(f"no inspection {slug}")
        value = parse_rating(rating)
        standard_row = Standard.objects.filter(
            framework=inspection.framework, code=standard.strip()
        ).first()
        if standard_row is None:
            raise CommandError(f"no standard {standard} in framework {inspection.framework}")
        if standard_row.basis != Basis.JUDGEMENT:
            how = "rated from case answers" if standard_row.basis == Basis.CASES else "not rated"
            judged = Standard.objects.filter(
                framework=inspection.framework, basis=Basis.JUDGEMENT
            ).values_list("code", flat=True)
            raise CommandError(
                f"standard {standard_row.code} {standard_row.title} is not judgement-based: "
                f"it is {how}; the judgement standards of framework {inspection.framework} "
                f"are {', '.join(judged)}"
            )
        defaults = {"rating": value}
        if rationale is not None:
            defaults["rationale"] = rationale
        with transaction.atomic(), recorded_as("set_rating", author):
            DomainOneRating.objects.update_or_create(
                inspection=inspection, standard=standard_row, defaults=defaults
            )
        self.stdout.write(
            f"{inspection.slug} {standard_row.code} {standard_row.title}: "
            f"{ratings.RATING_LABELS[value]}"
        )
