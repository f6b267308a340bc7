"""The dashboards in a real browser: the demo inspection as published, live figures,
filters, the overview, and no accessibility violations axe-core can find."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from casereview.models import Answer, Case, KeyQuestionAnswer, Oversight, PromptAnswer
from inspection.models import KeyQuestion, Prompt
from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.published import PERCENT as PUBLISHED
from tests.published import RATING_TEXT

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "demo-password-2024"
PUBLISHED_RATINGS = list(RATING_TEXT.values())


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, verbosity=0)


def open_every_details(page):
    page.eval_on_selector_all(
        "#dashboard-figures details", "all => all.forEach(d => d.open = true)"
    )


def test_lead_sees_the_demo_inspection_exactly_as_published(page, live_server, demo):
    sign_in(page, live_server, "lead", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inspections/west-sussex-2023/")
    expect(page.get_by_role("heading", name="West Sussex", level=1)).to_be_visible()
    expect(page.locator("[data-score]")).to_have_text("02/21")
    expect(page.locator("[data-overall-rating]")).to_have_text("Inadequate")
    ratings = page.locator(".app-ratings-list [data-rating]").all_inner_texts()
    assert [rating.strip() for rating in ratings] == PUBLISHED_RATINGS
    percentages = {
        row.get_attribute("data-key-question"): row.locator("[data-percent]").inner_text()
        for row in page.locator("tr[data-key-question]").all()
        if row.locator("[data-percent]").count()
    }
    assert {code: int(text.split("%")[0]) for code, text in percentages.items()} == PUBLISHED
    assert percentages["2.1.3"] == "28% (8 of 29)"
    assert page.locator("tr.app-driving").evaluate_all(
        "rows => rows.map(r => r.dataset.keyQuestion)"
    ) == ["2.1.3", "2.2.3", "2.3.3", "2.4.3"]
    expect(
        page.get_by_text("Inadequate: the lowest key question, 28%, is below 50%.")
    ).to_be_visible()
    # Complete: neither provisional nor refreshing itself.
    expect(page.locator(".app-provisional")).to_have_count(0)
    assert page.locator("#dashboard-figures").get_attribute("data-refresh-seconds") is None
    assert_no_axe_violations(page)
    open_every_details(page)
    assert_no_axe_violations(page)


def finish_case_answers(case):
    """Everything the inspector still had to record, as if saved section by section."""
    framework_id = case.inspection.framework_id
    for kq in KeyQuestion.objects.filter(standard__framework_id=framework_id):
        KeyQuestionAnswer.objects.update_or_create(
            case=case,
            key_question=kq,
            defaults={"answer": Answer.YES, "note": "Seen and well evidenced."},
        )
    for prompt in Prompt.objects.filter(key_question__standard__framework_id=framework_id):
        PromptAnswer.objects.update_or_create(
            case=case, prompt=prompt, defaults={"answer": Answer.YES}
        )
    case.oversight = Oversight.EFFECTIVE
    case.oversight_note = "Manager countersigned the plan."
    case.version += 1
    case.save()


def test_a_submitted_case_reaches_the_leads_open_dashboard_without_a_reload(
    browser, page, live_server, demo, settings
):
    settings.DASHBOARD_REFRESH_SECONDS = 1
    case = Case.objects.get(inspection__slug="north-downs-2024", reference="ND-028")
    finish_case_answers(case)

    sign_in(page, live_server, "lead", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inspections/north-downs-2024/")
    expect(page.locator(".app-provisional")).to_be_visible()
    before = page.locator('tr[data-key-question="2.1.1"] [data-percent]').inner_text()
    yes, relevant = map(int, re.search(r"\((\d+) of (\d+)\)", before).groups())
    page.locator("#breakdown-case-type").evaluate("d => d.open = true")
    page.evaluate("window.notReloaded = true")

    inspector_context = browser.new_context()
    try:
        inspector_page = inspector_context.new_page()
        sign_in(inspector_page, live_server, "inspector", DEMO_PASSWORD)
        inspector_page.goto(f"{live_server.url}/cases/{case.pk}/check/")
        inspector_page.get_by_role("button", name="Submit case").click()
        expect(inspector_page.get_by_text("Case ND-028 submitted")).to_be_visible()
    finally:
        inspector_context.close()

    expected = f"({yes + 1} of {relevant + 1})"
    expect(page.locator('tr[data-key-question="2.1.1"] [data-percent]')).to_contain_text(
        expected, timeout=5_000
    )
    expect(page.locator("#dashboard-refresh-status")).to_contain_text("Figures updated at")
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#breakdown-case-type").evaluate("d => d.open") is True
    assert_no_axe_violations(page)


def test_filters_recompute_the_figures_and_stay_in_the_address(page, live_server, demo):
    sign_in(page, live_server, "lead", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inspections/west-sussex-2023/")
    page.get_by_text("Filter cases").click()
    page.get_by_label("Release on licence").check()
    page.get_by_label("High", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "case_type=licence" in page.url and "rosh=high" in page.url
    expect(
        page.get_by_role("link", name="Remove this filter: Case type: Release on licence")
    ).to_be_visible()
    filtered = page.locator(".app-figures-time").inner_text()
    assert "match the filters" in filtered
    total = int(page.locator("[data-progress-total] td").first.inner_text())
    assert 0 < total < 29
    assert_no_axe_violations(page)

    # The address alone reproduces the view: open it afresh and remove one filter.
    shared = page.url
    page.goto(shared)
    expect(page.locator("[data-progress-total] td").first).to_have_text(str(total))
    page.get_by_role("link", name="Remove this filter: Risk of serious harm: High").click()
    page.wait_for_load_state()
    assert "rosh=high" not in page.url and "case_type=licence" in page.url

    # A bad value in a shared address is reported in an error summary, not a crash.
    page.goto(f"{live_server.url}/inspections/west-sussex-2023/?rosh=extreme")
    expect(page.get_by_role("alert")).to_contain_text("Select a risk of serious harm")
    assert page.title().startswith("Error:")
    assert_no_axe_violations(page)


def test_cases_answered_no_are_one_click_away_for_the_lead_and_hidden_from_viewers(
    page, live_server, demo
):
    sign_in(page, live_server, "lead", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inspections/west-sussex-2023/")
    page.get_by_role("link", name="21 cases answered No on 2.1.3").click()
    expect(page.get_by_role("heading", name="Cases answered No on 2.1.3")).to_be_visible()
    expect(page.locator("[data-no-cases] tbody tr")).to_have_count(21)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Back to the dashboard").click()
    expect(page.locator("[data-score]")).to_have_text("02/21")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "viewer", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inspections/west-sussex-2023/")
    expect(page.locator("[data-score]")).to_have_text("02/21")
    expect(page.locator(".app-no-link")).to_have_count(0)
    response = page.goto(f"{live_server.url}/inspections/west-sussex-2023/key-questions/2.1.3/no/")
    assert response.status == 404


def test_overview_rates_every_inspection_and_filters_by_region(page, live_server, demo):
    sign_in(page, live_server, "lead", DEMO_PASSWORD)
    page.get_by_role("link", name="Overview").click()
    expect(page.get_by_role("heading", name="Overview of inspections")).to_be_visible()
    west_sussex = page.locator('tr[data-inspection="west-sussex-2023"]')
    expect(west_sussex.locator("[data-score]")).to_have_text("02/21")
    ratings = [r.strip() for r in west_sussex.locator("[data-rating]").all_inner_texts()]
    assert ratings == PUBLISHED_RATINGS
    expect(page.locator("tr[data-inspection]")).to_have_count(3)
    youth = page.locator('tr[data-inspection="marchford-yos-2024"]')
    expect(youth.locator("[data-score]")).to_have_text("20/36")
    assert_no_axe_violations(page)

    page.get_by_label("Region").select_option(label="Kent, Surrey and Sussex")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    expect(page.locator("tr[data-inspection]")).to_have_count(1)
    region = page.locator('[data-region="Kent, Surrey and Sussex"]')
    expect(region.locator('tr[data-key-question="2.3.3"] [data-percent]')).to_have_text(
        "17% (5 of 29)"
    )
    assert_no_axe_violations(page)


def test_the_dashboard_works_from_the_keyboard(page, live_server, demo):
    sign_in(page, live_server, "lead", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inspections/west-sussex-2023/")
    summary = page.locator("#prompts-2-1-1 summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#prompts-2-1-1").evaluate("d => d.open") is True
    expect(page.locator("#prompts-2-1-1 tr[data-prompt]").first).to_be_visible()
