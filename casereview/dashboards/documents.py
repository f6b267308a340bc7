"""The stable JSON documents of the figures: an inspection's (`summary --json`,
`summary.json`) and, in the same shape, a set's."""

from __future__ import annotations

from typing import cast

from django.conf import settings

from casereview.dashboards.sets import JUDGEMENT_WORDS, NO_SET_RATING, SetSummary
from casereview.dashboards.summary import InspectionSummary, KeyQuestionFigures, StandardSummary
from inspection.models import Basis


def summary_document(summary: InspectionSummary, *, header: dict | None = None) -> dict:
    """The stable JSON document of `summary --json` and `summary.json`; `header` stands
    for the inspection's own keys where the figures are a set's (`set_document`)."""
    inspection = summary.inspection
    if header is None:
        header = {
            "inspection": inspection.slug,
            "unit": inspection.unit.name,
            "region": inspection.unit.region.name,
            "framework": inspection.framework.code,
        }

    def hidden(figures, value):
        # A suppressed figure keeps its keys, with null values (see "suppressed").
        return None if figures.suppressed else value

    def key_question_entry(figures: KeyQuestionFigures) -> dict:
        return {
            "code": figures.code,
            "text": figures.text,
            "yes": hidden(figures, figures.yes),
            "relevant": hidden(figures, figures.relevant),
            "percent": hidden(figures, figures.percent),
            "interval": hidden(figures, list(figures.interval) if figures.interval else None),
        }

    def standard_entry(standard: StandardSummary) -> dict:
        entry: dict[str, object] = {
            "code": standard.code,
            "title": standard.title,
            "basis": standard.basis,
            "rating": standard.rating,
            "score": standard.score,
        }
        if standard.basis == Basis.CASES:
            entry["holds_by"] = standard.holds_by.answers if standard.holds_by else None
            entry["lift_by"] = standard.lift_by.answers if standard.lift_by else None
        if standard.basis != Basis.JUDGEMENT:
            entry["key_questions"] = [key_question_entry(kq) for kq in standard.key_questions]
        return entry

    oversight = summary.oversight
    return {
        **header,
        "cases": {"total": summary.cases.total, "submitted": summary.cases.counted},
        "standards": [standard_entry(standard) for standard in summary.standards],
        "overall": {
            "score": None if summary.overall.withheld else summary.overall.score,
            "max": summary.overall.maximum,
            "rating": summary.overall.rating,
            "complete": summary.overall.complete,
            "holds_by": None if summary.overall.withheld else summary.overall.holds_by,
        },
        "management_oversight": {
            "effective": hidden(oversight, oversight.effective),
            "ineffective": hidden(oversight, oversight.ineffective),
            "absent": hidden(oversight, oversight.absent),
            "not_required": hidden(oversight, oversight.not_required),
            "required": hidden(oversight, oversight.required),
            "absent_or_ineffective_percent": hidden(
                oversight, oversight.percent_absent_or_ineffective
            ),
        },
        "outcomes": [
            {
                **key_question_entry(kq),
                "not_applicable": hidden(kq, kq.not_applicable),
            }
            for standard in summary.reported
            for kq in standard.key_questions
        ],
        # What the reader may not see is null above, and listed here (keys never change).
        "suppressed": {
            "fewer_than": settings.SMALL_NUMBER_THRESHOLD,
            "key_questions": [
                kq.code
                for standard in summary.standards + summary.reported
                for kq in standard.key_questions
                if kq.suppressed
            ],
            "overall": summary.overall.withheld,
            "management_oversight": oversight.suppressed,
        },
    }


def _figures_entry(figures: KeyQuestionFigures) -> dict:
    hidden = figures.suppressed
    return {
        "code": figures.code,
        "yes": None if hidden else figures.yes,
        "relevant": None if hidden else figures.relevant,
        "percent": None if hidden else figures.percent,
    }


def _standards_entries(standards: list[StandardSummary]) -> list[dict]:
    return [
        {
            "code": standard.code,
            "rating": standard.rating,
            "score": standard.score,
            **(
                {"key_questions": [_figures_entry(kq) for kq in standard.key_questions]}
                if standard.basis == Basis.CASES
                else {}
            ),
        }
        for standard in standards
    ]


def set_document(summary: SetSummary) -> dict:
    """The JSON document of a set: `summary.json`'s shape (its figures are the same
    function's), headed by the set, with the inspections counted and each one's own."""
    inspection_set = summary.inspection_set
    document = summary_document(
        cast(InspectionSummary, summary),
        header={
            "set": inspection_set.title,
            "slug": inspection_set.slug,
            "framework": summary.framework.code if summary.framework else None,
        },
    )
    document["overall"]["note"] = NO_SET_RATING
    for entry, standard in zip(document["standards"], summary.standards, strict=True):
        if standard.basis == Basis.JUDGEMENT:
            entry["note"] = JUDGEMENT_WORDS
    document["inspections"] = [inspection.slug for inspection in summary.inspections]
    document["by_inspection"] = [
        {
            "inspection": row.inspection.slug,
            "unit": row.inspection.unit.name,
            "region": row.inspection.unit.region.name,
            "fieldwork_start": row.inspection.fieldwork_start.isoformat(),
            "cases": {"total": row.cases_total, "submitted": row.cases_counted},
            "score": None if row.overall.withheld else row.overall.score,
            "rating": None if row.overall.withheld else row.overall.rating,
            "standards": _standards_entries(row.standards),
        }
        for row in summary.by_inspection
    ]
    return document
