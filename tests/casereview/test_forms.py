import re

import pytest

from casereview.entry.forms import MyCasesFilterForm, SectionForm
from casereview.entry.sections import answer_field, case_sections, note_field, prompt_field
from casereview.models import Answer, Oversight
from inspection.models import KeyQuestion, Prompt
from tests.casereview.data_entry_helpers import complete_values
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections(inspection):
    case = CaseFactory(inspection=inspection)
    return {section.slug: section for section in case_sections(case=case)}


def bound(section, values, *, require_complete=False, version=3):
    data = {name: values.get(name, "") for name in section.field_names}
    data["version"] = version
    return SectionForm(data, section=section, require_complete=require_complete)


def test_each_key_question_has_its_prompts_then_its_judgement_then_a_note(sections):
    reviewing = sections["reviewing"]
    form = SectionForm(section=reviewing)
    names = [name for name in form.fields if name != "version"]
    first = reviewing.key_questions[0]
    prompts = [prompt_field(p) for p in reviewing.prompts_of(first)]
    assert names[: len(prompts) + 2] == [*prompts, answer_field(first), note_field(first)]
    assert form.fields[answer_field(first)].label == first.text
    assert [label for _, label in form.fields[prompts[0]].choices] == [
        "Yes",
        "No",
        "Not applicable",
    ]


def test_not_applicable_is_offered_only_where_the_framework_allows_it(sections):
    assessment, reviewing = sections["assessment"], sections["reviewing"]
    kq = assessment.key_questions[0]
    assert not kq.allows_not_applicable
    assert [v for v, _ in SectionForm(section=assessment).fields[answer_field(kq)].choices] == [
        "yes",
        "no",
    ]
    form = bound(assessment, {answer_field(kq): Answer.NOT_APPLICABLE})
    assert not form.is_valid()
    assert answer_field(kq) in form.errors
    reviewed = reviewing.key_questions[0]
    assert reviewed.allows_not_applicable
    assert bound(reviewing, {answer_field(reviewed): Answer.NOT_APPLICABLE}).is_valid()


def test_a_draft_may_be_partial(sections):
    assessment = sections["assessment"]
    form = bound(assessment, {prompt_field(assessment.all_prompts[0]): Answer.YES})
    assert form.is_valid(), form.errors
    answers = form.answers()
    assert answers[prompt_field(assessment.all_prompts[0])] == Answer.YES
    assert set(answers) == set(assessment.field_names)
    assert form.cleaned_data["version"] == 3


def test_completing_a_section_needs_every_answer_and_every_evidence_note(sections):
    assessment = sections["assessment"]
    values = complete_values(assessment)
    kq = assessment.key_questions[1]
    prompt = assessment.all_prompts[4]
    values[note_field(kq)] = "   "
    values[prompt_field(prompt)] = ""
    form = bound(assessment, values, require_complete=True)
    assert not form.is_valid()
    assert form.errors == {
        prompt_field(prompt): [f"Select Yes, No or Not applicable for ‘{prompt.text}’"],
        note_field(kq): ["Enter an evidence note for key question 2.1.2"],
    }
    assert form.error_links() == [
        (f"id_{prompt_field(prompt)}_1", f"Select Yes, No or Not applicable for ‘{prompt.text}’"),
        (f"id_{note_field(kq)}", "Enter an evidence note for key question 2.1.2"),
    ]
    assert bound(assessment, complete_values(assessment), require_complete=True).is_valid()


def test_key_question_errors_name_the_allowed_answers(sections):
    form = bound(sections["reviewing"], {}, require_complete=True)
    assert not form.is_valid()
    assert form.errors["kq_2_4_1"] == ["Select Yes, No or Not applicable for key question 2.4.1"]
    form = bound(sections["planning"], {}, require_complete=True)
    form.is_valid()
    assert form.errors["kq_2_2_1"] == ["Select Yes or No for key question 2.2.1"]


def test_outcome_notes_are_optional(sections):
    outcomes = sections["outcomes"]
    values = {name: Answer.YES for name in outcomes.field_names if name.startswith("kq_")}
    assert bound(outcomes, values, require_complete=True).is_valid()


def test_oversight_needs_a_note_unless_none_was_required(sections):
    oversight = sections["management-oversight"]
    form = bound(oversight, {"oversight": Oversight.INEFFECTIVE}, require_complete=True)
    assert not form.is_valid()
    assert form.errors == {"oversight_note": ["Enter a note on management oversight"]}
    assert bound(oversight, {"oversight": Oversight.NOT_REQUIRED}, require_complete=True).is_valid()
    assert [label for _, label in SectionForm(section=oversight).fields["oversight"].choices] == [
        "Effective",
        "Ineffective",
        "Absent",
        "Not required",
    ]


