"""Every aggregate surface, walked from the URL resolver: one set of countable cases,
and no figure over fewer than 5 cases for a viewer.

A URL that is neither in AGGREGATE nor in NOT_AGGREGATE fails the first test, so the
next page that shows figures is walked here without anyone remembering to add it.
"""

import io
import json
import re

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from casereview.models import Answer, CaseStatus, KeyQuestionAnswer, SavedSet, SecondMarking
from inspection.models import Basis, Inspection, KeyQuestion, Role
from tests.factories import CaseFactory, MembershipFactory, UserFactory
from tests.test_url_access import ROUTES

pytestmark = pytest.mark.django_db

# Pages computed from case answers, and the address of each for the walk.
AGGREGATE = {
    "casereview:inspection-dashboard": lambda slug: reverse(
        "casereview:inspection-dashboard", args=[slug]
    ),
    "casereview:summary-json": lambda slug: reverse("casereview:summary-json", args=[slug]),
    "casereview:overview": lambda slug: reverse("casereview:overview"),
    "casereview:report-draft": lambda slug: reverse("casereview:report-draft", args=[slug]),
    "casereview:export-workbook": lambda slug: reverse("casereview:export-workbook", args=[slug]),
    "casereview:report-draft-docx": lambda slug: reverse(
        "casereview:report-draft-docx", args=[slug]
    ),
    "casereview:domain-one-index": lambda slug: reverse("casereview:domain-one-index", args=[slug]),
    "casereview:domain-one": lambda slug: reverse("casereview:domain-one", args=[slug, "1.1"]),
    "casereview:consistency": lambda slug: reverse("casereview:consistency", args=[slug]),
    # A set of inspections: the overview's (every inspection the user sees) or a saved one
    "casereview:set-dashboard": lambda slug: reverse("casereview:set-dashboard"),
    "casereview:saved-set-dashboard": lambda slug: reverse(
        "casereview:saved-set-dashboard", args=[_saved_set(slug)]
    ),
    "casereview:set-breakdowns": lambda slug: reverse("casereview:set-breakdowns"),
    "casereview:saved-set-breakdowns": lambda slug: reverse(
        "casereview:saved-set-breakdowns", args=[_saved_set(slug)]
    ),
    "casereview:set-pdus": lambda slug: reverse("casereview:set-pdus"),
    "casereview:saved-set-pdus": lambda slug: reverse(
        "casereview:saved-set-pdus", args=[_saved_set(slug)]
    ),
    "casereview:set-trends": lambda slug: reverse("casereview:set-trends"),
    "casereview:saved-set-trends": lambda slug: reverse(
        "casereview:saved-set-trends", args=[_saved_set(slug)]
    ),
    "casereview:set-workbook": lambda slug: reverse("casereview:set-workbook"),
    "casereview:saved-set-workbook": lambda slug: reverse(
        "casereview:saved-set-workbook", args=[_saved_set(slug)]
    ),
    "casereview:set-summary-json": lambda slug: reverse("casereview:set-summary-json"),
    "casereview:saved-set-summary-json": lambda slug: reverse(
        "casereview:saved-set-summary-json", args=[_saved_set(slug)]
    ),
}


def _saved_set(slug):
    """A saved set of the one inspection, made on first use."""
    saved, _ = SavedSet.objects.get_or_create(slug=f"set-of-{slug}", defaults={"name": slug})
    saved.inspections.add(Inspection.objects.get(slug=slug))
    return saved.slug


