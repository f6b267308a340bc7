"""How firmly ratings hold, in a real browser: the dashboard's sentences and its "How sure
is this?" section, the cases a fragile rating rests on, and the moderation list with the
deciding cases first; no accessibility violations axe-core can find."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "demo-password-2024"


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, verbosity=0)


def test_the_dashboard_says_how_firmly_reviewing_holds_and_how_sure_it_is(page, live_server, demo):
    sign_in(page, live_server, "lead", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inspections/north-downs-2024/")
    reviewing = page.locator('[data-standard-panel="2.4"]')
    expect(reviewing.locator("[data-holds-by]")).to_have_text(
        "Good holds by 1 answer: one more No on 2.4.3 would make it Requires improvement."
    )
    expect(reviewing.locator("[data-next-step]")).to_contain_text("Good lifts by 8 answers")

    how_sure = reviewing.locator("details[data-how-sure]")
    interval = how_sure.locator('[data-interval="2.4.3"]')
    expect(interval).to_be_hidden()
    how_sure.locator("summary").click()
    expect(interval).to_be_visible()
    expect(interval).to_contain_text("% to ")
    expect(how_sure.locator("[data-band-edge]").last).to_have_text(
        "The sample cannot settle whether 2.4.3 is Outstanding or Inadequate."
    )
    assert_no_axe_violations(page)

    reviewing.get_by_role("link", name="Cases answered Yes on 2.4.3").click()
    expect(page.get_by_role("heading", name="Cases answered Yes on 2.4.3")).to_be_visible()
    assert page.locator("[data-no-cases] tbody tr").count() > 0
    assert_no_axe_violations(page)


def test_the_moderation_list_puts_the_deciding_cases_first(page, live_server, demo):
    sign_in(page, live_server, "lead", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inspections/north-downs-2024/moderation/")
    rows = page.locator("tbody tr")
    decided = [rows.nth(i).locator("[data-decides] li").count() for i in range(rows.count())]
    assert decided[0] > 0
    assert decided == sorted(decided, reverse=True), "the cases deciding most come first"
    expect(rows.first.locator("[data-decides]")).to_contain_text("(the rating holds by")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Double marking").click()
    page.get_by_label("Every case below that decides a rating", exact=False).check()
    assert_no_axe_violations(page)
