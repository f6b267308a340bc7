"""The one path from a request to a case: 404 unless the user may see it.

Mirrors `inspection.access.get_inspection_for_user`. Nobody learns that a case exists
unless they may see it (404, not 403): viewers see dashboards and aggregate exports
only, never a case. A user who may see the case but not change it gets 403 on a write.
Every rule of who may do what with a case is a function here, so that no view decides
access on its own.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from casereview.models import Case, CaseQuerySet, SecondMarking
from inspection.access import require_lead, team_inspections_for_user


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
    if lead:
        require_lead(user, case.inspection)
    if edit and not may_edit_case(user, case):
        raise PermissionDenied("You may not change this case")
    return case


def may_edit_case(user, case: Case) -> bool:
    """Whether the user may change the case's answers now."""
    return Case.objects.editable_by(user).filter(pk=case.pk).exists()


def no_longer_editable() -> PermissionDenied:
    """The refusal of a write to a case that stopped being editable while its page was
    open (submitted, or moderated, meanwhile)."""
    return PermissionDenied("This case can no longer be changed")


def cases_assigned_to(user) -> CaseQuerySet:
    """The user's own cases, on inspections they are still part of (My cases)."""
    return Case.objects.assigned_to(user)


def second_markings_for_user(user) -> QuerySet[SecondMarking]:
    """The second marker's own markings, on inspections they are still part of."""
    return SecondMarking.objects.filter(
        inspector=user, case__inspection__in=team_inspections_for_user(user)
    )


def get_second_marking_for_user(user, pk) -> SecondMarking:
    """One of `second_markings_for_user`: 404 for anyone else's."""
    try:
        return (
            second_markings_for_user(user)
            .select_related("case__inspection__unit", "case__inspection")
            .get(pk=pk)
        )
    except (SecondMarking.DoesNotExist, ValueError, TypeError):
        raise Http404("No such second marking") from None
