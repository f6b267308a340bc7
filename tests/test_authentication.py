"""Signing in: strong passwords, throttled failures, sessions that end when idle."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = "/sign-in/"


@pytest.mark.parametrize(
    ("weak", "reason"),
    [
        ("short-pass", "too short"),
        ("qwertyuiop123", "too common"),
        ("password1234", "too common"),
        ("12345678901234", "entirely numeric"),
    ],
)
def test_weak_passwords_are_rejected(weak, reason):
    with pytest.raises(ValidationError) as error:
        validate_password(weak)
    assert any(reason in message for message in error.value.messages)


def test_a_password_like_the_username_is_rejected(lead):
    with pytest.raises(ValidationError):
        validate_password("lead-user-2024", user=lead)


def test_a_long_uncommon_passphrase_is_accepted(lead):
    validate_password(PASSWORD, user=lead)


def fail_sign_in(client, username, address, times):
    for _ in range(times):
        response = client.post(
            SIGN_IN, {"username": username, "password": "wrong-password"}, REMOTE_ADDR=address
        )
    return response


def sign_in(client, username, address, password=PASSWORD):
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_that_user_out_from_that_address(client, lead):
    first = fail_sign_in(client, "lead-user", "10.0.0.1", 1)
    assert first.status_code == 200
    assert "Enter a correct username and password" in first.content.decode()

    locked = fail_sign_in(client, "lead-user", "10.0.0.1", 4)
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    assert "Wait 15 minutes, then try again." in locked.content.decode()

    # Even the right password is refused while locked out.
    again = sign_in(client, "lead-user", "10.0.0.1")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_and_address(client, lead, inspector):
    fail_sign_in(client, "lead-user", "10.0.0.1", 5)
    other_user = sign_in(client, "inspector-user", "10.0.0.1")
    assert other_user.status_code == 302
    assert other_user.url == reverse("home")
    client.logout()
    other_address = sign_in(client, "lead-user", "10.0.0.2")
    assert other_address.status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(client, lead):
    fail_sign_in(client, "lead-user", "10.0.0.1", 4)
    assert sign_in(client, "lead-user", "10.0.0.1").status_code == 302


def session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_idle_longer_than_the_idle_time_is_signed_out(client, lead, settings):
    client.force_login(lead)
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_every_request_renews_the_session(client, lead, settings):
    client.force_login(lead)
    soon = timezone.now() + datetime.timedelta(seconds=30)
    Session.objects.update(expire_date=soon)
    client.get("/")
    renewed = session_row(client).expire_date
    expected = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs(renewed - expected) < datetime.timedelta(seconds=10)


def test_a_background_refresh_does_not_keep_an_idle_session_alive(client, lead, inspection):
    client.force_login(lead)
    soon = timezone.now() + datetime.timedelta(seconds=30)
    Session.objects.update(expire_date=soon)
    response = client.get(
        f"/inspections/{inspection.slug}/",
        headers={"X-Dashboard-Fragment": "figures", "X-Background-Request": "1"},
    )
    assert response.status_code == 200
    assert abs(session_row(client).expire_date - soon) < datetime.timedelta(seconds=1)
    assert django_settings.SESSION_COOKIE_NAME not in response.cookies  # expiry not pushed back


def test_keep_alive_renews_the_session_with_no_content(client, lead, settings):
    client.force_login(lead)
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
    response = client.get(reverse("session-keep-alive"))
    assert response.status_code == 204
    assert response.content == b""
    assert "no-cache" in response["Cache-Control"]
    expected = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs(session_row(client).expire_date - expected) < datetime.timedelta(seconds=10)


def test_keep_alive_after_the_session_ended_sends_to_sign_in(client):
    response = client.get(reverse("session-keep-alive"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_timing_out_signs_out_and_the_sign_in_page_says_why(client, lead, settings):
    settings.SESSION_COOKIE_AGE = 3600
    client.force_login(lead)
    response = client.post(reverse("session-timed-out"), follow=True)
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "We signed you out because you did not do anything for 60 minutes." in (
        response.content.decode()
    )
    assert client.get("/").status_code == 302


def test_pages_carry_the_idle_and_warning_times_for_the_timeout_warning(client, lead, settings):
    settings.SESSION_COOKIE_AGE = 1800
    settings.SESSION_WARNING_SECONDS = 90
    client.force_login(lead)
    html = client.get("/").content.decode()
    assert 'data-session-idle-seconds="1800"' in html
    assert 'data-session-warning-seconds="90"' in html
    assert 'role="alertdialog"' in html
    assert "js/session-timeout.js" in html


def test_signed_out_pages_have_no_timeout_warning(client):
    html = client.get(SIGN_IN).content.decode()
    assert "session-timeout" not in html


# Behind a reverse proxy ----------------------------------------------------------------
# Every request reaches the service from the proxy's address; the proxy appends the
# address it received the request from to X-Forwarded-For.

PROXY = "10.0.0.100"
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.7"


def through_proxy(client, username, forwarded_for, password="wrong-password"):
    return client.post(
        SIGN_IN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_behind_the_proxy_an_attacker_locks_only_themselves_out(client, lead, behind_one_proxy):
    for _ in range(5):
        locked = through_proxy(client, "lead-user", ATTACKER)
    assert locked.status_code == 429
    assert through_proxy(client, "lead-user", ATTACKER, password=PASSWORD).status_code == 429

    signed_in = through_proxy(client, "lead-user", VICTIM, password=PASSWORD)
    assert signed_in.status_code == 302
    assert signed_in.url == reverse("home")
    assert AccessAttempt.objects.get().ip_address == ATTACKER


def test_spoofed_leading_entries_neither_frame_the_victim_nor_escape_the_lockout(
    client, lead, behind_one_proxy
):
    # The attacker sends the victim's address, then a new made-up one for each try; the
    # proxy appends the attacker's real address to whatever they sent.
    for n in range(5):
        locked = through_proxy(client, "lead-user", f"{VICTIM}, 192.0.2.{n}, {ATTACKER}")
    assert locked.status_code == 429
    assert through_proxy(client, "lead-user", f"{VICTIM}, {ATTACKER}", PASSWORD).status_code == 429

    assert through_proxy(client, "lead-user", VICTIM, password=PASSWORD).status_code == 302


def test_with_two_proxies_the_client_is_second_from_the_right(client, lead, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    for n in range(5):
        locked = through_proxy(client, "lead-user", f"192.0.2.{n}, {ATTACKER}, 10.0.0.5")
    assert locked.status_code == 429
    assert through_proxy(client, "lead-user", f"{VICTIM}, 10.0.0.5", PASSWORD).status_code == 302


def test_with_no_proxy_configured_the_header_is_ignored(client, lead, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    for n in range(5):
        locked = client.post(
            SIGN_IN,
            {"username": "lead-user", "password": "wrong-password"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert locked.status_code == 429
    assert AccessAttempt.objects.get().ip_address == ATTACKER
    # Claiming the victim's address in the header does not sign the attacker in...
    assert (
        client.post(
            SIGN_IN,
            {"username": "lead-user", "password": PASSWORD},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=VICTIM,
        ).status_code
        == 429
    )
    # ...and the victim, from their own address, is not locked out.
    assert sign_in(client, "lead-user", VICTIM).status_code == 302


def test_failures_during_a_lockout_do_not_restart_the_pause(client, lead, settings):
    fail_sign_in(client, "lead-user", ATTACKER, 5)
    locked_at = AccessAttempt.objects.get().attempt_time
    assert fail_sign_in(client, "lead-user", ATTACKER, 3).status_code == 429
    attempt = AccessAttempt.objects.get()
    assert (attempt.attempt_time, attempt.failures_since_start) == (locked_at, 5)

    # The pause ends AXES_COOLOFF_MINUTES after the failure that caused it.
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(attempt_time=locked_at - cool_off)
    assert sign_in(client, "lead-user", ATTACKER).status_code == 302


def test_the_sign_in_fields_are_the_renderers_with_govuk_messages(client, lead):
    html = client.post(SIGN_IN, {"username": "lead-user"}).content.decode()
    start = html.index("govuk-error-summary")
    summary = html[start : html.index("</ul>", start)]
    assert '<a href="#id_password">Enter your password</a>' in summary
    assert 'id="id_password-error"' in html  # beside the field too
    username = html[html.index('id="id_username"') - 60 :]
    assert 'value="lead-user"' in username[:300] and 'autocomplete="username"' in username[:300]
    tag = re.search(r'<input[^>]*id="id_password"[^>]*>', html).group()
    assert 'type="password"' in tag and 'autocomplete="current-password"' in tag
    assert "value=" not in tag  # a password is never written back
    empty = client.post(SIGN_IN, {}).content.decode()
    assert '<a href="#id_username">Enter your username</a>' in empty
