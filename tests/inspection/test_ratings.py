"""The rating engine against the methodology: rounding, bands, standards, overall."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from inspection import ratings
from inspection.ratings import Band, KeyQuestionResult

KEY_QUESTION_BANDS = [
    Band(ratings.OUTSTANDING, 80, 3, "Large majority"),
    Band(ratings.GOOD, 65, 2, "Reasonable majority"),
    Band(ratings.REQUIRES_IMPROVEMENT, 50, 1, "Too few"),
    Band(ratings.INADEQUATE, 0, 0, "Minority"),
]
OVERALL_BANDS = [
    Band(ratings.OUTSTANDING, 18),
    Band(ratings.GOOD, 11),
    Band(ratings.REQUIRES_IMPROVEMENT, 4),
    Band(ratings.INADEQUATE, 0),
]
ORDER = [ratings.INADEQUATE, ratings.REQUIRES_IMPROVEMENT, ratings.GOOD, ratings.OUTSTANDING]


@st.composite
def counts(draw, max_relevant=2000):
    relevant = draw(st.integers(min_value=1, max_value=max_relevant))
    yes = draw(st.integers(min_value=0, max_value=relevant))
    return yes, relevant


def decimal_percent(yes: int, relevant: int) -> int:
    exact = Decimal(yes) * 100 / Decimal(relevant)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rating_of(yes: int, relevant: int) -> str:
    return ratings.band_for(ratings.percent(yes, relevant), KEY_QUESTION_BANDS).rating


@given(counts())
def test_percent_is_rounded_half_up_exactly(pair):
    yes, relevant = pair
    assert ratings.percent(yes, relevant) == decimal_percent(yes, relevant)


@pytest.mark.parametrize(
    ("yes", "relevant", "expected"),
    [
        (16, 29, 55),  # West Sussex 2.1.1
        (8, 29, 28),  # 27.59
        (1, 8, 13),  # 12.5 rounds up
        (129, 200, 65),  # 64.5 rounds up, not to even
        (99, 200, 50),  # 49.5
        (159, 200, 80),  # 79.5
        (0, 5, 0),
        (5, 5, 100),
    ],
)
def test_percent_examples(yes, relevant, expected):
    assert ratings.percent(yes, relevant) == expected


def test_percent_needs_relevant_cases_and_valid_counts():
    assert ratings.percent(0, 0) is None
    with pytest.raises(ValueError):
        ratings.percent(3, 2)
    with pytest.raises(ValueError):
        ratings.percent(-1, 2)


@pytest.mark.parametrize(
    ("yes", "relevant", "rating"),
    [
        (49, 100, ratings.INADEQUATE),
        (50, 100, ratings.REQUIRES_IMPROVEMENT),
        (64, 100, ratings.REQUIRES_IMPROVEMENT),
        (65, 100, ratings.GOOD),
        (79, 100, ratings.GOOD),
        (80, 100, ratings.OUTSTANDING),
        # The published (rounded) percentage decides, so a table never shows 65% beside
        # Requires improvement.
        (99, 200, ratings.REQUIRES_IMPROVEMENT),  # 49.5 -> 50
        (98, 200, ratings.INADEQUATE),  # 49.0
        (129, 200, ratings.GOOD),  # 64.5 -> 65
        (128, 200, ratings.REQUIRES_IMPROVEMENT),  # 64.0
        (159, 200, ratings.OUTSTANDING),  # 79.5 -> 80
        (158, 200, ratings.GOOD),  # 79.0
    ],
)
def test_band_boundaries_including_rounding(yes, relevant, rating):
    assert rating_of(yes, relevant) == rating


@given(counts(), st.data())
def test_band_never_falls_as_yes_answers_rise(pair, data):
    yes, relevant = pair
    more = data.draw(st.integers(min_value=yes, max_value=relevant))
    assert ORDER.index(rating_of(more, relevant)) >= ORDER.index(rating_of(yes, relevant))


@given(counts(max_relevant=300))
def test_next_band_gives_the_smallest_number_of_extra_yes_answers(pair):
    yes, relevant = pair
    current = rating_of(yes, relevant)
    result = ratings.next_band(yes, relevant, KEY_QUESTION_BANDS)
    if current == ratings.OUTSTANDING:
        assert result is None
        return
    assert result is not None
    assert result.band.rating == ORDER[ORDER.index(current) + 1]
    assert result.relevant == relevant
    # At least the next band (with very few cases one more Yes can jump further) ...
    reached = rating_of(yes + result.more_yes, relevant)
    assert ORDER.index(reached) >= ORDER.index(result.band.rating)
    # ... and one fewer would not do.
    assert rating_of(yes + result.more_yes - 1, relevant) == current


def test_next_band_examples():
    result = ratings.next_band(8, 29, KEY_QUESTION_BANDS)  # 28%: Inadequate
    assert (result.band.rating, result.more_yes) == (ratings.REQUIRES_IMPROVEMENT, 7)  # 15/29
    result = ratings.next_band(128, 200, KEY_QUESTION_BANDS)  # 64%: one more makes 64.5
    assert (result.band.rating, result.more_yes) == (ratings.GOOD, 1)
    assert ratings.next_band(0, 0, KEY_QUESTION_BANDS) is None


@given(st.lists(counts(max_relevant=60), min_size=1, max_size=5))
def test_standard_rating_is_the_band_of_the_lowest_percentage(pairs):
    results = [
        KeyQuestionResult(code=f"2.1.{n}", yes=yes, relevant=relevant)
        for n, (yes, relevant) in enumerate(pairs, start=1)
    ]
    standard = ratings.rate_standard(results, KEY_QUESTION_BANDS)
    lowest = min(result.percent for result in results)
    band = ratings.band_for(lowest, KEY_QUESTION_BANDS)
    assert (standard.rating, standard.score) == (band.rating, band.score)
    assert standard.driving.percent == lowest


def test_standard_has_no_rating_while_a_key_question_has_no_relevant_case():
    results = [KeyQuestionResult("2.4.1", 5, 5), KeyQuestionResult("2.4.2", 0, 0)]
    assert ratings.rate_standard(results, KEY_QUESTION_BANDS) == ratings.StandardResult(
        rating=None, score=None, driving=None
    )
    assert ratings.rate_standard([], KEY_QUESTION_BANDS).rating is None


def test_ties_are_driven_by_the_first_key_question_in_framework_order():
    results = [KeyQuestionResult("2.2.1", 13, 29), KeyQuestionResult("2.2.2", 13, 29)]
    assert ratings.rate_standard(results, KEY_QUESTION_BANDS).driving.code == "2.2.1"


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        (0, ratings.INADEQUATE),
        (2, ratings.INADEQUATE),  # West Sussex: 02/21
        (3, ratings.INADEQUATE),
        (4, ratings.REQUIRES_IMPROVEMENT),
        (10, ratings.REQUIRES_IMPROVEMENT),
        (11, ratings.GOOD),
        (17, ratings.GOOD),
        (18, ratings.OUTSTANDING),
        (21, ratings.OUTSTANDING),
    ],
)
def test_overall_bands(score, rating):
    scores = [3] * (score // 3) + ([score % 3] if score % 3 else [])
    scores += [0] * (7 - len(scores))
    result = ratings.rate_overall(scores, OVERALL_BANDS, maximum=21)
    assert (result.score, result.rating, result.complete) == (score, rating, True)


@given(st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=7, max_size=7))
def test_overall_is_complete_only_when_every_standard_is_rated(scores):
    result = ratings.rate_overall(scores, OVERALL_BANDS, maximum=21)
    assert result.score == sum(score for score in scores if score is not None)
    assert result.complete == (None not in scores)
    assume(None in scores)
    assert result.rating is None


def test_score_is_printed_as_published():
    assert ratings.format_score(2, 21) == "02/21"
    assert ratings.format_score(14, 21) == "14/21"
