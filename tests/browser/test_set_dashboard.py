"""The dashboard of a set of inspections in a real browser: reached and used from the
keyboard alone, the PDU comparison sorted, and no violation axe-core can find."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from casereview.models import Case, SavedSet
from inspection.models import Inspection
from tests.browser.conftest import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "demo-password-2024"


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, verbosity=0)
    # The probation demo: a set mixing the youth demo's framework is refused (the sets'
    # own tests show that), and these tests read probation sets.
    youth = Inspection.objects.filter(framework__code="youth-2021")
    Case.objects.filter(inspection__in=youth).delete()
    youth.delete()


def test_the_national_set_from_the_overview_by_keyboard(page, live_server, demo):
    sign_in(page, live_server, "lead", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/overview/")
    page.locator("[data-set-link]").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="National", level=1)).to_be_visible()
    rows = page.locator("[data-comparison] tbody tr")
    expect(rows).to_have_count(Inspection.objects.count())
    expect(page.locator("[data-no-set-rating]")).to_contain_text("No rating for a set")
    assert_no_axe_violations(page)

    # Sort the comparison by a key question, from the keyboard.
    header = page.locator("[data-comparison] thead th").nth(3 + 7).locator("button")
    header.focus()
    page.keyboard.press("Enter")
    sorted_header = page.locator("[data-comparison] thead th").nth(3 + 7)
    expect(sorted_header).to_have_attribute("aria-sort", "ascending")
    values = rows.evaluate_all("rows => rows.map(r => Number(r.cells[3 + 7].dataset.sortValue))")
    assert values == sorted(values)

    # A trend opens from the keyboard, with its table and chart.
    trend = page.locator("[data-trend]").first
    trend.locator("summary").focus()
    page.keyboard.press("Enter")
    assert trend.evaluate("d => d.open") is True
    expect(trend.locator("tr[data-period]").first).to_be_visible()
    expect(trend.locator("svg[role=img]")).to_be_visible()
    page.eval_on_selector_all("details", "all => all.forEach(d => d.open = true)")
    assert_no_axe_violations(page)


def test_a_saved_set_and_its_filters_by_keyboard(page, live_server, demo):
    saved = SavedSet.objects.create(slug="demo-pdus", name="Demo PDUs")
    saved.inspections.set(Inspection.objects.all())
    sign_in(page, live_server, "lead", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/sets/demo-pdus/")
    expect(page.get_by_role("heading", name="Demo PDUs", level=1)).to_be_visible()
    page.locator("#dashboard-filters summary").focus()
    page.keyboard.press("Enter")
    checkbox = page.locator("input[name=case_type][value=licence]")
    checkbox.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Apply").focus()
    assert checkbox.is_checked()
    page.keyboard.press("Enter")
    page.wait_for_url("**case_type=licence**")
    expect(page.locator("[data-not-a-rating]")).to_be_visible()
    assert_no_axe_violations(page)
