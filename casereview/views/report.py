from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from casereview.dashboards.disclosure import Disclosure
from casereview.report import report_draft
from inspection.access import get_inspection_for_user, is_team_member


@require_GET
@login_required
def report_draft_page(request, slug):
    """The report's Ratings page and key-question tables with generated sentences:
    aggregates only, so everyone who may see the inspection may read it."""
    inspection = get_inspection_for_user(request.user, slug)
    return render(
        request,
        "casereview/report_draft.html",
        {
            "inspection": inspection,
            "draft": report_draft(
                inspection=inspection,
                user=request.user,
                disclosure=Disclosure.for_user(case_level=is_team_member(request.user, inspection)),
            ),
            "is_lead": inspection.is_lead(request.user),
            "generated": timezone.now(),
        },
    )
