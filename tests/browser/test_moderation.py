"""Moderation in a real browser: return for rework, rework, resubmit, moderate; and the
lead's other pages (corrections, domain one, recommendations, exports, report draft)
with no accessibility violations."""

import re

import pytest
from playwright.sync_api import expect

from casereview.entry.services import submit_case
from casereview.models import Answer, CaseStatus, KeyQuestionAnswer
from casereview.moderation.services import case_mark_moderated
from inspection.models import DomainOneRating, PreviousRecommendation, Recommendation
from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.casereview.data_entry_helpers import answer_case
from tests.factories import PASSWORD, CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def submitted(inspection, inspector):
    case = CaseFactory(inspection=inspection, inspector=inspector, reference="R00001")
    return submit_case(case=answer_case(case, inspector), user=inspector)


def signed_in(browser, live_server, username):
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server, username, PASSWORD)
    return page


def test_return_rework_resubmit_and_moderate(
    browser, page, live_server, inspection, lead, inspector, submitted
):
    moderation_url = f"{live_server.url}/inspections/{inspection.slug}/moderation/"
    sign_in(page, live_server, "lead-user", PASSWORD)
    page.goto(moderation_url)
    expect(page.get_by_role("heading", name="Moderation", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("R00001"))).to_contain_text("Submitted")
    assert_no_axe_violations(page)

    # The table's link (the next-case offer above it names the case too).
    page.get_by_role("row", name=re.compile("R00001")).get_by_role("link").click()
    expect(page.get_by_role("heading", name="Case R00001")).to_be_visible()
    expect(page.get_by_role("heading", name="Moderation")).to_be_visible()
    assert_no_axe_violations(page)

    # No reason: the error is shown beside the field and in the summary.
    page.get_by_role("button", name="Return for rework").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why the case is returned for rework")
    assert page.title().startswith("Error:")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Enter why the case is returned for rework").click()
    expect(page.get_by_label("Why is the case returned for rework?")).to_be_focused()
    page.get_by_label("Why is the case returned for rework?").fill(
        "2.1.3: the evidence does not show the risk to the partner was analysed"
    )
    page.get_by_role("button", name="Return for rework").click()
    expect(page.get_by_text("Case R00001 returned for rework")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("R00001"))).to_contain_text("Returned")

    # The inspector sees the reason in My cases and on the case, and can edit again.
    worker = signed_in(browser, live_server, "inspector-user")
    worker.get_by_role("link", name="My cases").click()
    expect(worker.get_by_role("row", name=re.compile("R00001"))).to_contain_text(
        "the risk to the partner was analysed"
    )
    worker.get_by_role("link", name="R00001").click()
    expect(worker.get_by_role("heading", name="Returned for rework")).to_be_visible()
    # The reason stands under the heading (the timeline repeats it, prefixed "Reason:").
    reason = re.compile(
        r"^2\.1\.3: the evidence does not show the risk to the partner was analysed$"
    )
    expect(worker.get_by_role("paragraph").filter(has_text=reason)).to_be_visible()
    worker.get_by_role("link", name="Assessment").click()
    question = "Does assessment focus sufficiently on keeping other people safe?"
    worker.get_by_role("group", name=question, exact=True).get_by_label("No", exact=True).check()
    worker.get_by_label("Evidence note for key question 2.1.3").fill(
        "Risk to the partner not analysed"
    )
    worker.get_by_role("button", name="Save and continue").click()
    worker.goto(f"{live_server.url}/cases/{submitted.pk}/check/")
    worker.get_by_role("button", name="Submit case").click()
    expect(worker.get_by_text("Case R00001 submitted")).to_be_visible()

    # Back to the lead, who now accepts it.
    page.goto(moderation_url)
    expect(page.get_by_role("row", name=re.compile("R00001"))).to_contain_text("Submitted")
    # The table's link (the next-case offer above it names the case too).
    page.get_by_role("row", name=re.compile("R00001")).get_by_role("link").click()
    page.get_by_role("button", name="Mark as moderated").click()
    expect(page.get_by_text("Case R00001 marked as moderated")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("R00001"))).to_contain_text("Moderated")

    # Moderated means locked, for the inspector too.
    worker.goto(f"{live_server.url}/cases/{submitted.pk}/")
    expect(
        worker.get_by_text("You can read this case's answers but not change them.")
    ).to_be_visible()
    expect(worker.get_by_role("link", name="Assessment")).to_have_count(0)
    submitted.refresh_from_db()
    assert submitted.status == CaseStatus.MODERATED
    answer = KeyQuestionAnswer.objects.get(case=submitted, key_question__code="2.1.3")
    assert (answer.answer, answer.note) == (Answer.NO, "Risk to the partner not analysed")
    worker.context.close()


