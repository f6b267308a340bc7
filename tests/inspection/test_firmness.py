"""How firmly ratings hold, and how sure a sample is, against brute force and references.

Answers on one key question are interchangeable for its rating, so "every combination of
changed answers" is every vector of how many answers change on each key question.
"""

from fractions import Fraction

import pytest
from hypothesis import given, settings
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
STANDARDS = 7  # a /21 framework


@st.composite
def key_question(draw, max_relevant=12):
    relevant = draw(st.integers(min_value=1, max_value=max_relevant))
    yes = draw(st.integers(min_value=0, max_value=relevant))
    return yes, relevant


def results(pairs):
    return [
        KeyQuestionResult(code=f"2.4.{n}", yes=yes, relevant=relevant)
        for n, (yes, relevant) in enumerate(pairs, start=1)
    ]


def score(pairs):
    return ratings.rate_standard(results(pairs), KEY_QUESTION_BANDS).score


def changes_totalling(limits, total):
    """Every vector of changes (0..limit on each key question) that adds up to `total`."""
    if not limits:
        if total == 0:
            yield ()
        return
    for first in range(min(limits[0], total) + 1):
        for rest in changes_totalling(limits[1:], total - first):
            yield (first, *rest)


def fewest_changes(limits, works):
    """The smallest total change for which some vector works, with every such vector."""
    for total in range(sum(limits) + 1):
        found = [vector for vector in changes_totalling(limits, total) if works(vector)]
        if found:
            return total, found
    return None, []


def brute_holds_by(pairs):
    current = score(pairs)

    def lowered(vector):
        return score([(y - k, n) for (y, n), k in zip(pairs, vector)]) < current

    return fewest_changes([y for y, _ in pairs], lowered)


def brute_lift_by(pairs):
    current = score(pairs)

    def raised(vector):
        return score([(y + k, n) for (y, n), k in zip(pairs, vector)]) > current

    return fewest_changes([n - y for y, n in pairs], raised)


def codes(vector):
    return {f"2.4.{n}" for n, k in enumerate(vector, start=1) if k}


@settings(max_examples=300, deadline=None)  # brute force on a shared machine
@given(st.lists(key_question(), min_size=1, max_size=4))
def test_holds_by_is_the_fewest_yes_answers_that_would_lower_the_rating(pairs):
    margin = ratings.holds_by(results(pairs), KEY_QUESTION_BANDS)
    fewest, vectors = brute_holds_by(pairs)
    if fewest is None:  # already Inadequate: nothing lowers it
        assert score(pairs) == 0
        assert margin is None
        return
    assert margin.answers == fewest
    # The key questions named are exactly those where that many changes alone would do.
    alone = {code for vector in vectors if len(codes(vector)) == 1 for code in codes(vector)}
    assert set(margin.key_questions) == alone
    assert margin.band.score == score(pairs) - 1


@settings(max_examples=300, deadline=None)  # brute force on a shared machine
@given(st.lists(key_question(), min_size=1, max_size=4))
def test_lift_by_is_the_fewest_no_answers_that_would_raise_the_rating(pairs):
    margin = ratings.lift_by(results(pairs), KEY_QUESTION_BANDS)
    fewest, vectors = brute_lift_by(pairs)
    if fewest is None:  # already Outstanding
        assert score(pairs) == 3
        assert margin is None
        return
    assert margin.answers == fewest
    # Every cheapest way changes answers on exactly the key questions named.
    assert all(codes(vector) == set(margin.key_questions) for vector in vectors)
    assert margin.band.score == score(pairs) + 1


def test_unrated_standards_have_no_margin():
    pairs = [(5, 8), (0, 0)]
    assert ratings.holds_by(results(pairs), KEY_QUESTION_BANDS) is None
    assert ratings.lift_by(results(pairs), KEY_QUESTION_BANDS) is None
    assert ratings.holds_by([], KEY_QUESTION_BANDS) is None


