"""Dashboards for a set of inspections: the overview's filters (a region, fieldwork
dates, the nation) or a saved named set; its summary.json and workbook."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from casereview.dashboards.sets import (
    MixedFrameworks,
    disclose_set,
    overview_set,
    saved_set,
    set_document,
    set_summary,
)


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
    form, inspection_set = overview_set(user=request.user, data=_dates_as_form(request.GET))
    return _document_response(inspection_set, request.user, form=form)


@require_GET
@login_required
def saved_set_summary_json(request, set_slug):
    inspection_set = saved_set(user=request.user, slug=set_slug)
    return _document_response(inspection_set, request.user)


def _dates_as_form(data):
    """`from` and `to` (the documented interface) as the overview form's own names."""
    data = data.copy()
    for short, name in (("from", "fieldwork_from"), ("to", "fieldwork_to")):
        if short in data and name not in data:
            data[name] = data.pop(short)[-1]
    return data
