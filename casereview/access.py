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

from casereview.models import Case, CaseQuerySet, SavedSet, SecondMarking
from inspection.access import inspections_for_user, require_lead, team_inspections_for_user
from inspection.models import Inspection


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


# Saved sets ---------------------------------------------------------------------------

SAVED_SET_CREATORS_ONLY = "Only a lead inspector or an administrator may create a saved set"
SAVED_SET_OWNERS_ONLY = "Only the set's creator or an administrator may change it"


def saved_sets_for_user(user) -> QuerySet[SavedSet]:
    """The saved sets whose every inspection the user may see."""
    return SavedSet.objects.visible_to(user)


def saved_set_inspections_for_user(user) -> QuerySet[Inspection]:
    """The inspections a set the user makes may hold: those they may see."""
    return inspections_for_user(user)


def _is_administrator(user) -> bool:
    return user.is_superuser or (user.is_staff and user.has_perm("casereview.change_savedset"))


def may_create_saved_set(user) -> bool:
    """A lead of at least one inspection, or an administrator; not a viewer or inspector."""
    if not user.is_authenticated or not user.is_active:
        return False
    return _is_administrator(user) or Inspection.objects.led_by(user).exists()


def require_saved_set_creator(user) -> None:
    if not may_create_saved_set(user):
        raise PermissionDenied(SAVED_SET_CREATORS_ONLY)


def may_change_saved_set(user, saved: SavedSet) -> bool:
    """Its creator or an administrator may change or remove a saved set."""
    if not user.is_authenticated or not user.is_active:
        return False
    return _is_administrator(user) or (
        saved.created_by_id is not None and saved.created_by_id == user.pk
    )


def get_saved_set_for_user(user, slug: str, *, change: bool = False) -> SavedSet:
    """The saved set `slug` as `user` may reach it: 404 unless they may see every
    inspection in it; `change=True`, 403 unless they may change it too."""
    try:
        saved = saved_sets_for_user(user).get(slug=slug)
    except SavedSet.DoesNotExist:
        raise Http404("No such set") from None
    if change and not may_change_saved_set(user, saved):
        raise PermissionDenied(SAVED_SET_OWNERS_ONLY)
    return saved
