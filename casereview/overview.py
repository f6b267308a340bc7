"""Ratings across inspections, and key-question figures re-aggregated over a region.

A fixed number of queries for any number of inspections: one grouped query over every
counted answer of the inspections (by inspection and key question), one for case
counts, one for domain-one ratings, and one each for the frameworks' standards, key
questions and bands. The rating rules are the same pure functions the inspection
summary uses, so an inspection's row always agrees with its own dashboard.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from casereview.models import COUNTED_STATUSES, Answer, Case, KeyQuestionAnswer
from casereview.selectors import KeyQuestionFigures, StandardSummary
from inspection import ratings
from inspection.models import (
    BandKind,
    Basis,
    DomainOneRating,
    Inspection,
    KeyQuestion,
    RatingBand,
    Standard,
)


@dataclass
class FrameworkRules:
    standards: list[Standard]
    key_questions: dict[int, list[KeyQuestion]]  # by standard id
    key_question_bands: list[ratings.Band] = field(default_factory=list)
    overall_bands: list[ratings.Band] = field(default_factory=list)

    @property
    def score_of_rating(self) -> dict[str, int]:
        return {band.rating: band.score for band in self.key_question_bands}


@dataclass
class InspectionRatings:
    inspection: Inspection
    standards: list[StandardSummary]
    overall: ratings.OverallResult
    cases_total: int
    cases_counted: int

    @property
    def score_display(self) -> str:
        return ratings.format_score(self.overall.score, self.overall.maximum)

    @property
    def overall_label(self) -> str:
        return ratings.RATING_LABELS.get(self.overall.rating, "Not yet rated")


@dataclass
class RegionFigures:
    """Key-question percentages over every counted case of a region's inspections."""

    region: str
    framework: str
    inspections: int
    cases: int
    standards: list[StandardSummary]


@dataclass
class Overview:
    inspections: list[InspectionRatings]
    regions: list[RegionFigures]
    headers: list[Standard]  # the rated standards' columns


def _framework_rules(framework_ids: set[int]) -> dict[int, FrameworkRules]:
    rules: dict[int, FrameworkRules] = {}
    for standard in (
        Standard.objects.filter(framework_id__in=framework_ids)
        .select_related("domain")
        .order_by("framework_id", "order", "code")
    ):
        rules.setdefault(standard.framework_id, FrameworkRules([], {})).standards.append(standard)
    for kq in (
        KeyQuestion.objects.filter(standard__framework_id__in=framework_ids)
        .select_related("standard")
        .order_by("order", "code")
    ):
        rules[kq.standard.framework_id].key_questions.setdefault(kq.standard_id, []).append(kq)
    for band in RatingBand.objects.filter(framework_id__in=framework_ids):
        target = rules.get(band.framework_id)
        if target is None:
            continue
        if band.kind == BandKind.KEY_QUESTION:
            target.key_question_bands.append(band.as_band())
        else:
            target.overall_bands.append(band.as_band())
    return rules


def _rate(
    rules: FrameworkRules,
    counts: dict[int, dict[str, int]],
    domain_one: dict[int, str] | None,
) -> tuple[list[StandardSummary], ratings.OverallResult]:
    """Rate the framework's standards from per-key-question counts (no queries)."""
    empty = {"yes": 0, "no": 0, "not_applicable": 0}
    rated = []
    for standard in rules.standards:
        if standard.basis == Basis.REPORTED:
            continue
        summary = StandardSummary(
            code=standard.code,
            title=standard.title,
            domain=standard.domain.number,
            basis=standard.basis,
            key_questions=[
                KeyQuestionFigures(
                    code=kq.code, text=kq.text, lens=kq.lens, **counts.get(kq.pk, empty)
                )
                for kq in rules.key_questions.get(standard.pk, [])
            ],
        )
        if standard.basis == Basis.JUDGEMENT:
            if domain_one is not None and standard.pk in domain_one:
                summary.rating = domain_one[standard.pk]
                summary.score = rules.score_of_rating.get(summary.rating)
        else:
            result = ratings.rate_standard(
                [kq.as_result() for kq in summary.key_questions], rules.key_question_bands
            )
            summary.rating, summary.score = result.rating, result.score
            for kq in summary.key_questions:
                if result.driving and kq.code == result.driving.code:
                    kq.is_driving = True
                    summary.driving = kq
        rated.append(summary)
    top = max((band.score for band in rules.key_question_bands), default=0)
    overall = ratings.rate_overall(
        [standard.score for standard in rated], rules.overall_bands, maximum=top * len(rated)
    )
    return rated, overall


