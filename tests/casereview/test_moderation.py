"""Moderation: return for rework, mark as moderated, reopen, and corrections with reasons."""

import pytest
from django.urls import reverse
from django.utils import timezone

from casereview.dashboards.summary import inspection_summary
from casereview.models import Answer, Case, CaseStatus, KeyQuestionAnswer
from casereview.moderation.services import (
    ModerationError,
    case_correct_answer,
    case_mark_moderated,
    case_reopen,
    case_return_for_rework,
)
from inspection.models import KeyQuestion
from tests.casereview.review_helpers import history_reasons, submitted_case
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(inspection, inspector):
    return submitted_case(inspection, inspector, reference="MOD-1")


def key_question(inspection, code):
    return KeyQuestion.objects.get(standard__framework_id=inspection.framework_id, code=code)


# Services ---------------------------------------------------------------------------


def test_returning_a_case_makes_it_editable_again_and_keeps_the_reason(case, lead, inspector):
    case_return_for_rework(case=case, reason="Evidence for 2.1.3 is missing", user=lead)
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED
    assert case.return_reason == "Evidence for 2.1.3 is missing"
    assert Case.objects.editable_by(inspector).filter(pk=case.pk).exists()
    record = Case.history.filter(id=case.pk).latest("history_date")
    assert record.history_user == lead
    assert record.history_change_reason == "Returned for rework: Evidence for 2.1.3 is missing"


def test_a_returned_case_no_longer_counts(case, lead, inspection):
    assert inspection_summary(inspection=inspection).cases.counted == 1
    case_return_for_rework(case=case, reason="Redo the planning section", user=lead)
    assert inspection_summary(inspection=inspection).cases.counted == 0


def test_a_reason_is_required_to_return_or_reopen(case, lead):
    with pytest.raises(ModerationError, match="reason"):
        case_return_for_rework(case=case, reason="   ", user=lead)
    case_mark_moderated(case=case, user=lead)
    with pytest.raises(ModerationError, match="reason"):
        case_reopen(case=case, reason="", user=lead)
    case.refresh_from_db()
    assert case.status == CaseStatus.MODERATED


def test_moderated_case_is_locked_and_still_counts(case, lead, inspector, inspection):
    case_mark_moderated(case=case, user=lead)
    case.refresh_from_db()
    assert case.status == CaseStatus.MODERATED
    assert not Case.objects.editable_by(inspector).filter(pk=case.pk).exists()
    assert not Case.objects.editable_by(lead).filter(pk=case.pk).exists()
    assert list(Case.objects.moderated()) == [case]
    assert inspection_summary(inspection=inspection).cases.counted == 1
    with pytest.raises(ModerationError, match="reopen the case first"):
        case_correct_answer(
            case=case,
            key_question=key_question(inspection, "2.1.1"),
            answer=Answer.NO,
            reason="Wrong",
            user=lead,
        )


def test_only_a_submitted_case_can_be_returned_or_moderated(inspection, lead):
    draft = CaseFactory(inspection=inspection, status=CaseStatus.IN_PROGRESS)
    with pytest.raises(ModerationError, match="Only a submitted case"):
        case_return_for_rework(case=draft, reason="No", user=lead)
    with pytest.raises(ModerationError, match="Only a submitted case"):
        case_mark_moderated(case=draft, user=lead)
    with pytest.raises(ModerationError, match="Only a moderated case"):
        case_reopen(case=draft, reason="No", user=lead)


def test_reopening_a_moderated_case_makes_it_submitted_with_the_reason(case, lead):
    case_mark_moderated(case=case, user=lead)
    case_reopen(case=case, reason="Double marking disagreed on 2.2.3", user=lead)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert history_reasons(Case, id=case.pk)[-2:] == [
        "Moderated",
        "Reopened after moderation: Double marking disagreed on 2.2.3",
    ]


def test_a_correction_changes_the_counted_answer_and_keeps_the_reason(case, lead, inspection):
    version = case.version
    before = inspection_summary(inspection=inspection).standards[3].key_questions[2]
    assert (before.code, before.yes, before.no) == ("2.1.3", 1, 0)
    case_correct_answer(
        case=case,
        key_question=key_question(inspection, "2.1.3"),
        answer=Answer.NO,
        reason="Risk to the partner was not analysed",
        user=lead,
    )
    answer = KeyQuestionAnswer.objects.get(case=case, key_question__code="2.1.3")
    assert answer.answer == Answer.NO
    record = answer.history.latest("history_date")
    assert record.history_change_reason == "Risk to the partner was not analysed"
    assert record.history_user == lead
    after = inspection_summary(inspection=inspection).standards[3].key_questions[2]
    assert (after.yes, after.no) == (0, 1)
    case.refresh_from_db()
    assert case.version == version + 1


