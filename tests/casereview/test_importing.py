"""The CSV import: the whole file is checked first, every problem is listed, and a file
with any problem writes nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casereview.models import Answer, Case, CaseStatus, KeyQuestionAnswer, PromptAnswer
from casereview.transfer.importing import CaseImportError, import_cases

pytestmark = pytest.mark.django_db

RATED = [
    "2.1.1",
    "2.1.2",
    "2.1.3",
    "2.2.1",
    "2.2.2",
    "2.2.3",
    "2.3.1",
    "2.3.2",
    "2.3.3",
    "2.4.1",
    "2.4.2",
    "2.4.3",
]
HEADER = "reference,case_type,rosh,gender,sentence_start,inspector," + ",".join(RATED)
ALL_YES = ",".join(["Yes"] * 12)


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def refused(inspection, data: bytes) -> list[str]:
    with pytest.raises(CaseImportError) as caught:
        import_cases(inspection=inspection, data=data)
    assert Case.objects.count() == 0
    assert KeyQuestionAnswer.objects.count() == 0
    return caught.value.errors


def test_valid_file_creates_cases_with_their_answers(inspection, inspector):
    data = csv_bytes(
        HEADER + ",2.1.1 note,2.1.1.a,oversight,oversight note,2.5.4,office",
        "WS-001,community,high,female,2023-06-01,inspector-user,"
        + ALL_YES
        + ",Voice of the person clear,Yes,absent,No management oversight recorded,N/A,Crawley",
        "WS-002,Release on licence,Medium,male,,,"
        + ",".join(["No"] * 11 + ["N/A"])
        + ",,No,ineffective,,yes,",
    )

    result = import_cases(inspection=inspection, data=data, user=inspector)

    assert result.created == 2
    first, second = Case.objects.order_by("reference")
    assert (first.reference, first.case_type, first.rosh, first.gender) == (
        "WS-001",
        "community",
        "high",
        "female",
    )
    assert first.sentence_start == datetime.date(2023, 6, 1)
    assert first.inspector == inspector
    assert first.office == "Crawley"
    assert first.oversight == "absent"
    assert first.oversight_note == "No management oversight recorded"
    assert first.version == 1
    assert first.submitted_at is not None
    assert (second.case_type, second.rosh, second.inspector) == ("licence", "medium", None)
    note = KeyQuestionAnswer.objects.get(case=first, key_question__code="2.1.1")
    assert (note.answer, note.note) == (Answer.YES, "Voice of the person clear")
    assert KeyQuestionAnswer.objects.filter(case=first).count() == 13
    assert (
        KeyQuestionAnswer.objects.get(case=second, key_question__code="2.4.3").answer
        == Answer.NOT_APPLICABLE
    )
    assert KeyQuestionAnswer.objects.get(case=first, key_question__code="2.5.4").answer == "na"
    assert PromptAnswer.objects.get(case=second, prompt__code="2.1.1.a").answer == Answer.NO
    # The import is recorded in each case's history, by the user who imported it.
    assert first.history.get().history_user == inspector


def test_status_defaults_to_submitted_only_when_every_key_question_is_answered(inspection):
    data = csv_bytes(
        HEADER,
        "A1,community,low,,,," + ALL_YES,
        "A2,community,low,,,," + ",".join(["Yes"] * 11 + [""]),
        "A3,community,low,,,," + ",".join([""] * 12),
    )

    import_cases(inspection=inspection, data=data)

    cases = {case.reference: case for case in Case.objects.all()}
    assert cases["A1"].status == CaseStatus.SUBMITTED
    assert cases["A2"].status == CaseStatus.IN_PROGRESS
    assert cases["A2"].submitted_at is None
    assert (cases["A2"].version, cases["A3"].version) == (1, 0)
    assert cases["A3"].status == CaseStatus.IN_PROGRESS
    assert cases["A3"].is_not_started


def test_explicit_status_is_kept_and_a_submitted_case_must_be_complete(inspection):
    errors = refused(
        inspection,
        csv_bytes(
            "reference,case_type,rosh,status,2.1.1",
            "A1,community,low,submitted,Yes",
        ),
    )
    assert errors == [
        "row 2, column status: a submitted case needs an answer to every key question; "
        "missing 2.1.2, 2.1.3, 2.2.1, 2.2.2, 2.2.3, 2.3.1, 2.3.2, 2.3.3, 2.4.1, 2.4.2, 2.4.3"
    ]

    import_cases(
        inspection=inspection,
        data=csv_bytes(HEADER + ",status", "A1,community,low,,,," + ALL_YES + ",In progress"),
    )
    assert Case.objects.get().status == CaseStatus.IN_PROGRESS


def test_names_and_values_are_case_insensitive_and_trimmed(inspection, inspector):
    data = csv_bytes(
        " Reference , Case Type ,ROSH,Gender,Inspector,2.1.1 Note",
        " WS-9 , COMMUNITY SENTENCE , very high , Not recorded , INSPECTOR-user , note ",
    )

    import_cases(inspection=inspection, data=data)

    case = Case.objects.get()
    assert (case.reference, case.case_type, case.rosh, case.gender) == (
        "WS-9",
        "community",
        "very_high",
        "not_recorded",
    )
    assert case.inspector == inspector
    assert KeyQuestionAnswer.objects.get().note == "note"


def test_a_utf8_byte_order_mark_is_accepted(inspection):
    data = "\ufeffreference,case_type,rosh\r\nWS-1,licence,low\r\n".encode()

    assert import_cases(inspection=inspection, data=data).created == 1
    assert Case.objects.get().reference == "WS-1"


def test_unknown_column_value_is_refused_with_problems_in_column_order(inspection):
    errors = refused(
        inspection,
        csv_bytes(
            "reference,case_type,rosh,gender,2.1.1,oversight",
            "A1,custody,extreme,unknown,Maybe,weak",
        ),
    )
    assert errors == [
        'row 2, column case_type: "custody" is not one of community, licence',
        'row 2, column rosh: "extreme" is not one of low, medium, high, very_high',
        'row 2, column gender: "unknown" is not one of male, female, other, not_recorded',
        'row 2, column 2.1.1: "Maybe" is not one of Yes, No, N/A (or empty)',
        'row 2, column oversight: "weak" is not one of effective, ineffective, absent, '
        "not_required",
    ]


def test_not_applicable_is_refused_where_the_key_question_does_not_allow_it(inspection):
    errors = refused(
        inspection, csv_bytes("reference,case_type,rosh,2.1.1,2.4.1", "A1,community,low,N/A,N/A")
    )
    assert errors == ["row 2, column 2.1.1: N/A is not allowed for this key question"]


def test_duplicate_reference_in_the_file_is_refused(inspection):
    errors = refused(
        inspection,
        csv_bytes(
            "reference,case_type,rosh",
            "WS-1,community,low",
            "WS-2,community,low",
            "ws-1,licence,low",
        ),
    )
    assert errors == ['row 4, column reference: "ws-1" is also the reference in row 2']


def test_reference_of_an_existing_case_is_refused(inspection):
    import_cases(
        inspection=inspection, data=csv_bytes("reference,case_type,rosh", "WS-1,community,low")
    )

    with pytest.raises(CaseImportError) as caught:
        import_cases(
            inspection=inspection,
            data=csv_bytes("reference,case_type,rosh", "WS-2,community,low", "WS-1,licence,high"),
        )

    assert caught.value.errors == [
        'row 3, column reference: "WS-1" is already a case of this inspection'
    ]
    assert list(Case.objects.values_list("reference", flat=True)) == ["WS-1"]


def test_inspector_must_be_on_the_team(inspection, inspector, outsider):
    errors = refused(
        inspection,
        csv_bytes(
            "reference,case_type,rosh,inspector",
            "A1,community,low,inspector-user",
            "A2,community,low,outsider-user",
            "A3,community,low,nobody",
        ),
    )
    assert errors == [
        'row 3, column inspector: "outsider-user" is not a member of the inspection\'s team',
        'row 4, column inspector: "nobody" is not a member of the inspection\'s team',
    ]


@pytest.mark.parametrize("raw", ["31/12/2023", "2023-02-30", "2023-6-1", "20230601", "soon"])
def test_bad_date_is_refused(inspection, raw):
    errors = refused(
        inspection, csv_bytes("reference,case_type,rosh,sentence_start", f"A1,community,low,{raw}")
    )
    assert errors == [f'row 2, column sentence_start: "{raw}" is not a date in the form YYYY-MM-DD']


def test_unknown_key_question_code_is_refused(inspection):
    errors = refused(
        inspection,
        csv_bytes(
            "reference,case_type,rosh,2.1.4,2.1.9 note,2.1.1.z", "A1,community,low,Yes,x,Yes"
        ),
    )
    assert errors == [
        "row 1, column 2.1.4: no key question 2.1.4 in framework probation-2023",
        "row 1, column 2.1.9 note: no key question 2.1.9 in framework probation-2023",
        "row 1, column 2.1.1.z: no prompt 2.1.1.z in framework probation-2023",
    ]


def test_unknown_and_repeated_columns_are_refused(inspection):
    errors = refused(
        inspection,
        csv_bytes("reference,case_type,rosh,name,ROSH", "A1,community,low,Jo Bloggs,low"),
    )
    assert errors[0].startswith("row 1, column name: unknown column; expected reference,")
    assert errors[1] == 'row 1, column ROSH: the column appears more than once (as "rosh")'


def test_missing_required_column_is_refused(inspection):
    errors = refused(inspection, csv_bytes("reference,gender", "A1,male"))
    assert errors == [
        "file: missing required column case_type",
        "file: missing required column rosh",
    ]


def test_missing_required_value_is_refused(inspection):
    errors = refused(inspection, csv_bytes("reference,case_type,rosh", ",community,"))
    assert errors == [
        "row 2, column reference: a value is required",
        "row 2, column rosh: a value is required",
    ]


def test_every_problem_of_the_whole_file_is_listed_with_spreadsheet_row_numbers(inspection):
    errors = refused(
        inspection,
        csv_bytes(
            "reference,case_type,rosh",
            "A1,community,low",
            ",,",  # a blank row keeps its number, as in a spreadsheet
            "A2,prison,low",
            "A3,community,low,extra",
            '"A4","community","huge"',
        ),
    )
    assert errors == [
        'row 4, column case_type: "prison" is not one of community, licence',
        "row 5, column 4: more values than there are columns",
        'row 6, column rosh: "huge" is not one of low, medium, high, very_high',
    ]


def test_empty_file_is_refused(inspection):
    assert refused(inspection, b"") == ["file: the file is empty"]
    assert refused(inspection, b" \r\n\n") == ["file: the file is empty"]


def test_header_without_cases_is_refused(inspection):
    assert refused(inspection, csv_bytes("reference,case_type,rosh")) == [
        "file: there are no cases below the header row"
    ]


def test_non_utf8_bytes_are_refused(inspection):
    data = "reference,case_type,rosh\nCafé-1,community,low\n".encode("latin-1")

    assert refused(inspection, data) == [
        "file: not UTF-8 text (byte 29 cannot be read); save the spreadsheet as CSV UTF-8"
    ]


def test_overlong_text_is_refused(inspection):
    errors = refused(
        inspection, csv_bytes("reference,case_type,rosh,office", f"A1,community,low,{'x' * 61}")
    )
    assert errors == ["row 2, column office: longer than 60 characters"]


def test_the_import_reads_the_database_the_same_number_of_times_for_3_and_60_rows(inspection):
    def rows(prefix, count):
        return [f"{prefix}{n},community,low,,,," + ALL_YES for n in range(count)]

    def reads(context):
        return [q for q in context.captured_queries if not q["sql"].startswith("INSERT")]

    with CaptureQueriesContext(connection) as small:
        import_cases(inspection=inspection, data=csv_bytes(HEADER, *rows("S", 3)))
    with CaptureQueriesContext(connection) as large:
        import_cases(inspection=inspection, data=csv_bytes(HEADER, *rows("L", 60)))

    # No query per row: only the database's own batching of bulk inserts may add some.
    assert len(reads(large)) == len(reads(small))
    assert KeyQuestionAnswer.objects.count() == 63 * 12


def test_empty_unnamed_columns_from_a_spreadsheet_are_ignored(inspection):
    data = csv_bytes("reference,case_type,rosh,,", "A1,community,low,,")

    assert import_cases(inspection=inspection, data=data).created == 1


def test_an_unnamed_column_with_values_is_refused(inspection):
    errors = refused(inspection, csv_bytes("reference,case_type,rosh,", "A1,community,low,Yes"))

    assert errors == ["row 1, column 4: this column has values but no name"]
