"""Blind double marking in a real browser: the lead sends cases, the second inspector
marks without seeing the first answers (checked on the page and over HTTP), and the
consistency page shows hand-computed agreement and kappa."""

import os
import re

import pytest
from playwright.sync_api import expect

from casereview.models import Answer, KeyQuestionAnswer, SecondMarking, SecondMarkingStatus
from casereview.moderation.double_marking import (
    RESOLVED_REASON,
    second_marking_request,
    second_marking_submit,
)
from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.casereview.review_helpers import history_reasons, rated_key_questions, submitted_case
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

Y, N = Answer.YES, Answer.NO
SECRET = "FIRST-INSPECTOR-SECRET-NOTE"


def marked_by_service(inspection, lead, first, second, *, first_answer, second_answer):
    """A case double marked without the browser: only 2.1.1 may differ."""
    case = submitted_case(inspection, first, answers={"2.1.1": first_answer})
    (marking,) = second_marking_request(
        inspection=inspection, cases=[case], inspector=second, user=lead
    )
    answers = {
        kq.pk: (second_answer if kq.code == "2.1.1" else Y, "")
        for kq in rated_key_questions(inspection)
    }
    second_marking_submit(second_marking=marking, answers=answers, user=second)


def test_blind_double_marking_and_the_consistency_figures(
    browser, page, live_server, inspection, lead, inspector, other_inspector
):
    # Two cases the browser will mark: first answers Yes and No on 2.1.1.
    by_browser = [
        submitted_case(inspection, inspector, reference="DM-A", answers={"2.1.1": Y}, note=SECRET),
        submitted_case(inspection, inspector, reference="DM-B", answers={"2.1.1": N}, note=SECRET),
    ]
    # Eight more by the services, so that on 2.1.1 the ten cases give the 2x2 table
    # Yes/Yes 4, Yes/No 1, No/Yes 1, No/No 4 once the browser marks DM-A No and DM-B No.
    for first, second in [(Y, Y)] * 4 + [(N, Y)] + [(N, N)] * 3:
        marked_by_service(
            inspection, lead, inspector, other_inspector, first_answer=first, second_answer=second
        )

    sign_in(page, live_server, "lead-user", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{inspection.slug}/double-marking/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send for double marking").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one case to double mark")
    assert_no_axe_violations(page)
    for reference in ("DM-A", "DM-B"):
        page.get_by_label(re.compile(f"^{reference}")).check()
    page.get_by_label("Second inspector").select_option(label=other_inspector.get_full_name())
    page.get_by_role("button", name="Send for double marking").click()
    expect(page.get_by_text("2 cases sent to")).to_be_visible()
    expect(
        page.get_by_role("button", name="Withdraw case DM-A from double marking")
    ).to_be_visible()
    assert_no_axe_violations(page)

    marker = browser.new_context()
    marker.set_default_timeout(10_000)
    second = marker.new_page()
    sign_in(second, live_server, "other-inspector", PASSWORD)
    # Blind over HTTP: the case pages of the cases to mark are not found.
    for case in by_browser:
        for path in (f"/cases/{case.pk}/", f"/cases/{case.pk}/check/"):
            response = second.request.get(live_server.url + path)
            assert response.status == 404, path
            assert SECRET not in response.text()

    second.goto(f"{live_server.url}/second-marking/")
    expect(second.get_by_role("heading", name="Second marking", level=1)).to_be_visible()
    assert_no_axe_violations(second)
    second.get_by_role("link", name="Case DM-A").click()
    expect(second.get_by_role("heading", name="Case DM-A")).to_be_visible()
    assert SECRET not in second.content()
    assert_no_axe_violations(second)
    # Submitting with nothing answered lists every key question.
    second.get_by_role("button", name="Submit second marking").click()
    expect(second.get_by_role("alert")).to_contain_text("Answer key question 2.4.3")
    assert SECRET not in second.content()
    assert_no_axe_violations(second)

    for case in by_browser:
        second.goto(f"{live_server.url}/second-marking/")
        second.get_by_role("link", name=f"Case {case.reference}").click()
        for key_question in rated_key_questions(inspection):
            choice = "No" if key_question.code == "2.1.1" else "Yes"
            second.get_by_role(
                "group", name=f"{key_question.code} {key_question.text}"
            ).get_by_label(choice, exact=True).check()
        second.get_by_label("Evidence for 2.1.1 (optional)").fill("No analysis of motivation")
        second.get_by_role("button", name="Submit second marking").click()
        expect(
            second.get_by_text(f"Second marking of case {case.reference} submitted")
        ).to_be_visible()
    assert not SecondMarking.objects.filter(status=SecondMarkingStatus.PENDING).exists()
    # Marked: the blind is lifted.
    assert second.request.get(f"{live_server.url}/cases/{by_browser[0].pk}/").status == 200
    second.goto(f"{live_server.url}/second-marking/")
    second.get_by_role("link", name="Case DM-A").click()
    expect(second.get_by_role("cell", name="No analysis of motivation")).to_be_visible()
    assert_no_axe_violations(second)
    marker.close()

    # By hand, on 2.1.1: agreement 8 of 10 (80%); chance 0.5 x 0.5 + 0.5 x 0.5 = 0.5;
    # kappa (0.8 - 0.5) / (1 - 0.5) = 0.60. The other key questions all agree, always Yes.
    page.goto(f"{live_server.url}/inspections/{inspection.slug}/consistency/")
    row = page.locator('tr[data-key-question="2.1.1"]')
    expect(row.locator("[data-compared]")).to_have_text("10")
    expect(row.locator("[data-agreed]")).to_have_text("8")
    expect(row.locator("[data-agreement]")).to_have_text("80%")
    expect(row.locator("[data-kappa]")).to_have_text("0.60")
    other = page.locator('tr[data-key-question="2.2.1"]')
    expect(other.locator("[data-agreement]")).to_have_text("100%")
    expect(other.locator("[data-kappa]")).to_have_text("Not defined")
    # The pair pools all 120 answers: 118 agree; both said Yes 115 times of 120.
    chance = (115 / 120) ** 2 + (5 / 120) ** 2
    kappa = (118 / 120 - chance) / (1 - chance)
    pair = page.locator("#by-pair tbody tr")
    expect(pair).to_have_count(1)
    expect(pair.locator("[data-agreed]")).to_have_text("118")
    expect(pair.locator("[data-kappa]")).to_have_text(f"{kappa:.2f}")
    expect(page.locator("[data-disagreement]")).to_have_count(2)
    # Both inspectors' answers and notes side by side, for the lead to resolve.
    side_by_side = page.locator('tr[data-disagreement="DM-A 2.1.1"]')
    expect(side_by_side.locator("[data-first]")).to_contain_text("Yes")
    expect(side_by_side.locator("[data-first]")).to_contain_text(SECRET)
    expect(side_by_side.locator("[data-second]")).to_contain_text("No analysis of motivation")
    if os.environ.get("CONSISTENCY_SCREENSHOT"):
        page.screenshot(path=os.environ["CONSISTENCY_SCREENSHOT"], full_page=True)
    assert_no_axe_violations(page)

    # Resolve DM-A: the second inspector's No counts.
    disagreement = page.locator('tr[data-disagreement="DM-A 2.1.1"]')
    disagreement.get_by_label("No (second)").check()
    disagreement.get_by_role("button", name=re.compile("Resolve")).click()
    expect(page.get_by_text("2.1.1 on case DM-A resolved: No counts")).to_be_visible()
    expect(page.locator('tr[data-disagreement="DM-A 2.1.1"]')).to_contain_text("Resolved")
    counted = KeyQuestionAnswer.objects.get(case=by_browser[0], key_question__code="2.1.1")
    assert counted.answer == N
    assert history_reasons(KeyQuestionAnswer, id=counted.pk)[-1] == RESOLVED_REASON
    # The comparison of the two markings is unchanged by the resolution.
    expect(page.locator('tr[data-key-question="2.1.1"] [data-kappa]')).to_have_text("0.60")
