"""Django admin: every model is managed there, cases are assigned and imported there,
and history is shown but never changed."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casereview.entry.sections import answer_field, case_sections
from casereview.entry.services import VersionConflict, save_section
from casereview.lifecycle.models import EvidenceErasure
from casereview.models import (
    Case,
    KeyQuestionAnswer,
    PromptAnswer,
    RiskInformation,
    SavedSet,
    SecondMarking,
    SecondMarkingAnswer,
)
from casereview.notifications.models import NotificationPreference
from inspection.models import (
    DomainOneRating,
    KeyQuestion,
    PreviousRecommendation,
    Prompt,
    Recommendation,
    Standard,
    ViewerGrant,
)
from tests.factories import CaseFactory, InspectionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:casereview_case_changelist")
IMPORT = reverse("admin:casereview_case_import")


@pytest.fixture
def world(inspection, lead, inspector, other_inspector, viewer):
    """One of everything, so every changelist and change page has a row to show."""
    case = CaseFactory(inspection=inspection, reference="AB1", inspector=inspector)
    key_question = KeyQuestion.objects.get(standard__framework=inspection.framework, code="2.1.1")
    prompt = Prompt.objects.filter(key_question=key_question).first()
    KeyQuestionAnswer.objects.create(case=case, key_question=key_question, answer="yes", note="n")
    PromptAnswer.objects.create(case=case, prompt=prompt, answer="no")
    RiskInformation.objects.create(case=case, agrees_with_rosh="yes")
    marking = SecondMarking.objects.create(case=case, inspector=other_inspector, requested_by=lead)
    SecondMarkingAnswer.objects.create(
        second_marking=marking, key_question=key_question, answer="no", first_answer="yes"
    )
    DomainOneRating.objects.create(
        inspection=inspection,
        standard=Standard.objects.get(framework=inspection.framework, code="1.1"),
        rating="good",
        recorded_by=lead,
    )
    Recommendation.objects.create(inspection=inspection, text="Improve planning.", order=1)
    PreviousRecommendation.objects.create(
        inspection=inspection, text="Improve assessment.", progress="some", order=1
    )
    ViewerGrant.objects.create(user=viewer, region=inspection.unit.region)
    Group.objects.create(name="Administrators")
    EvidenceErasure.objects.create(inspection=inspection, erased_by=lead, how="admin action")
    NotificationPreference.objects.create(user=viewer, email=False)
    SavedSet.objects.create(slug="region-pdus", name="The region's PDUs").inspections.add(
        inspection
    )
    return case


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def registered_models():
    return [model for model in admin.site._registry]


def test_every_model_of_the_project_is_in_admin():
    ours = [
        model
        for app in ("inspection", "casereview")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]
    missing = [model.__name__ for model in ours if model not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize(
    "model", registered_models(), ids=lambda model: f"{model._meta.label_lower}"
)
def test_changelist_add_and_change_pages_render_for_a_superuser(admin_client, world, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    model_admin = admin.site._registry[model]
    if model_admin.has_add_permission(admin_client.get(changelist).wsgi_request):
        add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        assert admin_client.get(add).status_code == 200
    instance = model._default_manager.first()
    if opts.app_label not in ("inspection", "casereview") and instance is None:
        return  # e.g. axes' sign-in records: none in this world
    assert instance is not None, f"the fixture world has no {opts.model_name}"
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
    assert admin_client.get(change).status_code == 200


def test_changelists_search_and_filter(admin_client, world):
    response = admin_client.get(CHANGELIST, {"q": "AB1", "status__exact": "in_progress"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    response = admin_client.get(CHANGELIST, {"q": "no-such-reference"})
    assert response.context["cl"].result_count == 0


def test_people_who_are_not_staff_cannot_open_admin(client, lead):
    client.force_login(lead)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_case_page_shows_its_answers_inline_and_the_reference_help_text(admin_client, world):
    html = admin_client.get(reverse("admin:casereview_case_change", args=[world.pk])).content
    html = html.decode()
    assert "Never the name of the person on probation." in html
    assert "2.1.1" in html and "key_question_answers-0-answer" in html
    assert "prompt_answers-0-answer" in html
    add_html = admin_client.get(reverse("admin:casereview_case_add")).content.decode()
    assert "Never the name of the person on probation." in add_html


def test_case_page_queries_do_not_grow_with_its_answers(admin_client, inspection, inspector):
    case = CaseFactory(inspection=inspection, inspector=inspector)
    url = reverse("admin:casereview_case_change", args=[case.pk])
    admin_client.get(url)
    with CaptureQueriesContext(connection) as empty:
        admin_client.get(url)
    framework = inspection.framework
    for key_question in KeyQuestion.objects.filter(standard__framework=framework):
        KeyQuestionAnswer.objects.create(case=case, key_question=key_question, answer="yes")
    for prompt in Prompt.objects.filter(key_question__standard__framework=framework):
        PromptAnswer.objects.create(case=case, prompt=prompt, answer="no")
    with CaptureQueriesContext(connection) as full:
        response = admin_client.get(url)
    assert response.context["inline_admin_formsets"][1].formset.total_form_count() > 30
    assert len(full) <= len(empty) + 2


def test_a_case_can_only_be_given_to_a_member_of_its_inspections_team(
    admin_client, world, outsider
):
    change = reverse("admin:casereview_case_change", args=[world.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "inspection": world.inspection.pk,
            "inspector": outsider.pk,
            "key_question_answers-TOTAL_FORMS": 0,
            "key_question_answers-INITIAL_FORMS": 0,
            "prompt_answers-TOTAL_FORMS": 0,
            "prompt_answers-INITIAL_FORMS": 0,
            "risk_information-TOTAL_FORMS": 0,
            "risk_information-INITIAL_FORMS": 0,
        }
    )
    data.pop("sentence_start", None)
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "is not on the team of test-pdu-2024" in response.content.decode()
    world.refresh_from_db()
    assert world.inspector.username == "inspector-user"


# History: shown, never changed.


def test_history_page_shows_who_changed_what(admin_client, world, admin_user):
    change = reverse("admin:casereview_case_change", args=[world.pk])
    world.status = "submitted"
    world._history_user = admin_user
    world.save()
    response = admin_client.get(reverse("admin:casereview_case_history", args=[world.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "admin-user" in html
    assert change in html


def test_a_historical_version_can_be_looked_at_but_not_reverted(admin_client, world):
    record = world.history.earliest()
    url = reverse("admin:casereview_case_simple_history", args=[world.pk, record.history_id])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert 'value="Revert"' not in response.content.decode()
    before = world.history.count()
    assert admin_client.post(url, {"reference": "CHANGED"}).status_code == 403
    world.refresh_from_db()
    assert world.reference == "AB1"
    assert world.history.count() == before


def test_an_answer_changed_in_admin_is_attributed_to_the_administrator(
    admin_client, world, admin_user
):
    answer = world.key_question_answers.get()
    url = reverse("admin:casereview_keyquestionanswer_change", args=[answer.pk])
    data = {"answer": "no", "note": "Changed after moderation.", "case_version": world.version}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = answer.history.latest()
    assert latest.history_user == admin_user
    assert (latest.prev_record.answer, latest.answer) == ("yes", "no")


# Assign selected cases to an inspector.


def assign(admin_client, cases, **extra):
    data = {"action": "assign_to_inspector", ACTION_CHECKBOX_NAME: [c.pk for c in cases]}
    data.update(extra)
    return admin_client.post(CHANGELIST, data)


def test_assign_action_offers_the_team_then_assigns_and_records_who(
    admin_client, inspection, lead, inspector, other_inspector, outsider, admin_user
):
    cases = [CaseFactory(inspection=inspection, inspector=inspector) for _ in range(3)]
    page = assign(admin_client, cases)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Assign 3 cases of <strong>test-pdu-2024</strong>" in html
    choices = {user.username for user in page.context["form"].fields["inspector"].queryset}
    assert choices == {"lead-user", "inspector-user", "other-inspector"}

    done = assign(admin_client, cases, apply="Assign cases", inspector=other_inspector.pk)
    assert done.status_code == 302
    assert set(Case.objects.values_list("inspector__username", flat=True)) == {"other-inspector"}
    # The action saves plainly: HistoryRequestMiddleware names the request's user.
    latest = Case.history.filter(id=cases[0].pk).latest()
    assert latest.history_user == admin_user
    assert latest.inspector_id == other_inspector.pk
    messages = [str(m) for m in admin_client.get(CHANGELIST).context["messages"]]
    assert any("Assigned 3 cases of test-pdu-2024" in message for message in messages)


def test_assign_action_refuses_someone_off_the_team(admin_client, inspection, inspector, outsider):
    case = CaseFactory(inspection=inspection, inspector=inspector)
    response = assign(admin_client, [case], apply="Assign cases", inspector=outsider.pk)
    assert response.status_code == 200
    assert "Choose an inspector from the team." in response.content.decode()
    case.refresh_from_db()
    assert case.inspector == inspector


def test_assign_action_refuses_cases_of_several_inspections(admin_client, inspection, inspector):
    here = CaseFactory(inspection=inspection)
    there = CaseFactory(inspection=InspectionFactory(slug="elsewhere"))
    response = assign(admin_client, [here, there], apply="Assign cases", inspector=inspector.pk)
    assert response.status_code == 302
    messages = [str(m) for m in admin_client.get(CHANGELIST).context["messages"]]
    assert any("Choose cases of one inspection only" in message for message in messages)
    assert not Case.objects.filter(inspector__isnull=False).exists()


# Import case sample (CSV).


def upload(admin_client, inspection, content: bytes):
    csv_file = SimpleUploadedFile("sample.csv", content, content_type="text/csv")
    return admin_client.post(IMPORT, {"inspection": inspection.pk, "file": csv_file})


def test_inspection_and_case_pages_link_to_the_import(admin_client, inspection):
    change = reverse("admin:inspection_inspection_change", args=[inspection.pk])
    html = admin_client.get(change).content.decode()
    assert f'href="{IMPORT}?inspection={inspection.pk}"' in html
    assert "Import case sample (CSV)" in admin_client.get(CHANGELIST).content.decode()
    page = admin_client.get(IMPORT, {"inspection": inspection.pk})
    assert page.status_code == 200
    assert page.context["form"]["inspection"].value() == str(inspection.pk)
    assert "never the name of a person on probation" in page.content.decode()


def test_a_valid_file_imports_the_cases(admin_client, inspection, inspector, admin_user):
    content = (
        b"reference,case_type,rosh,inspector,2.1.1\n"
        b"WS-001,community,high,inspector-user,Yes\n"
        b"WS-002,licence,low,,\n"
    )
    response = upload(admin_client, inspection, content)
    assert response.status_code == 302
    assert response.url == f"{CHANGELIST}?inspection__id__exact={inspection.pk}"
    cases = Case.objects.filter(inspection=inspection).order_by("reference")
    assert [(c.reference, c.inspector_id) for c in cases] == [
        ("WS-001", inspector.pk),
        ("WS-002", None),
    ]
    assert cases[0].history.get().history_user == admin_user
    messages = [str(m) for m in admin_client.get(response.url).context["messages"]]
    assert "Imported 2 cases into test-pdu-2024." in messages


def test_an_invalid_file_imports_nothing_and_lists_every_row_problem(admin_client, inspection):
    content = (
        b"reference,case_type,rosh\n"
        b"WS-001,community,purple\n"
        b"WS-002,parole,low\n"
        b"WS-003,licence,low\n"
    )
    response = upload(admin_client, inspection, content)
    assert response.status_code == 200
    errors = response.context["errors"]
    assert len(errors) == 2
    assert errors[0].startswith("row 2, column rosh:")
    assert errors[1].startswith("row 3, column case_type:")
    html = response.content.decode()
    assert "Nothing was imported: 2 problems found." in html
    for error in errors:
        assert f"<li>{error}</li>" in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert not Case.objects.exists()


def test_the_import_needs_a_file(admin_client, inspection):
    response = admin_client.post(IMPORT, {"inspection": inspection.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Case.objects.exists()


def test_an_answer_changed_in_admin_refuses_a_form_opened_before(admin_client, world, inspector):
    # The inspector's page was opened at this version, with the answer "yes".
    opened_at = world.version
    answer = world.key_question_answers.get()
    url = reverse("admin:casereview_keyquestionanswer_change", args=[answer.pk])
    data = {"answer": "no", "note": "n", "case_version": opened_at}
    assert admin_client.post(url, data).status_code == 302
    world.refresh_from_db()
    assert world.version == opened_at + 1

    section = next(s for s in case_sections(case=world) if answer.key_question in s.key_questions)
    with pytest.raises(VersionConflict):
        save_section(
            case=world,
            section=section,
            data={answer_field(answer.key_question): "yes"},
            base_version=opened_at,
            user=inspector,
        )
    answer.refresh_from_db()
    assert answer.answer == "no"


@pytest.mark.parametrize("model", [KeyQuestionAnswer, PromptAnswer, RiskInformation])
def test_an_answer_deleted_in_admin_moves_the_case_version_on(admin_client, world, model):
    opened_at = world.version
    row = model.objects.get(case=world)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    world.refresh_from_db()
    assert world.version == opened_at + 1


def test_assign_action_assigns_all_the_cases_or_none(
    admin_client, inspection, inspector, other_inspector, monkeypatch
):
    cases = [CaseFactory(inspection=inspection, inspector=inspector) for _ in range(3)]
    save = Case.save
    saved = []

    def failing_save(self, *args, **kwargs):
        saved.append(self.pk)
        if len(saved) == 2:
            raise IntegrityError("the database refused the second case")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Case, "save", failing_save)
    with pytest.raises(IntegrityError):
        assign(admin_client, cases, apply="Assign cases", inspector=other_inspector.pk)
    assert set(Case.objects.values_list("inspector", flat=True)) == {inspector.pk}
