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
VALUE_WIDTH = 160  # the "28% (8 of 29)" labels, right of the longest bar
PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH
TOP = 30  # room for the threshold labels
BAR_HEIGHT = 30
BAR_GAP = 14
BOTTOM = 8
VALUE_GAP = 8  # between a bar's end and its label
LINE_CLEARANCE = 6  # between a label (and its white halo) and a band line

# How wide the value labels are: each character's advance in the chart's 17 px bold GDS
# Transport (measured in Chromium, the widest of regular and bold, rounded up; Arial,
# the fallback, is narrower), and a margin on top.
ADVANCE = {
    **dict(zip("0123456789", (11, 6.5, 10.5, 10.6, 11, 10.4, 10.7, 9.3, 10.8, 10.7), strict=True)),
    "%": 13.9,
    "(": 6.8,
    ")": 6.8,
    " ": 4.8,
    "f": 6.1,
}
WIDEST = 11.0  # any other character
MARGIN = 1.05


def label_width(label: str) -> float:
    """At least the width the label takes when drawn."""
    return round(sum(ADVANCE.get(char, WIDEST) for char in label) * MARGIN, 1)


def crosses(start: float, width: float, lines: Sequence[float]) -> bool:
    """Whether a label from `start`, `width` wide, would touch any of the band lines."""
    return any(start - LINE_CLEARANCE < line < start + width + LINE_CLEARANCE for line in lines)


def place_label(bar_end: float, width: float, lines: Sequence[float]) -> tuple[float, bool]:
    """Where a value label starts, and whether it is inside its bar, so that no band line
    crosses a figure: right of the bar's end; or, when a line is in the way there, inside
    the bar's end, where the bar covers the lines (drawn first); or, for a bar too short
    to hold it, right of the bar and past the lines in the way (lines in increasing order).
    """
    outside = bar_end + VALUE_GAP
    if not crosses(outside, width, lines):
        return outside, False
    inside = bar_end - VALUE_GAP - width
    if inside >= LABEL_WIDTH + VALUE_GAP:
        return inside, True
    for line in lines:
        if crosses(outside, width, [line]):
            outside = line + LINE_CLEARANCE
    return outside, False


@dataclass(frozen=True)
class Bar:
    code: str
    label: str  # the value written beside the bar
    y: int
    width: float
    is_driving: bool
    value_x: float  # where the label starts (place_label)
    value_width: float  # at least the label's drawn width (label_width)
    value_inside: bool  # drawn in white over the bar's end

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2 + 6


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
    floors = sorted(band.minimum for band in bands if band.minimum > 0)
    lines = [LABEL_WIDTH + _x(floor) for floor in floors]
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
        width = _x(value or 0)
        value_width = label_width(label)
        value_x, value_inside = place_label(LABEL_WIDTH + width, value_width, lines)
        bars.append(
            Bar(
                code=kq.code,
                label=label,
                y=TOP + index * (BAR_HEIGHT + BAR_GAP),
                width=width,
                is_driving=kq.is_driving,
                value_x=value_x,
                value_width=value_width,
                value_inside=value_inside,
            )
        )
    thresholds = [
        Threshold(x=x, percent=floor, label=f"{floor}%")
        for floor, x in zip(floors, lines, strict=True)
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
