"""The one path from a request to a case: 404 unless the user may see it.

Mirrors `inspection.access.get_inspection_for_user`. Nobody learns that a case exists
unless they may see it (404, not 403): viewers see dashboards and aggregate exports
only, never a case. A user who may see the case but not change it gets 403 on a write.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from casereview.models import Case


def get_case_for_user(user, pk, *, edit: bool = False, lead: bool = False) -> Case:
    """The case `pk` as `user` may reach it.

    `edit=True`: the user must be able to change its answers now (an inspector their
    own case while in progress or returned; a lead any open case of the inspection).
    `lead=True`: the user must lead the case's inspection (moderation, assignment).
    """
    # A second marker answers blind: the case is hidden from them until they submit.
    visible = (
        Case.objects.visible_to(user)
        .without_pending_second_marking_by(user)
        .select_related("inspection__unit__region", "inspection__framework", "inspector")
    )
    try:
        case = visible.get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case") from None
    if lead and not case.inspection.is_lead(user):
        raise PermissionDenied("Only the inspection's lead may do this")
    if edit and not Case.objects.editable_by(user).filter(pk=case.pk).exists():
        raise PermissionDenied("You may not change this case")
    return case
