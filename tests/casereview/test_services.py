import threading
import time

import pytest
from django.db import OperationalError, connection

from casereview.entry.sections import answer_field, case_sections, note_field, prompt_field
from casereview.entry.services import (
    CaseIncomplete,
    CaseNotEditable,
    VersionConflict,
    save_section,
    submit_case,
)
from casereview.models import (
    Answer,
    Case,
    CaseStatus,
    KeyQuestionAnswer,
    Oversight,
    PromptAnswer,
    RiskInformation,
)
from tests.casereview.data_entry_helpers import answer_case, complete_values
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(inspection, inspector):
    return CaseFactory(inspection=inspection, inspector=inspector, reference="C00001")


@pytest.fixture
def sections(case):
    return {section.slug: section for section in case_sections(case=case)}


def saved_state(case):
    """Everything a save could have written, to compare before and after."""
    return (
        Case.objects.values_list("version", "status", "oversight", "oversight_note").get(
            pk=case.pk
        ),
        sorted(PromptAnswer.objects.filter(case=case).values_list("prompt_id", "answer")),
        sorted(
            KeyQuestionAnswer.objects.filter(case=case).values_list(
                "key_question_id", "answer", "note"
            )
        ),
        list(RiskInformation.objects.filter(case=case).values()),
    )


def test_save_section_writes_the_answers_and_bumps_the_version(case, sections, inspector):
    assessment = sections["assessment"]
    save_section(
        case=case,
        section=assessment,
        data=complete_values(assessment, answer=Answer.NO),
        base_version=0,
        user=inspector,
    )
    case.refresh_from_db()
    assert case.version == 1
    assert case.display_status == "In progress"
    assert PromptAnswer.objects.filter(case=case, answer=Answer.NO).count() == 9
    assert set(KeyQuestionAnswer.objects.filter(case=case).values_list("answer", "note")) == {
        (Answer.NO, "Seen in the record.")
    }
    history = KeyQuestionAnswer.history.filter(case_id=case.pk)
    assert history.count() == 3
    assert {record.history_user for record in history} == {inspector}


def test_a_draft_may_be_partial_and_leaves_other_fields_alone(case, sections, inspector):
    assessment = sections["assessment"]
    key_question = assessment.key_questions[0]
    save_section(
        case=case,
        section=assessment,
        data={answer_field(key_question): Answer.YES, note_field(key_question): "First note"},
        base_version=0,
        user=inspector,
    )
    save_section(
        case=case,
        section=assessment,
        data={answer_field(key_question): Answer.NO},
        base_version=1,
        user=inspector,
    )
    answer = KeyQuestionAnswer.objects.get(case=case, key_question=key_question)
    assert (answer.answer, answer.note) == (Answer.NO, "First note")
    assert PromptAnswer.objects.filter(case=case).count() == 0


def test_only_changed_answers_are_written(case, sections, inspector):
    assessment = sections["assessment"]
    values = complete_values(assessment)
    save_section(case=case, section=assessment, data=values, base_version=0, user=inspector)
    prompt = assessment.all_prompts[0]
    values[prompt_field(prompt)] = Answer.NO
    save_section(case=case, section=assessment, data=values, base_version=1, user=inspector)
    assert PromptAnswer.history.filter(case_id=case.pk).count() == 9 + 1
    assert KeyQuestionAnswer.history.filter(case_id=case.pk).count() == 3
    assert PromptAnswer.objects.get(case=case, prompt=prompt).answer == Answer.NO


def test_a_stale_version_raises_a_conflict_and_writes_nothing(case, sections, inspector, lead):
    assessment = sections["assessment"]
    save_section(
        case=case,
        section=assessment,
        data=complete_values(assessment),
        base_version=0,
        user=lead,
    )
    before = saved_state(case)
    stale = Case.objects.get(pk=case.pk)
    with pytest.raises(VersionConflict) as conflict:
        save_section(
            case=stale,
            section=assessment,
            data=complete_values(assessment, answer=Answer.NO, note="Mine"),
            base_version=0,
            user=inspector,
        )
    assert (conflict.value.base_version, conflict.value.current_version) == (0, 1)
    assert saved_state(case) == before


def test_two_saves_from_the_same_version_never_both_win(case, sections, inspector, lead):
    assessment = sections["assessment"]
    outcomes = sections["outcomes"]
    save_section(
        case=Case.objects.get(pk=case.pk),
        section=assessment,
        data=complete_values(assessment),
        base_version=0,
        user=inspector,
    )
    with pytest.raises(VersionConflict):
        save_section(
            case=Case.objects.get(pk=case.pk),
            section=outcomes,
            data=complete_values(outcomes),
            base_version=0,
            user=lead,
        )
    assert not KeyQuestionAnswer.objects.filter(
        case=case, key_question__in=outcomes.key_questions
    ).exists()


