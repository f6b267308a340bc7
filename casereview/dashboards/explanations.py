"""Plain sentences saying why a standard has its rating and how far it is from the next.

Pure functions over the summary's figures and the framework's bands (which are data,
so the thresholds in the sentences are never hard-coded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inspection import ratings


def _descending(bands: Sequence[ratings.Band]) -> list[ratings.Band]:
    return sorted(bands, key=lambda band: band.minimum, reverse=True)


def band_range(band: ratings.Band, bands: Sequence[ratings.Band]) -> str:
    """Where a band lies: "below 50%", "between 65% and 79%", "80% or more"."""
    ordered = _descending(bands)
    above = [other for other in ordered if other.minimum > band.minimum]
    if not above:
        return f"{band.minimum}% or more"
    ceiling = above[-1].minimum - 1
    if band.minimum <= 0:
        return f"below {ceiling + 1}%"
    return f"between {band.minimum}% and {ceiling}%"


def rating_explanation(standard, bands: Sequence[ratings.Band]) -> str:
    """Why a domain-two standard has its rating, in one sentence.

    `standard` is a `StandardSummary`: the rating is the band of its lowest key question.
    """
    if standard.suppressed:
        return f"Not shown: some of its key questions have {standard.rating_label}."
    if standard.driving is None or standard.rating is None:
        waiting = [kq.code for kq in standard.key_questions if kq.relevant == 0]
        if waiting:
            listed = ", ".join(waiting)
            noun = "key question" if len(waiting) == 1 else "key questions"
            return f"Not yet rated: no submitted case has a Yes or No answer on {noun} {listed}."
        return "Not yet rated."
    lowest = standard.driving.percent
    band = ratings.band_for(lowest, bands)
    return f"{band.label}: the lowest key question, {lowest}%, is {band_range(band, bands)}."


def next_band_sentence(figures) -> str:
    """How many more Yes answers would lift a key question into the next band up."""
    if figures.suppressed:
        return "Not shown"
    if figures.relevant == 0:
        return "No relevant submitted cases yet"
    step = figures.next_band
    if step is None:
        return "In the top band"
    answers = "answer" if step.more_yes == 1 else "answers"
    return f"{step.more_yes} more Yes {answers} of {step.relevant} would reach {step.band.label}"


@dataclass(frozen=True)
class StandardStep:
    band: ratings.Band
    needs: list[tuple[str, int]]  # (key question code, more Yes answers needed)

    @property
    def sentence(self) -> str:
        parts = [
            f"{code} needs {more} more Yes {'answer' if more == 1 else 'answers'}"
            for code, more in self.needs
        ]
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"To reach {self.band.label}, {joined}."


def standard_next_step(standard, bands: Sequence[ratings.Band]) -> StandardStep | None:
    """What would lift the whole standard one band: every key question below that band
    must reach it, so the lowest alone is not always enough."""
    if standard.rating is None:
        return None
    ordered = _descending(bands)
    current = next(band for band in ordered if band.rating == standard.rating)
    higher = [band for band in ordered if band.minimum > current.minimum]
    if not higher:
        return None
    target = higher[-1]
    needs = []
    for kq in standard.key_questions:
        if kq.percent >= target.minimum:
            continue
        more = next(
            (
                extra
                for extra in range(1, kq.no + 1)
                if ratings.percent(kq.yes + extra, kq.relevant) >= target.minimum
            ),
            None,
        )
        if more is None:
            return None
        needs.append((kq.code, more))
    return StandardStep(band=target, needs=needs)
