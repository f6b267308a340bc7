"""The GOV.UK timeout warning, driven in Chromium with a short idle time."""

import re
import time

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from casereview.models import KeyQuestionAnswer
from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.factories import PASSWORD, CaseFactory

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


def test_an_autosave_restarts_the_countdown(page, live_server, settings, inspector):
    # Typing saves in the background, and every save renews the session on the server;
    # the warning must not then sign out someone who is working.
    short_sessions(settings, idle=10, warning=4)
    case = CaseFactory(inspection=inspector.memberships.get().inspection, inspector=inspector)
    sign_in(page, live_server, "inspector-user", PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/sections/assessment/")
    loaded = time.monotonic()
    dialog = page.get_by_role("alertdialog")

    page.wait_for_timeout(2_500)
    page.get_by_label("Evidence note for key question 2.1.1").fill("Still working")
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"))

    # Without the renewal the warning would open 6 seconds after the page loaded.
    page.wait_for_timeout(max(0, (8 - (time.monotonic() - loaded)) * 1000))
    assert not dialog.is_visible()
    dialog.wait_for(state="visible", timeout=8_000)


def test_an_autosave_after_the_session_ended_says_nothing_was_saved(page, live_server, inspector):
    case = CaseFactory(inspection=inspector.memberships.get().inspection, inspector=inspector)
    sign_in(page, live_server, "inspector-user", PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/sections/assessment/")
    status = page.locator("#autosave-status")
    page.get_by_label("Evidence note for key question 2.1.1").fill("First")
    expect(status).to_have_text(re.compile(r"^Saved at"))

    Session.objects.all().delete()  # signed out elsewhere
    page.get_by_label("Evidence note for key question 2.1.1").fill("Second")
    expect(status).to_contain_text("You have been signed out")
    assert not KeyQuestionAnswer.objects.filter(note="Second").exists()
