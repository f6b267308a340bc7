"""The case answers of an inspection as CSV (the data workbook is workbook.py).

The CSV is the `import_cases` format (csv_format.py), one row per case, so an export can
be imported into another inspection and give the same figures. It is streamed: the
answers are pivoted into columns in SQL (conditional aggregation, one grouped query for
key questions and one for prompts) and read through database cursors in chunks, so
10,000 cases take no more memory than a few hundred.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import Max, Q, QuerySet

from casereview.dashboards.summary import (
    inspection_cases,
)
from casereview.models import COUNTED_STATUSES, Case, CaseStatus, PromptAnswer
from casereview.transfer.csv_format import (
    ANSWER_WORDS,
    CASE_COLUMNS,
    NOTE,
    OVERSIGHT_NOTE,
    spreadsheet_safe,
)
from inspection.models import Inspection, KeyQuestion, Prompt

CHUNK_SIZE = 200  # rows per fetch: two chunks at most are in memory at once


@dataclass(frozen=True)
class _Column:
    header: str
    key: str  # the name of the value in the pivoted row


def _key_question_columns(
    key_questions: Sequence[KeyQuestion], prompts: Sequence[Prompt], *, notes: bool
) -> list[_Column]:
    """For each key question: its prompts, then its answer, then (with notes) its note."""
    by_key_question: dict[int, list[Prompt]] = {}
    for prompt in prompts:
        by_key_question.setdefault(prompt.key_question_id, []).append(prompt)
    columns = []
    for key_question in key_questions:
        for prompt in by_key_question.get(key_question.pk, []):
            columns.append(_Column(prompt.code, f"p_{prompt.pk}"))
        columns.append(_Column(key_question.code, f"kq_{key_question.pk}"))
        if notes:
            columns.append(_Column(key_question.code + NOTE, f"note_{key_question.pk}"))
    return columns


def _case_pivot(cases: QuerySet[Case], key_questions: Sequence[KeyQuestion], *, notes: bool):
    """One row per case: its attributes and one value per key question (and note)."""
    pivot = {}
    for key_question in key_questions:
        on_key_question = Q(key_question_answers__key_question_id=key_question.pk)
        pivot[f"kq_{key_question.pk}"] = Max(
            models.Case(models.When(on_key_question, then="key_question_answers__answer"))
        )
        if notes:
            pivot[f"note_{key_question.pk}"] = Max(
                models.Case(models.When(on_key_question, then="key_question_answers__note"))
            )
    fields = [name for name in CASE_COLUMNS if name != "inspector"]
    if notes:
        fields.append(OVERSIGHT_NOTE)
    return (
        cases.order_by("pk")
        .values("pk", "inspector__username", *fields)
        .annotate(**pivot)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _prompt_pivot(cases: QuerySet[Case], prompts: Sequence[Prompt]):
    """One row per case with prompt answers: one value per prompt."""
    pivot = {
        f"p_{prompt.pk}": Max(models.Case(models.When(prompt_id=prompt.pk, then="answer")))
        for prompt in prompts
    }
    return (
        PromptAnswer.objects.filter(case__in=cases)
        .order_by("case_id")
        .values("case_id")
        .annotate(**pivot)
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _fixed_value(name: str, row: dict) -> str:
    value = row["inspector__username"] if name == "inspector" else row[name]
    if name == "status":
        # The import knows two statuses: counted cases are submitted, the rest in progress.
        counted = value in COUNTED_STATUSES
        return CaseStatus.SUBMITTED if counted else CaseStatus.IN_PROGRESS
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value or ""


def case_csv_rows(*, inspection: Inspection, notes: bool = False) -> Iterator[list[str]]:
    """The header, then one row per case, in the `import_cases` format (4 queries)."""
    framework_id = inspection.framework_id
    key_questions = list(KeyQuestion.objects.of_framework(framework_id))
    prompts = list(Prompt.objects.of_framework(framework_id))
    columns = _key_question_columns(key_questions, prompts, notes=notes)
    header = [*CASE_COLUMNS, *(column.header for column in columns)]
    if notes:
        header.append("oversight" + NOTE)
    yield header

    cases = inspection_cases(inspection=inspection)
    prompt_rows = _prompt_pivot(cases, prompts)
    pending = next(prompt_rows, None)
    for row in _case_pivot(cases, key_questions, notes=notes):
        # Both queries run in case order: advance the prompt rows alongside.
        while pending is not None and pending["case_id"] < row["pk"]:
            pending = next(prompt_rows, None)
        if pending is not None and pending["case_id"] == row["pk"]:
            row.update(pending)
        values = [_fixed_value(name, row) for name in CASE_COLUMNS]
        for column in columns:
            value = row.get(column.key) or ""
            values.append(value if column.key.startswith("note_") else ANSWER_WORDS.get(value, ""))
        if notes:
            values.append(row[OVERSIGHT_NOTE] or "")
        yield values


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def case_csv_lines(*, inspection: Inspection, notes: bool = False) -> Iterator[str]:
    """The CSV file, spreadsheet-safe (OWASP, "CSV Injection"): a cell that a spreadsheet
    would run as a formula gets an apostrophe first, which `import_cases` removes, and
    every field is quoted so that no separator inside a note can start a new cell."""
    # A byte order mark, so that spreadsheet programs read the file as UTF-8.
    yield "\ufeff"
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    for row in case_csv_rows(inspection=inspection, notes=notes):
        yield writer.writerow([spreadsheet_safe(value) for value in row])
