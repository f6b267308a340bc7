"""A youth justice inspection's published-style figures, computed by hand for a small
sample, are what `summary --json` prints; the document has probation's keys, twelve
standards in framework order and a score out of 36.

The sample: six court disposals (C1-C6) and four out-of-court disposals (O1-O4), all
submitted, and one of each type still in progress (never counted). Key-question bands:
80 and over Outstanding (3), 65 Good (2), 50 Requires improvement (1), below
Inadequate (0); a standard takes its lowest key question's band (the first, on a tie).

  2.1 Assessment     2.1.1 5/6 = 83% O   2.1.2 5/6 = 83% O   2.1.3 4/6 = 67% G  -> Good 2
  2.2 Planning       2.2.1 6/6 = 100% O  2.2.2 5/6 = 83% O   2.2.3 5/6 = 83% O  -> Outstanding 3
  2.3 Implementation 2.3.1 4/6 = 67% G   2.3.2 3/6 = 50% RI  2.3.3 4/6 = 67% G  -> RI 1
  2.4 Reviewing (C6 not applicable throughout, so of 5)
                     2.4.1 2/5 = 40% I   2.4.2 3/5 = 60% RI  2.4.3 4/5 = 80% O  -> Inadequate 0
  3.1 Assessment     3.1.1 4/4 = 100% O  3.1.2 3/4 = 75% G   3.1.3 3/4 = 75% G  -> Good 2 (3.1.2)
  3.2 Planning       3.2.1 3/4 = 75% G   3.2.2 3/4 = 75% G   3.2.3 3/4 = 75% G  -> Good 2
  3.3 Implementation 3.3.1 4/4 = 100% O  3.3.2 4/4 = 100% O  3.3.3 2/4 = 50% RI -> RI 1
  Judgements: 1.1 Good 2, 1.2 Good 2, 1.3 RI 1, 1.4 Outstanding 3, 3.4 Inadequate 0.

  Score: 2+3+1+0 (court) + 2+2+1 (out of court) + 2+2+1+3+0 (judged) = 19 of 12 x 3 = 36;
  overall bands 0-6 Inadequate, 7-18 RI, 19-30 Good, 31-36 Outstanding -> Good.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from casereview.dashboards.overview import inspections_overview
from casereview.models import CaseStatus, KeyQuestionAnswer
from inspection.frameworks import framework_path, load_framework, read_document
from inspection.models import DomainOneRating, Inspection, KeyQuestion, Standard
from tests.factories import CaseFactory, InspectionFactory

pytestmark = pytest.mark.django_db

# Yes answers among the counted cases of the type (the rest No), and Not applicable.
YES = {
    "2.1.1": 5, "2.1.2": 5, "2.1.3": 4, "2.2.1": 6, "2.2.2": 5, "2.2.3": 5,
    "2.3.1": 4, "2.3.2": 3, "2.3.3": 4, "2.4.1": 2, "2.4.2": 3, "2.4.3": 4,
    "3.1.1": 4, "3.1.2": 3, "3.1.3": 3, "3.2.1": 3, "3.2.2": 3, "3.2.3": 3,
    "3.3.1": 4, "3.3.2": 4, "3.3.3": 2,
}  # fmt: skip
JUDGEMENTS = {
    "1.1": "good",
    "1.2": "good",
    "1.3": "requires_improvement",
    "1.4": "outstanding",
    "3.4": "inadequate",
}
EXPECTED_STANDARDS = [
    ("1.1", "good", 2), ("1.2", "good", 2), ("1.3", "requires_improvement", 1),
    ("1.4", "outstanding", 3), ("2.1", "good", 2), ("2.2", "outstanding", 3),
    ("2.3", "requires_improvement", 1), ("2.4", "inadequate", 0), ("3.1", "good", 2),
    ("3.2", "good", 2), ("3.3", "requires_improvement", 1), ("3.4", "inadequate", 0),
]  # fmt: skip
EXPECTED_FIGURES = {  # code: (yes, relevant, percent)
    "2.1.1": (5, 6, 83), "2.1.2": (5, 6, 83), "2.1.3": (4, 6, 67),
    "2.2.1": (6, 6, 100), "2.2.2": (5, 6, 83), "2.2.3": (5, 6, 83),
    "2.3.1": (4, 6, 67), "2.3.2": (3, 6, 50), "2.3.3": (4, 6, 67),
    "2.4.1": (2, 5, 40), "2.4.2": (3, 5, 60), "2.4.3": (4, 5, 80),
    "3.1.1": (4, 4, 100), "3.1.2": (3, 4, 75), "3.1.3": (3, 4, 75),
    "3.2.1": (3, 4, 75), "3.2.2": (3, 4, 75), "3.2.3": (3, 4, 75),
    "3.3.1": (4, 4, 100), "3.3.2": (4, 4, 100), "3.3.3": (2, 4, 50),
}  # fmt: skip


@pytest.fixture
def youth_sample():
    framework = load_framework(read_document(framework_path("youth-2021")))
    inspection = InspectionFactory(slug="hand-yos", framework=framework)
    key_questions = {kq.code: kq for kq in KeyQuestion.objects.of_framework(framework)}
    answers = []
    for prefix, case_type, count in (("C", "court", 6), ("O", "out_of_court", 4)):
        cases = [
            CaseFactory(
                inspection=inspection,
                reference=f"{prefix}{n}",
                case_type=case_type,
                status=CaseStatus.SUBMITTED,
            )
            for n in range(1, count + 1)
        ]
        codes = [code for code in YES if code[0] == ("2" if case_type == "court" else "3")]
        for code in codes:
            # Reviewing: the last court case had no review point.
            counted = cases[:-1] if code.startswith("2.4") else cases
            for position, case in enumerate(counted):
                answer = "yes" if position < YES[code] else "no"
                answers.append(
                    KeyQuestionAnswer(case=case, key_question=key_questions[code], answer=answer)
                )
            if code.startswith("2.4"):
                answers.append(
                    KeyQuestionAnswer(case=cases[-1], key_question=key_questions[code], answer="na")
                )
        # In progress, all No: counts nowhere.
        open_case = CaseFactory(
            inspection=inspection, reference=f"{prefix}-open", case_type=case_type
        )
        answers += [
            KeyQuestionAnswer(case=open_case, key_question=key_questions[code], answer="no")
            for code in codes
        ]
    KeyQuestionAnswer.objects.bulk_create(answers)
    for code, rating in JUDGEMENTS.items():
        DomainOneRating.objects.create(
            inspection=inspection,
            standard=Standard.objects.get(framework=framework, code=code),
            rating=rating,
        )
    return inspection


def summary_document(slug: str) -> dict:
    out = StringIO()
    call_command("summary", slug, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_hand_computed_figures_are_summary_json(youth_sample):
    document = summary_document("hand-yos")
    assert document["framework"] == "youth-2021"
    assert document["cases"] == {"total": 12, "submitted": 10}
    assert [(s["code"], s["rating"], s["score"]) for s in document["standards"]] == (
        EXPECTED_STANDARDS
    )
    figures = {
        kq["code"]: (kq["yes"], kq["relevant"], kq["percent"])
        for standard in document["standards"]
        for kq in standard.get("key_questions", [])
    }
    assert figures == EXPECTED_FIGURES
    overall = document["overall"]
    assert (overall["score"], overall["max"], overall["rating"], overall["complete"]) == (
        19,
        36,
        "good",
        True,
    )
    assert document["outcomes"] == []  # youth has no reported standard


def test_the_youth_document_has_the_probation_documents_keys(youth_sample, inspection):
    youth, probation = summary_document("hand-yos"), summary_document(inspection.slug)
    assert youth.keys() == probation.keys()
    assert youth["overall"].keys() == probation["overall"].keys()
    rated = [s for s in youth["standards"] if s["basis"] == "cases"]
    probation_rated = [s for s in probation["standards"] if s["basis"] == "cases"]
    assert rated[0].keys() == probation_rated[0].keys()
    assert rated[0]["key_questions"][0].keys() == probation_rated[0]["key_questions"][0].keys()
    judged = [s for s in youth["standards"] if s["basis"] == "judgement"]
    assert (
        judged[0].keys()
        == next(s for s in probation["standards"] if s["basis"] == "judgement").keys()
    )
    assert len(youth["standards"]) == 12 and probation["overall"]["max"] == 21


def test_the_overview_rates_youth_and_probation_inspections_side_by_side(youth_sample):
    """Two frameworks' key questions (37) in the overview's one pass over the answers:
    each row is its own inspection's hand-computed figures."""
    probation = InspectionFactory(slug="probation-pdu")
    kq = KeyQuestion.objects.of_framework(probation.framework_id).first()
    case = CaseFactory(inspection=probation, status=CaseStatus.SUBMITTED)
    KeyQuestionAnswer.objects.create(case=case, key_question=kq, answer="yes")
    overview = inspections_overview(inspections=Inspection.objects.all(), user=None)
    rows = {row.inspection.slug: row for row in overview.inspections}
    youth = rows["hand-yos"]
    assert (youth.overall.score, youth.overall.maximum, youth.overall.rating) == (19, 36, "good")
    figures = {
        kq.code: (kq.yes, kq.relevant, kq.percent)
        for standard in youth.standards
        for kq in standard.key_questions
    }
    assert figures == EXPECTED_FIGURES
    first = next(f for s in rows["probation-pdu"].standards for f in s.key_questions)
    assert (first.code, first.yes, first.relevant) == (kq.code, 1, 1)
