import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casereview.entry.sections import answer_field, case_sections, note_field, prompt_field
from casereview.entry.services import save_section
from casereview.models import (
    Answer,
    Case,
    CaseStatus,
    KeyQuestionAnswer,
    PromptAnswer,
    RiskOfSeriousHarm,
)
from inspection.models import InspectionStatus, KeyQuestion, Prompt
from tests.casereview.data_entry_helpers import answer_case, complete_values, post_data
from tests.factories import CaseFactory, InspectionFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(inspection, inspector):
    return CaseFactory(
        inspection=inspection,
        inspector=inspector,
        reference="C00042",
        case_type="licence",
        rosh=RiskOfSeriousHarm.HIGH,
        office="Crawley",
        practitioner_grade="PSO",
    )


@pytest.fixture
def sections(case):
    return {section.slug: section for section in case_sections(case=case)}


def section_url(case, slug):
    return reverse("casereview:case-section", args=[case.pk, slug])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Access


@pytest.mark.parametrize("name", ["case-detail", "case-section", "case-check"])
def test_signed_out_users_are_sent_to_sign_in(client, case, name):
    args = [case.pk, "assessment"] if name == "case-section" else [case.pk]
    response = client.get(reverse(f"casereview:{name}", args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["outsider", "viewer"])
def test_people_outside_the_team_get_404(client, case, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(section_url(case, "assessment")).status_code == 404
    response = client.post(section_url(case, "assessment"), {"version": 0, "save_draft": ""})
    assert response.status_code == 404


def test_another_inspector_reads_the_case_but_cannot_change_it(client, case, other_inspector):
    client.force_login(other_inspector)
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert "You can read this case's answers but not change them" in text(response)
    assert section_url(case, "assessment") not in text(response)
    response = client.get(section_url(case, "assessment"))
    assert response.status_code == 302
    assert response["Location"] == f"{case.get_absolute_url()}#answers"
    response = client.post(section_url(case, "assessment"), {"version": 0, "save_draft": ""})
    assert response.status_code == 403
    assert client.post(reverse("casereview:case-submit", args=[case.pk])).status_code == 403
    assert Case.objects.get(pk=case.pk).version == 0


def test_a_lead_edits_any_open_case_of_the_inspection(client, case, sections, lead):
    client.force_login(lead)
    assessment = sections["assessment"]
    response = client.post(
        section_url(case, "assessment"),
        post_data(assessment, complete_values(assessment), version=0),
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).version == 1


def test_an_unknown_section_is_404(client, case, inspector):
    client.force_login(inspector)
    assert client.get(section_url(case, "leadership")).status_code == 404


# My cases


def test_my_cases_lists_the_users_assigned_cases_with_status_and_sections_done(
    client, inspection, inspector, other_inspector, lead
):
    fresh = CaseFactory(inspection=inspection, inspector=inspector, reference="A-NEW")
    started = CaseFactory(inspection=inspection, inspector=inspector, reference="B-STARTED")
    answer_case(started, inspector, skip={"planning", "reviewing", "outcomes"})
    returned = CaseFactory(
        inspection=inspection,
        inspector=inspector,
        reference="C-RETURNED",
        status=CaseStatus.RETURNED,
        return_reason="Evidence note for 2.1.3 does not support the judgement",
    )
    CaseFactory(inspection=inspection, inspector=other_inspector, reference="NOT-MINE")
    finished = InspectionFactory(status=InspectionStatus.COMPLETE)
    MembershipFactory(inspection=finished, user=inspector)
    CaseFactory(inspection=finished, inspector=inspector, reference="OLD-INSPECTION")

    client.force_login(inspector)
    response = client.get(reverse("casereview:my-cases"))
    page = text(response)
    assert 'data-module="moj-sortable-table"' in page
    assert 'aria-sort="ascending">Case</th>' in page
    assert re.findall(r'href="/cases/\d+/\?from=my-cases">([^<]+)</a>', page) == [
        "A-NEW",
        "B-STARTED",
        "C-RETURNED",
    ]
    rows = dict(
        re.findall(
            r'href="/cases/\d+/\?from=my-cases">([^<]+)</a>.*?data-sort-value="\d">(\d of \d)',
            page,
        )
    )
    assert rows == {"A-NEW": "0 of 6", "B-STARTED": "3 of 6", "C-RETURNED": "0 of 6"}
    assert '<strong class="govuk-tag govuk-tag--grey">Not started</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--teal">In progress</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--orange">Returned</strong>' in page
    assert "Evidence note for 2.1.3 does not support the judgement" in page
    assert fresh.reference in page and returned.reference in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "not_started"}, ["A-NEW", "E-ELSEWHERE"]),
        ({"status": "in_progress"}, ["B-STARTED"]),
        ({"status": "submitted"}, ["D-SUBMITTED"]),
        ({"inspection": "second-2024"}, ["E-ELSEWHERE"]),
        ({"inspection": "second-2024", "status": "in_progress"}, []),
    ],
)
def test_my_cases_filters_by_inspection_and_status(client, inspection, inspector, query, expected):
    CaseFactory(inspection=inspection, inspector=inspector, reference="A-NEW")
    started = CaseFactory(inspection=inspection, inspector=inspector, reference="B-STARTED")
    Case.objects.filter(pk=started.pk).update(version=2)
    CaseFactory(
        inspection=inspection,
        inspector=inspector,
        reference="D-SUBMITTED",
        status=CaseStatus.SUBMITTED,
    )
    second = InspectionFactory(slug="second-2024", status=InspectionStatus.PLANNED)
    MembershipFactory(inspection=second, user=inspector)
    CaseFactory(inspection=second, inspector=inspector, reference="E-ELSEWHERE")
    client.force_login(inspector)
    response = client.get(reverse("casereview:my-cases"), query)
    page = text(response)
    assert re.findall(r'href="/cases/\d+/\?from=my-cases">([^<]+)</a>', page) == expected
    for value in query.values():
        assert f'value="{value}" selected' in page
    if query == {"status": "submitted"}:
        assert '<strong class="govuk-tag">Submitted</strong>' in page
    assert "Clear filters" in page


