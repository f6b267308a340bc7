"""Which cases decide a rating: the ones to moderate (and double mark) first.

A case decides a standard's rating when it gave one of the few answers the rating rests
on: a Yes on a key question whose standard holds by `DECIDING_ANSWERS` or fewer (one such
Yes judged wrongly and the rating falls), or a No on a key question the standard would
lift by `DECIDING_ANSWERS` or fewer. Read from the lead's own live summary, so the list
agrees with the dashboard; a fixed number of queries whatever the number of cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from casereview.dashboards.summary import (
    DECIDING_ANSWERS,
    countable_cases,
    inspection_summary,
)
from casereview.models import COUNTED_STATUSES, Answer, KeyQuestionAnswer
from inspection.models import Basis, Inspection

__all__ = ["DECIDING_ANSWERS", "Decides", "deciding_cases"]


@dataclass(frozen=True)
class Decides:
    """One standard a case's answers decide, and the answers that do."""

    standard: str  # its code
    title: str
    answer: str  # "yes": the rating holds by them; "no": it would lift by them
    key_questions: tuple[str, ...]
    answers: int  # what the rating holds or would lift by

    @property
    def sentence(self) -> str:
        """ "2.4 Reviewing: its Yes on 2.4.3 (the rating holds by 1 answer)" """
        label = Answer(self.answer).label
        codes = " and ".join(self.key_questions)
        plural = "answer" if self.answers == 1 else "answers"
        how = "holds" if self.answer == Answer.YES else "would lift"
        return (
            f"{self.standard} {self.title}: its {label} on {codes} "
            f"(the rating {how} by {self.answers} {plural})"
        )


def deciding_cases(*, inspection: Inspection, user) -> dict[int, list[Decides]]:
    """Case id -> the standards its answers decide, in framework order."""
    cases = countable_cases(user=user, inspection=inspection)
    summary = inspection_summary(inspection=inspection, cases=cases)
    # (key question code, answer) -> the standard it decides and what it holds/lifts by
    wanted: dict[tuple[str, str], tuple] = {}
    for standard in summary.standards:
        if standard.basis != Basis.CASES:
            continue
        for answer, codes in standard.deciding.items():
            margin = standard.holds_by if answer == Answer.YES else standard.lift_by
            if margin is None:  # `deciding` names only answers with a margin
                continue
            for code in codes:
                wanted[code, answer] = (standard, margin.answers)
    # One query, also when nothing decides (it then matches no answer), so the page's
    # query count never depends on the figures.
    deciding_answers = Q(answer="")
    for code, answer in wanted:
        deciding_answers |= Q(key_question__code=code, answer=answer)
    rows = (
        KeyQuestionAnswer.objects.filter(
            deciding_answers, case__in=cases.filter(status__in=COUNTED_STATUSES)
        )
        .order_by()
        .values_list("case_id", "key_question__code", "answer")
    )
    found: dict[int, dict[tuple[str, str], list[str]]] = {}
    for case_id, code, answer in rows:
        standard, _ = wanted[code, answer]
        found.setdefault(case_id, {}).setdefault((standard.code, answer), []).append(code)
    order = {standard.code: i for i, standard in enumerate(summary.standards)}
    by_code = {standard.code: standard for standard in summary.standards}
    result = {}
    for case_id, decided in found.items():
        result[case_id] = [
            Decides(
                standard=code,
                title=by_code[code].title,
                answer=answer,
                key_questions=tuple(sorted(codes)),
                answers=wanted[codes[0], answer][1],
            )
            for (code, answer), codes in sorted(decided.items(), key=lambda item: order[item[0][0]])
        ]
    return result
