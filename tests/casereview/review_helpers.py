"""Helpers for the moderation, double marking, export and report tests."""

from __future__ import annotations

from django.utils import timezone

from casereview.models import Answer, Case, CaseStatus, KeyQuestionAnswer, Oversight
from inspection.models import Basis, KeyQuestion
from tests.factories import CaseFactory


def rated_key_questions(inspection) -> list[KeyQuestion]:
    return list(
        KeyQuestion.objects.filter(
            standard__framework_id=inspection.framework_id, standard__basis=Basis.CASES
        ).order_by("standard__order", "order")
    )


def submitted_case(
    inspection,
    inspector=None,
    *,
    reference: str | None = None,
    answers: dict[str, str] | None = None,
    default: str = Answer.YES,
    note: str = "Seen in the case record.",
    status: str = CaseStatus.SUBMITTED,
    **attributes,
) -> Case:
    """A submitted case with every rated key question answered (`default` unless given
    in `answers`, by code), each with an evidence note naming the case and question."""
    extra = {"reference": reference} if reference else {}
    case = CaseFactory(
        inspection=inspection,
        inspector=inspector,
        status=status,
        version=1,
        oversight=Oversight.EFFECTIVE,
        submitted_at=timezone.now(),
        **extra,
        **attributes,
    )
    answers = answers or {}
    KeyQuestionAnswer.objects.bulk_create(
        KeyQuestionAnswer(
            case=case,
            key_question=key_question,
            answer=answers.get(key_question.code, default),
            note=f"{note} ({case.reference} {key_question.code})",
        )
        for key_question in rated_key_questions(inspection)
    )
    return case


def history_reasons(model, **filters) -> list[str | None]:
    """The change reasons recorded for the rows matching `filters`, oldest first."""
    return list(
        model.history.filter(**filters)
        .order_by("history_date", "history_id")
        .values_list("history_change_reason", flat=True)
    )