def test_risk_information_is_never_required(sections):
    assert bound(sections["risk-information"], {}, require_complete=True).is_valid()


def test_an_answer_outside_the_choices_is_refused(sections):
    assessment = sections["assessment"]
    form = bound(assessment, {prompt_field(assessment.all_prompts[0]): "maybe"})
    assert not form.is_valid()
    assert "Select a valid choice" in form.errors[prompt_field(assessment.all_prompts[0])][0]


def test_notes_of_ten_thousand_characters_are_accepted_and_longer_ones_refused(sections):
    assessment = sections["assessment"]
    name = note_field(assessment.key_questions[0])
    assert bound(assessment, {name: "é" * 10_000}).is_valid()
    form = bound(assessment, {name: "a" * 10_001})
    assert not form.is_valid()
    assert form.errors[name] == [
        "Evidence note for key question 2.1.1 must be 10,000 characters or fewer"
    ]


def test_a_new_line_counts_as_one_character_as_the_character_count_shows(sections):
    assessment = sections["assessment"]
    name = note_field(assessment.key_questions[0])
    typed = ("a" * 99 + "\r\n") * 100  # 10,000 characters as typed, 10,100 as sent
    form = bound(assessment, {name: typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data[name] == ("a" * 99 + "\n") * 99 + "a" * 99


@pytest.mark.parametrize(
    "note",
    [
        "👩🏽‍⚖️ reviewed with the 🇬🇧 guidance",
        "مراجعة الخطة — review of the plan",
        "A\u0308ngstro\u0308m, combining marks as typed",
    ],
)
def test_any_unicode_is_kept_as_typed(sections, note):
    assessment = sections["assessment"]
    name = note_field(assessment.key_questions[0])
    form = bound(assessment, {name: note})
    assert form.is_valid()
    assert form.cleaned_data[name] == note


def test_the_rendered_section_uses_gov_uk_markup(sections):
    assessment = sections["assessment"]
    form = bound(assessment, {}, require_complete=True)
    form.is_valid()
    html = form.render()
    kq = assessment.key_questions[0]
    legends = [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r"<legend[^>]*>(.*?)</legend>", html, re.S)
    ]
    assert kq.text in legends
    assert assessment.prompts_of(kq)[0].text in legends
    assert 'class="govuk-radios govuk-radios--inline' in html
    # Each key question's questions are one labelled group: alike prompts stay distinct.
    assert re.search(
        r'<div\s+class="app-key-question"\s+aria-labelledby="heading-kq_2_1_1" role="group">', html
    )
    assert '<h2 class="govuk-heading-m" id="heading-kq_2_1_1">Key question 2.1.1</h2>' in html
    assert 'data-module="govuk-character-count" data-maxlength="10000"' in html
    assert "govuk-textarea--error" in html
    assert "govuk-input--error" not in html
    assert " maxlength=" not in html  # no silent truncation of pasted text
    # Every error summary link goes to an element on the page.
    for anchor, _ in form.error_links():
        assert f'id="{anchor}"' in html
    assert 'name="version" value="3"' in html


def test_framework_wording_is_escaped_when_rendered(sections, inspection):
    kq = KeyQuestion.objects.get(standard__framework=inspection.framework, code="2.1.1")
    Prompt.objects.filter(key_question=kq, code="2.1.1.a").update(
        text='<img src=x onerror="alert(1)"> prompt'
    )
    case = CaseFactory(inspection=inspection)
    section = case_sections(case=case)[0]
    html = SectionForm(section=section).render()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; prompt" in html


def test_a_note_with_html_is_shown_escaped_in_its_textarea(sections):
    assessment = sections["assessment"]
    name = note_field(assessment.key_questions[0])
    form = bound(assessment, {name: "</textarea><script>alert(1)</script>"})
    html = form.render()
    assert "<script>alert(1)" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in html


def test_my_cases_filters_offer_the_users_inspections_and_every_status(inspection):
    form = MyCasesFilterForm({"inspection": "nope"}, inspections=[inspection])
    assert not form.is_valid()
    assert [value for value, _ in form.fields["inspection"].choices] == ["", inspection.slug]
    assert [label for _, label in form.fields["status"].choices] == [
        "Any status",
        "Not started",
        "In progress",
        "Submitted",
        "Returned",
        "Moderated",
    ]
