"""What the case evidence adds up to: the live ratings summary of an inspection.

Every figure is computed from the answers on each call, in a fixed number of queries
whatever the number of cases (conditional aggregation grouped by key question). The
same summary serves the `summary` command, `summary.json` and the dashboards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Q

from casereview.models import (
    COUNTED_STATUSES,
    Answer,
    Case,
    CaseProgress,
    CaseQuerySet,
    KeyQuestionAnswer,
    Oversight,
)
from inspection import framework_rating, ratings
from inspection.models import (
    BandKind,
    Basis,
    DomainOneRating,
    Inspection,
    KeyQuestion,
    RatingBand,
    Standard,
)

if TYPE_CHECKING:  # disclosure builds on this module
    from casereview.dashboards.disclosure import Disclosure

# A rating that holds, or would lift, by this many answers or fewer rests on individual
# judgements: the cases that gave them are the ones to look at (and moderate) first.
DECIDING_ANSWERS = 2


def suppressed_words() -> str:
    """What a suppressed figure says instead: "fewer than 5 cases"."""
    return f"fewer than {settings.SMALL_NUMBER_THRESHOLD} cases"


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
    suppressed: bool = False  # over too few cases for the reader (see `disclosure`)

    @property
    def relevant(self) -> int:
        return self.yes + self.no

    @property
    def percent(self) -> int | None:
        return ratings.percent(self.yes, self.relevant)

    @property
    def interval(self) -> tuple[int, int] | None:
        """The 95% Wilson interval of the percentage, in whole percentages."""
        return ratings.wilson_interval(self.yes, self.relevant)

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
    suppressed: bool = False
    statement: str = ""
    # How firmly a case-rated standard's rating holds (see `ratings.holds_by`, `lift_by`).
    holds_by: ratings.Margin | None = None
    lift_by: ratings.Margin | None = None

    @property
    def rating_label(self) -> str:
        if self.suppressed:
            return suppressed_words()
        return (
            ratings.RATING_LABELS.get(self.rating, "Not yet rated")
            if self.rating
            else "Not yet rated"
        )

    @property
    def is_rated(self) -> bool:
        return self.basis != Basis.REPORTED

    @property
    def deciding(self) -> dict[str, tuple[str, ...]]:
        """The answers that decide this rating, by answer ("yes" / "no"): the key
        questions whose Yes answers, changed, would lower it, where it holds by
        `DECIDING_ANSWERS` or fewer, and whose No answers would lift it, likewise."""
        found = {}
        for answer, margin in ((Answer.YES, self.holds_by), (Answer.NO, self.lift_by)):
            if margin is not None and margin.answers <= DECIDING_ANSWERS:
                found[str(answer)] = margin.key_questions
        return found


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
    suppressed: bool = False

    @property
    def required(self) -> int:
        return self.effective + self.ineffective + self.absent

    @property
    def absent_or_ineffective(self) -> int:
        return self.ineffective + self.absent

    @property
    def percent_absent_or_ineffective(self) -> int | None:
        return ratings.percent(self.absent_or_ineffective, self.required)


class DisclosedSummary:
    """What a summary says about the disclosure applied to it: shared by an inspection's
    summary and a set's, so the two can never word or judge it differently."""

    cases: CaseCounts
    disclosure: Disclosure | None

    @property
    def is_subset(self) -> bool:
        return bool(self.disclosure and self.disclosure.filtered)

    @property
    def withheld_words(self) -> str:
        return suppressed_words()

    @property
    def caution(self) -> bool:
        """A team member reading figures over few cases: shown, with a caution."""
        disclosure = self.disclosure
        return bool(
            disclosure and disclosure.case_level and disclosure.is_small(self.cases.counted)
        )


@dataclass
class InspectionSummary(DisclosedSummary):
    inspection: Inspection
    cases: CaseCounts
    standards: list[StandardSummary]
    reported: list[StandardSummary]
    overall: ratings.OverallResult
    oversight: OversightFigures
    key_question_bands: list[ratings.Band]
    overall_bands: list[ratings.Band]
    disclosure: Disclosure | None = None  # the one applied, if any

    @property
    def withheld(self) -> str:
        """Why there is no score or overall rating to show, or ''."""
        if not self.overall.withheld:
            return ""
        if self.is_subset:
            return "Not a rating: figures for a filtered subset"
        return f"Not shown: {suppressed_words()}"

    @property
    def score_display(self) -> str:
        if self.overall.withheld:
            return self.withheld
        return ratings.format_score(self.overall.score, self.overall.maximum)

    @property
    def overall_label(self) -> str:
        if self.overall.withheld:
            return self.withheld
        return (
            ratings.RATING_LABELS[self.overall.rating] if self.overall.rating else "Not yet rated"
        )


def countable_cases(*, user, inspection: Inspection | None = None) -> CaseQuerySet:
    """The cases `user` may count: the one source of every figure anyone sees.

    Every aggregate (dashboard, fragment, summary.json, overview, report draft,
    workbook, breakdowns, prompts, domain one's case results) takes its cases from
    here, so no two surfaces can disagree on which cases count. A second marker's
    pending blind cases are left out, so that no figure can reveal a first answer they
    must not see. `user=None` is the system itself (the commands): every case.
    """
    cases = Case.objects.countable_by(user)
    return cases if inspection is None else cases.filter(inspection=inspection)


