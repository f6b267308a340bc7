"""Figures for a set of inspections read as one: a region, a range of fieldwork dates,
the nation, or a saved named set.

A set's figures are re-aggregated from the answers of every counted case of its
inspections (never an average of percentages: a big inspection weighs more), rated by
the same one rule as an inspection (`summary.rate`, over `inspection.framework_rating`).
Each inspection's own figures come from the overview's pass over the answers
(`answer_tallies`, shared with the set's own figures), so a row of the
set always agrees with that inspection's dashboard. A fixed number of queries whatever
the number of inspections and cases.

Domain one's standards are the lead's judgements of one PDU's leadership: a set has
no value for them, so it has no score or overall rating either, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils.formats import date_format

from casereview.dashboards.disclosure import (
    Disclosure,
    disclose_overview,
    disclose_standards,
    disclose_summary,
    no_overall,
)
from casereview.dashboards.filters import OverviewFilterForm
from casereview.dashboards.overview import (
    InspectionRatings,
    added_up,
    inspections_overview,
)
from casereview.dashboards.summary import (
    CaseCounts,
    DisclosedSummary,
    InspectionSummary,
    KeyQuestionFigures,
    OversightFigures,
    StandardSummary,
    case_counts,
    countable_cases,
    framework_rules,
    key_question_counts,
    rate,
)
from casereview.dashboards.tallies import AnswerTallies, answer_tallies
from casereview.models import CaseQuerySet, SavedSet
from inspection import ratings
from inspection.models import Basis, Framework, Inspection, Region

NO_SET_RATING = (
    "No rating for a set: domain one's standards are judgements of each PDU's leadership, "
    "with no value across inspections, so there is no score or overall rating either"
)
JUDGEMENT_WORDS = "No set-level value: the lead inspector judges this standard for each PDU"


class MixedFrameworks(Exception):
    """The set's inspections were rated under different frameworks: no one set of
    key questions to add their answers up over."""

    def __init__(self, codes: list[str]):
        super().__init__(
            "The inspections of this set use different frameworks "
            f"({', '.join(codes)}): narrow it to one framework's inspections"
        )


@dataclass
class InspectionSet:
    """Which inspections a set holds, as the user may see them."""

    title: str
    inspections: QuerySet[Inspection]  # visible to the user; fixed, re-usable as a subquery
    saved: SavedSet | None = None

    @property
    def slug(self) -> str | None:
        return self.saved.slug if self.saved else None


@dataclass
class TrendPoint:
    period: str  # "2023" or "2023 Q4"
    inspections: int
    cases: int
    standards: list[StandardSummary]


@dataclass
class SetSummary(DisclosedSummary):
    """A set's figures, shaped like an inspection summary where they mean the same."""

    inspection_set: InspectionSet
    framework: Framework | None
    inspections: list[Inspection]  # every inspection of the set, by fieldwork start
    cases: CaseCounts
    standards: list[StandardSummary]
    reported: list[StandardSummary]
    overall: ratings.OverallResult
    oversight: OversightFigures
    key_question_bands: list[ratings.Band]
    overall_bands: list[ratings.Band]
    by_inspection: list[InspectionRatings] = field(default_factory=list)  # `SetParts.rows`
    by_year: list[TrendPoint] = field(default_factory=list)
    by_quarter: list[TrendPoint] = field(default_factory=list)
    # Cases and (yes, no) per rated key question of each PDU, before disclosure
    by_pdu: dict[str, tuple[int, list[tuple[int, int]]]] = field(default_factory=dict)
    team_ids: set[int] | None = None  # the inspections the user is on the team of
    tallies: AnswerTallies | None = None  # the pass over the answers, before disclosure
    disclosure: Disclosure | None = None
    inspection = None  # not one inspection: no slug to link a case list to

    @property
    def withheld(self) -> str:
        return NO_SET_RATING

    @property
    def score_display(self) -> str:
        return NO_SET_RATING

    @property
    def overall_label(self) -> str:
        return NO_SET_RATING


def _region_by_name(data: QueryDict, form_choices: list[tuple[str, str]]) -> QueryDict:
    """`region=NAME` (the documented interface) as the form's region id; an id stays."""
    name = data.get("region", "")
    if not name or name in dict(form_choices):
        return data
    data = data.copy()
    for value, label in form_choices:
        if label == name:
            data["region"] = value
    return data


def overview_set(*, user, data: QueryDict) -> tuple[OverviewFilterForm, InspectionSet]:
    """The set the overview's filters pick (region, fieldwork start from/to; none: the
    nation) among the inspections `user` may see. A region the user may not see is
    not a choice: the form reports it and the set is empty."""
    visible = Inspection.objects.visible_to(user)
    choices = OverviewFilterForm(data, inspections=visible)["region"].field.choices  # type: ignore[attr-defined]
    form = OverviewFilterForm(_region_by_name(data, choices), inspections=visible)
    regions = dict(choices)
    chosen = visible.none() if form.errors.get("region") else form.filter(visible)
    applied = form.applied
    parts = []
    if applied.get("region"):
        parts.append(regions[applied["region"]])
    else:
        parts.append("National")
    if applied.get("fieldwork_from"):
        parts.append(f"fieldwork from {date_format(applied['fieldwork_from'], 'j F Y')}")
    if applied.get("fieldwork_to"):
        parts.append(f"fieldwork to {date_format(applied['fieldwork_to'], 'j F Y')}")
    ids = Inspection.objects.filter(pk__in=chosen.values("pk"))
    return form, InspectionSet(title=", ".join(parts), inspections=ids)


