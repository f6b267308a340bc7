"""The GOV.UK timeout warning, driven in Chromium with a short idle time."""

import time

import pytest

from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def short_sessions(settings, *, idle, warning):
    settings.SESSION_COOKIE_AGE = idle
    settings.SESSION_WARNING_SECONDS = warning


def test_warning_appears_and_stay_signed_in_keeps_the_session(page, live_server, settings, lead):
    short_sessions(settings, idle=12, warning=9)
    sign_in(page, live_server, "lead-user", PASSWORD)
    loaded = time.monotonic()
    dialog = page.get_by_role("alertdialog", name="You’re about to be signed out")
    assert not dialog.is_visible()

    dialog.wait_for(state="visible", timeout=8_000)
    assert "we will sign you out in" in dialog.inner_text()
    # Focus moves into the dialog, so keyboard and screen reader users find it.
    assert page.evaluate("document.activeElement.id") == "session-timeout-heading"
    assert_no_axe_violations(page)

    with page.expect_response(lambda r: "/session/keep-alive" in r.url) as response:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert response.value.status == 204
    dialog.wait_for(state="hidden")

    # Past the moment the first session would have ended, the user is still signed in.
    page.wait_for_timeout(max(0, (12.5 - (time.monotonic() - loaded)) * 1000))
    page.goto(f"{live_server.url}/")
    assert "/sign-in/" not in page.url
    assert page.get_by_role("heading", name="Inspections").is_visible()


def test_escape_means_stay_signed_in(page, live_server, settings, lead):
    short_sessions(settings, idle=10, warning=9)
    sign_in(page, live_server, "lead-user", PASSWORD)
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for(state="visible", timeout=5_000)
    with page.expect_response(lambda r: "/session/keep-alive" in r.url) as response:
        page.keyboard.press("Escape")
    assert response.value.status == 204
    dialog.wait_for(state="hidden")


def test_when_time_runs_out_the_user_is_signed_out_and_told_why(page, live_server, settings, lead):
    short_sessions(settings, idle=5, warning=4)
    sign_in(page, live_server, "lead-user", PASSWORD)
    page.get_by_role("alertdialog").wait_for(state="visible", timeout=5_000)
    page.wait_for_url("**/sign-in/", timeout=10_000)
    assert "did not do anything for 5 seconds" in page.get_by_role("main").inner_text()
    page.goto(f"{live_server.url}/")
    assert "/sign-in/" in page.url


def test_sign_out_from_the_warning(page, live_server, settings, lead):
    short_sessions(settings, idle=10, warning=9)
    sign_in(page, live_server, "lead-user", PASSWORD)
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for(state="visible", timeout=5_000)
    dialog.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")
    page.goto(f"{live_server.url}/")
    assert "/sign-in/" in page.url
