"""A lead's saved sets: the list, creating (a lead of some inspection or an
administrator), changing and removing (its creator or an administrator), each write
claiming the set's version, so a stale page is refused and overwrites nothing."""

import pytest
from django.urls import reverse

from casereview.models import SavedSet
from inspection.frameworks import framework_path, load_framework, read_document
from inspection.models import Inspection, Role, ViewerGrant
from tests.factories import InspectionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def north(db):
    return [
        InspectionFactory(
            slug=f"north-{n}", unit__name=f"North PDU {n}", unit__region__name="North"
        )
        for n in (1, 2)
    ]


@pytest.fixture
def south(db):
    return InspectionFactory(slug="south-1", unit__name="South PDU", unit__region__name="South")


@pytest.fixture
def lead(north, south):
    user = UserFactory(username="set-lead")
    MembershipFactory(inspection=north[0], user=user, role=Role.LEAD)
    MembershipFactory(inspection=north[1], user=user, role=Role.INSPECTOR)
    return user


@pytest.fixture
def other_lead(north):
    user = UserFactory(username="other-lead")
    MembershipFactory(inspection=north[0], user=user, role=Role.LEAD)
    MembershipFactory(inspection=north[1], user=user, role=Role.LEAD)
    return user


@pytest.fixture
def viewer(north):
    user = UserFactory(username="set-viewer")
    for inspection in north:
        ViewerGrant.objects.create(user=user, inspection=inspection)
    return user


def _signed_in(client, user):
    client.force_login(user)
    return client


def _post_set(client, url, inspections, **fields):
    data = {"name": "North regional", "slug": "", "description": "", **fields}
    data["inspections"] = [str(inspection.pk) for inspection in inspections]
    return client.post(url, data)


def _saved(creator, inspections, slug="north-regional"):
    saved = SavedSet.objects.create(slug=slug, name="North regional", created_by=creator)
    saved.inspections.set(inspections)
    return saved


def test_a_lead_creates_a_set_with_the_address_made_from_its_name(client, lead, north):
    _signed_in(client, lead)

    response = _post_set(client, reverse("casereview:saved-set-create"), north)

    saved = SavedSet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casereview:saved-set-dashboard", args=[saved.slug])
    assert saved.slug == "north-regional"
    assert saved.created_by == lead
    assert set(saved.inspections.all()) == set(north)
    assert client.get(response["Location"]).status_code == 200


def test_the_form_offers_only_the_inspections_the_user_may_see_by_region(client, lead, south):
    page = _signed_in(client, lead).get(reverse("casereview:saved-set-create")).content.decode()

    assert 'data-region="North"' in page
    assert "North PDU 1" in page and "North PDU 2" in page
    assert "South PDU" not in page


def test_an_inspection_the_user_may_not_see_is_refused(client, lead, north, south):
    response = _post_set(
        _signed_in(client, lead), reverse("casereview:saved-set-create"), [north[0], south]
    )

    assert response.status_code == 200
    assert "Choose inspections from the list" in response.content.decode()
    assert not SavedSet.objects.exists()


def test_a_set_mixing_frameworks_is_refused_with_a_plain_message(client, lead, north):
    youth = load_framework(read_document(framework_path("youth-2021")))
    other = InspectionFactory(slug="north-youth", unit__region__name="North", framework=youth)
    MembershipFactory(inspection=other, user=lead, role=Role.LEAD)

    response = _post_set(
        _signed_in(client, lead), reverse("casereview:saved-set-create"), [north[0], other]
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "These inspections use different frameworks" in page
    assert "govuk-error-summary" in page
    assert 'href="#id_inspections"' in page  # the summary links to the first checkbox
    assert 'value="North regional"' in page  # what was typed is kept
    assert not SavedSet.objects.exists()


def test_an_address_in_use_is_refused_and_nothing_saved(client, lead, north):
    _saved(lead, north, slug="taken")

    response = _post_set(
        _signed_in(client, lead), reverse("casereview:saved-set-create"), north, slug="taken"
    )

    assert response.status_code == 200
    assert "A set already has the address taken" in response.content.decode()
    assert SavedSet.objects.count() == 1


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("new", "A set already has the address new"),  # the create page's own address
        ("Not A Slug!", "only lower-case letters, numbers and hyphens, like not-a-slug"),
    ],
)
def test_an_address_that_cannot_be_a_sets_is_refused(client, lead, north, slug, message):
    response = _post_set(
        _signed_in(client, lead), reverse("casereview:saved-set-create"), north, slug=slug
    )

    assert message in response.content.decode()
    assert not SavedSet.objects.exists()


def test_no_name_and_no_inspection_are_reported_beside_the_fields(client, lead):
    response = _post_set(
        _signed_in(client, lead), reverse("casereview:saved-set-create"), [], name=""
    )

    page = response.content.decode()
    assert "Enter a name for the set" in page
    assert "Choose at least one inspection" in page
    assert not SavedSet.objects.exists()


def test_a_viewer_and_an_inspector_may_not_create_a_set(client, viewer, north):
    inspector = UserFactory(username="only-inspector")
    MembershipFactory(inspection=north[0], user=inspector, role=Role.INSPECTOR)
    url = reverse("casereview:saved-set-create")

    for user in (viewer, inspector):
        _signed_in(client, user)
        assert client.get(url).status_code == 403
        assert _post_set(client, url, north[:1]).status_code == 403
    assert not SavedSet.objects.exists()


