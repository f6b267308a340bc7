"""Dates in every filter are GOV.UK date inputs (day, month, year), and the single
`name=YYYY-MM-DD` of older addresses still works: on the dashboard, the overview, the set
dashboard and the documented `summary.json?from=…&to=…`."""

import datetime
import re
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from casereview.models import Answer, CaseStatus
from tests.casereview.dashboard_data import answer
from tests.factories import CaseFactory, InspectionFactory

pytestmark = pytest.mark.django_db

STARTS = ["2023-01-10", "2023-02-10", "2023-03-10", "2023-04-10"]


def parts(name: str, iso: str) -> dict[str, str]:
    year, month, day = iso.split("-")
    return {f"{name}-day": str(int(day)), f"{name}-month": str(int(month)), f"{name}-year": year}


@pytest.fixture
def dated_cases(inspection):
    for start in STARTS:
        case = CaseFactory(
            inspection=inspection,
            status=CaseStatus.SUBMITTED,
            sentence_start=datetime.date.fromisoformat(start),
        )
        answer(case, "2.1.1", Answer.YES)
    return inspection


def dashboard(client, inspection, query):
    url = reverse("casereview:inspection-dashboard", args=[inspection.slug])
    response = client.get(url, query)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    "query",
    [
        {"sentence_from": "2023-02-01", "sentence_to": "2023-03-31"},
        {**parts("sentence_from", "2023-02-01"), **parts("sentence_to", "2023-03-31")},
        {"sentence_from": "2023-02-01", **parts("sentence_to", "2023-03-31")},
    ],
    ids=["single-values", "date-inputs", "mixed"],
)
def test_the_dashboard_reads_both_forms_of_a_date(client, lead, dated_cases, query):
    client.force_login(lead)
    response = dashboard(client, dated_cases, query)
    assert response.context["summary"].cases.total == 2
    html = response.content.decode()
    # The fields show the date in parts, whichever form it came in.
    for name, (day, month, year) in (
        ("sentence_from", (1, 2, 2023)),
        ("sentence_to", (31, 3, 2023)),
    ):
        assert f'name="{name}-day" type="text" value="{day}"' in html
        assert f'name="{name}-month" type="text" value="{month}"' in html
        assert f'name="{name}-year" type="text" value="{year}"' in html
    assert 'type="date"' not in html
    # Links the page builds carry the dates as single values (short, and stable).
    assert response.context["query"] == "sentence_from=2023-02-01&sentence_to=2023-03-31"


def test_a_filter_tag_removes_the_whole_date(client, lead, dated_cases):
    client.force_login(lead)
    query = {**parts("sentence_from", "2023-02-01"), "sentence_to": "2023-03-31"}
    active = dashboard(client, dated_cases, query).context["active_filters"]
    by_label = {item.label: parse_qs(item.remove_query) for item in active}
    assert by_label["Sentence or licence start from"] == {"sentence_to": ["2023-03-31"]}
    assert by_label["Sentence or licence start to"] == {
        key: [value] for key, value in parts("sentence_from", "2023-02-01").items()
    }
    # Following the tag drops the date and keeps the other.
    remaining = parse_qs(active[0].remove_query)
    assert dashboard(client, dated_cases, remaining).context["summary"].cases.total == 3


@pytest.mark.parametrize(
    ("query", "message", "anchor"),
    [
        (
            {"sentence_from-day": "1", "sentence_from-year": "2023"},
            "The sentence start &#x27;from&#x27; date must include a month",
            "id_sentence_from-month",
        ),
        (
            {"sentence_to-day": "", "sentence_to-month": "", "sentence_to-year": "2023"},
            "The sentence start &#x27;to&#x27; date must include a day and month",
            "id_sentence_to-day",
        ),
        (
            parts("sentence_from", "2023-02-30"),
            "The sentence start &#x27;from&#x27; date must be a real date",
            "id_sentence_from-day",
        ),
        (
            {"sentence_to": "2023-13-01"},
            "The sentence start &#x27;to&#x27; date must be a real date",
            "id_sentence_to-day",
        ),
        (
            {**parts("sentence_from", "2023-03-01"), **parts("sentence_to", "2023-02-01")},
            "The &#x27;to&#x27; date must be the same as or after the &#x27;from&#x27; date",
            "id_sentence_to-day",
        ),
    ],
)
def test_a_bad_date_is_reported_beside_its_fields_and_in_the_summary(
    client, lead, dated_cases, query, message, anchor
):
    client.force_login(lead)
    response = dashboard(client, dated_cases, query)
    html = response.content.decode()
    start = html.index("govuk-error-summary")
    summary = html[start : html.index("</ul>", start)]
    assert f'<a href="#{anchor}">{message}</a>' in summary
    field = anchor.removeprefix("id_").split("-")[0]
    beside = html[html.index(f'id="id_{field}-error"') :]
    assert message in beside[: beside.index("</p>")]
    assert re.search(rf'govuk-input--error" id="{anchor}"', html)
    # The bad date is left out of the figures.
    assert field not in response.context["form"].applied


@pytest.fixture
def fieldwork(inspection):
    """The conftest inspection and one in 2024 in the same region."""
    inspection.fieldwork_start = datetime.date(2023, 5, 1)
    inspection.save()
    later = InspectionFactory(
        slug="later-2024",
        unit__name="Later PDU",
        unit__region=inspection.unit.region,
        fieldwork_start=datetime.date(2024, 3, 4),
    )
    return inspection, later


def shown(response) -> list[str]:
    return re.findall(r'data-inspection="([^"]+)"', response.content.decode())


def test_the_overview_reads_both_forms_of_a_date(client, admin_user, fieldwork):
    client.force_login(admin_user)
    url = reverse("casereview:overview")
    single = client.get(url, {"fieldwork_from": "2024-01-01"})
    fields = client.get(url, parts("fieldwork_from", "2024-01-01"))
    assert shown(single) == shown(fields) == ["later-2024"]
    html = fields.content.decode()
    assert 'name="fieldwork_from-month" type="text" value="1"' in html
    incomplete = client.get(url, {"fieldwork_to-month": "3", "fieldwork_to-year": "2024"})
    assert "The fieldwork &#x27;to&#x27; date must include a day" in incomplete.content.decode()


def test_the_set_dashboard_reads_both_forms_of_a_date(client, admin_user, fieldwork):
    client.force_login(admin_user)
    url = reverse("casereview:set-dashboard")
    for query in ({"fieldwork_to": "2023-12-31"}, parts("fieldwork_to", "2023-12-31")):
        response = client.get(url, query)
        assert response.status_code == 200
        assert [i.slug for i in response.context["inspection_set"].inspections] == [
            fieldwork[0].slug
        ]


def test_summary_json_keeps_its_from_and_to_interface(client, admin_user, fieldwork):
    client.force_login(admin_user)
    url = reverse("casereview:set-summary-json")
    documented = client.get(url, {"from": "2024-01-01", "to": "2024-12-31"})
    assert documented.status_code == 200
    assert documented.json()["inspections"] == ["later-2024"]
    # The overview's own names, in either form, pick the same set.
    for query in (
        {"fieldwork_from": "2024-01-01", "fieldwork_to": "2024-12-31"},
        {**parts("fieldwork_from", "2024-01-01"), **parts("fieldwork_to", "2024-12-31")},
    ):
        assert client.get(url, query).json() == documented.json()
    refused = client.get(url, {"from": "2024-02-30"})
    assert refused.status_code == 400
    assert refused.json() == {
        "errors": {"fieldwork_from": ["The fieldwork 'from' date must be a real date"]}
    }
