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


def _answers(count: int) -> str:
    return f"{count} {'answer' if count == 1 else 'answers'}"


def _joined(parts: Sequence[str], last: str = "and") -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {last} " + parts[-1]


@dataclass(frozen=True)
class StandardStep:
    band: ratings.Band
    needs: list[tuple[str, int]]  # (key question code, more Yes answers needed)
    current: str = ""  # the standard's rating now

    @property
    def answers(self) -> int:
        """How many answers the standard's rating would lift by (`ratings.lift_by`)."""
        return sum(more for _, more in self.needs)

    @property
    def sentence(self) -> str:
        """ "Inadequate lifts by 9 answers: to reach Requires improvement, 2.1.2 needs 2
        more Yes answers and 2.1.3 needs 7 more Yes answers." """
        joined = _joined(
            [
                f"{code} needs {more} more Yes {'answer' if more == 1 else 'answers'}"
                for code, more in self.needs
            ]
        )
        to_reach = f"to reach {self.band.label}, {joined}."
        if not self.current:
            return to_reach[0].upper() + to_reach[1:]
        label = ratings.RATING_LABELS.get(self.current, self.current)
        return f"{label} lifts by {_answers(self.answers)}: {to_reach}"


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
                if ratings.whole_percent(kq.yes + extra, kq.relevant) >= target.minimum
            ),
            None,
        )
        if more is None:
            return None
        needs.append((kq.code, more))
    return StandardStep(band=target, needs=needs, current=standard.rating)


def holds_sentence(standard) -> str | None:
    """How firmly a case-rated standard's rating holds, in one sentence: "Good holds by
    1 answer: one more No on 2.4.3 would make it Requires improvement."

    None where there is nothing to say: unrated, suppressed, or already the lowest band.
    """
    margin = standard.holds_by
    if margin is None or standard.rating is None or standard.suppressed:
        return None
    label = ratings.RATING_LABELS.get(standard.rating, standard.rating)
    more = "one more No" if margin.answers == 1 else f"{margin.answers} more No answers"
    on = _joined(list(margin.key_questions), "or")
    return (
        f"{label} holds by {_answers(margin.answers)}: {more} on {on} "
        f"would make it {margin.band.label}."
    )


def overall_holds_sentence(overall) -> str | None:
    """ "The overall rating holds by 2 answers.", once every standard is rated (domain one
    included) and the rating is shown; None otherwise or in the lowest band."""
    if overall.withheld or not overall.complete or overall.holds_by is None:
        return None
    return f"The overall rating holds by {_answers(overall.holds_by)}."


def interval_words(figures) -> str:
    """A key question's 95% interval beside its percentage: "53% to 81%"."""
    if figures.suppressed:
        return "Not shown"
    interval = figures.interval
    if interval is None:
        return "No relevant submitted cases yet"
    return f"{interval[0]}% to {interval[1]}%"


def band_edge_sentence(figures, bands: Sequence[ratings.Band]) -> str | None:
    """Where the interval spans a band edge: "The sample cannot settle whether 2.4.3 is
    Good or Requires improvement." None where the sample settles it (or is not shown)."""
    if figures.suppressed:
        return None
    edge = ratings.spans_band_edge(figures.interval, bands)
    if edge is None:
        return None
    low, high = (ratings.RATING_LABELS.get(rating, rating) for rating in edge)
    return f"The sample cannot settle whether {figures.code} is {high} or {low}."
