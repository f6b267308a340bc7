"""The dashboard of a set of inspections in a real browser: reached and used from the
keyboard alone, its pages (figures, breakdowns, PDU comparison, trends) followed from its sub
navigation with the filters kept, the comparison sorted, and no violation axe-core can
find."""

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
    expect(page.locator("[data-no-set-rating]")).to_contain_text("No rating for a set")
    expect(page.locator("[data-prompt]").first).to_be_attached()
    assert_no_axe_violations(page)

    # The breakdowns, by PDU first, from the set's sub navigation.
    pages = page.get_by_role("navigation", name="Pages of this set's dashboard")
    expect(pages.get_by_role("link", name="Figures")).to_have_attribute("aria-current", "page")
    pages.get_by_role("link", name="Breakdowns").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/overview/set/breakdowns/**")
    by_pdu = page.locator('[data-breakdown="inspection__unit__name"]')
    by_pdu.locator("summary").focus()
    page.keyboard.press("Enter")
    assert by_pdu.evaluate("d => d.open") is True
    expect(by_pdu.locator("table")).to_be_visible()
    page.eval_on_selector_all("details", "all => all.forEach(d => d.open = true)")
    assert_no_axe_violations(page)

    # The comparison between PDUs.
    pages.get_by_role("link", name="Compare PDUs").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/overview/set/pdus/**")
    expect(pages.get_by_role("link", name="Compare PDUs")).to_have_attribute("aria-current", "page")
    rows = page.locator("[data-comparison] tbody tr")
    expect(rows).to_have_count(Inspection.objects.count())
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
    pages.get_by_role("link", name="Trends").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/overview/set/trends/**")
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
    # The comparison keeps the filter: each PDU's licence cases, still not a rating.
    page.get_by_role("link", name="Compare PDUs").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sets/demo-pdus/pdus/?case_type=licence*")
    expect(page.locator("[data-not-a-rating]")).to_be_visible()
    expect(page.locator("input[name=case_type][value=licence]")).to_be_checked()


def test_a_lead_creates_a_saved_set_sees_it_and_changes_it_by_keyboard(page, live_server, demo):
    sign_in(page, live_server, "lead", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/overview/")
    page.locator("[data-saved-sets-link]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sets/")
    expect(page.locator("[data-no-saved-sets]")).to_be_visible()
    assert_no_axe_violations(page)
    page.locator("[data-create-set]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sets/new/")

    # Nothing chosen: the error summary, focused, links to the first checkbox.
    page.get_by_label("Name").focus()
    page.keyboard.type("Demo regional inspection")
    expect(page.get_by_label("Address")).to_have_value("demo-regional-inspection")
    page.get_by_role("button", name="Save the set").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose at least one inspection")
    assert_no_axe_violations(page)

    # Both demo inspections, from the keyboard.
    inspections = list(Inspection.objects.select_related("unit").order_by("unit__name"))
    for inspection in inspections:
        checkbox = page.get_by_role("checkbox", name=inspection.unit.name)
        checkbox.focus()
        page.keyboard.press("Space")
        expect(checkbox).to_be_checked()
    page.get_by_role("button", name="Save the set").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sets/demo-regional-inspection/")
    expect(page.get_by_role("heading", name="Demo regional inspection", level=1)).to_be_visible()
    page.goto(f"{live_server.url}/sets/demo-regional-inspection/pdus/")
    expect(page.locator("[data-comparison] tbody tr")).to_have_count(len(inspections))
    saved = SavedSet.objects.get(slug="demo-regional-inspection")
    assert saved.created_by.username == "lead"
    assert_no_axe_violations(page)

    # Change it: one inspection fewer, a new name.
    page.locator("[data-change-set]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sets/demo-regional-inspection/edit/")
    assert_no_axe_violations(page)
    name = page.get_by_label("Name")
    name.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("One demo PDU")
    expect(page.get_by_label("Address")).to_have_value("demo-regional-inspection")  # kept
    dropped = page.get_by_role("checkbox", name=inspections[0].unit.name)
    dropped.focus()
    page.keyboard.press("Space")
    expect(dropped).not_to_be_checked()
    page.get_by_role("button", name="Save the set").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sets/demo-regional-inspection/")
    expect(page.get_by_role("heading", name="One demo PDU", level=1)).to_be_visible()
    page.goto(f"{live_server.url}/sets/demo-regional-inspection/pdus/")
    expect(page.locator("[data-comparison] tbody tr")).to_have_count(len(inspections) - 1)
    saved.refresh_from_db()
    assert saved.version == 1
    assert list(saved.inspections.all()) == inspections[1:]
