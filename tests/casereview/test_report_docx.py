"""The report draft as a Word document, read back with python-docx: the same figures,
sentences and marking as the page, for the same readers."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from casereview.demo import load_demo
from inspection.models import Basis, Inspection, InspectionStatus, KeyQuestion
from tests.factories import CaseFactory
from tests.published import PERCENT as PUBLISHED_PERCENT
from tests.published import RATING_TEXT as PUBLISHED_RATINGS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()
    return Inspection.objects.get(slug="west-sussex-2023")


def _docx(client, inspection):
    response = client.get(reverse("casereview:report-draft-docx", args=[inspection.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert f"{inspection.slug}-report-draft.docx" in response["Content-Disposition"]
    return Document(io.BytesIO(response.content))


def _rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def _bold(row) -> bool:
    runs = [run for cell in row.cells for paragraph in cell.paragraphs for run in paragraph.runs]
    return bool(runs) and all(run.bold for run in runs)


def _header_text(document) -> str:
    return "\n".join(p.text for p in document.sections[0].header.paragraphs)


def test_the_demo_draft_in_word_says_what_the_published_report_says(client, demo):
    client.force_login(demo.memberships.get(role="lead").user)
    document = _docx(client, demo)
    text = "\n".join(p.text for p in document.paragraphs)
    ratings, *tables = document.tables

    rows = _rows(ratings)
    assert ["", "Score", "02/21"] in rows
    assert ["", "Overall rating", "Inadequate"] in rows
    rated = {code: label for code, _, label in rows if code in PUBLISHED_RATINGS}
    assert rated == PUBLISHED_RATINGS  # the seven ratings

    # Each domain-two standard's key-question table, the lowest (driving) one in bold.
    key_question_tables = [t for t in tables if t.rows[0].cells[0].text == "Key question"]
    assert len(key_question_tables) == 4
    published = KeyQuestion.objects.filter(
        standard__framework=demo.framework, standard__basis=Basis.CASES
    )
    texts = {kq.text: kq.code for kq in published if kq.code in PUBLISHED_PERCENT}
    assert len(texts) == len(PUBLISHED_PERCENT)
    percents = {}
    bold = []
    for table in key_question_tables:
        for row in table.rows[1:]:
            question, percent = (cell.text for cell in row.cells)
            percents[question] = percent
            if _bold(row):
                bold.append(question)
    assert len(bold) == 4  # one driving key question a standard
    for question, code in texts.items():
        assert percents[question] == f"{PUBLISHED_PERCENT[code]}%", code

    # The generated sentences, recommendations and progress on previous ones.
    assert (
        "Just eight out of 29 cases (28 per cent) we inspected had assessment that focused "
        "sufficiently on keeping other people safe." in text
    )
    assert "Management oversight was absent or ineffective in 90 per cent" in text
    assert "improve the use of interventions and services to manage the risk of harm" in text
    previous = next(t for t in tables if t.rows[0].cells[0].text == "Previous recommendation")
    assert len(previous.rows) == 4
    assert [row[2] for row in _rows(previous)[1:]].count("Some progress") == 2

    # The marking in every page's header; page numbers in the footer.
    header = _header_text(document)
    assert "OFFICIAL-SENSITIVE" in header
    assert "DRAFT" in header and "PROVISIONAL" not in header  # complete and fully rated
    assert "29 of 29 cases counted" in header
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "OFFICIAL-SENSITIVE" in footer


def test_a_mid_fieldwork_draft_in_word_is_provisional_and_counts_its_cases(
    client, inspection, lead, settings
):
    settings.PROTECTIVE_MARKING = "OFFICIAL"
    inspection.status = InspectionStatus.FIELDWORK
    inspection.save()
    CaseFactory(inspection=inspection)
    client.force_login(lead)
    header = _header_text(_docx(client, inspection))
    assert "OFFICIAL" in header and "OFFICIAL-SENSITIVE" not in header
    assert "DRAFT – PROVISIONAL" in header
    assert "0 of 1 cases counted" in header


def test_the_word_draft_is_for_who_may_read_the_draft_page(client, inspection, viewer, outsider):
    url = reverse("casereview:report-draft-docx", args=[inspection.slug])
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_word_draft_queries_are_the_same_for_10_and_1000_cases(client, inspection, lead):
    from tests.casereview.test_exports import many_cases

    url = reverse("casereview:report-draft-docx", args=[inspection.slug])
    client.force_login(lead)
    many_cases(inspection, 10)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    many_cases(inspection, 990, prefix="MORE")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
