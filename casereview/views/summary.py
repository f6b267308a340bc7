from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from casereview.disclosure import Disclosure, disclose_summary
from casereview.selectors import countable_cases, inspection_summary, summary_document
from inspection.access import get_inspection_for_user, is_team_member


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
