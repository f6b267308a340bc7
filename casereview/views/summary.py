from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from casereview.selectors import countable_cases, inspection_summary, summary_document
from inspection.access import get_inspection_for_user


@require_GET
@login_required
def summary_json(request, slug):
    inspection = get_inspection_for_user(request.user, slug)
    # The same cases as the dashboard: less any the user is second-marking blind.
    cases = countable_cases(user=request.user, inspection=inspection)
    document = summary_document(inspection_summary(inspection=inspection, cases=cases))
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})
