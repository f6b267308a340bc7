"""A set of inspections read as one: its figures are the union of its inspections'
counted cases (never a mean of their percentages), in a fixed number of queries, and
a viewer sees only the sets of what they were granted."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casereview.dashboards.sets import region_set, set_summary
from casereview.dashboards.sets_views import TABS
from casereview.dashboards.summary import countable_cases, key_question_counts
from casereview.models import Answer, CaseStatus, KeyQuestionAnswer, SavedSet
from dataset import DatasetGenerator
from inspection import ratings
from inspection.models import Basis, KeyQuestion, Region, ViewerGrant
from tests.factories import CaseFactory, InspectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def fill(inspection, count, seed=1):
    generator = DatasetGenerator(framework=inspection.framework, prefix=inspection.slug, seed=seed)
    generator.add_cases(inspection, count, team=[])


def answered(inspection, answer, number, **attributes):
    key_questions = list(KeyQuestion.objects.filter(standard__framework=inspection.framework))
    for _ in range(number):
        case = CaseFactory(inspection=inspection, status=CaseStatus.SUBMITTED, **attributes)
        KeyQuestionAnswer.objects.bulk_create(
            KeyQuestionAnswer(case=case, key_question=kq, answer=answer) for kq in key_questions
        )


def union_figures(inspections):
    """Yes and relevant per key question code, from the answers of every counted case."""
    cases = countable_cases(user=None).filter(inspection__in=inspections)
    codes = dict(KeyQuestion.objects.values_list("pk", "code"))
    return {
        codes[kq_id]: (row["yes"], row["yes"] + row["no"])
        for kq_id, row in key_question_counts(cases=cases).items()
    }


@pytest.fixture
def south(db):
    """Two South inspections of very different sizes, one North one."""
    big = InspectionFactory(
        slug="south-big",
        unit__name="South A",
        unit__region__name="South",
        fieldwork_start=datetime.date(2023, 2, 6),
    )
    small = InspectionFactory(
        slug="south-small",
        unit__name="South B",
        unit__region__name="South",
        fieldwork_start=datetime.date(2024, 5, 13),
    )
    north = InspectionFactory(
        slug="north",
        unit__name="North A",
        unit__region__name="North",
        fieldwork_start=datetime.date(2024, 1, 8),
    )
    answered(big, Answer.YES, 9)
    answered(big, Answer.NO, 1)
    answered(small, Answer.NO, 5)
    answered(north, Answer.YES, 6)
    return big, small, north


def document_figures(document):
    return {
        kq["code"]: (kq["yes"], kq["relevant"])
        for standard in document["standards"]
        for kq in standard.get("key_questions", [])
    }


def summary_figures(summary):
    return {
        kq.code: (kq.yes, kq.relevant)
        for standard in summary.standards + summary.reported
        for kq in standard.key_questions
    }


def test_a_regions_figures_are_the_union_of_its_cases_not_a_mean_of_percentages(south):
    big, small, _ = south
    summary = set_summary(inspection_set=region_set(name="South"), user=None)
    union = union_figures([big, small])
    assert {code: summary_figures(summary)[code] for code in union} == union
    kq = summary.standards[-1].key_questions[0]
    # 9 Yes of 15 is 60%; the mean of 90% and 0% would be 45%.
    assert (kq.yes, kq.relevant, kq.percent) == (9, 15, 60)
    assert summary.cases.counted == 15
    assert [row.inspection.slug for row in summary.by_inspection] == ["south-big", "south-small"]


@pytest.mark.parametrize("tab", TABS, ids=lambda tab: tab.key)
def test_every_page_of_a_set_counts_the_union_of_its_cases_and_only_what_it_shows(south, tab):
    """Each page asks for its own parts: the set's figures are the same whether they are
    the sum of each inspection's tallies or counted directly."""
    big, small, _ = south
    summary = set_summary(inspection_set=region_set(name="South"), user=None, parts=tab.parts)
    union = union_figures([big, small])
    assert {code: summary_figures(summary)[code] for code in union} == union
    assert summary.cases.counted == 15 and len(summary.inspections) == 2
    assert bool(summary.by_inspection) == tab.parts.rows
    assert bool(summary.by_year) == bool(summary.by_quarter) == tab.parts.trend
    assert bool(summary.by_pdu) == tab.parts.by_pdu
    if tab.parts.by_pdu:
        assert summary.by_pdu["South A"][0] == 10 and summary.by_pdu["South B"][0] == 5
    counted_apart = tab.parts.per_inspection or bool(tab.parts.breakdown_fields)
    assert (summary.tallies is not None) == counted_apart


