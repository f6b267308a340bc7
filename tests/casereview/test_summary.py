"""The inspection summary: the published West Sussex figures reproduced exactly from the
demo cases, the same document over HTTP, and a query count that does not grow."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casereview.dashboards.documents import summary_document
from casereview.dashboards.summary import inspection_summary
from casereview.models import Case, CaseStatus, KeyQuestionAnswer, PromptAnswer
from inspection.models import Inspection, KeyQuestion
from tests.factories import InspectionFactory
from tests.published import KEY_QUESTIONS as PUBLISHED
from tests.published import RATINGS as PUBLISHED_RATINGS

pytestmark = pytest.mark.django_db

SLUG = "west-sussex-2023"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    return Inspection.objects.select_related("unit__region", "framework").get(slug=SLUG)


def summary_json(slug: str) -> dict:
    out = StringIO()
    call_command("summary", slug, "--json", stdout=out)
    return json.loads(out.getvalue())


def key_question(summary, code):
    for standard in summary.standards + summary.reported:
        for figures in standard.key_questions:
            if figures.code == code:
                return figures
    raise AssertionError(f"no key question {code}")


def test_summary_json_of_the_demo_equals_the_published_report(demo):
    document = summary_json(SLUG)

    assert document["inspection"] == SLUG
    assert (document["unit"], document["region"]) == ("West Sussex", "Kent, Surrey and Sussex")
    assert document["framework"] == "probation-2023"
    assert document["cases"] == {"total": 29, "submitted": 29}
    ratings = {standard["code"]: standard["rating"] for standard in document["standards"]}
    assert ratings == PUBLISHED_RATINGS
    figures = {
        kq["code"]: (kq["yes"], kq["relevant"], kq["percent"])
        for standard in document["standards"]
        for kq in standard.get("key_questions", [])
    }
    assert figures == PUBLISHED
    assert document["overall"] == {
        "score": 2,
        "max": 21,
        "rating": "inadequate",
        "complete": True,
        "holds_by": None,  # the lowest band: nothing lower to fall to
    }
    oversight = document["management_oversight"]
    assert oversight["absent_or_ineffective_percent"] == 90
    assert (oversight["ineffective"] + oversight["absent"], oversight["required"]) == (26, 29)
    outcomes = {kq["code"]: (kq["yes"], kq["relevant"]) for kq in document["outcomes"]}
    assert outcomes["2.5.1"] == (4, 29)  # offending-related factors improved
    assert outcomes["2.5.2"] == (2, 29)  # risk of harm factors improved
    assert outcomes["2.5.4"] == (10, 17)  # enforcement where it should have been
    assert document["outcomes"][3]["not_applicable"] == 12


def test_the_stated_breakdowns_are_reproduced(demo):
    cases = Case.objects.filter(inspection=demo)

    def figures(code, **attributes):
        summary = inspection_summary(inspection=demo, cases=cases.filter(**attributes))
        result = key_question(summary, code)
        return result.yes, result.relevant

    assert cases.filter(case_type="community").count() == 18
    assert cases.filter(case_type="licence").count() == 11
    assert [cases.filter(rosh=rosh).count() for rosh in ("high", "medium", "low")] == [8, 18, 3]
    assert cases.filter(gender="female").count() == 4
    assert figures("2.1.1", rosh="high") == (6, 8)
    assert figures("2.3.1", rosh="high") == (6, 8)
    assert figures("2.3.1", rosh="medium") == (8, 18)
    assert figures("2.1.3", gender="female") == (0, 4)
    assert figures("2.5.3", gender="female") == (3, 4)
    assert figures("2.5.3", rosh="medium") == (12, 18)


def test_the_prompt_figures_the_report_gives_are_reproduced(demo):
    def prompt(code):
        answers = PromptAnswer.objects.filter(case__inspection=demo, prompt__code=code)
        return answers.filter(answer="yes").count(), answers.exclude(answer="na").count()

    assert prompt("2.1.2.a") == (15, 29)  # identified offending-related factors
    assert prompt("2.1.2.b") == (8, 29)  # drew on the available sources
    assert prompt("2.1.3.a") == (11, 29)  # prompt 11/29 while its key question is 8/29
    assert prompt("2.1.3.c") == (12, 27)  # victims: 15 of 27 relevant insufficient
    assert prompt("2.2.1.b") == (12, 29)  # protected characteristics in plans
    assert prompt("2.3.3.a") == (14, 28)  # contact to manage risk of harm
    assert prompt("2.3.3.b") == (5, 26)  # protecting victims
    assert prompt("2.3.3.e") == (8, 25)  # home visits
    assert prompt("2.4.3.a") == (6, 26)  # reviewing changes in risk


def test_the_second_demo_inspection_shows_good_and_requires_improvement(demo):
    document = summary_json("north-downs-2024")

    ratings = {standard["code"]: standard["rating"] for standard in document["standards"]}
    assert ratings == {
        "1.1": "good",
        "1.2": "requires_improvement",
        "1.3": None,  # not yet judged: the overall rating is provisional
        "2.1": "good",
        "2.2": "requires_improvement",
        "2.3": "good",
        "2.4": "good",
    }
    assert document["cases"] == {"total": 30, "submitted": 25}
    assert document["overall"] == {
        "score": 10,
        "max": 21,
        "rating": None,
        "complete": False,
        "holds_by": None,  # 1.3 not yet judged: no overall rating to hold
    }


def test_summary_prints_a_readable_table(demo):
    out = StringIO()
    call_command("summary", SLUG, stdout=out)
    text = out.getvalue()

    assert "Score 02/21, overall rating Inadequate" in text
    assert "1.2 Staffing" in text and "Requires improvement" in text
    assert "2.1.1   55% (16 of 29)" in text
    assert "* 2.1.3   28% (8 of 29)" in text
    assert "Management oversight absent or ineffective: 90% (26 of 29" in text
    assert "2.5.4   59% (10 of 17)" in text


def test_only_submitted_and_moderated_cases_count(demo):
    Case.objects.filter(inspection=demo, reference__in=["WS-001", "WS-002"]).update(
        status=CaseStatus.IN_PROGRESS
    )
    Case.objects.filter(inspection=demo, reference="WS-003").update(status=CaseStatus.MODERATED)

    document = summary_json(SLUG)

    assert document["cases"] == {"total": 29, "submitted": 27}
    assert document["standards"][3]["key_questions"][0]["relevant"] == 27


class TestSummaryJson:
    def url(self, inspection):
        return reverse("casereview:summary-json", args=[inspection.slug])

    def test_team_member_gets_the_same_document_as_the_command(self, client, demo):
        client.force_login(demo.memberships.get(user__username="inspector").user)

        response = client.get(self.url(demo))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response.json() == summary_json(SLUG)

    def test_viewer_may_read_it(self, client, demo):
        client.force_login(demo.viewer_grants.get().user)

        assert client.get(self.url(demo)).json()["overall"]["score"] == 2

    def test_outsider_gets_404(self, client, demo, outsider):
        client.force_login(outsider)

        assert client.get(self.url(demo)).status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, demo):
        response = client.get(self.url(demo))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def make_cases(inspection, size):
    key_questions = list(
        KeyQuestion.objects.filter(standard__framework=inspection.framework).order_by("pk")
    )
    cases = Case.objects.bulk_create(
        Case(
            inspection=inspection,
            reference=f"Q{n:05d}",
            case_type="community",
            rosh="medium",
            status=CaseStatus.SUBMITTED,
            oversight="absent" if n % 2 else "effective",
        )
        for n in range(size)
    )
    KeyQuestionAnswer.objects.bulk_create(
        KeyQuestionAnswer(case=case, key_question=kq, answer="no" if n % 4 == 0 else "yes")
        for n, case in enumerate(cases)
        for kq in key_questions
    )
    return Inspection.objects.get(pk=inspection.pk)


def summary_queries(inspection) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as queries:
        document = summary_document(inspection_summary(inspection=inspection))
    return document, len(queries.captured_queries)


def test_summary_takes_the_same_number_of_queries_at_10_and_1000_cases():
    small, small_queries = summary_queries(make_cases(InspectionFactory(), 10))
    large, large_queries = summary_queries(make_cases(InspectionFactory(), 1000))

    assert small_queries == large_queries
    assert large["cases"]["submitted"] == 1000
    assert large["standards"][3]["key_questions"][0] == {
        "code": "2.1.1",
        "text": "Does assessment focus sufficiently on engaging the person on probation?",
        "yes": 750,
        "relevant": 1000,
        "percent": 75,
        "interval": [72, 78],
    }
    assert large["standards"][3]["rating"] == "good"
    assert large["management_oversight"]["absent_or_ineffective_percent"] == 50
    assert small["standards"][3]["key_questions"][0]["yes"] == 7
