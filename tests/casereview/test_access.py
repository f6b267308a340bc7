"""Who sees and who edits which case: every rule of CaseQuerySet and get_case_for_user."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from casereview.access import (
    get_case_for_user,
    get_second_marking_for_user,
    may_edit_case,
    second_markings_for_user,
)
from casereview.models import Case, CaseStatus, SecondMarking
from inspection.models import Role, TeamMembership, ViewerGrant
from tests.factories import CaseFactory, InspectionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_case(inspection, inspector):
    return CaseFactory(inspection=inspection, reference="OWN1", inspector=inspector)


@pytest.fixture
def others_case(inspection, other_inspector):
    return CaseFactory(inspection=inspection, reference="OTHER1", inspector=other_inspector)


@pytest.fixture
def unassigned_case(inspection):
    return CaseFactory(inspection=inspection, reference="NOBODY1")


@pytest.fixture
def foreign_case(db):
    """A case of an inspection nobody in the cast is on."""
    return CaseFactory(inspection=InspectionFactory(slug="foreign"), reference="FOREIGN1")


def refs(queryset):
    return sorted(queryset.values_list("reference", flat=True))


def test_team_members_see_every_case_of_their_inspection(
    lead, inspector, own_case, others_case, unassigned_case, foreign_case
):
    expected = ["NOBODY1", "OTHER1", "OWN1"]
    assert refs(Case.objects.visible_to(lead)) == expected
    assert refs(Case.objects.visible_to(inspector)) == expected


def test_viewers_outsiders_anonymous_and_inactive_users_see_no_case(
    viewer, outsider, inspector, own_case
):
    assert not Case.objects.visible_to(viewer).exists()
    assert not Case.objects.visible_to(outsider).exists()
    assert not Case.objects.visible_to(AnonymousUser()).exists()
    inspector.is_active = False
    inspector.save()
    assert not Case.objects.visible_to(inspector).exists()
    assert not Case.objects.editable_by(inspector).exists()


def test_a_region_viewer_sees_no_case_either(inspection, own_case):
    regional = UserFactory(username="regional")
    ViewerGrant.objects.create(user=regional, region=inspection.unit.region)
    assert not Case.objects.visible_to(regional).exists()


def test_superuser_sees_every_case(admin_user, own_case, foreign_case):
    assert refs(Case.objects.visible_to(admin_user)) == ["FOREIGN1", "OWN1"]


@pytest.mark.parametrize(
    ("status", "editable"),
    [
        (CaseStatus.IN_PROGRESS, True),
        (CaseStatus.RETURNED, True),
        (CaseStatus.SUBMITTED, False),
        (CaseStatus.MODERATED, False),
    ],
)
def test_inspector_edits_own_case_only_while_open(inspector, own_case, status, editable):
    own_case.status = status
    own_case.save()
    assert Case.objects.editable_by(inspector).filter(pk=own_case.pk).exists() is editable


def test_inspector_does_not_edit_another_inspectors_or_an_unassigned_case(
    inspector, others_case, unassigned_case
):
    assert not Case.objects.editable_by(inspector).exists()


def test_lead_edits_every_open_case_of_their_inspection(
    lead, own_case, others_case, unassigned_case, foreign_case
):
    Case.objects.filter(pk=others_case.pk).update(status=CaseStatus.SUBMITTED)
    assert refs(Case.objects.editable_by(lead)) == ["NOBODY1", "OWN1"]


def test_lead_of_another_inspection_edits_nothing_here(own_case):
    other_lead = UserFactory(username="other-lead")
    MembershipFactory(inspection=InspectionFactory(slug="theirs"), user=other_lead, role=Role.LEAD)
    assert not Case.objects.editable_by(other_lead).exists()
    assert not Case.objects.visible_to(other_lead).exists()


def test_inspector_removed_from_the_team_loses_their_assigned_case(inspector, own_case):
    TeamMembership.objects.filter(user=inspector).delete()
    assert not Case.objects.visible_to(inspector).exists()
    assert not Case.objects.editable_by(inspector).exists()
    assert not Case.objects.assigned_to(inspector).exists()


def test_viewer_and_outsider_edit_nothing(viewer, outsider, own_case):
    assert not Case.objects.editable_by(viewer).exists()
    assert not Case.objects.editable_by(outsider).exists()
    assert not Case.objects.editable_by(AnonymousUser()).exists()


def test_superuser_edits_open_cases_only(admin_user, own_case, others_case):
    Case.objects.filter(pk=others_case.pk).update(status=CaseStatus.MODERATED)
    assert refs(Case.objects.editable_by(admin_user)) == ["OWN1"]


def test_assigned_to_lists_the_users_own_cases(inspector, lead, own_case, others_case):
    assert refs(Case.objects.assigned_to(inspector)) == ["OWN1"]
    assert not Case.objects.assigned_to(lead).exists()


def test_lead_who_is_also_a_viewer_gets_each_case_once(inspection, lead, own_case):
    ViewerGrant.objects.create(user=lead, inspection=inspection)
    assert refs(Case.objects.visible_to(lead)) == ["OWN1"]
    assert refs(Case.objects.editable_by(lead)) == ["OWN1"]


# get_case_for_user: 404 for what the user may not see, 403 for a write they may not make.


def test_outsider_and_viewer_get_404_for_a_case(outsider, viewer, own_case):
    for user in (outsider, viewer):
        with pytest.raises(Http404):
            get_case_for_user(user, own_case.pk)
        with pytest.raises(Http404):
            get_case_for_user(user, own_case.pk, edit=True)


def test_unknown_case_gets_404(lead):
    with pytest.raises(Http404):
        get_case_for_user(lead, 999_999)


def test_inspector_reads_but_may_not_edit_another_inspectors_case(inspector, others_case):
    assert get_case_for_user(inspector, others_case.pk) == others_case
    with pytest.raises(PermissionDenied):
        get_case_for_user(inspector, others_case.pk, edit=True)


def test_inspector_edits_own_open_case_and_gets_403_once_submitted(inspector, own_case):
    assert get_case_for_user(inspector, own_case.pk, edit=True) == own_case
    Case.objects.filter(pk=own_case.pk).update(status=CaseStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        get_case_for_user(inspector, own_case.pk, edit=True)


def test_only_the_lead_passes_the_lead_check(lead, inspector, own_case):
    assert get_case_for_user(lead, own_case.pk, lead=True) == own_case
    with pytest.raises(PermissionDenied):
        get_case_for_user(inspector, own_case.pk, lead=True)


def test_get_case_for_user_is_one_query_for_a_read(lead, own_case, django_assert_num_queries):
    with django_assert_num_queries(1):
        case = get_case_for_user(lead, own_case.pk)
        assert case.inspection.unit.region.name == "Test Region"


# The rules the views ask, rather than deciding themselves ------------------------------


def test_may_edit_case_is_the_rule_get_case_for_user_applies(
    inspector, lead, other_inspector, own_case, others_case
):
    assert may_edit_case(inspector, own_case) and may_edit_case(lead, others_case)
    assert not may_edit_case(inspector, others_case)
    Case.objects.filter(pk=own_case.pk).update(status=CaseStatus.SUBMITTED)
    own_case.refresh_from_db()
    assert not may_edit_case(inspector, own_case)
    with pytest.raises(PermissionDenied):
        get_case_for_user(inspector, own_case.pk, edit=True)


def test_a_second_marking_is_reached_only_by_its_marker_while_on_the_team(
    inspection, inspector, other_inspector, own_case
):
    marking = SecondMarking.objects.create(
        case=own_case, inspector=other_inspector, first_inspector=inspector
    )
    assert get_second_marking_for_user(other_inspector, marking.pk) == marking
    with pytest.raises(Http404):
        get_second_marking_for_user(inspector, marking.pk)
    TeamMembership.objects.filter(inspection=inspection, user=other_inspector).delete()
    assert list(second_markings_for_user(other_inspector)) == []
    with pytest.raises(Http404):
        get_second_marking_for_user(other_inspector, marking.pk)
