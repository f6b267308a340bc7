"""The rating engine: pure functions over counts and bands, no database.

The methodology: a key question's percentage is Yes / (Yes + No), published as a
whole number rounded half up; a domain-two standard's rating is the band of its lowest
key-question percentage; each rating scores 3/2/1/0 and the seven scores add up to an
overall score whose band is the overall rating. Bands are data (from the framework),
passed in, never constants here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

OUTSTANDING = "outstanding"
GOOD = "good"
REQUIRES_IMPROVEMENT = "requires_improvement"
INADEQUATE = "inadequate"

RATING_LABELS = {
    OUTSTANDING: "Outstanding",
    GOOD: "Good",
    REQUIRES_IMPROVEMENT: "Requires improvement",
    INADEQUATE: "Inadequate",
}


@dataclass(frozen=True)
class Band:
    """A rating band: percentages (or scores) from `minimum` upwards earn `rating`."""

    rating: str
    minimum: int
    score: int = 0
    descriptor: str = ""

    @property
    def label(self) -> str:
        return RATING_LABELS.get(self.rating, self.rating)


@dataclass(frozen=True)
class KeyQuestionResult:
    code: str
    yes: int
    relevant: int

    @property
    def percent(self) -> int | None:
        return percent(self.yes, self.relevant)


@dataclass(frozen=True)
class StandardResult:
    rating: str | None
    score: int | None
    driving: KeyQuestionResult | None  # the lowest key question, which sets the rating


@dataclass(frozen=True)
class NextBand:
    band: Band
    more_yes: int  # how many of the current No answers would have to become Yes
    relevant: int


@dataclass(frozen=True)
class OverallResult:
    score: int
    maximum: int
    rating: str | None
    complete: bool
    withheld: bool = False  # not shown: a filtered subset, or too few cases for the reader


def percent(yes: int, relevant: int) -> int | None:
    """Yes as a whole percentage of relevant cases, rounded half up (exact integers)."""
    if relevant <= 0:
        return None
    if not 0 <= yes <= relevant:
        raise ValueError(f"yes ({yes}) must be between 0 and relevant ({relevant})")
    return (200 * yes + relevant) // (2 * relevant)


def _descending(bands: Iterable[Band]) -> list[Band]:
    ordered = sorted(bands, key=lambda band: band.minimum, reverse=True)
    if not ordered:
        raise ValueError("no rating bands given")
    return ordered


def band_for(value: int, bands: Iterable[Band]) -> Band:
    """The band that a whole percentage (or score) falls in."""
    for band in _descending(bands):
        if value >= band.minimum:
            return band
    raise ValueError(f"{value} is below every band")


def rate_standard(results: Sequence[KeyQuestionResult], bands: Iterable[Band]) -> StandardResult:
    """Rate a standard by its lowest key question; no rating while any has no relevant case."""
    if not results or any(result.relevant == 0 for result in results):
        return StandardResult(rating=None, score=None, driving=None)
    # Compare the published whole percentage, so a table never shows 65% beside
    # Requires improvement. Ties go to the first key question in framework order.
    driving = min(results, key=lambda result: result.percent)
    band = band_for(driving.percent, bands)
    return StandardResult(rating=band.rating, score=band.score, driving=driving)


def next_band(yes: int, relevant: int, bands: Iterable[Band]) -> NextBand | None:
    """How many more Yes answers, of the current relevant cases, reach the next band up.

    None when the percentage is already in the top band or cannot be computed.
    """
    current = percent(yes, relevant)
    if current is None:
        return None
    ordered = _descending(bands)
    higher = [band for band in ordered if band.minimum > current]
    if not higher:
        return None
    target = higher[-1]  # the lowest band above the current percentage
    for more in range(1, relevant - yes + 1):
        if percent(yes + more, relevant) >= target.minimum:
            return NextBand(band=target, more_yes=more, relevant=relevant)
    return None


def rate_overall(
    scores: Sequence[int | None], overall_bands: Iterable[Band], maximum: int
) -> OverallResult:
    """Sum the standards' scores; the overall rating only once every standard is rated."""
    total = sum(score for score in scores if score is not None)
    complete = bool(scores) and all(score is not None for score in scores)
    rating = band_for(total, overall_bands).rating if complete else None
    return OverallResult(score=total, maximum=maximum, rating=rating, complete=complete)


def format_score(score: int, maximum: int) -> str:
    """The published form of a score: 02/21."""
    return f"{score:02d}/{maximum}"
