"""The inspector's journey in a real browser: sign in, record a case, submit it."""

import re

import pytest
from playwright.sync_api import expect

from casereview.entry.sections import case_sections
from casereview.models import Answer, Case, CaseStatus, KeyQuestionAnswer, PromptAnswer
from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.factories import PASSWORD, CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def case(inspection, inspector):
    return CaseFactory(inspection=inspection, inspector=inspector, reference="C00001")


def fill_section_by_accessible_names(page, section, *, answer="Yes", note="Seen in the record"):
    """Answer every question of a section by the questions' accessible names."""
    for key_question in section.key_questions:
        # Prompts are worded alike under different key questions: look within each.
        within = page.get_by_role("group", name=f"Key question {key_question.code}", exact=True)
        for prompt in section.prompts_of(key_question):
            within.get_by_role("group", name=prompt.text, exact=True).get_by_label(
                answer, exact=True
            ).check()
        page.get_by_role("group", name=key_question.text, exact=True).get_by_label(
            answer, exact=True
        ).check()
        page.get_by_label(f"Evidence note for key question {key_question.code}").fill(
            f"{note} ({key_question.code})"
        )


def test_an_inspector_records_and_submits_a_case(page, live_server, case, inspector):
    sections = case_sections(case=case)
    sign_in(page, live_server, "inspector-user", PASSWORD)
    page.get_by_role("link", name="My cases").click()
    expect(page.get_by_role("heading", name="My cases", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("C00001"))).to_contain_text("Not started")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="C00001").click()
    expect(page.get_by_role("heading", name="Case C00001")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Assessment").click()
    for section in sections:
        expect(page.get_by_role("heading", name=section.title, level=1)).to_be_visible()
        if section.slug == "assessment":
            assert_no_axe_violations(page)
        if section.kind == "standard":
            fill_section_by_accessible_names(page, section)
        elif section.kind == "oversight":
            group = page.get_by_role("group", name="Was management oversight effective?")
            group.get_by_label("Ineffective", exact=True).check()
            page.get_by_label("Management oversight note").fill("No countersignature")
        page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Submit case").click()

    expect(page.get_by_text("Case C00001 submitted")).to_be_visible()
    expect(page.get_by_role("heading", name="Answers", exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.oversight == "ineffective"
    assert KeyQuestionAnswer.objects.filter(case=case, answer=Answer.YES).count() == 16
    assert PromptAnswer.objects.filter(case=case, answer=Answer.YES).count() == 44


FOCUSED = """() => {
  const el = document.activeElement;
  const radios = el.type === "radio" ? `input[name="${el.name}"]:checked` : null;
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || "",
    name: el.name || "",
    text: (el.innerText || "").trim(),
    label: el.labels && el.labels[0] ? el.labels[0].innerText.trim() : "",
    groupChecked: radios !== null && document.querySelector(radios) !== null,
  };
}"""


def tab_to(page, matches, *, limit=300):
    """Press Tab until the focused element matches; fail if it is never reached."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if matches(focused):
            return focused
    raise AssertionError("Never reached by Tab")


def answer_everything_by_keyboard(page):
    """Tab through the form: Space answers each radio group Yes, notes are typed."""
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "button" and focused["text"] == "Save and continue":
            return
        if focused["type"] == "radio" and not focused["groupChecked"]:
            page.keyboard.press("Space")
        elif focused["tag"] == "textarea":
            page.keyboard.type("Typed at the keyboard")
    raise AssertionError("Never reached Save and continue")


def test_the_whole_journey_works_with_the_keyboard_alone(page, live_server, case, inspector):
    page.goto(f"{live_server.url}/sign-in/")
    tab_to(page, lambda f: f["label"] == "Username")
    page.keyboard.type("inspector-user")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "My cases")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-cases/")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "C00001")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{case.get_absolute_url()}?from=my-cases")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Assessment")
    page.keyboard.press("Enter")

    for section in case_sections(case=case):
        expect(page.get_by_role("heading", name=section.title, level=1)).to_be_visible()
        answer_everything_by_keyboard(page)
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Submit case")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Case C00001 submitted")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.oversight == "effective"  # the first choice, selected with Space
    assert KeyQuestionAnswer.objects.filter(case=case, note="Typed at the keyboard").count() == 16


def test_a_validation_error_is_shown_kept_and_corrected(page, live_server, case, inspector):
    assessment = case_sections(case=case)[0]
    sign_in(page, live_server, "inspector-user", PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/sections/assessment/")
    fill_section_by_accessible_names(page, assessment, note="My evidence ✓ <b>not bold</b>")
    missing = page.get_by_label("Evidence note for key question 2.1.3")
    missing.fill("")
    page.get_by_role("button", name="Save and continue").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter an evidence note for key question 2.1.3")
    assert page.title().startswith("Error:")
    expect(page.get_by_label("Evidence note for key question 2.1.1")).to_have_value(
        "My evidence ✓ <b>not bold</b> (2.1.1)"
    )
    expect(
        page.get_by_role("group", name=assessment.key_questions[2].text, exact=True).get_by_label(
            "Yes", exact=True
        )
    ).to_be_checked()
    assert_no_axe_violations(page)

    summary.get_by_role("link", name="Enter an evidence note for key question 2.1.3").click()
    expect(missing).to_be_focused()
    page.keyboard.type("Corrected")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Planning", level=1)).to_be_visible()
    assert KeyQuestionAnswer.objects.get(case=case, key_question__code="2.1.3").note == (
        "Corrected"
    )


def test_a_second_editor_gets_the_conflict_page_with_their_input_intact(
    browser, live_server, case, inspector, lead
):
    key_question = case_sections(case=case)[0].key_questions[0]
    url = f"{live_server.url}/cases/{case.pk}/sections/assessment/"
    first_context, second_context = browser.new_context(), browser.new_context()
    try:
        first, second = first_context.new_page(), second_context.new_page()
        sign_in(first, live_server, "lead-user", PASSWORD)
        sign_in(second, live_server, "inspector-user", PASSWORD)
        first.goto(url)
        second.goto(url)

        group = first.get_by_role("group", name=key_question.text, exact=True)
        group.get_by_label("Yes", exact=True).check()
        first.get_by_label("Evidence note for key question 2.1.1").fill("The lead's view")
        first.get_by_role("button", name="Save as draft").click()
        expect(first.get_by_text("Assessment saved as a draft")).to_be_visible()

        group = second.get_by_role("group", name=key_question.text, exact=True)
        group.get_by_label("No", exact=True).check()
        second.get_by_label("Evidence note for key question 2.1.1").fill("My own view")
        # The background save is refused too, and says so.
        expect(second.locator("#autosave-status")).to_contain_text(
            "Someone else has saved this case"
        )
        second.get_by_role("button", name="Save as draft").click()

        expect(
            second.get_by_role("heading", name="Someone else has changed this case")
        ).to_be_visible()
        differences = second.get_by_role("table")
        expect(differences).to_contain_text("The lead's view")
        expect(differences).to_contain_text("My own view")
        group = second.get_by_role("group", name=key_question.text, exact=True)
        expect(group.get_by_label("No", exact=True)).to_be_checked()
        expect(second.get_by_label("Evidence note for key question 2.1.1")).to_have_value(
            "My own view"
        )
        assert_no_axe_violations(second)
        answer = KeyQuestionAnswer.objects.get(case=case, key_question=key_question)
        assert (answer.answer, answer.note) == (Answer.YES, "The lead's view")

        second.get_by_role("button", name="Save my answers").first.click()
        expect(second.get_by_text("Assessment saved as a draft")).to_be_visible()
        answer.refresh_from_db()
        assert (answer.answer, answer.note) == (Answer.NO, "My own view")
    finally:
        first_context.close()
        second_context.close()


def test_autosave_keeps_a_draft_through_a_reload(page, live_server, case, inspector):
    key_question = case_sections(case=case)[0].key_questions[0]
    sign_in(page, live_server, "inspector-user", PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/sections/assessment/")
    status = page.locator("#autosave-status")
    group = page.get_by_role("group", name=key_question.text, exact=True)
    group.get_by_label("No", exact=True).check()
    page.get_by_label("Evidence note for key question 2.1.1").fill("Saved without a button")
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"))
    version = page.locator('input[name="version"]').input_value()
    assert int(version) == Case.objects.get(pk=case.pk).version >= 1

    # A second change saves on top of the first: the script carries the new version.
    page.get_by_label("Evidence note for key question 2.1.2").fill("And another")
    expect(page.locator('input[name="version"]')).not_to_have_value(version)
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"))

    page.reload()
    group = page.get_by_role("group", name=key_question.text, exact=True)
    expect(group.get_by_label("No", exact=True)).to_be_checked()
    expect(page.get_by_label("Evidence note for key question 2.1.1")).to_have_value(
        "Saved without a button"
    )
    expect(page.get_by_label("Evidence note for key question 2.1.2")).to_have_value("And another")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_role("link", name="Assessment")).to_be_visible()
    expect(page.locator("#task-assessment-status")).to_have_text("In progress")