def test_a_bad_my_cases_filter_is_reported_beside_its_select(client, inspection, inspector):
    client.force_login(inspector)
    page = text(client.get(reverse("casereview:my-cases"), {"status": "nonsense"}))
    assert '<a href="#id_status">Select a status from the list</a>' in page
    assert 'id="id_status-error"' in page and 'aria-describedby="id_status-error"' in page
    assert 'class="govuk-select govuk-select--error" id="id_status"' in page


def _many_cases(inspection, inspector, count):
    framework_prompts = list(Prompt.objects.filter(key_question__standard__code="2.1"))
    framework_kqs = list(KeyQuestion.objects.filter(standard__code__in=["2.1", "2.2"]))
    cases = Case.objects.bulk_create(
        Case(
            inspection=inspection,
            inspector=inspector,
            reference=f"BULK{n:05d}",
            case_type="community",
            rosh=RiskOfSeriousHarm.LOW,
            version=n % 3,
        )
        for n in range(count)
    )
    cases = list(Case.objects.filter(reference__startswith="BULK"))
    PromptAnswer.objects.bulk_create(
        PromptAnswer(case=case, prompt=prompt, answer=Answer.YES)
        for case in cases
        for prompt in framework_prompts
    )
    KeyQuestionAnswer.objects.bulk_create(
        KeyQuestionAnswer(case=case, key_question=kq, answer=Answer.NO, note="n")
        for case in cases
        for kq in framework_kqs
    )
    return cases