def test_a_set_has_no_rating_for_domain_one_and_says_so(client, admin_user, south):
    client.force_login(admin_user)
    document = client.get(reverse("casereview:set-summary-json"), {"region": "South"}).json()
    judgement = [s for s in document["standards"] if s["basis"] == Basis.JUDGEMENT]
    assert judgement and all(
        s["rating"] is None and "No set-level value" in s["note"] for s in judgement
    )
    assert document["overall"]["score"] is None
    assert "No rating for a set" in document["overall"]["note"]


def test_overview_summary_json_takes_region_by_name_and_dates(client, admin_user, south):
    client.force_login(admin_user)
    url = reverse("casereview:set-summary-json")
    document = client.get(url, {"region": "South", "from": "2024-01-01"}).json()
    assert document["inspections"] == ["south-small"]
    assert document["cases"] == {"total": 5, "submitted": 5}
    assert [row["inspection"] for row in document["by_inspection"]] == ["south-small"]
    assert document_figures(document) == {
        code: figures
        for code, figures in union_figures([south[1]]).items()
        if code in document_figures(document)
    }
    national = client.get(url).json()
    assert set(national["inspections"]) == {"south-big", "south-small", "north"}
    assert national["cases"]["submitted"] == 21


def test_bad_input_is_a_clear_400_not_a_500(client, admin_user, south):
    client.force_login(admin_user)
    url = reverse("casereview:set-summary-json")
    response = client.get(url, {"region": "Atlantis"})
    assert response.status_code == 400
    assert response.json()["errors"]["region"] == ["Select a region from the list"]
    response = client.get(url, {"from": "2024-13-01"})
    assert (
        response.status_code == 400
        and "real date" in response.json()["errors"]["fieldwork_from"][0]
    )


def test_a_viewer_with_a_region_grant_sees_that_regions_set_and_nothing_else(client, south):
    big, small, north = south
    viewer = UserFactory(username="south-viewer")
    ViewerGrant.objects.create(user=viewer, region=Region.objects.get(name="South"))
    client.force_login(viewer)
    url = reverse("casereview:set-summary-json")
    document = client.get(url, {"region": "South"}).json()
    assert document["inspections"] == ["south-big", "south-small"]
    assert document_figures(document)["2.1.1"] == (9, 15)
    # The nation, for them, is what they may see: the North inspection is not in it.
    assert client.get(url).json()["inspections"] == ["south-big", "south-small"]
    refused = client.get(url, {"region": "North"})
    assert refused.status_code == 400 and b"north" not in refused.content.lower().replace(
        b"region", b""
    )
    everywhere = SavedSet.objects.create(slug="all-pdus", name="All PDUs")
    everywhere.inspections.set([big, small, north])
    southern = SavedSet.objects.create(slug="southern", name="Southern PDUs")
    southern.inspections.set([big, small])
    assert (
        client.get(reverse("casereview:saved-set-summary-json", args=["all-pdus"])).status_code
        == 404
    )
    saved = client.get(reverse("casereview:saved-set-summary-json", args=["southern"])).json()
    assert saved["slug"] == "southern" and saved["inspections"] == ["south-big", "south-small"]


def test_a_viewer_reads_no_figure_of_a_set_over_fewer_than_5_cases(client, db):
    few = InspectionFactory(slug="few", unit__region__name="Tiny")
    answered(few, Answer.YES, 3)
    viewer = UserFactory(username="tiny-viewer")
    ViewerGrant.objects.create(user=viewer, region=Region.objects.get(name="Tiny"))
    client.force_login(viewer)
    document = client.get(reverse("casereview:set-summary-json"), {"region": "Tiny"}).json()
    assert set(document_figures(document).values()) == {(None, None)}
    assert document["by_inspection"][0]["score"] is None


def test_the_trend_buckets_add_up_each_years_and_quarters_cases(south):
    summary = set_summary(inspection_set=region_set(name="South"), user=None)
    assert [(p.period, p.inspections, p.cases) for p in summary.by_year] == [
        ("2023", 1, 10),
        ("2024", 1, 5),
    ]
    assert [p.period for p in summary.by_quarter] == ["2023 Q1", "2024 Q2"]
    first = summary.by_year[0].standards[0].key_questions[0]
    assert (first.yes, first.relevant) == (9, 10)
    assert ratings.percent(first.yes, first.relevant) == 90