def region_set(*, name: str, start=None, end=None) -> InspectionSet:
    """A region's set as the system counts it (the `summary --region` command)."""
    region = Region.objects.filter(name=name).first()
    if region is None:
        raise LookupError(f"no region {name}")
    inspections = Inspection.objects.filter(unit__region=region)
    parts = [region.name]
    if start:
        inspections = inspections.filter(fieldwork_start__gte=start)
        parts.append(f"fieldwork from {date_format(start, 'j F Y')}")
    if end:
        inspections = inspections.filter(fieldwork_start__lte=end)
        parts.append(f"fieldwork to {date_format(end, 'j F Y')}")
    return InspectionSet(title=", ".join(parts), inspections=inspections)


def saved_set(*, user, slug: str) -> InspectionSet:
    """A saved set, 404 unless the user may see every inspection in it."""
    found = SavedSet.objects.visible_to(user).filter(slug=slug).first()
    if found is None:
        raise Http404("No such set")
    return InspectionSet(
        title=found.name,
        inspections=Inspection.objects.filter(saved_sets=found),
        saved=found,
    )


def set_cases(inspection_set: InspectionSet, *, user) -> CaseQuerySet:
    """The set's cases as `countable_cases` gives them to `user`."""
    return countable_cases(user=user).filter(
        inspection_id__in=inspection_set.inspections.values("pk")
    )


def _quarter(day) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class SetParts:
    """What a page shows of a set beyond the set's own figures; the rest is not computed.

    The set's own figures, its case counts and oversight are always there. Each part
    below is one more pass over the data or one more rating per inspection, so a page
    asks only for those it shows."""

    rows: bool = True  # each inspection's own figures and ratings (`by_inspection`)
    trend: bool = True  # `by_year` and `by_quarter`
    by_pdu: bool = True
    breakdown_fields: tuple[str, ...] = ()  # tallies per value of these case attributes

    @property
    def per_inspection(self) -> bool:
        """Whether each inspection's answers are counted apart (the set's are then their
        sum: one pass over the answers serves both)."""
        return self.rows or self.trend or self.by_pdu


EVERY_PART = SetParts()


@dataclass
class _Counted:
    """One inspection's counted cases and its answers per key question."""

    inspection: Inspection
    cases: int
    counts: dict[int, dict[str, int]]


def _trend(rules, counted: list[_Counted], period) -> list[TrendPoint]:
    """The figures per period of fieldwork start, added up from each inspection's counts."""
    buckets: dict[str, list[_Counted]] = {}
    for row in sorted(counted, key=lambda r: r.inspection.fieldwork_start):
        buckets.setdefault(period(row.inspection.fieldwork_start), []).append(row)
    points = []
    for name, rows in buckets.items():
        standards, _ = rate(
            rules, added_up(row.counts for row in rows), domain_one=None, explain=False
        )
        points.append(
            TrendPoint(
                period=name,
                inspections=len(rows),
                cases=sum(row.cases for row in rows),
                standards=[s for s in standards if s.basis == Basis.CASES],
            )
        )
    return points


def _by_pdu(rules, counted: list[_Counted]) -> dict[str, tuple[int, list[tuple[int, int]]]]:
    """Each PDU's counts, added up from its inspections' own (already grouped by
    inspection), so the breakdown by PDU costs no pass over the answers."""
    rated = rules.case_rated_key_question_ids
    by_unit: dict[str, list[_Counted]] = {}
    for row in counted:
        by_unit.setdefault(row.inspection.unit.name, []).append(row)
    pdus = {}
    none = {"yes": 0, "no": 0}
    for name, rows in by_unit.items():
        counts = added_up(row.counts for row in rows)
        pdus[name] = (
            sum(row.cases for row in rows),
            [(counts.get(pk, none)["yes"], counts.get(pk, none)["no"]) for pk in rated],
        )
    return pdus


