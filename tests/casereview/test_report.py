"""The report draft (generated sentences, the demo as published), the domain-one form with
the case results beside it, and the recommendations tables."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casereview.dashboards.summary import KeyQuestionFigures, OversightFigures
from casereview.demo import load_demo
from casereview.reporting.draft import (
    count_phrase,
    key_question_sentence,
    number_text,
    oversight_sentence,
    statement,
)
from inspection.models import (
    DomainOneRating,
    Inspection,
    KeyQuestion,
    PreviousRecommendation,
    Progress,
    Rating,
    Recommendation,
)
from tests.casereview.review_helpers import submitted_case
from tests.factories import CaseFactory
from tests.published import PERCENT as PUBLISHED_PERCENT
from tests.published import RATING_TEXT as PUBLISHED_RATINGS

pytestmark = pytest.mark.django_db


def figures(code="2.3.2", text="", yes=8, no=21, not_applicable=0):
    return KeyQuestionFigures(
        code=code, text=text, lens="", yes=yes, no=no, not_applicable=not_applicable
    )


# The sentences ----------------------------------------------------------------------


def test_numbers_under_ten_are_words_as_the_report_writes_them():
    assert [number_text(n) for n in (1, 6, 9, 10, 29)] == ["one", "six", "nine", "10", "29"]
    assert count_phrase(6, 8, all_cases=True) == "six out of eight cases (75 per cent)"
    assert count_phrase(15, 27, all_cases=False) == "15 out of 27 relevant cases (56 per cent)"
    assert count_phrase(0, 4, all_cases=True) == "none of the four cases"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Does assessment focus sufficiently on keeping other people safe?",
            "assessment focused sufficiently on keeping other people safe",
        ),
        (
            "Does the implementation and delivery of services effectively support desistance?",
            "the implementation and delivery of services effectively supported desistance",
        ),
        (
            "Is the sentence or post-custody period implemented effectively with a focus on "
            "engaging the person on probation?",
            "the sentence or post-custody period was implemented effectively with a focus on "
            "engaging the person on probation",
        ),
        (
            "Has there been sufficient improvement in the factors most closely linked to "
            "offending?",
            "there had been sufficient improvement in the factors most closely linked to offending",
        ),
        (
            "Was enforcement action taken where it should have been?",
            "enforcement action was taken where it should have been",
        ),
        ("Why is the sky blue?", None),
    ],
)
def test_a_key_question_becomes_the_statement_of_a_yes(question, expected):
    assert statement(question) == expected


def test_every_key_question_of_the_framework_reads_as_a_statement(inspection):
    for key_question in KeyQuestion.objects.filter(standard__framework=inspection.framework):
        assert statement(key_question.text), key_question.code


def test_key_question_sentence_in_the_reports_style():
    text = "Does the implementation and delivery of services effectively support desistance?"
    assert key_question_sentence(figures(text=text)) == (
        "The implementation and delivery of services effectively supported desistance in just "
        "eight out of 29 cases (28 per cent) we inspected."
    )
    # Not applicable answers leave cases out: "relevant cases".
    text = "Was enforcement action taken where it should have been?"
    assert key_question_sentence(figures(text=text, yes=10, no=7, not_applicable=12)) == (
        "Enforcement action was taken where it should have been in 10 out of 17 relevant cases "
        "(59 per cent) we inspected."
    )
    assert key_question_sentence(figures(text="Odd question?", yes=20, no=9)) == (
        "The answer to 'Odd question?' was Yes in 20 out of 29 cases (69 per cent) we inspected."
    )


def test_oversight_sentence():
    oversight = OversightFigures(effective=3, ineffective=10, absent=16, not_required=0)
    assert oversight_sentence(oversight, counted=29) == (
        "Management oversight was absent or ineffective in 90 per cent of the cases we inspected."
    )
    oversight = OversightFigures(effective=3, ineffective=10, absent=14, not_required=2)
    assert oversight_sentence(oversight, counted=29).endswith(
        "of the cases we inspected where it was required."
    )
    assert oversight_sentence(OversightFigures(0, 0, 0, 0), counted=0) is None


# The demo report draft --------------------------------------------------------------


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    load_demo()
    return Inspection.objects.get(slug="west-sussex-2023")


def test_demo_report_draft_says_what_the_published_report_says(client, demo):
    client.force_login(demo.memberships.get(role="lead").user)
    response = client.get(reverse("casereview:report-draft", args=[demo.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"data-score>02/21<", html)
    assert re.search(r"data-overall-rating>.*Inadequate", html)
    for code, label in PUBLISHED_RATINGS.items():
        row = html[html.index(f'data-rating="{code}"') :]
        assert label in row[: row.index("</tr>")], code
    for code, percent in PUBLISHED_PERCENT.items():
        row = html[html.index(f'data-key-question="{code}"') :]
        assert f"{percent}%" in row[: row.index("</tr>")], code
    # The driving key question of each standard is bold, as in the report.
    assert html.count("app-report__driving") == 4
    assert (
        "Just eight out of 29 cases (28 per cent) we inspected had assessment that focused "
        "sufficiently on keeping other people safe." in html
    )
    assert (
        "The implementation and delivery of services effectively supported desistance in just "
        "eight out of 29 cases (28 per cent) we inspected." in html
    )
    assert (
        "Management oversight was absent or ineffective in 90 per cent of the cases we "
        "inspected." in html
    )
    assert "Our rating for assessment is &#x27;Inadequate&#x27; based on the percentage" in html
    # The recommendations and the previous ones, as published.
    assert "improve the use of interventions and services to manage the risk of harm" in html
    assert html.count("data-previous-recommendation=") == 3
    assert "Sufficient progress" in html and html.count("Some progress") >= 2
    assert 'href="/static/css/print.css" media="print"' in html or "print.css" in html


def test_report_draft_for_a_viewer_and_not_for_an_outsider(client, inspection, viewer, outsider):
    client.force_login(viewer)
    assert client.get(reverse("casereview:report-draft", args=[inspection.slug])).status_code == 200
    client.force_login(outsider)
    assert client.get(reverse("casereview:report-draft", args=[inspection.slug])).status_code == 404


def test_report_draft_queries_are_the_same_for_10_and_1000_cases(client, inspection, lead):
    from tests.casereview.test_exports import many_cases

    url = reverse("casereview:report-draft", args=[inspection.slug])
    client.force_login(lead)
    many_cases(inspection, 10)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    many_cases(inspection, 990, prefix="MORE")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_load_demo_adds_the_recommendations_once(demo):
    load_demo()
    assert Recommendation.objects.filter(inspection=demo).count() == 6
    previous = list(PreviousRecommendation.objects.filter(inspection=demo))
    assert [(p.progress, p.improvement_still_required) for p in previous] == [
        (Progress.SOME, True),
        (Progress.SOME, True),
        (Progress.SUFFICIENT, False),
    ]
    assert PreviousRecommendation.history.filter(inspection_id=demo.pk).count() == 3
    other = Inspection.objects.get(slug="north-downs-2024")
    assert not Recommendation.objects.filter(inspection=other).exists()


# Domain one -------------------------------------------------------------------------


def test_domain_one_form_shows_the_case_results_beside_it(client, inspection, lead, inspector):
    submitted_case(inspection, inspector, answers={"2.2.3": "no"})
    client.force_login(lead)
    html = client.get(
        reverse("casereview:domain-one", args=[inspection.slug, "1.1"])
    ).content.decode()
    assert "Case results" in html
    results = html[html.index('data-standard="2.2"') :]
    assert "Inadequate" in results[: results.index("</li>")]
    assert "Lowest: 2.2.3, 0% (0 of 1)" in results


def test_lead_records_a_domain_one_rating_with_history(client, inspection, lead):
    client.force_login(lead)
    url = reverse("casereview:domain-one", args=[inspection.slug, "1.2"])
    response = client.post(url, {"rating": Rating.GOOD, "rationale": ""})
    html = response.content.decode()
    assert "Enter the rationale for the rating" in html
    assert 'value="good" checked' in html
    response = client.post(
        url,
        {
            "rating": Rating.GOOD,
            "rationale": "Caseloads manageable",
            "strengths": "Supportive culture",
            "areas_for_improvement": "Training completion",
        },
    )
    assert response.status_code == 302
    rating = DomainOneRating.objects.get(inspection=inspection, standard__code="1.2")
    assert (rating.rating, rating.recorded_by) == (Rating.GOOD, lead)
    assert rating.history.count() == 1
    client.post(url, {"rating": Rating.INADEQUATE, "rationale": "Changed my mind", "version": 0})
    assert rating.history.count() == 2
    html = client.get(url).content.decode()
    assert 'value="inadequate" checked' in html
    assert "Standard 1.2" in html and "Changed my mind" in html  # the history timeline


@pytest.mark.parametrize(
    ("who", "status"), [("inspector", 403), ("viewer", 403), ("outsider", 404)]
)
def test_only_the_lead_records_domain_one(client, inspection, request, who, status):
    client.force_login(request.getfixturevalue(who))
    url = reverse("casereview:domain-one", args=[inspection.slug, "1.1"])
    assert client.get(url).status_code == status
    assert client.post(url, {"rating": "good", "rationale": "x"}).status_code == status
    assert not DomainOneRating.objects.exists()


def test_domain_one_is_only_for_judgement_standards(client, inspection, lead):
    client.force_login(lead)
    assert (
        client.get(reverse("casereview:domain-one", args=[inspection.slug, "2.1"])).status_code
        == 404
    )
    assert (
        client.get(reverse("casereview:domain-one", args=[inspection.slug, "9.9"])).status_code
        == 404
    )


def test_domain_one_page_queries_do_not_grow_with_cases(client, inspection, lead, inspector):
    url = reverse("casereview:domain-one", args=[inspection.slug, "1.1"])
    client.force_login(lead)
    submitted_case(inspection, inspector)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(15):
        submitted_case(inspection, inspector)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# Recommendations --------------------------------------------------------------------


def test_lead_adds_and_changes_recommendations_shown_on_the_draft(client, inspection, lead):
    client.force_login(lead)
    add = reverse("casereview:recommendation-add", args=[inspection.slug, "current"])
    response = client.post(add, {"order": "1", "text": ""})
    assert "Enter the recommendation" in response.content.decode()
    client.post(add, {"order": "1", "text": "improve risk assessment"})
    previous_add = reverse("casereview:recommendation-add", args=[inspection.slug, "previous"])
    response = client.post(
        previous_add,
        {"order": "1", "text": "Train the staff", "action_and_impact": "Some training"},
    )
    html = response.content.decode()
    assert "Choose the progress made" in html
    assert "Choose whether improvement is still required" in html
    assert "Train the staff" in html
    client.post(
        previous_add,
        {
            "order": "1",
            "text": "Train the staff",
            "action_and_impact": "Some training",
            "progress": Progress.NONE,
            "improvement_still_required": "yes",
        },
    )
    item = PreviousRecommendation.objects.get()
    assert (item.progress, item.improvement_still_required) == (Progress.NONE, True)
    edit = reverse("casereview:recommendation-edit", args=[inspection.slug, "previous", item.pk])
    assert 'value="yes" checked' in client.get(edit).content.decode()
    html = client.get(reverse("casereview:report-draft", args=[inspection.slug])).content.decode()
    assert "improve risk assessment" in html
    assert "No progress" in html
    remove = reverse(
        "casereview:recommendation-delete",
        args=[inspection.slug, "current", Recommendation.objects.get().pk],
    )
    client.post(remove)
    assert not Recommendation.objects.exists()


def test_only_the_lead_changes_recommendations(client, inspection, inspector, outsider):
    client.force_login(inspector)
    add = reverse("casereview:recommendation-add", args=[inspection.slug, "current"])
    assert client.post(add, {"order": "1", "text": "x"}).status_code == 403
    client.force_login(outsider)
    assert client.post(add, {"order": "1", "text": "x"}).status_code == 404
    assert not Recommendation.objects.exists()


def test_provisional_draft_while_cases_are_open(client, inspection, lead):
    CaseFactory(inspection=inspection)
    client.force_login(lead)
    html = client.get(reverse("casereview:report-draft", args=[inspection.slug])).content.decode()
    assert "Provisional" in html
    assert "Not yet rated" in html
