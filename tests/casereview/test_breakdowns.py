"""Breakdowns, prompt results and filters against figures worked out by hand."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse

from casereview.attributes import GENDER
from casereview.dashboards.breakdowns import (
    BLANK,
    case_breakdowns,
    filter_options,
    framework_key_questions,
    inspector_progress,
    prompt_results,
    rated_key_questions,
)
from casereview.dashboards.filters import CHOICE_FILTERS, CaseFilterForm
from casereview.dashboards.summary import inspection_cases
from casereview.models import Answer, CaseStatus, PromptAnswer
from casereview.transfer.workbook import sample_profile
from inspection.models import Prompt
from tests.casereview.dashboard_data import answer
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

Y, N, NA = Answer.YES, Answer.NO, Answer.NOT_APPLICABLE
SUB, MOD, OPEN = CaseStatus.SUBMITTED, CaseStatus.MODERATED, CaseStatus.IN_PROGRESS

# reference: (case type, RoSH, gender, grade, office, ethnicity, sentence start,
#             2.1.1, 2.1.3, status, assigned to the inspector)
CASES = {
    "A1": ("community", "high", "male", "PO", "North", "White", "2023-01-10", Y, N, SUB, True),
    "A2": ("community", "high", "female", "PO", "North", "", "2023-02-10", Y, Y, MOD, False),
    "A3": ("community", "medium", "male", "PSO", "South", "White", "2023-03-10", N, N, SUB, True),
    "A4": ("licence", "medium", "male", "PSO", "South", "Black", "2023-04-10", Y, N, SUB, False),
    "A5": ("licence", "low", "male", "PQiP", "", "Black", None, N, NA, SUB, False),
    # Not submitted: in no figure but the progress counts.
    "A6": ("licence", "high", "female", "PO", "North", "White", "2023-02-20", Y, Y, OPEN, True),
}  # fmt: skip


@pytest.fixture
def cases(inspection, inspector):
    made = {}
    for reference, row in CASES.items():
        case_type, rosh, gender, grade, office, ethnicity, start, a211, a213, status, mine = row
        case = CaseFactory(
            inspection=inspection,
            reference=reference,
            case_type=case_type,
            rosh=rosh,
            gender=gender,
            practitioner_grade=grade,
            office=office,
            ethnicity=ethnicity,
            sentence_start=datetime.date.fromisoformat(start) if start else None,
            status=status,
            inspector=inspector if mine else None,
            version=1,
        )
        answer(case, "2.1.1", a211)
        answer(case, "2.1.3", a213)
        made[reference] = case
    return made


def breakdowns_by_field(inspection):
    key_questions = rated_key_questions(
        framework_key_questions(framework_id=inspection.framework_id)
    )
    index = {kq.code: i for i, kq in enumerate(key_questions)}
    found = {}
    for breakdown in case_breakdowns(
        cases=inspection_cases(inspection=inspection), key_questions=key_questions
    ):
        found[breakdown.attribute.field] = {
            group.label: {
                "cases": group.cases,
                "small": group.is_small,
                "2.1.1": (group.cells[index["2.1.1"]].yes, group.cells[index["2.1.1"]].relevant),
                "2.1.3": (group.cells[index["2.1.3"]].yes, group.cells[index["2.1.3"]].relevant),
            }
            for group in breakdown.groups
        }
    return found


def test_breakdown_by_case_type_and_risk_counts_yes_over_relevant_counted_cases(inspection, cases):
    found = breakdowns_by_field(inspection)
    assert found["case_type"] == {
        "Community sentence": {"cases": 3, "small": True, "2.1.1": (2, 3), "2.1.3": (1, 3)},
        # A5's Not applicable leaves it out of 2.1.3; A6 is not submitted.
        "Release on licence": {"cases": 2, "small": True, "2.1.1": (1, 2), "2.1.3": (0, 1)},
    }
    assert found["rosh"] == {
        "Low": {"cases": 1, "small": True, "2.1.1": (0, 1), "2.1.3": (0, 0)},
        "Medium": {"cases": 2, "small": True, "2.1.1": (1, 2), "2.1.3": (0, 2)},
        "High": {"cases": 2, "small": True, "2.1.1": (2, 2), "2.1.3": (1, 2)},
    }
    assert list(found["rosh"]) == ["Low", "Medium", "High"]  # the choices' order


def test_breakdown_groups_blank_values_as_not_recorded_and_lists_them_last(inspection, cases):
    found = breakdowns_by_field(inspection)
    assert list(found["office"]) == ["North", "South", "Not recorded"]
    assert found["office"]["Not recorded"]["2.1.1"] == (0, 1)
    assert list(found["ethnicity"]) == ["Black", "White", "Not recorded"]
    assert found["ethnicity"]["White"]["2.1.1"] == (1, 2)
    assert found["practitioner_grade"]["PO"] == {
        "cases": 2,
        "small": True,
        "2.1.1": (2, 2),
        "2.1.3": (1, 2),
    }
    assert found["gender"]["Female"]["cases"] == 1


def test_a_group_of_five_cases_is_not_marked_small(inspection):
    for _ in range(5):
        answer(CaseFactory(inspection=inspection, status=CaseStatus.SUBMITTED), "2.1.1", Y)
    answer(
        CaseFactory(inspection=inspection, status=CaseStatus.SUBMITTED, case_type="licence"),
        "2.1.1",
        N,
    )
    found = breakdowns_by_field(inspection)["case_type"]
    assert found["Community sentence"]["small"] is False
    assert found["Community sentence"]["2.1.1"] == (5, 5)
    assert found["Release on licence"]["small"] is True


def test_prompt_results_count_yes_over_relevant_counted_cases(inspection, cases):
    prompt = Prompt.objects.filter(key_question__code="2.1.1").order_by("order").first()
    for reference, value in (("A1", Y), ("A2", N), ("A3", NA), ("A6", Y)):
        PromptAnswer.objects.create(case=cases[reference], prompt=prompt, answer=value)
    results = prompt_results(
        cases=inspection_cases(inspection=inspection), framework_id=inspection.framework_id
    )
    figures = {p.code: p for p in results["2.1.1"]}
    assert (figures[prompt.code].yes, figures[prompt.code].relevant) == (1, 2)
    assert figures[prompt.code].percent == 50
    assert len(results["2.1.1"]) == 3
    assert (
        sum(len(prompts) for prompts in results.values())
        == Prompt.objects.filter(
            key_question__standard__framework_id=inspection.framework_id
        ).count()
    )


def test_inspector_progress_counts_every_status(inspection, cases, inspector):
    progress = {
        row.name: row for row in inspector_progress(cases=inspection_cases(inspection=inspection))
    }
    mine = progress[inspector.get_full_name()]
    assert (mine.total, mine.submitted, mine.in_progress, mine.moderated) == (3, 2, 1, 0)
    assert (progress["Not assigned"].total, progress["Not assigned"].moderated) == (3, 1)
    assert list(progress)[-1] == "Not assigned"


def test_filter_options_come_from_the_inspections_cases(inspection, cases, inspector):
    options = filter_options(cases=inspection_cases(inspection=inspection))
    assert options["office"] == [("North", "North"), ("South", "South"), (BLANK, "Not recorded")]
    assert options["practitioner_grade"] == [("PO", "PO"), ("PQiP", "PQiP"), ("PSO", "PSO")]
    assert options["age_band"] == [(BLANK, "Not recorded")]
    assert options["inspector"] == [(str(inspector.pk), inspector.get_full_name())]


def figures_for(client, inspection, query):
    url = reverse("casereview:inspection-dashboard", args=[inspection.slug])
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    summary = response.context["summary"]
    standard = next(s for s in summary.standards if s.code == "2.1")
    kqs = {kq.code: (kq.yes, kq.relevant) for kq in standard.key_questions}
    return response, summary, kqs


@pytest.mark.parametrize(
    ("query", "total", "expected_211", "expected_213"),
    [
        ("", 6, (3, 5), (1, 4)),
        ("case_type=licence", 3, (1, 2), (0, 1)),
        ("rosh=high&rosh=medium", 5, (3, 4), (1, 4)),
        ("office=-", 1, (0, 1), (0, 0)),
        ("ethnicity=White&case_type=community", 2, (1, 2), (0, 2)),
        ("moderated=on", 1, (1, 1), (1, 1)),
        ("sentence_from=2023-02-01&sentence_to=2023-03-31", 3, (1, 2), (1, 2)),
        ("gender=female", 2, (1, 1), (1, 1)),
        ("practitioner_grade=PSO", 2, (1, 2), (0, 2)),
    ],
)
def test_filters_recompute_every_figure_for_the_subset(
    client, lead, inspection, cases, query, total, expected_211, expected_213
):
    client.force_login(lead)
    _, summary, kqs = figures_for(client, inspection, query)
    assert summary.cases.total == total
    assert kqs["2.1.1"] == expected_211
    assert kqs["2.1.3"] == expected_213


def test_inspector_filter_and_breakdowns_follow_the_filter(
    client, lead, inspection, cases, inspector
):
    client.force_login(lead)
    response, summary, kqs = figures_for(client, inspection, f"inspector={inspector.pk}")
    assert summary.cases.total == 3  # A1, A3 and the unsubmitted A6
    assert kqs["2.1.1"] == (1, 2)
    case_type = next(b for b in response.context["breakdowns"] if b.attribute.field == "case_type")
    assert [(g.label, g.cases) for g in case_type.groups] == [("Community sentence", 2)]


def test_an_invalid_filter_is_reported_and_the_valid_ones_still_apply(
    client, lead, inspection, cases
):
    client.force_login(lead)
    response, summary, kqs = figures_for(
        client,
        inspection,
        "case_type=licence&rosh=extreme&sentence_from=2023-04-01&sentence_to=2023-01-01",
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Select a risk of serious harm from the list" in html
    assert "The &#x27;to&#x27; date must be the same as or after the &#x27;from&#x27; date" in html
    assert 'href="#id_rosh"' in html and 'id="id_rosh"' in html
    assert response.context["form"].errors.keys() == {"rosh", "sentence_to"}
    # Licence cases starting from 1 April 2023: A4 alone (A5 has no start date).
    assert summary.cases.total == 1
    assert kqs["2.1.1"] == (1, 1)


def test_active_filters_are_tags_that_each_remove_their_own_value(inspection, cases):
    options = filter_options(cases=inspection_cases(inspection=inspection))
    form = CaseFilterForm(
        QueryDict("case_type=community&rosh=high&rosh=medium&moderated=on"), options=options
    )
    tags = {(tag.label, tag.value_label): tag.remove_query for tag in form.active_filters()}
    assert tags == {
        ("Case type", "Community sentence"): "rosh=high&rosh=medium&moderated=on",
        ("Risk of serious harm", "High"): "case_type=community&rosh=medium&moderated=on",
        ("Risk of serious harm", "Medium"): "case_type=community&rosh=high&moderated=on",
        ("Cases", "Moderated only"): "case_type=community&rosh=high&rosh=medium",
    }
    assert form.query_string() == "case_type=community&rosh=high&rosh=medium&moderated=on"


def test_a_blank_gender_is_one_not_recorded_group_with_not_recorded(inspection):
    # The admin form lets gender be saved empty beside the "Not recorded" choice: both
    # mean the same, so they are one group, one filter value and one profile row.
    for reference, gender, yes in (("G1", "", Y), ("G2", "not_recorded", N), ("G3", "male", Y)):
        case = CaseFactory(
            inspection=inspection, reference=reference, gender=gender, status=SUB, version=1
        )
        answer(case, "2.1.1", yes)
    cases = inspection_cases(inspection=inspection)
    key_questions = rated_key_questions(
        framework_key_questions(framework_id=inspection.framework_id)
    )
    (gender,) = case_breakdowns(cases=cases, key_questions=key_questions, attributes=(GENDER,))
    groups = {
        group.label: (group.cases, group.cells[0].yes, group.cells[0].relevant)
        for group in gender.groups
    }
    assert groups == {"Male": (1, 1, 1), "Not recorded": (2, 1, 2)}

    form = CaseFilterForm(QueryDict("gender=not_recorded"), options=filter_options(cases=cases))
    assert sorted(form.filter(cases).values_list("reference", flat=True)) == ["G1", "G2"]

    assert sample_profile(cases=cases, attribute=GENDER) == [
        ("Male", 1, 1),
        ("Not recorded", 2, 2),
    ]


@pytest.mark.parametrize("attribute", CHOICE_FILTERS, ids=lambda attribute: attribute.field)
def test_each_filters_message_reads_well(client, lead, inspection, attribute):
    """ "Select an office", never "Select a office": every choice filter, a bad value each."""
    client.force_login(lead)
    url = reverse("casereview:inspection-dashboard", args=[inspection.slug])
    html = client.get(f"{url}?{attribute.field}=no-such-value").content.decode()
    noun = attribute.label.lower()
    article = "an" if noun[0] in "aeiou" else "a"
    assert f"Select {article} {noun} from the list" in html
    assert article == ("an" if attribute.field in {"office", "ethnicity", "age_band"} else "a")
