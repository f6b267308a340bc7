"""The rating engine: pure functions over counts and bands, no database.

The methodology: a key question's percentage is Yes / (Yes + No), published as a
whole number rounded half up; a domain-two standard's rating is the band of its lowest
key-question percentage; each rating scores 3/2/1/0 and the seven scores add up to an
overall score whose band is the overall rating. Bands are data (from the framework),
passed in, never constants here. The same rules say how firmly each rating holds: how
many answers it rests on, and how sure a sample of that size can be.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

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
    holds_by: int | None = None  # see `overall_holds_by`; set where the rating is complete


def round_half_up(value: int | Fraction | Decimal) -> int:
    """The nearest whole number, halves rounded up (never to even), computed exactly."""
    return math.floor(Fraction(value) + Fraction(1, 2))


def percent(yes: int, relevant: int) -> int | None:
    """Yes as a whole percentage of relevant cases, rounded half up (exact integers)."""
    if relevant <= 0:
        return None
    return whole_percent(yes, relevant)


def whole_percent(yes: int, relevant: int) -> int:
    """`percent` where the caller already knows there is a relevant case."""
    if not 0 <= yes <= relevant:
        raise ValueError(f"yes ({yes}) must be between 0 and relevant ({relevant})")
    # floor(100 * yes / relevant + 1/2), in integers: exact, and cheap for large samples.
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
    driving = min(results, key=lambda result: whole_percent(result.yes, result.relevant))
    band = band_for(whole_percent(driving.yes, driving.relevant), bands)
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
    more = _more_yes_to_reach(yes, relevant, target.minimum)
    return None if more is None else NextBand(band=target, more_yes=more, relevant=relevant)


def _fewest_yes_for(relevant: int, minimum: int) -> int:
    """The fewest Yes answers of `relevant` whose percentage, rounded half up, reaches
    `minimum`: percent(y) >= minimum exactly when 200 * y >= (2 * minimum - 1) * relevant.
    Worked out in closed form, so a set of 10,000 cases costs no more than one of 30."""
    return -(-(2 * minimum - 1) * relevant // 200)  # the ceiling, in integers


def _more_yes_to_reach(yes: int, relevant: int, minimum: int) -> int | None:
    """The fewest No answers that, made Yes, bring the percentage to `minimum` or above."""
    more = max(0, _fewest_yes_for(relevant, minimum) - yes)
    return more if more <= relevant - yes else None


def _more_no_to_fall_below(yes: int, relevant: int, minimum: int) -> int | None:
    """The fewest Yes answers that, made No, bring the percentage below `minimum`."""
    fewer = max(0, yes - _fewest_yes_for(relevant, minimum) + 1)
    return fewer if fewer <= yes else None


def _position(ordered: list[Band], rating: str) -> int:
    """Where a rating stands among the bands, highest first."""
    return next(i for i, band in enumerate(ordered) if band.rating == rating)


@dataclass(frozen=True)
class Margin:
    """How many counted answers a standard's rating rests on, and on which key questions.

    `band` is the neighbouring band the change reaches: the one below for `holds_by`, the
    one above for `lift_by` (with very few relevant cases the change can go further).
    """

    answers: int
    band: Band
    # holds_by: each of these key questions alone would do it with `answers` more No;
    # lift_by: every one of these must gain Yes answers, `answers` in all.
    key_questions: tuple[str, ...]


def holds_by(key_questions: Sequence[KeyQuestionResult], bands: Iterable[Band]) -> Margin | None:
    """How firmly a case-rated standard's rating holds: the fewest counted answers that,
    changed from Yes to No, would lower it, and the key question(s) they would be on.

    The standard takes the band of its lowest key question, so it falls as soon as any one
    key question drops below the bottom of its band; answers changed on other key questions
    only lower those, so no combination is cheaper than the cheapest single key question.
    None while the standard has no rating, or when it is already in the lowest band.
    """
    standard = rate_standard(key_questions, bands)
    if standard.rating is None:
        return None
    ordered = _descending(bands)
    current = _position(ordered, standard.rating)
    if current == len(ordered) - 1:
        return None
    edge = ordered[current].minimum
    costs = {
        result.code: _more_no_to_fall_below(result.yes, result.relevant, edge)
        for result in key_questions
    }
    possible = [cost for cost in costs.values() if cost is not None]
    if not possible:
        return None
    fewest = min(possible)
    return Margin(
        answers=fewest,
        band=ordered[current + 1],
        key_questions=tuple(code for code, cost in costs.items() if cost == fewest),
    )


def lift_by(key_questions: Sequence[KeyQuestionResult], bands: Iterable[Band]) -> Margin | None:
    """The fewest counted answers that, changed from No to Yes, would raise a case-rated
    standard one band, and the key questions that would need them.

    Every key question below the next band must reach it (the lowest one rates the
    standard), so the answers add up over those key questions. None while the standard has
    no rating, or when it is already in the top band.
    """
    standard = rate_standard(key_questions, bands)
    if standard.rating is None:
        return None
    ordered = _descending(bands)
    current = _position(ordered, standard.rating)
    if current == 0:
        return None
    target = ordered[current - 1]
    needed = {}
    for result in key_questions:
        more = _more_yes_to_reach(result.yes, result.relevant, target.minimum)
        if more is None:
            return None
        if more:
            needed[result.code] = more
    return Margin(answers=sum(needed.values()), band=target, key_questions=tuple(needed))


def rate_overall(
    scores: Sequence[int | None], overall_bands: Iterable[Band], maximum: int
) -> OverallResult:
    """Sum the standards' scores; the overall rating only once every standard is rated."""
    total = sum(score for score in scores if score is not None)
    complete = bool(scores) and all(score is not None for score in scores)
    rating = band_for(total, overall_bands).rating if complete else None
    return OverallResult(score=total, maximum=maximum, rating=rating, complete=complete)


