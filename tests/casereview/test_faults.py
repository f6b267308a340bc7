"""Faults: a failure part-way through a write leaves nothing half-written, and a
database outage gets a clear 503 page rather than a traceback."""

from unittest import mock
from wsgiref.util import setup_testing_defaults

import psycopg
import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.core.handlers.wsgi import WSGIHandler
from django.db import InterfaceError, OperationalError, connection
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from casereview.entry import services
from casereview.entry.sections import answer_field, case_sections, note_field, prompt_field
from casereview.models import Answer, Case, KeyQuestionAnswer, PromptAnswer
from casereview.transfer.importing import CaseImportError, import_cases
from config.db_errors import RETRY_AFTER_SECONDS, database_unreachable
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

RATED = [f"2.{standard}.{lens}" for standard in range(1, 5) for lens in range(1, 4)]
HEADER = "reference,case_type,rosh,2.1.1.a," + ",".join(RATED)


def csv_rows(count: int, *, last: str | None = None) -> bytes:
    rows = [HEADER]
    rows += [f"F-{n:03d},community,medium,Yes," + ",".join(["Yes"] * 12) for n in range(count)]
    if last is not None:
        rows.append(last)
    return ("\n".join(rows) + "\n").encode()


def assert_nothing_imported():
    assert Case.objects.count() == 0
    assert KeyQuestionAnswer.objects.count() == 0
    assert PromptAnswer.objects.count() == 0
    assert Case.history.count() == 0
    assert KeyQuestionAnswer.history.count() == 0


# The import ------------------------------------------------------------------------


def test_an_import_failing_on_its_last_row_leaves_nothing(inspection):
    data = csv_rows(40, last="F-999,community,extreme," + ",".join(["Yes"] * 13))
    with pytest.raises(CaseImportError) as refused:
        import_cases(inspection=inspection, data=data)
    assert refused.value.errors == [
        'row 42, column rosh: "extreme" is not one of low, medium, high, very_high'
    ]
    assert_nothing_imported()


def test_a_database_error_while_writing_an_import_rolls_back_the_rows_already_written(
    inspection,
):
    calls = []

    def fail_on_prompts(objs, model, **kwargs):
        calls.append(model.__name__)
        if model is PromptAnswer:  # cases and key question answers are in by now
            raise OperationalError("server closed the connection unexpectedly")
        return bulk_create_with_history(objs, model, **kwargs)

    with (
        mock.patch("casereview.transfer.import_write.bulk_create_with_history", fail_on_prompts),
        pytest.raises(OperationalError),
    ):
        import_cases(inspection=inspection, data=csv_rows(30))
    assert calls == ["Case", "KeyQuestionAnswer", "PromptAnswer"]
    assert_nothing_imported()


# Saving a section ------------------------------------------------------------------


def assessment_data(case, *, answer=Answer.YES, note="Seen in the record."):
    section = next(s for s in case_sections(case=case) if s.slug == "assessment")
    data = {}
    for key_question in section.key_questions:
        for prompt in section.prompts_of(key_question):
            data[prompt_field(prompt)] = answer
        data[answer_field(key_question)] = answer
        data[note_field(key_question)] = note
    return section, data


def saved_state(case):
    return (
        Case.objects.get(pk=case.pk).version,
        sorted(KeyQuestionAnswer.objects.filter(case=case).values_list("answer", "note")),
        sorted(PromptAnswer.objects.filter(case=case).values_list("answer", flat=True)),
        KeyQuestionAnswer.history.count() + PromptAnswer.history.count(),
    )


def test_a_database_error_during_a_save_rolls_back_the_whole_section(inspection, inspector):
    case = CaseFactory(inspection=inspection, inspector=inspector)
    section, data = assessment_data(case)
    services.save_section(case=case, section=section, data=data, base_version=0, user=inspector)
    before = saved_state(case)
    assert before[0] == 1

    changed = {
        name: (Answer.NO if value == Answer.YES else "Changed") for name, value in data.items()
    }
    # The prompts and the version are written before the key questions fail.
    with (
        mock.patch.object(
            services,
            "_save_key_question_answers",
            side_effect=OperationalError("could not write to the server"),
        ),
        pytest.raises(OperationalError),
    ):
        services.save_section(
            case=case, section=section, data=changed, base_version=1, user=inspector
        )
    assert saved_state(case) == before


