import argparse
import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from casereview.dashboards.documents import set_document, summary_document
from casereview.dashboards.sets import (
    JUDGEMENT_WORDS,
    NO_SET_RATING,
    MixedFrameworks,
    disclose_set,
    region_set,
    set_summary,
)
from casereview.dashboards.summary import (
    InspectionSummary,
    KeyQuestionFigures,
    inspection_summary,
)
from inspection.models import Basis, Inspection

RATING_WIDTH = 44


def rating_width(standards) -> int:
    """The standards' column: 44 wide, or wider where a title is longer (youth 3.4)."""
    return max([RATING_WIDTH, *(len(f"{s.code} {s.title}") + 1 for s in standards)])


def figures_text(figures: KeyQuestionFigures) -> str:
    if figures.relevant == 0:
        return "no relevant cases"
    return f"{figures.percent}% ({figures.yes} of {figures.relevant})"


def key_question_line(figures: KeyQuestionFigures) -> str:
    marker = "*" if figures.is_driving else " "
    line = f"  {marker} {figures.code:<7} {figures_text(figures):<18} {figures.text}"
    if figures.not_applicable:
        line += f" ({figures.not_applicable} not applicable)"
    return line


def summary_table(summary: InspectionSummary) -> str:
    """The live ratings as a plain-text table, for reading in a terminal."""
    inspection = summary.inspection
    unrated = sum(standard.rating is None for standard in summary.standards)
    if summary.overall.complete:
        overall = f"Score {summary.score_display}, overall rating {summary.overall_label}"
    else:
        overall = (
            f"Score {summary.score_display} so far (provisional): {unrated} "
            f"standard{'s' if unrated != 1 else ''} not yet rated, so no overall rating"
        )
    width = rating_width(summary.standards)
    lines = [
        f"{inspection.unit.name}, {inspection.unit.region.name}: inspection {inspection.slug} "
        f"(framework {inspection.framework.code})",
        f"Cases: {summary.cases.counted} of {summary.cases.total} submitted",
        "",
        overall,
        "",
        f"{'Standard':<{width}} Rating",
    ]
    for standard in summary.standards:
        lines.append(f"{standard.code + ' ' + standard.title:<{width}} {standard.rating_label}")
        if standard.basis == Basis.CASES:
            lines.extend(key_question_line(figures) for figures in standard.key_questions)
    oversight = summary.oversight
    if oversight.required:
        oversight_text = (
            f"{oversight.percent_absent_or_ineffective}% ({oversight.absent_or_ineffective} of "
            f"{oversight.required} cases where it was required)"
        )
    else:
        oversight_text = "no submitted case required it yet"
    lines += ["", f"Management oversight absent or ineffective: {oversight_text}"]
    for standard in summary.reported:
        lines += ["", f"{standard.code} {standard.title} (reported, not rated)"]
        lines.extend(key_question_line(figures) for figures in standard.key_questions)
    lines += ["", "* the lowest key question, which sets the standard's rating"]
    return "\n".join(lines)


def _date(value):
    """A YYYY-MM-DD argument (also as a date, from call_command)."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2024-01-31: {value}") from None


def set_summary_output(region: str, start, end, *, as_json: bool) -> str:
    """A region's set (`dashboards.sets`): the document of `/overview/summary.json`,
    or a table like an inspection's."""
    try:
        inspection_set = region_set(
            name=region, start=_date(start) if start else None, end=_date(end) if end else None
        )
        summary = disclose_set(set_summary(inspection_set=inspection_set, user=None))
    except (LookupError, MixedFrameworks, argparse.ArgumentTypeError) as problem:
        raise CommandError(str(problem).strip("'")) from None
    if as_json:
        return json.dumps(set_document(summary), indent=2, ensure_ascii=False)
    width = rating_width(summary.standards)
    lines = [
        f"{inspection_set.title}: {len(summary.inspections)} inspections "
        f"({', '.join(inspection.slug for inspection in summary.inspections)})",
        f"Cases: {summary.cases.counted} of {summary.cases.total} submitted",
        "",
        NO_SET_RATING,
        "",
        f"{'Standard':<{width}} Band of the lowest key question",
    ]
    for standard in summary.standards:
        label = JUDGEMENT_WORDS if standard.basis == Basis.JUDGEMENT else standard.rating_label
        lines.append(f"{standard.code + ' ' + standard.title:<{width}} {label}")
        if standard.basis == Basis.CASES:
            lines.extend(key_question_line(figures) for figures in standard.key_questions)
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print an inspection's live ratings: a table, or the JSON document with --json."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="The inspection (or give --region)")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the JSON document"
        )
        parser.add_argument("--region", help="A region's set of inspections instead")
        parser.add_argument(
            "--from", dest="start", type=_date, help="Fieldwork started on or after YYYY-MM-DD"
        )
        parser.add_argument(
            "--to", dest="end", type=_date, help="Fieldwork started on or before YYYY-MM-DD"
        )

    def handle(self, *args, slug, as_json, region=None, start=None, end=None, **options):
        if region is not None or start or end:
            if slug or not region:
                raise CommandError("give either an inspection's slug or --region NAME")
            self.stdout.write(set_summary_output(region, start, end, as_json=as_json))
            return
        if slug is None:
            raise CommandError("give an inspection's slug, or --region NAME")
        inspection = (
            Inspection.objects.select_related("unit__region", "framework").filter(slug=slug).first()
        )
        if inspection is None:
            raise CommandError(f"no inspection {slug}")
        summary = inspection_summary(inspection=inspection)
        if as_json:
            document = summary_document(summary)
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(summary_table(summary))