def test_the_summary_command_prints_the_same_document(client, admin_user, south):
    out = io.StringIO()
    call_command("summary", region="South", start="2023-01-01", as_json=True, stdout=out)
    printed = json.loads(out.getvalue())
    client.force_login(admin_user)
    served = client.get(
        reverse("casereview:set-summary-json"), {"region": "South", "from": "2023-01-01"}
    ).json()
    assert printed["inspections"] == served["inspections"] == ["south-big", "south-small"]
    assert document_figures(printed) == document_figures(served)
    table = io.StringIO()
    call_command("summary", region="South", stdout=table)
    assert "60% (9 of 15)" in table.getvalue()


def test_the_summary_command_reports_an_unknown_region_in_one_line():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no region Atlantis"):
        call_command("summary", region="Atlantis")


def test_the_set_dashboard_compares_pdus_against_the_sets_own_figures(client, admin_user, south):
    client.force_login(admin_user)
    pages = {}
    for name in ("set-dashboard", "set-breakdowns", "set-pdus", "set-trends"):
        response = client.get(reverse(f"casereview:{name}"), {"region": "South"})
        assert response.status_code == 200
        pages[name] = response.content.decode()
    figures, breakdowns = pages["set-dashboard"], pages["set-breakdowns"]
    pdus, trends = pages["set-pdus"], pages["set-trends"]
    assert "South" in figures and "60% (9 of 15)" in figures
    assert "No set-level value" in figures and "No rating for a set" in figures
    # The breakdowns, the comparison and the trend each on a page of their own.
    assert "data-breakdown=" not in figures
    assert "data-inspection=" not in figures and "data-trend-standards" not in figures
    assert "data-inspection=" not in breakdowns and "data-trend-standards" not in breakdowns
    by_pdu = breakdowns.split('data-breakdown="inspection__unit__name"')[1].split("</details>")[0]
    assert "9 of 10" in by_pdu and "0 of 5" in by_pdu  # each PDU's own
    assert '<span class="govuk-details__summary-text">By PDU</span>' in by_pdu
    assert '"govuk-details__summary-text">By risk of serious harm</span>' in breakdowns
    assert 'data-breakdown="case_type"' in breakdowns
    assert "data-prompt" not in breakdowns
    assert "60% (9 of 15)" in pdus
    big = pdus.split('data-inspection="south-big"')[1].split("</tr>")[0]
    small = pdus.split('data-inspection="south-small"')[1].split("</tr>")[0]
    assert "90% (9 of 10)" in big and "data-below" not in big
    assert "0% (0 of 5)" in small and "Below the set" in small
    assert 'data-module="moj-sortable-table"' in pdus
    assert 'data-period="2023"' in trends and 'data-period="2024"' in trends
    standards_trend = trends.split("data-trend-standards")[1].split("</table>")[0]
    assert '<th scope="row" class="govuk-table__header app-table__row-header">2023</th>' in (
        standards_trend
    )


def test_the_pages_of_a_set_link_to_each_other_keeping_the_filters(client, admin_user, south):
    client.force_login(admin_user)
    query = {"region": "South", "case_type": "licence"}
    body = client.get(reverse("casereview:set-pdus"), query).content.decode()
    navigation = body.split("data-set-pages")[1].split("</nav>")[0]
    for name, label in (
        ("set-dashboard", "Figures"),
        ("set-breakdowns", "Breakdowns"),
        ("set-pdus", "Compare PDUs"),
        ("set-trends", "Trends"),
    ):
        current = ' aria-current="page"' if name == "set-pdus" else ""
        url = f"{reverse(f'casereview:{name}')}?region=South&amp;case_type=licence"
        assert f'href="{url}"{current}>{label}</a>' in navigation
    assert "<title>Compare PDUs: South" in body
    saved = SavedSet.objects.create(slug="south-pdus", name="South PDUs")
    saved.inspections.set([south[0], south[1]])
    body = client.get(reverse("casereview:saved-set-trends", args=[saved.slug])).content.decode()
    navigation = body.split("data-set-pages")[1].split("</nav>")[0]
    assert f'href="{reverse("casereview:saved-set-dashboard", args=[saved.slug])}"' in navigation
    assert 'aria-current="page">Trends</a>' in navigation