def inspection_cases(*, inspection: Inspection, user=None) -> CaseQuerySet:
    """The inspection's cases, as `countable_cases` gives them to `user`."""
    return countable_cases(user=user, inspection=inspection)


def case_counts(*, cases: CaseQuerySet) -> tuple[CaseCounts, OversightFigures]:
    """Case progress and management oversight, in one conditional aggregate."""
    counted = Q(status__in=COUNTED_STATUSES)
    totals = cases.order_by().aggregate(
        total=Count("pk"),
        **CaseProgress.counts(),
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


def key_question_counts(*, cases: CaseQuerySet) -> dict[int, dict[str, int]]:
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


def framework_rules(framework_ids: set[int]) -> dict[int, framework_rating.FrameworkRules]:
    """The frameworks as plain rating data, in three queries whatever their number."""
    rules = {framework_id: framework_rating.FrameworkRules() for framework_id in framework_ids}
    key_questions: dict[int, list[framework_rating.KeyQuestionRule]] = {}
    for kq in KeyQuestion.objects.of_frameworks(framework_ids):
        key_questions.setdefault(kq.standard_id, []).append(
            framework_rating.KeyQuestionRule(id=kq.pk, code=kq.code, text=kq.text, lens=kq.lens)
        )
    for standard in (
        Standard.objects.filter(framework_id__in=framework_ids)
        .select_related("domain")
        .order_by("framework_id", "order", "code")
    ):
        rules[standard.framework_id].standards.append(
            framework_rating.StandardRule(
                id=standard.pk,
                code=standard.code,
                title=standard.title,
                domain=standard.domain.number,
                basis=standard.basis,
                key_questions=tuple(key_questions.get(standard.pk, ())),
                statement=standard.statement,
            )
        )
    for band in RatingBand.objects.filter(framework_id__in=framework_ids):
        target = rules[band.framework_id]
        if band.kind == BandKind.KEY_QUESTION:
            target.key_question_bands.append(band.as_band())
        else:
            target.overall_bands.append(band.as_band())
    return rules


def rate(
    rules: framework_rating.FrameworkRules,
    counts: dict[int, dict[str, int]],
    domain_one: dict[int, DomainOneRating] | None,
    *,
    explain: bool = True,
) -> tuple[list[StandardSummary], ratings.OverallResult]:
    """Every standard's figures and rating, and the overall result (no queries).

    `counts` are Yes / No / Not applicable per key question id; `domain_one` the
    lead's judgements per standard id, or None where they do not apply (a region);
    `explain=False`: without the margins (`framework_rating.rate_framework`).
    """
    result = framework_rating.rate_framework(
        rules,
        {kq_id: framework_rating.Counts(**row) for kq_id, row in counts.items()},
        None
        if domain_one is None
        else {standard_id: judgement.rating for standard_id, judgement in domain_one.items()},
        explain=explain,
    )
    empty = {"yes": 0, "no": 0, "not_applicable": 0}
    standards = []
    for rated in result.standards:
        rule = rated.rule
        summary = StandardSummary(
            code=rule.code,
            title=rule.title,
            statement=rule.statement,
            domain=rule.domain,
            basis=rule.basis,
            rating=rated.rating,
            score=rated.score,
            key_questions=[
                KeyQuestionFigures(
                    code=kq.code,
                    text=kq.text,
                    lens=kq.lens,
                    yes=counts.get(kq.id, empty)["yes"],
                    no=counts.get(kq.id, empty)["no"],
                    not_applicable=counts.get(kq.id, empty)["not_applicable"],
                    is_driving=kq.code == rated.driving,
                    next_band=rated.next_bands.get(kq.code),
                )
                for kq in rule.key_questions
            ],
            holds_by=rated.holds_by,
            lift_by=rated.lift_by,
        )
        if rule.basis == Basis.JUDGEMENT and domain_one is not None:
            summary.domain_one = domain_one.get(rule.id)
        summary.driving = next((kq for kq in summary.key_questions if kq.is_driving), None)
        standards.append(summary)
    return standards, result.overall


def inspection_summary(
    *, inspection: Inspection, cases: CaseQuerySet | None = None
) -> InspectionSummary:
    """The ratings as a published report would give them if fieldwork ended now.

    `cases` come from `countable_cases` for the user who will see the figures, narrowed
    by a filter or breakdown group where one applies (None: every case, as the commands
    count them); domain-one judgements are the inspection's whatever the subset.
    """
    if cases is None:
        cases = countable_cases(user=None, inspection=inspection)
    rules = framework_rules({inspection.framework_id})[inspection.framework_id]
    counts = key_question_counts(cases=cases)
    domain_one = {
        rating.standard_id: rating
        for rating in DomainOneRating.objects.filter(inspection=inspection)
    }
    case_figures, oversight = case_counts(cases=cases)
    standards, overall = rate(rules, counts, domain_one)
    return InspectionSummary(
        inspection=inspection,
        cases=case_figures,
        standards=[s for s in standards if s.basis != Basis.REPORTED],
        reported=[s for s in standards if s.basis == Basis.REPORTED],
        overall=overall,
        oversight=oversight,
        key_question_bands=rules.key_question_bands,
        overall_bands=rules.overall_bands,
    )
