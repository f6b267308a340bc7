"""Statuses tell the truth: one completeness rule for every surface, and the date a
case took its status."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from casereview.entry.sections import (
    COMPLETED,
    answer_field,
    case_gaps,
    case_sections,
    case_values,
    cases_sections_done,
    note_field,
    required,
    section_progress,
)
from casereview.entry.services import save_section, submit_case
from casereview.models import Answer, Case, CaseStatus
from casereview.moderation.services import case_return_for_rework
from dataset import section_values
from tests.casereview.data_entry_helpers import answer_case
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _reviewing_not_applicable(case, user):
    """Every section complete, Reviewing answered Not applicable throughout with no notes
    (no review point was reached): ND-006 of the demo."""
    answer_case(case, user, skip={"reviewing"})
    reviewing = next(s for s in case_sections(case=case) if s.slug == "reviewing")
    values = section_values(reviewing, answer=Answer.NOT_APPLICABLE, note="")
    save_section(case=case, section=reviewing, data=values, base_version=case.version, user=user)
    return reviewing


def test_a_not_applicable_key_question_needs_no_note_on_any_surface(client, inspection, inspector):
    case = CaseFactory(inspection=inspection, inspector=inspector, reference="NA-1")
    reviewing = _reviewing_not_applicable(case, inspector)
    assert reviewing.key_questions and all(
        kq.allows_not_applicable for kq in reviewing.key_questions
    )
    client.force_login(inspector)

    page = text(client.get(case.get_absolute_url()))
    assert re.search(r'id="task-reviewing-status"> Completed </div>', page)
    assert "6 of 6" in text(client.get(reverse("casereview:my-cases")))
    check = text(client.get(reverse("casereview:case-check", args=[case.pk])))
    assert "Some required answers are missing" not in check
    response = client.post(
        reverse("casereview:case-submit", args=[case.pk]), {"version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_a_yes_or_no_key_question_still_needs_its_note(inspection, inspector):
    case = CaseFactory(inspection=inspection, inspector=inspector)
    answer_case(case, inspector)
    sections = case_sections(case=case)
    reviewing = next(s for s in sections if s.slug == "reviewing")
    first = reviewing.key_questions[0]
    save_section(
        case=case,
        section=reviewing,
        data={answer_field(first): Answer.NO, note_field(first): ""},
        base_version=case.version,
        user=inspector,
    )
    values = case_values(case=case, sections=sections)
    assert [gap.field for item in case_gaps(sections, values) for gap in item.gaps] == [
        note_field(first)
    ]
    assert cases_sections_done(cases=[case])[case.pk] == (5, 6)


# Answers that make a section complete or not, one change at a time from complete.
VARIATIONS = [
    ("complete", lambda s, v: None),
    ("a prompt missing", lambda s, v: v.update({next(iter(v)): ""})),
    ("a note missing", lambda s, v: v.update({note_field(s.key_questions[-1]): ""})),
    (
        "not applicable, no note",
        lambda s, v: v.update(
            {
                answer_field(s.key_questions[0]): Answer.NOT_APPLICABLE,
                note_field(s.key_questions[0]): "",
            }
        ),
    ),
    ("a key question missing", lambda s, v: v.update({answer_field(s.key_questions[0]): ""})),
    ("oversight not required, no note", None),
]


@pytest.mark.parametrize("variation", [name for name, _ in VARIATIONS])
def test_the_list_count_agrees_with_the_task_list_section_by_section(
    inspection, inspector, variation
):
    """Whatever the answers, "sections done" counts exactly the sections the case's
    own task list shows Completed: the two read the one rule."""
    change = dict(VARIATIONS)[variation]
    cases = []
    for section in required(case_sections(case=CaseFactory.build(inspection=inspection))):
        case = CaseFactory(inspection=inspection, inspector=inspector)
        answer_case(case, inspector, skip={section.slug})
        values = section_values(section)
        if change is not None and section.key_questions:
            change(section, values)
        elif change is None and section.slug == "management-oversight":
            values = {"oversight": "not_required", "oversight_note": ""}
        save_section(
            case=case, section=section, data=values, base_version=case.version, user=inspector
        )
        cases.append(case)
    cases = list(Case.objects.filter(pk__in=[c.pk for c in cases]).select_related("inspection"))
    done = cases_sections_done(cases=cases)
    for case in cases:
        sections = case_sections(case=case)
        values = case_values(case=case, sections=sections)
        shown = sum(section_progress(s, values) == COMPLETED for s in required(sections))
        assert done[case.pk] == (shown, 6), (case.reference, variation)


def test_returned_on_shows_when_it_was_returned_not_when_it_was_imported(
    client, inspection, inspector, lead
):
    case = CaseFactory(inspection=inspection, inspector=inspector, reference="RET-1")
    answer_case(case, inspector)
    submit_case(case=case, user=inspector)
    # Submitted (or imported) long ago; returned now.
    long_ago = timezone.now() - datetime.timedelta(days=40)
    Case.objects.filter(pk=case.pk).update(submitted_at=long_ago)
    Case.history.filter(id=case.pk).update(history_date=long_ago)
    case.refresh_from_db()
    case_return_for_rework(case=case, reason="Check 2.1.3", user=lead)
    returned = Case.history.filter(id=case.pk).latest("history_date").history_date

    client.force_login(inspector)
    page = text(client.get(case.get_absolute_url()))
    since = re.search(r"Returned</strong> <span [^>]*data-status-since>on ([^<]+)</span>", page)
    local = timezone.localtime(returned)
    assert since.group(1) == f"{local.day} {local:%B %Y} at {local:%H:%M}"
    old = timezone.localtime(long_ago)
    assert since.group(1) != f"{old.day} {old:%B %Y} at {old:%H:%M}"


def test_the_demos_submitted_cases_show_every_section_done():
    call_command("load_demo", force=True, stdout=io.StringIO())
    cases = list(Case.objects.counted().select_related("inspection"))
    assert Case.objects.filter(reference="ND-006", status=CaseStatus.SUBMITTED).exists()
    done = cases_sections_done(cases=cases)
    # Six sections for a probation case; a youth court disposal five, an out-of-court four.
    assert {case.reference: done[case.pk] for case in cases if done[case.pk] != (6, 6)} == {
        case.reference: (5, 5) if case.case_type == "court" else (4, 4)
        for case in cases
        if case.inspection.framework.code == "youth-2021"
    }


# Check your answers


def test_check_answers_flags_incomplete_sections_before_submit_is_pressed(
    client, inspection, inspector
):
    case = CaseFactory(inspection=inspection, inspector=inspector, reference="CHK-1")
    answer_case(case, inspector, skip={"planning", "management-oversight"})
    client.force_login(inspector)
    page = text(client.get(reverse("casereview:case-check", args=[case.pk])))
    warning = re.search(r"data-incomplete-sections>(.*?)</div> </div>", page).group(1)
    assert "2 required sections are not complete yet" in warning
    assert re.findall(r'href="[^"]+/sections/([a-z-]+)/">Complete', warning) == [
        "planning",
        "management-oversight",
    ]
    incomplete = re.findall(r'id="answers-([a-z-]+)" data-incomplete>', page)
    assert incomplete == ["planning", "management-oversight"]
    assert page.count('govuk-tag--red">Incomplete</strong>') == 2


def test_check_answers_tells_key_questions_from_prompts_and_stays_short(
    client, inspection, inspector
):
    case = CaseFactory(inspection=inspection, inspector=inspector, reference="CHK-2")
    answer_case(case, inspector)
    sections = case_sections(case=case)
    client.force_login(inspector)
    page = text(client.get(reverse("casereview:case-check", args=[case.pk])))
    assert "data-incomplete-sections" not in page
    key_questions = [kq for s in sections for kq in s.key_questions]
    prompts = [p for s in sections for p in s.all_prompts]
    # Every key question is marked as one, in bold; no prompt is.
    marked = re.findall(
        r'<span class="govuk-caption-s govuk-!-display-block govuk-!-font-weight-regular">'
        r"Key question</span>"
        r'<span class="govuk-!-font-weight-bold">'
        r"([\d.]+) ",
        page,
    )
    assert marked == [kq.code for kq in key_questions]
    # Prompts sit beneath their key question, summarised, inside a details element.
    summaries = re.findall(
        r"data-prompts> <summary [^>]*><span [^>]*>Prompts: ([^<]+)</span>", page
    )
    assert len(summaries) == len(
        [kq for s in sections for kq in s.key_questions if s.prompts_of(kq)]
    )
    assert all(re.fullmatch(r"\d+ Yes", summary) for summary in summaries)
    outside = re.sub(r"<details .*?</details>", "", page)
    for prompt in prompts[:5]:
        assert prompt.text not in outside
    # The rows shown before anything is opened: key questions, notes, oversight, risk.
    shown = outside.count('class="govuk-summary-list__row')
    assert shown == 2 * len(key_questions) + 2 + 6
    assert len(prompts) > shown  # the prompts were most of the page's height
