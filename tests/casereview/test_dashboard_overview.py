"""The overview across inspections: every visible inspection rated, and regional figures."""

import datetime
import re

import pytest
from django.urls import reverse

from casereview.dashboards.summary import inspection_summary
from casereview.models import Answer, CaseStatus
from inspection.models import ViewerGrant
from tests.casereview.dashboard_data import answer, published_cases
from tests.factories import CaseFactory, InspectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def answered(inspection, code, answers):
    """One submitted case per answer, answering `code` only."""
    for value in answers:
        answer(CaseFactory(inspection=inspection, status=CaseStatus.SUBMITTED), code, value)


@pytest.fixture
def region_inspections(inspection):
    """`inspection` (Test Region) is the published one; a second in the same region and
    a third elsewhere, each with its own 2.1.1 answers."""
    published_cases(inspection)
    second = InspectionFactory(
        slug="second-2024",
        unit__name="Second PDU",
        unit__region=inspection.unit.region,
        fieldwork_start=datetime.date(2024, 3, 4),
    )
    answered(second, "2.1.1", [Answer.YES] * 9 + [Answer.NO])
    other = InspectionFactory(
        slug="other-2022",
        unit__name="Other PDU",
        unit__region__name="Other Region",
        fieldwork_start=datetime.date(2022, 6, 6),
    )
    answered(other, "2.1.1", [Answer.NO] * 4)
    return inspection, second, other


def overview(client, query=""):
    response = client.get(f"{reverse('casereview:overview')}?{query}")
    assert response.status_code == 200
    return response


def test_each_row_agrees_with_the_inspections_own_summary(client, admin_user, region_inspections):
    client.force_login(admin_user)
    rows = overview(client).context["overview"].inspections
    assert [row.inspection.slug for row in rows] == ["second-2024", "test-pdu-2024", "other-2022"]
    for row in rows:
        summary = inspection_summary(inspection=row.inspection)
        assert row.score_display == summary.score_display
        assert row.overall.rating == summary.overall.rating
        assert [s.rating for s in row.standards] == [s.rating for s in summary.standards]
    published = rows[1]
    assert published.score_display == "02/21"
    assert published.overall_label == "Inadequate"
    assert (published.cases_counted, published.cases_total) == (29, 29)


def test_the_page_shows_scores_and_seven_rating_tags(client, admin_user, region_inspections):
    client.force_login(admin_user)
    html = overview(client).content.decode()
    row = re.search(r'data-inspection="test-pdu-2024">(.*?)</tr>', html, re.S).group(1)
    assert "02/21" in row
    assert re.findall(r'data-rating="[\d.]+">([^<]+)<', row) == [
        "Inadequate",
        "Requires improvement",
        "Requires improvement",
        "Inadequate",
        "Inadequate",
        "Inadequate",
        "Inadequate",
    ]
    assert "style=" not in html


def test_regional_figures_add_up_the_answers_of_the_regions_inspections(
    client, admin_user, region_inspections
):
    client.force_login(admin_user)
    regions = {r.region: r for r in overview(client).context["overview"].regions}
    assert set(regions) == {"Test Region", "Other Region"}
    test_region = regions["Test Region"]
    assert (test_region.inspections, test_region.cases) == (2, 39)
    assessment = next(s for s in test_region.standards if s.code == "2.1")
    figures = {kq.code: (kq.yes, kq.relevant, kq.percent) for kq in assessment.key_questions}
    # 16 of 29 published plus 9 of 10: 25 of 39, 64%; the other key questions are unchanged.
    assert figures["2.1.1"] == (25, 39, 64)
    assert figures["2.1.3"] == (8, 29, 28)
    assert assessment.rating == "inadequate"
    other = regions["Other Region"]
    assert (other.inspections, other.cases) == (1, 4)
    assert {kq.code: kq.percent for kq in other.standards[0].key_questions}["2.1.1"] == 0


def test_filter_by_region_and_fieldwork_dates(client, admin_user, region_inspections):
    client.force_login(admin_user)
    inspection, second, other = region_inspections
    region_id = other.unit.region_id
    rows = overview(client, f"region={region_id}").context["overview"].inspections
    assert [row.inspection.slug for row in rows] == ["other-2022"]
    response = overview(client, "fieldwork_from=2023-01-01&fieldwork_to=2023-12-31")
    assert [row.inspection.slug for row in response.context["overview"].inspections] == [
        "test-pdu-2024"
    ]
    assert [r.region for r in response.context["overview"].regions] == ["Test Region"]
    assert "Fieldwork started from: 1 January 2023" in re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode())
    )


def test_a_bad_filter_is_reported_beside_the_field(client, admin_user, region_inspections):
    client.force_login(admin_user)
    response = overview(client, "region=999999&fieldwork_from=2024-01-01&fieldwork_to=2023-01-01")
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Select a region from the list" in html
    assert response.context["form"].errors.keys() == {"region", "fieldwork_to"}


def test_users_see_only_the_inspections_they_may_see(
    client, lead, viewer, outsider, region_inspections
):
    inspection, second, other = region_inspections
    client.force_login(lead)
    assert [r.inspection.slug for r in overview(client).context["overview"].inspections] == [
        "test-pdu-2024"
    ]
    client.force_login(viewer)
    assert [r.inspection.slug for r in overview(client).context["overview"].inspections] == [
        "test-pdu-2024"
    ]
    regional = UserFactory(username="regional-viewer")
    ViewerGrant.objects.create(user=regional, region=inspection.unit.region)
    client.force_login(regional)
    assert [r.inspection.slug for r in overview(client).context["overview"].inspections] == [
        "second-2024",
        "test-pdu-2024",
    ]
    client.force_login(outsider)
    response = overview(client)
    assert response.context["overview"].inspections == []
    assert "No inspection matches" in response.content.decode()
    # The region filter offers only regions the user may see.
    assert "Other Region" not in response.content.decode()


def test_overview_requires_sign_in(client):
    response = client.get(reverse("casereview:overview"))
    assert response.status_code == 302
