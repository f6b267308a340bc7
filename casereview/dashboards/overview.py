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
from collections.abc import Iterable
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


def added_up(counts: Iterable[dict[int, dict[str, int]]]) -> dict[int, dict[str, int]]:
    """Inspections' answers per key question added up: the figures of the union of
    their cases (so a big inspection weighs more), never a mean of their percentages."""
    totals: dict[int, dict[str, int]] = {}
    for of_inspection in counts:
        for kq_id, figures in of_inspection.items():
            total = totals.setdefault(kq_id, dict.fromkeys(figures, 0))
            for name, value in figures.items():
                total[name] += value
    return totals


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
    with_regions: bool = True,
    loaded: list[Inspection] | None = None,
) -> Overview:
    """Score, overall and standard ratings of each inspection, and regional figures
    (unless `with_regions` is False), over the cases `user` may count
    (`countable_cases`), like every other figure; `cases` narrows them further (a set
    dashboard's filters); `tallies`, when the caller has them already, are those cases'
    answers per inspection (`answer_tallies`); `loaded`, the same inspections already
    loaded with their unit, region and framework, in the order of the rows."""
    chosen = (
        loaded
        if loaded is not None
        else list(inspections.select_related("unit__region", "framework"))
    )
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
    # A row shows each judgement's rating, never its rationale (long text: not read).
    judgements = DomainOneRating.objects.filter(inspection_id__in=ids)
    for rating in judgements.only("inspection_id", "standard_id", "rating"):
        domain_one[rating.inspection_id][rating.standard_id] = rating

    rows = []
    for inspection in chosen:
        rules_of = rules[inspection.framework_id]
        # A row among many: the ratings, not what would move them (`explain`).
        standards, overall = rate(
            rules_of,
            answers.get(inspection.pk, {}),
            domain_one.get(inspection.pk, {}),
            explain=False,
        )
        of_inspection = case_counts.get(inspection.pk, {"total": 0, "counted": 0})
        rows.append(
            InspectionRatings(
                inspection=inspection,
                standards=[s for s in standards if s.basis != Basis.REPORTED],
                overall=overall,
                cases_total=of_inspection["total"],
                cases_counted=of_inspection["counted"],
            )
        )
    regions = _regions(rows, answers, rules) if with_regions else []
    headers = []
    if chosen:
        first = rules[chosen[0].framework_id]
        headers = first.rated
    return Overview(inspections=rows, regions=regions, headers=headers, counts=answers)


def _regions(rows, answers, rules) -> list[RegionFigures]:
    """Each region's figures (per framework), its inspections' answers added up."""
    by_region: dict[tuple[str, int], list[InspectionRatings]] = defaultdict(list)
    for row in rows:
        inspection = row.inspection
        by_region[(inspection.unit.region.name, inspection.framework_id)].append(row)
    regions = []
    for (name, framework_id), members in sorted(by_region.items()):
        counted = added_up(answers.get(row.inspection.pk, {}) for row in members)
        standards, _ = rate(rules[framework_id], counted, domain_one=None, explain=False)
        regions.append(
            RegionFigures(
                region=name,
                framework=members[0].inspection.framework.code,
                inspections=len(members),
                cases=sum(row.cases_counted for row in members),
                standards=[s for s in standards if s.basis == Basis.CASES],
                inspection_ids={row.inspection.pk for row in members},
            )
        )
    return regions
