"""A youth justice inspection in a real browser: an inspector records a court disposal
and an out-of-court disposal, each showing only its own sections, and the lead's
dashboard shows three domains and the score out of 36."""

import re

import pytest
from playwright.sync_api import expect

from casereview.entry.sections import case_sections
from casereview.models import CaseStatus, KeyQuestionAnswer
from inspection.frameworks import framework_path, load_framework, read_document
from inspection.models import Role
from tests.browser.conftest import sign_in
from tests.browser.test_inspector_journey import fill_section_by_accessible_names
from tests.factories import PASSWORD, CaseFactory, InspectionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

COURT = ["Assessment", "Planning", "Implementation and delivery", "Reviewing"]
OUT_OF_COURT = ["Assessment", "Planning", "Implementation and delivery"]
ALWAYS = ["Management oversight", "Risk information"]


@pytest.fixture
def youth():
    framework = load_framework(read_document(framework_path("youth-2021")))
    inspection = InspectionFactory(slug="browser-yos", framework=framework)
    inspector = UserFactory(username="yos-inspector")
    lead = UserFactory(username="yos-lead")
    MembershipFactory(inspection=inspection, user=inspector, role=Role.INSPECTOR)
    MembershipFactory(inspection=inspection, user=lead, role=Role.LEAD)
    court = CaseFactory(
        inspection=inspection, inspector=inspector, reference="CT-1", case_type="court"
    )
    out_of_court = CaseFactory(
        inspection=inspection, inspector=inspector, reference="OC-1", case_type="out_of_court"
    )
    return inspection, court, out_of_court


def record(page, case, titles):
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My cases").click()
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}")).to_be_visible()
    task_list = page.locator(".govuk-task-list")
    expect(task_list).to_be_visible()
    links = [name.strip() for name in task_list.get_by_role("link").all_inner_texts()]
    assert links == titles + ALWAYS
    page.get_by_role("link", name="Assessment").click()
    for section in case_sections(case=case):
        expect(page.get_by_role("heading", name=section.title, level=1)).to_be_visible()
        if section.kind == "standard":
            fill_section_by_accessible_names(page, section)
        elif section.kind == "oversight":
            group = page.get_by_role("group", name="Was management oversight effective?")
            group.get_by_label("Effective", exact=True).check()
            page.get_by_label("Management oversight note").fill("Reviewed by the manager")
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("button", name="Submit case").click()
    expect(page.get_by_text(f"Case {case.reference} submitted")).to_be_visible()


def test_each_disposal_shows_its_own_sections_and_the_lead_sees_36(page, live_server, youth):
    inspection, court, out_of_court = youth
    sign_in(page, live_server, "yos-inspector", PASSWORD)

    record(page, court, COURT)
    record(page, out_of_court, OUT_OF_COURT)

    for case, first in ((court, "2."), (out_of_court, "3.")):
        case.refresh_from_db()
        assert case.status == CaseStatus.SUBMITTED
        codes = set(
            KeyQuestionAnswer.objects.filter(case=case).values_list("key_question__code", flat=True)
        )
        assert codes and all(code.startswith(first) for code in codes)
    response = page.goto(f"{live_server.url}/cases/{out_of_court.pk}/sections/reviewing/")
    assert response is not None and response.status == 404

    page.context.clear_cookies()
    sign_in(page, live_server, "yos-lead", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{inspection.slug}/")
    for domain in ("1. Organisational delivery", "2. Court disposals", "3. Out-of-court disposals"):
        expect(page.get_by_role("heading", name=domain)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Score \d+/36"))).to_be_visible()
