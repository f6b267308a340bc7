"""The one pass over the key-question answers (`answer_tallies`) agrees with counting
the answers one by one: per inspection and per attribute value, whatever the number of
key questions a mask holds, for counted cases with no answer and attributes with no
value, in one query."""

from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casereview.dashboards import tallies
from casereview.dashboards.summary import countable_cases
from casereview.dashboards.tallies import answer_tallies
from casereview.models import CaseStatus, KeyQuestionAnswer
from dataset import DatasetGenerator
from inspection.models import Basis, KeyQuestion
from tests.factories import CaseFactory, InspectionFactory

pytestmark = pytest.mark.django_db

FIELDS = ["rosh", "gender", "office", "ethnicity"]
NAMES = {str(value): name for name, value in tallies.ANSWERS}


def one_by_one(cases, kq_ids, rated_ids, fields):
    """Each counted case's answers added up in Python: the figures to agree with."""
    answers = defaultdict(list)
    for answer in KeyQuestionAnswer.objects.filter(case__in=cases, key_question_id__in=kq_ids):
        answers[answer.case_id].append(answer)

    def empty(ids, names):
        return {"cases": 0, "counts": {pk: dict.fromkeys(names, 0) for pk in ids}}

    by_inspection: dict = defaultdict(lambda: empty(kq_ids, NAMES.values()))
    by_attribute: dict = {f: defaultdict(lambda: empty(rated_ids, ("yes", "no"))) for f in fields}
    for case in cases:
        groups = [by_inspection[case.inspection_id]]
        groups += [by_attribute[f][getattr(case, f) or None] for f in fields]
        for group in groups:
            group["cases"] += 1
        for answer in answers[case.pk]:
            name = NAMES[answer.answer]
            by_inspection[case.inspection_id]["counts"][answer.key_question_id][name] += 1
            if answer.key_question_id in rated_ids and name != "not_applicable":
                for f in fields:
                    by_attribute[f][getattr(case, f) or None]["counts"][answer.key_question_id][
                        name
                    ] += 1
    return (
        dict(by_inspection),
        {f: dict(groups) for f, groups in by_attribute.items()},
    )


def as_plain(result):
    return (
        {pk: {"cases": t.cases, "counts": t.counts} for pk, t in result.by_inspection.items()},
        {
            f: {
                value or None: {"cases": t.cases, "counts": t.counts} for value, t in groups.items()
            }
            for f, groups in result.by_attribute.items()
        },
    )


@pytest.fixture
def cases(db):
    first, second = InspectionFactory(slug="first"), InspectionFactory(slug="second")
    for seed, inspection in enumerate((first, second), start=1):
        generator = DatasetGenerator(
            framework=inspection.framework, prefix=inspection.slug, seed=seed
        )
        generator.add_cases(inspection, 30, team=[])
    # A counted case with no answer yet, and one with no ethnicity recorded.
    CaseFactory(inspection=first, status=CaseStatus.SUBMITTED, reference="NO-ANSWERS")
    CaseFactory(inspection=second, status=CaseStatus.SUBMITTED, ethnicity="")
    return countable_cases(user=None).counted()


def key_questions(framework_id):
    kqs = list(KeyQuestion.objects.of_framework(framework_id).select_related("standard"))
    return [kq.pk for kq in kqs], [kq.pk for kq in kqs if kq.standard.basis == Basis.CASES]


@pytest.mark.parametrize("bits_per_mask", [tallies.BITS_PER_MASK, 4, 1])
def test_the_tallies_agree_with_counting_each_answer(cases, monkeypatch, bits_per_mask):
    monkeypatch.setattr(tallies, "BITS_PER_MASK", bits_per_mask)
    kq_ids, rated_ids = key_questions(cases.first().inspection.framework_id)
    result = answer_tallies(
        cases, key_question_ids=kq_ids, fields=FIELDS, breakdown_key_question_ids=rated_ids
    )
    expected = one_by_one(list(cases), kq_ids, rated_ids, FIELDS)
    assert as_plain(result) == expected
    # Not a vacuous agreement: every kind of answer was counted.
    totals = defaultdict(int)
    for tally in result.by_inspection.values():
        for figures in tally.counts.values():
            for name, value in figures.items():
                totals[name] += value
    assert all(totals[name] > 0 for name in NAMES.values())
    assert "" in result.by_attribute["ethnicity"]  # blank: a group of its own


def test_a_counted_case_with_no_answer_is_in_its_groups_size(cases):
    kq_ids, _ = key_questions(cases.first().inspection.framework_id)
    case = cases.get(reference="NO-ANSWERS")
    alone = answer_tallies(cases.filter(pk=case.pk), key_question_ids=kq_ids, fields=["rosh"])
    assert alone.by_inspection[case.inspection_id].cases == 1
    assert alone.by_attribute["rosh"][case.rosh].cases == 1
    assert all(
        sum(f.values()) == 0 for f in alone.by_inspection[case.inspection_id].counts.values()
    )


def test_one_query_and_nothing_for_no_cases(cases):
    kq_ids, _ = key_questions(cases.first().inspection.framework_id)
    with CaptureQueriesContext(connection) as queries:
        answer_tallies(cases, key_question_ids=kq_ids, fields=FIELDS)
    assert len(queries) == 1
    none = answer_tallies(cases.none(), key_question_ids=kq_ids, fields=FIELDS)
    assert none.by_inspection == {} and none.by_attribute == {f: {} for f in FIELDS}


def test_a_case_counts_once_however_its_queryset_was_joined(cases):
    """Filtered through a relation with many rows per case (each of its Yes answers),
    every case is still one case in the tallies."""
    kq_ids, rated_ids = key_questions(cases.first().inspection.framework_id)
    joined = cases.filter(key_question_answers__answer="yes")
    assert joined.count() > joined.distinct().count()  # the join repeats cases
    tallied = answer_tallies(joined, key_question_ids=kq_ids, fields=FIELDS)
    distinct = answer_tallies(
        cases.filter(pk__in=joined.values("pk")), key_question_ids=kq_ids, fields=FIELDS
    )
    assert as_plain(tallied) == as_plain(distinct)
    assert sum(t.cases for t in tallied.by_inspection.values()) == joined.distinct().count()
