"""Server-rendered SVG bar charts of key-question percentages.

Only geometry is computed here; `templates/casereview/dashboards/_bar_chart.html` draws it with
SVG presentation attributes (the Content-Security-Policy blocks inline styles). Every
chart has a text alternative and sits beside the table holding the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inspection import ratings

WIDTH = 800
LABEL_WIDTH = 60  # the key question codes, left of the plot
VALUE_WIDTH = 150  # the "28% (8 of 29)" labels, right of the longest bar
PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH
TOP = 30  # room for the threshold labels
BAR_HEIGHT = 30
BAR_GAP = 14
BOTTOM = 8


@dataclass(frozen=True)
class Bar:
    code: str
    label: str  # the value written beside the bar
    y: int
    width: float
    is_driving: bool

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2 + 6

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + 8


@dataclass(frozen=True)
class Threshold:
    x: float
    percent: int
    label: str


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    bars: list[Bar]
    thresholds: list[Threshold]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    bar_height: int = BAR_HEIGHT
    top: int = TOP

    @property
    def plot_bottom(self) -> int:
        return self.height - BOTTOM

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.top


def _x(percent: int) -> float:
    return round(PLOT_WIDTH * percent / 100, 1)


def key_question_chart(
    *, chart_id: str, title: str, key_questions: Sequence, bands: Sequence[ratings.Band]
) -> BarChart:
    """Horizontal bars of each key question's % Yes, with a line at each band's floor.

    `key_questions` are `KeyQuestionFigures` (code, yes, relevant, percent, is_driving).
    """
    bars = []
    described = []
    for index, kq in enumerate(key_questions):
        value = kq.percent
        if value is None:
            label = "no cases"
            described.append(f"{kq.code} no relevant cases yet")
        else:
            label = f"{value}% ({kq.yes} of {kq.relevant})"
            lowest = ", the lowest" if kq.is_driving else ""
            described.append(f"{kq.code} {value}%{lowest}")
        bars.append(
            Bar(
                code=kq.code,
                label=label,
                y=TOP + index * (BAR_HEIGHT + BAR_GAP),
                width=_x(value or 0),
                is_driving=kq.is_driving,
            )
        )
    floors = sorted(band.minimum for band in bands if band.minimum > 0)
    thresholds = [
        Threshold(x=LABEL_WIDTH + _x(floor), percent=floor, label=f"{floor}%") for floor in floors
    ]
    if floors:
        listed = ", ".join(f"{floor}%" for floor in floors[:-1])
        listed = f"{listed} and {floors[-1]}%" if listed else f"{floors[-1]}%"
        described.append(f"band thresholds at {listed}")
    height = TOP + len(bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + BOTTOM
    return BarChart(
        chart_id=chart_id,
        title=title,
        description="; ".join(described) + ".",
        bars=bars,
        thresholds=thresholds,
        height=height,
    )
