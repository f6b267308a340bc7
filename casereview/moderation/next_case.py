"""The next case waiting for someone, offered once they have finished with one.

For the lead: the next submitted case of the moderation queue (the queue's own order).
For an inspector: their next case still to submit, returned ones first as they are
waiting on them. One query each; a second marker's pending blind case is never offered.
"""

from __future__ import annotations

from django.db import models

from casereview.models import EDITABLE_STATUSES, Case, CaseStatus
from inspection.models import Inspection


def next_to_moderate(*, inspection: Inspection, user, after: Case | None = None) -> Case | None:
    cases = Case.objects.filter(
        inspection=inspection, status=CaseStatus.SUBMITTED
    ).without_pending_second_marking_by(user)
    if after is not None:
        cases = cases.exclude(pk=after.pk)
    return cases.order_by("reference").first()


def next_to_submit(*, inspection: Inspection, user, after: Case | None = None) -> Case | None:
    returned_first = models.Case(
        models.When(status=CaseStatus.RETURNED, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )
    cases = Case.objects.assigned_to(user).filter(
        inspection=inspection, status__in=EDITABLE_STATUSES
    )
    if after is not None:
        cases = cases.exclude(pk=after.pk)
    return cases.order_by(returned_first, "reference").first()


def next_case_for(*, case: Case, user, is_lead: bool) -> Case | None:
    """What to offer on `case`'s page once it no longer waits for `user`: None while it
    still does (a lead's submitted case, an inspector's own open case)."""
    if is_lead and case.status in (CaseStatus.MODERATED, CaseStatus.RETURNED):
        return next_to_moderate(inspection=case.inspection, user=user, after=case)
    if not is_lead and case.inspector_id == user.pk and not case.is_editable:
        return next_to_submit(inspection=case.inspection, user=user, after=case)
    return None
