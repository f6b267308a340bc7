"""The case CSV format: its columns, its answer words and its spreadsheet-safe cells.

One definition, read by the import (`importing.py`) and written by the export
(`exports.py`), so that an exported file imports into another inspection and gives the
same figures. The README's "Case CSV format" describes it for people.
"""

from __future__ import annotations

import re

from casereview.attributes import CASE_ATTRIBUTE_FIELDS
from casereview.models import Answer

# The case's own columns, in the order the export writes them; then, for each key
# question, its prompts, its answer and (with notes) its note; oversight_note last.
CASE_COLUMNS = (*CASE_ATTRIBUTE_FIELDS, "inspector", "status", "oversight")
OVERSIGHT_NOTE = "oversight_note"
REQUIRED_COLUMNS = ("reference", "case_type", "rosh")
TEXT_COLUMNS = ("ethnicity", "office", "practitioner_grade", "age_band")
# Every case column the import reads, in the order its messages list them.
READ_COLUMNS = (
    REQUIRED_COLUMNS
    + TEXT_COLUMNS
    + tuple(name for name in CASE_COLUMNS if name not in REQUIRED_COLUMNS + TEXT_COLUMNS)
    + (OVERSIGHT_NOTE,)
)
# A note column is headed "<code> note"; normalise_name reads that as "<code>_note".
NOTE = " note"
NOTE_SUFFIX = "_note"

# The words an answer is written as; the import also takes their other spellings.
ANSWER_WORDS: dict[str, str] = {
    Answer.YES: "Yes",
    Answer.NO: "No",
    Answer.NOT_APPLICABLE: "N/A",
}
ANSWER_VALUES: dict[str, str] = {
    **{word.lower(): value for value, word in ANSWER_WORDS.items()},
    "na": Answer.NOT_APPLICABLE,
    "not applicable": Answer.NOT_APPLICABLE,
}


def normalise_name(name: str) -> str:
    """`Case type`, `CASE_TYPE` and ` case-type ` all name the column case_type."""
    return re.sub(r"[\s_-]+", "_", name.strip().lower())


# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV
# Injection"). The export puts an apostrophe before such a cell, and before a cell that
# itself starts with an apostrophe, so that reading back removes exactly what was added.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
ESCAPE = "'"


def spreadsheet_safe(value: str) -> str:
    """The cell as the case CSV writes it: text a spreadsheet shows and never runs."""
    if value.startswith((*FORMULA_TRIGGERS, ESCAPE)):
        return ESCAPE + value
    return value


def from_spreadsheet_safe(value: str) -> str:
    """The inverse of spreadsheet_safe; any other cell is read as it is."""
    if value.startswith(ESCAPE) and value[1:].startswith((*FORMULA_TRIGGERS, ESCAPE)):
        return value[1:]
    return value
