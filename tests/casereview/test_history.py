"""The audit trail: who changed what, when, from what to what."""

import datetime
import re

import pytest
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from casereview.history import FieldChange, case_timeline, domain_one_timeline
from casereview.models import Case, CaseStatus, KeyQuestionAnswer, PromptAnswer, RiskInformation
from casereview.people import person_name as person
from inspection.models import DomainOneRating, KeyQuestion, Prompt, Rating, Standard
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def save_as(instance, user):
    """Save the way a request by `user` would (the middleware sets the same thing)."""
    instance._history_user = user
    instance.save()
    del instance._history_user


@pytest.fixture
def case(inspection, lead, inspector):
    case = Case(inspection=inspection, reference="AB1", case_type="community", rosh="medium")
    save_as(case, lead)
    return case


@pytest.fixture
def key_question(inspection):
    return KeyQuestion.objects.get(standard__framework=inspection.framework, code="2.1.1")


def age_history(model, seconds):
    """Move every recorded change back in time, so later saves are separate work."""
    model.history.update(history_date=F("history_date") - datetime.timedelta(seconds=seconds))


def only_entry(timeline):
    assert len(timeline) == 1, timeline
    return timeline[0]


def test_a_new_case_is_recorded_with_who_added_it(case, lead):
    entry = only_entry(case_timeline(case=case))
    assert entry.title == "Case added"
    assert entry.who == lead.get_full_name()
    assert entry.changes == []
    assert abs(timezone.now() - entry.when) < datetime.timedelta(seconds=30)


def test_answer_change_records_who_when_before_and_after(case, inspector, key_question):
    age_history(Case, 600)
    answer = KeyQuestionAnswer(case=case, key_question=key_question, answer="yes")
    save_as(answer, inspector)
    age_history(KeyQuestionAnswer, 300)
    answer.answer = "no"
    save_as(answer, inspector)

    newest, recorded, added = case_timeline(case=case)
    assert newest.title == "Answers changed"
    assert newest.who == inspector.get_full_name()
    assert abs(timezone.now() - newest.when) < datetime.timedelta(seconds=30)
    assert newest.changes == [FieldChange("Key question 2.1.1", "answer", "Yes", "No")]
    assert recorded.changes == [FieldChange("Key question 2.1.1", "answer", "Not answered", "Yes")]
    assert recorded.when < newest.when
    assert added.title == "Case added"


def test_note_change_records_the_old_and_new_text(case, inspector, key_question):
    age_history(Case, 600)
    answer = KeyQuestionAnswer(case=case, key_question=key_question, answer="yes", note="First.")
    save_as(answer, inspector)
    age_history(KeyQuestionAnswer, 300)
    answer.note = "First, and the plan was reviewed."
    save_as(answer, inspector)

    newest = case_timeline(case=case)[0]
    assert newest.changes == [
        FieldChange(
            "Key question 2.1.1", "evidence note", "First.", "First, and the plan was reviewed."
        )
    ]


def test_prompt_answer_change_is_recorded(case, inspector, key_question):
    age_history(Case, 600)
    prompt = Prompt.objects.filter(key_question=key_question).order_by("code").first()
    answer = PromptAnswer(case=case, prompt=prompt, answer="no")
    save_as(answer, inspector)
    newest = case_timeline(case=case)[0]
    subject = f"{key_question.code} prompt: {prompt.text}"
    assert newest.changes == [FieldChange(subject, "answer", "Not answered", "No")]


def test_risk_information_change_is_recorded(case, inspector):
    age_history(Case, 600)
    risk = RiskInformation(case=case, agrees_with_rosh="no")
    save_as(risk, inspector)
    newest = case_timeline(case=case)[0]
    assert newest.title == "Answers changed"
    assert newest.changes == [
        FieldChange(
            "Risk information",
            "Do you agree with the risk of serious harm classification?",
            "Not answered",
            "No",
        )
    ]


def test_status_change_is_the_entrys_title(case, inspector, lead):
    age_history(Case, 600)
    case.status = CaseStatus.SUBMITTED
    save_as(case, inspector)
    age_history(Case, 300)
    case.status = CaseStatus.RETURNED
    case.return_reason = "Add evidence for 2.1.1."
    save_as(case, lead)

    returned, submitted, _added = case_timeline(case=case)
    assert returned.title == "Status changed to Returned"
    assert returned.who == lead.get_full_name()
    assert returned.changes == [
        FieldChange("Case", "status", "Submitted", "Returned"),
        FieldChange("Case", "return reason", "Not recorded", "Add evidence for 2.1.1."),
    ]
    assert submitted.title == "Status changed to Submitted"
    assert submitted.who == inspector.get_full_name()
    assert submitted.changes == [FieldChange("Case", "status", "In progress", "Submitted")]


