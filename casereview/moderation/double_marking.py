"""Double marking: the writes. A lead sends a sample of submitted cases to a second
inspector, who answers the rated key questions blind; the lead then resolves each
disagreement by choosing the answer that counts.

The figures (agreement, Cohen's kappa) are in `consistency.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from casereview.models import (
    COUNTED_STATUSES,
    Answer,
    Case,
    CaseStatus,
    KeyQuestionAnswer,
    SecondMarking,
    SecondMarkingAnswer,
    SecondMarkingStatus,
)
from casereview.moderation.services import key_question_answer_set
from casereview.notifications.services import notify_second_marking
from inspection.models import Basis, Framework, Inspection, KeyQuestion, Role, TeamMembership

RESOLVED_REASON = "Resolved after double marking"
# Every status but moderated: a moderated case's answers are locked until it is reopened.
RESOLVABLE_STATUSES = tuple(status for status in CaseStatus if status != CaseStatus.MODERATED)


class DoubleMarkingError(Exception):
    """The request cannot be carried out; `problems` lists why."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def marked_key_questions(
    *, framework: Framework | int, case_type: str | None = None
) -> QuerySet[KeyQuestion]:
    """The key questions a second marker answers: those that rate a standard (of a case
    of `case_type`: those its type answers)."""
    key_questions = (
        KeyQuestion.objects.of_framework(framework)
        .filter(standard__basis=Basis.CASES)
        .select_related("standard")
    )
    return key_questions if case_type is None else key_questions.for_case_type(case_type)


def second_marker_choices(*, inspection: Inspection) -> QuerySet[TeamMembership]:
    """Inspectors of the team. Not leads: a lead sees every case's answers, so could
    not mark blind."""
    return (
        inspection.memberships.filter(role=Role.INSPECTOR, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def second_marking_problems(
    *, inspection: Inspection, cases: Iterable[Case], inspector
) -> list[str]:
    """Why these cases cannot go to this inspector (empty when they can)."""
    problems = []
    cases = list(cases)
    if not second_marker_choices(inspection=inspection).filter(user=inspector).exists():
        problems.append("The second inspector must be an inspector on this inspection's team")
    already = set(
        SecondMarking.objects.filter(case__in=[case.pk for case in cases]).values_list(
            "case_id", flat=True
        )
    )
    for case in cases:
        if case.inspection_id != inspection.pk:
            problems.append(f"{case.reference} is not a case of this inspection")
        elif case.status not in COUNTED_STATUSES:
            problems.append(f"{case.reference} has not been submitted")
        elif case.inspector_id == inspector.pk:
            problems.append(f"{case.reference} was marked first by the same inspector")
        elif case.pk in already:
            problems.append(f"{case.reference} has already been sent for double marking")
    return problems


def second_marking_request(
    *, inspection: Inspection, cases: list[Case], inspector, user
) -> list[SecondMarking]:
    """Send `cases` to `inspector` to mark blind."""
    if not cases:
        raise DoubleMarkingError(["Choose at least one case"])
    try:
        with transaction.atomic():
            problems = second_marking_problems(
                inspection=inspection, cases=cases, inspector=inspector
            )
            if problems:
                raise DoubleMarkingError(problems)
            markings = []
            for case in cases:
                marking = SecondMarking(case=case, inspector=inspector, requested_by=user)
                marking._history_user = user
                marking.save()
                markings.append(marking)
            notify_second_marking(markings)
    except IntegrityError:
        # Another lead sent one of these cases at the same moment.
        raise DoubleMarkingError(
            ["A case was sent for double marking meanwhile; try again"]
        ) from None
    return markings


def second_marking_withdraw(*, second_marking: SecondMarking, user) -> None:
    """Take back a case not yet second-marked (the marker is away, or left the team)."""
    with transaction.atomic():
        marking = SecondMarking.objects.select_for_update().get(pk=second_marking.pk)
        if marking.status != SecondMarkingStatus.PENDING:
            raise DoubleMarkingError(["This case has already been second-marked"])
        marking._history_user = user
        marking.delete()


def second_marking_submit(
    *, second_marking: SecondMarking, answers: Mapping[int, tuple[str, str]], user
) -> SecondMarking:
    """Record the second inspector's answers (key question id -> (answer, note)) and,
    beside each, the first answer it is compared with."""
    with transaction.atomic():
        marking = (
            SecondMarking.objects.select_for_update()
            .select_related("case__inspection")
            .get(pk=second_marking.pk)
        )
        if marking.inspector_id != user.pk:
            raise DoubleMarkingError(["Only the second inspector can submit this marking"])
        if marking.status != SecondMarkingStatus.PENDING:
            raise DoubleMarkingError(["This case has already been second-marked"])
        key_questions = list(
            marked_key_questions(
                framework=marking.case.inspection.framework_id, case_type=marking.case.case_type
            )
        )
        problems = []
        for key_question in key_questions:
            answer = answers.get(key_question.pk, ("", ""))[0]
            if answer not in Answer.values:
                problems.append(f"Answer key question {key_question.code}")
            elif answer == Answer.NOT_APPLICABLE and not key_question.allows_not_applicable:
                problems.append(
                    f"Not applicable is not allowed for key question {key_question.code}"
                )
        if problems:
            raise DoubleMarkingError(problems)
        first = dict(
            KeyQuestionAnswer.objects.filter(
                case_id=marking.case_id, key_question__in=key_questions
            ).values_list("key_question_id", "answer")
        )
        for key_question in key_questions:
            answer, note = answers[key_question.pk]
            record = SecondMarkingAnswer(
                second_marking=marking,
                key_question=key_question,
                answer=answer,
                note=note.strip(),
                first_answer=first.get(key_question.pk, ""),
            )
            record._history_user = user
            record.save()
        marking.status = SecondMarkingStatus.SUBMITTED
        marking.submitted_at = timezone.now()
        marking.first_inspector_id = marking.case.inspector_id
        marking._history_user = user
        marking.save()
    return marking


def disagreement_resolve(*, second_answer: SecondMarkingAnswer, answer: str, user) -> None:
    """The lead chooses which of the two answers counts; the case's answer follows.

    A moderated case is locked: choosing an answer other than the one it counts is
    refused until the case is reopened, as a correction would be.
    """
    if not second_answer.is_disagreement:
        raise DoubleMarkingError(["The two inspectors agreed on this key question"])
    if answer not in (second_answer.first_answer, second_answer.answer):
        raise DoubleMarkingError(["Choose the first or the second inspector's answer"])
    case = second_answer.second_marking.case
    with transaction.atomic():
        counted = (
            KeyQuestionAnswer.objects.filter(case=case, key_question=second_answer.key_question)
            .values_list("answer", flat=True)
            .first()
        )
        if counted != answer:
            key_question_answer_set(
                case=case,
                key_question=second_answer.key_question,
                answer=answer,
                reason=RESOLVED_REASON,
                user=user,
                statuses=RESOLVABLE_STATUSES,
            )
        second_answer.resolved_answer = answer
        second_answer.resolved_by = user
        second_answer.resolved_at = timezone.now()
        second_answer._history_user = user
        second_answer._change_reason = RESOLVED_REASON
        second_answer.save()
