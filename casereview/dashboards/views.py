"""Dashboards: an inspection's live ratings, explained and broken down; the cases
answered No on a key question; the overview across inspections; summary.json."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casereview.attributes import BREAKDOWN_ATTRIBUTES, CASE_TYPE, with_case_types
from casereview.dashboards.breakdowns import (
    case_breakdowns,
    cases_answered,
    filter_options,
    framework_key_questions,
    inspector_progress,
    prompt_results,
    rated_key_questions,
)
from casereview.dashboards.disclosure import (
    Disclosure,
    disclose_breakdowns,
    disclose_figures,
    disclose_overview,
    disclose_summary,
)
from casereview.dashboards.documents import summary_document
from casereview.dashboards.explanations import overall_holds_sentence
from casereview.dashboards.filters import CaseFilterForm, OverviewFilterForm
from casereview.dashboards.overview import inspections_overview
from casereview.dashboards.panels import OutcomeRow, standard_panels, standards_by_domain
from casereview.dashboards.summary import (
    countable_cases,
    inspection_summary,
)
from casereview.models import Answer, CaseQuerySet
from inspection.access import (
    get_inspection_for_user,
    inspections_for_user,
    is_team_member,
    may_lead,
    team_inspections_for_user,
)
from inspection.models import Inspection, InspectionStatus, KeyQuestion

# The script asks for the figures alone with this header, to swap them in place.
FRAGMENT_HEADER = "X-Dashboard-Fragment"


def _refresh_seconds(inspection: Inspection) -> int | None:
    """Figures refresh themselves only while fieldwork is under way."""
    if inspection.status != InspectionStatus.FIELDWORK:
        return None
    return settings.DASHBOARD_REFRESH_SECONDS


@require_GET
@login_required
@never_cache
def inspection_dashboard(request, slug):
    inspection = get_inspection_for_user(request.user, slug)
    all_cases = countable_cases(user=request.user, inspection=inspection)
    options = filter_options(cases=all_cases)
    form = CaseFilterForm(request.GET, options=options)
    # The form filters the queryset it is given (typed as a plain QuerySet).
    cases = cast(CaseQuerySet, form.filter(all_cases))
    query = form.query_string()

    team = is_team_member(request.user, inspection)
    disclosure = Disclosure.for_user(case_level=team, filtered=bool(form.active_filters()))
    summary = disclose_summary(inspection_summary(inspection=inspection, cases=cases), disclosure)
    key_questions = framework_key_questions(framework_id=inspection.framework_id)
    by_code = {kq.code: kq for kq in key_questions}
    prompts = prompt_results(cases=cases, framework_id=inspection.framework_id)
    disclose_figures([p for rows in prompts.values() for p in rows], disclosure)
    breakdowns = case_breakdowns(
        cases=cases,
        key_questions=rated_key_questions(key_questions),
        attributes=with_case_types(BREAKDOWN_ATTRIBUTES, options[CASE_TYPE.field]),
    )
    disclose_breakdowns(breakdowns, disclosure)
    context = {
        "inspection": inspection,
        "summary": summary,
        "form": form,
        "active_filters": form.active_filters(),
        "query": query,
        "provisional": not summary.overall.complete
        or inspection.status != InspectionStatus.COMPLETE,
        "domains": standards_by_domain(summary.standards, framework_id=inspection.framework_id),
        "panels": standard_panels(summary, prompts, team=team, query=query),
        "overall_holds": overall_holds_sentence(summary.overall),
        "outcomes": [
            OutcomeRow(figures=kq, allows_not_applicable=by_code[kq.code].allows_not_applicable)
            for standard in summary.reported
            for kq in standard.key_questions
        ],
        "progress": inspector_progress(cases=cases),
        "breakdowns": breakdowns,
        "refresh_seconds": _refresh_seconds(inspection),
        "updated_at": timezone.localtime(),
        "is_team_member": team,
        "is_lead": team and may_lead(request.user, inspection),
    }
    if request.headers.get(FRAGMENT_HEADER) == "figures":
        response = render(request, "casereview/dashboards/_dashboard_figures.html", context)
        response[FRAGMENT_HEADER] = "figures"
    else:
        response = render(request, "casereview/dashboards/inspection_dashboard.html", context)
    patch_vary_headers(response, [FRAGMENT_HEADER])
    return response


@require_GET
@login_required
@never_cache
def key_question_no_cases(request, slug, code):
    """The counted cases answered No on one key question, for the inspection's team."""
    return _key_question_cases(request, slug, code, answer=Answer.NO)


@require_GET
@login_required
@never_cache
def key_question_yes_cases(request, slug, code):
    """The counted cases answered Yes on one key question, for the inspection's team:
    where a rating holds by few answers, these are the judgements it rests on."""
    return _key_question_cases(request, slug, code, answer=Answer.YES)


def _key_question_cases(request, slug, code, *, answer):
    """The cases given one answer on a key question, with their evidence notes.

    Viewers see aggregate figures only, so for them these pages do not exist (404).
    """
    inspection = get_inspection_for_user(request.user, slug, team=True)
    try:
        key_question = (
            KeyQuestion.objects.of_framework(inspection.framework_id)
            .select_related("standard")
            .get(code=code)
        )
    except KeyQuestion.DoesNotExist:
        raise Http404("No such key question") from None
    # A second marker answers blind: the first answers stay hidden until they submit.
    all_cases = countable_cases(user=request.user, inspection=inspection)
    form = CaseFilterForm(request.GET, options=filter_options(cases=all_cases))
    # The form filters the queryset it is given (typed as a plain QuerySet).
    visible = cast(CaseQuerySet, form.filter(all_cases))
    answers = list(cases_answered(cases=visible, key_question=key_question, answer=answer))
    labels = dict(inspection.framework.case_type_choices())
    for row in answers:
        row.case._case_type_label = labels.get(row.case.case_type, row.case.case_type)
    query = form.query_string()
    dashboard_url = reverse("casereview:inspection-dashboard", args=[inspection.slug])
    return render(
        request,
        "casereview/dashboards/key_question_cases.html",
        {
            "inspection": inspection,
            "key_question": key_question,
            "answers": answers,
            "answer_label": Answer(answer).label,
            "active_filters": form.active_filters(),
            "dashboard_url": f"{dashboard_url}?{query}" if query else dashboard_url,
        },
    )


@require_GET
@login_required
def overview(request):
    """Every inspection the user may see, rated side by side, and regional figures."""
    visible = inspections_for_user(request.user)
    form = OverviewFilterForm(request.GET, inspections=visible)
    inspections = form.filter(visible).order_by("-fieldwork_start", "slug")
    overview = inspections_overview(inspections=inspections, user=request.user)
    disclose_overview(
        overview, team=set(team_inspections_for_user(request.user).values_list("pk", flat=True))
    )
    return render(
        request,
        "casereview/dashboards/overview.html",
        {
            "form": form,
            "active_filters": form.active_filters(),
            "overview": overview,
        },
    )


@require_GET
@login_required
def summary_json(request, slug):
    inspection = get_inspection_for_user(request.user, slug)
    # The same cases as the dashboard: less any the user is second-marking blind.
    cases = countable_cases(user=request.user, inspection=inspection)
    disclosure = Disclosure.for_user(case_level=is_team_member(request.user, inspection))
    summary = disclose_summary(inspection_summary(inspection=inspection, cases=cases), disclosure)
    document = summary_document(summary)
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})
