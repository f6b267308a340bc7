"""Emails tell people when they must act: after the action commits, never with evidence
notes, never to someone who turned them off, and a failure to send loses nothing."""

import logging

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from casereview.entry.services import cases_assign, submit_case
from casereview.models import Case, CaseStatus, KeyQuestionAnswer
from casereview.moderation.double_marking import second_marking_request
from casereview.moderation.services import case_return_for_rework
from casereview.notifications.models import NotificationPreference
from casereview.transfer.importing import import_cases
from inspection.models import KeyQuestion
from tests.casereview.data_entry_helpers import answer_case
from tests.casereview.review_helpers import submitted_case
from tests.casereview.test_importing import ALL_YES, HEADER, csv_bytes
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

NOTE = "EVIDENCE-NOTE-NEVER-EMAILED"


@pytest.fixture(autouse=True)
def addresses(lead, inspector, other_inspector, settings):
    settings.SITE_URL = "https://casereview.example.org"
    for user in (lead, inspector, other_inspector):
        user.email = f"{user.username}@example.org"
        user.save()


@pytest.fixture(autouse=True)
def no_email_carries_a_note():
    yield
    for message in mail.outbox:
        assert NOTE not in message.subject + message.body


def with_note(case):
    key_question = KeyQuestion.objects.get(
        standard__framework=case.inspection.framework, code="2.1.1"
    )
    KeyQuestionAnswer.objects.update_or_create(
        case=case, key_question=key_question, defaults={"answer": "no", "note": NOTE}
    )
    return case


def sent_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def test_assigning_cases_emails_the_inspector_once_with_each_reference_and_link(
    inspection, lead, inspector, django_capture_on_commit_callbacks
):
    cases = [with_note(CaseFactory(inspection=inspection, reference=f"AS-00{n}")) for n in (1, 2)]
    with django_capture_on_commit_callbacks(execute=True):
        cases_assign(cases=cases, inspector=inspector, user=lead)

    [message] = mail.outbox
    assert message.to == [inspector.email]
    assert message.subject == "2 cases assigned to you in the Test PDU inspection"
    for case in cases:
        assert f"AS-00{case.reference[-1]}: https://casereview.example.org/cases/{case.pk}/" in (
            message.body
        )


def test_reassigning_to_the_same_inspector_sends_nothing(
    inspection, lead, inspector, django_capture_on_commit_callbacks
):
    case = CaseFactory(inspection=inspection, inspector=inspector)
    with django_capture_on_commit_callbacks(execute=True):
        cases_assign(cases=[case], inspector=inspector, user=lead)
    assert mail.outbox == []


