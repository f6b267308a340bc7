"""The data workbook of a set of inspections (XLSX): an inspection's sheets over the
set (`workbook.py`'s), plus the PDU comparison and the trend. Aggregates only."""

from __future__ import annotations

import datetime
from typing import cast

from django.utils import timezone
from openpyxl import Workbook

from casereview.attributes import Attribute
from casereview.dashboards.breakdowns import framework_key_questions, rated_key_questions
from casereview.dashboards.sets import JUDGEMENT_WORDS, NO_SET_RATING, SetSummary, below_set
from casereview.dashboards.summary import InspectionSummary
from casereview.models import CaseQuerySet
from casereview.transfer.workbook import (
    _breakdowns,
    _counts,
    _key_questions,
    _oversight_and_outcomes,
    _profile,
    _prompts,
    _share,
    _Sheet,
)
from inspection.models import Basis


def _set_about(workbook, summary: SetSummary, filters: list[str], generated) -> None:
    sheet = _Sheet(workbook, "About", ["Item", "Value"], first=True)
    for item, value in [
        ("Set", summary.inspection_set.title),
        (
            "Framework",
            f"{summary.framework.code}: {summary.framework.title}"
            if summary.framework
            else "None: no inspection in the set",
        ),
        ("Inspections", ", ".join(inspection.slug for inspection in summary.inspections)),
        ("Generated", timezone.localtime(generated).strftime("%-d %B %Y at %H:%M")),
        ("Filters applied", "; ".join(filters) if filters else "None: every case"),
        ("Cases in the samples", summary.cases.total),
        ("Cases counted (submitted or moderated)", summary.cases.counted),
        (
            "How the figures are made",
            "Every key question is re-aggregated over the counted cases of all the set's "
            "inspections (Yes out of Yes and No, rounded half up), never a mean of their "
            "percentages. A standard's band is that of its lowest key question.",
        ),
        ("Ratings", NO_SET_RATING),
    ]:
        sheet.append([item, value])
    sheet.finish()


def _set_bands(workbook, summary: SetSummary) -> None:
    sheet = _Sheet(workbook, "Ratings", ["Code", "Standard", "Basis", "Band", "Score"])
    for standard in summary.standards:
        judgement = standard.basis == Basis.JUDGEMENT
        sheet.append(
            [
                standard.code,
                standard.title,
                "Lead's judgement" if judgement else "Case answers",
                JUDGEMENT_WORDS if judgement else standard.rating_label,
                None if judgement else standard.score,
            ]
        )
    sheet.finish()


def _comparison(workbook, summary: SetSummary) -> None:
    rated = [kq for s in summary.standards if s.basis == Basis.CASES for kq in s.key_questions]
    header = ["Inspection", "Unit", "Fieldwork started", "Cases counted", "Score"]
    header += [standard.code for standard in summary.standards]
    for kq in rated:
        header += [
            f"{kq.code} Yes",
            f"{kq.code} relevant",
            f"{kq.code} % Yes",
            f"{kq.code} below set",
        ]
    sheet = _Sheet(workbook, "PDU comparison", header)
    sheet.append(
        ["Set", summary.inspection_set.title, "", summary.cases.counted, None]
        + ["" for _ in summary.standards]
        + [v for kq in rated for v in (*_counts(kq, kq.yes, kq.relevant), _share(kq), "")],
        percent_columns=[5 + len(summary.standards) + 4 * i + 2 for i in range(len(rated))],
        bold=True,
    )
    for row in summary.by_inspection:
        mine = [kq for s in row.standards if s.basis == Basis.CASES for kq in s.key_questions]
        values: list = [
            row.inspection.slug,
            row.inspection.unit.name,
            row.inspection.fieldwork_start,
            row.cases_counted,
            None if row.overall.withheld else row.overall.score,
            *[standard.rating_label for standard in row.standards],
        ]
        for kq, theirs in zip(mine, rated, strict=True):
            values += [*_counts(kq, kq.yes, kq.relevant), _share(kq)]
            values.append("Below" if below_set(kq, theirs) else "")
        sheet.append(
            values,
            percent_columns=[5 + len(row.standards) + 4 * i + 2 for i in range(len(mine))],
        )
    sheet.finish()


def _trend(workbook, summary: SetSummary) -> None:
    header = ["Period", "Inspections", "Cases counted", "Code", "Yes", "Relevant cases", "% Yes"]
    sheet = _Sheet(workbook, "Trend", header)
    for point in (*summary.by_year, *summary.by_quarter):
        for standard in point.standards:
            for kq in standard.key_questions:
                sheet.append(
                    [
                        point.period,
                        point.inspections,
                        point.cases,
                        kq.code,
                        *_counts(kq, kq.yes, kq.relevant),
                        _share(kq),
                    ],
                    percent_columns=[6],
                )
    sheet.finish()


def set_workbook(
    *,
    summary: SetSummary,
    cases: CaseQuerySet,
    filters: list[str],
    generated: datetime.datetime,
    attributes: tuple[Attribute, ...],
) -> Workbook:
    """The workbook of a disclosed set summary: an inspection's sheets (About, Ratings,
    Key questions, Prompts, Breakdowns, Case sample profile, Oversight and outcomes) over
    the set, plus the PDU comparison and the trend. Aggregates only: its size grows with
    the number of inspections, never with the number of cases."""
    disclosure = summary.disclosure
    framework_id = summary.framework.pk if summary.framework else 0  # 0: no inspection
    key_questions = rated_key_questions(framework_key_questions(framework_id=framework_id))
    as_inspection = cast(InspectionSummary, summary)  # the same figures, no one inspection
    workbook = Workbook()
    _set_about(workbook, summary, filters, generated)
    _set_bands(workbook, summary)
    _key_questions(workbook, as_inspection)
    _prompts(workbook, as_inspection, cases, disclosure, framework_id=framework_id)
    _breakdowns(workbook, cases, key_questions, disclosure, attributes=attributes)
    _profile(workbook, cases, summary.cases.total)
    _oversight_and_outcomes(workbook, as_inspection)
    _comparison(workbook, summary)
    _trend(workbook, summary)
    return workbook
