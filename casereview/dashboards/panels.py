"""The dashboard's display objects: each rated standard's panel (its explanation, next
step, chart and key question rows), the outcomes rows, and the standards under their
domains. Built from the disclosed summary; the view only gathers and renders them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from casereview.dashboards.breakdowns import PromptFigures
from casereview.dashboards.charts import BarChart, key_question_chart
from casereview.dashboards.explanations import (
    StandardStep,
    band_edge_sentence,
    holds_sentence,
    interval_words,
    next_band_sentence,
    rating_explanation,
    standard_next_step,
)
from casereview.dashboards.summary import InspectionSummary, KeyQuestionFigures, StandardSummary
from inspection.models import Basis, Domain


@dataclass
class KeyQuestionRow:
    figures: KeyQuestionFigures
    next_band: str
    prompts: list[PromptFigures]
    no_url: str | None  # team members only: viewers never see case-level data
    interval: str = ""  # "How sure is this?": the 95% interval beside the percentage
    band_edge: str | None = None  # the sentence where the interval spans a band edge


@dataclass
class CasesLink:
    """A link to the cases behind a fragile rating (team members only)."""

    url: str
    text: str


@dataclass
class StandardPanel:
    standard: StandardSummary
    explanation: str
    next_step: StandardStep | None
    chart: BarChart
    rows: list[KeyQuestionRow]
    holds: str | None = None  # how firmly the rating holds (`holds_sentence`)
    # Team members only: the Yes answers a fall would change, the No answers a lift would.
    deciding_links: list[CasesLink] = field(default_factory=list)

    @property
    def band_edges(self) -> list[str]:
        return [row.band_edge for row in self.rows if row.band_edge]


@dataclass
class OutcomeRow:
    figures: KeyQuestionFigures
    allows_not_applicable: bool


def standard_panels(
    summary: InspectionSummary,
    prompts: dict[str, list[PromptFigures]],
    *,
    team: bool,
    query: str,
) -> list[StandardPanel]:
    panels = []
    bands = summary.key_question_bands
    slug = summary.inspection.slug if team else ""  # a set's panels link to no cases
    suffix = f"?{query}" if query else ""
    for standard in summary.standards:
        if standard.basis != Basis.CASES:
            continue
        rows = [
            KeyQuestionRow(
                figures=kq,
                next_band=next_band_sentence(kq),
                prompts=prompts.get(kq.code, []),
                no_url=(
                    reverse("casereview:key-question-no", args=[slug, kq.code]) + suffix
                    if team and kq.no
                    else None
                ),
                interval=interval_words(kq),
                band_edge=band_edge_sentence(kq, bands),
            )
            for kq in standard.key_questions
        ]
        # One click from a fragile rating to the cases it rests on (team members only).
        deciding_links = [
            CasesLink(
                url=reverse(f"casereview:key-question-{answer}", args=[slug, code]) + suffix,
                text=f"Cases answered {answer.capitalize()} on {code}",
            )
            for answer, codes in (standard.deciding.items() if team else ())
            for code in codes
        ]
        panels.append(
            StandardPanel(
                standard=standard,
                explanation=rating_explanation(standard, bands),
                next_step=standard_next_step(standard, bands),
                chart=key_question_chart(
                    chart_id=f"chart-{standard.code.replace('.', '-')}",
                    title=f"{standard.code} {standard.title}: percentage 'Yes' by key question",
                    key_questions=standard.key_questions,
                    bands=bands,
                ),
                rows=rows,
                holds=holds_sentence(standard),
                deciding_links=deciding_links,
            )
        )
    return panels


def standards_by_domain(
    standards: list[StandardSummary], *, framework_id: int
) -> list[tuple[int, str, list[StandardSummary]]]:
    """The rated standards under their domains, as the report's Ratings page has them."""
    titles = dict(Domain.objects.filter(framework_id=framework_id).values_list("number", "title"))
    grouped: dict[int, list[StandardSummary]] = {}
    for standard in standards:
        grouped.setdefault(standard.domain, []).append(standard)
    return [(number, titles.get(number, ""), grouped[number]) for number in sorted(grouped)]
