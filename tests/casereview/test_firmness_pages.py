"""How firmly each rating holds, on the pages: the dashboard's sentences and its "How sure
is this?" section, the cases answered Yes, summary.json, and the moderation list."""

import json
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from casereview.dashboards.summary import inspection_summary
from casereview.demo import load_demo
from casereview.models import (
    COUNTED_STATUSES,
    Answer,
    Case,
    KeyQuestionAnswer,
    SecondMarking,
)
from inspection import ratings
from inspection.models import Inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    load_demo()


def page(client, username, url):
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def texts(html, attribute):
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()
        for text in re.findall(rf"<[^>]*\b{attribute}\b[^>]*>(.*?)</(?:p|ul)>", html, re.S)
    ]


def dashboard(client, username, slug="north-downs-2024", query=""):
    url = reverse("casereview:inspection-dashboard", args=[slug]) + query
    return page(client, username, url)


def test_north_downs_reviewing_holds_by_one_answer(client, demo):
    html = dashboard(client, "lead")
    assert (
        "Good holds by 1 answer: one more No on 2.4.3 would make it Requires improvement."
        in texts(html, "data-holds-by")
    )
    document = page(client, "lead", reverse("casereview:summary-json", args=["north-downs-2024"]))
    reviewing = next(s for s in json.loads(document)["standards"] if s["code"] == "2.4")
    assert (reviewing["holds_by"], reviewing["lift_by"]) == (1, 8)


def test_west_sussex_inadequate_standards_say_how_many_answers_would_lift_each(client, demo):
    html = dashboard(client, "lead", "west-sussex-2023")
    assert texts(html, "data-next-step") == [
        "Inadequate lifts by 9 answers: to reach Requires improvement, 2.1.2 needs 2 more Yes "
        "answers and 2.1.3 needs 7 more Yes answers.",
        "Inadequate lifts by 13 answers: to reach Requires improvement, 2.2.1 needs 2 more Yes "
        "answers, 2.2.2 needs 2 more Yes answers and 2.2.3 needs 9 more Yes answers.",
        "Inadequate lifts by 17 answers: to reach Requires improvement, 2.3.2 needs 7 more Yes "
        "answers and 2.3.3 needs 10 more Yes answers.",
        "Inadequate lifts by 14 answers: to reach Requires improvement, 2.4.2 needs 6 more Yes "
        "answers and 2.4.3 needs 8 more Yes answers.",
    ]
    assert texts(html, "data-holds-by") == []  # Inadequate: nothing lower to fall to


def test_the_overall_rating_says_how_firmly_it_holds_once_domain_one_is_recorded(client, demo):
    assert texts(dashboard(client, "lead"), "data-overall-holds-by") == []  # 1.3 not judged
    call_command("set_rating", "north-downs-2024", "1.3", "good", stdout=StringIO())

    # Score 12/21, Good from 11: 2.1 and 2.4 each fall a band with one more No.
    html = dashboard(client, "lead")
    assert texts(html, "data-overall-holds-by") == ["The overall rating holds by 2 answers."]
    document = json.loads(
        page(client, "lead", reverse("casereview:summary-json", args=["north-downs-2024"]))
    )
    assert document["overall"]["holds_by"] == 2
    # A filtered view is not a rating, so nothing holds.
    filtered = dashboard(client, "lead", query="?case_type=community")
    assert texts(filtered, "data-overall-holds-by") == []


def test_how_sure_gives_each_key_question_its_interval_and_the_band_edges(client, demo):
    html = dashboard(client, "lead")
    summary = inspection_summary(inspection=Inspection.objects.get(slug="north-downs-2024"))
    reviewing = next(s for s in summary.standards if s.code == "2.4")
    kq = next(kq for kq in reviewing.key_questions if kq.code == "2.4.3")
    low, high = ratings.wilson_interval(kq.yes, kq.relevant)
    row = re.search(r'data-interval="2.4.3">(.*?)</tr>', html, re.S).group(1)
    assert f"{low}% to {high}%" in row
    assert f"{kq.percent}%" in row  # beside the published percentage, which stays
    assert "The sample cannot settle whether 2.4.3 is Outstanding or Inadequate." in texts(
        html, "data-band-edge"
    )
    assert "How sure is this?" in html


def test_the_cases_a_fragile_rating_rests_on_are_one_click_away_for_the_team(client, demo):
    html = dashboard(client, "lead")
    yes_url = reverse("casereview:key-question-yes", args=["north-downs-2024", "2.4.3"])
    assert f'href="{yes_url}"' in html
    listed = page(client, "lead", yes_url)
    inspection = Inspection.objects.get(slug="north-downs-2024")
    yes_cases = KeyQuestionAnswer.objects.filter(
        case__inspection=inspection,
        case__status__in=COUNTED_STATUSES,
        key_question__code="2.4.3",
        answer=Answer.YES,
    ).values_list("case__reference", flat=True)
    assert yes_cases
    assert all(reference in listed for reference in yes_cases)
    assert "Cases answered Yes on 2.4.3" in listed

    # Viewers read aggregates only: no link, and no page.
    viewer_html = dashboard(client, "viewer")
    assert "key-questions/2.4.3/yes/" not in viewer_html
    assert texts(viewer_html, "data-deciding-cases") == []
    assert client.get(yes_url).status_code == 404