def test_a_correction_needs_a_reason_a_new_answer_and_an_allowed_answer(case, lead, inspection):
    with pytest.raises(ModerationError, match="reason"):
        case_correct_answer(
            case=case,
            key_question=key_question(inspection, "2.1.1"),
            answer=Answer.NO,
            reason="",
            user=lead,
        )
    with pytest.raises(ModerationError, match="already has that answer"):
        case_correct_answer(
            case=case,
            key_question=key_question(inspection, "2.1.1"),
            answer=Answer.YES,
            reason="No change",
            user=lead,
        )
    with pytest.raises(ModerationError, match="Not applicable is not allowed"):
        case_correct_answer(
            case=case,
            key_question=key_question(inspection, "2.1.1"),
            answer=Answer.NOT_APPLICABLE,
            reason="Not relevant",
            user=lead,
        )
    assert set(KeyQuestionAnswer.objects.filter(case=case).values_list("answer", flat=True)) == {
        Answer.YES
    }


# Pages ------------------------------------------------------------------------------


def test_lead_returns_a_case_from_its_page(client, case, lead):
    client.force_login(lead)
    response = client.post(
        reverse("casereview:case-return", args=[case.pk]),
        {"reason": "Add the evidence for 2.2.3"},
    )
    assert response.status_code == 302
    assert response.url == reverse("casereview:moderation", args=[case.inspection.slug])
    case.refresh_from_db()
    assert (case.status, case.return_reason) == (CaseStatus.RETURNED, "Add the evidence for 2.2.3")


