"""The sentences that explain a rating, and the chart geometry: pure functions."""

import pytest

from casereview.dashboards.charts import LABEL_WIDTH, PLOT_WIDTH, key_question_chart
from casereview.dashboards.explanations import (
    band_edge_sentence,
    band_range,
    holds_sentence,
    interval_words,
    next_band_sentence,
    rating_explanation,
    standard_next_step,
)
from casereview.dashboards.summary import KeyQuestionFigures, StandardSummary
from inspection import ratings

BANDS = [
    ratings.Band(ratings.OUTSTANDING, 80, 3),
    ratings.Band(ratings.GOOD, 65, 2),
    ratings.Band(ratings.REQUIRES_IMPROVEMENT, 50, 1),
    ratings.Band(ratings.INADEQUATE, 0, 0),
]


def standard(*counts):
    """A rated standard from (yes, no) pairs, as the summary selector would rate it."""
    figures = [
        KeyQuestionFigures(code=f"2.1.{i}", text="", lens="", yes=y, no=n, not_applicable=0)
        for i, (y, n) in enumerate(counts, start=1)
    ]
    summary = StandardSummary(code="2.1", title="Assessment", domain=2, basis="cases")
    summary.key_questions = figures
    result = ratings.rate_standard([f.as_result() for f in figures], BANDS)
    summary.rating, summary.score = result.rating, result.score
    for kq in figures:
        kq.next_band = ratings.next_band(kq.yes, kq.relevant, BANDS)
        if result.driving and kq.code == result.driving.code:
            kq.is_driving, summary.driving = True, kq
    return summary


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        (ratings.INADEQUATE, "below 50%"),
        (ratings.REQUIRES_IMPROVEMENT, "between 50% and 64%"),
        (ratings.GOOD, "between 65% and 79%"),
        (ratings.OUTSTANDING, "80% or more"),
    ],
)
def test_band_range_follows_the_bands_data(rating, expected):
    band = next(b for b in BANDS if b.rating == rating)
    assert band_range(band, BANDS) == expected


def test_bands_with_other_thresholds_give_other_sentences():
    bands = [ratings.Band(ratings.GOOD, 60, 2), ratings.Band(ratings.INADEQUATE, 0, 0)]
    summary = standard((5, 5))
    assert (
        rating_explanation(summary, bands)
        == "Inadequate: the lowest key question, 50%, is below 60%."
    )


def test_explanations_name_the_band_of_the_lowest_key_question():
    assert (
        rating_explanation(standard((16, 13), (13, 16), (8, 21)), BANDS)
        == "Inadequate: the lowest key question, 28%, is below 50%."
    )
    assert (
        rating_explanation(standard((9, 1), (7, 3)), BANDS)
        == "Good: the lowest key question, 70%, is between 65% and 79%."
    )
    assert (
        rating_explanation(standard((9, 1), (8, 2)), BANDS)
        == "Outstanding: the lowest key question, 80%, is 80% or more."
    )


def test_a_standard_waiting_for_answers_says_which_key_questions():
    assert rating_explanation(standard((3, 1), (0, 0)), BANDS) == (
        "Not yet rated: no submitted case has a Yes or No answer on key question 2.1.2."
    )


def test_next_band_sentences_count_the_yes_answers_still_needed():
    summary = standard((16, 13), (13, 16), (8, 21), (29, 0))
    sentences = [next_band_sentence(kq) for kq in summary.key_questions]
    assert sentences == [
        "3 more Yes answers of 29 would reach Good",
        "2 more Yes answers of 29 would reach Requires improvement",
        "7 more Yes answers of 29 would reach Requires improvement",
        "In the top band",
    ]
    assert next_band_sentence(standard((0, 0)).key_questions[0]) == (
        "No relevant submitted cases yet"
    )
    assert next_band_sentence(standard((12, 8)).key_questions[0]) == (
        "1 more Yes answer of 20 would reach Good"
    )


