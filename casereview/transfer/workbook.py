"""The data workbook of an inspection (XLSX): aggregates only, so viewers may download it.

Every figure comes from the same summary and breakdowns as the dashboards, disclosed the
same way, in a fixed number of queries.
"""

from __future__ import annotations

import datetime
import io
import tempfile
from collections.abc import Iterable, Sequence

from django.db.models import Count, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from casereview.attributes import (
    AGE_BAND,
    BREAKDOWN_ATTRIBUTES,
    CASE_TYPE,
    ETHNICITY,
    GENDER,
    GRADE,
    OFFICE,
    ROSH,
    Attribute,
    case_type_choices,
    with_case_types,
)
from casereview.dashboards.breakdowns import (
    case_breakdowns,
    framework_key_questions,
    prompt_results,
    rated_key_questions,
)
from casereview.dashboards.disclosure import (
    Disclosure,
    disclose_breakdowns,
    disclose_figures,
    disclose_summary,
)
from casereview.dashboards.summary import (
    InspectionSummary,
    inspection_cases,
    inspection_summary,
    suppressed_words,
)
from casereview.models import COUNTED_STATUSES, CaseQuerySet
from inspection import ratings
from inspection.models import Basis, Inspection, KeyQuestion

PERCENT_FORMAT = "0%"
PROFILE_ATTRIBUTES = (CASE_TYPE, ROSH, GENDER, ETHNICITY, AGE_BAND, GRADE, OFFICE)
BOLD = Font(bold=True)


def _fraction(percent: int | None) -> float | None:
    """A published whole percentage as the fraction a `0%` cell shows as that number."""
    return None if percent is None else percent / 100


def _counts(figures, *counts: int) -> list[int | None]:
    """The counts behind a figure, or empty cells where the figure is suppressed."""
    return [None] * len(counts) if figures.suppressed else list(counts)


def _share(figures) -> float | str | None:
    """A figure's % cell: the fraction, or the words saying why it is not shown."""
    return suppressed_words() if figures.suppressed else _fraction(figures.percent)


class _Sheet:
    """A worksheet with a bold, frozen header row and columns sized to their text, an
    autofilter over its table, and set up to print: landscape, fit to the page's width,
    the header row repeated on every page."""

    def __init__(self, workbook: Workbook, title: str, header: Sequence[str], *, first=False):
        self.sheet = workbook.active if first else workbook.create_sheet()
        self.sheet.title = title
        self.widths = [len(name) for name in header]
        self.append(header, bold=True)
        self.sheet.freeze_panes = "A2"
        self.filtered = True
        setup = self.sheet.page_setup
        setup.orientation = "landscape"
        setup.fitToWidth, setup.fitToHeight = 1, 0  # as many pages tall as it takes
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        self.sheet.print_title_rows = "1:1"

    def append(self, values: Iterable, *, percent_columns: Iterable[int] = (), bold=False):
        values = list(values)
        self.sheet.append(values)
        row = self.sheet.max_row
        for index, value in enumerate(values):
            cell = self.sheet.cell(row=row, column=index + 1)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
            if bold:
                cell.font = BOLD
            if index in percent_columns:
                cell.number_format = PERCENT_FORMAT
            if index >= len(self.widths):
                self.widths.append(0)
            self.widths[index] = max(self.widths[index], min(len(str(value or "")), 80))

    def finish(self) -> None:
        if self.filtered:
            self.sheet.auto_filter.ref = self.sheet.dimensions
        for index, width in enumerate(self.widths):
            self.sheet.column_dimensions[get_column_letter(index + 1)].width = width + 2