def test_correction_and_reopening_need_a_reason(page, live_server, inspection, lead, submitted):
    sign_in(page, live_server, "lead-user", PASSWORD)
    page.goto(f"{live_server.url}/cases/{submitted.pk}/")
    page.get_by_role("link", name=re.compile("Correct an answer")).click()
    expect(page.get_by_role("heading", name="Correct an answer")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Key question", exact=True).select_option(
        label="2.2.3 Does planning focus sufficiently on keeping other people safe?"
    )
    page.get_by_role("group", name="New answer").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter why the answer is changed after submission"
    )
    assert_no_axe_violations(page)
    page.get_by_label("Why is the answer changed?").fill("No contingency plan")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_text("Answer to 2.2.3 on case R00001 corrected")).to_be_visible()
    assert (
        KeyQuestionAnswer.objects.get(case=submitted, key_question__code="2.2.3").answer
        == Answer.NO
    )

    case_mark_moderated(case=submitted, user=lead)
    page.goto(f"{live_server.url}/cases/{submitted.pk}/")
    page.get_by_role("link", name=re.compile("Reopen the case")).click()
    page.get_by_role("button", name="Reopen the case").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why the case is reopened")
    assert_no_axe_violations(page)
    page.get_by_label("Why is the case reopened?").fill("Correct 2.4.1")
    page.get_by_role("button", name="Reopen the case").click()
    expect(page.get_by_text("Case R00001 reopened")).to_be_visible()
    submitted.refresh_from_db()
    assert submitted.status == CaseStatus.SUBMITTED


def test_domain_one_recommendations_exports_and_report_pages(
    page, live_server, inspection, lead, submitted
):
    sign_in(page, live_server, "lead-user", PASSWORD)
    base = f"{live_server.url}/inspections/{inspection.slug}"

    page.goto(f"{base}/domain-one/")
    expect(page.get_by_role("heading", name="Case results")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="1.1 Leadership").click()
    page.get_by_role("group", name="Rating").get_by_label("Inadequate").check()
    page.get_by_role("button", name="Save rating").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the rationale for the rating")
    expect(page.get_by_role("group", name="Rating").get_by_label("Inadequate")).to_be_checked()
    assert_no_axe_violations(page)
    page.get_by_label("Rationale").fill("All four case standards were Inadequate")
    page.get_by_role("button", name="Save rating").click()
    expect(page.get_by_text("1.1 Leadership rated Inadequate")).to_be_visible()
    assert DomainOneRating.objects.get(inspection=inspection).rationale.startswith("All four")

    page.goto(f"{base}/recommendations/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Add a previous recommendation").click()
    page.get_by_label("Previous recommendation").fill("Train all staff")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the progress made")
    assert_no_axe_violations(page)
    page.get_by_role("group", name="Categorisation").get_by_label("Some progress").check()
    page.get_by_role("group", name="Is improvement still required?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Previous recommendation 1 saved")).to_be_visible()
    page.get_by_role("button", name="Add a recommendation").click()
    page.get_by_label("Recommendation").fill("improve the analysis of risk of harm")
    page.get_by_role("button", name="Save").click()
    assert Recommendation.objects.get().text == "improve the analysis of risk of harm"
    assert PreviousRecommendation.objects.get().improvement_still_required is True

    page.goto(f"{base}/exports/")
    expect(page.get_by_role("link", name="Case answers (CSV)")).to_be_visible()
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Data workbook (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{base}/report/")
    expect(page.get_by_role("heading", name="Ratings")).to_be_visible()
    expect(page.get_by_text("improve the analysis of risk of harm")).to_be_visible()
    expect(page.get_by_role("button", name="Print the draft")).to_be_visible()
    assert_no_axe_violations(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print the draft")).to_be_hidden()
    expect(page.locator(".govuk-header")).to_be_hidden()
