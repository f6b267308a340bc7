"""The inspection dashboard: the published ratings page, explained, for whom, and live."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from casereview.models import Answer, CaseStatus, SecondMarking
from inspection.models import Basis, InspectionStatus, Standard
from tests.casereview.dashboard_data import (
    answer,
    published_cases,
)
from tests.factories import CaseFactory
from tests.published import PERCENT as PUBLISHED_PERCENT
from tests.published import YES as PUBLISHED_YES

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(inspection, inspector):
    return published_cases(inspection, inspector=inspector)


def dashboard_url(inspection, query=""):
    url = reverse("casereview:inspection-dashboard", args=[inspection.slug])
    return f"{url}?{query}" if query else url


def text_of(html: str) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_lead_sees_the_published_ratings_page(client, lead, inspection, published):
    client.force_login(lead)
    response = client.get(dashboard_url(inspection))
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    assert "Score 02/21" in text
    assert re.search(r"Overall rating\s*<strong class=\"govuk-tag govuk-tag--red\"", html)
    ratings = re.findall(r'data-standard="([\d.]+)">.*?data-rating>([^<]+)<', html, re.S)
    assert ratings == [
        ("1.1", "Inadequate"),
        ("1.2", "Requires improvement"),
        ("1.3", "Requires improvement"),
        ("2.1", "Inadequate"),
        ("2.2", "Inadequate"),
        ("2.3", "Inadequate"),
        ("2.4", "Inadequate"),
    ]
    figures = dict(re.findall(r'data-key-question="([\d.]+)">.*?data-percent>([^<]+)<', html, re.S))
    assert figures == {
        code: f"{PUBLISHED_PERCENT[code]}% ({yes} of 29)" for code, yes in PUBLISHED_YES.items()
    }


def test_each_standard_is_explained_with_its_driving_key_question_in_bold(
    client, lead, inspection, published
):
    client.force_login(lead)
    html = client.get(dashboard_url(inspection)).content.decode()
    text = text_of(html)
    assert "Inadequate: the lowest key question, 28%, is below 50%." in text
    assert "Inadequate: the lowest key question, 17%, is below 50%." in text
    driving = re.findall(r'app-driving" data-key-question="([\d.]+)"', html)
    assert driving == ["2.1.3", "2.2.3", "2.3.3", "2.4.3"]
    # 8 of 29 is 28%; 15 of 29 is 52%, the first percentage of 50 or more.
    assert "7 more Yes answers of 29 would reach Requires improvement" in text
    # 2.1.1 at 55% needs 65%: 19 of 29 (66%) is the first.
    assert "3 more Yes answers of 29 would reach Good" in text
    assert (
        "Inadequate lifts by 9 answers: to reach Requires improvement, 2.1.2 needs 2 more "
        "Yes answers and 2.1.3 needs 7 more Yes answers." in text
    )


def test_a_good_rating_is_explained_by_its_band_range(client, lead, inspection):
    case_yes = [CaseFactory(inspection=inspection, status=CaseStatus.SUBMITTED) for _ in range(7)]
    case_no = [CaseFactory(inspection=inspection, status=CaseStatus.SUBMITTED) for _ in range(3)]
    for code in ("2.1.1", "2.1.2", "2.1.3"):
        for case in case_yes:
            answer(case, code, Answer.YES)
        for case in case_no:
            answer(case, code, Answer.NO)
    client.force_login(lead)
    text = text_of(client.get(dashboard_url(inspection)).content.decode())
    assert "Good: the lowest key question, 70%, is between 65% and 79%." in text
    assert "Good lifts by 3 answers: to reach Outstanding, 2.1.1 needs 1 more Yes answer" in text
    # 7 of 10 on each: any one key question falls below 65% with one more No.
    assert (
        "Good holds by 1 answer: one more No on 2.1.1, 2.1.2 or 2.1.3 would make it "
        "Requires improvement." in text
    )
    assert "Not yet rated: no submitted case has a Yes or No answer on key questions 2.2.1" in text


def test_oversight_and_outcomes_are_reported_with_not_applicable(
    client, lead, inspection, published
):
    client.force_login(lead)
    html = client.get(dashboard_url(inspection)).content.decode()
    text = text_of(html)
    assert "absent or ineffective in 90% of the cases where it was required (26 of 29)" in text
    enforcement = re.search(r'data-outcome="2.5.4">(.*?)</tr>', html, re.S).group(1)
    assert "59% (10 of 17)" in text_of(enforcement)
    assert re.search(r">\s*12\s*</td>", enforcement)


def test_progress_counts_cases_by_status_and_inspector(client, lead, inspection, inspector):
    CaseFactory(inspection=inspection, inspector=inspector, version=0)
    CaseFactory(inspection=inspection, inspector=inspector, version=2)
    CaseFactory(inspection=inspection, inspector=inspector, status=CaseStatus.SUBMITTED)
    CaseFactory(inspection=inspection, status=CaseStatus.RETURNED)
    CaseFactory(inspection=inspection, status=CaseStatus.MODERATED)
    client.force_login(lead)
    html = client.get(dashboard_url(inspection)).content.decode()
    # The figures link to the Cases page for the team: read the figures themselves.
    html = re.sub(r'<span class="govuk-visually-hidden">[^<]*</span>|</?a[^>]*>', "", html)
    total = re.search(r"data-progress-total>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r">\s*(\d+)\s*</td>", total) == ["5", "1", "1", "1", "1", "1"]
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header app-table__row-header">([^<]+)</th>'
        r"((?:\s*<td[^>]*>\s*\d+\s*</td>){6})",
        html,
    )
    progress = {name.strip(): re.findall(r">\s*(\d+)\s*<", cells) for name, cells in rows}
    name = inspector.get_full_name()
    assert progress[name] == ["3", "1", "1", "1", "0", "0"]
    assert progress["Not assigned"] == ["2", "0", "0", "0", "1", "1"]


def test_ratings_are_provisional_until_complete_and_every_standard_rated(
    client, lead, inspection, published
):
    client.force_login(lead)
    assert "Provisional" in client.get(dashboard_url(inspection)).content.decode()
    inspection.status = InspectionStatus.COMPLETE
    inspection.save()
    assert "Provisional" not in client.get(dashboard_url(inspection)).content.decode()


def test_outsider_gets_404_and_anonymous_user_is_sent_to_sign_in(
    client, outsider, inspection, published
):
    response = client.get(dashboard_url(inspection))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(dashboard_url(inspection)).status_code == 404


def test_viewer_sees_the_figures_but_no_link_to_cases(client, viewer, lead, inspection, published):
    client.force_login(viewer)
    html = client.get(dashboard_url(inspection)).content.decode()
    assert "Score 02/21" in text_of(html)
    assert "/key-questions/" not in html
    client.force_login(lead)
    assert "/key-questions/2.1.3/no/" in client.get(dashboard_url(inspection)).content.decode()


def test_no_cases_list_shows_the_cases_answered_no_to_the_team(
    client, lead, inspector, inspection, published
):
    url = reverse("casereview:key-question-no", args=[inspection.slug, "2.3.3"])
    for user in (lead, inspector):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        references = re.findall(r">(WS\d{3})<", html)
        assert len(references) == 29 - PUBLISHED_YES["2.3.3"]
        assert references == sorted(references)
        assert "2.3.3 note" in html


def test_no_cases_list_is_404_for_viewers_outsiders_and_unknown_key_questions(
    client, viewer, outsider, lead, inspection, published
):
    url = reverse("casereview:key-question-no", args=[inspection.slug, "2.3.3"])
    for user in (viewer, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(lead)
    missing = reverse("casereview:key-question-no", args=[inspection.slug, "9.9.9"])
    assert client.get(missing).status_code == 404


def test_no_cases_list_keeps_the_dashboard_filters(client, lead, inspection, published):
    client.force_login(lead)
    html = client.get(dashboard_url(inspection, "case_type=licence")).content.decode()
    link = re.search(r'href="([^"]*/key-questions/2.1.3/no/[^"]*)"', html).group(1)
    assert link.endswith("?case_type=licence")
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    references = re.findall(r">(WS\d{3})<", listed)
    # Licence cases are WS019 to WS029; 2.1.3's Yes answers are those placed below 8.
    expected = [f"WS{i + 1:03d}" for i in range(18, 29) if (i * 7) % 29 >= 8]
    assert references == expected
    assert "Case type: Release on licence" in text_of(listed)


def test_the_figures_fragment_is_the_figures_alone(client, lead, inspection, published):
    client.force_login(lead)
    response = client.get(dashboard_url(inspection), headers={"X-Dashboard-Fragment": "figures"})
    html = response.content.decode()
    assert response["X-Dashboard-Fragment"] == "figures"
    assert "X-Dashboard-Fragment" in response["Vary"]
    assert "<html" not in html and "Score 02/21" in text_of(html)
    assert "data-updated-at=" in html
    assert "no-cache" in response["Cache-Control"]


def test_the_page_refreshes_its_figures_only_during_fieldwork(
    client, lead, inspection, published, settings
):
    settings.DASHBOARD_REFRESH_SECONDS = 2
    client.force_login(lead)
    html = client.get(dashboard_url(inspection)).content.decode()
    assert 'data-refresh-seconds="2"' in html
    assert "js/dashboard-refresh.js" in html
    inspection.status = InspectionStatus.COMPLETE
    inspection.save()
    html = client.get(dashboard_url(inspection)).content.decode()
    assert "data-refresh-seconds" not in html
    assert "js/dashboard-refresh.js" not in html


def test_figures_follow_the_answers_on_every_request(client, lead, inspection, published):
    client.force_login(lead)
    case = published[0]
    kq = case.key_question_answers.get(key_question__code="2.1.3")
    assert kq.answer == Answer.YES  # the first case holds a Yes on every key question
    kq.answer = Answer.NO
    kq.save()
    html = client.get(dashboard_url(inspection)).content.decode()
    assert "24% (7 of 29)" in text_of(html)


def test_charts_are_inline_svg_with_a_text_alternative_and_no_inline_style(
    client, lead, inspection, published
):
    client.force_login(lead)
    html = client.get(dashboard_url(inspection)).content.decode()
    charts = re.findall(r"<svg class=\"app-chart__svg\".*?</svg>", html, re.S)
    assert len(charts) == 4
    first = charts[0]
    assert 'role="img"' in first
    assert 'aria-labelledby="chart-2-1-title chart-2-1-desc"' in first
    assert '<desc id="chart-2-1-desc">2.1.1 55%; 2.1.2 45%; 2.1.3 28%, the lowest;' in first
    assert len(re.findall(r"<line ", first)) == 3  # the 50, 65 and 80 thresholds
    assert "style=" not in html


def test_a_second_marker_does_not_see_the_first_answers_of_a_case_they_mark_blind(
    client, lead, other_inspector, inspection, published
):
    blind = published[-1]  # WS029 is answered No on 2.3.3
    SecondMarking.objects.create(case=blind, inspector=other_inspector, requested_by=lead)
    url = reverse("casereview:key-question-no", args=[inspection.slug, "2.3.3"])
    client.force_login(other_inspector)
    references = re.findall(r">(WS\d{3})<", client.get(url).content.decode())
    assert blind.reference not in references
    assert len(references) == 29 - PUBLISHED_YES["2.3.3"] - 1
    client.force_login(lead)
    assert blind.reference in client.get(url).content.decode()


def test_the_lead_reaches_the_inspections_other_pages_and_a_filtered_workbook(
    client, lead, viewer, inspection, published
):
    client.force_login(lead)
    html = client.get(dashboard_url(inspection, "rosh=high")).content.decode()
    slug = inspection.slug
    for name in ("moderation", "domain-one-index", "report-draft", "exports"):
        assert f'href="{reverse(f"casereview:{name}", args=[slug])}"' in html
    workbook = reverse("casereview:export-workbook", args=[slug])
    assert f'href="{workbook}?rosh=high">Download the filtered figures' in html
    client.force_login(viewer)
    html = client.get(dashboard_url(inspection)).content.decode()
    assert reverse("casereview:moderation", args=[slug]) not in html
    assert reverse("casereview:report-draft", args=[slug]) in html


def test_a_second_markers_dashboard_leaves_out_the_cases_they_mark_blind(
    client, lead, other_inspector, inspection, published
):
    # Filtering down to the one case would otherwise show its first answers as percentages.
    blind = published[-1]  # WS029: answered No on 2.3.3
    SecondMarking.objects.create(case=blind, inspector=other_inspector, requested_by=lead)
    client.force_login(other_inspector)
    text = text_of(client.get(dashboard_url(inspection)).content.decode())
    assert f"18% ({PUBLISHED_YES['2.3.3']} of 28)" in text
    client.force_login(lead)
    text = text_of(client.get(dashboard_url(inspection)).content.decode())
    assert f"17% ({PUBLISHED_YES['2.3.3']} of 29)" in text


def test_a_second_markers_summary_json_leaves_out_the_cases_they_mark_blind(
    client, lead, other_inspector, inspection, published
):
    blind = published[-1]
    SecondMarking.objects.create(case=blind, inspector=other_inspector, requested_by=lead)
    url = reverse("casereview:summary-json", args=[inspection.slug])
    client.force_login(other_inspector)
    assert client.get(url).json()["cases"] == {"total": 28, "submitted": 28}
    client.force_login(lead)
    assert client.get(url).json()["cases"] == {"total": 29, "submitted": 29}


def test_each_standard_shows_its_statement_as_the_report_does(client, lead, inspection):
    client.force_login(lead)
    html = client.get(reverse("casereview:inspection-dashboard", args=[inspection.slug]))
    standards = Standard.objects.filter(framework=inspection.framework, basis=Basis.CASES)
    assert standards.exists()
    for standard in standards:
        assert standard.statement
        shown = f'<p class="govuk-body" data-statement>{escape(standard.statement)}</p>'
        assert shown in html.content.decode()
