"""Dashboards for a set of inspections: the overview's filters (a region, fieldwork
dates, the nation) or a saved named set; its summary.json. (Its workbook is
`transfer`'s, which builds on these.)"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from casereview.access import may_change_saved_set
from casereview.attributes import BREAKDOWN_ATTRIBUTES, CASE_TYPE, Attribute, with_case_types
from casereview.dashboards.breakdowns import (
    Breakdown,
    BreakdownGroup,
    GroupCell,
    case_breakdowns,
    filter_options,
    framework_key_questions,
    prompt_results,
    rated_key_questions,
)
from casereview.dashboards.charts import BarChart, key_question_chart
from casereview.dashboards.disclosure import disclose_breakdowns, disclose_figures
from casereview.dashboards.documents import set_document
from casereview.dashboards.filters import CaseFilterForm
from casereview.dashboards.overview import InspectionRatings
from casereview.dashboards.panels import OutcomeRow, standard_panels, standards_by_domain
from casereview.dashboards.sets import (
    JUDGEMENT_WORDS,
    NO_SET_RATING,
    MixedFrameworks,
    SetParts,
    SetSummary,
    below_set,
    disclose_set,
    overview_set,
    quarters_worth_showing,
    saved_set,
    set_cases,
    set_summary,
)
from casereview.dashboards.summary import InspectionSummary, KeyQuestionFigures
from casereview.models import CaseQuerySet
from inspection.models import Basis, KeyQuestion


def _document_response(inspection_set, user, *, form=None):
    if form is not None and form.errors:
        errors = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    try:
        summary = set_summary(inspection_set=inspection_set, user=user)
    except MixedFrameworks as problem:
        return JsonResponse({"errors": {"__all__": [str(problem)]}}, status=400)
    document = set_document(disclose_set(summary))
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


@require_GET
@login_required
def overview_summary_json(request):
    """`GET /overview/summary.json?region=NAME&from=…&to=…`: the set the filters pick."""
    form, inspection_set = overview_set(user=request.user, data=dates_as_form(request.GET))
    return _document_response(inspection_set, request.user, form=form)


@require_GET
@login_required
def saved_set_summary_json(request, set_slug):
    inspection_set = saved_set(user=request.user, slug=set_slug)
    return _document_response(inspection_set, request.user)


def dates_as_form(data):
    """`from` and `to` (the documented interface) as the overview form's own names."""
    data = data.copy()
    for short, name in (("from", "fieldwork_from"), ("to", "fieldwork_to")):
        if short in data and name not in data:
            data[name] = data.pop(short)[-1]
    return data


# The breakdown by PDU: the cases' unit, through their inspection.
PDU = Attribute("inspection__unit__name", "PDU")


@dataclass
class ComparisonCell:
    figures: KeyQuestionFigures
    below: bool  # below the set's own figure


@dataclass
class ComparisonRow:
    row: InspectionRatings
    cells: list[ComparisonCell]


@dataclass
class TrendTable:
    """One key question's figure per period, as a table and a chart."""

    code: str
    text: str
    points: list[tuple[str, KeyQuestionFigures]]
    chart: BarChart


def pdu_breakdown(summary: SetSummary, key_questions: list[KeyQuestion]) -> Breakdown:
    """The breakdown by PDU, from each PDU's counts (`SetSummary.by_pdu`)."""
    groups = [
        BreakdownGroup(
            value=name,
            label=name,
            cases=cases,
            cells=[GroupCell(yes=yes, no=no) for yes, no in tally],
        )
        for name, (cases, tally) in sorted(summary.by_pdu.items())
    ]
    return Breakdown(attribute=PDU, groups=groups, key_questions=key_questions)


def _comparison(summary: SetSummary) -> tuple[list[KeyQuestionFigures], list[ComparisonRow]]:
    rated = [kq for s in summary.standards if s.basis == Basis.CASES for kq in s.key_questions]
    rows = []
    for row in summary.by_inspection:
        mine = [kq for s in row.standards if s.basis == Basis.CASES for kq in s.key_questions]
        cells = [
            ComparisonCell(figures=kq, below=below_set(kq, theirs))
            for kq, theirs in zip(mine, rated, strict=True)
        ]
        rows.append(ComparisonRow(row=row, cells=cells))
    return rated, rows


