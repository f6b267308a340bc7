"""Evidence retention: erase_evidence and its admin action blank every note and free-text
reason of a complete inspection, history included, and nothing else."""

from __future__ import annotations

import datetime
import io
import sqlite3
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casereview.demo import load_demo
from casereview.lifecycle.models import EvidenceErasure
from casereview.models import (
    Case,
    KeyQuestionAnswer,
    SecondMarking,
    SecondMarkingAnswer,
    SecondMarkingStatus,
)
from casereview.moderation.services import (
    case_correct_answer,
    case_mark_moderated,
    case_reopen,
    case_return_for_rework,
)
from casereview.transfer.workbook import inspection_workbook, workbook_bytes
from inspection.models import Inspection, InspectionStatus
from tests.casereview.review_helpers import submitted_case
from tests.factories import InspectionFactory, UserFactory
from tests.inspection.test_settings import run_with_env
from tests.scratch import demo_database, manage, script, sqlite_url

pytestmark = pytest.mark.django_db

MARK = "Qx7 private words"
WEST = "west-sussex-2023"


def rows_containing(text: str) -> dict[str, int]:
    """Every text column of every model's table (history tables and their change reasons
    included) that holds `text`, with how many rows."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                count = model._default_manager.filter(**{f"{field.name}__contains": text}).count()
                if count:
                    found[f"{model._meta.db_table}.{field.column}"] = count
    return found


def summary_json(slug: str) -> str:
    out = io.StringIO()
    call_command("summary", slug, json=True, stdout=out)
    return out.getvalue()


def workbook_values(inspection) -> dict:
    generated = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    data = workbook_bytes(inspection_workbook(inspection=inspection, generated=generated))
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def erase(*args: str) -> str:
    out = io.StringIO()
    call_command("erase_evidence", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def west(settings):
    """The demo's complete inspection, with private words in every place a note or a
    reason is kept: a note, an oversight note, a return, a reopening, a correction and a
    second marking, each written through the service, so its history has them too."""
    settings.DEBUG = True
    load_demo()
    inspection = Inspection.objects.get(slug=WEST)
    assert inspection.status == InspectionStatus.COMPLETE
    lead = inspection.memberships.get(role="lead").user
    first, second, third, fourth, fifth = Case.objects.filter(inspection=inspection)[:5]
    answer = first.key_question_answers.first()
    answer.note = f"{MARK} in a note"
    answer.save()
    first.oversight_note = f"{MARK} in an oversight note"
    first.save()
    case_return_for_rework(case=second, reason=f"{MARK} returned", user=lead)
    case_mark_moderated(case=third, user=lead)
    case_reopen(case=third, reason=f"{MARK} reopened", user=lead)
    key_question = fourth.key_question_answers.first().key_question
    current = fourth.key_question_answers.first().answer
    case_correct_answer(
        case=fourth,
        key_question=key_question,
        answer="no" if current == "yes" else "yes",
        reason=f"{MARK} corrected",
        user=lead,
    )
    marking = SecondMarking.objects.create(
        case=fifth,
        inspector=UserFactory(username="second-marker"),
        requested_by=lead,
        status=SecondMarkingStatus.SUBMITTED,
    )
    SecondMarkingAnswer.objects.create(
        second_marking=marking, key_question=key_question, answer="yes", note=f"{MARK} second"
    )
    return inspection


def test_erasure_removes_every_note_and_reason_and_keeps_every_figure(west):
    demo_notes = set(
        KeyQuestionAnswer.objects.filter(case__inspection=west)
        .exclude(note="")
        .exclude(note__contains=MARK)
        .exclude(note__in=KeyQuestionAnswer.objects.exclude(case__inspection=west).values("note"))
        .values_list("note", flat=True)[:3]
    )
    summary, workbook = summary_json(WEST), workbook_values(west)
    other = summary_json("north-downs-2024")
    answers = list(
        KeyQuestionAnswer.objects.filter(case__inspection=west).order_by("pk").values_list("answer")
    )
    history_rows = KeyQuestionAnswer.history.count() + Case.history.count()
    notes = KeyQuestionAnswer.objects.filter(case__inspection=west).exclude(note="").count()
    reasons = (
        Case.objects.filter(return_reason__contains=MARK).count()
        + Case.history.filter(history_change_reason__contains=MARK).count()
        + KeyQuestionAnswer.history.filter(history_change_reason__contains=MARK).count()
    )
    # The check below can fail: before, the words are in the rows and their history.
    assert set(rows_containing(MARK)) == {
        "casereview_keyquestionanswer.note",
        "casereview_historicalkeyquestionanswer.note",
        "casereview_historicalkeyquestionanswer.history_change_reason",
        "casereview_case.oversight_note",
        "casereview_case.return_reason",
        "casereview_historicalcase.oversight_note",
        "casereview_historicalcase.return_reason",
        "casereview_historicalcase.history_change_reason",
        "casereview_secondmarkinganswer.note",
        "casereview_historicalsecondmarkinganswer.note",
    }

    output = erase(WEST, "--user", "admin")

    assert output.startswith(f"{WEST}: erased ")
    assert rows_containing(MARK) == {}
    for note in demo_notes:
        assert rows_containing(note) == {}
    assert summary_json(WEST) == summary
    assert workbook_values(west) == workbook
    assert summary_json("north-downs-2024") == other
    assert (
        list(
            KeyQuestionAnswer.objects.filter(case__inspection=west)
            .order_by("pk")
            .values_list("answer")
        )
        == answers
    )
    assert KeyQuestionAnswer.history.count() + Case.history.count() == history_rows
    # The labels the service wrote stay; only the lead's words go.
    kept = set(Case.history.filter(inspection=west).values_list("history_change_reason", flat=True))
    assert {
        "Moderated",
        "Returned for rework: (reason erased)",
        "Reopened after moderation: (reason erased)",
        "(reason erased)",
    } <= kept
    # The record of the erasure survives it, and says who, when and how much.
    erasure = EvidenceErasure.objects.get(inspection=west)
    assert erasure.erased_by.username == "admin"
    assert erasure.how == "erase_evidence command"
    assert erasure.second_marking_notes == 1
    assert erasure.reasons == reasons == 5  # the case's; return, reopening, 2 corrections
    assert erasure.evidence_notes == notes
    assert f"{erasure.evidence_notes} evidence notes" in output
    # Erasing again finds nothing left.
    assert "erased 0 evidence notes, 0 management-oversight notes" in erase(WEST, "--user", "admin")


def test_dry_run_reports_the_counts_and_changes_nothing(west):
    tables = [Case, KeyQuestionAnswer, SecondMarkingAnswer]
    before = [list(model.objects.order_by("pk").values()) for model in tables]
    history = [list(model.history.order_by("pk").values()) for model in tables]
    notes = KeyQuestionAnswer.objects.filter(case__inspection=west).exclude(note="").count()
    oversight = Case.objects.filter(inspection=west).exclude(oversight_note="").count()

    output = erase(WEST, "--dry-run")

    assert output.strip() == (
        f"{WEST}: would erase {notes} evidence notes, {oversight} management-oversight notes, "
        f"1 second-marking notes and 5 return or correction reasons "
        f"({output.split('(')[1].split(' ')[0]} history rows); nothing changed"
    )
    assert int(output.split("(")[1].split(" ")[0]) > notes
    assert [list(model.objects.order_by("pk").values()) for model in tables] == before
    assert [list(model.history.order_by("pk").values()) for model in tables] == history
    assert not EvidenceErasure.objects.exists()


def test_an_inspection_not_complete_is_refused_and_nothing_changes(west):
    fieldwork = Inspection.objects.get(slug="north-downs-2024")
    notes = list(KeyQuestionAnswer.objects.filter(case__inspection=fieldwork).values("note"))

    for args in (["--dry-run"], ["--user", "admin"]):
        with pytest.raises(CommandError) as refused:
            erase("north-downs-2024", *args)
        assert str(refused.value) == (
            "north-downs-2024 is not complete (Fieldwork in progress): evidence is erased "
            "only once an inspection is complete"
        )
    assert list(KeyQuestionAnswer.objects.filter(case__inspection=fieldwork).values("note")) == (
        notes
    )
    assert not EvidenceErasure.objects.exists()


def test_the_erasure_names_its_author(west):
    with pytest.raises(CommandError, match="--user USERNAME is required"):
        erase(WEST)
    with pytest.raises(CommandError, match="--user nobody: no active user"):
        erase(WEST, "--user", "nobody")
    assert rows_containing(MARK)


def test_due_erases_what_is_past_its_retention_period(west, settings):
    with pytest.raises(CommandError, match="EVIDENCE_RETENTION_DAYS is not set"):
        erase("--due", "--user", "admin")

    settings.EVIDENCE_RETENTION_DAYS = 365
    today = timezone.localdate()
    Inspection.objects.filter(pk=west.pk).update(fieldwork_end=today - datetime.timedelta(400))
    recent = InspectionFactory(
        slug="recent-2025",
        status=InspectionStatus.COMPLETE,
        fieldwork_end=today - datetime.timedelta(30),
    )
    submitted_case(recent, note=f"{MARK} recent")
    undated = InspectionFactory(slug="undated-2025", status=InspectionStatus.COMPLETE)
    submitted_case(undated, note=f"{MARK} undated")

    assert "would erase" in erase("--due", "--dry-run")
    output = erase("--due", "--user", "admin")

    assert output.splitlines()[0].startswith(f"{WEST}: erased ")
    assert len(output.splitlines()) == 1
    # Only the inspections not yet due (or with no end date) keep their notes.
    assert set(rows_containing(MARK)) == {"casereview_keyquestionanswer.note"}
    assert set(
        KeyQuestionAnswer.objects.filter(note__contains=MARK).values_list(
            "case__inspection__slug", flat=True
        )
    ) == {"recent-2025", "undated-2025"}
    assert EvidenceErasure.objects.get().how == "erase_evidence --due command"
    # Run again (as a daily timer would): nothing left, nothing recorded.
    assert erase("--due", "--user", "admin").strip() == f"{WEST}: nothing left to erase"
    assert EvidenceErasure.objects.count() == 1


def test_admin_action_confirms_with_the_counts_then_erases(client, west, admin_user):
    client.force_login(admin_user)
    changelist = reverse("admin:inspection_inspection_changelist")
    selected = {"action": "erase_evidence_action", ACTION_CHECKBOX_NAME: [west.pk]}

    confirm = client.post(changelist, selected)

    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Erase the evidence" in page
    notes = KeyQuestionAnswer.objects.filter(case__inspection=west).exclude(note="").count()
    assert f"<td>{WEST}</td><td>{notes}</td>" in page
    assert rows_containing(MARK)  # nothing erased yet

    done = client.post(changelist, {**selected, "confirm": "Erase the evidence"}, follow=True)

    messages = [str(message) for message in done.context["messages"]]
    assert any(message.startswith(f"{WEST}: erased {notes} evidence notes") for message in messages)
    assert rows_containing(MARK) == {}
    erasure = EvidenceErasure.objects.get()
    assert (erasure.erased_by, erasure.how) == (admin_user, "admin action")
    listed = client.get(reverse("admin:casereview_evidenceerasure_changelist"))
    assert WEST in listed.content.decode()
    assert client.get(reverse("admin:casereview_evidenceerasure_add")).status_code == 403


def test_admin_action_refuses_a_selection_with_an_inspection_not_complete(client, west, admin_user):
    client.force_login(admin_user)
    fieldwork = Inspection.objects.get(slug="north-downs-2024")
    response = client.post(
        reverse("admin:inspection_inspection_changelist"),
        {
            "action": "erase_evidence_action",
            ACTION_CHECKBOX_NAME: [west.pk, fieldwork.pk],
            "confirm": "Erase the evidence",
        },
        follow=True,
    )

    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "Nothing was erased: north-downs-2024 is not complete (Fieldwork in progress): "
        "evidence is erased only once an inspection is complete."
    ]
    assert rows_containing(MARK)
    assert not EvidenceErasure.objects.exists()


def test_admin_action_needs_the_erasure_permission(client, west):
    staff = UserFactory(username="staff-user", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_inspection", "change_inspection"])
    )
    client.force_login(staff)
    page = client.get(reverse("admin:inspection_inspection_changelist")).content.decode()
    assert "erase_evidence_action" not in page
    staff.user_permissions.add(*Permission.objects.filter(codename="add_evidenceerasure"))
    page = client.get(reverse("admin:inspection_inspection_changelist")).content.decode()
    assert "erase_evidence_action" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "EVIDENCE_RETENTION_DAYS must be 0 or more days"),
        ("ten", "EVIDENCE_RETENTION_DAYS must be a whole number, not 'ten'"),
    ],
)
def test_a_bad_retention_period_stops_the_service_at_start(value, message):
    result = run_with_env("import django; django.setup()", EVIDENCE_RETENTION_DAYS=value)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_retention_period_is_read_from_the_environment():
    result = run_with_env(
        "import django; from django.conf import settings; django.setup();"
        "print(settings.EVIDENCE_RETENTION_DAYS)",
        EVIDENCE_RETENTION_DAYS="730",
    )
    assert result.stdout.strip() == "730"


MARK_IN_SCRATCH = f"""
from casereview.models import Case
from casereview.moderation.services import case_return_for_rework
from django.contrib.auth.models import User
case = Case.objects.filter(inspection__slug="{WEST}").first()
answer = case.key_question_answers.first()
answer.note = "{MARK} on disk"
answer.save()
other = Case.objects.filter(inspection__slug="{WEST}")[1]
lead = User.objects.get(username="lead")
case_return_for_rework(case=other, reason="{MARK} returned on disk", user=lead)
"""


def database_bytes(path: Path) -> bytes:
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")]
    return b"".join(file.read_bytes() for file in files if file.exists())


@pytest.mark.django_db(False)
def test_on_sqlite_the_erased_text_is_not_left_in_the_files_bytes(tmp_path):
    path = tmp_path / "erase.sqlite3"
    database = sqlite_url(path)
    demo_database(database)
    script(database, MARK_IN_SCRATCH)
    connection = sqlite3.connect(path)
    demo_note = connection.execute(
        "SELECT note FROM casereview_keyquestionanswer a JOIN casereview_case c "
        "ON a.case_id = c.id JOIN inspection_inspection i ON c.inspection_id = i.id "
        "WHERE i.slug = ? AND note != '' AND note NOT IN (SELECT a2.note FROM "
        "casereview_keyquestionanswer a2 JOIN casereview_case c2 ON a2.case_id = c2.id "
        "WHERE c2.inspection_id != i.id) LIMIT 1",
        (WEST,),
    ).fetchone()[0]
    connection.close()
    assert MARK.encode() in database_bytes(path)  # the check below can fail
    assert demo_note.encode() in database_bytes(path)

    manage(database, "erase_evidence", WEST, "--user", "admin")

    assert MARK.encode() not in database_bytes(path)
    assert demo_note.encode() not in database_bytes(path)
