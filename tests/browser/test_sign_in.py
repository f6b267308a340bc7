import pytest

from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_see_home_and_sign_out_without_accessibility_violations(page, live_server, lead):
    page.goto(live_server.url + "/")
    assert "/sign-in/" in page.url
    assert_no_axe_violations(page)

    sign_in(page, live_server, "lead-user", PASSWORD)
    assert page.get_by_role("heading", name="Inspections").is_visible()
    # The inspection is named by its unit, not its slug.
    assert page.get_by_role("link", name="Test PDU").is_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert "/sign-in/" in page.url
    page.goto(live_server.url + "/")
    assert "/sign-in/" in page.url


def test_wrong_password_shows_error_summary_and_keeps_username(page, live_server, lead):
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Username").fill("lead-user")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    assert page.get_by_label("Username").input_value() == "lead-user"
    assert page.title().startswith("Error:")
    assert_no_axe_violations(page)