def test_the_list_shows_the_sets_the_user_may_see_and_who_may_change_them(
    client, lead, viewer, north, south
):
    _saved(lead, north)
    _saved(None, [north[0], south], slug="with-the-south")

    page = _signed_in(client, viewer).get(reverse("casereview:saved-set-list")).content.decode()

    assert 'data-saved-set="north-regional"' in page
    assert "with-the-south" not in page  # one of its inspections is hidden from the viewer
    assert "data-create-set" not in page
    assert reverse("casereview:saved-set-edit", args=["north-regional"]) not in page

    page = _signed_in(client, lead).get(reverse("casereview:saved-set-list")).content.decode()
    assert "data-create-set" in page
    assert reverse("casereview:saved-set-edit", args=["north-regional"]) in page


def test_the_overview_links_to_the_saved_sets(client, lead):
    page = _signed_in(client, lead).get(reverse("casereview:overview")).content.decode()

    assert reverse("casereview:saved-set-list") in page


def test_the_creator_changes_the_set_through_its_version(client, lead, north):
    saved = _saved(lead, north)
    url = reverse("casereview:saved-set-edit", args=[saved.slug])
    _signed_in(client, lead)
    assert f'name="version" value="{saved.version}"' in client.get(url).content.decode()

    response = _post_set(
        client, url, north[:1], name="North, first PDU", slug="north-first", version=saved.version
    )

    saved.refresh_from_db()
    assert response.status_code == 302
    assert (saved.name, saved.slug, saved.version) == ("North, first PDU", "north-first", 1)
    assert list(saved.inspections.all()) == [north[0]]
    assert saved.history.count() == 2


def test_a_stale_edit_is_refused_and_overwrites_nothing(client, lead, north):
    saved = _saved(lead, north)
    url = reverse("casereview:saved-set-edit", args=[saved.slug])
    _signed_in(client, lead)
    base = saved.version
    _post_set(client, url, north, name="Saved first", slug=saved.slug, version=base)

    response = _post_set(client, url, north[:1], name="Saved second", slug=saved.slug, version=base)

    saved.refresh_from_db()
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone changed or removed this set after you opened this page" in page
    assert 'value="Saved second"' in page  # what was typed is kept
    assert saved.name == "Saved first"
    assert set(saved.inspections.all()) == set(north)


def test_only_the_creator_or_an_administrator_may_change_or_remove_a_set(
    client, lead, other_lead, north
):
    saved = _saved(lead, north)
    edit = reverse("casereview:saved-set-edit", args=[saved.slug])
    delete = reverse("casereview:saved-set-delete", args=[saved.slug])

    _signed_in(client, other_lead)
    for url in (edit, delete):
        assert client.get(url).status_code == 403
    assert _post_set(client, edit, north, name="Taken over", version=0).status_code == 403
    assert client.post(delete, {"version": 0}).status_code == 403
    saved.refresh_from_db()
    assert saved.name == "North regional"

    admin = UserFactory(username="set-admin", is_superuser=True, is_staff=True)
    _signed_in(client, admin)
    response = _post_set(client, edit, north, name="By the admin", slug=saved.slug, version=0)
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.name == "By the admin"
    assert saved.created_by == lead  # still its creator's


def test_a_set_the_user_may_not_see_is_404_to_change(client, lead, north, south):
    saved = _saved(None, [north[0], south], slug="with-the-south")

    _signed_in(client, lead)
    assert client.get(reverse("casereview:saved-set-edit", args=[saved.slug])).status_code == 404
    assert client.get(reverse("casereview:saved-set-delete", args=[saved.slug])).status_code == 404


def test_the_creator_removes_the_set_and_a_stale_removal_is_refused(client, lead, north):
    saved = _saved(lead, north)
    delete = reverse("casereview:saved-set-delete", args=[saved.slug])
    _signed_in(client, lead)
    _post_set(
        client,
        reverse("casereview:saved-set-edit", args=[saved.slug]),
        north,
        slug=saved.slug,
        version=0,
    )

    stale = client.post(delete, {"version": 0})

    assert stale.status_code == 409
    assert "Someone changed or removed this set" in stale.content.decode()
    assert SavedSet.objects.filter(pk=saved.pk).exists()

    response = client.post(delete, {"version": 1})
    assert response.status_code == 302
    assert response["Location"] == reverse("casereview:saved-set-list")
    assert not SavedSet.objects.filter(pk=saved.pk).exists()
    assert Inspection.objects.filter(pk__in=[i.pk for i in north]).count() == 2  # kept


def test_an_administrators_change_in_django_admin_claims_the_version(client, lead, north):
    saved = _saved(lead, north)
    admin = UserFactory(username="set-admin", is_superuser=True, is_staff=True)
    _signed_in(client, admin)
    url = reverse("admin:casereview_savedset_change", args=[saved.pk])
    data = {
        "name": "Renamed in admin",
        "slug": saved.slug,
        "description": "",
        "inspections": [str(i.pk) for i in north],
        "base_version": "0",
    }

    assert client.post(url, data).status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.version) == ("Renamed in admin", 1)

    stale = client.post(url, {**data, "name": "Stale admin page"})  # still based on 0
    assert stale.status_code == 200
    saved.refresh_from_db()
    assert saved.name == "Renamed in admin"