def _about(workbook, summary: InspectionSummary, filters: list[str], generated) -> None:
    inspection = summary.inspection
    sheet = _Sheet(workbook, "About", ["Item", "Value"], first=True)
    sheet.filtered = False  # several small tables, not one to filter
    for item, value in [
        ("Inspection", inspection.slug),
        ("Unit", inspection.unit.name),
        ("Region", inspection.unit.region.name),
        ("Framework", f"{inspection.framework.code}: {inspection.framework.title}"),
        ("Fieldwork started", inspection.fieldwork_start),
        ("Generated", timezone.localtime(generated).strftime("%-d %B %Y at %H:%M")),
        ("Filters applied", "; ".join(filters) if filters else "None: every case"),
        ("Cases in the sample", summary.cases.total),
        ("Cases counted (submitted or moderated)", summary.cases.counted),
        (
            "How the figures are made",
            "A key question's percentage is Yes out of relevant cases (Yes and No), over "
            "submitted and moderated cases, rounded half up. A standard's rating is the "
            "band of its lowest key question.",
        ),
    ]:
        sheet.append([item, value])
    sheet.sheet.cell(row=6, column=2).number_format = "d mmmm yyyy"
    sheet.append([])
    sheet.append(["Key question rating bands", "From % Yes", "Descriptor", "Score"], bold=True)
    for band in sorted(summary.key_question_bands, key=lambda b: -b.minimum):
        sheet.append(
            [band.label, band.minimum / 100, band.descriptor, band.score], percent_columns=[1]
        )
    sheet.append([])
    sheet.append(["Overall rating bands", "From score", "Out of", ""], bold=True)
    for band in sorted(summary.overall_bands, key=lambda b: -b.minimum):
        sheet.append([band.label, band.minimum, summary.overall.maximum])
    sheet.finish()


def _ratings(workbook, summary: InspectionSummary) -> None:
    sheet = _Sheet(workbook, "Ratings", ["Code", "Standard", "Basis", "Rating", "Score", "Out of"])
    top = max((band.score for band in summary.key_question_bands), default=0)
    for standard in summary.standards:
        sheet.append(
            [
                standard.code,
                standard.title,
                "Case answers" if standard.basis == Basis.CASES else "Lead's judgement",
                standard.rating_label,
                standard.score,
                top,
            ]
        )
    sheet.append(
        [
            "",
            "Overall",
            "",
            summary.overall_label,
            None if summary.overall.withheld else summary.overall.score,
            summary.overall.maximum,
        ],
        bold=True,
    )
    sheet.finish()


def _key_questions(workbook, summary: InspectionSummary) -> None:
    header = [
        "Standard",
        "Code",
        "Key question",
        "Yes",
        "No",
        "Not applicable",
        "Relevant cases",
        "% Yes",
        "Drives the rating",
    ]
    sheet = _Sheet(workbook, "Key questions", header)
    for standard in summary.standards:
        for figures in standard.key_questions:
            sheet.append(
                [
                    f"{standard.code} {standard.title}",
                    figures.code,
                    figures.text,
                    *_counts(figures, figures.yes, figures.no, figures.not_applicable),
                    *_counts(figures, figures.relevant),
                    _share(figures),
                    "Yes" if figures.is_driving else "",
                ],
                percent_columns=[7],
            )
    sheet.finish()


def _prompts(workbook, summary: InspectionSummary, cases, disclosure, framework_id=None) -> None:
    if framework_id is None:
        framework_id = summary.inspection.framework_id
    results = prompt_results(cases=cases, framework_id=framework_id)
    disclose_figures([figures for rows in results.values() for figures in rows], disclosure)
    header = ["Key question", "Code", "Prompt", "Yes", "No", "Relevant cases", "% Yes"]
    sheet = _Sheet(workbook, "Prompts", header)
    for code, prompts in results.items():
        for figures in prompts:
            sheet.append(
                [
                    code,
                    figures.code,
                    figures.text,
                    *_counts(figures, figures.yes, figures.no, figures.relevant),
                    _share(figures),
                ],
                percent_columns=[6],
            )
    sheet.finish()


def _breakdowns(
    workbook, cases, key_questions: list[KeyQuestion], disclosure, attributes=BREAKDOWN_ATTRIBUTES
) -> None:
    header = [
        "Breakdown",
        "Group",
        "Cases",
        "Key question",
        "Yes",
        "Relevant cases",
        "% Yes",
        "Caution",
    ]
    sheet = _Sheet(workbook, "Breakdowns", header)
    caution = f"Treat with caution: {suppressed_words()}"
    attributes = with_case_types(attributes, _case_types(cases))
    breakdowns = case_breakdowns(cases=cases, key_questions=key_questions, attributes=attributes)
    disclose_breakdowns(breakdowns, disclosure)
    for breakdown in breakdowns:
        for group in breakdown.groups:
            for key_question, cell in zip(key_questions, group.cells, strict=True):
                sheet.append(
                    [
                        breakdown.attribute.label,
                        group.label,
                        group.cases,
                        key_question.code,
                        *_counts(cell, cell.yes, cell.relevant),
                        _share(cell),
                        caution if group.is_small else "",
                    ],
                    percent_columns=[6],
                )
    sheet.finish()


