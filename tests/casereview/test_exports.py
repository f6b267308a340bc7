"""Exports: the case answers CSV (import format, streamed, bounded memory) and the data
workbook (XLSX), checked cell by cell against the summary."""

import csv
import gc
import io
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from casereview.attributes import BREAKDOWN_ATTRIBUTES
from casereview.dashboards.documents import summary_document
from casereview.dashboards.summary import inspection_summary
from casereview.demo import load_demo
from casereview.models import (
    Answer,
    Case,
    CaseStatus,
    KeyQuestionAnswer,
    Oversight,
    PromptAnswer,
    RiskOfSeriousHarm,
)
from casereview.moderation.services import case_mark_moderated
from casereview.transfer.csv_format import CASE_COLUMNS as FIXED_COLUMNS
from casereview.transfer.exports import case_csv_lines
from casereview.transfer.importing import import_cases
from casereview.transfer.workbook import inspection_workbook, workbook_bytes
from inspection.models import DomainOneRating, Inspection, KeyQuestion, Prompt, TeamMembership
from tests.casereview.review_helpers import submitted_case
from tests.factories import InspectionFactory
from tests.published import PERCENT as PUBLISHED_PERCENT

pytestmark = pytest.mark.django_db


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def many_cases(inspection, count: int, *, inspector=None, prefix="BULK") -> None:
    """`count` submitted cases with every key question and prompt answered, written in
    bulk (no history) so that thousands are quick to make."""
    key_questions = list(KeyQuestion.objects.filter(standard__framework=inspection.framework))
    prompts = list(Prompt.objects.filter(key_question__standard__framework=inspection.framework))
    cases = Case.objects.bulk_create(
        [
            Case(
                inspection=inspection,
                reference=f"{prefix}-{number:05d}",
                case_type="community" if number % 3 else "licence",
                rosh=RiskOfSeriousHarm.HIGH if number % 4 == 0 else RiskOfSeriousHarm.MEDIUM,
                practitioner_grade="PO" if number % 2 else "PSO",
                inspector=inspector,
                status=CaseStatus.SUBMITTED,
                version=1,
                oversight=Oversight.ABSENT if number % 5 else Oversight.EFFECTIVE,
                oversight_note=f"Oversight note for case {number}",
            )
            for number in range(count)
        ],
        batch_size=500,
    )
    KeyQuestionAnswer.objects.bulk_create(
        (
            KeyQuestionAnswer(
                case=case,
                key_question=kq,
                answer=Answer.YES if (case.pk + kq.pk) % 3 else Answer.NO,
                note=f"Evidence for {kq.code} in {case.reference}: seen in the record.",
            )
            for case in cases
            for kq in key_questions
        ),
        batch_size=2000,
    )
    PromptAnswer.objects.bulk_create(
        (
            PromptAnswer(
                case=case, prompt=prompt, answer=Answer.NO if (case.pk + prompt.pk) % 4 else "na"
            )
            for case in cases
            for prompt in prompts
        ),
        batch_size=2000,
    )


# The case answers CSV ---------------------------------------------------------------


def test_csv_has_one_row_per_case_in_the_import_format(client, inspection, lead, inspector):
    case = submitted_case(
        inspection,
        inspector,
        reference="CSV-1",
        answers={"2.1.3": Answer.NO, "2.4.2": Answer.NOT_APPLICABLE},
        office="Crawley",
    )
    PromptAnswer.objects.create(
        case=case, prompt=Prompt.objects.get(code="2.1.1.a"), answer=Answer.NO
    )
    submitted_case(inspection, None, reference="CSV-2", status=CaseStatus.RETURNED)
    client.force_login(lead)
    response = client.get(reverse("casereview:export-cases-csv", args=[inspection.slug]))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="test-pdu-2024-cases.csv"' in response["Content-Disposition"]
    text = csv_text(response)
    header = next(csv.reader(io.StringIO(text)))
    assert header[: len(FIXED_COLUMNS)] == list(FIXED_COLUMNS)
    # Each key question follows its prompts; 16 key questions and 44 prompts.
    assert header[len(FIXED_COLUMNS) : len(FIXED_COLUMNS) + 4] == [
        "2.1.1.a",
        "2.1.1.b",
        "2.1.1.c",
        "2.1.1",
    ]
    assert len(header) == len(FIXED_COLUMNS) + 16 + 44
    assert not any(name.endswith(" note") for name in header)
    first, second = csv_rows(text)
    assert (first["reference"], first["inspector"], first["status"]) == (
        "CSV-1",
        "inspector-user",
        "submitted",
    )
    assert (first["2.1.1"], first["2.1.3"], first["2.4.2"], first["2.5.1"]) == (
        "Yes",
        "No",
        "N/A",
        "",
    )
    assert (first["2.1.1.a"], first["2.1.1.b"]) == ("No", "")
    assert (first["case_type"], first["rosh"], first["office"], first["oversight"]) == (
        "community",
        "medium",
        "Crawley",
        "effective",
    )
    # The import knows two statuses: a returned case is not counted, so in progress.
    assert (second["reference"], second["status"], second["inspector"]) == (
        "CSV-2",
        "in_progress",
        "",
    )


