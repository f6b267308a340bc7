"""The one path from a request to an inspection: 404 unless the user may see it.

Nobody learns that an inspection exists unless they may see it (404, not 403); a user
who may see it but not change it gets 403 on a write. Every rule of who may do what with
an inspection is a function here, so that no view decides access on its own.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from inspection.models import Inspection

LEAD_ONLY = "Only the inspection's lead may do this"


def get_inspection_for_user(
    user, slug: str, *, lead: bool = False, team: bool = False
) -> Inspection:
    """The inspection `slug` as `user` may reach it.

    `lead=True`: the user must lead it (403 otherwise). `team=True`: a page for the
    team only, which does not exist for a viewer (404), since it shows cases.
    """
    visible = inspections_for_user(user).select_related("unit__region", "framework")
    try:
        inspection = visible.get(slug=slug)
    except Inspection.DoesNotExist:
        raise Http404("No such inspection") from None
    if lead:
        require_lead(user, inspection)
    if team and not is_team_member(user, inspection):
        raise Http404("No such page")
    return inspection


def inspections_for_user(user) -> QuerySet[Inspection]:
    """Every inspection the user may see: on its team, or granted as a viewer."""
    return Inspection.objects.visible_to(user)


def team_inspections_for_user(user) -> QuerySet[Inspection]:
    """The inspections the user is on the team of (a viewer grant is not enough)."""
    return Inspection.objects.on_team_of(user)


def is_team_member(user, inspection: Inspection) -> bool:
    """The team sees cases and case-level figures; a viewer sees aggregates only."""
    return user.is_superuser or inspection.memberships.filter(user=user).exists()


def may_lead(user, inspection: Inspection) -> bool:
    """Whether the user leads the inspection (moderation, the report, the case answers)."""
    return inspection.is_lead(user)


def require_lead(user, inspection: Inspection, reason: str = LEAD_ONLY) -> None:
    if not may_lead(user, inspection):
        raise PermissionDenied(reason)
