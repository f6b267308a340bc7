"""The one rating of a framework from counts: pure, plain data in, ratings out."""

from inspection import framework_rating as fr
from inspection import ratings
from inspection.models import Basis

BANDS = [
    ratings.Band(ratings.OUTSTANDING, 80, 3),
    ratings.Band(ratings.GOOD, 65, 2),
    ratings.Band(ratings.REQUIRES_IMPROVEMENT, 50, 1),
    ratings.Band(ratings.INADEQUATE, 0, 0),
]
OVERALL = [
    ratings.Band(ratings.OUTSTANDING, 5, 0),
    ratings.Band(ratings.GOOD, 3, 0),
    ratings.Band(ratings.REQUIRES_IMPROVEMENT, 1, 0),
    ratings.Band(ratings.INADEQUATE, 0, 0),
]
LEADERSHIP = fr.StandardRule(1, "1.1", "Leadership", 1, fr.JUDGEMENT)
ASSESSMENT = fr.StandardRule(
    2,
    "2.1",
    "Assessment",
    2,
    fr.CASES,
    (fr.KeyQuestionRule(10, "2.1.1", "A?"), fr.KeyQuestionRule(11, "2.1.2", "B?")),
)
OUTCOMES = fr.StandardRule(
    3, "3.1", "Outcomes", 3, fr.REPORTED, (fr.KeyQuestionRule(12, "3.1.1", "C?"),)
)
RULES = fr.FrameworkRules([LEADERSHIP, ASSESSMENT, OUTCOMES], BANDS, OVERALL)


def test_the_basis_values_are_the_models():
    assert {fr.CASES, fr.JUDGEMENT, fr.REPORTED} == set(Basis.values)


def test_a_case_standard_takes_the_band_of_its_lowest_key_question_and_judgements_score():
    counts = {10: fr.Counts(yes=9, no=1), 11: fr.Counts(yes=6, no=4), 12: fr.Counts(yes=1)}

    result = fr.rate_framework(RULES, counts, {1: ratings.GOOD})

    leadership, assessment, outcomes = result.standards
    assert (leadership.rating, leadership.score) == (ratings.GOOD, 2)
    assert (assessment.rating, assessment.score, assessment.driving) == (
        ratings.REQUIRES_IMPROVEMENT,
        1,
        "2.1.2",
    )
    assert assessment.next_bands["2.1.2"].more_yes == 1  # 7 of 10 reaches Good
    assert outcomes.rating is None
    assert (result.overall.score, result.overall.maximum, result.overall.rating) == (
        3,
        6,
        ratings.GOOD,
    )


def test_without_judgements_a_region_leaves_domain_one_unrated_and_no_overall():
    counts = {10: fr.Counts(yes=9, no=1), 11: fr.Counts(yes=9, no=1)}

    result = fr.rate_framework(RULES, counts, None)

    assert result.standards[0].rating is None
    assert result.standards[1].rating == ratings.OUTSTANDING
    assert not result.overall.complete and result.overall.rating is None


def test_a_key_question_without_relevant_cases_leaves_its_standard_unrated():
    result = fr.rate_framework(RULES, {10: fr.Counts(yes=3)}, {1: ratings.GOOD})

    assert result.standards[1].rating is None and result.standards[1].driving is None


def test_the_case_rated_key_questions_are_those_of_standards_rated_from_cases():
    assert RULES.key_question_ids == [10, 11, 12]
    assert RULES.case_rated_key_question_ids == [10, 11]  # not the outcomes' 12
