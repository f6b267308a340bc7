from unittest import mock

import psycopg
import pytest
from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.models import Session
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    InternalError,
    OperationalError,
    connection,
)
from django.test import Client
from django.urls import reverse

from config.db_errors import RETRY_AFTER_SECONDS, is_database_failure
from tests import test_url_access
from tests.factories import PASSWORD
from tests.test_url_access import ROUTES, url_for

pytestmark = pytest.mark.django_db

# The access walk's inspection, people, case and second markings.
world = test_url_access.world


def test_unknown_page_gets_the_gov_uk_not_found_page(client, lead):
    client.force_login(lead)
    response = client.get("/inspections/no-such-inspection/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_a_form_without_its_csrf_token_is_refused_with_a_clear_page(lead):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"username": "lead-user", "password": "x"})
    assert response.status_code == 403
    assert b"Your form could not be sent" in response.content


# A database that cannot write: disk full, read-only ---------------------------------


def assert_service_unavailable_page(response, where=""):
    assert response.status_code == 503, f"{where}: {response.status_code}"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS), where
    assert response["Cache-Control"] == "no-store", where
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page, where
    assert "govuk-heading-l" in page and settings.SERVICE_NAME in page, where
    assert "Traceback" not in page and "disk" not in page and "readonly" not in page, where


DISK_FULL = [
    # SQLite's words; Django raises it as OperationalError.
    OperationalError("database or disk is full"),
    # PostgreSQL's, as the driver raises it.
    psycopg.errors.DiskFull("could not extend file: No space left on device"),
]


@pytest.mark.parametrize("error", DISK_FULL, ids=["sqlite", "postgresql"])
def test_a_full_disk_when_the_session_is_saved_gets_the_503_page(client, lead, inspection, error):
    client.raise_request_exception = False
    client.force_login(lead)
    url = reverse("casereview:inspection-dashboard", args=[inspection.slug])
    with mock.patch.object(Session, "save", side_effect=error):
        assert_service_unavailable_page(client.get(url), url)
    assert client.get(url).status_code == 200  # and the disk has room again


@pytest.mark.parametrize("error", DISK_FULL, ids=["sqlite", "postgresql"])
def test_autosave_gets_json_when_the_disk_is_full(client, lead, inspection, error):
    client.raise_request_exception = False
    client.force_login(lead)
    url = reverse("casereview:inspection-dashboard", args=[inspection.slug])
    with mock.patch.object(Session, "save", side_effect=error):
        response = client.get(url, headers={"X-Autosave": "1"})
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "try again" in response.json()["error"]


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("attempt to write a readonly database"),
        # PostgreSQL refuses a write in a read-only transaction with an InternalError.
        InternalError("cannot execute UPDATE in a read-only transaction"),
    ],
)
def test_a_read_only_database_gets_the_503_page(client, lead, inspection, error):
    if isinstance(error, InternalError):
        error.__cause__ = psycopg.errors.ReadOnlySqlTransaction("read-only transaction")
    client.force_login(lead)
    url = reverse("casereview:inspection-dashboard", args=[inspection.slug])
    with mock.patch.object(Session, "save", side_effect=error):
        assert_service_unavailable_page(client.get(url), url)


@pytest.fixture
def read_only_database(transactional_db):
    """Make the test database really refuse every write, as a full disk or a read-only
    replica does; `refuse()` switches it on, and the fixture switches it off again."""
    sqlite = connection.vendor == "sqlite"

    def switch(on: bool):
        with connection.cursor() as cursor:
            if sqlite:
                cursor.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")
            else:
                cursor.execute(f"SET default_transaction_read_only = {'on' if on else 'off'}")

    yield lambda: switch(True)
    switch(False)


def test_every_page_gets_the_503_page_while_the_database_cannot_write(
    world, admin_user, read_only_database
):
    """Walks every URL pattern (tests/test_url_access.py's walk), signed in, with the
    database refusing writes: each page's session save fails, and each answer is the 503
    page, never a 400, a 500 or a page that looks saved."""
    lead = Client(raise_request_exception=False)
    lead.force_login(world.lead)
    admin = Client(raise_request_exception=False)
    admin.force_login(admin_user)
    anonymous = Client(raise_request_exception=False)
    read_only_database()

    for route in ROUTES:
        url = url_for(route, world)
        assert_service_unavailable_page(lead.get(url), f"GET {url}")
    assert_service_unavailable_page(admin.get(reverse("admin:index")), "admin")
    signing_in = anonymous.post(reverse("login"), {"username": "walk-lead", "password": PASSWORD})
    assert_service_unavailable_page(signing_in, "sign in")

    health = anonymous.get(reverse("healthz"))
    assert health.status_code == 503
    assert health["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_the_walk_covers_every_page():
    assert len(ROUTES) > 20
    assert {"home", "casereview:inspection-dashboard", "casereview:case-detail"} <= {
        route.name for route in ROUTES
    }


# Genuine bad requests and bugs -------------------------------------------------------


def test_a_bad_request_gets_the_gov_uk_400_page(client):
    response = client.get("/", HTTP_HOST="attacker.example")  # SuspiciousOperation
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sorry, there is a problem with your request" in page
    assert "govuk-heading-l" in page and settings.SERVICE_NAME in page


def test_a_session_ended_elsewhere_during_the_request_gets_the_400_page(client, lead, inspection):
    """Signed out in another tab while this request ran: the database is fine, so a 400."""
    client.force_login(lead)
    url = reverse("casereview:inspection-dashboard", args=[inspection.slug])
    gone = DatabaseError("Forced update did not affect any rows.")  # what Django raises
    with mock.patch.object(Session, "save", side_effect=gone):
        response = client.get(url)
    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()


def test_a_bug_outside_the_view_still_gets_the_500_page(client, lead, inspection):
    client.raise_request_exception = False
    client.force_login(lead)
    url = reverse("casereview:inspection-dashboard", args=[inspection.slug])
    with mock.patch.object(Session, "save", side_effect=ValueError("a bug")):
        response = client.get(url)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Try again later" in page and "a bug" not in page


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        (OperationalError("database or disk is full"), True),
        (InterfaceError("connection already closed"), True),
        (psycopg.errors.DiskFull("no space"), True),
        (psycopg.errors.AdminShutdown("terminating connection"), True),
        (psycopg.errors.ReadOnlySqlTransaction("read-only"), True),
        (IntegrityError("duplicate key"), False),
        (DatabaseError("Forced update did not affect any rows."), False),
        (psycopg.errors.UniqueViolation("duplicate key"), False),
        (ValueError("a bug"), False),
        (None, False),
    ],
)
def test_what_counts_as_the_database_failing(error, failure):
    assert is_database_failure(error) is failure
    # ...also when it is what the error reaching a handler was raised while handling.
    interrupted = SessionInterrupted("The request's session was deleted")
    interrupted.__context__ = error
    assert is_database_failure(interrupted) is failure
