"""Ratings across inspections, and key-question figures re-aggregated over a region.

A fixed number of queries for any number of inspections: one pass over every
counted answer of the inspections (`answer_tallies`, by inspection), one for case
counts, one for domain-one ratings, and one each for the frameworks' standards, key
questions and bands. The cases are the user's `countable_cases` and the rating is
the inspection summary's own (`summary.rate`, over `inspection.framework_rating`), so
an inspection's row always agrees with its own dashboard.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from casereview.dashboards.summary import (
    StandardSummary,
    countable_cases,
    framework_rules,
    rate,
    suppressed_words,
)
from casereview.dashboards.tallies import AnswerTallies, answer_tallies
from casereview.models import COUNTED_STATUSES, Case, CaseQuerySet
from inspection import framework_rating, ratings
from inspection.models import Basis, DomainOneRating, Inspection


@dataclass
class InspectionRatings:
    inspection: Inspection
    standards: list[StandardSummary]
    overall: ratings.OverallResult
    cases_total: int
    cases_counted: int

    @property
    def score_display(self) -> str:
        if self.overall.withheld:
            return f"Not shown: {suppressed_words()}"
        return ratings.format_score(self.overall.score, self.overall.maximum)

    @property
    def overall_label(self) -> str:
        if self.overall.withheld:
            return f"Not shown: {suppressed_words()}"
        if self.overall.rating is None:
            return "Not yet rated"
        return ratings.RATING_LABELS.get(self.overall.rating, "Not yet rated")


@dataclass
class RegionFigures:
    """Key-question percentages over every counted case of a region's inspections."""

    region: str
    framework: str
    inspections: int
    cases: int
    standards: list[StandardSummary]
    inspection_ids: set[int]


@dataclass
class _RegionTotals:
    """A region's answers added up over its inspections, while the overview is built."""

    inspections: int = 0
    cases: int = 0
    counts: defaultdict[int, defaultdict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    ids: set[int] = field(default_factory=set)


def _case_queryset(cases: QuerySet[Case]) -> CaseQuerySet:
    """`cases` with Case's own QuerySet methods: every QuerySet of cases is made from
    `Case.objects`, a CaseQuerySet, though the selectors are typed with a plain QuerySet."""
    if not isinstance(cases, CaseQuerySet):
        raise TypeError(f"expected cases from Case.objects, not {type(cases).__name__}")
    return cases


@dataclass
class Overview:
    inspections: list[InspectionRatings]
    regions: list[RegionFigures]
    headers: list[framework_rating.StandardRule]  # the rated standards' columns
    # Yes / No / Not applicable per key question id of each inspection, before disclosure
    counts: dict[int, dict[int, dict[str, int]]] = field(default_factory=dict)


def inspections_overview(
    *,
    inspections: QuerySet[Inspection],
    user,
    cases: QuerySet[Case] | None = None,
    tallies: AnswerTallies | None = None,
) -> Overview:
    """Score, overall and standard ratings of each inspection, and regional figures,
    over the cases `user` may count (`countable_cases`), like every other figure;
    `cases` narrows them further (a set dashboard's filters); `tallies`, when the caller
    has them already, are those cases' answers per inspection (`answer_tallies`)."""
    chosen = list(inspections.select_related("unit__region", "framework"))
    ids = inspections.values("pk")
    if cases is None:
        cases = countable_cases(user=user)
    cases = _case_queryset(cases.filter(inspection_id__in=ids))
    rules = framework_rules({inspection.framework_id for inspection in chosen})

    if tallies is None:
        tallies = answer_tallies(
            cases.counted(),
            key_question_ids=[pk for r in rules.values() for pk in r.key_question_ids],
        )
    answers = {pk: tally.counts for pk, tally in tallies.by_inspection.items()}
    case_counts = {
        row["inspection_id"]: row
        for row in cases.order_by()
        .values("inspection_id")
        .annotate(total=Count("pk"), counted=Count("pk", filter=Q(status__in=COUNTED_STATUSES)))
    }
    domain_one: dict[int, dict[int, DomainOneRating]] = defaultdict(dict)
    for rating in DomainOneRating.objects.filter(inspection_id__in=ids):
        domain_one[rating.inspection_id][rating.standard_id] = rating

    rows = []
    regional: dict[tuple[str, int], _RegionTotals] = {}
    for inspection in chosen:
        rules_of = rules[inspection.framework_id]
        counts = answers.get(inspection.pk, {})
        # A row among many: the ratings, not what would move them (`explain`).
        standards, overall = rate(
            rules_of, counts, domain_one.get(inspection.pk, {}), explain=False
        )
        standards = [s for s in standards if s.basis != Basis.REPORTED]
        of_inspection = case_counts.get(inspection.pk, {"total": 0, "counted": 0})
        rows.append(
            InspectionRatings(
                inspection=inspection,
                standards=standards,
                overall=overall,
                cases_total=of_inspection["total"],
                cases_counted=of_inspection["counted"],
            )
        )
        # Regional figures add the answers up, so a big inspection weighs more.
        region = regional.setdefault(
            (inspection.unit.region.name, inspection.framework_id), _RegionTotals()
        )
        region.inspections += 1
        region.ids.add(inspection.pk)
        region.cases += of_inspection["counted"]
        for kq_id, figures in counts.items():
            for key, value in figures.items():
                region.counts[kq_id][key] += value

    regions = []
    for (name, framework_id), region in sorted(regional.items()):
        rules_of = rules[framework_id]
        counted = {kq_id: dict(figures) for kq_id, figures in region.counts.items()}
        standards, _ = rate(rules_of, counted, domain_one=None, explain=False)
        regions.append(
            RegionFigures(
                region=name,
                framework=next(i.framework.code for i in chosen if i.framework_id == framework_id),
                inspections=region.inspections,
                cases=region.cases,
                standards=[s for s in standards if s.basis == Basis.CASES],
                inspection_ids=region.ids,
            )
        )
    headers = []
    if chosen:
        first = rules[chosen[0].framework_id]
        headers = first.rated
    return Overview(inspections=rows, regions=regions, headers=headers, counts=answers)