def test_good_at_exactly_65_percent_holds_by_one_answer():
    # North Downs' Reviewing: 15 of 23 is 65.2%, Good; 14 of 23 is 60.9%.
    key_questions = [
        KeyQuestionResult("2.4.1", 20, 23),
        KeyQuestionResult("2.4.2", 17, 23),
        KeyQuestionResult("2.4.3", 15, 23),
    ]
    margin = ratings.holds_by(key_questions, KEY_QUESTION_BANDS)
    assert margin.answers == 1
    assert margin.key_questions == ("2.4.3",)
    assert margin.band.rating == ratings.REQUIRES_IMPROVEMENT
    lift = ratings.lift_by(key_questions, KEY_QUESTION_BANDS)
    # 80% of 23 needs 19 Yes (82.6%; 18 is 78.3%): 2 more on 2.4.2 and 4 on 2.4.3.
    assert (lift.answers, lift.key_questions) == (6, ("2.4.2", "2.4.3"))
    assert lift.band.rating == ratings.OUTSTANDING


def test_ties_name_every_key_question_that_would_lower_it_alone():
    key_questions = [KeyQuestionResult("2.2.1", 13, 20), KeyQuestionResult("2.2.2", 13, 20)]
    margin = ratings.holds_by(key_questions, KEY_QUESTION_BANDS)
    assert (margin.answers, margin.key_questions) == (1, ("2.2.1", "2.2.2"))


def test_inadequate_lifts_by_the_answers_all_its_key_questions_need():
    # West Sussex-like: 16 of 29 (55%) and 8 of 29 (28%); 50% of 29 needs 15 Yes (51.7%).
    key_questions = [KeyQuestionResult("2.1.1", 16, 29), KeyQuestionResult("2.1.2", 8, 29)]
    assert ratings.holds_by(key_questions, KEY_QUESTION_BANDS) is None
    lift = ratings.lift_by(key_questions, KEY_QUESTION_BANDS)
    assert (lift.answers, lift.key_questions) == (7, ("2.1.2",))


# Overall: a few case-rated standards, the rest of the seven recorded judgements.


@st.composite
def standard_sets(draw):
    case_rated = draw(
        st.lists(
            st.lists(key_question(max_relevant=5), min_size=1, max_size=2),
            min_size=1,
            max_size=3,
        ).filter(lambda standards: sum(len(pairs) for pairs in standards) <= 4)
    )
    judged = draw(
        st.lists(
            st.integers(0, 3),
            min_size=STANDARDS - len(case_rated),
            max_size=STANDARDS - len(case_rated),
        )
    )
    return case_rated, judged


def overall_rank(total):
    return ratings.band_for(total, OVERALL_BANDS).minimum


@settings(max_examples=300, deadline=None)  # brute force on a shared machine
@given(standard_sets())
def test_overall_holds_by_is_the_fewest_answers_that_would_lower_the_overall_rating(sets):
    case_rated, judged = sets
    flat = [pair for pairs in case_rated for pair in pairs]
    sizes = [len(pairs) for pairs in case_rated]

    def total(flat_pairs):
        scores, start = list(judged), 0
        for size in sizes:
            scores.append(score(flat_pairs[start : start + size]))
            start += size
        return ratings.rate_overall(scores, OVERALL_BANDS, maximum=21).score

    current = overall_rank(total(flat))

    def lowered(vector):
        return overall_rank(total([(y - k, n) for (y, n), k in zip(flat, vector)])) < current

    fewest, _ = fewest_changes([y for y, _ in flat], lowered)
    standards = [results(pairs) for pairs in case_rated] + judged
    assert ratings.overall_holds_by(standards, KEY_QUESTION_BANDS, OVERALL_BANDS) == fewest


def test_overall_holds_by_examples():
    good = [KeyQuestionResult("2.4.3", 15, 23)]  # Good, holds by 1; 4 more No: Inadequate
    # 2+2+2 + 2+2+2+3 = 15, Good from 11: losing 5 points takes two standards to
    # Inadequate (4 answers each) and one to Requires improvement (1 answer).
    standards = [good, good, good, 2, 2, 2, 3]
    assert ratings.overall_holds_by(standards, KEY_QUESTION_BANDS, OVERALL_BANDS) == 9
    # Domain one not yet recorded, or a standard unrated: no overall rating to hold.
    incomplete = [good, good, good, None, 2, 2, 3]
    assert ratings.overall_holds_by(incomplete, KEY_QUESTION_BANDS, OVERALL_BANDS) is None
    unrated = [[KeyQuestionResult("2.1.1", 0, 0)], good, good, 2, 2, 2, 3]
    assert ratings.overall_holds_by(unrated, KEY_QUESTION_BANDS, OVERALL_BANDS) is None
    # Judgements alone cannot be moved by answers.
    assert ratings.overall_holds_by([3] * 7, KEY_QUESTION_BANDS, OVERALL_BANDS) is None
    # Already in the lowest overall band (West Sussex, 02/21).
    lowest = [good, 0, 0, 0, 0, 0, 0]
    assert ratings.overall_holds_by(lowest, KEY_QUESTION_BANDS, OVERALL_BANDS) is None


