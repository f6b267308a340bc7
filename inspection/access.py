"""The one path from a request to an inspection: 404 unless the user may see it.

Nobody learns that an inspection exists unless they may see it (404, not 403); a user
who may see it but not change it gets 403 on a write.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from inspection.models import Inspection


def get_inspection_for_user(user, slug: str, *, lead: bool = False) -> Inspection:
    visible = Inspection.objects.visible_to(user).select_related("unit__region", "framework")
    try:
        inspection = visible.get(slug=slug)
    except Inspection.DoesNotExist:
        raise Http404("No such inspection") from None
    if lead and not inspection.is_lead(user):
        raise PermissionDenied("Only the inspection's lead may do this")
    return inspection


def is_team_member(user, inspection: Inspection) -> bool:
    return user.is_superuser or inspection.memberships.filter(user=user).exists()