def test_importing_a_sample_emails_each_inspector_their_cases(
    inspection, lead, inspector, other_inspector, django_capture_on_commit_callbacks
):
    data = csv_bytes(
        HEADER,
        f"IM-001,community,high,female,,{inspector.username}," + ALL_YES,
        f"IM-002,community,high,female,,{inspector.username}," + ALL_YES,
        f"IM-003,community,high,female,,{other_inspector.username}," + ALL_YES,
        "IM-004,community,high,female,,," + ALL_YES,
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_cases(inspection=inspection, data=data, user=lead)

    [mine] = sent_to(inspector)
    assert "IM-001" in mine.body and "IM-002" in mine.body and "IM-003" not in mine.body
    [theirs] = sent_to(other_inspector)
    assert theirs.subject == "Case IM-003 assigned to you in the Test PDU inspection"
    assert len(mail.outbox) == 2


def test_returning_a_case_emails_its_inspector_the_reason_and_link(
    inspection, lead, inspector, django_capture_on_commit_callbacks
):
    case = with_note(submitted_case(inspection, inspector, reference="RT-001"))
    with django_capture_on_commit_callbacks(execute=True):
        case_return_for_rework(case=case, reason="Add the oversight note", user=lead)

    [message] = mail.outbox
    assert message.to == [inspector.email]
    assert message.subject == "Case RT-001 returned to you for rework in the Test PDU inspection"
    assert "Reason: Add the oversight note" in message.body
    assert f"https://casereview.example.org/cases/{case.pk}/" in message.body


def test_sending_for_second_marking_emails_the_marker_without_a_link_to_the_case(
    inspection, lead, inspector, other_inspector, django_capture_on_commit_callbacks
):
    cases = [
        with_note(submitted_case(inspection, inspector, reference=f"DM-00{n}")) for n in (1, 2)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        second_marking_request(
            inspection=inspection, cases=cases, inspector=other_inspector, user=lead
        )

    [message] = mail.outbox
    assert message.to == [other_inspector.email]
    assert message.subject == "2 cases sent to you for second marking in the Test PDU inspection"
    assert "- DM-001\n- DM-002" in message.body
    assert reverse("casereview:second-marking-list") in message.body
    for case in cases:  # blind: the case page is not theirs to open yet
        assert case.get_absolute_url() not in message.body


def test_the_lead_is_told_when_the_last_case_of_the_sample_is_submitted(
    inspection, lead, inspector, django_capture_on_commit_callbacks
):
    submitted_case(inspection, inspector, reference="SB-001")
    first = answer_case(CaseFactory(inspection=inspection, inspector=inspector), inspector)
    last = answer_case(CaseFactory(inspection=inspection, inspector=inspector), inspector)

    with django_capture_on_commit_callbacks(execute=True):
        submit_case(case=first, user=inspector)
    assert mail.outbox == []  # one case still in progress

    with django_capture_on_commit_callbacks(execute=True):
        submit_case(case=last, user=inspector)
    [message] = mail.outbox
    assert message.to == [lead.email]
    assert message.subject == "Every case of the Test PDU inspection is submitted"
    assert (
        f"All 3 cases of the Test PDU inspection are submitted; the last was {last.reference}."
        in (message.body)
    )


def test_nothing_is_sent_when_the_action_is_rolled_back(
    inspection, lead, inspector, django_capture_on_commit_callbacks
):
    case = CaseFactory(inspection=inspection)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        cases_assign(cases=[case], inspector=inspector, user=lead)
        raise RuntimeError("a later step failed")
    assert mail.outbox == []
    case.refresh_from_db()
    assert case.inspector is None


def test_nobody_who_turned_emails_off_or_has_no_address_is_sent_anything(
    inspection, lead, inspector, other_inspector, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=inspector, email=False)
    other_inspector.email = ""
    other_inspector.save()
    with django_capture_on_commit_callbacks(execute=True):
        cases_assign(cases=[CaseFactory(inspection=inspection)], inspector=inspector, user=lead)
        cases_assign(
            cases=[CaseFactory(inspection=inspection)], inspector=other_inspector, user=lead
        )
    assert mail.outbox == []


def test_a_failure_to_send_is_logged_and_the_action_stands(
    inspection, lead, inspector, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    case = submitted_case(inspection, inspector, reference="FL-001")
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        case_return_for_rework(case=case, reason="Add the note", user=lead)

    assert Case.objects.get(pk=case.pk).status == CaseStatus.RETURNED
    [record] = [r for r in caplog.records if r.name == "casereview.notifications.services"]
    assert "Could not send the email" in record.getMessage()
    assert inspector.email in record.getMessage()


def test_each_person_turns_their_emails_off_and_on(client, viewer):
    client.force_login(viewer)
    url = reverse("casereview:notification-preferences")
    page = client.get(url)
    assert b'value="yes" checked' in page.content

    refused = client.post(url, {})
    assert "Select whether you want emails" in refused.content.decode()
    assert not NotificationPreference.objects.exists()

    client.post(url, {"email": "no"})
    assert NotificationPreference.objects.get(user=viewer).email is False
    client.post(url, {"email": "yes"})
    assert NotificationPreference.objects.get(user=viewer).email is True