def test_the_standard_moves_up_only_when_every_low_key_question_does():
    step = standard_next_step(standard((16, 13), (13, 16), (8, 21)), BANDS)
    assert step.band.rating == ratings.REQUIRES_IMPROVEMENT
    assert step.needs == [("2.1.2", 2), ("2.1.3", 7)]
    assert step.sentence == (
        "Inadequate lifts by 9 answers: to reach Requires improvement, 2.1.2 needs 2 more "
        "Yes answers and 2.1.3 needs 7 more Yes answers."
    )
    assert standard_next_step(standard((9, 1), (8, 2)), BANDS) is None  # already the top
    assert standard_next_step(standard((3, 1), (0, 0)), BANDS) is None  # not rated


def test_chart_bars_scale_to_the_plot_and_thresholds_sit_at_the_band_floors():
    summary = standard((16, 13), (13, 16), (8, 21))
    chart = key_question_chart(
        chart_id="c", title="t", key_questions=summary.key_questions, bands=BANDS
    )
    assert [bar.width for bar in chart.bars] == [
        round(PLOT_WIDTH * p / 100, 1) for p in (55, 45, 28)
    ]
    assert [bar.is_driving for bar in chart.bars] == [False, False, True]
    assert [bar.label for bar in chart.bars] == [
        "55% (16 of 29)",
        "45% (13 of 29)",
        "28% (8 of 29)",
    ]
    assert [(t.percent, t.x) for t in chart.thresholds] == [
        (p, LABEL_WIDTH + round(PLOT_WIDTH * p / 100, 1)) for p in (50, 65, 80)
    ]
    assert chart.description == (
        "2.1.1 55%; 2.1.2 45%; 2.1.3 28%, the lowest; band thresholds at 50%, 65% and 80%."
    )
    assert chart.bars[1].y - chart.bars[0].y == chart.bars[2].y - chart.bars[1].y > 0
    assert chart.plot_bottom == chart.height - 8 and chart.height > chart.bars[-1].y


def test_a_key_question_without_cases_draws_an_empty_bar():
    chart = key_question_chart(
        chart_id="c", title="t", key_questions=standard((0, 0)).key_questions, bands=BANDS
    )
    assert (chart.bars[0].width, chart.bars[0].label) == (0, "no cases")
    assert chart.description.startswith("2.1.1 no relevant cases yet;")


def test_the_next_step_counts_the_answers_the_engine_says_the_standard_lifts_by():
    for counts in [((16, 13), (13, 16), (8, 21)), ((15, 8), (20, 3)), ((1, 1), (3, 0))]:
        summary = standard(*counts)
        margin = ratings.lift_by([kq.as_result() for kq in summary.key_questions], BANDS)
        step = standard_next_step(summary, BANDS)
        assert (step.answers, step.band) == (margin.answers, margin.band)
        assert [code for code, _ in step.needs] == list(margin.key_questions)


def test_holds_sentence_names_the_key_questions_one_more_no_would_lower():
    summary = standard((15, 8), (20, 3))  # Good at exactly 65%
    summary.holds_by = ratings.holds_by([kq.as_result() for kq in summary.key_questions], BANDS)
    assert holds_sentence(summary) == (
        "Good holds by 1 answer: one more No on 2.1.1 would make it Requires improvement."
    )
    summary = standard((9, 1), (9, 1))  # Outstanding at 90% on both
    summary.holds_by = ratings.holds_by([kq.as_result() for kq in summary.key_questions], BANDS)
    assert holds_sentence(summary) == (
        "Outstanding holds by 2 answers: 2 more No answers on 2.1.1 or 2.1.2 would make it Good."
    )
    summary.suppressed = True
    assert holds_sentence(summary) is None


def test_band_edge_sentence_only_where_the_interval_straddles_a_band():
    wide = KeyQuestionFigures(code="2.4.3", text="", lens="", yes=15, no=8, not_applicable=0)
    assert band_edge_sentence(wide, BANDS).startswith("The sample cannot settle whether 2.4.3 is")
    narrow = KeyQuestionFigures(code="2.4.3", text="", lens="", yes=990, no=10, not_applicable=0)
    assert band_edge_sentence(narrow, BANDS) is None
    assert interval_words(narrow) == "98% to 99%"
