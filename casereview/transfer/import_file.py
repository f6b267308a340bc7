"""A case file as rows: decoded as UTF-8 and read as CSV, refused at once if it is wider
or longer than a sample can be, and the error that lists every problem of a file."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from inspection.models import KeyQuestion, Prompt

# Far beyond any real sample (a framework has about a hundred columns with notes, an
# inspection a few hundred cases), yet small enough that the check takes seconds.
MAX_COLUMNS = 300
MAX_ROWS = 20_000
MAX_PROBLEMS = 200
NUL = "\x00"


class CaseImportError(Exception):
    """The file cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        count = len(self.errors)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found; nothing imported")


def decode(data: bytes) -> str:
    if not data.strip():
        raise CaseImportError(["file: the file is empty"])
    try:
        # utf-8-sig drops the byte order mark that Excel writes at the start.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CaseImportError(
            [
                f"file: not UTF-8 text (byte {error.start + 1} cannot be read); "
                "save the spreadsheet as CSV UTF-8"
            ]
        ) from None


def file_rows(text: str) -> list[list[str]]:
    """The file's rows, refused at once if it is wider or longer than a sample can be."""
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline="")):
            if len(record) > MAX_COLUMNS:
                raise CaseImportError(
                    [
                        f"file: row {len(records) + 1} has {len(record):,} columns; "
                        f"a case file has at most {MAX_COLUMNS:,}"
                    ]
                )
            records.append(record)
            if len(records) > MAX_ROWS + 1:  # the header and MAX_ROWS rows
                raise CaseImportError(
                    [
                        f"file: more than {MAX_ROWS:,} rows below the header; "
                        "split the sample into smaller files"
                    ]
                )
    except csv.Error as error:
        raise CaseImportError([f"file: not a readable CSV file ({error})"]) from None
    return records


@dataclass
class Columns:
    """What each header cell means, by its position in the row."""

    fixed: dict[str, int] = field(default_factory=dict)
    key_questions: dict[int, KeyQuestion] = field(default_factory=dict)
    notes: dict[int, KeyQuestion] = field(default_factory=dict)
    prompts: dict[int, Prompt] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)  # as written, for messages
    unnamed: list[int] = field(default_factory=list)  # positions without a name, in order

    def read(self) -> list[int]:
        """The positions a row's cells are read from: those the header gives a meaning."""
        return sorted({*self.fixed.values(), *self.key_questions, *self.notes, *self.prompts})
