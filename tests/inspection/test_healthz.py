from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError

from config.db_errors import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_the_database_answers_and_writes(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_keeps_nothing_it_wrote(client):
    before = list(Session.objects.values_list("session_key", flat=True))
    assert client.get("/healthz").status_code == 200
    assert list(Session.objects.values_list("session_key", flat=True)) == before


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("database or disk is full"),
        OperationalError("attempt to write a readonly database"),
        OperationalError("could not connect to server"),
    ],
)
def test_healthz_answers_503_when_the_database_cannot_write(client, error):
    # Reads still work: only the write fails, as on a full disk.
    with mock.patch.object(Session, "save", side_effect=error):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_healthz_needs_no_sign_in_and_is_not_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response.headers.get("Cache-Control", "")
