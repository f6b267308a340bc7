"""What the case evidence adds up to: the live ratings summary of an inspection.

Every figure is computed from the answers on each call, in a fixed number of queries
whatever the number of cases (conditional aggregation grouped by key question). The
same summary serves the `summary` command, `summary.json` and the dashboards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from casereview.models import (
    COUNTED_STATUSES,
    Answer,
    Case,
    CaseStatus,
    KeyQuestionAnswer,
    Oversight,
)
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
class KeyQuestionFigures:
    code: str
    text: str
    lens: str
    yes: int
    no: int
    not_applicable: int
    is_driving: bool = False
    next_band: ratings.NextBand | None = None

    @property
    def relevant(self) -> int:
        return self.yes + self.no

    @property
    def percent(self) -> int | None:
        return ratings.percent(self.yes, self.relevant)

    def as_result(self) -> ratings.KeyQuestionResult:
        return ratings.KeyQuestionResult(code=self.code, yes=self.yes, relevant=self.relevant)


@dataclass
class StandardSummary:
    code: str
    title: str
    domain: int
    basis: str
    rating: str | None = None
    score: int | None = None
    key_questions: list[KeyQuestionFigures] = field(default_factory=list)
    driving: KeyQuestionFigures | None = None
    domain_one: DomainOneRating | None = None

    @property
    def rating_label(self) -> str:
        return (
            ratings.RATING_LABELS.get(self.rating, "Not yet rated")
            if self.rating
            else "Not yet rated"
        )

    @property
    def is_rated(self) -> bool:
        return self.basis != Basis.REPORTED


@dataclass
class CaseCounts:
    total: int
    not_started: int
    in_progress: int
    submitted: int
    returned: int
    moderated: int

    @property
    def counted(self) -> int:
        return self.submitted + self.moderated


@dataclass
class OversightFigures:
    effective: int
    ineffective: int
    absent: int
    not_required: int

    @property
    def required(self) -> int:
        return self.effective + self.ineffective + self.absent

    @property
    def absent_or_ineffective(self) -> int:
        return self.ineffective + self.absent

    @property
    def percent_absent_or_ineffective(self) -> int | None:
        return ratings.percent(self.absent_or_ineffective, self.required)


@dataclass
class InspectionSummary:
    inspection: Inspection
    cases: CaseCounts
    standards: list[StandardSummary]
    reported: list[StandardSummary]
    overall: ratings.OverallResult
    oversight: OversightFigures
    key_question_bands: list[ratings.Band]
    overall_bands: list[ratings.Band]

    @property
    def score_display(self) -> str:
        return ratings.format_score(self.overall.score, self.overall.maximum)

    @property
    def overall_label(self) -> str:
        return (
            ratings.RATING_LABELS[self.overall.rating] if self.overall.rating else "Not yet rated"
        )


def inspection_cases(*, inspection: Inspection, user=None) -> QuerySet[Case]:
    """The inspection's cases; for `user`, less the cases they are second-marking blind,
    so that no filtered figure can reveal a first answer they must not see."""
    cases = Case.objects.filter(inspection=inspection)
    return cases if user is None else cases.without_pending_second_marking_by(user)


def case_counts(*, cases: QuerySet[Case]) -> tuple[CaseCounts, OversightFigures]:
    """Case progress and management oversight, in one conditional aggregate."""
    counted = Q(status__in=COUNTED_STATUSES)
    totals = cases.order_by().aggregate(
        total=Count("pk"),
        not_started=Count("pk", filter=Q(status=CaseStatus.IN_PROGRESS, version=0)),
        in_progress=Count("pk", filter=Q(status=CaseStatus.IN_PROGRESS, version__gt=0)),
        submitted=Count("pk", filter=Q(status=CaseStatus.SUBMITTED)),
        returned=Count("pk", filter=Q(status=CaseStatus.RETURNED)),
        moderated=Count("pk", filter=Q(status=CaseStatus.MODERATED)),
        effective=Count("pk", filter=counted & Q(oversight=Oversight.EFFECTIVE)),
        ineffective=Count("pk", filter=counted & Q(oversight=Oversight.INEFFECTIVE)),
        absent=Count("pk", filter=counted & Q(oversight=Oversight.ABSENT)),
        not_required=Count("pk", filter=counted & Q(oversight=Oversight.NOT_REQUIRED)),
    )
    oversight = OversightFigures(
        effective=totals.pop("effective"),
        ineffective=totals.pop("ineffective"),
        absent=totals.pop("absent"),
        not_required=totals.pop("not_required"),
    )
    return CaseCounts(**totals), oversight


def key_question_counts(*, cases: QuerySet[Case]) -> dict[int, dict[str, int]]:
    """Yes / No / Not applicable per key question over the counted cases, in one query."""
    rows = (
        KeyQuestionAnswer.objects.filter(case__in=cases.counted())
        .order_by()
        .values("key_question_id")
        .annotate(
            yes=Count("pk", filter=Q(answer=Answer.YES)),
            no=Count("pk", filter=Q(answer=Answer.NO)),
            not_applicable=Count("pk", filter=Q(answer=Answer.NOT_APPLICABLE)),
        )
    )
    return {row.pop("key_question_id"): row for row in rows}


def framework_bands(*, framework_id: int) -> tuple[list[ratings.Band], list[ratings.Band]]:
    key_question_bands, overall_bands = [], []
    for band in RatingBand.objects.filter(framework_id=framework_id):
        target = key_question_bands if band.kind == BandKind.KEY_QUESTION else overall_bands
        target.append(band.as_band())
    return key_question_bands, overall_bands


def inspection_summary(
    *, inspection: Inspection, cases: QuerySet[Case] | None = None
) -> InspectionSummary:
    """The ratings as a published report would give them if fieldwork ended now.

    `cases` narrows the figures to a subset (a filter or breakdown group); domain-one
    judgements are the inspection's whatever the subset.
    """
    if cases is None:
        cases = inspection_cases(inspection=inspection)
    framework_id = inspection.framework_id
    key_question_bands, overall_bands = framework_bands(framework_id=framework_id)
    score_of_rating = {band.rating: band.score for band in key_question_bands}

    standards = list(
        Standard.objects.filter(framework_id=framework_id)
        .select_related("domain")
        .order_by("order")
    )
    key_questions = KeyQuestion.objects.filter(standard__framework_id=framework_id).order_by(
        "order", "code"
    )
    counts = key_question_counts(cases=cases)
    domain_one = {
        rating.standard_id: rating
        for rating in DomainOneRating.objects.filter(inspection=inspection)
    }
    case_figures, oversight = case_counts(cases=cases)

    by_standard: dict[int, list[KeyQuestionFigures]] = {standard.pk: [] for standard in standards}
    empty = {"yes": 0, "no": 0, "not_applicable": 0}
    for key_question in key_questions:
        by_standard[key_question.standard_id].append(
            KeyQuestionFigures(
                code=key_question.code,
                text=key_question.text,
                lens=key_question.lens,
                **counts.get(key_question.pk, empty),
            )
        )

    rated, reported = [], []
    for standard in standards:
        summary = StandardSummary(
            code=standard.code,
            title=standard.title,
            domain=standard.domain.number,
            basis=standard.basis,
            key_questions=by_standard[standard.pk],
        )
        if standard.basis == Basis.JUDGEMENT:
            summary.domain_one = domain_one.get(standard.pk)
            if summary.domain_one:
                summary.rating = summary.domain_one.rating
                summary.score = score_of_rating.get(summary.rating)
        elif standard.basis == Basis.CASES:
            result = ratings.rate_standard(
                [figures.as_result() for figures in summary.key_questions], key_question_bands
            )
            summary.rating, summary.score = result.rating, result.score
            for figures in summary.key_questions:
                figures.next_band = ratings.next_band(
                    figures.yes, figures.relevant, key_question_bands
                )
                if result.driving and figures.code == result.driving.code:
                    figures.is_driving = True
                    summary.driving = figures
        (reported if standard.basis == Basis.REPORTED else rated).append(summary)

    top_score = max((band.score for band in key_question_bands), default=0)
    overall = ratings.rate_overall(
        [standard.score for standard in rated], overall_bands, maximum=top_score * len(rated)
    )
    return InspectionSummary(
        inspection=inspection,
        cases=case_figures,
        standards=rated,
        reported=reported,
        overall=overall,
        oversight=oversight,
        key_question_bands=key_question_bands,
        overall_bands=overall_bands,
    )


def summary_document(summary: InspectionSummary) -> dict:
    """The stable JSON document of `summary --json` and `summary.json`."""
    inspection = summary.inspection

    def key_question_entry(figures: KeyQuestionFigures) -> dict:
        return {
            "code": figures.code,
            "text": figures.text,
            "yes": figures.yes,
            "relevant": figures.relevant,
            "percent": figures.percent,
        }

    def standard_entry(standard: StandardSummary) -> dict:
        entry = {
            "code": standard.code,
            "title": standard.title,
            "basis": standard.basis,
            "rating": standard.rating,
            "score": standard.score,
        }
        if standard.basis != Basis.JUDGEMENT:
            entry["key_questions"] = [key_question_entry(kq) for kq in standard.key_questions]
        return entry

    oversight = summary.oversight
    return {
        "inspection": inspection.slug,
        "unit": inspection.unit.name,
        "region": inspection.unit.region.name,
        "framework": inspection.framework.code,
        "cases": {"total": summary.cases.total, "submitted": summary.cases.counted},
        "standards": [standard_entry(standard) for standard in summary.standards],
        "overall": {
            "score": summary.overall.score,
            "max": summary.overall.maximum,
            "rating": summary.overall.rating,
            "complete": summary.overall.complete,
        },
        "management_oversight": {
            "effective": oversight.effective,
            "ineffective": oversight.ineffective,
            "absent": oversight.absent,
            "not_required": oversight.not_required,
            "required": oversight.required,
            "absent_or_ineffective_percent": oversight.percent_absent_or_ineffective,
        },
        "outcomes": [
            {
                **key_question_entry(kq),
                "not_applicable": kq.not_applicable,
            }
            for standard in summary.reported
            for kq in standard.key_questions
        ],
    }
