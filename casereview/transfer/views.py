"""Downloads of an inspection's figures, and of a set's. Viewers get aggregates only
(the workbook and the summary); the case answers CSV is the lead's, since it carries
every judgement."""

from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from casereview.dashboards.breakdowns import filter_options
from casereview.dashboards.disclosure import Disclosure
from casereview.dashboards.filters import CaseFilterForm
from casereview.dashboards.sets import (
    MixedFrameworks,
    disclose_set,
    overview_set,
    saved_set,
    set_cases,
    set_summary,
)
from casereview.dashboards.sets_views import PDU, dates_as_form, render_set_dashboard
from casereview.dashboards.summary import countable_cases
from casereview.models import CaseQuerySet
from casereview.transfer.exports import case_csv_lines
from casereview.transfer.set_workbook import set_workbook
from casereview.transfer.workbook import BREAKDOWN_ATTRIBUTES as WORKBOOK_BREAKDOWNS
from casereview.transfer.workbook import (
    inspection_workbook,
    workbook_bytes,
    workbook_file,
)
from inspection.access import get_inspection_for_user, is_team_member, may_lead, require_lead

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@login_required
def exports(request, slug):
    inspection = get_inspection_for_user(request.user, slug)
    return render(
        request,
        "casereview/transfer/exports.html",
        {
            "inspection": inspection,
            "is_lead": may_lead(request.user, inspection),
            "protective_marking": settings.PROTECTIVE_MARKING,
        },
    )


@require_GET
@login_required
def cases_csv(request, slug):
    inspection = get_inspection_for_user(request.user, slug)
    require_lead(request.user, inspection, "Only the inspection's lead may export the case answers")
    notes = request.GET.get("notes") == "1"
    name = f"{inspection.slug}-cases{'-with-notes' if notes else ''}.csv"
    return StreamingHttpResponse(
        case_csv_lines(inspection=inspection, notes=notes),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@require_GET
@login_required
def workbook_xlsx(request, slug):
    inspection = get_inspection_for_user(request.user, slug)
    cases = countable_cases(user=request.user, inspection=inspection)
    filters = []
    if request.GET:
        # The dashboard's filters, so a filtered view downloads as what it shows.
        form = CaseFilterForm(request.GET, options=filter_options(cases=cases))
        # The form filters the queryset it is given (typed as a plain QuerySet).
        cases = cast(CaseQuerySet, form.filter(cases))
        filters = [f"{item.label}: {item.value_label}" for item in form.active_filters()]
    generated = timezone.now()
    disclosure = Disclosure.for_user(
        case_level=is_team_member(request.user, inspection), filtered=bool(filters)
    )
    workbook = inspection_workbook(
        inspection=inspection,
        cases=cases,
        filters=filters,
        generated=generated,
        disclosure=disclosure,
    )
    name = f"{inspection.slug}-data-workbook-{generated:%Y-%m-%d}.xlsx"
    return HttpResponse(
        workbook_bytes(workbook),
        content_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _set_workbook(request, inspection_set, *, set_form=None):
    """The set's workbook, streamed from a temporary file; the dashboard's filters apply."""
    if set_form is not None and set_form.errors:
        return render_set_dashboard(request, inspection_set, set_form=set_form)
    all_cases = set_cases(inspection_set, user=request.user)
    form = CaseFilterForm(request.GET, options=filter_options(cases=all_cases))
    # The form filters the queryset it is given (typed as a plain QuerySet).
    cases = cast(CaseQuerySet, form.filter(all_cases))
    filters = [f"{item.label}: {item.value_label}" for item in form.active_filters()]
    try:
        summary = set_summary(inspection_set=inspection_set, user=request.user, cases=cases)
    except MixedFrameworks:
        return render_set_dashboard(request, inspection_set, set_form=set_form)
    disclose_set(summary, filtered=bool(filters))
    generated = timezone.now()
    if set_form is not None:
        filters = [
            f"{item.label}: {item.value_label}" for item in set_form.active_filters()
        ] + filters
    workbook = set_workbook(
        summary=summary,
        cases=cases,
        filters=filters,
        generated=generated,
        attributes=(PDU, *WORKBOOK_BREAKDOWNS),
    )
    name = f"{slugify(inspection_set.title)}-data-workbook-{generated:%Y-%m-%d}.xlsx"
    return FileResponse(
        workbook_file(workbook), as_attachment=True, filename=name, content_type=XLSX
    )


@require_GET
@login_required
def overview_set_workbook(request):
    set_form, inspection_set = overview_set(user=request.user, data=dates_as_form(request.GET))
    return _set_workbook(request, inspection_set, set_form=set_form)


@require_GET
@login_required
def saved_set_workbook(request, set_slug):
    return _set_workbook(request, saved_set(user=request.user, slug=set_slug))
