"""The case CSV is spreadsheet-safe (OWASP "CSV Injection") and still round-trips: a cell
a spreadsheet would run gets an apostrophe first, every field is quoted, and the import
removes exactly that apostrophe, so export -> import gives the same figures and notes."""

import csv
import io

import pytest

from casereview.dashboards.documents import summary_document
from casereview.dashboards.summary import inspection_summary
from casereview.models import Answer, Case, KeyQuestionAnswer
from casereview.transfer.csv_format import (
    FORMULA_TRIGGERS,
    from_spreadsheet_safe,
    spreadsheet_safe,
)
from casereview.transfer.exports import case_csv_lines
from casereview.transfer.importing import import_cases
from inspection.models import Role, TeamMembership
from tests.casereview.review_helpers import submitted_case
from tests.factories import InspectionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# Formulas by each trigger, a separator then a formula, and text that only looks like
# the escape: a note that truly starts with an apostrophe or a dash must come back so.
HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://example.com/?x","Click")',
    "+SUM(A1:A2)",
    "-2+3",
    "- a point made as a list item",
    "@SUM(1)",
    "\t=cmd|' /C calc'!A0",
    "\r=1+1",
    "'quoted from a letter",
    "'=already escaped by hand",
    "''two apostrophes",
    "safe;=1+1",
    "safe,=1+1",
    "Crawley",
]
TEXT_COLUMNS = ("ethnicity", "office", "practitioner_grade", "age_band")


def limit(name: str) -> int:
    return Case._meta.get_field(name).max_length


def hostile(number: int, length: int | None = None) -> str:
    """A hostile value, cut to fit a column (the import strips trailing spaces)."""
    return HOSTILE[number % len(HOSTILE)][:length].rstrip()


@pytest.fixture
def hostile_inspection(inspection):
    """Cases whose every free-text column and note holds a hostile value, marked by a
    member whose username a spreadsheet would also run (usernames may start with @+-)."""
    marker = UserFactory(username="-marker+1")
    MembershipFactory(inspection=inspection, user=marker, role=Role.INSPECTOR)
    for number in range(len(HOSTILE)):
        case = submitted_case(
            inspection,
            marker,
            reference=f"{hostile(number, limit('reference') - 3)}#{number}",
            answers={"2.1.3": Answer.NO} if number % 2 else {},
            oversight_note=hostile(number + 1),
            **{
                name: hostile(number + offset, limit(name))
                for offset, name in enumerate(TEXT_COLUMNS)
            },
        )
        for offset, answer in enumerate(KeyQuestionAnswer.objects.filter(case=case)):
            answer.note = hostile(number + offset)
            answer.save()
    return inspection


def test_every_cell_is_escaped_and_quoted(hostile_inspection):
    text = "".join(case_csv_lines(inspection=hostile_inspection, notes=True))
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert len(rows) == len(HOSTILE) + 1
    # Nothing a spreadsheet reads starts a formula...
    assert not [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)]
    # ...because each hostile value is written after an apostrophe, in quotes.
    for value in HOSTILE:
        if value.startswith((*FORMULA_TRIGGERS, "'")):
            assert '"' + ("'" + value).replace('"', '""') + '"' in text, repr(value)
    # Every field is quoted, so no separator inside a note starts a new cell.
    writer_output = io.StringIO()
    csv.writer(writer_output, quoting=csv.QUOTE_ALL).writerows(rows)
    assert text.removeprefix("\ufeff") == writer_output.getvalue()


def test_export_then_import_gives_the_same_figures_and_the_same_notes(hostile_inspection):
    original = hostile_inspection
    text = "".join(case_csv_lines(inspection=original, notes=True))
    copy = InspectionFactory(slug="hostile-copy", framework=original.framework)
    for membership in TeamMembership.objects.filter(inspection=original):
        TeamMembership.objects.create(inspection=copy, user=membership.user, role=membership.role)

    result = import_cases(inspection=copy, data=text.encode("utf-8"))

    assert result.created == len(HOSTILE)
    fields = ("reference", "inspector__username", "oversight_note", *TEXT_COLUMNS, "status")
    assert list(
        Case.objects.filter(inspection=copy).order_by("reference").values_list(*fields)
    ) == (list(Case.objects.filter(inspection=original).order_by("reference").values_list(*fields)))

    def notes(inspection):
        return sorted(
            KeyQuestionAnswer.objects.filter(case__inspection=inspection).values_list(
                "case__reference", "key_question__code", "answer", "note"
            )
        )

    assert notes(copy) == notes(original)
    assert {note for *_, note in notes(copy)} == set(HOSTILE)
    figures = summary_document(inspection_summary(inspection=original))
    copied = summary_document(inspection_summary(inspection=copy))
    for key in ("inspection", "unit", "region"):
        figures.pop(key), copied.pop(key)
    assert copied == figures
    # And the copy exports the very same file, byte for byte below the header.
    assert "".join(case_csv_lines(inspection=copy, notes=True)) == text


@pytest.mark.parametrize("value", [*HOSTILE, "", "'", "'x", "x'", "=", "'\t"])
def test_reading_back_removes_exactly_what_writing_added(value):
    assert from_spreadsheet_safe(spreadsheet_safe(value)) == value
    # A cell that needs no escape is read as it is, apostrophe or not.
    if not value.startswith((*FORMULA_TRIGGERS, "'")):
        assert spreadsheet_safe(value) == value == from_spreadsheet_safe(value)


def test_a_hand_written_apostrophe_is_kept(inspection, inspector):
    data = (
        b"reference,case_type,rosh,office,2.1.1,2.1.1 note\n"
        b"'R-1,community,high,'twas Crawley,Yes,'=1+1\n"
    )

    import_cases(inspection=inspection, data=data)

    case = Case.objects.get()
    assert (case.reference, case.office) == ("'R-1", "'twas Crawley")
    assert case.key_question_answers.get().note == "=1+1"
