"""The import check is linear in the file and bounded: proved by counting the lines of
the importer that run (not by timing), and by the limits that refuse an absurd file."""

import sys

import pytest

from casereview.models import Case
from casereview.transfer import import_file, importing
from casereview.transfer.importing import (
    MAX_COLUMNS,
    MAX_PROBLEMS,
    MAX_ROWS,
    CaseImportError,
    check_cases,
    import_cases,
)

pytestmark = pytest.mark.django_db

HEADER = "reference,case_type,rosh"


IMPORTER_FILES = {importing.__file__, import_file.__file__}


def operations(inspection, data: bytes) -> int:
    """How many lines of the importer (casereview/transfer/importing.py and the file
    reading it calls, import_file.py) run to check `data`."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame, event, arg):
        return local if frame.f_code.co_filename in IMPORTER_FILES else None

    sys.settrace(calls)
    try:
        check_cases(inspection=inspection, data=data)
    except CaseImportError:
        pass
    finally:
        sys.settrace(None)
    return count


# Files that grow with n in the ways that once made the check quadratic: empty header
# cells over blank lines (each unnamed column was looked for down every row), and a wide
# header over short rows (each row was read across the whole header).
SHAPES = {
    "empty header cells over blank lines": lambda n: HEADER + "," * n + "\n" * n,
    "a wide empty header over short rows": lambda n: (
        HEADER + "," * n + "\n" + "".join(f"R{i},community,low\n" for i in range(n))
    ),
    "valid rows": lambda n: (
        HEADER
        + ",office,2.1.1,2.1.1 note\n"
        + "".join(f"R{i},community,low,Crawley,Yes,Seen in the record\n" for i in range(n))
    ),
}


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_the_check_is_linear_in_the_file(inspection, shape):
    make = SHAPES[shape]
    small, large = 60, 240  # both within the limits, so both are checked in full
    assert len(make(large).split(",")) // large < MAX_COLUMNS
    few = operations(inspection, make(small).encode())
    many = operations(inspection, make(large).encode())
    assert few > small  # the count sees the work
    # Four times the file: about four times the work (quadratic would be sixteen).
    assert many < 5 * few, (few, many)


def test_a_file_wider_than_the_limit_is_refused_on_its_first_row(inspection):
    data = (HEADER + "," * MAX_COLUMNS + "\nR1,community,low\n").encode()
    with pytest.raises(CaseImportError) as refused:
        import_cases(inspection=inspection, data=data)
    assert refused.value.errors == [
        f"file: row 1 has {MAX_COLUMNS + 3:,} columns; a case file has at most {MAX_COLUMNS}"
    ]
    wide_row = (HEADER + "\nR1,community,low\n" + "," * (10 * MAX_COLUMNS) + "\n").encode()
    with pytest.raises(CaseImportError) as refused:
        import_cases(inspection=inspection, data=wide_row)
    assert refused.value.errors == [
        f"file: row 3 has {10 * MAX_COLUMNS + 1:,} columns; a case file has at most {MAX_COLUMNS}"
    ]
    assert not Case.objects.exists()


def test_a_file_longer_than_the_limit_is_refused_without_reading_on(inspection, monkeypatch):
    rows = "".join(f"R{i},community,low\n" for i in range(MAX_ROWS + 1))
    with pytest.raises(CaseImportError) as refused:
        import_cases(inspection=inspection, data=(HEADER + "\n" + rows).encode())
    assert refused.value.errors == [
        f"file: more than {MAX_ROWS:,} rows below the header; split the sample into smaller files"
    ]
    # Refused on the row past the limit: what follows it is never read.
    monkeypatch.setattr(import_file, "MAX_ROWS", 5)
    short = HEADER + "\n" + "R,community,low\n" * 5
    assert operations(inspection, (short + "R,x,y\n").encode()) == operations(
        inspection, (short + "R,x,y\n" * 10 * MAX_ROWS).encode()
    )
    assert not Case.objects.exists()


def test_a_file_at_the_limits_is_checked(inspection):
    rows = "".join(f"R{i},community,low\n" for i in range(MAX_ROWS))
    assert check_cases(inspection=inspection, data=(HEADER + "\n" + rows).encode()) == MAX_ROWS
    assert not Case.objects.exists()  # checking writes nothing


def test_the_check_stops_after_so_many_problems(inspection):
    rows = "".join(f"R{i},parole,purple\n" for i in range(MAX_PROBLEMS))
    with pytest.raises(CaseImportError) as refused:
        import_cases(inspection=inspection, data=(HEADER + "\n" + rows).encode())
    errors = refused.value.errors
    assert len(errors) == MAX_PROBLEMS + 1
    assert errors[:2] == [
        'row 2, column case_type: "parole" is not one of community, licence',
        'row 2, column rosh: "purple" is not one of low, medium, high, very_high',
    ]
    assert errors[-1] == f"file: the check stopped after {MAX_PROBLEMS} problems; fix these first"
