"""Every dashboard page makes the same number of queries at 10 and at 1,000 cases."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dataset import DatasetGenerator
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db


def fill(inspection, count, inspectors, seed=1):
    generator = DatasetGenerator(framework=inspection.framework, prefix=inspection.slug, seed=seed)
    generator.add_cases(inspection, count, team=inspectors)


def count_queries(client, url, **extra):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(context.captured_queries)


PAGES = {
    "dashboard": lambda slug: (reverse("casereview:inspection-dashboard", args=[slug]), {}),
    "filtered dashboard": lambda slug: (
        reverse("casereview:inspection-dashboard", args=[slug])
        + "?case_type=community&rosh=high&rosh=medium&office=North&sentence_from=2023-05-01",
        {},
    ),
    "figures fragment": lambda slug: (
        reverse("casereview:inspection-dashboard", args=[slug]),
        {"headers": {"X-Dashboard-Fragment": "figures"}},
    ),
    "cases answered No": lambda slug: (
        reverse("casereview:key-question-no", args=[slug, "2.1.3"]),
        {},
    ),
    "cases answered Yes": lambda slug: (
        reverse("casereview:key-question-yes", args=[slug, "2.1.3"]),
        {},
    ),
    "summary.json": lambda slug: (reverse("casereview:summary-json", args=[slug]), {}),
    # The cases that decide a rating, read from the live summary.
    "moderation": lambda slug: (reverse("casereview:moderation", args=[slug]), {}),
    "double marking": lambda slug: (reverse("casereview:double-marking", args=[slug]), {}),
}


def test_inspection_pages_make_the_same_queries_at_10_and_1000_cases(
    client, lead, inspector, other_inspector
):
    small = InspectionFactory(slug="small")
    large = InspectionFactory(slug="large")
    for inspection in (small, large):
        inspection.memberships.create(user=lead, role="lead")
    fill(small, 10, [inspector])
    fill(large, 1000, [inspector, other_inspector, lead])
    client.force_login(lead)
    counts = {}
    for page, address in PAGES.items():
        for slug in ("small", "large"):
            url, extra = address(slug)
            count_queries(client, url, **extra)  # the first request may renew the session
            counts.setdefault(page, []).append(count_queries(client, url, **extra))
    assert {page: small for page, (small, _) in counts.items()} == {
        page: large for page, (_, large) in counts.items()
    }


def test_overview_makes_the_same_queries_for_2_and_40_inspections(client, admin_user, lead):
    url = reverse("casereview:overview")
    filtered = f"{url}?fieldwork_from=2023-01-05&fieldwork_to=2024-12-31"

    def make(number):
        inspection = InspectionFactory(
            slug=f"overview-{number}",
            unit__region__name=f"Region {number % 3}",
            fieldwork_start=datetime.date(2023, 1, 1) + datetime.timedelta(days=number),
        )
        inspection.memberships.create(user=lead, role="lead")
        fill(inspection, 25, [lead], seed=number)

    def counts():
        found = []
        for user in (admin_user, lead):
            client.force_login(user)
            for address in (url, filtered):
                count_queries(client, address)
                found.append(count_queries(client, address))
        return found

    for number in range(2):
        make(number)
    few = counts()
    for number in range(2, 40):
        make(number)
    assert counts() == few