def test_my_cases_takes_the_same_number_of_queries_for_10_and_1000_cases(
    client, inspection, inspector
):
    client.force_login(inspector)
    url = reverse("casereview:my-cases")
    _many_cases(inspection, inspector, 10)
    few = count_queries(client, url)
    Case.objects.all().delete()
    _many_cases(inspection, inspector, 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(queries) == few
    page = text(response)
    assert page.count("1 of 6") == 1000  # the complete Assessment section of each case


# The case page


def test_the_case_page_shows_the_attributes_and_the_task_list(client, case, sections, inspector):
    assessment = sections["assessment"]
    save_section(
        case=case,
        section=assessment,
        data=complete_values(assessment),
        base_version=0,
        user=inspector,
    )
    save_section(
        case=case,
        section=sections["planning"],
        data={"kq_2_2_1": Answer.YES},
        base_version=1,
        user=inspector,
    )
    client.force_login(inspector)
    page = text(client.get(case.get_absolute_url()))
    for key, value in [
        ("Case reference", "C00042"),
        ("Case type", "Release on licence"),
        ("Risk of serious harm", "High"),
        ("Practitioner grade", "PSO"),
        ("Office or team", "Crawley"),
    ]:
        assert (
            f'<dt class="govuk-summary-list__key">{key}</dt>'
            f'<dd class="govuk-summary-list__value">{value}</dd>'
        ) in page
    assert '<ul class="govuk-task-list">' in page
    statuses = re.findall(
        r'govuk-task-list__link" href="[^"]+/sections/([a-z-]+)/\?from=my-cases".*?'
        r'govuk-task-list__status" id="[^"]+"> (.*?) </div>',
        page,
    )
    assert [(slug, re.sub(r"<[^>]+>", "", status)) for slug, status in statuses] == [
        ("assessment", "Completed"),
        ("planning", "In progress"),
        ("implementation-and-delivery", "Not yet started"),
        ("reviewing", "Not yet started"),
        ("outcomes", "Not yet started"),
        ("management-oversight", "Not yet started"),
        ("risk-information", "Not yet started"),
    ]
    assert reverse("casereview:case-check", args=[case.pk]) in page
    assert '<h2 class="govuk-heading-m" id="history">History</h2>' in page
    assert "moj-timeline" in page


def test_the_case_page_takes_the_same_number_of_queries_whatever_the_answers(
    client, inspection, inspector
):
    client.force_login(inspector)
    empty = CaseFactory(inspection=inspection, inspector=inspector)
    full = CaseFactory(inspection=inspection, inspector=inspector)
    answer_case(full, inspector)
    assert count_queries(client, empty.get_absolute_url()) == count_queries(
        client, full.get_absolute_url()
    )
    for slug in ["assessment", "management-oversight"]:
        assert count_queries(client, section_url(empty, slug)) == count_queries(
            client, section_url(full, slug)
        )
    check = "casereview:case-check"
    assert count_queries(client, reverse(check, args=[empty.pk])) == count_queries(
        client, reverse(check, args=[full.pk])
    )


# Section pages


def test_the_section_page_shows_the_saved_answers_and_the_version(
    client, case, sections, inspector
):
    assessment = sections["assessment"]
    kq = assessment.key_questions[0]
    save_section(
        case=case,
        section=assessment,
        data={answer_field(kq): Answer.NO, note_field(kq): "Seen in the record & more"},
        base_version=0,
        user=inspector,
    )
    client.force_login(inspector)
    page = text(client.get(section_url(case, "assessment")))
    assert '<h1 class="govuk-heading-l">Assessment</h1>' in page
    assert kq.text in page
    assert re.search(rf'id="id_{answer_field(kq)}_2" value="no" checked', page)
    assert "Seen in the record &amp; more</textarea>" in page
    assert 'name="version" value="1"' in page
    assert "data-autosave" in page
    assert "js/autosave.js" in page


def test_save_as_draft_saves_and_returns_to_the_case(client, case, sections, inspector):
    client.force_login(inspector)
    assessment = sections["assessment"]
    first = assessment.all_prompts[0]
    response = client.post(
        section_url(case, "assessment"),
        post_data(assessment, {prompt_field(first): Answer.NOT_APPLICABLE}, version=0),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert "Assessment saved as a draft at" in text(response)
    assert PromptAnswer.objects.get(case=case, prompt=first).answer == Answer.NOT_APPLICABLE
    assert Case.objects.get(pk=case.pk).version == 1


def test_save_and_continue_with_gaps_keeps_the_input_and_lists_the_errors(
    client, case, sections, inspector
):
    client.force_login(inspector)
    assessment = sections["assessment"]
    values = complete_values(assessment, note="Typed by me ✓")
    missing = assessment.key_questions[2]
    values[note_field(missing)] = ""
    response = client.post(
        section_url(case, "assessment"),
        post_data(assessment, values, version=0, button="save_continue"),
    )
    assert response.status_code == 200
    page = text(response)
    assert "<title>Error: Assessment" in page
    assert "There is a problem" in page
    assert (
        f'<a href="#id_{note_field(missing)}">Enter an evidence note for key question 2.1.3</a>'
        in page
    )
    assert "Typed by me ✓</textarea>" in page
    assert page.count(" checked") == 9 + 3
    # The draft was saved, so the form now carries the new version.
    assert 'name="version" value="1"' in page
    assert "Saved at" in page
    assert KeyQuestionAnswer.objects.filter(case=case, note="Typed by me ✓").count() == 2


def test_save_and_continue_goes_to_the_next_section_then_to_check_answers(
    client, case, sections, inspector
):
    client.force_login(inspector)
    assessment = sections["assessment"]
    response = client.post(
        section_url(case, "assessment"),
        post_data(assessment, complete_values(assessment), version=0, button="save_continue"),
    )
    assert response["Location"] == section_url(case, "planning")
    risk = sections["risk-information"]
    response = client.post(
        section_url(case, "risk-information"),
        post_data(risk, {}, version=1, button="save_continue"),
    )
    assert response["Location"] == reverse("casereview:case-check", args=[case.pk])


def test_a_too_long_note_is_refused_and_nothing_is_saved(client, case, sections, inspector):
    client.force_login(inspector)
    assessment = sections["assessment"]
    name = note_field(assessment.key_questions[0])
    response = client.post(
        section_url(case, "assessment"),
        post_data(assessment, {name: "a" * 10_001}, version=0),
    )
    assert response.status_code == 200
    assert "must be 10,000 characters or fewer" in text(response)
    assert Case.objects.get(pk=case.pk).version == 0
    response = client.post(
        section_url(case, "assessment"),
        post_data(assessment, {name: "a" * 10_000}, version=0),
    )
    assert response.status_code == 302
    assert len(KeyQuestionAnswer.objects.get(case=case).note) == 10_000


# Conflicts


def test_a_stale_save_shows_the_conflict_page_and_saves_nothing(
    client, case, sections, inspector, lead
):
    assessment = sections["assessment"]
    kq = assessment.key_questions[0]
    save_section(
        case=case,
        section=assessment,
        data={answer_field(kq): Answer.YES, note_field(kq): "The lead's note"},
        base_version=0,
        user=lead,
    )
    client.force_login(inspector)
    mine = {answer_field(kq): Answer.NO, note_field(kq): "My own note"}
    response = client.post(section_url(case, "assessment"), post_data(assessment, mine, version=0))
    assert response.status_code == 409
    page = text(response)
    assert "Someone else has changed this case" in page
    assert "Your answers have not been saved" in page
    row = (
        f'<th scope="row" class="govuk-table__header">{kq.code} {kq.text}</th> '
        '<td class="govuk-table__cell app-note">Yes</td> '
        '<td class="govuk-table__cell app-note">No</td>'
    )
    assert row in page
    assert "The lead&#x27;s note" in page and "My own note</textarea>" in page
    assert re.search(rf'id="id_{answer_field(kq)}_2" value="no" checked', page)
    assert 'name="version" value="1"' in page
    assert f'href="{section_url(case, "assessment")}">Discard mine and reload</a>' in page
    answer = KeyQuestionAnswer.objects.get(case=case, key_question=kq)
    assert (answer.answer, answer.note) == (Answer.YES, "The lead's note")

    # Saving from the conflict page overwrites knowingly.
    response = client.post(section_url(case, "assessment"), post_data(assessment, mine, version=1))
    assert response.status_code == 302
    answer.refresh_from_db()
    assert (answer.answer, answer.note) == (Answer.NO, "My own note")


# Autosave


def test_autosave_returns_the_new_version_as_json(client, case, sections, inspector):
    client.force_login(inspector)
    assessment = sections["assessment"]
    data = post_data(assessment, {"prompt_2_1_1_a": Answer.YES}, version=0, button="")
    response = client.post(section_url(case, "assessment"), data, headers={"X-Autosave": "1"})
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1
    assert re.fullmatch(r"\d\d:\d\d", body["saved_at"])
    data["version"] = 1
    response = client.post(section_url(case, "assessment"), data, headers={"X-Autosave": "1"})
    assert response.json()["version"] == 2


def test_autosave_of_a_stale_version_is_a_409_and_saves_nothing(client, case, sections, inspector):
    client.force_login(inspector)
    Case.objects.filter(pk=case.pk).update(version=4)
    assessment = sections["assessment"]
    data = post_data(assessment, {"prompt_2_1_1_a": Answer.YES}, version=3, button="")
    response = client.post(section_url(case, "assessment"), data, headers={"X-Autosave": "1"})
    assert response.status_code == 409
    assert response.json() == {"conflict": True, "reload_url": section_url(case, "assessment")}
    assert not PromptAnswer.objects.filter(case=case).exists()


def test_autosave_of_invalid_input_is_a_400_with_the_errors(client, case, sections, inspector):
    client.force_login(inspector)
    assessment = sections["assessment"]
    data = post_data(assessment, {"note_2_1_1": "a" * 10_001}, version=0, button="")
    response = client.post(section_url(case, "assessment"), data, headers={"X-Autosave": "1"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["note_2_1_1"]
    assert Case.objects.get(pk=case.pk).version == 0


# Check answers and submit


def test_check_answers_lists_every_section_with_change_links_and_escapes_notes(
    client, case, sections, inspector
):
    answer_case(case, inspector)
    assessment = sections["assessment"]
    kq = assessment.key_questions[0]
    save_section(
        case=case,
        section=assessment,
        data={note_field(kq): "<b>bold</b> & <script>alert(1)</script>\nsecond line"},
        base_version=case.version,
        user=inspector,
    )
    client.force_login(inspector)
    page = text(client.get(reverse("casereview:case-check", args=[case.pk])))
    titles = re.findall(r'<h2 class="govuk-summary-card__title">(.*?)</h2>', page)
    assert titles == [
        "Assessment",
        "Planning",
        "Implementation and delivery",
        "Reviewing",
        "Outcomes",
        "Management oversight",
        "Risk information (optional)",
    ]
    assert (
        "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;<br>second line" in page
    )
    assert "<script>alert(1)" not in page
    change = (
        f'href="{section_url(case, "assessment")}?from=my-cases#id_{answer_field(kq)}_1">Change'
        f'<span class="govuk-visually-hidden"> {kq.code} {kq.text}</span></a>'
    )
    assert change in page
    assert f'name="version" value="{case.version}"' in page


def test_submitting_an_incomplete_case_lists_what_is_missing(client, case, inspector):
    answer_case(case, inspector, skip={"reviewing", "management-oversight"})
    client.force_login(inspector)
    response = client.post(
        reverse("casereview:case-submit", args=[case.pk]), {"version": case.version}
    )
    assert response.status_code == 400
    page = text(response)
    assert "The case cannot be submitted yet" in page
    assert (
        f'<a href="{section_url(case, "reviewing")}">Complete Reviewing: 13 prompts, '
        "3 key questions and 3 evidence notes are missing</a>"
    ) in page
    assert (
        f'<a href="{section_url(case, "management-oversight")}">Complete Management oversight: '
        "1 judgement and 1 note are missing</a>"
    ) in page
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


def test_submitting_a_complete_case_makes_it_read_only_for_the_inspector(
    client, case, sections, inspector
):
    answer_case(case, inspector)
    version = case.version
    client.force_login(inspector)
    response = client.post(
        reverse("casereview:case-submit", args=[case.pk]), {"version": version}, follow=True
    )
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    page = text(response)
    assert "govuk-notification-banner--success" in page
    assert "Case C00042 submitted" in page
    case.refresh_from_db()
    assert (case.status, case.version) == (CaseStatus.SUBMITTED, version + 1)
    assert case.submitted_at is not None
    assert "You can read this case's answers but not change them" in page
    assert '<h2 class="govuk-heading-m" id="answers">Answers</h2>' in page
    assert client.get(section_url(case, "assessment")).status_code == 302
    assessment = sections["assessment"]
    response = client.post(
        section_url(case, "assessment"),
        post_data(assessment, complete_values(assessment), version=case.version),
    )
    assert response.status_code == 403


def test_submitting_after_someone_else_saved_asks_to_check_again(
    client, case, sections, inspector, lead
):
    answer_case(case, inspector)
    checked = case.version
    save_section(
        case=Case.objects.get(pk=case.pk),
        section=sections["assessment"],
        data={"prompt_2_1_1_a": Answer.NO},
        base_version=checked,
        user=lead,
    )
    client.force_login(inspector)
    response = client.post(
        reverse("casereview:case-submit", args=[case.pk]), {"version": checked}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("casereview:case-check", args=[case.pk])
    assert "Check the answers again, then submit" in text(response)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


def test_the_lead_moderates_from_the_case_page_and_the_inspector_does_not(
    client, case, inspector, lead
):
    answer_case(case, inspector)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.SUBMITTED)
    client.force_login(lead)
    page = text(client.get(case.get_absolute_url()))
    assert '<h2 class="govuk-heading-m" id="moderation-heading">Moderation</h2>' in page
    assert reverse("casereview:case-moderate", args=[case.pk]) in page
    assert '<h2 class="govuk-heading-m" id="answers">Answers</h2>' in page
    client.force_login(inspector)
    page = text(client.get(case.get_absolute_url()))
    assert "moderation-heading" not in page
    assert reverse("casereview:case-moderate", args=[case.pk]) not in page