def test_assignment_change_names_both_inspectors(case, lead, inspector, other_inspector):
    age_history(Case, 900)
    case.inspector = inspector
    save_as(case, lead)
    age_history(Case, 600)
    case.inspector = other_inspector
    save_as(case, lead)
    age_history(Case, 300)
    case.inspector = None
    save_as(case, lead)

    unassigned, reassigned, assigned, _added = case_timeline(case=case)
    assert assigned.title == f"Assigned to {inspector.get_full_name()}"
    assert assigned.changes == [
        FieldChange("Case", "inspector", "Nobody", inspector.get_full_name())
    ]
    assert reassigned.changes == [
        FieldChange("Case", "inspector", inspector.get_full_name(), other_inspector.get_full_name())
    ]
    assert unassigned.title == "Unassigned"


def test_a_save_that_changes_nothing_shown_adds_no_entry(case, inspector):
    age_history(Case, 600)
    case.version += 1
    save_as(case, inspector)
    assert [entry.title for entry in case_timeline(case=case)] == ["Case added"]


def test_one_persons_saves_together_are_one_entry_and_others_are_separate(
    case, inspector, lead, key_question
):
    age_history(Case, 600)
    second = KeyQuestion.objects.get(standard__framework=case.inspection.framework, code="2.1.2")
    save_as(KeyQuestionAnswer(case=case, key_question=key_question, answer="yes"), inspector)
    save_as(KeyQuestionAnswer(case=case, key_question=second, answer="no"), inspector)
    case.oversight_note = "Seen by the manager."
    save_as(case, lead)

    by_lead, by_inspector, _added = case_timeline(case=case)
    assert by_inspector.who == inspector.get_full_name()
    assert [change.subject for change in by_inspector.changes] == [
        "Key question 2.1.1",
        "Key question 2.1.2",
    ]
    assert by_lead.title == "Case details changed"
    assert by_lead.changes == [
        FieldChange("Case", "management oversight note", "Not recorded", "Seen by the manager.")
    ]


def test_changes_without_a_signed_in_user_are_shown_as_system(inspection):
    case = CaseFactory(inspection=inspection)
    assert only_entry(case_timeline(case=case)).who == "System"


def test_another_cases_history_is_not_shown(case, inspection, inspector, key_question):
    other = CaseFactory(inspection=inspection, reference="ZZ9")
    save_as(KeyQuestionAnswer(case=other, key_question=key_question, answer="no"), inspector)
    assert [entry.title for entry in case_timeline(case=case)] == ["Case added"]


def test_timeline_takes_five_queries_however_long_the_history(
    case, inspector, inspection, django_assert_num_queries
):
    key_questions = list(KeyQuestion.objects.filter(standard__framework=inspection.framework))
    prompts = list(Prompt.objects.filter(key_question__standard__framework=inspection.framework))
    case.inspector = inspector
    save_as(case, inspector)
    with django_assert_num_queries(5):
        short = case_timeline(case=case)
    for key_question in key_questions:
        answer = KeyQuestionAnswer(case=case, key_question=key_question, answer="yes", note="n")
        save_as(answer, inspector)
        answer.answer = "no"
        save_as(answer, inspector)
    for prompt in prompts:
        save_as(PromptAnswer(case=case, prompt=prompt, answer="yes"), inspector)
    with django_assert_num_queries(5):
        long = case_timeline(case=case)
    changes = sum(len(entry.changes) for entry in long)
    assert changes > sum(len(entry.changes) for entry in short) + 2 * len(key_questions)


def test_domain_one_rating_change_records_who_when_before_and_after(inspection, lead):
    standard = Standard.objects.get(framework=inspection.framework, code="1.1")
    rating = DomainOneRating(inspection=inspection, standard=standard, rating=Rating.GOOD)
    save_as(rating, lead)
    age_history(DomainOneRating, 300)
    rating.rating = Rating.REQUIRES_IMPROVEMENT
    rating.rationale = "Staffing shortfalls."
    save_as(rating, lead)

    changed, recorded = domain_one_timeline(inspection=inspection)
    assert recorded.title == "Rating recorded: Standard 1.1"
    assert recorded.changes == [FieldChange("Standard 1.1", "rating", "Not recorded", "Good")]
    assert changed.title == "Rating changed: Standard 1.1"
    assert changed.who == lead.get_full_name()
    assert changed.changes == [
        FieldChange("Standard 1.1", "rating", "Good", "Requires improvement"),
        FieldChange("Standard 1.1", "rationale", "Not recorded", "Staffing shortfalls."),
    ]