def _save_waiting_for_the_lock(*, case_id, **kwargs):
    """save_section, waiting while another transaction holds the write lock.

    PostgreSQL's row lock and a SQLite file's busy timeout wait by themselves; the
    in-memory shared-cache SQLite of the tests reports "locked" at once instead, so
    wait here as the busy timeout would.
    """
    for _ in range(200):
        try:
            return save_section(case=Case.objects.get(pk=case_id), **kwargs)
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.02)
    raise AssertionError("The write lock was never released")


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_in_separate_transactions_never_both_win(inspection, inspector, lead):
    case = CaseFactory(inspection=inspection, inspector=inspector)
    sections = {section.slug: section for section in case_sections(case=case)}
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user, section, answer):
        try:
            barrier.wait()
            _save_waiting_for_the_lock(
                case_id=case.pk,
                section=section,
                data=complete_values(section, answer=answer),
                base_version=0,
                user=user,
            )
            outcomes.append("saved")
        except VersionConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(inspector, sections["assessment"], Answer.YES)),
        threading.Thread(target=save, args=(lead, sections["planning"], Answer.NO)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    case.refresh_from_db()
    assert case.version == 1
    # Only the winner's answers exist: one section's key questions, not both.
    assert KeyQuestionAnswer.objects.filter(case=case).count() == 3


def test_a_submitted_case_cannot_be_saved(case, sections, inspector):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.SUBMITTED)
    with pytest.raises(CaseNotEditable):
        save_section(
            case=case,
            section=sections["assessment"],
            data=complete_values(sections["assessment"]),
            base_version=0,
            user=inspector,
        )
    assert not KeyQuestionAnswer.objects.filter(case=case).exists()


def test_oversight_is_saved_on_the_case_with_its_history(case, sections, inspector):
    save_section(
        case=case,
        section=sections["management-oversight"],
        data={"oversight": Oversight.ABSENT, "oversight_note": "No supervision recorded"},
        base_version=0,
        user=inspector,
    )
    case.refresh_from_db()
    assert (case.oversight, case.oversight_note, case.version) == (
        Oversight.ABSENT,
        "No supervision recorded",
        1,
    )
    latest = case.history.first()
    assert (latest.oversight, latest.history_user) == (Oversight.ABSENT, inspector)


def test_risk_information_is_saved_and_optional(case, sections, inspector):
    save_section(
        case=case,
        section=sections["risk-information"],
        data={"agrees_with_rosh": Answer.NO, "child_safeguarding_concerns": Answer.YES},
        base_version=0,
        user=inspector,
    )
    risk = RiskInformation.objects.get(case=case)
    assert (risk.agrees_with_rosh, risk.child_safeguarding_concerns) == (Answer.NO, Answer.YES)
    assert risk.domestic_abuse_enquiry_made == ""
    answer_case(case, inspector)
    submit_case(case=case, user=inspector)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


@pytest.mark.parametrize(
    "note",
    [
        "x" * 10_000,
        "Lots seen 👍🏽 — see the OASys review of 3 March 🇬🇧",
        "שלום. تقييم المخاطر. Mixed RTL and LTR",
        "Cafe\u0301 e\u0300 n\u0303 — combining marks kept as typed",
        '<script>alert("x")</script> & <b>bold</b>',
    ],
    ids=["ten-thousand", "emoji", "rtl", "combining", "html"],
)
def test_notes_are_stored_exactly_as_typed(case, sections, inspector, note):
    assessment = sections["assessment"]
    key_question = assessment.key_questions[0]
    save_section(
        case=case,
        section=assessment,
        data={note_field(key_question): note},
        base_version=0,
        user=inspector,
    )
    assert KeyQuestionAnswer.objects.get(case=case).note == note


def test_submit_case_submits_a_complete_case(case, inspector):
    answer_case(case, inspector)
    version = case.version
    submit_case(case=case, user=inspector)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.submitted_at is not None
    assert case.version == version + 1
    latest = case.history.first()
    assert (latest.status, latest.history_user) == (CaseStatus.SUBMITTED, inspector)
    assert not Case.objects.editable_by(inspector).filter(pk=case.pk).exists()


def test_submit_case_refuses_an_incomplete_case_and_changes_nothing(case, sections, inspector):
    answer_case(case, inspector, skip={"planning"})
    assessment = sections["assessment"]
    values = complete_values(assessment)
    values[note_field(assessment.key_questions[1])] = ""
    save_section(
        case=case, section=assessment, data=values, base_version=case.version, user=inspector
    )
    before = saved_state(case)
    version = case.version
    with pytest.raises(CaseIncomplete) as refused:
        submit_case(case=case, user=inspector)
    assert [item.section.slug for item in refused.value.gaps] == ["assessment", "planning"]
    assert refused.value.gaps[0].message == "Complete Assessment: 1 evidence note is missing"
    assert refused.value.gaps[1].message == (
        "Complete Planning: 12 prompts, 3 key questions and 3 evidence notes are missing"
    )
    assert saved_state(case) == before
    assert case.version == version


def test_outcome_notes_are_optional_but_their_answers_are_not(case, sections, inspector):
    answer_case(case, inspector, skip={"outcomes"})
    outcomes = sections["outcomes"]
    values = {name: value for name, value in complete_values(outcomes).items() if name[:3] == "kq_"}
    values[answer_field(outcomes.key_questions[0])] = ""
    save_section(
        case=case, section=outcomes, data=values, base_version=case.version, user=inspector
    )
    with pytest.raises(CaseIncomplete) as refused:
        submit_case(case=case, user=inspector)
    assert [gap.field for item in refused.value.gaps for gap in item.gaps] == ["kq_2_5_1"]
    values[answer_field(outcomes.key_questions[0])] = Answer.YES
    save_section(
        case=case, section=outcomes, data=values, base_version=case.version, user=inspector
    )
    submit_case(case=case, user=inspector)


def test_submit_from_a_stale_version_is_refused(case, inspector, lead):
    answer_case(case, inspector)
    checked = case.version
    save_section(
        case=Case.objects.get(pk=case.pk),
        section=case_sections(case=case)[0],
        data={"prompt_2_1_1_a": Answer.NO},
        base_version=checked,
        user=lead,
    )
    with pytest.raises(VersionConflict):
        submit_case(case=case, user=inspector, base_version=checked)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS
