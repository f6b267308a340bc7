"""Import an inspection's case sample from a CSV file.

The whole file is checked before anything is written: every problem is reported as
`row N, column C: what is wrong` (rows numbered as a spreadsheet shows them, the header
being row 1), and on any problem nothing is imported. A clean file is written in one
transaction. The `import_cases` command and the admin upload page both call
`import_cases`; the format is described in docs/csv-format.md.

The check is linear in the size of the file: each row reads only the columns the header
names, and a file wider than MAX_COLUMNS or longer than MAX_ROWS is refused as soon as
the reader meets the row that breaks the limit. The check stops at MAX_PROBLEMS problems.

Cells are read as csv_format.py defines them, back from the export's spreadsheet-safe form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from casereview.models import (
    Answer,
    Case,
    CaseStatus,
    Gender,
)
from casereview.transfer.csv_format import (
    NOTE_SUFFIX,
    READ_COLUMNS,
    REQUIRED_COLUMNS,
    TEXT_COLUMNS,
    InvalidCell,
    choice_reader,
    from_spreadsheet_safe,
    normalise_name,
    read_answer,
    read_date,
    read_gender,
    read_oversight,
    read_rosh,
    read_status,
    text_reader,
    with_article,
)
from casereview.transfer.import_file import (
    MAX_COLUMNS,
    MAX_PROBLEMS,
    MAX_ROWS,
    NUL,
    CaseImportError,
    Columns,
    decode,
    file_rows,
)
from casereview.transfer.import_write import ParsedAnswer, write_cases
from inspection.models import Basis, Inspection, KeyQuestion, Prompt

CHANGE_REASON = "Imported from CSV"
# The file's limits and its error, named here for the import's callers.
__all__ = [
    "CHANGE_REASON",
    "MAX_COLUMNS",
    "MAX_PROBLEMS",
    "MAX_ROWS",
    "CaseImportError",
    "ImportResult",
    "check_cases",
    "import_cases",
]

KEY_QUESTION_CODE = re.compile(r"^\d+(\.\d+)+$")
PROMPT_CODE = re.compile(r"^\d+(\.\d+)+\.[a-z]+$")


@dataclass
class ImportResult:
    created: int


class _TooManyProblems(Exception):
    """MAX_PROBLEMS found: the rest of the file is not checked."""


class _Importer:
    def __init__(self, inspection: Inspection):
        self.inspection = inspection
        framework_id = inspection.framework_id
        self.key_questions = {
            kq.code.lower(): kq
            for kq in KeyQuestion.objects.of_framework(framework_id)
            .select_related("standard")
            .prefetch_related("standard__case_types")
        }
        case_types = inspection.framework.case_type_choices()
        self.read_case_type = choice_reader(case_types)
        self.case_type_labels = dict(case_types)
        # Per case type, the key questions its cases answer (Standard.applies_to).
        self.applicable = {
            code: {kq.pk for kq in self.key_questions.values() if kq.standard.applies_to(code)}
            for code in self.case_type_labels
        }
        # A case is complete, and so submitted by default, once every rated key
        # question its type answers has an answer; outcomes are reported, not rated.
        self.rated_key_questions = [
            kq for kq in self.key_questions.values() if kq.standard.basis == Basis.CASES
        ]
        self.prompts = {
            prompt.code.lower(): prompt for prompt in Prompt.objects.of_framework(framework_id)
        }
        self.team = {
            membership.user.username.lower(): membership.user
            for membership in inspection.memberships.select_related("user")
        }
        self.existing = {
            reference.lower()
            for reference in Case.objects.filter(inspection=inspection).values_list(
                "reference", flat=True
            )
        }
        self.references: dict[str, int] = {}  # reference (lower case) -> its row
        self.columns = Columns()
        self.flagged: set[int] = set()  # unnamed columns already reported
        # (row, column position, message): listed as a reader scans the sheet.
        self.problems: list[tuple[int, int, str]] = []

    def error(self, row: int, index: int, message: str) -> None:
        name = self.columns.names.get(index) or str(index + 1)
        self.problems.append((row, index, f"row {row}, column {name}: {message}"))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooManyProblems

    def file_error(self, message: str) -> None:
        self.problems.append((0, 0, f"file: {message}"))

    # The header ---------------------------------------------------------------------

    def read_header(self, header: list[str]) -> Columns:
        columns = self.columns
        seen: dict[str, str] = {}
        for index, cell in enumerate(header):
            written = cell.strip()
            name = normalise_name(cell)
            columns.names[index] = written.replace(NUL, "")
            if NUL in written:
                self.error(1, index, "the name contains a NUL character")
                continue
            if not name:
                columns.unnamed.append(index)  # an error if a row has a value there
                continue
            if name in seen:
                self.error(1, index, f'the column appears more than once (as "{seen[name]}")')
                continue
            seen[name] = written
            self.classify(index, name, columns)
        for required in REQUIRED_COLUMNS:
            if required not in columns.fixed:
                self.file_error(f"missing required column {required}")
        return columns

    def classify(self, index: int, name: str, columns: Columns) -> None:
        if name in READ_COLUMNS:
            columns.fixed[name] = index
        elif name in self.key_questions:
            columns.key_questions[index] = self.key_questions[name]
        elif name in self.prompts:
            columns.prompts[index] = self.prompts[name]
        elif name.endswith(NOTE_SUFFIX) and name.removesuffix(NOTE_SUFFIX) in self.key_questions:
            columns.notes[index] = self.key_questions[name.removesuffix(NOTE_SUFFIX)]
        elif KEY_QUESTION_CODE.match(name.removesuffix(NOTE_SUFFIX)):
            code = name.removesuffix(NOTE_SUFFIX)
            self.error(1, index, f"no key question {code} in framework {self.inspection.framework}")
        elif PROMPT_CODE.match(name):
            self.error(1, index, f"no prompt {name} in framework {self.inspection.framework}")
        else:
            self.error(
                1,
                index,
                "unknown column; expected "
                + ", ".join(READ_COLUMNS)
                + ", a key question or prompt code, or a key question code followed by note",
            )

    # The rows -----------------------------------------------------------------------

    def read_row(
        self, number: int, record: list[str], columns: Columns, read: list[int]
    ) -> tuple | None:
        width = len(columns.names)
        # Named by position, as the spreadsheet shows it: `row N, column C` like the rest.
        extra = next((i for i in range(width, len(record)) if record[i].strip()), None)
        if extra is not None:
            self.error(number, extra, "more values than there are columns")
        problems_before = len(self.problems)
        # Only the named columns are read, so a row costs its own length, not the header's.
        cells = {index: self.cell(number, record, index) for index in read}

        def value(name: str, parse: Callable[[str], object], default=None, required=False):
            if name not in columns.fixed:
                return default
            index = columns.fixed[name]
            raw = cells[index]
            try:
                if not raw:
                    if required:
                        raise InvalidCell("a value is required")
                    return default
                return parse(raw)
            except InvalidCell as problem:
                self.error(number, index, str(problem))
                return default

        case = Case(
            inspection=self.inspection,
            reference=value("reference", self.reference(number), default="", required=True),
            case_type=value("case_type", self.read_case_type, default="", required=True),
            rosh=value("rosh", read_rosh, default="", required=True),
            gender=value("gender", read_gender, default=Gender.NOT_RECORDED),
            sentence_start=value("sentence_start", read_date),
            inspector=value("inspector", self.team_member),
            oversight=value("oversight", read_oversight, default=""),
            oversight_note=value("oversight_note", str, default=""),
        )
        for name in TEXT_COLUMNS:
            setattr(case, name, value(name, text_reader(name), default=""))

        key_question_answers = self.key_question_answers(number, cells, columns, case.case_type)
        prompt_answers = self.prompt_answers(number, cells, columns, case.case_type)
        answered = {answer.key_question_id for answer in key_question_answers if answer.answer}
        applicable = self.applicable.get(case.case_type, set())
        missing = [
            kq.code
            for kq in self.rated_key_questions
            if kq.pk in applicable and kq.pk not in answered
        ]
        status = value("status", read_status)
        if status == CaseStatus.SUBMITTED and missing:
            self.error(
                number,
                columns.fixed["status"],
                "a submitted case needs an answer to every key question; missing "
                + ", ".join(missing),
            )
        if len(self.problems) > problems_before:
            return None
        case.status = status or (CaseStatus.IN_PROGRESS if missing else CaseStatus.SUBMITTED)
        if case.status == CaseStatus.SUBMITTED:
            case.submitted_at = timezone.now()
        # Version 0 is "Not started" (CaseProgress); an imported case with answers has
        # been started.
        started = key_question_answers or prompt_answers or case.oversight or case.oversight_note
        case.version = 1 if started else 0
        return case, key_question_answers, prompt_answers

    def cell(self, number: int, record: list[str], index: int) -> str:
        raw = record[index].strip() if index < len(record) else ""
        if NUL in raw:
            self.error(number, index, "contains a NUL character, which cannot be stored")
            return ""
        return from_spreadsheet_safe(raw)

    def reference(self, number: int) -> Callable[[str], str]:
        def parse(reference: str) -> str:
            text_reader("reference")(reference)
            key = reference.lower()
            if key in self.existing:
                raise InvalidCell(f'"{reference}" is already a case of this inspection')
            if key in self.references:
                raise InvalidCell(
                    f'"{reference}" is also the reference in row {self.references[key]}'
                )
            self.references[key] = number
            return reference

        return parse

    def team_member(self, raw: str):
        try:
            return self.team[raw.lower()]
        except KeyError:
            raise InvalidCell(f'"{raw}" is not a member of the inspection\'s team') from None

    # Answers are kept as plain values while checking, and made into rows only to be
    # written: building thousands of model instances was most of the check's time.

    def applies(self, number: int, index: int, key_question_id: int, case_type: str) -> bool:
        """Whether a case of this type answers the key question; if not, a problem (an
        answer, note or prompt where the case has no such question would count nowhere
        or, worse, in a figure of cases of another type)."""
        if case_type not in self.applicable or key_question_id in self.applicable[case_type]:
            return True  # an unknown type is reported on its own column
        label = self.case_type_labels[case_type]
        self.error(number, index, f"does not apply to {with_article(label.lower())}")
        return False

    def key_question_answers(
        self, number: int, cells: dict[int, str], columns: Columns, case_type: str
    ) -> list[ParsedAnswer]:
        answers: dict[int, ParsedAnswer] = {}
        for index, key_question in columns.key_questions.items():
            if not cells[index]:
                continue
            if not self.applies(number, index, key_question.pk, case_type):
                continue
            try:
                answer = read_answer(cells[index])
            except InvalidCell as problem:
                self.error(number, index, str(problem))
                continue
            if answer == Answer.NOT_APPLICABLE and not key_question.allows_not_applicable:
                self.error(number, index, "N/A is not allowed for this key question")
                continue
            answers[key_question.pk] = ParsedAnswer(key_question.pk, answer)
        for index, key_question in columns.notes.items():
            if cells[index] and self.applies(number, index, key_question.pk, case_type):
                noted = answers.setdefault(key_question.pk, ParsedAnswer(key_question.pk))
                noted.note = cells[index]
        return list(answers.values())

    def prompt_answers(
        self, number: int, cells: dict[int, str], columns: Columns, case_type: str
    ) -> list[tuple[int, str]]:
        answers = []
        for index, prompt in columns.prompts.items():
            if not cells[index]:
                continue
            if not self.applies(number, index, prompt.key_question_id, case_type):
                continue
            try:
                answers.append((prompt.pk, read_answer(cells[index])))
            except InvalidCell as problem:
                self.error(number, index, str(problem))
        return answers

    # The whole file -----------------------------------------------------------------

    def check(self, records: list[list[str]]) -> list[tuple]:
        header, rows = records[0], records[1:]
        columns = self.read_header(header)
        read = columns.read()
        parsed = []
        # Spreadsheet numbering: the header is row 1; blank rows keep their number.
        for number, record in enumerate(rows, start=2):
            if not any(cell.strip() for cell in record):
                continue
            self.check_unnamed(number, record, columns)
            row = self.read_row(number, record, columns, read)
            if row is not None:
                parsed.append(row)
        return parsed

    def check_unnamed(self, number: int, record: list[str], columns: Columns) -> None:
        """A value under a column without a name, reported once per column."""
        for index in columns.unnamed:
            if index >= len(record):
                break  # positions are in order: the rest are past this row's end
            if record[index].strip() and index not in self.flagged:
                self.flagged.add(index)
                self.error(1, index, "this column has values but no name")

    def parse(self, data: bytes) -> list[tuple]:
        """The cases of a file with no problem; raises CaseImportError otherwise."""
        records = file_rows(decode(data))
        if not records or not any(cell.strip() for cell in records[0]):
            raise CaseImportError(["file: the first row must be the header row"])
        try:
            parsed = self.check(records)
        except _TooManyProblems:
            stopped = f"file: the check stopped after {MAX_PROBLEMS} problems; fix these first"
            messages = [message for _, _, message in sorted(self.problems)]
            raise CaseImportError([*messages, stopped]) from None
        if not self.problems and not parsed:
            self.file_error("there are no cases below the header row")
        if self.problems:
            raise CaseImportError([message for _, _, message in sorted(self.problems)])
        return parsed

    def run(self, data: bytes, user, reason: str = CHANGE_REASON) -> ImportResult:
        parsed = self.parse(data)
        try:
            with transaction.atomic():
                write_cases(parsed, user, reason)
        except IntegrityError:
            # Someone added a case with one of these references since the check above.
            raise CaseImportError(
                ["file: a case reference was used by another change meanwhile; try again"]
            ) from None
        return ImportResult(created=len(parsed))


def import_cases(
    *, inspection: Inspection, data: bytes, user=None, reason: str = CHANGE_REASON
) -> ImportResult:
    """Check the whole CSV file, then create its cases and answers in one transaction.

    Raises CaseImportError listing every problem (nothing written) if any row is wrong.
    `user` and `reason` are the author and change reason of every history row written.
    """
    return _Importer(inspection).run(data, user, reason)


def check_cases(*, inspection: Inspection, data: bytes) -> int:
    """Check the CSV file as import_cases does and write nothing: how many cases it holds.

    Raises CaseImportError as import_cases does.
    """
    return len(_Importer(inspection).parse(data))
