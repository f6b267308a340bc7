from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from casereview.selectors import inspection_summary
from inspection.access import get_inspection_for_user


@require_GET
@login_required
def inspection_dashboard(request, slug):
    inspection = get_inspection_for_user(request.user, slug)
    summary = inspection_summary(inspection=inspection)
    return render(
        request,
        "casereview/inspection_dashboard.html",
        {"inspection": inspection, "summary": summary},
    )
