"""Admin writes go through the version claim; removing a person keeps the audit trail;
a moderated case's answers stay locked when a disagreement is resolved."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse

from casereview.entry.sections import case_sections
from casereview.entry.services import save_section
from casereview.history import case_timeline
from casereview.models import Answer, Case, KeyQuestionAnswer, SecondMarkingAnswer
from casereview.moderation.double_marking import (
    disagreement_resolve,
    second_marking_request,
    second_marking_submit,
)
from casereview.moderation.services import case_mark_moderated, case_reopen
from inspection.models import Recommendation
from tests.admin_helpers import form_as_posted
from tests.casereview.data_entry_helpers import answer_case
from tests.casereview.review_helpers import rated_key_questions, submitted_case
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# Defect 3: a stale admin form is refused, saying what changed meanwhile.


def test_a_stale_case_form_is_refused_and_the_inspectors_work_kept(
    admin_client, inspection, inspector
):
    case = CaseFactory(inspection=inspection, inspector=inspector, office="Crawley")
    change = reverse("admin:casereview_case_change", args=[case.pk])
    posted = form_as_posted(admin_client.get(change).content.decode())  # the admin opens it

    oversight = next(s for s in case_sections(case=case) if s.slug == "management-oversight")
    save_section(
        case=case,
        section=oversight,
        data={"oversight": "absent", "oversight_note": "No supervision recorded."},
        base_version=case.version,
        user=inspector,
    )
    posted["office"] = ["Worthing"]  # the admin changes only the office
    response = admin_client.post(change, posted)

    assert response.status_code == 200
    html = response.content.decode()
    assert "errornote" in html  # the error summary
    assert f"saved by {inspector.get_full_name()} after you opened this page" in html
    assert "management oversight, management oversight note" in html
    assert "Nothing was saved" in html
    case.refresh_from_db()
    assert (case.office, case.oversight, case.oversight_note) == (
        "Crawley",
        "absent",
        "No supervision recorded.",
    )


def test_a_current_case_form_saves_and_moves_the_version_on(admin_client, inspection, inspector):
    case = CaseFactory(inspection=inspection, inspector=inspector, office="Crawley")
    change = reverse("admin:casereview_case_change", args=[case.pk])
    posted = form_as_posted(admin_client.get(change).content.decode())
    posted["office"] = ["Worthing"]
    assert admin_client.post(change, posted).status_code == 302
    case.refresh_from_db()
    assert (case.office, case.version) == ("Worthing", 1)
    assert case.history.latest().office == "Worthing"


def test_a_stale_recommendation_form_is_refused(admin_client, inspection, lead):
    item = Recommendation.objects.create(inspection=inspection, text="Improve planning.")
    change = reverse("admin:inspection_recommendation_change", args=[item.pk])
    posted = form_as_posted(admin_client.get(change).content.decode())
    Recommendation.objects.filter(pk=item.pk).update(text="Lead's wording.", version=1)
    posted["order"] = ["2"]
    response = admin_client.post(change, posted)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    item.refresh_from_db()
    assert (item.text, item.order) == ("Lead's wording.", 0)


def test_counted_answers_are_read_only_in_admin(admin_client, inspection, inspector):
    case = submitted_case(inspection, inspector)
    answer = case.key_question_answers.first()
    change = reverse("admin:casereview_keyquestionanswer_change", args=[answer.pk])
    page = admin_client.get(change)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    admin_client.post(change, {"answer": "no", "note": "x", "case_version": case.version})
    answer.refresh_from_db()
    assert answer.answer == Answer.YES

    # Not through the case's inline either.
    case_page = admin_client.get(reverse("admin:casereview_case_change", args=[case.pk]))
    assert "key_question_answers-0-answer" not in case_page.content.decode()

    # Nor added, nor deleted.
    KeyQuestionAnswer.objects.filter(pk=answer.pk).delete()
    add = admin_client.post(
        reverse("admin:casereview_keyquestionanswer_add"),
        {"case": case.pk, "key_question": answer.key_question_id, "answer": "no"},
    )
    assert add.status_code == 200
    assert "Correct an answer" in add.content.decode()
    assert not KeyQuestionAnswer.objects.filter(case=case, key_question=answer.key_question)
    other = case.key_question_answers.first()
    delete = reverse("admin:casereview_keyquestionanswer_delete", args=[other.pk])
    admin_client.post(delete, {"post": "yes"})
    assert KeyQuestionAnswer.objects.filter(pk=other.pk).exists()


def test_bulk_assignment_moves_each_case_version_on(
    admin_client, inspection, inspector, other_inspector
):
    case = CaseFactory(inspection=inspection, inspector=None)
    data = {
        "action": "assign_to_inspector",
        ACTION_CHECKBOX_NAME: [case.pk],
        "apply": "Assign cases",
        "inspector": inspector.pk,
    }
    intermediate = {key: value for key, value in data.items() if key != "apply"}
    page = admin_client.post(reverse("admin:casereview_case_changelist"), intermediate)
    assert page.status_code == 200 and "Nobody" in page.content.decode()
    assert admin_client.post(reverse("admin:casereview_case_changelist"), data).status_code == 302
    case.refresh_from_db()
    assert (case.inspector, case.version) == (inspector, 1)


# Defect 4: people who made changes are deactivated, not deleted.


def test_a_person_with_recorded_work_cannot_be_deleted_and_can_be_deactivated(
    admin_client, inspection, inspector
):
    inspector.set_password("a-long-password-2024")
    inspector.save()
    case = answer_case(CaseFactory(inspection=inspection, inspector=inspector), inspector)
    users = reverse("admin:auth_user_changelist")
    authored = len([e for e in case_timeline(case=case) if e.user_id == inspector.pk])
    assert authored

    page = admin_client.post(
        reverse("admin:auth_user_delete", args=[inspector.pk]), {"post": "yes"}
    )
    assert "inspector-user cannot be deleted: the audit trail names them" in page.content.decode()
    bulk = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [inspector.pk], "post": "yes"}
    page = admin_client.post(users, bulk)
    assert "Deactivate the account instead" in page.content.decode()
    assert get_user_model().objects.filter(pk=inspector.pk).exists()

    done = admin_client.post(
        users, {"action": "deactivate", ACTION_CHECKBOX_NAME: [inspector.pk]}, follow=True
    )
    assert "Deactivated 1 account: inspector-user" in done.content.decode()
    inspector.refresh_from_db()
    assert not inspector.is_active
    browser = Client()
    sign_in = browser.post(
        reverse("login"), {"username": "inspector-user", "password": "a-long-password-2024"}
    )
    assert sign_in.status_code == 200 and "_auth_user_id" not in browser.session
    case.refresh_from_db()
    assert case.inspector == inspector  # no silent unassignment
    theirs = [entry for entry in case_timeline(case=case) if entry.user_id == inspector.pk]
    assert len(theirs) == authored and {entry.who for entry in theirs} == {
        inspector.get_full_name()
    }


def test_a_person_with_no_recorded_work_can_be_deleted(admin_client, outsider):
    response = admin_client.post(
        reverse("admin:auth_user_delete", args=[outsider.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=outsider.pk).exists()


# Defect 10: resolving a disagreement does not change a moderated case.


def disagreement(inspection, lead, inspector, other_inspector):
    case = submitted_case(inspection, inspector)
    [marking] = second_marking_request(
        inspection=inspection, cases=[case], inspector=other_inspector, user=lead
    )
    key_questions = rated_key_questions(inspection)
    answers = {kq.pk: (Answer.YES, "") for kq in key_questions}
    answers[key_questions[0].pk] = (Answer.NO, "Not seen")
    second_marking_submit(second_marking=marking, answers=answers, user=other_inspector)
    return case, SecondMarkingAnswer.objects.get(second_marking=marking, answer=Answer.NO)


def test_resolving_on_a_moderated_case_is_refused_until_it_is_reopened(
    client, inspection, lead, inspector, other_inspector
):
    case, item = disagreement(inspection, lead, inspector, other_inspector)
    case_mark_moderated(case=case, user=lead)
    version = Case.objects.get(pk=case.pk).version
    client.force_login(lead)
    url = reverse("casereview:consistency-resolve", args=[inspection.slug, item.pk])

    response = client.post(url, {"answer": Answer.NO})

    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index("govuk-error-summary") :]
    assert f'<a href="#resolve-{item.pk}">' in summary and "reopen the case first" in summary
    assert f'id="resolve-{item.pk}-error"' in html
    counted = KeyQuestionAnswer.objects.get(case=case, key_question=item.key_question)
    assert counted.answer == Answer.YES
    assert Case.objects.get(pk=case.pk).version == version
    item.refresh_from_db()
    assert item.resolved_answer == ""

    case_reopen(case=case, reason="Double marking", user=lead)
    disagreement_resolve(second_answer=item, answer=Answer.NO, user=lead)
    counted.refresh_from_db()
    assert counted.answer == Answer.NO


def test_second_marking_answers_cannot_be_changed_in_admin(admin_user):
    """A resolution changes a counted answer: it happens on the consistency page only."""
    from django.contrib import admin as django_admin

    from casereview.models import SecondMarking

    request = RequestFactory().get("/admin/")
    request.user = admin_user
    answer_admin = django_admin.site._registry[SecondMarkingAnswer]
    marking_admin = django_admin.site._registry[SecondMarking]
    editable = [
        name
        for name in ("answer", "first_answer", "resolved_answer", "note", "resolved_by")
        if name not in answer_admin.get_readonly_fields(request)
    ]
    assert editable == []
    assert not answer_admin.has_add_permission(request)
    inline = marking_admin.get_inline_instances(request)[0]
    assert set(inline.get_fields(request)) <= set(inline.get_readonly_fields(request))
    assert "status" in marking_admin.get_readonly_fields(request)