# A standard as overall_holds_by takes it: the key-question counts of a case-rated
# standard, or the fixed score of a judgement (domain-one) standard, None while unrated.
StandardFigures = Sequence[KeyQuestionResult] | int | None


def overall_holds_by(
    standards: Sequence[StandardFigures],
    key_question_bands: Iterable[Band],
    overall_bands: Iterable[Band],
) -> int | None:
    """How firmly the overall rating holds: the fewest counted answers that, changed from
    Yes to No, would lower it.

    The standards' scores add up to the overall score. Changing answers can only lower a
    case-rated standard band by band (each lower band costs the fewest answers that take
    one of its key questions below the band above it); judgement standards stay as
    recorded. None while the overall rating is not complete (a standard unrated), when it
    is already in the lowest band, or when no change of answers could lower it.
    """
    key_question_bands = _descending(key_question_bands)
    rated = [standard for standard in standards if standard is not None]
    if len(rated) < len(standards) or not standards:
        return None
    total = 0
    # The cheapest way to take `drop` points off the overall score, standard by standard.
    cheapest = {0: 0}
    for standard in rated:
        if isinstance(standard, int):
            total += standard
            continue
        result = rate_standard(standard, key_question_bands)
        if result.rating is None or result.score is None:  # both None together
            return None
        total += result.score
        current = _position(key_question_bands, result.rating)
        options = [(0, 0)]
        for above, lower in zip(
            key_question_bands[current:], key_question_bands[current + 1 :], strict=False
        ):
            costs = [
                cost
                for kq in standard
                if (cost := _more_no_to_fall_below(kq.yes, kq.relevant, above.minimum)) is not None
            ]
            if costs:
                options.append((result.score - lower.score, min(costs)))
        combined: dict[int, int] = {}
        for drop, cost in cheapest.items():
            for more_drop, more_cost in options:
                key = drop + more_drop
                combined[key] = min(combined.get(key, cost + more_cost), cost + more_cost)
        cheapest = combined
    ordered = _descending(overall_bands)
    band = band_for(total, ordered)
    if band == ordered[-1]:
        return None
    needed = total - band.minimum + 1  # points to lose to fall below this band
    enough = [cost for drop, cost in cheapest.items() if drop >= needed]
    return min(enough) if enough else None


def wilson_interval(yes: int, relevant: int, z: float = 1.96) -> tuple[int, int] | None:
    """The Wilson score interval of a key question's percentage (95% for z = 1.96), as
    whole percentages rounded half up like the published percentage.

    It says how far the sample can be trusted: the proportion of all cases that the
    sampled ones could plausibly come from. None when there is no relevant case.
    """
    if percent(yes, relevant) is None:
        return None
    with localcontext() as context:
        context.prec = 50
        n = Decimal(relevant)
        p = Decimal(yes) / n
        z_exact = Decimal(str(z))
        z2 = z_exact * z_exact
        centre = p + z2 / (2 * n)
        margin = z_exact * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt()
        scale = 1 + z2 / n
        low, high = (centre - margin) / scale, (centre + margin) / scale
    return round_half_up(low * 100), round_half_up(high * 100)


def spans_band_edge(
    interval: tuple[int, int] | None, bands: Iterable[Band]
) -> tuple[str, str] | None:
    """The ratings at the low and high ends of an interval when they differ: the sample
    cannot settle which of them the key question deserves. None when one band holds it."""
    if interval is None:
        return None
    low, high = (band_for(value, bands).rating for value in interval)
    return None if low == high else (low, high)


def format_score(score: int, maximum: int) -> str:
    """The published form of a score: 02/21."""
    return f"{score:02d}/{maximum}"
