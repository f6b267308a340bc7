"""A case sees and answers only the sections of the standards its type answers: the
task list, section pages (404 for another type's), check answers, submit, second
marking, corrections and admin; no answer that does not apply can be written, so a
key question's figures count only cases of the types answering it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casereview.dashboards.summary import inspection_summary
from casereview.entry.sections import case_sections, cases_sections_done, sections_by_framework
from casereview.entry.services import SectionNotApplicable, save_section, submit_case
from casereview.models import CaseStatus, KeyQuestionAnswer, SecondMarking
from casereview.moderation.double_marking import marked_key_questions
from casereview.moderation.services import ModerationError, case_correct_answer
from inspection.frameworks import framework_path, load_framework, read_document
from inspection.models import KeyQuestion, Role
from tests.casereview.data_entry_helpers import answer_case, complete_values
from tests.factories import CaseFactory, InspectionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

COURT_SECTIONS = [
    "assessment",
    "planning",
    "implementation-and-delivery",
    "reviewing",
    "management-oversight",
    "risk-information",
]
OUT_OF_COURT_SECTIONS = [
    "assessment",
    "planning",
    "implementation-and-delivery",
    "management-oversight",
    "risk-information",
]


@pytest.fixture
def youth_inspection():
    framework = load_framework(read_document(framework_path("youth-2021")))
    return InspectionFactory(slug="youth-yos", framework=framework)


@pytest.fixture
def youth_inspector(youth_inspection):
    user = UserFactory(username="youth-inspector")
    MembershipFactory(inspection=youth_inspection, user=user, role=Role.INSPECTOR)
    return user


@pytest.fixture
def court(youth_inspection, youth_inspector):
    return CaseFactory(
        inspection=youth_inspection, case_type="court", inspector=youth_inspector, reference="CT1"
    )


@pytest.fixture
def out_of_court(youth_inspection, youth_inspector):
    return CaseFactory(
        inspection=youth_inspection,
        case_type="out_of_court",
        inspector=youth_inspector,
        reference="OC1",
    )


def codes(sections):
    return [kq.code for section in sections for kq in section.key_questions]


def test_each_case_sees_the_sections_of_its_type(court, out_of_court):
    assert [s.slug for s in case_sections(case=court)] == COURT_SECTIONS
    assert [s.slug for s in case_sections(case=out_of_court)] == OUT_OF_COURT_SECTIONS
    assert {code[:3] for code in codes(case_sections(case=court))} == {"2.1", "2.2", "2.3", "2.4"}
    assert {code[:3] for code in codes(case_sections(case=out_of_court))} == {"3.1", "3.2", "3.3"}


def test_probation_cases_of_either_type_see_every_section(inspection):
    community = CaseFactory(inspection=inspection, case_type="community")
    licence = CaseFactory(inspection=inspection, case_type="licence")
    everything = sections_by_framework(framework_ids=[inspection.framework_id])
    every = [s.slug for s in everything[inspection.framework_id]]
    assert [s.slug for s in case_sections(case=community)] == every
    assert [s.slug for s in case_sections(case=licence)] == every


def test_pages_show_only_the_cases_sections(client, court, out_of_court, youth_inspector):
    client.force_login(youth_inspector)
    page = client.get(reverse("casereview:case-detail", args=[out_of_court.pk])).content.decode()
    assert "Out-of-court disposal" in page
    assert "Reviewing" not in page
    assert "Implementation and delivery" in page
    url = reverse("casereview:case-section", args=[out_of_court.pk, "reviewing"])
    assert client.get(url).status_code == 404
    url = reverse("casereview:case-section", args=[court.pk, "reviewing"])
    assert client.get(url).status_code == 200
    page = client.get(reverse("casereview:case-section", args=[out_of_court.pk, "assessment"]))
    assert "3.1.1" in page.content.decode() and "2.1.1" not in page.content.decode()
    check = client.get(reverse("casereview:case-check", args=[out_of_court.pk])).content.decode()
    assert "3.3.3" in check and "2.1.1" not in check


def test_a_case_is_complete_with_its_own_sections_only(out_of_court, court, youth_inspector):
    answer_case(out_of_court, youth_inspector)
    done = cases_sections_done(cases=[out_of_court, court])
    assert done[out_of_court.pk] == (4, 4)
    assert done[court.pk] == (0, 5)
    submit_case(case=out_of_court, user=youth_inspector)
    assert out_of_court.status == CaseStatus.SUBMITTED
    answered = KeyQuestionAnswer.objects.filter(case=out_of_court)
    assert {a.key_question.standard.code for a in answered} == {"3.1", "3.2", "3.3"}


def test_saving_another_types_section_is_refused(court, out_of_court, youth_inspector):
    reviewing = next(s for s in case_sections(case=court) if s.slug == "reviewing")
    with pytest.raises(SectionNotApplicable):
        save_section(
            case=out_of_court,
            section=reviewing,
            data=complete_values(reviewing),
            base_version=out_of_court.version,
            user=youth_inspector,
        )
    assert not KeyQuestionAnswer.objects.filter(case=out_of_court).exists()
    out_of_court.refresh_from_db()
    assert out_of_court.version == 0


def test_an_out_of_court_case_never_moves_a_court_disposal_figure(
    youth_inspection, court, out_of_court, youth_inspector
):
    answer_case(court, youth_inspector)
    submit_case(case=court, user=youth_inspector)

    def court_figures():
        summary = inspection_summary(inspection=youth_inspection)
        return {
            kq.code: (kq.yes, kq.relevant)
            for standard in summary.standards
            for kq in standard.key_questions
            if standard.code.startswith("2.")
        }

    before = court_figures()
    assert before["2.1.1"] == (1, 1)
    answer_case(out_of_court, youth_inspector)
    submit_case(case=out_of_court, user=youth_inspector)
    assert court_figures() == before
    summary = inspection_summary(inspection=youth_inspection)
    figures = {kq.code: kq for standard in summary.standards for kq in standard.key_questions}
    assert (figures["3.1.1"].yes, figures["3.1.1"].relevant) == (1, 1)


def test_an_answer_that_does_not_apply_is_refused_by_the_model(out_of_court):
    kq = KeyQuestion.objects.of_framework(out_of_court.inspection.framework).get(code="2.1.1")
    with pytest.raises(ValidationError, match="2.1.1 does not apply to out-of-court disposal"):
        KeyQuestionAnswer(case=out_of_court, key_question=kq, answer="yes").full_clean()


def test_a_correction_of_a_key_question_that_does_not_apply_is_refused(
    out_of_court, youth_inspector
):
    answer_case(out_of_court, youth_inspector)
    submit_case(case=out_of_court, user=youth_inspector)
    kq = KeyQuestion.objects.of_framework(out_of_court.inspection.framework).get(code="2.4.1")
    with pytest.raises(ModerationError, match="2.4.1 does not apply to out-of-court disposal"):
        case_correct_answer(
            case=out_of_court, key_question=kq, answer="no", reason="r", user=youth_inspector
        )
    assert not KeyQuestionAnswer.objects.filter(case=out_of_court, key_question=kq).exists()


def test_a_second_marker_answers_only_the_cases_key_questions(youth_inspection, out_of_court):
    marked = marked_key_questions(
        framework=youth_inspection.framework_id, case_type=out_of_court.case_type
    )
    assert [kq.code for kq in marked] == [f"3.{s}.{k}" for s in (1, 2, 3) for k in (1, 2, 3)]


def test_the_second_marking_page_asks_only_the_cases_key_questions(
    client, youth_inspection, out_of_court, youth_inspector
):
    answer_case(out_of_court, youth_inspector)
    submit_case(case=out_of_court, user=youth_inspector)
    second = UserFactory(username="second-youth")
    MembershipFactory(inspection=youth_inspection, user=second, role=Role.INSPECTOR)
    marking = SecondMarking.objects.create(case=out_of_court, inspector=second)
    client.force_login(second)
    page = client.get(reverse("casereview:second-marking-form", args=[marking.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "3.1.1" in text and "2.1.1" not in text


def test_admin_refuses_a_type_change_that_would_leave_answers_outside(
    admin_client, out_of_court, youth_inspector
):
    answer_case(out_of_court, youth_inspector)
    out_of_court.refresh_from_db()
    url = reverse("admin:casereview_case_change", args=[out_of_court.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(
        {
            "inspection": out_of_court.inspection_id,
            "case_type": "court",
            "base_version": out_of_court.version,
            "status": out_of_court.status,
            "gender": out_of_court.gender,
            "rosh": out_of_court.rosh,
            "reference": out_of_court.reference,
            "inspector": out_of_court.inspector_id,
        }
    )
    for prefix in ("key_question_answers", "prompt_answers", "risk_information"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "3.1.1" in text and "do not apply to court disposal cases" in text
    out_of_court.refresh_from_db()
    assert out_of_court.case_type == "out_of_court"
