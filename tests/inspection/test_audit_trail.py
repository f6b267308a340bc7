"""The audit trail names who made every change: to the framework's wording and bands
(which re-rate every inspection, completed ones included) in admin and by load_framework,
and every write of the commands, which take --user."""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.urls import reverse
from simple_history.models import HistoricalChanges

from inspection.admin import ReadOnlyHistoryAdmin
from inspection.frameworks import DEFAULT_FRAMEWORK, framework_path, read_document
from inspection.models import (
    DomainOneRating,
    Framework,
    Inspection,
    KeyQuestion,
    RatingBand,
    Standard,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def framework_models() -> list:
    """The models that make up a framework: those whose rows belong to a framework (by a
    chain of foreign keys) and not to an inspection."""

    def leads_to(model, target, seen=()) -> bool:
        if model is target:
            return True
        return any(
            leads_to(field.related_model, target, (*seen, model))
            for field in model._meta.get_fields()
            if field.many_to_one and field.related_model not in seen
        )

    models = [
        model
        for model in apps.get_app_config("inspection").get_models()
        if not issubclass(model, HistoricalChanges)
        and leads_to(model, Framework)
        and not leads_to(model, Inspection)
    ]
    assert len(models) >= 6  # Framework, Domain, Standard, KeyQuestion, Prompt, RatingBand
    return models


def history_models() -> list:
    return [model for model in apps.get_models() if issubclass(model, HistoricalChanges)]


def history_counts() -> dict:
    return {model: model.objects.count() for model in history_models()}


def new_history_rows(before: dict) -> list:
    """History rows written since `before` (ids only grow)."""
    rows = []
    for model, count in before.items():
        rows.extend(model.objects.order_by("history_id")[count:])
    return rows


# Framework: every model has a history, and its admin shows it read-only.


@pytest.mark.parametrize("model", framework_models(), ids=lambda model: model.__name__)
def test_every_framework_model_keeps_a_history_shown_read_only_in_admin(model):
    assert hasattr(model, "history"), f"{model.__name__} has no HistoricalRecords"
    assert isinstance(admin.site._registry[model], ReadOnlyHistoryAdmin)


def test_an_admin_change_to_wording_is_recorded_with_the_administrator(admin_client, admin_user):
    key_question = KeyQuestion.objects.get(code="2.1.1")
    url = reverse("admin:inspection_keyquestion_change", args=[key_question.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data.update({"text": "Does assessment focus sufficiently on engagement, as reworded?"})
    data.update({"allows_not_applicable": "on"} if key_question.allows_not_applicable else {})
    data.update(
        {"prompts-TOTAL_FORMS": "0", "prompts-INITIAL_FORMS": "0", "prompts-MAX_NUM_FORMS": ""}
    )
    data = {name: value for name, value in data.items() if value not in (None, False)}

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    latest = key_question.history.latest()
    assert latest.text.endswith("as reworded?")
    assert latest.history_user == admin_user
    # One change, one history row beside the entry the history began with.
    assert key_question.history.filter(history_type="~").count() == 1
    history = admin_client.get(
        reverse("admin:inspection_keyquestion_history", args=[key_question.pk])
    )
    assert history.status_code == 200
    assert "admin-user" in history.content.decode()


def test_an_admin_change_to_a_band_through_the_framework_page_names_the_administrator(
    admin_client, admin_user
):
    framework = Framework.objects.get(code=DEFAULT_FRAMEWORK)
    band = framework.bands.get(kind="key_question", rating="good")
    url = reverse("admin:inspection_framework_change", args=[framework.pk])
    data = {"code": framework.code, "title": framework.title}
    for prefix, rows, fields in (
        ("case_types", framework.case_types.all(), ["code", "label", "order"]),
        ("domains", framework.domains.all(), ["number", "title"]),
        ("standards", framework.standards.all(), ["code", "title", "domain", "basis", "order"]),
        ("bands", framework.bands.all(), ["kind", "rating", "minimum", "score", "descriptor"]),
    ):
        rows = list(rows)
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)})
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = row.pk
            data[f"{prefix}-{index}-framework"] = framework.pk
            for name in fields:
                value = getattr(row, f"{name}_id", None) or getattr(row, name)
                data[f"{prefix}-{index}-{name}"] = value
            if row == band:
                data[f"{prefix}-{index}-minimum"] = band.minimum + 1

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    latest = RatingBand.history.filter(id=band.pk).latest()
    assert latest.minimum == band.minimum + 1
    assert latest.history_user == admin_user
    # Only the band changed: the inline rows left as they were wrote no history.
    assert not Standard.history.filter(history_type="~").exists()


def test_load_framework_records_a_changed_wording_and_its_author(tmp_path):
    author = UserFactory(username="methodologist")
    document = read_document(framework_path(DEFAULT_FRAMEWORK))
    document["standards"][1]["title"] = "Assessment (reworded)"
    path = tmp_path / "framework.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = history_counts()

    call_command("load_framework", str(path), "--user", "methodologist", stdout=StringIO())

    rows = new_history_rows(before)
    assert [(type(row).__name__, row.title) for row in rows] == [
        ("HistoricalStandard", "Assessment (reworded)")
    ]
    assert rows[0].history_user == author
    assert rows[0].history_change_reason == "load_framework command"

    # Loading the same document again changes nothing, so it writes no history.
    again = history_counts()
    call_command("load_framework", str(path), "--user", "methodologist", stdout=StringIO())
    assert new_history_rows(again) == []


# The commands: --user names the author of every history row they write.


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("reference,case_type,rosh,2.1.1\nAB1,community,low,yes\nAB2,licence,high,no\n")
    return path


@pytest.fixture
def team(db):
    return [UserFactory(username=username) for username in ("lead-one", "ina")]


def create(slug: str) -> list[str]:
    return [slug, "--unit", "Audit PDU", "--region", "Audit Region"] + [
        "--fieldwork-start",
        "2024-01-08",
        "--lead",
        "lead-one",
        "--team",
        "ina",
    ]


def command_runs(csv_file) -> list[tuple]:
    """Each command that writes, with arguments that change something, in order."""
    return [
        ("create_inspection", create("audit-2024")),
        ("import_cases", ["audit-2024", str(csv_file)]),
        ("set_rating", ["audit-2024", "1.1", "good", "--rationale", "Strong leadership."]),
        ("set_rating", ["audit-2024", "1.1", "requires_improvement"]),
    ]


WRITING_COMMANDS = ["create_inspection", "import_cases", "set_rating", "load_framework"]


@pytest.mark.parametrize("name", WRITING_COMMANDS)
def test_every_command_that_writes_takes_user(name):
    command = load_command_class(get_commands()[name], name)
    assert "--user USERNAME" in command.create_parser("manage.py", name).format_help()


def test_every_history_row_a_command_writes_carries_its_user(csv_file, team):
    author = UserFactory(username="data-admin")
    for name, args in command_runs(csv_file):
        before = history_counts()

        call_command(name, *args, "--user", "data-admin", stdout=StringIO(), stderr=StringIO())

        rows = new_history_rows(before)
        assert rows, f"{name} wrote no history"
        assert {row.history_user for row in rows} == {author}, name
        assert all(f"{name} command" in row.history_change_reason for row in rows), name


def test_without_user_every_history_row_names_the_command(csv_file, team):
    for name, args in command_runs(csv_file):
        before = history_counts()

        call_command(name, *args, stdout=StringIO(), stderr=StringIO())

        rows = new_history_rows(before)
        assert rows, f"{name} wrote no history"
        assert {row.history_user for row in rows} == {None}
        assert all(f"{name} command" in row.history_change_reason for row in rows), name


@pytest.mark.parametrize("username", ["nobody", "retired"])
def test_an_unknown_or_inactive_user_is_refused_and_nothing_changes(csv_file, team, username):
    UserFactory(username="retired", is_active=False)
    call_command("create_inspection", *create("audit-2024"), stdout=StringIO())
    refused = [
        ("create_inspection", create("another-2024")),
        *command_runs(csv_file)[1:],
        ("load_framework", [DEFAULT_FRAMEWORK]),
    ]
    assert sorted({name for name, _ in refused}) == sorted(WRITING_COMMANDS)
    for name, args in refused:
        before = history_counts()

        with pytest.raises(CommandError) as caught:
            call_command(name, *args, "--user", username, stdout=StringIO(), stderr=StringIO())

        message = str(caught.value)
        assert message == f"--user {username}: no active user with that username"
        assert new_history_rows(before) == [], name
    assert list(Inspection.objects.values_list("slug", flat=True)) == ["audit-2024"]
    assert not Inspection.objects.get(slug="audit-2024").cases.exists()
    assert not DomainOneRating.objects.exists()


def test_every_record_that_predates_its_history_has_a_first_entry():
    """The framework shipped in a migration, before its models kept a history: each of its
    rows starts with one entry, so its first change can be compared with something."""
    for model in (Framework, Standard, KeyQuestion, RatingBand):
        rows = model.objects.count()
        assert rows > 0
        begun = model.history.filter(history_change_reason__startswith="History begins")
        assert begun.values("id").distinct().count() == rows, model.__name__