def test_a_suppressed_figure_gets_no_firmness_sentence_either(client, demo, settings):
    # North Downs counts 25 cases: with the threshold above that, a viewer sees none of
    # its case-rated figures, so neither how firmly they hold nor how sure they are.
    settings.SMALL_NUMBER_THRESHOLD = 26
    query = ""
    team = dashboard(client, "lead", query=query)
    viewer = dashboard(client, "viewer", query=query)
    viewer_panels = panels(viewer)
    suppressed = [code for code, html in viewer_panels.items() if "fewer than 26 cases" in html]
    shown = [code for code in viewer_panels if code not in suppressed]
    assert suppressed == ["2.1", "2.2", "2.3", "2.4"]
    for code in suppressed:
        assert texts(viewer_panels[code], "data-holds-by") == []
        assert texts(viewer_panels[code], "data-next-step") == []
        assert texts(viewer_panels[code], "data-band-edge") == []
        assert "% to " not in viewer_panels[code]  # no interval of a hidden figure
    # The team sees every figure (with a caution), firmness included.
    team_panels = panels(team)
    assert any(
        texts(team_panels[code], "data-holds-by") or texts(team_panels[code], "data-next-step")
        for code in suppressed
    )
    assert not shown
    document = json.loads(
        page(client, "viewer", reverse("casereview:summary-json", args=["north-downs-2024"]))
    )
    for standard in document["standards"]:
        if standard["basis"] == "cases":
            assert (standard["holds_by"], standard["lift_by"]) == (None, None)
            assert {kq["interval"] for kq in standard["key_questions"]} == {None}


def panels(html):
    """Each standard's panel of the dashboard, by standard code."""
    parts = html.split('data-standard-panel="')[1:]
    return {part.split('"', 1)[0]: part.split("</section>", 1)[0] for part in parts}


def north_downs_deciding():
    """The counted North Downs cases whose answers decide a rating, worked out here from
    the summary and the answers, independently of the moderation code."""
    inspection = Inspection.objects.get(slug="north-downs-2024")
    summary = inspection_summary(inspection=inspection)
    answers = KeyQuestionAnswer.objects.filter(
        case__inspection=inspection, case__status__in=COUNTED_STATUSES
    ).values_list("case__reference", "key_question__code", "answer")
    decided = {}
    for standard in summary.standards:
        if standard.basis != "cases":
            continue
        fragile = []
        if standard.holds_by and standard.holds_by.answers <= 2:
            fragile += [(code, Answer.YES) for code in standard.holds_by.key_questions]
        if standard.lift_by and standard.lift_by.answers <= 2:
            fragile += [(code, Answer.NO) for code in standard.lift_by.key_questions]
        for reference, code, answer in answers:
            if (code, answer) in fragile:
                decided.setdefault(reference, set()).add(standard.code)
    return decided


def test_the_moderation_list_puts_the_cases_that_decide_a_rating_first(client, demo):
    decided = north_downs_deciding()
    # North Downs: 2.1 and 2.4 hold by 1, 2.3 by 2; 2.2 would lift by 2.
    assert {code for codes in decided.values() for code in codes} == {"2.1", "2.2", "2.3", "2.4"}
    html = page(client, "lead", reverse("casereview:moderation", args=["north-downs-2024"]))
    rows = re.findall(r'<tr class="govuk-table__row" data-case="([^"]+)">(.*?)</tr>', html, re.S)
    marked = [reference for reference, row in rows if "Decides</strong>" in row]
    assert set(marked) == set(decided)
    assert [reference for reference, _ in rows[: len(marked)]] == marked  # first
    how_many = [len(decided.get(reference, ())) for reference, _ in rows]
    assert how_many == sorted(how_many, reverse=True)  # those deciding most, first
    assert len(set(how_many)) > 1
    for reference, row in rows:
        for code in decided.get(reference, ()):
            assert f"<li>{code} " in row  # says which standard it decides
    assert f'<strong class="app-figure" data-deciding-count>{len(decided)}</strong>' in html


def test_the_double_marking_sample_can_be_the_deciding_cases_in_one_choice(client, demo):
    decided = north_downs_deciding()
    inspection = Inspection.objects.get(slug="north-downs-2024")
    inspector = inspection.memberships.filter(role="inspector").first().user
    url = reverse("casereview:double-marking", args=[inspection.slug])
    html = page(client, "lead", url)
    assert "Every case below that decides a rating" in html
    already = set(SecondMarking.objects.values_list("case__reference", flat=True))
    response = client.post(url, {"sample": "deciding", "inspector": inspector.pk})
    assert response.status_code == 302
    sent = set(SecondMarking.objects.values_list("case__reference", flat=True)) - already
    # Every deciding case but the inspector's own (a case is never second-marked by its
    # first marker), and nothing else.
    own = set(
        Case.objects.filter(inspection=inspection, inspector=inspector).values_list(
            "reference", flat=True
        )
    )
    assert sent == set(decided) - own - already
    assert sent


def test_drawing_the_deciding_cases_where_none_decides_says_so_beside_the_choice(client, demo):
    # West Sussex: every case-rated standard Inadequate, lifting by 9 answers or more.
    inspection = Inspection.objects.get(slug="west-sussex-2023")
    inspector = inspection.memberships.filter(role="inspector").first().user
    url = reverse("casereview:double-marking", args=[inspection.slug])
    page(client, "lead", url)
    before = SecondMarking.objects.count()
    response = client.post(url, {"sample": "deciding", "inspector": inspector.pk})
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'id="id_sample-error"' in html
    assert "No case left to send decides a rating; choose cases" in html
    assert 'value="deciding" checked' in html  # the choice is kept
    assert SecondMarking.objects.count() == before


def test_the_report_draft_keeps_the_published_percentages_only(client, demo):
    html = page(client, "lead", reverse("casereview:report-draft", args=["north-downs-2024"]))
    assert "How sure is this?" not in html
    assert "cannot settle" not in html
    assert not re.search(r"\d+% to \d+%", html)  # no interval anywhere in the draft