def _trends(summary: SetSummary) -> tuple[bool, list[TrendTable]]:
    quarters = quarters_worth_showing(summary)
    points = summary.by_quarter if quarters else summary.by_year
    tables = []
    for position, kq in enumerate(
        kq for s in summary.standards if s.basis == Basis.CASES for kq in s.key_questions
    ):
        series = []
        for point in points:
            figures = [k for s in point.standards for k in s.key_questions][position]
            series.append((point.period, figures))
        # The chart draws one bar per period: the period stands where a code would.
        bars = [replace(figures, code=period, is_driving=False) for period, figures in series]
        tables.append(
            TrendTable(
                code=kq.code,
                text=kq.text,
                points=series,
                chart=key_question_chart(
                    chart_id=f"trend-{kq.code.replace('.', '-')}",
                    title=f"{kq.code}: percentage 'Yes' by {'quarter' if quarters else 'year'}"
                    " of fieldwork start",
                    key_questions=bars,
                    bands=summary.key_question_bands,
                ),
            )
        )
    return quarters, tables


def _figures(summary: SetSummary, *, cases: CaseQuerySet, disclosure) -> dict:
    """The figures page's panels: key questions with their prompts, oversight and
    outcomes."""
    framework_id = summary.framework.pk if summary.framework else None
    if framework_id is None:
        return {"domains": [], "panels": [], "outcomes": []}
    prompts = prompt_results(cases=cases, framework_id=framework_id)
    disclose_figures([p for rows in prompts.values() for p in rows], disclosure)
    by_code = {kq.code: kq for kq in framework_key_questions(framework_id=framework_id)}
    return {
        # `summary` has an inspection summary's figures; it has no case lists to link to.
        "panels": standard_panels(cast(InspectionSummary, summary), prompts, team=False, query=""),
        "domains": standards_by_domain(summary.standards, framework_id=framework_id),
        "outcomes": [
            OutcomeRow(figures=kq, allows_not_applicable=by_code[kq.code].allows_not_applicable)
            for standard in summary.reported
            for kq in standard.key_questions
        ],
    }


def _breakdowns(summary: SetSummary, *, cases: CaseQuerySet, options, disclosure) -> dict:
    """The breakdowns: by PDU from each inspection's counts, by case attribute from the
    summary's tallies."""
    if summary.framework is None:
        return {"breakdowns": []}
    key_questions = rated_key_questions(framework_key_questions(framework_id=summary.framework.pk))
    breakdowns = [
        pdu_breakdown(summary, key_questions),
        *case_breakdowns(
            cases=cases,
            key_questions=key_questions,
            attributes=with_case_types(BREAKDOWN_ATTRIBUTES, options[CASE_TYPE.field]),
            tallies=summary.tallies,
        ),
    ]
    disclose_breakdowns(breakdowns, disclosure)
    return {"breakdowns": breakdowns}


@dataclass(frozen=True)
class Tab:
    """One page of a set's dashboard, under the same heading, filters and downloads."""

    key: str
    label: str
    url_name: str  # the overview set's; a saved set's is "saved-" before it
    path: str  # after the set's own address
    parts: SetParts  # what the page shows beyond the set's own figures


FIGURES = Tab(
    "figures", "Figures", "set-dashboard", "", SetParts(rows=False, trend=False, by_pdu=False)
)
BREAKDOWNS = Tab(
    "breakdowns",
    "Breakdowns",
    "set-breakdowns",
    "breakdowns/",
    SetParts(
        rows=False,
        trend=False,
        by_pdu=True,
        breakdown_fields=tuple(a.field for a in BREAKDOWN_ATTRIBUTES),
    ),
)
PDUS = Tab("pdus", "Compare PDUs", "set-pdus", "pdus/", SetParts(trend=False, by_pdu=False))
TRENDS = Tab("trends", "Trends", "set-trends", "trends/", SetParts(rows=False, by_pdu=False))
TABS = (FIGURES, BREAKDOWNS, PDUS, TRENDS)