# Pages that show no figure over the cases (forms, lists of one's own work, rows), or
# that are lists of cases for the team, guarded by the access walk instead.
NOT_AGGREGATE = {
    "casereview:key-question-no",  # the team's list of cases, blind cases left out
    "casereview:key-question-yes",  # likewise
    "casereview:my-cases",
    "casereview:inspection-cases",  # the team's list of every case, blind cases left out
    "casereview:case-detail",
    "casereview:case-section",
    "casereview:case-check",
    "casereview:case-submit",
    "casereview:moderation",
    "casereview:case-return",
    "casereview:case-moderate",
    "casereview:case-reopen",
    "casereview:case-correct",
    "casereview:double-marking",
    "casereview:double-marking-withdraw",
    "casereview:second-marking-list",
    "casereview:second-marking-form",
    "casereview:consistency-resolve",
    "casereview:exports",
    "casereview:export-cases-csv",  # the lead's case rows, not a figure
    "casereview:recommendations",
    "casereview:recommendation-add",
    "casereview:recommendation-edit",
    "casereview:recommendation-delete",
    "casereview:notification-preferences",  # one's own email choice
    "casereview:saved-set-list",  # names of sets, no figure
    "casereview:saved-set-create",
    "casereview:saved-set-edit",
    "casereview:saved-set-delete",
    "home",
    "session-keep-alive",
}
# Surfaces without the case filters: whole-inspection (or whole-set) figures.
UNFILTERED = {
    "casereview:summary-json",
    "casereview:overview",
    "casereview:report-draft",
    "casereview:report-draft-docx",
    "casereview:set-summary-json",
    "casereview:saved-set-summary-json",
}
JSON_SURFACES = (
    "casereview:summary-json",
    "casereview:set-summary-json",
    "casereview:saved-set-summary-json",
)
FRAGMENT = {"headers": {"X-Dashboard-Fragment": "figures"}}


def test_every_url_is_classified_as_aggregate_or_not():
    names = {route.name for route in ROUTES}
    unclassified = names - set(AGGREGATE) - NOT_AGGREGATE
    assert not unclassified, f"classify in AGGREGATE or NOT_AGGREGATE: {sorted(unclassified)}"
    assert not set(AGGREGATE) & NOT_AGGREGATE
    assert set(AGGREGATE) | NOT_AGGREGATE <= names, "a classified URL no longer exists"


def _case(inspection, answer, **attributes):
    case = CaseFactory(inspection=inspection, status=CaseStatus.SUBMITTED, **attributes)
    KeyQuestionAnswer.objects.bulk_create(
        KeyQuestionAnswer(case=case, key_question=kq, answer=answer)
        for kq in KeyQuestion.objects.filter(standard__framework_id=inspection.framework_id)
    )
    return case


def _rated_codes(inspection):
    return set(
        KeyQuestion.objects.filter(
            standard__framework_id=inspection.framework_id, standard__basis=Basis.CASES
        ).values_list("code", flat=True)
    )


def text_of(response) -> str:
    """An HTML page's source, or every paragraph and table cell of a Word document."""
    if "wordprocessingml" not in response["Content-Type"]:
        return response.content.decode()
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def _figures(response, inspection):
    """What one surface says about the cases: the distinct 'relevant' counts it shows
    for rated key questions, or the percentages an HTML page prints."""
    kind = response["Content-Type"]
    rated = _rated_codes(inspection)
    if kind.startswith("application/json"):
        document = json.loads(response.content)
        return {
            kq["relevant"]
            for standard in document["standards"]
            for kq in standard.get("key_questions", [])
            if kq["code"] in rated
        }
    if "spreadsheetml" in kind:
        # A set's workbook is streamed from a file; an inspection's is one response.
        content = b"".join(response.streaming_content) if response.streaming else response.content
        sheet = load_workbook(io.BytesIO(content))["Key questions"]
        return {row[6] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1] in rated}
    body = text_of(response)
    # "55% (16 of 29)" on the dashboards, "55%<br>…16 of 29…" in a breakdown's cells;
    # "five out of six cases" in the report's sentences
    found = set(re.findall(r"\d+% \(\d+ of (\d+)\)", body))
    found |= set(re.findall(r'\d+%<br><span class="app-count">\d+ of (\d+)</span>', body))
    words = {"one": "1", "five": "5", "six": "6"}
    found |= {words.get(n, n) for n in re.findall(r"out of (\w+) (?:relevant )?cases", body)}
    return found


@pytest.fixture
def blind(inspection, lead, inspector):
    """Five cases answered Yes throughout, and a sixth answered No that a second lead
    (so they may open every lead's page too) is marking blind."""
    marker = UserFactory(username="second-marker")
    MembershipFactory(inspection=inspection, user=marker, role=Role.LEAD)
    for _ in range(5):
        _case(inspection, Answer.YES, inspector=inspector)
    secret = _case(inspection, Answer.NO, inspector=inspector)
    SecondMarking.objects.create(case=secret, inspector=marker, requested_by=lead)
    return marker


