"""Filtering by date in a real browser: GOV.UK's day, month and year fields, their errors
and the filter tag that removes the date, on the dashboard and the overview."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from casereview.demo import PASSWORD
from tests.browser.conftest import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DASHBOARD = "/inspections/west-sussex-2023/"


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, verbosity=0)


def fill_date(page, legend: str, day: str, month: str, year: str):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_a_lead_filters_the_dashboard_by_typing_a_date(page, live_server, demo):
    sign_in(page, live_server, "lead", PASSWORD)
    page.goto(f"{live_server.url}{DASHBOARD}")
    page.get_by_text("Filter cases").click()
    expect(page.get_by_role("group", name="Sentence or licence start from")).to_contain_text(
        "For example, 27 3 2024"
    )
    # The West Sussex sample's sentences start from 22 May to 4 June 2023: six from 1 June.
    fill_date(page, "Sentence or licence start from", "1", "6", "2023")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "sentence_from-day=1" in page.url and "sentence_from-month=6" in page.url
    expect(page.locator("[data-progress-total] td").first).to_have_text("6")
    tag = page.get_by_role("link", name="Remove this filter: Sentence or licence start from")
    expect(tag).to_contain_text("1 June 2023")
    assert_no_axe_violations(page)

    # An address with the single date value gives the same view, shown in the fields.
    page.goto(f"{live_server.url}{DASHBOARD}?sentence_from=2023-06-01")
    expect(page.locator("[data-progress-total] td").first).to_have_text("6")
    group = page.get_by_role("group", name="Sentence or licence start from")
    expect(group.get_by_label("Month")).to_have_value("6")

    # The tag removes the whole date.
    page.get_by_role("link", name="Remove this filter: Sentence or licence start from").click()
    page.wait_for_load_state()
    assert "sentence_from" not in page.url
    # Unfiltered, the total is a link to the Cases page ("29 cases, all inspectors").
    expect(page.locator("[data-progress-total] td").first).to_have_text(re.compile(r"^29\b"))


def test_an_incomplete_date_is_reported_and_the_link_goes_to_the_part_missing(
    page, live_server, demo
):
    sign_in(page, live_server, "lead", PASSWORD)
    page.goto(f"{live_server.url}{DASHBOARD}")
    page.get_by_text("Filter cases").click()
    fill_date(page, "Sentence or licence start to", "30", "", "2023")
    page.get_by_role("button", name="Apply filters").click()
    message = "The sentence start 'to' date must include a month"
    expect(page.get_by_role("alert")).to_contain_text(message)
    assert page.title().startswith("Error:")
    group = page.get_by_role("group", name="Sentence or licence start to")
    expect(group).to_contain_text(message)
    expect(group.get_by_label("Day")).to_have_value("30")  # what was typed is kept
    assert_no_axe_violations(page)
    page.get_by_role("link", name=message).click()
    expect(group.get_by_label("Month")).to_be_focused()

    fill_date(page, "Sentence or licence start to", "31", "2", "2023")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The sentence start 'to' date must be a real date"
    )


def test_a_viewer_filters_the_overview_by_fieldwork_date(page, live_server, demo):
    sign_in(page, live_server, "viewer", PASSWORD)
    page.goto(f"{live_server.url}/overview/")
    expect(page.locator("tr[data-inspection]")).to_have_count(3)
    # West Sussex's fieldwork started on 4 December 2023, Marchford's (youth justice) on
    # 10 June 2024, North Downs' on 16 September 2024.
    fill_date(page, "Fieldwork started from", "1", "7", "2024")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    expect(page.locator("tr[data-inspection]")).to_have_count(1)
    expect(page.locator('tr[data-inspection="north-downs-2024"]')).to_be_visible()
    assert_no_axe_violations(page)
    # The set dashboard it links to keeps the date.
    page.get_by_role("link", name="These inspections as one dashboard").click()
    page.wait_for_load_state()
    group = page.get_by_role("group", name="Fieldwork started from")
    expect(group.get_by_label("Year")).to_have_value("2024")