def set_summary(
    *,
    inspection_set: InspectionSet,
    user,
    cases: CaseQuerySet | None = None,
    parts: SetParts = EVERY_PART,
) -> SetSummary:
    """The set's figures over `cases` (the set's countable cases for `user`, narrowed by
    the dashboard's filters where they apply), and the `parts` a page shows: each
    inspection's own figures, the trend, the breakdown by PDU and the tallies per value
    of case attributes (`summary.tallies`, for `case_breakdowns`).

    Where a part needs each inspection's answers, one pass over the answers
    (`answer_tallies`) counts them, and the set's are their sum; otherwise the set's
    answers are counted directly (`key_question_counts`). Both count the same answers of
    the same cases.

    Disclosure follows the user: figures in full only to someone on the team of every
    inspection of the set (as the overview's regional tables); each inspection's row as
    its own dashboard shows it to them.
    """
    inspections = list(
        inspection_set.inspections.select_related("unit__region", "framework").order_by(
            "fieldwork_start", "slug"
        )
    )
    frameworks = {inspection.framework_id: inspection.framework for inspection in inspections}
    if len(frameworks) > 1:
        raise MixedFrameworks(sorted(framework.code for framework in frameworks.values()))
    if cases is None:
        cases = set_cases(inspection_set, user=user)
    framework = next(iter(frameworks.values()), None)
    rules = framework_rules(set(frameworks))
    framework_rules_of = rules[framework.pk] if framework else None

    case_figures, oversight = case_counts(cases=cases)
    tallies = None
    if framework_rules_of is not None and (parts.per_inspection or parts.breakdown_fields):
        tallies = answer_tallies(
            cases.counted(),
            key_question_ids=framework_rules_of.key_question_ids,
            fields=parts.breakdown_fields,
            by_inspection=parts.per_inspection,
            breakdown_key_question_ids=framework_rules_of.case_rated_key_question_ids,
        )
    counted = []
    if tallies is not None and parts.per_inspection:
        for inspection in inspections:
            tally = tallies.by_inspection.get(inspection.pk)
            counted.append(
                _Counted(inspection, tally.cases if tally else 0, tally.counts if tally else {})
            )
        set_counts = added_up(row.counts for row in counted)
    else:
        set_counts = key_question_counts(cases=cases)
    if framework_rules_of is None:
        standards: list[StandardSummary] = []
        overall = ratings.OverallResult(score=0, maximum=0, rating=None, complete=False)
        key_question_bands: list[ratings.Band] = []
        overall_bands: list[ratings.Band] = []
    else:
        standards, overall = rate(framework_rules_of, set_counts, None)
        key_question_bands = framework_rules_of.key_question_bands
        overall_bands = framework_rules_of.overall_bands
    summary = SetSummary(
        inspection_set=inspection_set,
        framework=framework,
        inspections=inspections,
        cases=case_figures,
        standards=[s for s in standards if s.basis != Basis.REPORTED],
        reported=[s for s in standards if s.basis == Basis.REPORTED],
        overall=ratings.OverallResult(
            score=0, maximum=overall.maximum, rating=None, complete=False, withheld=True
        ),
        oversight=oversight,
        key_question_bands=key_question_bands,
        overall_bands=overall_bands,
        tallies=tallies,
    )
    if user is not None:
        summary.team_ids = set(Inspection.objects.on_team_of(user).values_list("pk", flat=True))
    if parts.rows:
        overview = inspections_overview(
            inspections=inspection_set.inspections.order_by("fieldwork_start", "slug"),
            user=user,
            cases=cases,
            tallies=tallies,
            with_regions=False,  # a set's own figures stand for its region
            loaded=inspections,
        )
        summary.by_inspection = overview.inspections
        if summary.team_ids is not None:
            disclose_overview(overview, team=summary.team_ids)
    if framework_rules_of is not None and parts.trend:
        summary.by_year = _trend(framework_rules_of, counted, lambda d: str(d.year))
        summary.by_quarter = _trend(framework_rules_of, counted, _quarter)
    if framework_rules_of is not None and parts.by_pdu:
        summary.by_pdu = _by_pdu(framework_rules_of, counted)
    return summary


def disclose_set(summary: SetSummary, *, filtered: bool = False) -> SetSummary:
    """The one small-number rule (`disclosure`), applied to the set's figures and its
    trend: case-level figures only for the team of every inspection of the set (or
    the system, which has no team). Each inspection's row is disclosed already."""
    ids = {inspection.pk for inspection in summary.inspections}
    case_level = summary.team_ids is None or ids <= summary.team_ids
    disclosure = Disclosure.for_user(case_level=case_level, filtered=filtered)
    # A set summary has an inspection summary's figures, which is all the rule reads.
    disclose_summary(cast(InspectionSummary, summary), disclosure)
    for point in (*summary.by_year, *summary.by_quarter):
        disclose_standards(point.standards, disclosure)
    if filtered:
        # A filtered subset of an inspection is not a rating either.
        for row in summary.by_inspection:
            row.overall = no_overall(row.overall)
    return summary


def quarters_worth_showing(summary: SetSummary) -> bool:
    """Quarters only where every quarter has enough cases to read a figure from."""
    return len(summary.by_quarter) > len(summary.by_year) and all(
        point.cases >= settings.SMALL_NUMBER_THRESHOLD for point in summary.by_quarter
    )


def below_set(figures: KeyQuestionFigures, set_figures: KeyQuestionFigures) -> bool:
    """An inspection's key question below the set's own figure (both shown)."""
    if figures.suppressed or set_figures.suppressed:
        return False
    mine, theirs = figures.percent, set_figures.percent
    return mine is not None and theirs is not None and mine < theirs
