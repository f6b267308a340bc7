"""Moderation: the lead's review of submitted cases, and corrections after submission.

A submitted case is either returned to its inspector for rework (with a reason they
see), or marked as moderated, which locks it. Any change to an answer after submission
needs a reason; django-simple-history keeps it with the change (`history_change_reason`)
so the audit trail says why a counted figure moved.
"""

from __future__ import annotations

from django.db import transaction

from casereview.models import Answer, Case, CaseStatus, KeyQuestionAnswer
from casereview.notifications.services import notify_case_returned
from inspection.models import KeyQuestion
from inspection.versions import claim_version

RETURNED_REASON = "Returned for rework"
MODERATED_REASON = "Moderated"
REOPENED_REASON = "Reopened after moderation"


class ModerationError(Exception):
    """The case is not in a state that allows this step; the message says why."""


def _locked(case: Case) -> Case:
    """The case row, locked until the transaction ends, so two leads cannot race."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _save_case(case: Case, *, user, reason: str, fields: list[str]) -> None:
    """Save a locked case: it takes the next version like every write, so a form opened
    before this step is refused rather than overwrite it."""
    claim_version(case, case.version)
    case._history_user = user
    case._change_reason = reason
    case.save(update_fields=[*fields, "version", "updated_at"])


def _required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Give a reason")
    return reason


def case_return_for_rework(*, case: Case, reason: str, user) -> Case:
    """Send a submitted case back to its inspector, who can edit it again."""
    reason = _required(reason)
    with transaction.atomic():
        case = _locked(case)
        if case.status != CaseStatus.SUBMITTED:
            raise ModerationError(
                f"Only a submitted case can be returned; this one is {case.get_status_display()}"
            )
        case.status = CaseStatus.RETURNED
        case.return_reason = reason
        _save_case(
            case,
            user=user,
            reason=f"{RETURNED_REASON}: {reason}",
            fields=["status", "return_reason"],
        )
        notify_case_returned(case, reason)
    return case


def case_mark_moderated(*, case: Case, user) -> Case:
    """Accept a submitted case as it stands; nobody can edit it afterwards."""
    with transaction.atomic():
        case = _locked(case)
        if case.status != CaseStatus.SUBMITTED:
            raise ModerationError(
                f"Only a submitted case can be moderated; this one is {case.get_status_display()}"
            )
        case.status = CaseStatus.MODERATED
        _save_case(case, user=user, reason=MODERATED_REASON, fields=["status"])
    return case


def case_reopen(*, case: Case, reason: str, user) -> Case:
    """Take a moderated case back to submitted, so it can be corrected or returned."""
    reason = _required(reason)
    with transaction.atomic():
        case = _locked(case)
        if case.status != CaseStatus.MODERATED:
            raise ModerationError(
                f"Only a moderated case can be reopened; this one is {case.get_status_display()}"
            )
        case.status = CaseStatus.SUBMITTED
        _save_case(case, user=user, reason=f"{REOPENED_REASON}: {reason}", fields=["status"])
    return case


def key_question_answer_set(
    *,
    case: Case,
    key_question: KeyQuestion,
    answer: str,
    reason: str,
    user,
    statuses: tuple[str, ...] | None = None,
) -> KeyQuestionAnswer:
    """Change one counted answer, keeping `reason` in the audit trail of the answer and
    the case. The case's version moves on, so a form opened before this is refused.

    `statuses`: the case must be in one of these (checked under the row lock).
    """
    reason = _required(reason)
    if answer not in Answer.values:
        raise ModerationError("Choose Yes, No or Not applicable")
    if answer == Answer.NOT_APPLICABLE and not key_question.allows_not_applicable:
        raise ModerationError(f"Not applicable is not allowed for key question {key_question.code}")
    if key_question.standard.framework_id != case.inspection.framework_id:
        raise ModerationError("That key question is not in this inspection's framework")
    if not KeyQuestion.objects.for_case_type(case.case_type).filter(pk=key_question.pk).exists():
        raise ModerationError(
            f"Key question {key_question.code} does not apply to "
            f"{case.case_type_label.lower()} cases"
        )
    with transaction.atomic():
        case = _locked(case)
        if statuses is not None and case.status not in statuses:
            raise ModerationError(
                f"This case is {case.get_status_display().lower()}; its answers cannot be "
                "corrected now"
                + ("; reopen the case first" if case.status == CaseStatus.MODERATED else "")
            )
        record = KeyQuestionAnswer.objects.filter(
            case=case, key_question=key_question
        ).first() or KeyQuestionAnswer(case=case, key_question=key_question)
        if record.answer == answer:
            raise ModerationError(f"{key_question.code} already has that answer")
        record.answer = answer
        record._history_user = user
        record._change_reason = reason
        record.save()
        _save_case(case, user=user, reason=reason, fields=[])
    return record


def case_correct_answer(
    *, case: Case, key_question: KeyQuestion, answer: str, reason: str, user
) -> KeyQuestionAnswer:
    """The lead's correction of an answer on a submitted case (moderated ones are locked)."""
    return key_question_answer_set(
        case=case,
        key_question=key_question,
        answer=answer,
        reason=reason,
        user=user,
        statuses=(CaseStatus.SUBMITTED,),
    )
