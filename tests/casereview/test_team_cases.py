"""The inspection's Cases page, breadcrumbs back the way the user came, and the next
case offered once one is done."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casereview.entry.services import submit_case
from casereview.models import Answer, Case, PromptAnswer, SecondMarking
from casereview.moderation.services import case_mark_moderated, case_return_for_rework
from inspection.models import Prompt, Role
from tests.casereview.data_entry_helpers import answer_case
from tests.factories import CaseFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def cases_url(inspection, **query) -> str:
    url = reverse("casereview:inspection-cases", args=[inspection.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def listed(response) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row" data-case="([^"]+)">', text(response))


@pytest.fixture
def sample(inspection, lead, inspector, other_inspector):
    """A case at each stage, over two inspectors and nobody."""
    fresh = CaseFactory(inspection=inspection, inspector=other_inspector, reference="A-NEW")
    started = CaseFactory(inspection=inspection, inspector=other_inspector, reference="B-START")
    answer_case(started, other_inspector, skip={"planning", "reviewing", "outcomes"})
    done = CaseFactory(inspection=inspection, inspector=inspector, reference="C-DONE")
    answer_case(done, inspector)
    submit_case(case=done, user=inspector)
    CaseFactory(inspection=inspection, inspector=None, reference="D-NOBODY")
    return {"fresh": fresh, "started": started, "done": done}


def test_the_lead_sees_every_case_with_inspector_status_sections_and_last_change(
    client, inspection, lead, sample
):
    client.force_login(lead)
    response = client.get(cases_url(inspection))
    page = text(response)
    assert response.status_code == 200
    assert 'data-module="moj-sortable-table"' in page
    assert listed(response) == ["A-NEW", "B-START", "C-DONE", "D-NOBODY"]
    rows = dict(re.findall(r'data-case="([^"]+)">.*?data-sort-value="\d">(\d of \d)</td>', page))
    assert rows == {
        "A-NEW": "0 of 6",
        "B-START": "3 of 6",
        "C-DONE": "6 of 6",
        "D-NOBODY": "0 of 6",
    }
    assert "Not assigned" in page
    for header in ("Case", "Inspector", "Status", "Sections done", "Last change"):
        assert f'aria-sort="{"ascending" if header == "Case" else "none"}">{header}</th>' in page
    # Each case opens with the Cases page in its breadcrumbs.
    assert f'href="/cases/{sample["fresh"].pk}/?from=cases"' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "not_started"}, ["A-NEW", "D-NOBODY"]),
        ({"status": "in_progress"}, ["B-START"]),
        ({"status": "submitted"}, ["C-DONE"]),
        ({"inspector": "none"}, ["D-NOBODY"]),
        ({"progress": "none"}, ["A-NEW", "D-NOBODY"]),
        ({"progress": "some"}, ["B-START"]),
        ({"progress": "all"}, ["C-DONE"]),
        ({"reference": "start"}, ["B-START"]),
        ({"reference": "zzz"}, []),
    ],
)
def test_the_cases_page_filters(client, inspection, lead, sample, query, expected):
    client.force_login(lead)
    response = client.get(cases_url(inspection, **query))
    assert response.status_code == 200
    assert listed(response) == expected
    if not expected:
        assert "No cases match these filters." in text(response)


def test_filtering_by_inspector(client, inspection, lead, other_inspector, sample):
    client.force_login(lead)
    response = client.get(cases_url(inspection, inspector=other_inspector.pk))
    assert listed(response) == ["A-NEW", "B-START"]
    page = text(response)
    assert f'<option value="{other_inspector.pk}" selected>' in page


def test_a_bad_filter_value_is_reported_and_the_others_still_apply(
    client, inspection, lead, sample
):
    client.force_login(lead)
    response = client.get(cases_url(inspection, inspector="999999", status="submitted"))
    page = text(response)
    assert response.status_code == 200
    assert '<a href="#id_inspector">Select an inspector from the list</a>' in page
    assert "govuk-select--error" in page
    assert listed(response) == ["C-DONE"]
    response = client.get(cases_url(inspection, progress="lots"))
    assert "Select how many sections are done from the list" in text(response)


def test_viewers_and_outsiders_get_404(client, inspection, viewer, outsider, sample):
    for user in (viewer, outsider):
        client.force_login(user)
        assert client.get(cases_url(inspection)).status_code == 404


def test_a_second_markers_pending_blind_case_is_not_listed_for_them(
    client, inspection, lead, sample
):
    marker = UserFactory(username="blind-marker")
    MembershipFactory(inspection=inspection, user=marker, role=Role.LEAD)
    SecondMarking.objects.create(case=sample["done"], inspector=marker, requested_by=lead)
    client.force_login(marker)
    assert "C-DONE" not in listed(client.get(cases_url(inspection)))
    client.force_login(lead)
    assert "C-DONE" in listed(client.get(cases_url(inspection)))


def test_the_dashboards_progress_figures_link_to_the_cases_page_filtered(
    client, inspection, lead, viewer, other_inspector, sample
):
    client.force_login(lead)
    page = text(client.get(reverse("casereview:inspection-dashboard", args=[inspection.slug])))
    base = cases_url(inspection)
    # Per inspector and status, per inspector, per status over all inspectors.
    expected = {
        f"{base}?inspector={other_inspector.pk}&amp;status=not_started": "1",
        f"{base}?inspector={other_inspector.pk}&amp;status=in_progress": "1",
        f"{base}?inspector={other_inspector.pk}": "2",
        f"{base}?inspector=none&amp;status=not_started": "1",
        f"{base}?status=not_started": "2",
        f"{base}?status=submitted": "1",
        f"{base}?": "4",
    }
    links = dict(re.findall(r'href="([^"]*/cases/\?[^"]*)">(\d+)<', page))
    for href, value in expected.items():
        assert links.get(href) == value, href
    # Following one lists exactly the cases it counts.
    response = client.get(f"{base}?inspector={other_inspector.pk}&status=not_started")
    assert listed(response) == ["A-NEW"]

    client.force_login(viewer)
    page = text(client.get(reverse("casereview:inspection-dashboard", args=[inspection.slug])))
    assert "/cases/?" not in page and base not in page


def _many_cases(inspection, inspector, count):
    Case.objects.bulk_create(
        Case(
            inspection=inspection,
            inspector=inspector,
            reference=f"BULK{n:05d}",
            case_type="community",
            rosh="low",
            version=n % 3,
        )
        for n in range(count)
    )
    prompts = list(Prompt.objects.filter(key_question__standard__code="2.1"))
    PromptAnswer.objects.bulk_create(
        PromptAnswer(case=case, prompt=prompt, answer=Answer.YES)
        for case in Case.objects.filter(reference__startswith="BULK")
        for prompt in prompts
    )


def test_the_cases_page_takes_the_same_number_of_queries_for_10_and_1000_cases(
    client, inspection, lead, inspector
):
    client.force_login(lead)
    url = cases_url(inspection)
    _many_cases(inspection, inspector, 10)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    Case.objects.all().delete()
    _many_cases(inspection, inspector, 1000)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert len(listed(response)) == 1000


# Breadcrumbs


def crumbs(response) -> list[str]:
    nav = re.search(r'<nav class="govuk-breadcrumbs".*?</nav>', text(response)).group(0)
    return re.findall(r'class="govuk-breadcrumbs__link" href="[^"]*">([^<]+)</a>', nav)


def test_breadcrumbs_follow_where_the_user_came_from(client, inspection, lead, inspector, sample):
    case = sample["done"]
    url = case.get_absolute_url()
    client.force_login(lead)
    assert crumbs(client.get(url + "?from=cases")) == ["Inspections", "Test PDU", "Cases"]
    assert crumbs(client.get(url + "?from=moderation")) == ["Inspections", "Test PDU", "Moderation"]
    # A lead not assigned the case came in through the inspection.
    assert crumbs(client.get(url)) == ["Inspections", "Test PDU", "Cases"]
    client.force_login(inspector)
    assert crumbs(client.get(url)) == ["My cases"]
    assert crumbs(client.get(url + "?from=my-cases")) == ["My cases"]
    # Moderation is the lead's: an inspector told they came from it gets their own way.
    assert crumbs(client.get(url + "?from=moderation")) == ["My cases"]


@pytest.mark.parametrize("origin", ["https://evil.example/", "//evil.example", "cases%0A", ""])
def test_an_unknown_origin_is_never_followed(client, inspection, lead, sample, origin):
    client.force_login(lead)
    response = client.get(sample["done"].get_absolute_url() + f"?from={origin}")
    assert response.status_code == 200
    assert crumbs(response) == ["Inspections", "Test PDU", "Cases"]
    assert "evil" not in text(response)


def test_a_case_sub_page_keeps_the_trail_to_the_case(client, inspection, lead, sample):
    case = sample["started"]
    client.force_login(lead)
    page = text(client.get(case.get_absolute_url() + "?from=moderation"))
    section = reverse("casereview:case-section", args=[case.pk, "assessment"])
    assert f'href="{section}?from=moderation"' in page
    response = client.get(section + "?from=moderation")
    assert crumbs(response) == ["Inspections", "Test PDU", "Moderation", "Case B-START"]
    assert f'href="{case.get_absolute_url()}?from=moderation">Case B-START' in text(response)


# The next case waiting


def next_offer(response) -> str | None:
    found = re.search(r"data-next-case>.*?<a [^>]*>Case ([^<]+)</a>", text(response))
    return found.group(1) if found else None


def test_after_moderating_the_lead_is_offered_the_next_case_waiting(
    client, inspection, lead, inspector
):
    first, second = (
        CaseFactory(inspection=inspection, inspector=inspector, reference=ref)
        for ref in ("M-1", "M-2")
    )
    for case in (first, second):
        answer_case(case, inspector)
        submit_case(case=case, user=inspector)
    client.force_login(lead)
    # The submitted case still waits for the lead: no offer on it.
    assert next_offer(client.get(first.get_absolute_url())) is None

    response = client.post(reverse("casereview:case-moderate", args=[first.pk]), follow=True)
    assert next_offer(response) == "M-2"
    assert f'href="{second.get_absolute_url()}?from=moderation"' in text(response)
    assert next_offer(client.get(first.get_absolute_url())) == "M-2"

    second.refresh_from_db()
    response = client.post(
        reverse("casereview:case-return", args=[second.pk]),
        {"reason": "Notes for 2.1.3 do not support the judgement"},
        follow=True,
    )
    assert response.status_code == 200
    assert next_offer(response) is None  # nothing left waiting
    assert "Next case waiting" not in text(response)


def test_after_submitting_the_inspector_is_offered_their_next_case(
    client, inspection, inspector, other_inspector, lead
):
    mine = CaseFactory(inspection=inspection, inspector=inspector, reference="S-1")
    CaseFactory(inspection=inspection, inspector=inspector, reference="S-3")
    returned = CaseFactory(inspection=inspection, inspector=inspector, reference="S-2")
    answer_case(returned, inspector)
    submit_case(case=returned, user=inspector)
    case_return_for_rework(case=returned, reason="Check 2.2.1", user=lead)
    CaseFactory(inspection=inspection, inspector=other_inspector, reference="S-0")
    answer_case(mine, inspector)
    client.force_login(inspector)
    assert next_offer(client.get(mine.get_absolute_url())) is None  # still theirs to do
    response = client.post(
        reverse("casereview:case-submit", args=[mine.pk]), {"version": mine.version}, follow=True
    )
    assert "Case S-1 submitted" in text(response)
    assert next_offer(response) == "S-2"  # the returned case waits first, then S-3


def test_no_offer_once_everything_is_done(client, inspection, inspector, lead):
    case = CaseFactory(inspection=inspection, inspector=inspector, reference="ONLY")
    answer_case(case, inspector)
    submit_case(case=case, user=inspector)
    client.force_login(inspector)
    assert next_offer(client.get(case.get_absolute_url())) is None
    case_mark_moderated(case=case, user=lead)
    client.force_login(lead)
    assert next_offer(client.get(case.get_absolute_url())) is None


def test_the_next_case_is_never_a_pending_blind_case_of_the_lead(
    client, inspection, lead, inspector
):
    cases = [CaseFactory(inspection=inspection, inspector=inspector, reference=r) for r in "XY"]
    for case in cases:
        answer_case(case, inspector)
        submit_case(case=case, user=inspector)
    marker = UserFactory(username="lead-two")
    MembershipFactory(inspection=inspection, user=marker, role=Role.LEAD)
    SecondMarking.objects.create(case=cases[1], inspector=marker, requested_by=lead)
    case_mark_moderated(case=cases[0], user=lead)
    client.force_login(marker)
    assert next_offer(client.get(cases[0].get_absolute_url())) is None