def inspections_overview(*, inspections: QuerySet[Inspection]) -> Overview:
    """Score, overall and standard ratings of each inspection, and regional figures."""
    chosen = list(inspections.select_related("unit__region", "framework"))
    ids = inspections.values("pk")
    rules = _framework_rules({inspection.framework_id for inspection in chosen})

    answers: dict[int, dict[int, dict[str, int]]] = defaultdict(dict)
    for row in (
        KeyQuestionAnswer.objects.filter(
            case__inspection_id__in=ids, case__status__in=COUNTED_STATUSES
        )
        .order_by()
        .values("case__inspection_id", "key_question_id")
        .annotate(
            yes=Count("pk", filter=Q(answer=Answer.YES)),
            no=Count("pk", filter=Q(answer=Answer.NO)),
            not_applicable=Count("pk", filter=Q(answer=Answer.NOT_APPLICABLE)),
        )
    ):
        answers[row.pop("case__inspection_id")][row.pop("key_question_id")] = row
    case_counts = {
        row["inspection_id"]: row
        for row in Case.objects.filter(inspection_id__in=ids)
        .order_by()
        .values("inspection_id")
        .annotate(total=Count("pk"), counted=Count("pk", filter=Q(status__in=COUNTED_STATUSES)))
    }
    domain_one: dict[int, dict[int, str]] = defaultdict(dict)
    for inspection_id, standard_id, rating in DomainOneRating.objects.filter(
        inspection_id__in=ids
    ).values_list("inspection_id", "standard_id", "rating"):
        domain_one[inspection_id][standard_id] = rating

    rows = []
    regional: dict[tuple[str, int], dict] = {}
    for inspection in chosen:
        framework_rules = rules[inspection.framework_id]
        counts = answers.get(inspection.pk, {})
        standards, overall = _rate(framework_rules, counts, domain_one.get(inspection.pk, {}))
        cases = case_counts.get(inspection.pk, {"total": 0, "counted": 0})
        rows.append(
            InspectionRatings(
                inspection=inspection,
                standards=standards,
                overall=overall,
                cases_total=cases["total"],
                cases_counted=cases["counted"],
            )
        )
        # Regional figures add the answers up, so a big inspection weighs more.
        region = regional.setdefault(
            (inspection.unit.region.name, inspection.framework_id),
            {"inspections": 0, "cases": 0, "counts": defaultdict(lambda: defaultdict(int))},
        )
        region["inspections"] += 1
        region["cases"] += cases["counted"]
        for kq_id, figures in counts.items():
            for key, value in figures.items():
                region["counts"][kq_id][key] += value

    regions = []
    for (name, framework_id), region in sorted(regional.items()):
        framework_rules = rules[framework_id]
        standards, _ = _rate(framework_rules, region["counts"], domain_one=None)
        regions.append(
            RegionFigures(
                region=name,
                framework=next(i.framework.code for i in chosen if i.framework_id == framework_id),
                inspections=region["inspections"],
                cases=region["cases"],
                standards=[s for s in standards if s.basis == Basis.CASES],
            )
        )
    headers = []
    if chosen:
        first = rules[chosen[0].framework_id]
        headers = [s for s in first.standards if s.basis != Basis.REPORTED]
    return Overview(inspections=rows, regions=regions, headers=headers)
