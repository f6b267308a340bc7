"""Double marking: blind second answers, agreement and Cohen's kappa, resolution."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casereview.models import (
    Answer,
    CaseStatus,
    KeyQuestionAnswer,
    SecondMarking,
    SecondMarkingAnswer,
    SecondMarkingStatus,
)
from casereview.moderation.consistency import (
    cohens_kappa,
    inspection_consistency,
    observed_agreement,
)
from casereview.moderation.double_marking import (
    RESOLVED_REASON,
    DoubleMarkingError,
    disagreement_resolve,
    marked_key_questions,
    second_marking_request,
    second_marking_submit,
)
from inspection.models import Role
from tests.casereview.review_helpers import history_reasons, rated_key_questions, submitted_case
from tests.factories import CaseFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

Y, N, NA = Answer.YES, Answer.NO, Answer.NOT_APPLICABLE


# Cohen's kappa, by hand --------------------------------------------------------------


def test_kappa_of_a_two_by_two_table():
    # 20 both Yes, 5 Yes/No, 10 No/Yes, 15 both No: observed 35/50 = 0.7; the first
    # inspector said Yes 25/50, the second 30/50, so chance agreement is
    # 0.5 * 0.6 + 0.5 * 0.4 = 0.5 and kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    table = {(Y, Y): 20, (Y, N): 5, (N, Y): 10, (N, N): 15}
    assert observed_agreement(table) == pytest.approx(0.7)
    assert cohens_kappa(table) == pytest.approx(0.4)


def test_kappa_of_a_three_category_table():
    # Observed (10 + 8 + 2) / 25 = 0.8. First: Yes 12, No 10, N/A 3; second: Yes 11,
    # No 11, N/A 3; chance (132 + 110 + 9) / 625 = 0.4016; kappa 0.3984 / 0.5984.
    table = {
        (Y, Y): 10,
        (Y, N): 2,
        (N, Y): 1,
        (N, N): 8,
        (N, NA): 1,
        (NA, N): 1,
        (NA, NA): 2,
    }
    assert cohens_kappa(table) == pytest.approx(0.3984 / 0.5984)


def test_kappa_extremes():
    assert cohens_kappa({(Y, Y): 4, (N, N): 6}) == pytest.approx(1.0)
    assert cohens_kappa({(Y, N): 5, (N, Y): 5}) == pytest.approx(-1.0)
    # Chance explains everything when both only ever said Yes: not defined.
    assert cohens_kappa({(Y, Y): 7}) is None
    assert cohens_kappa({}) is None
    assert observed_agreement({}) is None


# Sending and marking -----------------------------------------------------------------


@pytest.fixture
def first_case(inspection, inspector):
    return submitted_case(inspection, inspector, reference="DM-1", note="FIRST-SECRET-NOTE")


def blind_answers(inspection, overrides=None, default=Y):
    overrides = overrides or {}
    return {
        kq.pk: (overrides.get(kq.code, default), f"second note {kq.code}")
        for kq in rated_key_questions(inspection)
    }


def test_second_marker_must_be_another_inspector_of_the_team(
    inspection, first_case, inspector, lead, other_inspector, outsider
):
    for who in (inspector, lead, outsider):
        with pytest.raises(DoubleMarkingError):
            second_marking_request(
                inspection=inspection, cases=[first_case], inspector=who, user=lead
            )
    draft = CaseFactory(inspection=inspection, status=CaseStatus.IN_PROGRESS)
    with pytest.raises(DoubleMarkingError, match="has not been submitted"):
        second_marking_request(
            inspection=inspection, cases=[draft], inspector=other_inspector, user=lead
        )
    second_marking_request(
        inspection=inspection, cases=[first_case], inspector=other_inspector, user=lead
    )
    with pytest.raises(DoubleMarkingError, match="already been sent"):
        second_marking_request(
            inspection=inspection, cases=[first_case], inspector=other_inspector, user=lead
        )
    assert SecondMarking.objects.count() == 1


def test_second_marker_cannot_open_the_case_until_they_submit(
    client, inspection, first_case, lead, other_inspector
):
    (marking,) = second_marking_request(
        inspection=inspection, cases=[first_case], inspector=other_inspector, user=lead
    )
    blocked = [
        reverse("casereview:case-detail", args=[first_case.pk]),
        reverse("casereview:case-check", args=[first_case.pk]),
        reverse("casereview:case-section", args=[first_case.pk, "assessment"]),
    ]
    third = UserFactory(username="third-inspector")
    MembershipFactory(inspection=inspection, user=third, role=Role.INSPECTOR)
    client.force_login(third)
    for url in blocked:
        assert client.get(url).status_code != 404, url  # the pages exist for the team
    client.force_login(other_inspector)
    for url in blocked:
        assert client.get(url).status_code == 404, url
    # The marking page itself shows the case's attributes but no first answer or note.
    page = client.get(marking.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "DM-1" in html
    assert "FIRST-SECRET-NOTE" not in html
    assert "checked" not in html
    # Submitting lifts the blind: a team inspector may read the case again.
    data = {f"kq_{pk}": answer for pk, (answer, _) in blind_answers(inspection).items()}
    response = client.post(marking.get_absolute_url(), data)
    assert response.status_code == 302
    assert client.get(blocked[0]).status_code == 200


def test_other_inspectors_still_see_the_case_while_it_is_second_marked(
    client, inspection, first_case, lead, other_inspector
):
    third = UserFactory(username="third-inspector")
    MembershipFactory(inspection=inspection, user=third, role=Role.INSPECTOR)
    second_marking_request(
        inspection=inspection, cases=[first_case], inspector=other_inspector, user=lead
    )
    client.force_login(third)
    assert client.get(reverse("casereview:case-detail", args=[first_case.pk])).status_code == 200


def test_nobody_else_can_open_a_second_marking(
    client, inspection, first_case, lead, other_inspector
):
    (marking,) = second_marking_request(
        inspection=inspection, cases=[first_case], inspector=other_inspector, user=lead
    )
    client.force_login(lead)
    assert client.get(marking.get_absolute_url()).status_code == 404


def test_second_marking_form_lists_every_missing_answer(
    client, inspection, first_case, lead, other_inspector
):
    (marking,) = second_marking_request(
        inspection=inspection, cases=[first_case], inspector=other_inspector, user=lead
    )
    client.force_login(other_inspector)
    key_questions = rated_key_questions(inspection)
    data = {f"kq_{key_questions[0].pk}": Y, f"note_{key_questions[0].pk}": "Typed note"}
    html = client.post(marking.get_absolute_url(), data).content.decode()
    assert "govuk-error-summary" in html
    for key_question in key_questions[1:]:
        assert f"Answer key question {key_question.code}" in html
    assert "Typed note" in html
    marking.refresh_from_db()
    assert marking.status == SecondMarkingStatus.PENDING


def test_submitting_records_the_first_answers_beside_the_second(
    inspection, first_case, lead, inspector, other_inspector
):
    (marking,) = second_marking_request(
        inspection=inspection, cases=[first_case], inspector=other_inspector, user=lead
    )
    second_marking_submit(
        second_marking=marking,
        answers=blind_answers(inspection, {"2.1.3": N, "2.4.2": NA}),
        user=other_inspector,
    )
    marking.refresh_from_db()
    assert marking.status == SecondMarkingStatus.SUBMITTED
    assert marking.first_inspector == inspector
    answers = {a.key_question.code: a for a in marking.answers.select_related("key_question")}
    assert len(answers) == 12
    assert {
        code: (a.first_answer, a.answer) for code, a in answers.items() if a.is_disagreement
    } == {
        "2.1.3": (Y, N),
        "2.4.2": (Y, NA),
    }
    with pytest.raises(DoubleMarkingError, match="already been second-marked"):
        second_marking_submit(
            second_marking=marking, answers=blind_answers(inspection), user=other_inspector
        )


# The consistency figures ------------------------------------------------------------


def mark(inspection, lead, second, first_answers, second_answers, first_inspector):
    """A case first marked `first_answers`, second marked `second_answers` (by code)."""
    case = submitted_case(inspection, first_inspector, answers=first_answers)
    (marking,) = second_marking_request(
        inspection=inspection, cases=[case], inspector=second, user=lead
    )
    second_marking_submit(
        second_marking=marking, answers=blind_answers(inspection, second_answers), user=second
    )
    return case


def build_known_table(inspection, lead, inspector, other_inspector):
    """On 2.1.1 over ten cases: 4 Yes/Yes, 1 Yes/No, 1 No/Yes, 4 No/No (kappa 0.6).
    Every other key question: all Yes on both sides."""
    pairs = [(Y, Y)] * 4 + [(Y, N)] + [(N, Y)] + [(N, N)] * 4
    for first, second in pairs:
        mark(inspection, lead, other_inspector, {"2.1.1": first}, {"2.1.1": second}, inspector)


def test_agreement_and_kappa_per_key_question_and_pair(
    inspection, lead, inspector, other_inspector
):
    build_known_table(inspection, lead, inspector, other_inspector)
    summary = inspection_consistency(inspection=inspection)
    by_code = {row.code: row.agreement for row in summary.by_key_question}
    first = by_code["2.1.1"]
    # Observed 8/10; chance 0.5 * 0.5 + 0.5 * 0.5 = 0.5; kappa (0.8 - 0.5) / 0.5 = 0.6.
    assert (first.compared, first.agreed, first.percent) == (10, 8, 80)
    assert first.kappa == pytest.approx(0.6)
    assert (by_code["2.1.2"].compared, by_code["2.1.2"].percent) == (10, 100)
    assert by_code["2.1.2"].kappa is None
    (pair,) = summary.by_pair
    assert (pair.first, pair.second) == (inspector.get_full_name(), other_inspector.get_full_name())
    assert (pair.agreement.compared, pair.agreement.agreed) == (120, 118)
    # Pooled: Yes/Yes 114, Yes/No 1, No/Yes 1, No/No 4; both said Yes 115 of 120 times.
    expected_chance = (115 / 120) ** 2 + (5 / 120) ** 2
    expected = (118 / 120 - expected_chance) / (1 - expected_chance)
    assert pair.agreement.kappa == pytest.approx(expected)
    assert summary.overall.agreed == 118
    assert len(summary.disagreements) == 2
    assert (summary.submitted, summary.pending) == (10, 0)


def test_consistency_page_shows_the_hand_computed_figures(
    client, inspection, lead, inspector, other_inspector
):
    build_known_table(inspection, lead, inspector, other_inspector)
    client.force_login(lead)
    html = client.get(reverse("casereview:consistency", args=[inspection.slug])).content.decode()
    row = html[html.index('data-key-question="2.1.1"') :]
    row = row[: row.index("</tr>")]
    assert "<td" in row and ">10<" in row and ">8<" in row and "80%" in row and "0.60" in row
    assert "Not defined" in html
    assert html.count("data-disagreement=") == 2


def test_consistency_page_renders_when_the_first_inspector_is_gone(
    client, inspection, lead, inspector, other_inspector
):
    """A first inspector removed since (SET_NULL) once made the page a 500: the template
    read None.get_username as a filter argument. Their answers show as a removed user's."""
    build_known_table(inspection, lead, inspector, other_inspector)
    SecondMarking.objects.filter(case__inspection=inspection).update(first_inspector=None)
    client.force_login(lead)

    response = client.get(reverse("casereview:consistency", args=[inspection.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-disagreement=") == 2
    assert "A removed user" in html
    assert other_inspector.get_full_name() in html


def test_consistency_queries_do_not_grow_with_markings(
    inspection, lead, inspector, other_inspector
):
    mark(inspection, lead, other_inspector, {}, {"2.2.1": N}, inspector)
    with CaptureQueriesContext(connection) as few:
        inspection_consistency(inspection=inspection)
    for _ in range(15):
        mark(inspection, lead, other_inspector, {"2.3.1": N}, {}, inspector)
    with CaptureQueriesContext(connection) as many:
        summary = inspection_consistency(inspection=inspection)
        for item in summary.disagreements:
            str(item.second_marking.case.reference)
            str(item.second_marking.first_inspector)
    assert len(many) == len(few) == 5


def test_resolving_a_disagreement_updates_the_counted_answer_with_the_reason(
    client, inspection, lead, inspector, other_inspector
):
    case = mark(inspection, lead, other_inspector, {"2.2.3": Y}, {"2.2.3": N}, inspector)
    (item,) = SecondMarkingAnswer.objects.filter(key_question__code="2.2.3")
    before = inspection_consistency(inspection=inspection).overall
    client.force_login(lead)
    url = reverse("casereview:consistency-resolve", args=[inspection.slug, item.pk])
    response = client.post(url, {"answer": N})
    assert response.status_code == 302
    counted = KeyQuestionAnswer.objects.get(case=case, key_question__code="2.2.3")
    assert counted.answer == N
    assert history_reasons(KeyQuestionAnswer, id=counted.pk)[-1] == RESOLVED_REASON
    item.refresh_from_db()
    assert (item.resolved_answer, item.resolved_by) == (N, lead)
    # The comparison stands: it is between the two markings, not the counted answer.
    after = inspection_consistency(inspection=inspection).overall
    assert (after.agreed, after.compared) == (before.agreed, before.compared)


def test_resolving_with_the_first_answer_leaves_the_case_alone(
    inspection, lead, inspector, other_inspector
):
    case = mark(inspection, lead, other_inspector, {"2.2.3": Y}, {"2.2.3": N}, inspector)
    (item,) = SecondMarkingAnswer.objects.filter(key_question__code="2.2.3")
    version = case.version
    disagreement_resolve(second_answer=item, answer=Y, user=lead)
    case.refresh_from_db()
    assert case.version == version
    assert item.resolved_answer == Y
    with pytest.raises(DoubleMarkingError, match="first or the second"):
        disagreement_resolve(second_answer=item, answer=NA, user=lead)


@pytest.mark.parametrize(
    ("who", "status"), [("inspector", 403), ("viewer", 403), ("outsider", 404)]
)
def test_only_the_lead_sees_consistency_and_double_marking(
    client, inspection, request, who, status
):
    client.force_login(request.getfixturevalue(who))
    for name in ("casereview:consistency", "casereview:double-marking"):
        assert client.get(reverse(name, args=[inspection.slug])).status_code == status


def test_lead_sends_cases_from_the_double_marking_page(
    client, inspection, lead, inspector, other_inspector
):
    first = submitted_case(inspection, inspector, reference="S-1")
    own = submitted_case(inspection, other_inspector, reference="S-2")
    client.force_login(lead)
    url = reverse("casereview:double-marking", args=[inspection.slug])
    response = client.post(url, {"cases": [first.pk, own.pk], "inspector": other_inspector.pk})
    html = response.content.decode()
    assert "S-2 was marked first by the same inspector" in html
    assert not SecondMarking.objects.exists()
    response = client.post(url, {"cases": [first.pk], "inspector": other_inspector.pk})
    assert response.status_code == 302
    marking = SecondMarking.objects.get()
    assert (marking.case, marking.inspector, marking.requested_by) == (first, other_inspector, lead)
    client.force_login(other_inspector)
    listing = client.get(reverse("casereview:second-marking-list")).content.decode()
    assert "S-1" in listing
    assert marking.get_absolute_url() in listing


def test_marked_key_questions_are_the_rated_ones(inspection):
    codes = [kq.code for kq in marked_key_questions(framework=inspection.framework_id)]
    assert codes == [kq.code for kq in rated_key_questions(inspection)]
    assert len(codes) == 12


def test_lead_withdraws_a_pending_second_marking(
    client, inspection, first_case, lead, inspector, other_inspector
):
    (marking,) = second_marking_request(
        inspection=inspection, cases=[first_case], inspector=other_inspector, user=lead
    )
    url = reverse("casereview:double-marking-withdraw", args=[inspection.slug, marking.pk])
    client.force_login(inspector)
    assert client.post(url).status_code == 403
    client.force_login(lead)
    assert client.post(url).status_code == 302
    assert not SecondMarking.objects.exists()
    assert SecondMarking.history.filter(history_type="-").get().history_user == lead
    # No longer blind: the case is the team's again, and may be sent anew.
    client.force_login(other_inspector)
    assert client.get(reverse("casereview:case-detail", args=[first_case.pk])).status_code == 200
    (again,) = second_marking_request(
        inspection=inspection, cases=[first_case], inspector=other_inspector, user=lead
    )
    second_marking_submit(
        second_marking=again, answers=blind_answers(inspection), user=other_inspector
    )
    client.force_login(lead)
    url = reverse("casereview:double-marking-withdraw", args=[inspection.slug, again.pk])
    client.post(url)
    assert SecondMarking.objects.filter(pk=again.pk).exists()


@pytest.mark.parametrize("url_name", ["casereview:double-marking"])
def test_sending_for_double_marking_with_no_fields_shows_the_errors(
    client, inspection, lead, url_name
):
    client.force_login(lead)
    response = client.post(reverse(url_name, args=[inspection.slug]), {})
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Choose at least one case to double mark" in html
    assert "Choose the second inspector" in html


def test_second_marking_with_no_fields_shows_every_missing_answer(
    client, inspection, first_case, lead, other_inspector
):
    (marking,) = second_marking_request(
        inspection=inspection, cases=[first_case], inspector=other_inspector, user=lead
    )
    client.force_login(other_inspector)
    html = client.post(marking.get_absolute_url(), {}).content.decode()
    assert "govuk-error-summary" in html
    for key_question in rated_key_questions(inspection):
        assert f"Answer key question {key_question.code}" in html
    marking.refresh_from_db()
    assert marking.status == SecondMarkingStatus.PENDING


@pytest.mark.parametrize(
    ("answer", "message"),
    [("", "Choose the answer that counts for"), (NA, "first or the second")],
)
def test_a_refused_resolution_is_shown_beside_its_radios_and_in_the_summary(
    client, inspection, lead, inspector, other_inspector, answer, message
):
    mark(inspection, lead, other_inspector, {"2.2.3": Y}, {"2.2.3": N}, inspector)
    (item,) = SecondMarkingAnswer.objects.filter(key_question__code="2.2.3")
    client.force_login(lead)
    url = reverse("casereview:consistency-resolve", args=[inspection.slug, item.pk])
    response = client.post(url, {"answer": answer} if answer else {})
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index("govuk-error-summary") : html.index("</h1>")]
    assert f'<a href="#resolve-{item.pk}">' in summary and message in summary
    beside = html[html.index(f'id="resolve-{item.pk}-error"') :]
    assert message in beside[: beside.index("</p>")]
    assert 'class="govuk-form-group govuk-form-group--error' in html
    item.refresh_from_db()
    assert item.resolved_answer == ""


def test_a_refused_resolution_keeps_the_choice(
    client, inspection, lead, inspector, other_inspector, monkeypatch
):
    from casereview.moderation import views_double_marking as views

    mark(inspection, lead, other_inspector, {"2.2.3": Y}, {"2.2.3": N}, inspector)
    (item,) = SecondMarkingAnswer.objects.filter(key_question__code="2.2.3")

    def refuse(**kwargs):
        raise DoubleMarkingError(["The case was reopened meanwhile"])

    monkeypatch.setattr(views, "disagreement_resolve", refuse)
    client.force_login(lead)
    url = reverse("casereview:consistency-resolve", args=[inspection.slug, item.pk])
    html = client.post(url, {"answer": N}).content.decode()
    assert f'name="answer" type="radio" id="resolve-{item.pk}-2" value="{N}" checked' in html
    assert f'value="{Y}" checked' not in html


# Reading the consistency page ------------------------------------------------------


def test_disagreements_show_both_answers_and_notes_side_by_side_in_key_question_order(
    client, inspection, lead, inspector, other_inspector
):
    # The case marked first disagrees on a later key question than the second case.
    late = mark(inspection, lead, other_inspector, {"2.4.1": N}, {}, inspector)
    early = mark(inspection, lead, other_inspector, {}, {"2.1.2": N}, inspector)
    KeyQuestionAnswer.objects.filter(case=early, key_question__code="2.1.2").update(
        note="First inspector: plan seen and sound."
    )
    client.force_login(lead)
    html = client.get(reverse("casereview:consistency", args=[inspection.slug])).content.decode()

    rows = re.findall(r'data-disagreement="([^"]+)"', html)
    assert rows == [f"{early.reference} 2.1.2", f"{late.reference} 2.4.1"]
    row = html[html.index(f'data-disagreement="{early.reference} 2.1.2"') :]
    row = row[: row.index("</tr>")]
    first = row[row.index("data-first") : row.index("data-second")]
    second = row[row.index("data-second") :]
    assert "Yes" in first and "First inspector: plan seen and sound." in first
    assert "No" in second and "second note 2.1.2" in second


def test_agreement_over_fewer_than_5_cases_carries_a_caution(
    client, inspection, lead, inspector, other_inspector
):
    for _ in range(4):
        mark(inspection, lead, other_inspector, {}, {}, inspector)
    summary = inspection_consistency(inspection=inspection)
    assert summary.overall.cases == 4 and summary.overall.caution
    assert all(row.agreement.caution for row in summary.by_key_question)
    client.force_login(lead)
    url = reverse("casereview:consistency", args=[inspection.slug])
    html = client.get(url).content.decode()
    assert "data-caution-summary" in html and "fewer than 5 cases" in html
    row = html[html.index('data-key-question="2.1.1"') :]
    assert "Treat with caution" in row[: row.index("</tr>")]

    mark(inspection, lead, other_inspector, {}, {}, inspector)  # the fifth case
    summary = inspection_consistency(inspection=inspection)
    assert summary.overall.cases == 5 and not summary.caution
    html = client.get(url).content.decode()
    assert "Treat with caution" not in html and "data-caution-summary" not in html