def test_notes_only_when_asked(client, inspection, lead, inspector):
    submitted_case(inspection, inspector, reference="N-1", note='A note, with "quotes"')
    client.force_login(lead)
    url = reverse("casereview:export-cases-csv", args=[inspection.slug])
    assert "A note" not in csv_text(client.get(url))
    response = client.get(url + "?notes=1")
    assert "with-notes" in response["Content-Disposition"]
    (row,) = csv_rows(csv_text(response))
    assert row["2.1.1 note"] == 'A note, with "quotes" (N-1 2.1.1)'
    assert "oversight note" in row


@pytest.mark.parametrize(
    ("who", "status"), [("inspector", 403), ("viewer", 403), ("outsider", 404)]
)
def test_only_the_lead_exports_case_answers(client, inspection, request, who, status):
    client.force_login(request.getfixturevalue(who))
    url = reverse("casereview:export-cases-csv", args=[inspection.slug])
    assert client.get(url).status_code == status
    assert client.get(url + "?notes=1").status_code == status


def test_round_trip_of_the_demo_through_csv_gives_the_same_summary(settings):
    settings.DEBUG = True
    load_demo()
    demo = Inspection.objects.get(slug="west-sussex-2023")
    text = "".join(case_csv_lines(inspection=demo, notes=True))
    copy = InspectionFactory(slug="round-trip", framework=demo.framework)
    for membership in TeamMembership.objects.filter(inspection=demo):
        TeamMembership.objects.create(inspection=copy, user=membership.user, role=membership.role)
    # Domain one is the lead's judgement, not case data: carried over by hand.
    for rating in DomainOneRating.objects.filter(inspection=demo):
        DomainOneRating.objects.create(
            inspection=copy, standard=rating.standard, rating=rating.rating
        )

    result = import_cases(inspection=copy, data=text.encode("utf-8"))

    assert result.created == 29
    original = summary_document(inspection_summary(inspection=demo))
    copied = summary_document(inspection_summary(inspection=copy))
    for key in ("inspection", "unit", "region"):
        assert original.pop(key) != copied.pop(key)
    assert copied == original
    assert copied["overall"] == {
        "score": 2,
        "max": 21,
        "rating": "inadequate",
        "complete": True,
        "holds_by": None,
    }
    # The notes came across too.
    assert (
        "".join(case_csv_lines(inspection=copy, notes=True)).split("\n")[1:]
        == (text.split("\n")[1:])
    )


def test_csv_queries_are_the_same_for_10_and_1000_cases(inspection, inspector):
    def count(notes: bool) -> int:
        with CaptureQueriesContext(connection) as queries:
            rows = sum(1 for _ in case_csv_lines(inspection=inspection, notes=notes))
        return len(queries), rows

    many_cases(inspection, 10, inspector=inspector)
    few = count(False), count(True)
    many_cases(inspection, 990, inspector=inspector, prefix="MORE")
    many = count(False), count(True)
    assert [queries for queries, _ in few] == [queries for queries, _ in many] == [4, 4]
    assert [rows for _, rows in many] == [1002, 1002]  # byte order mark, header, cases


