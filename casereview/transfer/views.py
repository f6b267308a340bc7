"""Downloads of an inspection's figures. Viewers get aggregates only (the workbook and
the summary); the case answers CSV is the lead's, since it carries every judgement."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from casereview.dashboards.breakdowns import filter_options
from casereview.dashboards.disclosure import Disclosure
from casereview.dashboards.filters import CaseFilterForm
from casereview.dashboards.summary import countable_cases
from casereview.transfer.exports import case_csv_lines
from casereview.transfer.workbook import inspection_workbook, workbook_bytes
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
        cases = form.filter(cases)
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
