"""Importing a youth justice sample: case types and key-question columns are the
framework's, and an answer (or note, or prompt) that does not apply to the row's case
type refuses the whole file, naming the type."""

import pytest

from casereview.models import Case, CaseStatus, KeyQuestionAnswer
from casereview.transfer.importing import CaseImportError, import_cases
from inspection.frameworks import framework_path, load_framework, read_document
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db

COURT = [f"2.{s}.{k}" for s in (1, 2, 3, 4) for k in (1, 2, 3)]
OUT_OF_COURT = [f"3.{s}.{k}" for s in (1, 2, 3) for k in (1, 2, 3)]
HEADER = "reference,case_type,rosh," + ",".join(COURT + OUT_OF_COURT)


@pytest.fixture
def youth():
    framework = load_framework(read_document(framework_path("youth-2021")))
    return InspectionFactory(slug="yos", framework=framework)


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def row(reference: str, case_type: str, court: list[str], out_of_court: list[str]) -> str:
    return ",".join([reference, case_type, "medium", *court, *out_of_court])


def test_court_and_out_of_court_cases_import_with_their_own_answers(youth):
    data = csv_bytes(
        HEADER,
        row("Y-1", "court", ["Yes"] * 12, [""] * 9),
        row("Y-2", "Out-of-court disposal", [""] * 12, ["No"] * 9),
        row("Y-3", "out_of_court", [""] * 12, ["Yes"] * 4 + [""] * 5),
    )
    assert import_cases(inspection=youth, data=data).created == 3
    cases = {case.reference: case for case in Case.objects.all()}
    assert cases["Y-1"].case_type == "court"
    assert cases["Y-2"].case_type == "out_of_court"
    # Complete for its type: submitted; an out-of-court case never needs 2.x answers.
    assert cases["Y-1"].status == CaseStatus.SUBMITTED
    assert cases["Y-2"].status == CaseStatus.SUBMITTED
    assert cases["Y-3"].status == CaseStatus.IN_PROGRESS
    codes = KeyQuestionAnswer.objects.filter(case=cases["Y-2"]).values_list(
        "key_question__code", flat=True
    )
    assert sorted(codes) == OUT_OF_COURT


def test_an_answer_that_does_not_apply_refuses_the_whole_file(youth):
    data = csv_bytes(
        HEADER,
        row("Y-1", "court", ["Yes"] * 12, [""] * 9),
        row("Y-2", "court", ["Yes"] * 12, ["No"] + [""] * 8),
        row("Y-3", "out_of_court", ["", "", "", "Yes"] + [""] * 8, ["Yes"] * 9),
    )
    with pytest.raises(CaseImportError) as caught:
        import_cases(inspection=youth, data=data)
    assert caught.value.errors == [
        "row 3, column 3.1.1: does not apply to a court disposal",
        "row 4, column 2.2.1: does not apply to an out-of-court disposal",
    ]
    assert Case.objects.count() == 0
    assert KeyQuestionAnswer.objects.count() == 0


def test_a_note_or_prompt_that_does_not_apply_is_refused_too(youth):
    data = csv_bytes(
        "reference,case_type,rosh,3.1.1 note,2.1.1.a",
        "Y-1,court,low,A note,",
        "Y-2,out_of_court,low,,Yes",
    )
    with pytest.raises(CaseImportError) as caught:
        import_cases(inspection=youth, data=data)
    assert caught.value.errors == [
        "row 2, column 3.1.1 note: does not apply to a court disposal",
        "row 3, column 2.1.1.a: does not apply to an out-of-court disposal",
    ]
    assert Case.objects.count() == 0


def test_a_case_type_of_another_framework_is_refused(youth):
    data = csv_bytes("reference,case_type,rosh", "Y-1,community,low")
    with pytest.raises(CaseImportError) as caught:
        import_cases(inspection=youth, data=data)
    assert caught.value.errors == [
        'row 2, column case_type: "community" is not one of court, out_of_court'
    ]


def test_a_probation_file_refuses_the_youth_types(inspection):
    data = csv_bytes("reference,case_type,rosh", "P-1,court,low")
    with pytest.raises(CaseImportError) as caught:
        import_cases(inspection=inspection, data=data)
    assert caught.value.errors == [
        'row 2, column case_type: "court" is not one of community, licence'
    ]