# The Wilson score interval.

Z = Fraction("1.96")


def reference_wilson(yes, relevant):
    """Independently: the Wilson bounds are the roots of
    (n + z²)π² − (2y + z²)π + y²/n = 0, so a whole percentage L is the rounded lower bound
    exactly when the quadratic is non-negative at (L − ½)% and negative at (L + ½)% (and
    the mirror image for the upper bound). Exact rational arithmetic, no square root."""
    n, y = relevant, yes

    def f(pi):
        return (n + Z * Z) * pi * pi - (2 * y + Z * Z) * pi + Fraction(y * y, n)

    vertex = (2 * y + Z * Z) / (2 * (n + Z * Z))
    # Lower root r1 <= vertex: r1 >= t (for t <= vertex) exactly when f(t) >= 0.
    low = max(
        whole
        for whole in range(0, 101)
        if Fraction(2 * whole - 1, 200) <= vertex and f(Fraction(2 * whole - 1, 200)) >= 0
    )
    # Upper root r2 >= vertex: r2 < t (for t >= vertex) exactly when f(t) > 0.
    high = min(
        whole
        for whole in range(0, 101)
        if Fraction(2 * whole + 1, 200) >= vertex and f(Fraction(2 * whole + 1, 200)) > 0
    )
    return low, high


@settings(max_examples=500)
@given(key_question(max_relevant=500))
def test_wilson_interval_matches_an_exact_reference(pair):
    yes, relevant = pair
    interval = ratings.wilson_interval(yes, relevant)
    assert interval == reference_wilson(yes, relevant)
    low, high = interval
    assert low <= ratings.percent(yes, relevant) <= high


@pytest.mark.parametrize(
    ("yes", "relevant", "expected"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857, method 3 (score, no correction):
        (81, 263, (26, 37)),  # 0.2553 to 0.3662
        (15, 148, (6, 16)),  # 0.0624 to 0.1605
        (0, 20, (0, 16)),  # 0 to 0.1611
        (1, 29, (1, 17)),  # 0.0061 to 0.1718
        (15, 23, (45, 81)),  # North Downs' Reviewing 2.4.3: 0.4489 to 0.8119
        (29, 29, (88, 100)),  # 0.8830 to 1
    ],
)
def test_wilson_interval_published_values(yes, relevant, expected):
    assert ratings.wilson_interval(yes, relevant) == expected


def test_wilson_interval_needs_relevant_cases():
    assert ratings.wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        ratings.wilson_interval(3, 2)


def test_a_wider_z_gives_a_wider_interval():
    low95, high95 = ratings.wilson_interval(15, 23)
    low99, high99 = ratings.wilson_interval(15, 23, z=2.576)
    assert low99 < low95 and high95 < high99


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        ((66, 79), None),  # all Good
        ((64, 79), (ratings.REQUIRES_IMPROVEMENT, ratings.GOOD)),
        ((65, 80), (ratings.GOOD, ratings.OUTSTANDING)),
        ((45, 81), (ratings.INADEQUATE, ratings.OUTSTANDING)),  # lowest and highest ends
        ((0, 49), None),
        (None, None),
    ],
)
def test_spans_band_edge(interval, expected):
    assert ratings.spans_band_edge(interval, KEY_QUESTION_BANDS) == expected


@given(key_question(max_relevant=200))
def test_spans_band_edge_exactly_when_the_ends_rate_differently(pair):
    interval = ratings.wilson_interval(*pair)
    low, high = (ratings.band_for(end, KEY_QUESTION_BANDS).rating for end in interval)
    spanned = ratings.spans_band_edge(interval, KEY_QUESTION_BANDS)
    assert spanned == (None if low == high else (low, high))