def _case_types(cases: CaseQuerySet) -> tuple[tuple[str, str], ...]:
    """The case types of the cases' frameworks: the case type attribute's labels."""
    return case_type_choices(cases.order_by().values("inspection__framework_id"))


def sample_profile(*, cases: CaseQuerySet, attribute: Attribute) -> list[tuple[str, int, int]]:
    """(value label, cases, counted cases) for each value of an attribute (one query)."""
    rows = (
        cases.order_by()
        .values(attribute.field)
        .annotate(total=Count("pk"), counted=Count("pk", filter=Q(status__in=COUNTED_STATUSES)))
    )
    order = [value for value, _ in attribute.choices]
    groups: dict[str, list[int]] = {}
    for row in rows:
        group = groups.setdefault(attribute.group_value(row[attribute.field]), [0, 0])
        group[0] += row["total"]
        group[1] += row["counted"]

    def position(value):
        return (0, order.index(value), "") if value in order else (1, 0, (value or "~").lower())

    return [
        (attribute.value_label(value), total, counted)
        for value, (total, counted) in sorted(groups.items(), key=lambda item: position(item[0]))
    ]


def _profile(workbook, cases, total: int) -> None:
    header = ["Attribute", "Value", "Cases", "% of sample", "Submitted cases"]
    sheet = _Sheet(workbook, "Case sample profile", header)
    for attribute in with_case_types(PROFILE_ATTRIBUTES, _case_types(cases)):
        for label, count, counted in sample_profile(cases=cases, attribute=attribute):
            sheet.append(
                [attribute.label, label, count, _fraction(ratings.percent(count, total)), counted],
                percent_columns=[3],
            )
    sheet.finish()


def _oversight_and_outcomes(workbook, summary: InspectionSummary) -> None:
    header = ["Measure", "Code", "Cases", "Out of", "%"]
    sheet = _Sheet(workbook, "Oversight and outcomes", header)
    oversight = summary.oversight
    required = oversight.required

    def oversight_row(label: str, count: int, out_of: int):
        percent = ratings.percent(count, out_of)
        if oversight.suppressed:
            sheet.append([f"Management oversight: {label}", "", None, None, suppressed_words()])
            return
        sheet.append(
            [f"Management oversight: {label}", "", count, out_of, _fraction(percent)],
            percent_columns=[4],
        )

    oversight_row("effective", oversight.effective, required)
    oversight_row("ineffective", oversight.ineffective, required)
    oversight_row("absent", oversight.absent, required)
    oversight_row("absent or ineffective", oversight.absent_or_ineffective, required)
    oversight_row("not required", oversight.not_required, summary.cases.counted)
    for standard in summary.reported:
        for figures in standard.key_questions:
            sheet.append(
                [
                    figures.text,
                    figures.code,
                    *_counts(figures, figures.yes, figures.relevant),
                    _share(figures),
                ],
                percent_columns=[4],
            )
    sheet.finish()


def inspection_workbook(
    *,
    inspection: Inspection,
    cases: CaseQuerySet | None = None,
    filters: list[str] | None = None,
    generated: datetime.datetime | None = None,
    disclosure: Disclosure | None = None,
) -> Workbook:
    """The data workbook: About, Ratings, Key questions, Prompts, Breakdowns, Case sample
    profile, Management oversight and outcomes. Numbers are numbers; percentages are the
    published whole percentages, formatted as such. `disclosure` suppresses what the
    reader may not see (None: every figure, as the commands give them)."""
    if cases is None:
        cases = inspection_cases(inspection=inspection)
    disclosure = disclosure or Disclosure.for_user(case_level=True, filtered=bool(filters))
    summary = disclose_summary(inspection_summary(inspection=inspection, cases=cases), disclosure)
    key_questions = rated_key_questions(
        framework_key_questions(framework_id=inspection.framework_id)
    )
    workbook = Workbook()
    _about(workbook, summary, filters or [], generated or timezone.now())
    _ratings(workbook, summary)
    _key_questions(workbook, summary)
    _prompts(workbook, summary, cases, disclosure)
    _breakdowns(workbook, cases, key_questions, disclosure)
    _profile(workbook, cases, summary.cases.total)
    _oversight_and_outcomes(workbook, summary)
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_file(workbook: Workbook):
    """The workbook saved to a temporary file, rewound: streamed from disk in chunks."""
    spooled = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(spooled)
    spooled.seek(0)
    return spooled
