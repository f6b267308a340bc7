"""No band line crosses a chart's value label: every label box against every line it could
meet, for every percentage a key question can have."""

import pytest

from casereview.dashboards.charts import (
    LABEL_WIDTH,
    WIDTH,
    key_question_chart,
    label_width,
)
from casereview.dashboards.summary import KeyQuestionFigures
from inspection import ratings

# A line is 2 px wide; a label outside a bar has a white halo 5 px wide (2.5 px each side).
LINE_HALF = 1
HALO = 2.5

BAND_SETS = {
    # The frameworks' own (probation 2023 and youth 2021 share 80, 65 and 50).
    "published": (80, 65, 50),
    # Floors a framework could be given, close together and low, so that short bars meet
    # lines too.
    "low": (30, 20, 10),
    "tight": (55, 52, 49),
    "one": (50,),
}


def bands(floors):
    names = [ratings.OUTSTANDING, ratings.GOOD, ratings.REQUIRES_IMPROVEMENT]
    return [ratings.Band(name, floor) for name, floor in zip(names, floors, strict=False)] + [
        ratings.Band(ratings.INADEQUATE, 0)
    ]


def every_figure():
    """One key question for each (yes, relevant) up to 120 relevant cases (labels from
    "0% (0 of 1)" to "100% (120 of 120)"), and one without cases."""
    yield KeyQuestionFigures(code="2.1.1", text="", lens="", yes=0, no=0, not_applicable=0)
    for relevant in range(1, 121):
        for yes in range(relevant + 1):
            yield KeyQuestionFigures(
                code="2.1.1", text="", lens="", yes=yes, no=relevant - yes, not_applicable=0
            )


def label_problems(chart):
    problems = []
    for bar in chart.bars:
        bar_end = LABEL_WIDTH + bar.width
        start, end = bar.value_x, bar.value_x + bar.value_width
        if start < 0 or end > chart.width:
            problems.append((bar.label, "outside the chart"))
        if bar.value_inside:
            # White over the bar, which covers the lines: it must stay on the bar.
            if start < LABEL_WIDTH or end > bar_end:
                problems.append((bar.label, "off its bar"))
            continue
        if start < bar_end:
            problems.append((bar.label, "over its bar"))
        for threshold in chart.thresholds:
            visible = threshold.x + LINE_HALF > bar_end  # a line under the bar is hidden
            if visible and start - HALO - LINE_HALF < threshold.x < end + HALO + LINE_HALF:
                problems.append((bar.label, f"crossed by the {threshold.label} line"))
    return problems


@pytest.mark.parametrize("floors", BAND_SETS.values(), ids=BAND_SETS.keys())
def test_no_band_line_crosses_any_value_label(floors):
    figures = list(every_figure())
    chart = key_question_chart(chart_id="c", title="t", key_questions=figures, bands=bands(floors))
    assert len(chart.bars) == len(figures) == 1 + sum(range(2, 122))
    problems = label_problems(chart)
    assert problems == [], problems[:10]


def test_labels_stay_beside_their_bars_where_no_line_is_in_the_way():
    chart = key_question_chart(
        chart_id="c",
        title="t",
        key_questions=[
            KeyQuestionFigures(code="a", text="", lens="", yes=y, no=n, not_applicable=0)
            for y, n in ((6, 24), (17, 3), (49, 51), (100, 0))
        ],
        bands=bands((80, 65, 50)),
    )
    low, middle, below_a_line, full = chart.bars
    assert not low.value_inside and low.value_x == LABEL_WIDTH + low.width + 8  # 20%
    assert not middle.value_inside  # 85%: right of its bar, past the last line
    assert below_a_line.value_inside  # 49%: the 50% line is just past its end
    assert not full.value_inside and full.value_x + full.value_width <= WIDTH


@pytest.mark.parametrize(
    ("label", "drawn"),
    # Widths measured in Chromium, 17 px bold GDS Transport (the widest the chart draws).
    [("100% (29 of 29)", 121.92), ("100% (100 of 100)", 136.08), ("no cases", 66.03)],
)
def test_a_label_is_given_at_least_its_drawn_width(label, drawn):
    assert label_width(label) >= drawn