def test_a_save_that_meets_an_outage_gets_503_and_writes_nothing(client, inspection, inspector):
    case = CaseFactory(inspection=inspection, inspector=inspector)
    section, data = assessment_data(case)
    client.force_login(inspector)
    url = reverse("casereview:case-section", args=[case.pk, section.slug])
    with mock.patch.object(
        services, "_save_key_question_answers", side_effect=OperationalError("connection lost")
    ):
        response = client.post(url, {**data, "version": 0, "save_draft": ""})
    assert response.status_code == 503
    assert saved_state(case) == (0, [], [], 0)

    # Once the database answers again the same page saves normally.
    response = client.post(url, {**data, "version": 0, "save_draft": ""})
    assert response.status_code == 302
    assert saved_state(case)[0] == 1


# The 503 page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "error", [OperationalError("could not connect to server"), InterfaceError("closed")]
)
def test_an_unreachable_database_gets_the_503_page(client, inspection, lead, error):
    client.force_login(lead)
    with mock.patch("casereview.dashboards.views.inspection_summary", side_effect=error):
        response = client.get(reverse("casereview:inspection-dashboard", args=[inspection.slug]))
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "govuk-heading-l" in page
    assert "Traceback" not in page
    assert "could not connect" not in page and "closed" not in page


def test_autosave_gets_json_during_an_outage(client, inspection, inspector):
    case = CaseFactory(inspection=inspection, inspector=inspector)
    section, data = assessment_data(case)
    client.force_login(inspector)
    with mock.patch("casereview.entry.views.save_section", side_effect=OperationalError("down")):
        response = client.post(
            reverse("casereview:case-section", args=[case.pk, section.slug]),
            {**data, "version": 0},
            headers={"X-Autosave": "1"},
        )
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "try again" in response.json()["error"]


def test_other_errors_still_get_the_500_page(client, inspection, lead):
    client.raise_request_exception = False
    client.force_login(lead)
    with mock.patch(
        "casereview.dashboards.views.inspection_summary", side_effect=ValueError("a bug")
    ):
        response = client.get(reverse("casereview:inspection-dashboard", args=[inspection.slug]))
    assert response.status_code == 500


def test_a_database_error_on_the_way_out_gets_the_503_page_too(client, inspection, lead):
    """The session is saved after the view; if the database goes then, still a 503."""
    client.force_login(lead)
    url = reverse("casereview:inspection-dashboard", args=[inspection.slug])
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.save", side_effect=UpdateError
    ):
        # The database still answers: the session middleware's own 400 stands.
        assert client.get(url).status_code == 400
        with mock.patch("config.db_errors.database_unreachable", return_value=True):
            response = client.get(url)
    assert response.status_code == 503
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_database_unreachable_needs_an_error_and_a_dead_connection(db):
    assert not database_unreachable()
    with mock.patch.object(connection, "errors_occurred", True):
        assert not database_unreachable()  # an error, but the database still answers
        with mock.patch.object(connection, "is_usable", return_value=False):
            assert database_unreachable()


# Recovery, through the real request cycle (PostgreSQL) ---------------------------------


def wsgi_get(path: str, session_key: str) -> tuple[int, str]:
    """A GET through Django's WSGI handler, with the request signals gunicorn's workers
    get (the test client switches off the one that checks connections)."""
    environ = {
        "PATH_INFO": path,
        "REQUEST_METHOD": "GET",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session_key}",
    }
    setup_testing_defaults(environ)
    status = []
    response = WSGIHandler()(environ, lambda code, headers: status.append(code))
    body = b"".join(response).decode()
    response.close()  # request_finished: what a worker does after each response
    return int(status[0].split()[0]), body


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_service_recovers_by_itself_when_the_database_is_back(client, inspection, lead):
    client.force_login(lead)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    dashboard = reverse("casereview:inspection-dashboard", args=[inspection.slug])
    assert wsgi_get(dashboard, session_key)[0] == 200
    assert connection.connection is not None, "connections persist between requests"

    # The database restarts: the worker's persistent connection dies under it...
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [backend])
    # ...and while it is down no new connection can be made: 503, no traceback.
    refused = psycopg.OperationalError("connection refused")  # as the driver raises it
    with mock.patch.object(connection, "get_new_connection", side_effect=refused):
        status, page = wsgi_get(dashboard, session_key)
    assert status == 503
    assert "Sorry, there is a problem with the service" in page

    # Back up: the next request checks the connection, opens a new one and is served.
    assert wsgi_get(dashboard, session_key)[0] == 200