def _tab_links(request, inspection_set, current: Tab) -> list[tuple[Tab, str, bool]]:
    """Each page's address, the filters kept (a saved set's inspections are its own)."""
    query = request.GET.urlencode()
    links = []
    for tab in TABS:
        if inspection_set.saved:
            url = reverse(f"casereview:saved-{tab.url_name}", args=[inspection_set.slug])
        else:
            url = reverse(f"casereview:{tab.url_name}")
        links.append((tab, f"{url}?{query}" if query else url, tab == current))
    return links


def render_set_dashboard(request, inspection_set, *, set_form=None, tab: Tab = FIGURES):
    """A page of the set's dashboard: its figures (the panels of an inspection's
    dashboard), the breakdowns (by PDU among them), the comparison between its PDUs, or
    the trend. A national set's breakdown by PDU and its comparison have a column or row
    per inspection, and its trend a table and chart per key question: each has a page of
    its own, computing only what it shows (`Tab.parts`)."""
    all_cases = set_cases(inspection_set, user=request.user)
    options = filter_options(cases=all_cases)
    form = CaseFilterForm(request.GET, options=options)
    # The form filters the queryset it is given (typed as a plain QuerySet).
    cases = cast(CaseQuerySet, form.filter(all_cases))
    error_links = [*(set_form.error_links() if set_form else []), *form.error_links()]
    context = {
        "inspection_set": inspection_set,
        "set_form": set_form,
        "form": form,
        "error_links": error_links,
        "active_filters": [
            *(set_form.active_filters() if set_form else []),
            *form.active_filters(),
        ],
        "no_set_rating": NO_SET_RATING,
        "judgement_words": JUDGEMENT_WORDS,
        "may_change_set": bool(
            inspection_set.saved and may_change_saved_set(request.user, inspection_set.saved)
        ),
        "tab": tab,
        "tabs": _tab_links(request, inspection_set, tab),
    }
    try:
        summary = set_summary(
            inspection_set=inspection_set,
            user=request.user,
            cases=cases,
            parts=tab.parts,
        )
    except MixedFrameworks as problem:
        context["error_links"] = [*error_links, ("set-heading", str(problem))]
        return render(request, "casereview/dashboards/sets/set_dashboard.html", context)
    disclose_set(summary, filtered=bool(form.active_filters()))
    disclosure = summary.disclosure
    assert disclosure is not None  # noqa: S101 - disclose_set always sets it
    context["summary"] = summary
    context["is_team_member"] = disclosure.case_level
    if tab == PDUS:
        headers, comparison = _comparison(summary)
        context.update(
            {
                "comparison_headers": headers,
                "comparison": comparison,
                "rated_standards": summary.standards,
            }
        )
    elif tab == TRENDS:
        quarters, trends = _trends(summary)
        context.update(
            {
                "quarters": quarters,
                "trends": trends,
                "trend_points": summary.by_quarter if quarters else summary.by_year,
            }
        )
    elif tab == BREAKDOWNS:
        context.update(_breakdowns(summary, cases=cases, options=options, disclosure=disclosure))
    else:
        context.update(_figures(summary, cases=cases, disclosure=disclosure))
    return render(request, "casereview/dashboards/sets/set_dashboard.html", context)


@require_GET
@login_required
def overview_set_dashboard(request, tab: Tab = FIGURES):
    """The dashboard of the set the overview's filters pick (none: the nation)."""
    set_form, inspection_set = overview_set(user=request.user, data=dates_as_form(request.GET))
    return render_set_dashboard(request, inspection_set, set_form=set_form, tab=tab)


@require_GET
@login_required
def saved_set_dashboard(request, set_slug, tab: Tab = FIGURES):
    inspection_set = saved_set(user=request.user, slug=set_slug)
    return render_set_dashboard(request, inspection_set, tab=tab)
