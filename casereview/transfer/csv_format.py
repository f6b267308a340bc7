"""The case CSV format: its columns, its answer words and its spreadsheet-safe cells.

One definition, read by the import (`importing.py`) and written by the export
(`exports.py`), so that an exported file imports into another inspection and gives the
same figures. docs/csv-format.md describes it for people.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.db.models import CharField

from casereview.attributes import CASE_ATTRIBUTE_FIELDS, FREE_TEXT_ATTRIBUTES
from casereview.models import (
    Answer,
    Case,
    CaseStatus,
    Gender,
    Oversight,
    RiskOfSeriousHarm,
)

# The case's own columns, in the order the export writes them; then, for each key
# question, its prompts, its answer and (with notes) its note; oversight_note last.
CASE_COLUMNS = (*CASE_ATTRIBUTE_FIELDS, "inspector", "status", "oversight")
OVERSIGHT_NOTE = "oversight_note"
REQUIRED_COLUMNS = ("reference", "case_type", "rosh")
# The free-text attributes, read as they are written (in the case's attribute order).
TEXT_COLUMNS = tuple(
    name for name in CASE_ATTRIBUTE_FIELDS if name in {a.field for a in FREE_TEXT_ATTRIBUTES}
)
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


# Reading cells ------------------------------------------------------------------------

ANSWER_LIST = ", ".join(ANSWER_WORDS.values())
# Only these two can be imported: returned and moderated are steps of moderation.
IMPORT_STATUSES = (CaseStatus.IN_PROGRESS, CaseStatus.SUBMITTED)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InvalidCell(Exception):
    """One cell's problem; the message is completed with its row and column."""


def choice_reader(choices, *, extra: dict[str, str] | None = None) -> Callable[[str], str]:
    """A parser accepting a choice's value or its label, in any case."""
    accepted = {}
    for value, label in choices:
        accepted[value.lower()] = value
        accepted[label.lower()] = value
    accepted.update(extra or {})
    listed = ", ".join(value for value, _ in choices)

    def parse(raw: str) -> str:
        try:
            return accepted[raw.lower()]
        except KeyError:
            raise InvalidCell(f'"{raw}" is not one of {listed}') from None

    return parse


# A case type is read against its inspection's framework's (importing.py makes the
# reader from `Framework.case_type_choices`).
read_rosh = choice_reader(
    RiskOfSeriousHarm.choices, extra={"very high": RiskOfSeriousHarm.VERY_HIGH}
)
read_gender = choice_reader(Gender.choices)
read_oversight = choice_reader(Oversight.choices)
read_status = choice_reader([(status.value, status.label) for status in IMPORT_STATUSES])


def with_article(noun: str) -> str:
    """ "a court disposal", "an out-of-court disposal": a noun with its article."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def read_answer(raw: str) -> str:
    try:
        return ANSWER_VALUES[raw.lower()]
    except KeyError:
        raise InvalidCell(f'"{raw}" is not one of {ANSWER_LIST} (or empty)') from None


def read_date(raw: str) -> datetime.date:
    try:
        if not DATE.match(raw):
            raise ValueError
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise InvalidCell(f'"{raw}" is not a date in the form YYYY-MM-DD') from None


def text_reader(field_name: str) -> Callable[[str], str]:
    field = Case._meta.get_field(field_name)
    limit = field.max_length if isinstance(field, CharField) else None

    def parse(raw: str) -> str:
        if limit is not None and len(raw) > limit:
            raise InvalidCell(f"longer than {limit} characters")
        return raw

    return parse
