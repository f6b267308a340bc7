"""Who sees which inspection: every rule of InspectionQuerySet and the access helper."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from inspection.access import (
    get_inspection_for_user,
    inspections_for_user,
    is_team_member,
    may_lead,
    require_lead,
    team_inspections_for_user,
)
from inspection.models import Inspection, ViewerGrant
from tests.factories import InspectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def same_region(inspection):
    """Another inspection of a unit in the same region."""
    return InspectionFactory(
        slug="same-region", unit__name="Other PDU", unit__region=inspection.unit.region
    )


@pytest.fixture
def elsewhere(db):
    return InspectionFactory(
        slug="elsewhere", unit__name="Far PDU", unit__region__name="Far Region"
    )


def slugs(queryset):
    return sorted(queryset.values_list("slug", flat=True))


def test_team_members_see_their_inspection_only(inspection, lead, inspector, elsewhere):
    assert slugs(Inspection.objects.visible_to(lead)) == ["test-pdu-2024"]
    assert slugs(Inspection.objects.visible_to(inspector)) == ["test-pdu-2024"]


def test_viewer_granted_an_inspection_sees_that_inspection_only(viewer, same_region, elsewhere):
    assert slugs(Inspection.objects.visible_to(viewer)) == ["test-pdu-2024"]


def test_viewer_granted_a_region_sees_every_inspection_of_it(inspection, same_region, elsewhere):
    regional = UserFactory(username="regional-viewer")
    ViewerGrant.objects.create(user=regional, region=inspection.unit.region)
    assert slugs(Inspection.objects.visible_to(regional)) == ["same-region", "test-pdu-2024"]


def test_outsider_anonymous_and_inactive_users_see_nothing(inspection, outsider, lead):
    assert not Inspection.objects.visible_to(outsider).exists()
    assert not Inspection.objects.visible_to(AnonymousUser()).exists()
    lead.is_active = False
    lead.save()
    assert not Inspection.objects.visible_to(lead).exists()
    assert not Inspection.objects.led_by(lead).exists()
    assert not Inspection.objects.on_team_of(lead).exists()


def test_superuser_sees_every_inspection(inspection, elsewhere, admin_user):
    assert slugs(Inspection.objects.visible_to(admin_user)) == ["elsewhere", "test-pdu-2024"]
    assert slugs(Inspection.objects.led_by(admin_user)) == ["elsewhere", "test-pdu-2024"]


def test_several_grants_do_not_duplicate_an_inspection(inspection, lead):
    ViewerGrant.objects.create(user=lead, inspection=inspection)
    ViewerGrant.objects.create(user=lead, region=inspection.unit.region)
    assert slugs(Inspection.objects.visible_to(lead)) == ["test-pdu-2024"]


def test_led_by_is_the_lead_only(inspection, lead, inspector, viewer):
    assert slugs(Inspection.objects.led_by(lead)) == ["test-pdu-2024"]
    assert not Inspection.objects.led_by(inspector).exists()
    assert not Inspection.objects.led_by(viewer).exists()


def test_on_team_of_excludes_viewers(inspection, lead, inspector, viewer):
    assert slugs(Inspection.objects.on_team_of(lead)) == ["test-pdu-2024"]
    assert slugs(Inspection.objects.on_team_of(inspector)) == ["test-pdu-2024"]
    assert not Inspection.objects.on_team_of(viewer).exists()
    assert is_team_member(inspector, inspection)
    assert not is_team_member(viewer, inspection)


def test_is_lead(inspection, lead, inspector, admin_user):
    assert inspection.is_lead(lead)
    assert not inspection.is_lead(inspector)
    assert inspection.is_lead(admin_user)


def test_outsider_gets_404_not_403(inspection, outsider):
    with pytest.raises(Http404):
        get_inspection_for_user(outsider, "test-pdu-2024")
    with pytest.raises(Http404):
        get_inspection_for_user(outsider, "test-pdu-2024", lead=True)


def test_unknown_slug_gets_404(lead):
    with pytest.raises(Http404):
        get_inspection_for_user(lead, "no-such-inspection")


def test_read_only_users_get_403_on_a_lead_action(inspection, inspector, viewer):
    assert get_inspection_for_user(viewer, "test-pdu-2024") == inspection
    with pytest.raises(PermissionDenied):
        get_inspection_for_user(viewer, "test-pdu-2024", lead=True)
    with pytest.raises(PermissionDenied):
        get_inspection_for_user(inspector, "test-pdu-2024", lead=True)


def test_lead_passes_the_lead_check(inspection, lead):
    assert get_inspection_for_user(lead, "test-pdu-2024", lead=True) == inspection


# The rules the views ask, rather than deciding themselves ------------------------------


def test_a_team_only_page_does_not_exist_for_a_viewer(inspection, inspector, viewer, admin_user):
    assert get_inspection_for_user(inspector, inspection.slug, team=True) == inspection
    assert get_inspection_for_user(admin_user, inspection.slug, team=True) == inspection
    assert get_inspection_for_user(viewer, inspection.slug) == inspection
    with pytest.raises(Http404):
        get_inspection_for_user(viewer, inspection.slug, team=True)


def test_only_the_lead_may_lead_and_the_refusal_says_why(inspection, lead, inspector, viewer):
    assert may_lead(lead, inspection)
    assert not may_lead(inspector, inspection) and not may_lead(viewer, inspection)
    require_lead(lead, inspection)
    with pytest.raises(PermissionDenied, match="export the case answers"):
        require_lead(
            inspector, inspection, "Only the inspection's lead may export the case answers"
        )


def test_the_inspection_lists_follow_visibility_and_team(inspection, inspector, viewer):
    assert list(inspections_for_user(viewer)) == [inspection]
    assert list(team_inspections_for_user(viewer)) == []
    assert list(team_inspections_for_user(inspector)) == [inspection]
