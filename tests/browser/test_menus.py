"""Each role's menu offers what it can use, and a refusal or a missing page says so in
the service's own words."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from casereview.demo import PASSWORD
from tests.browser.conftest import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

CASE_WORK = ["My cases", "Second marking"]


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, verbosity=0)


def menu(page):
    return page.get_by_role("navigation", name="Menu")


@pytest.mark.parametrize("username", ["inspector", "inspector2", "lead"])
def test_the_team_is_offered_case_work(page, live_server, demo, username):
    sign_in(page, live_server, username, PASSWORD)
    for item in CASE_WORK:
        expect(menu(page).get_by_role("link", name=item)).to_be_visible()


def test_a_viewer_is_offered_dashboards_only_and_told_what_they_cannot_open(
    page, live_server, demo
):
    sign_in(page, live_server, "viewer", PASSWORD)
    expect(menu(page).get_by_role("link", name="Overview")).to_be_visible()
    for item in CASE_WORK:
        expect(menu(page).get_by_role("link", name=item)).to_have_count(0)

    response = page.goto(f"{live_server.url}/inspections/west-sussex-2023/moderation/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
    expect(page.get_by_text("Nothing has been saved")).to_have_count(0)
    assert_no_axe_violations(page)


def test_a_missing_page_is_the_govuk_page(page, live_server, demo):
    sign_in(page, live_server, "lead", PASSWORD)
    response = page.goto(f"{live_server.url}/inspections/no-such-inspection/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()


def test_everyone_can_turn_their_emails_off(page, live_server, demo):
    sign_in(page, live_server, "inspector", PASSWORD)
    page.get_by_role("link", name="Email notifications").click()
    assert_no_axe_violations(page)
    page.get_by_label("No, do not email me").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("We will not email you")).to_be_visible()
    expect(page.get_by_label("No, do not email me")).to_be_checked()