@pytest.mark.parametrize("name", sorted(AGGREGATE))
def test_a_second_marker_never_counts_their_blind_case_and_the_lead_does(
    client, inspection, lead, blind, name
):
    url = AGGREGATE[name](inspection.slug)
    requests = [(url, {})]
    if name == "casereview:inspection-dashboard":
        requests.append((url, FRAGMENT))
    for address, extra in requests:
        client.force_login(blind)
        response = client.get(address, **extra)
        assert response.status_code == 200
        marker_sees = _figures(response, inspection)
        client.force_login(lead)
        lead_sees = _figures(client.get(address, **extra), inspection)
        if name == "casereview:consistency":
            # No submitted second marking: no figure at all, for either.
            assert marker_sees == lead_sees == set()
            continue
        assert marker_sees and marker_sees <= {5, "5"}, (name, marker_sees)
        assert lead_sees and lead_sees <= {6, "6"}, (name, lead_sees)


@pytest.mark.parametrize("name", sorted(AGGREGATE))
def test_a_viewer_filtering_down_to_one_case_reads_none_of_its_figures(
    client, inspection, inspector, viewer, name
):
    for number in range(6):
        _case(inspection, Answer.YES, inspector=inspector, office=f"Office {number}")
    url = AGGREGATE[name](inspection.slug) + "?office=Office+3"
    client.force_login(viewer)
    for extra in ({}, FRAGMENT) if name == "casereview:inspection-dashboard" else ({},):
        response = client.get(url, **extra)
        if response.status_code in (403, 404):
            continue  # the lead's pages: a viewer may not open them at all
        assert response.status_code == 200
        if name in UNFILTERED:
            continue  # not filtered: whole-inspection figures over six cases, shown
        assert _figures(response, inspection) <= {None}, name
        if "html" in response["Content-Type"]:
            body = response.content.decode()
            assert "fewer than 5 cases" in body.lower()
            assert "Not a rating: figures for a filtered subset" in body
            assert not re.search(r"data-score>\d", body)


def test_a_viewer_reads_no_figure_of_an_inspection_with_fewer_than_5_cases(
    client, inspection, inspector, viewer
):
    for _ in range(3):
        _case(inspection, Answer.YES, inspector=inspector)
    client.force_login(viewer)
    for name in JSON_SURFACES:
        document = client.get(AGGREGATE[name](inspection.slug)).json()
        found = {kq["yes"] for s in document["standards"] for kq in s.get("key_questions", [])}
        assert found == {None}, name
        assert document["overall"]["score"] is None and document["suppressed"]["overall"]
        for row in document.get("by_inspection", []):
            assert row["score"] is None, name
            assert {kq["yes"] for s in row["standards"] for kq in s.get("key_questions", [])} == {
                None
            }, name
    for name in (
        "casereview:overview",
        "casereview:report-draft",
        "casereview:report-draft-docx",
        "casereview:set-dashboard",
        "casereview:saved-set-dashboard",
        "casereview:set-breakdowns",
        "casereview:saved-set-breakdowns",
        "casereview:set-pdus",
        "casereview:saved-set-pdus",
        "casereview:set-trends",
        "casereview:saved-set-trends",
    ):
        body = text_of(client.get(AGGREGATE[name](inspection.slug)))
        assert "fewer than 5 cases" in body.lower()
        assert not re.search(r"\d+% \(\d+ of \d+\)", body), name


def test_a_team_member_keeps_every_figure_of_a_small_subset_with_a_caution(
    client, inspection, lead, inspector
):
    for number in range(6):
        _case(inspection, Answer.YES, inspector=inspector, office=f"Office {number}")
    client.force_login(lead)
    url = AGGREGATE["casereview:inspection-dashboard"](inspection.slug) + "?office=Office+3"
    body = client.get(url).content.decode()
    assert "100% (1 of 1)" in body
    assert "data-caution" in body
    assert "Not a rating: figures for a filtered subset" in body
