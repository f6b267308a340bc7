"""The menu offers each role what it can use: case work only to someone on a team."""

import pytest
from django.test import Client
from django.urls import reverse

from inspection.models import Role, ViewerGrant
from tests.factories import InspectionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CASE_WORK = ("My cases", "Second marking")


def menu(user) -> str:
    client = Client()
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    return html.split('id="navigation"', 1)[1].split("</ul>", 1)[0]


def test_a_viewer_is_not_offered_case_work():
    viewer = UserFactory()
    ViewerGrant.objects.create(user=viewer, inspection=InspectionFactory())
    items = menu(viewer)
    assert "Overview" in items
    for item in CASE_WORK:
        assert item not in items


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.LEAD])
def test_the_team_is_offered_case_work(role):
    member = UserFactory()
    MembershipFactory(inspection=InspectionFactory(), user=member, role=role)
    items = menu(member)
    for item in CASE_WORK:
        assert item in items