def test_partial_renders_an_moj_timeline_with_before_and_after(case, inspector, key_question):
    age_history(Case, 600)
    save_as(KeyQuestionAnswer(case=case, key_question=key_question, answer="yes"), inspector)
    html = render_to_string(
        "casereview/_case_timeline.html", {"timeline": case_timeline(case=case)}
    )
    assert html.count('class="moj-timeline__item"') == 2
    assert '<h3 class="moj-timeline__title">Answers changed</h3>' in html
    assert f"by {inspector.get_full_name()}" in html
    assert "Key question 2.1.1<" in html
    assert "Not answered" in html and ">Yes<" in html
    assert "<time datetime=" in html
    # GOV.UK style for times: 4:35pm, not 4:35 p.m.
    assert re.search(r"\d{1,2} \w+ \d{4} at \d{1,2}:\d{2}(am|pm)</time>", html)


def test_partial_says_when_nothing_is_recorded():
    html = render_to_string("casereview/_case_timeline.html", {"timeline": []})
    assert "No changes have been recorded yet." in html
    assert "moj-timeline" not in html


def test_a_return_for_rework_shows_its_reason_in_the_timeline(case, lead):
    from casereview.moderation.services import case_return_for_rework

    Case.objects.filter(pk=case.pk).update(status=CaseStatus.SUBMITTED)
    age_history(Case, 60)
    case_return_for_rework(
        case=Case.objects.get(pk=case.pk), reason="Evidence for 2.1.3 is missing", user=lead
    )

    latest = case_timeline(case=case)[0]
    assert latest.title == "Status changed to Returned"
    assert latest.reasons == ["Returned for rework: Evidence for 2.1.3 is missing"]
    html = render_to_string("casereview/_case_timeline.html", {"timeline": [latest]})
    assert "Reason: Returned for rework: Evidence for 2.1.3 is missing" in html


def test_an_imported_case_is_one_entry_counting_its_answers(inspection, lead, inspector):
    from casereview.transfer.importing import import_cases

    key_questions = list(
        KeyQuestion.objects.filter(standard__framework=inspection.framework).order_by("code")
    )
    first = key_questions[0]
    prompts = list(Prompt.objects.filter(key_question=first).order_by("code"))
    header = ["reference", "case_type", "rosh", "inspector"]
    header += [kq.code for kq in key_questions] + [f"{first.code} note"]
    header += [p.code for p in prompts]
    values = ["IMP-1", "community", "low", inspector.username]
    values += ["Yes"] * len(key_questions) + ["Seen in the record."] + ["No"] * len(prompts)
    data = (",".join(header) + "\n" + ",".join(values) + "\n").encode()
    import_cases(inspection=inspection, data=data, user=lead)

    case = Case.objects.get(reference="IMP-1")
    entry = only_entry(case_timeline(case=case))
    assert entry.title == "Case added"
    assert entry.changes == [FieldChange("Case", "inspector", "Not recorded", person(inspector))]
    assert entry.summary == (
        f"Recorded with {len(key_questions)} key question answers, 1 evidence note "
        f"and {len(prompts)} prompt answers"
    )
    html = render_to_string("casereview/_case_timeline.html", {"timeline": [entry]})
    assert entry.summary + "." in html
    assert html.count('<tr class="govuk-table__row">') == 2  # the header and the assignment


def test_the_timeline_shows_wording_never_codes_nor_none(case, inspector, key_question):
    age_history(Case, 600)
    prompt = Prompt.objects.filter(key_question=key_question).order_by("code").first()
    save_as(PromptAnswer(case=case, prompt=prompt, answer="yes"), inspector)
    case.return_reason = "Look again at 2.1.1."
    save_as(case, inspector)
    timeline = case_timeline(case=case)
    html = render_to_string("casereview/_case_timeline.html", {"timeline": timeline})
    text = re.sub(r"\s+", " ", html)
    assert f"Prompt {prompt.code}" not in text
    assert f"{key_question.code} prompt: {prompt.text}</th>" in text
    assert ">None<" not in text and " None " not in text
    assert "Not recorded" in text