def test_the_set_dashboard_reports_bad_filters_and_keeps_the_rest(client, admin_user, south):
    client.force_login(admin_user)
    response = client.get(
        reverse("casereview:set-dashboard"), {"region": "South", "fieldwork_to": "2023-13-40"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and "real date" in body
    # Kept as given, in the date input's day, month and year fields.
    for part, value in (("day", "40"), ("month", "13"), ("year", "2023")):
        assert f'name="fieldwork_to-{part}" type="text" value="{value}"' in body


def test_a_filtered_set_is_not_a_rating(client, admin_user, south):
    client.force_login(admin_user)
    body = client.get(
        reverse("casereview:set-dashboard"), {"region": "South", "case_type": "licence"}
    ).content.decode()
    assert "Not a rating: figures for a filtered subset" in body


SET_URLS = {
    "set workbook": lambda: (reverse("casereview:set-workbook"), {"region": "Region 1"}),
    "set dashboard": lambda: (reverse("casereview:set-dashboard"), {"region": "Region 1"}),
    "saved set dashboard": lambda: (
        reverse("casereview:saved-set-dashboard", args=["every-one"]),
        {},
    ),
    "set breakdowns": lambda: (reverse("casereview:set-breakdowns"), {"region": "Region 1"}),
    "set PDU comparison": lambda: (reverse("casereview:set-pdus"), {"region": "Region 1"}),
    "saved set trends": lambda: (
        reverse("casereview:saved-set-trends", args=["every-one"]),
        {},
    ),
    "set summary.json": lambda: (reverse("casereview:set-summary-json"), {"region": "Region 1"}),
    "saved set summary.json": lambda: (
        reverse("casereview:saved-set-summary-json", args=["every-one"]),
        {},
    ),
}


def test_set_pages_make_the_same_queries_for_2_and_40_inspections(client, admin_user):
    every = SavedSet.objects.create(slug="every-one", name="Every one")

    def make(number, cases):
        inspection = InspectionFactory(
            slug=f"set-{number}",
            unit__region__name=f"Region {number % 2}",
            fieldwork_start=datetime.date(2023, 1, 1) + datetime.timedelta(days=40 * number),
        )
        fill(inspection, cases, seed=number)
        every.inspections.add(inspection)

    def counts():
        client.force_login(admin_user)
        found = {}
        for name, address in SET_URLS.items():
            url, data = address()
            client.get(url, data)
            with CaptureQueriesContext(connection) as context:
                assert client.get(url, data).status_code == 200
            found[name] = len(context.captured_queries)
        return found

    for number in range(2):
        make(number, 5)
    few = counts()
    for number in range(2, 40):
        make(number, 3)
    assert counts() == few
    make(40, 1000)  # and 1,000 cases in one of them
    assert counts() == few


def test_the_set_workbook_streams_the_sets_sheets(client, admin_user, south):
    from openpyxl import load_workbook

    client.force_login(admin_user)
    response = client.get(reverse("casereview:set-workbook"), {"region": "South"})
    assert response.status_code == 200 and response.streaming
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert {
        "About",
        "Ratings",
        "Key questions",
        "Prompts",
        "Breakdowns",
        "PDU comparison",
        "Trend",
    } <= set(book.sheetnames)
    rows = list(book["PDU comparison"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["Set", "south-big", "south-small"]
    header = next(book["PDU comparison"].iter_rows(max_row=1, values_only=True))
    yes, relevant, below = (
        header.index(f"2.1.1 {name}") for name in ("Yes", "relevant", "below set")
    )
    assert (rows[0][yes], rows[0][relevant]) == (9, 15)
    assert (rows[2][yes], rows[2][relevant], rows[2][below]) == (0, 5, "Below")
    groups = {
        row[1]
        for row in book["Breakdowns"].iter_rows(min_row=2, values_only=True)
        if row[0] == "PDU"
    }
    assert groups == {"South A", "South B"}


def test_the_breakdown_by_pdu_agrees_with_grouping_the_answers_by_pdu(south):
    from casereview.dashboards.breakdowns import (
        case_breakdowns,
        framework_key_questions,
        rated_key_questions,
    )
    from casereview.dashboards.sets import set_cases
    from casereview.dashboards.sets_views import PDU, pdu_breakdown

    inspection_set = region_set(name="South")
    summary = set_summary(inspection_set=inspection_set, user=None)
    key_questions = rated_key_questions(framework_key_questions(framework_id=summary.framework.pk))
    (grouped,) = case_breakdowns(
        cases=set_cases(inspection_set, user=None), key_questions=key_questions, attributes=(PDU,)
    )

    def cells(breakdown):
        return {
            group.label: (group.cases, [(c.yes, c.no) for c in group.cells])
            for group in breakdown.groups
        }

    assert cells(pdu_breakdown(summary, key_questions)) == cells(grouped)
    assert set(cells(grouped)) == {"South A", "South B"}
