"""Who may read a figure over few cases: the one rule every aggregate surface applies.

Viewers see aggregates only, so a figure over fewer than `SMALL_NUMBER_THRESHOLD`
cases is suppressed for them ("fewer than 5 cases"): a narrow filter must not read
out one case's answers. Team members may see case-level data: they keep every
figure, with a caution. For everyone, a filtered subset's figures are not a rating,
so a filtered view has no score or overall rating (its domain-one judgements are the
whole inspection's, and mixing them with a subset's figures would mislead).

Suppressing sets a figure's counts to zero as well as flagging it, so a renderer that
forgot the flag would show nothing rather than the hidden figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from casereview.dashboards.summary import InspectionSummary, KeyQuestionFigures, StandardSummary
from inspection import ratings
from inspection.models import Basis


def is_small_number(cases: int, threshold: int | None = None) -> bool:
    """Fewer cases than the threshold, but some: the figure is read with caution (team)
    or not at all (viewers). The one definition of a small number."""
    limit = settings.SMALL_NUMBER_THRESHOLD if threshold is None else threshold
    return 0 < cases < limit


@dataclass(frozen=True)
class Disclosure:
    case_level: bool  # a team member: may see case-level data
    filtered: bool = False
    threshold: int = 0

    @classmethod
    def for_user(cls, *, case_level: bool, filtered: bool = False) -> Disclosure:
        return cls(
            case_level=case_level, filtered=filtered, threshold=settings.SMALL_NUMBER_THRESHOLD
        )

    def is_small(self, cases: int) -> bool:
        return is_small_number(cases, self.threshold)

    def hides(self, cases: int) -> bool:
        return not self.case_level and self.is_small(cases)


def _suppress(figures) -> None:
    for name in ("yes", "no", "not_applicable"):
        if hasattr(figures, name):
            setattr(figures, name, 0)
    figures.suppressed = True


def disclose_key_question(figures: KeyQuestionFigures, disclosure: Disclosure) -> bool:
    if not disclosure.hides(figures.relevant):
        return False
    _suppress(figures)
    figures.next_band = None
    figures.is_driving = False
    return True


def disclose_standards(standards: list[StandardSummary], disclosure: Disclosure) -> bool:
    """Suppress small key-question figures, and the rating of a standard that rests on
    one; True when anything was suppressed."""
    hidden = False
    for standard in standards:
        small = [disclose_key_question(kq, disclosure) for kq in standard.key_questions]
        if any(small) and standard.basis == Basis.CASES:
            standard.rating = standard.score = standard.driving = None
            # How firmly it holds would read out the hidden counts too.
            standard.holds_by = standard.lift_by = None
            standard.suppressed = True
        hidden = hidden or any(small)
    return hidden


def no_overall(overall: ratings.OverallResult) -> ratings.OverallResult:
    return ratings.OverallResult(
        score=0, maximum=overall.maximum, rating=None, complete=False, withheld=True
    )


def disclose_summary(summary: InspectionSummary, disclosure: Disclosure) -> InspectionSummary:
    """Apply the rule to an inspection summary in place (and return it)."""
    summary.disclosure = disclosure
    hidden = disclose_standards(summary.standards + summary.reported, disclosure)
    if disclosure.hides(summary.oversight.required + summary.oversight.not_required):
        _suppress(summary.oversight)
        for name in ("effective", "ineffective", "absent", "not_required"):
            setattr(summary.oversight, name, 0)
    if disclosure.filtered or hidden:
        summary.overall = no_overall(summary.overall)
    return summary


def disclose_figures(rows, disclosure: Disclosure) -> None:
    """Prompt figures or breakdown cells: each over its own relevant cases."""
    for figures in rows:
        if disclosure.hides(figures.relevant):
            _suppress(figures)


def disclose_breakdowns(breakdowns, disclosure: Disclosure) -> None:
    for breakdown in breakdowns:
        for group in breakdown.groups:
            if disclosure.hides(group.cases):
                group.suppressed = True
                for cell in group.cells:
                    _suppress(cell)
            else:
                disclose_figures(group.cells, disclosure)


def disclose_overview(overview, *, team: set[int]) -> None:
    """Each inspection's row as its own dashboard shows it to the user; a region's
    figures in full only to someone on the team of every inspection in it."""
    for row in overview.inspections:
        disclosure = Disclosure.for_user(case_level=row.inspection.pk in team)
        if disclose_standards(row.standards, disclosure):
            row.overall = no_overall(row.overall)
    for region in overview.regions:
        case_level = region.inspection_ids <= team
        disclose_standards(region.standards, Disclosure.for_user(case_level=case_level))
