"""Test data for the dashboards: the published West Sussex figures, and answered cases.

`published_cases` builds 29 submitted cases whose answers give exactly the report's
twelve percentages, so a dashboard test can compare against the published page; they
are written by the generator's bulk writer (`dataset.write_cases`), as generated data is.
"""

from __future__ import annotations

from casereview.models import (
    Answer,
    Case,
    CaseStatus,
    Gender,
    KeyQuestionAnswer,
    Oversight,
    RiskOfSeriousHarm,
)
from dataset import write_cases
from inspection.models import DomainOneRating, KeyQuestion, Rating, Standard
from tests.published import YES as PUBLISHED_YES

# Outcomes: (yes, not applicable) of 29; enforcement was needed in 17 cases, taken in 10.
PUBLISHED_OUTCOMES = {"2.5.1": (9, 0), "2.5.2": (8, 0), "2.5.3": (18, 0), "2.5.4": (10, 12)}
DOMAIN_ONE = {
    "1.1": Rating.INADEQUATE,
    "1.2": Rating.REQUIRES_IMPROVEMENT,
    "1.3": Rating.REQUIRES_IMPROVEMENT,
}


def key_questions(inspection) -> dict[str, KeyQuestion]:
    return {
        kq.code: kq
        for kq in KeyQuestion.objects.filter(standard__framework_id=inspection.framework_id)
    }


def published_cases(inspection, *, inspector=None, rate_domain_one=True) -> list[Case]:
    """29 submitted cases: 18 community and 11 licence; 8 high, 18 medium and 3 low risk;
    4 women; management oversight absent or ineffective in 26 of 29 (90%)."""
    cases = []
    for number in range(29):
        if number < 3:
            oversight = Oversight.EFFECTIVE
        elif number < 17:
            oversight = Oversight.INEFFECTIVE
        else:
            oversight = Oversight.ABSENT
        cases.append(
            Case(
                inspection=inspection,
                reference=f"WS{number + 1:03d}",
                case_type="community" if number < 18 else "licence",
                rosh=(
                    RiskOfSeriousHarm.HIGH
                    if number < 8
                    else RiskOfSeriousHarm.MEDIUM
                    if number < 26
                    else RiskOfSeriousHarm.LOW
                ),
                gender=Gender.FEMALE if number in (3, 10, 20, 27) else Gender.MALE,
                office="Crawley" if number % 2 else "Worthing",
                practitioner_grade="PO" if number % 3 else "PSO",
                inspector=inspector,
                status=CaseStatus.SUBMITTED,
                version=1,
                oversight=oversight,
            )
        )
    by_code = key_questions(inspection)
    answers: list[list[KeyQuestionAnswer]] = [[] for _ in cases]
    for code, yes in PUBLISHED_YES.items():
        for index in range(len(cases)):
            # Spread the Yes answers so that breakdowns are not all-or-nothing.
            position = (index * 7) % 29
            answer = Answer.YES if position < yes else Answer.NO
            answers[index].append(
                KeyQuestionAnswer(key_question=by_code[code], answer=answer, note=f"{code} note")
            )
    for code, (yes, not_applicable) in PUBLISHED_OUTCOMES.items():
        for index in range(len(cases)):
            if index < not_applicable:
                answer = Answer.NOT_APPLICABLE
            elif index < not_applicable + yes:
                answer = Answer.YES
            else:
                answer = Answer.NO
            answers[index].append(KeyQuestionAnswer(key_question=by_code[code], answer=answer))
    cases = write_cases(
        [(case, {"key_questions": own}) for case, own in zip(cases, answers, strict=True)]
    )
    if rate_domain_one:
        standards = {
            standard.code: standard
            for standard in Standard.objects.filter(framework_id=inspection.framework_id)
        }
        DomainOneRating.objects.bulk_create(
            DomainOneRating(inspection=inspection, standard=standards[code], rating=rating)
            for code, rating in DOMAIN_ONE.items()
        )
    return cases


def answer(case, code: str, value: str, note: str = "") -> KeyQuestionAnswer:
    key_question = KeyQuestion.objects.get(
        standard__framework_id=case.inspection.framework_id, code=code
    )
    return KeyQuestionAnswer.objects.create(
        case=case, key_question=key_question, answer=value, note=note
    )