def peak_memory(inspection) -> tuple[int, int]:
    """Peak memory while streaming the whole CSV with notes, and the CSV's size."""
    gc.collect()
    tracemalloc.start()
    try:
        size = sum(len(line) for line in case_csv_lines(inspection=inspection, notes=True))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, size


def test_streaming_the_csv_takes_bounded_memory(inspection, inspector):
    many_cases(inspection, 500, inspector=inspector)
    small_peak, small_size = peak_memory(inspection)
    many_cases(inspection, 2000, inspector=inspector, prefix="MORE")
    peak, size = peak_memory(inspection)
    assert size > 4.9 * small_size
    # Five times the cases and the file, yet the memory used stays that of a chunk or
    # two of rows: it does not grow with the number of cases.
    assert peak < 1.2 * small_peak
    assert peak < size
    assert peak < 4_000_000


# The data workbook ------------------------------------------------------------------


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    load_demo()
    return Inspection.objects.get(slug="west-sussex-2023")


def test_workbook_matches_the_summary_cell_by_cell(demo):
    workbook = load_workbook(io.BytesIO(workbook_bytes(inspection_workbook(inspection=demo))))
    summary = inspection_summary(inspection=demo)
    assert workbook.sheetnames == [
        "About",
        "Ratings",
        "Key questions",
        "Prompts",
        "Breakdowns",
        "Case sample profile",
        "Oversight and outcomes",
    ]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.bold for cell in sheet[1] if cell.value is not None)

    about = {row[0]: row[1] for row in workbook["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Framework"].startswith("probation-2023")
    assert about["Filters applied"] == "None: every case"
    assert about["Cases in the sample"] == 29
    assert about["Fieldwork started"].date().isoformat() == "2023-12-04"

    ratings = list(workbook["Ratings"].iter_rows(min_row=2, values_only=True))
    assert len(ratings) == 8
    for row, standard in zip(ratings, summary.standards, strict=False):
        assert row[:2] == (standard.code, standard.title)
        assert row[3] == standard.rating_label
        assert row[4] == standard.score
        assert isinstance(row[4], int)
    assert ratings[-1][1:] == ("Overall", None, "Inadequate", 2, 21)

    sheet = workbook["Key questions"]
    rows = list(sheet.iter_rows(min_row=2))
    expected = [kq for s in summary.standards for kq in s.key_questions]
    assert len(rows) == len(expected) == 12
    for cells, figures in zip(rows, expected, strict=True):
        values = [cell.value for cell in cells]
        assert values[1:8] == [
            figures.code,
            figures.text,
            figures.yes,
            figures.no,
            figures.not_applicable,
            figures.relevant,
            figures.percent / 100,
        ]
        assert cells[7].number_format == "0%"
        assert values[8] == ("Yes" if figures.is_driving else None)
    published = {row[1].value: round(row[7].value * 100) for row in rows}
    assert published == PUBLISHED_PERCENT

    prompts = list(workbook["Prompts"].iter_rows(min_row=2, values_only=True))
    assert len(prompts) == 44
    for _, code, _, yes, no, relevant, percent in prompts:
        assert relevant == yes + no
        assert percent == (None if not relevant else (200 * yes + relevant) // (2 * relevant) / 100)
        assert code.count(".") == 3

    oversight = {
        row[0]: row[2:]
        for row in workbook["Oversight and outcomes"].iter_rows(min_row=2, values_only=True)
    }
    figures = summary.oversight
    assert oversight["Management oversight: absent or ineffective"] == (
        figures.absent_or_ineffective,
        figures.required,
        figures.percent_absent_or_ineffective / 100,
    )
    assert figures.percent_absent_or_ineffective == 90
    outcomes = {kq.text: kq for s in summary.reported for kq in s.key_questions}
    for text, kq in outcomes.items():
        assert oversight[text][:2] == (kq.yes, kq.relevant)

    breakdowns = list(workbook["Breakdowns"].iter_rows(min_row=2, values_only=True))
    licence = [row for row in breakdowns if row[:2] == ("Case type", "Release on licence")]
    assert len(licence) == 12 and licence[0][2] == 11
    community = [row for row in breakdowns if row[:2] == ("Case type", "Community sentence")]
    for (*_, yes_c, rel_c, _, _), (*_, yes_l, rel_l, _, _), kq in zip(
        community, licence, expected, strict=True
    ):
        assert (yes_c + yes_l, rel_c + rel_l) == (kq.yes, kq.relevant)
    # All six breakdowns, as on the dashboard.
    assert {row[0] for row in breakdowns} == {a.label for a in BREAKDOWN_ATTRIBUTES}
    assert len(BREAKDOWN_ATTRIBUTES) == 6
    for row in breakdowns:
        small = row[2] < 5
        assert (row[7] == "Treat with caution: fewer than 5 cases") is small, row

    profile = list(workbook["Case sample profile"].iter_rows(min_row=2, values_only=True))
    case_types = {row[1]: row[2] for row in profile if row[0] == "Case type"}
    assert case_types == {"Community sentence": 18, "Release on licence": 11}
    rosh = {row[1]: row[2] for row in profile if row[0] == "Risk of serious harm"}
    assert (rosh["High"], rosh["Medium"]) == (8, 18)


def test_workbook_tables_filter_and_print_landscape_to_the_page_width(demo):
    workbook = load_workbook(io.BytesIO(workbook_bytes(inspection_workbook(inspection=demo))))
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title  # the header row, repeated
        if sheet.title != "About":  # several small tables, none to filter
            assert sheet.auto_filter.ref == sheet.dimensions, sheet.title
            assert sheet.auto_filter.ref.startswith("A1:"), sheet.title


def test_viewer_downloads_the_workbook_with_the_filters_it_shows(client, demo):
    viewer = demo.viewer_grants.get().user
    lead = demo.memberships.get(role="lead").user
    case_mark_moderated(case=Case.objects.filter(inspection=demo).first(), user=lead)
    client.force_login(viewer)
    url = reverse("casereview:export-workbook", args=[demo.slug])
    response = client.get(url + "?moderated=on")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Filters applied"] == "Cases: Moderated only"
    assert about["Cases counted (submitted or moderated)"] == 1


def test_outsider_gets_404_for_the_workbook_and_exports_page(client, inspection, outsider):
    client.force_login(outsider)
    assert (
        client.get(reverse("casereview:export-workbook", args=[inspection.slug])).status_code == 404
    )
    assert client.get(reverse("casereview:exports", args=[inspection.slug])).status_code == 404


def test_exports_page_offers_the_case_answers_to_the_lead_only(client, inspection, lead, viewer):
    csv_url = reverse("casereview:export-cases-csv", args=[inspection.slug])
    client.force_login(lead)
    assert (
        csv_url
        in client.get(reverse("casereview:exports", args=[inspection.slug])).content.decode()
    )
    client.force_login(viewer)
    html = client.get(reverse("casereview:exports", args=[inspection.slug])).content.decode()
    assert csv_url not in html
    assert reverse("casereview:export-workbook", args=[inspection.slug]) in html


def test_workbook_queries_are_the_same_for_10_and_1000_cases(client, inspection, lead, inspector):
    url = reverse("casereview:export-workbook", args=[inspection.slug])
    client.force_login(lead)
    many_cases(inspection, 10, inspector=inspector)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    many_cases(inspection, 990, inspector=inspector, prefix="MORE")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_text_that_looks_like_a_formula_stays_text(inspection, lead):
    inspection.unit.name = '=HYPERLINK("http://example.com")'
    inspection.unit.save()
    workbook = load_workbook(io.BytesIO(workbook_bytes(inspection_workbook(inspection=inspection))))
    cell = workbook["About"]["B3"]
    assert cell.value == inspection.unit.name
    assert cell.data_type == "s"


def test_the_exports_page_names_the_configured_protective_marking(
    client, inspection, lead, settings
):
    settings.PROTECTIVE_MARKING = "OFFICIAL"
    client.force_login(lead)
    html = client.get(reverse("casereview:exports", args=[inspection.slug])).content.decode()
    assert "Handle it as OFFICIAL." in html and "Handle it as OFFICIAL-SENSITIVE" not in html