def test_returning_without_a_reason_shows_the_error_and_changes_nothing(client, case, lead):
    client.force_login(lead)
    response = client.post(reverse("casereview:case-return", args=[case.pk]), {"reason": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter why the case is returned for rework" in html
    assert 'href="#id_reason"' in html
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_correction_form_keeps_what_was_typed_when_the_reason_is_missing(
    client, case, lead, inspection
):
    client.force_login(lead)
    kq = key_question(inspection, "2.2.2")
    response = client.post(
        reverse("casereview:case-correct", args=[case.pk]),
        {"key_question": kq.pk, "answer": Answer.NO, "reason": ""},
    )
    html = response.content.decode()
    assert "Enter why the answer is changed after submission" in html
    assert f'<option value="{kq.pk}" selected>' in html
    assert 'value="no" checked' in html
    assert KeyQuestionAnswer.objects.get(case=case, key_question=kq).answer == Answer.YES


def test_correction_page_saves_the_change(client, case, lead, inspection):
    client.force_login(lead)
    kq = key_question(inspection, "2.2.2")
    response = client.post(
        reverse("casereview:case-correct", args=[case.pk]),
        {"key_question": kq.pk, "answer": Answer.NO, "reason": "Plan had no services"},
    )
    assert response.status_code == 302
    assert KeyQuestionAnswer.objects.get(case=case, key_question=kq).answer == Answer.NO
    assert history_reasons(KeyQuestionAnswer, case_id=case.pk, key_question=kq)[-1] == (
        "Plan had no services"
    )


def test_mark_as_moderated_from_the_page(client, case, lead):
    client.force_login(lead)
    response = client.post(reverse("casereview:case-moderate", args=[case.pk]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.MODERATED
    response = client.post(
        reverse("casereview:case-reopen", args=[case.pk]), {"reason": "Second thoughts"}
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("casereview:case-return", "post", {"reason": "x"}),
        ("casereview:case-moderate", "post", {}),
        ("casereview:case-reopen", "post", {"reason": "x"}),
        ("casereview:case-correct", "get", {}),
    ],
)
def test_an_inspector_may_not_moderate(client, case, inspector, name, method, data):
    client.force_login(inspector)
    response = getattr(client, method)(reverse(name, args=[case.pk]), data)
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


@pytest.mark.parametrize("who", ["outsider", "viewer"])
def test_outsiders_and_viewers_do_not_learn_the_case_exists(client, case, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("casereview:case-return", args=[case.pk]), {"reason": "x"})
    assert response.status_code == 404
    response = client.get(reverse("casereview:moderation", args=[case.inspection.slug]))
    assert response.status_code == (404 if who == "outsider" else 403)


def test_moderation_list_shows_submitted_cases_first(client, inspection, lead, inspector):
    moderated = submitted_case(inspection, inspector, reference="A-MODERATED")
    case_mark_moderated(case=moderated, user=lead)
    submitted_case(inspection, inspector, reference="Z-SUBMITTED")
    returned = submitted_case(inspection, inspector, reference="B-RETURNED")
    case_return_for_rework(case=returned, reason="Redo", user=lead)
    CaseFactory(inspection=inspection, reference="DRAFT", status=CaseStatus.IN_PROGRESS)
    client.force_login(lead)
    html = client.get(reverse("casereview:moderation", args=[inspection.slug])).content.decode()
    assert "DRAFT" not in html
    # The two counted cases answered Yes throughout, so Outstanding rests on each of their
    # answers: they decide a rating and come first, submitted before moderated; the
    # returned case does not count, so decides nothing.
    order = [html.index(ref) for ref in ("Z-SUBMITTED", "A-MODERATED", "B-RETURNED")]
    assert order == sorted(order)


def test_cases_that_decide_nothing_keep_submitted_first(client, inspection, lead, inspector):
    # Twenty-one counted cases all Yes: Outstanding holds by 5 answers, so none decides it.
    for n in range(19):
        submitted_case(inspection, inspector, reference=f"M-{n:02d}")
    moderated = submitted_case(inspection, inspector, reference="A-MODERATED")
    case_mark_moderated(case=moderated, user=lead)
    submitted_case(inspection, inspector, reference="Z-SUBMITTED")
    returned = submitted_case(inspection, inspector, reference="B-RETURNED")
    case_return_for_rework(case=returned, reason="Redo", user=lead)
    client.force_login(lead)
    html = client.get(reverse("casereview:moderation", args=[inspection.slug])).content.decode()
    assert "Decides</strong>" not in html
    order = [html.index(ref) for ref in ("Z-SUBMITTED", "B-RETURNED", "A-MODERATED")]
    assert order == sorted(order)


def test_moderation_list_queries_do_not_grow_with_cases(client, inspection, lead, inspector):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(lead)
    url = reverse("casereview:moderation", args=[inspection.slug])
    submitted_case(inspection, inspector)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(20):
        submitted_case(inspection, inspector)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_case_page_shows_the_panel_to_the_lead_only(client, case, lead, inspector):
    url = reverse("casereview:case-detail", args=[case.pk])
    client.force_login(lead)
    html = client.get(url).content.decode()
    assert "Mark as moderated" in html
    assert reverse("casereview:case-return", args=[case.pk]) in html
    client.force_login(inspector)
    html = client.get(url).content.decode()
    assert "Mark as moderated" not in html


def test_returned_case_shows_its_reason_to_the_inspector(client, case, lead, inspector):
    case_return_for_rework(case=case, reason="Please add the victim work", user=lead)
    client.force_login(inspector)
    detail = client.get(reverse("casereview:case-detail", args=[case.pk])).content.decode()
    assert "Please add the victim work" in detail
    mine = client.get(reverse("casereview:my-cases")).content.decode()
    assert "Please add the victim work" in mine


def test_resubmitting_a_returned_case_counts_it_again(lead, inspector, inspection):
    from casereview.entry.services import submit_case
    from tests.casereview.data_entry_helpers import answer_case

    case = CaseFactory(inspection=inspection, inspector=inspector)
    submit_case(case=answer_case(case, inspector), user=inspector)
    case_return_for_rework(case=case, reason="Check the plan", user=lead)
    case.refresh_from_db()
    assert inspection_summary(inspection=inspection).cases.counted == 0
    submit_case(case=case, user=inspector)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.submitted_at <= timezone.now()
    assert inspection_summary(inspection=inspection).cases.counted == 1


def test_inspection_tools_partial_lists_the_leads_pages_for_the_lead_only(inspection):
    from django.template.loader import render_to_string

    lead_html = render_to_string(
        "casereview/_inspection_tools.html",
        {"inspection": inspection, "user_is_lead": True, "query": "moderated=on"},
    )
    assert reverse("casereview:moderation", args=[inspection.slug]) in lead_html
    assert reverse("casereview:export-workbook", args=[inspection.slug]) + "?moderated=on" in (
        lead_html
    )
    viewer_html = render_to_string(
        "casereview/_inspection_tools.html", {"inspection": inspection, "user_is_lead": False}
    )
    assert reverse("casereview:moderation", args=[inspection.slug]) not in viewer_html
    assert reverse("casereview:report-draft", args=[inspection.slug]) in viewer_html


# Bad input: beside the field and in the error summary, the input kept -----------------


@pytest.mark.parametrize("name", ["casereview:case-return", "casereview:case-correct"])
def test_a_post_with_no_fields_shows_the_errors_not_a_blank_form(client, case, lead, name):
    client.force_login(lead)
    response = client.post(reverse(name, args=[case.pk]), {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "govuk-form-group--error" in html
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_reopen_with_no_fields_shows_the_error(client, case, lead):
    case_mark_moderated(case=case, user=lead)
    client.force_login(lead)
    response = client.post(reverse("casereview:case-reopen", args=[case.pk]), {})
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter why the case is reopened" in html
    case.refresh_from_db()
    assert case.status == CaseStatus.MODERATED


def test_moderating_a_case_that_is_not_submitted_shows_why_on_the_case_page(client, case, lead):
    case_return_for_rework(case=case, reason="Missing notes", user=lead)
    client.force_login(lead)
    response = client.post(reverse("casereview:case-moderate", args=[case.pk]))
    assert response.status_code == 409
    html = response.content.decode()
    message = "Only a submitted case can be moderated; this one is Returned"
    summary = html[html.index("govuk-error-summary") :]
    assert f'<a href="#moderation-heading">{message}</a>' in summary
    assert 'class="govuk-error-message" id="moderation-error">' in html
    assert html.count(message) == 2  # in the summary and beside the moderation section
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED
