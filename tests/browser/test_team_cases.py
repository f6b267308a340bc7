"""The lead's way through any case in a real browser: the dashboard's progress figure,
the Cases page filtered, a case with its breadcrumbs, moderation, and the next case
waiting; the inspector's next case after submitting; check answers kept short. Every
page is checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from casereview.entry.services import submit_case
from casereview.models import CaseStatus
from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.casereview.data_entry_helpers import answer_case
from tests.factories import PASSWORD, CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sample(inspection, inspector, other_inspector):
    cases = {}
    for reference, who in [("W-1", inspector), ("W-2", other_inspector)]:
        case = CaseFactory(inspection=inspection, inspector=who, reference=reference)
        cases[reference] = submit_case(case=answer_case(case, who), user=who)
    started = CaseFactory(inspection=inspection, inspector=other_inspector, reference="W-3")
    cases["W-3"] = answer_case(started, other_inspector, skip={"planning"})
    cases["W-4"] = CaseFactory(inspection=inspection, inspector=inspector, reference="W-4")
    return cases


def test_the_lead_finds_a_case_from_the_dashboard_moderates_it_and_is_offered_the_next(
    page, live_server, inspection, lead, other_inspector, sample
):
    sign_in(page, live_server, "lead-user", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{inspection.slug}/")
    name = other_inspector.get_full_name()
    # The other inspector's in-progress figure leads to that case.
    page.get_by_role("link", name=f"1 in progress, {name}").click()
    expect(page.get_by_role("heading", name="Cases", level=1)).to_be_visible()
    expect(page.get_by_label("Status")).to_have_value("in_progress")
    rows = page.locator("tr[data-case]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("W-3")
    expect(rows.first).to_contain_text("5 of 6")
    assert_no_axe_violations(page)

    # Search by reference, every status.
    page.get_by_label("Status").select_option("")
    page.get_by_label("Inspector").select_option("")
    page.get_by_label("Case reference").fill("w-")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(4)
    assert "reference=w-" in page.url
    # A bad value in the address is reported beside the field and in the summary.
    page.goto(f"{live_server.url}/inspections/{inspection.slug}/cases/?reference=w-&progress=lots")
    expect(page.get_by_role("alert")).to_contain_text(
        "Select how many sections are done from the list"
    )
    assert page.title().startswith("Error:")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="W-1").click()
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs).to_have_text(re.compile(r"^\s*Inspections\s*Test PDU\s*Cases\s*$"))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Mark as moderated").click()
    expect(page.get_by_text("Case W-1 marked as moderated")).to_be_visible()
    offer = page.locator("[data-next-case]")
    expect(offer).to_contain_text("Next case waiting for moderation")
    assert_no_axe_violations(page)
    offer.get_by_role("link", name="Case W-2").click()
    expect(page.get_by_role("heading", name="Case W-2", level=1)).to_be_visible()
    expect(crumbs).to_have_text(re.compile(r"^\s*Inspections\s*Test PDU\s*Moderation\s*$"))
    sample["W-1"].refresh_from_db()
    assert sample["W-1"].status == CaseStatus.MODERATED


def test_after_submitting_the_inspector_is_offered_their_next_case(
    page, live_server, inspection, inspector, sample
):
    case = CaseFactory(inspection=inspection, inspector=inspector, reference="W-0")
    answer_case(case, inspector, skip={"management-oversight"})
    sign_in(page, live_server, "inspector-user", PASSWORD)
    page.goto(f"{live_server.url}/my-cases/")
    page.get_by_role("link", name="W-0").click()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_have_text(
        re.compile(r"^\s*My cases\s*$")
    )
    page.get_by_role("button", name="Check answers and submit").click()
    # The gap is flagged before Submit is pressed; prompts stay folded under their question.
    warning = page.locator("[data-incomplete-sections]")
    expect(warning).to_contain_text("1 required section is not complete yet")
    expect(page.locator("[data-prompts]").first).not_to_have_attribute("open", "")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 9000, height
    assert_no_axe_violations(page)
    warning.get_by_role("link").click()
    page.get_by_label("Not required").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/risk-information/"))
    page.goto(f"{live_server.url}/cases/{case.pk}/check/")
    expect(page.locator("[data-incomplete-sections]")).to_have_count(0)
    page.get_by_role("button", name="Submit case").click()
    expect(page.get_by_text("Case W-0 submitted")).to_be_visible()
    offer = page.locator("[data-next-case]")
    expect(offer).to_contain_text("Your next case to submit")
    expect(offer.get_by_role("link")).to_have_text("Case W-4")
    assert_no_axe_violations(page)
