"""Consistency between inspectors: how often a second marker agreed with the first.

Agreement is the share of key-question answers on which the two inspectors agree.
Cohen's kappa discounts the agreement two inspectors would reach by chance given how
often each answers Yes, No or Not applicable:

    kappa = (observed - expected) / (1 - expected)

The counts come from the database grouped by answer pair in one query; the
arithmetic is pure functions over those contingency tables.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from casereview.models import (
    KeyQuestionAnswer,
    SecondMarking,
    SecondMarkingAnswer,
    SecondMarkingStatus,
)
from casereview.moderation.double_marking import marked_key_questions
from casereview.people import full_name
from inspection import ratings
from inspection.models import Inspection

# (first answer, second answer) -> how many times that pair was given
Table = Mapping[tuple[str, str], int]


def observed_agreement(table: Table) -> float | None:
    total = sum(table.values())
    if not total:
        return None
    return _observed(table, total)


def _observed(table: Table, total: int) -> float:
    return sum(count for (first, second), count in table.items() if first == second) / total


def cohens_kappa(table: Table) -> float | None:
    """Cohen's kappa of a contingency table; None when it is not defined (no answers,
    or both inspectors gave one and the same answer throughout, so chance explains all)."""
    total = sum(table.values())
    if not total:
        return None
    first: Counter[str] = Counter()
    second: Counter[str] = Counter()
    for (a, b), count in table.items():
        first[a] += count
        second[b] += count
    expected = sum(first[category] * second[category] for category in first) / total**2
    if expected >= 1:
        return None
    return (_observed(table, total) - expected) / (1 - expected)


@dataclass
class Agreement:
    table: dict[tuple[str, str], int] = field(default_factory=dict)
    # The double-marked cases the answers come from: few cases make a shaky agreement.
    marked_cases: set[int] = field(default_factory=set)

    def add(self, first: str, second: str, count: int, *, case: int) -> None:
        self.table[(first, second)] = self.table.get((first, second), 0) + count
        self.marked_cases.add(case)

    @property
    def cases(self) -> int:
        return len(self.marked_cases)

    @property
    def caution(self) -> bool:
        """Agreement and kappa over fewer cases than the small-number threshold."""
        return 0 < self.cases < settings.SMALL_NUMBER_THRESHOLD

    @property
    def compared(self) -> int:
        return sum(self.table.values())

    @property
    def agreed(self) -> int:
        return sum(count for (first, second), count in self.table.items() if first == second)

    @property
    def percent(self) -> int | None:
        """Agreement as a whole percentage, rounded half up like every published figure."""
        return ratings.percent(self.agreed, self.compared)

    @property
    def kappa(self) -> float | None:
        return cohens_kappa(self.table)


@dataclass
class KeyQuestionConsistency:
    code: str
    text: str
    agreement: Agreement


@dataclass
class PairConsistency:
    first: str
    second: str
    agreement: Agreement


@dataclass
class ConsistencySummary:
    by_key_question: list[KeyQuestionConsistency]
    by_pair: list[PairConsistency]
    overall: Agreement
    pending: int
    submitted: int
    disagreements: list[SecondMarkingAnswer]

    @property
    def unresolved(self) -> int:
        return sum(1 for answer in self.disagreements if not answer.resolved_answer)

    @property
    def caution(self) -> bool:
        return (
            self.overall.caution
            or any(row.agreement.caution for row in self.by_key_question)
            or any(row.agreement.caution for row in self.by_pair)
        )


def submitted_answers(*, inspection: Inspection) -> QuerySet[SecondMarkingAnswer]:
    return SecondMarkingAnswer.objects.filter(
        second_marking__case__inspection=inspection,
        second_marking__status=SecondMarkingStatus.SUBMITTED,
    ).exclude(first_answer="")


def disagreements(*, inspection: Inspection) -> list[SecondMarkingAnswer]:
    """Every key question on which the two inspectors disagreed, resolved or not, in
    key-question order, each with `first_note`: the first inspector's note on the case,
    to read beside the second inspector's (2 queries)."""
    answers = list(
        submitted_answers(inspection=inspection)
        .exclude(answer=F("first_answer"))
        .select_related(
            "key_question",
            "second_marking__case",
            "second_marking__inspector",
            "second_marking__first_inspector",
            "resolved_by",
        )
        .order_by(
            "key_question__standard__order",
            "key_question__order",
            "second_marking__case__reference",
        )
    )
    notes = {
        (row["case_id"], row["key_question_id"]): row["note"]
        for row in KeyQuestionAnswer.objects.filter(
            case_id__in={answer.second_marking.case_id for answer in answers},
            key_question_id__in={answer.key_question_id for answer in answers},
        ).values("case_id", "key_question_id", "note")
    }
    for answer in answers:
        answer.first_note = notes.get((answer.second_marking.case_id, answer.key_question_id), "")
    return answers


def inspection_consistency(*, inspection: Inspection) -> ConsistencySummary:
    """Agreement and kappa per key question, per inspector pair and overall (5 queries)."""
    rows = (
        submitted_answers(inspection=inspection)
        .order_by()
        .values(
            "key_question_id",
            "second_marking_id",
            "first_answer",
            "answer",
            "second_marking__first_inspector__username",
            "second_marking__first_inspector__first_name",
            "second_marking__first_inspector__last_name",
            "second_marking__inspector__username",
            "second_marking__inspector__first_name",
            "second_marking__inspector__last_name",
        )
        .annotate(count=Count("pk"))
    )
    by_key_question: dict[int, Agreement] = defaultdict(Agreement)
    by_pair: dict[tuple[str, str], Agreement] = defaultdict(Agreement)
    overall = Agreement()
    for row in rows:
        first, second, count = row["first_answer"], row["answer"], row["count"]
        case = row["second_marking_id"]
        by_key_question[row["key_question_id"]].add(first, second, count, case=case)
        pair = (
            full_name(
                row["second_marking__first_inspector__first_name"] or "",
                row["second_marking__first_inspector__last_name"] or "",
                row["second_marking__first_inspector__username"] or "A removed user",
            ),
            full_name(
                row["second_marking__inspector__first_name"],
                row["second_marking__inspector__last_name"],
                row["second_marking__inspector__username"],
            ),
        )
        by_pair[pair].add(first, second, count, case=case)
        overall.add(first, second, count, case=case)

    key_questions = marked_key_questions(framework=inspection.framework_id)
    statuses = SecondMarking.objects.filter(case__inspection=inspection).aggregate(
        pending=Count("pk", filter=Q(status=SecondMarkingStatus.PENDING)),
        submitted=Count("pk", filter=Q(status=SecondMarkingStatus.SUBMITTED)),
    )
    return ConsistencySummary(
        by_key_question=[
            KeyQuestionConsistency(
                code=key_question.code,
                text=key_question.text,
                agreement=by_key_question.get(key_question.pk, Agreement()),
            )
            for key_question in key_questions
        ],
        by_pair=[
            PairConsistency(first=first, second=second, agreement=agreement)
            for (first, second), agreement in sorted(by_pair.items())
        ],
        overall=overall,
        pending=statuses["pending"],
        submitted=statuses["submitted"],
        disagreements=disagreements(inspection=inspection),
    )
