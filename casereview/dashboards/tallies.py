"""Key-question answers counted in one pass, a row per case: the tallies the figures of
many inspections, and the breakdowns by case attribute, are added up from.

A case has at most one answer per key question, so its answers fold into bit masks,
one bit per key question in the masks of Yes, of No and of Not applicable (the sum of
a case's bits is their union). The database builds those masks grouped by case, joins
them to the case's inspection and attributes, then adds the bits up per inspection and
per value of each attribute over the per-case rows, every grouping one `UNION ALL` of
the same statement. Python receives a row per inspection and per attribute value:
about 250 rows for 10,000 cases over 200 inspections, instead of the 140,000 answers
or a row per combination of attribute values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F

from casereview.models import Answer, Case, CaseQuerySet, KeyQuestionAnswer

# The answers counted, in the order of each key question's figures.
ANSWERS = (
    ("yes", Answer.YES),
    ("no", Answer.NO),
    ("not_applicable", Answer.NOT_APPLICABLE),
)
# Bits per mask: the sum of a case's bits stays a 32-bit integer on every database
# (PostgreSQL then adds integers, not numerics).
BITS_PER_MASK = 30
BY_INSPECTION = -1  # the position of the per-inspection groups among the attributes


@dataclass
class Tally:
    """The counted cases of one group, and Yes / No (and, per inspection, Not applicable)
    per key question id."""

    cases: int = 0
    counts: dict[int, dict[str, int]] = field(default_factory=dict)


@dataclass
class AnswerTallies:
    key_question_ids: list[int]
    breakdown_key_question_ids: list[int]
    by_inspection: dict[int, Tally] = field(default_factory=dict)
    # attribute field -> the value as stored (None for no value) -> its tally
    by_attribute: dict[str, dict[str | None, Tally]] = field(default_factory=dict)

    def covers(self, key_question_ids: Sequence[int], fields: Sequence[str]) -> bool:
        return set(key_question_ids) <= set(self.breakdown_key_question_ids) and all(
            f in self.by_attribute for f in fields
        )


def answer_tallies(
    counted: CaseQuerySet,
    *,
    key_question_ids: Sequence[int],
    fields: Sequence[str] = (),
    by_inspection: bool = True,
    breakdown_key_question_ids: Sequence[int] | None = None,
) -> AnswerTallies:
    """The counted cases' answers to `key_question_ids` per inspection (if asked), and
    their Yes and No to `breakdown_key_question_ids` (default: the same) per value of
    each attribute `fields` names, in one query."""
    kq_ids = [int(pk) for pk in dict.fromkeys(key_question_ids)]
    wanted = set(kq_ids if breakdown_key_question_ids is None else breakdown_key_question_ids)
    broken_down = [pk for pk in kq_ids if pk in wanted]
    tallies = AnswerTallies(
        key_question_ids=kq_ids,
        breakdown_key_question_ids=broken_down,
        by_attribute={f: {} for f in fields},
    )
    if not kq_ids or not (fields or by_inspection):
        return tallies
    counted = counted.order_by()
    # Each counted case once, whatever joins `counted` was filtered through.
    per_case = (
        Case.objects.filter(pk__in=counted.values("pk"))
        .order_by()
        .values(
            tally_case=F("pk"),
            tally_inspection=F("inspection_id"),
            **{f"tally_{position}": F(name) for position, name in enumerate(fields)},
        )
    )
    answers = KeyQuestionAnswer.objects.filter(
        case__in=counted.values("pk"), key_question_id__in=kq_ids
    ).values("case_id", "key_question_id", "answer")
    try:
        cases_sql, cases_params = per_case.query.sql_with_params()
        answers_sql, answers_params = answers.query.sql_with_params()
    except EmptyResultSet:
        return tallies
    connection = connections[counted.db]
    quote = connection.ops.quote_name
    chunks = range(-(-len(kq_ids) // BITS_PER_MASK))
    masks = [(name, chunk) for name, _ in ANSWERS for chunk in chunks]

    def bit_of(chunk: int) -> str:
        # Only integers from the framework and the code: nothing typed by a user.
        ids = kq_ids[chunk * BITS_PER_MASK : (chunk + 1) * BITS_PER_MASK]
        whens = " ".join(f"WHEN {pk} THEN {1 << bit}" for bit, pk in enumerate(ids))
        return f"CASE a.key_question_id {whens} ELSE 0 END"

    def counts(pks: list[int], names: tuple[str, ...]) -> list[str]:
        """The number of cases with each bit set: one sum per key question and answer."""
        return [
            f"SUM(CAST((m_{name}_{index // BITS_PER_MASK} >> {index % BITS_PER_MASK}) & 1 "
            "AS INTEGER))"
            for index, pk in enumerate(kq_ids)
            if pk in pks
            for name in names
        ]

    mask_sums = ", ".join(
        f"SUM(CASE WHEN a.answer = %s THEN {bit_of(chunk)} ELSE 0 END) AS m_{name}_{chunk}"
        for name, chunk in masks
    )
    mask_params = [value for _, value in ANSWERS for _ in chunks]
    per_case_masks = ", ".join(f"COALESCE(m.m_{n}_{c}, 0) AS m_{n}_{c}" for n, c in masks)
    every = counts(kq_ids, tuple(name for name, _ in ANSWERS))
    yes_no = counts(broken_down, ("yes", "no"))
    groupings = [(position, quote(f"tally_{position}"), yes_no) for position in range(len(fields))]
    if by_inspection:
        groupings.append((BY_INSPECTION, quote("tally_inspection"), every))
    width = max(len(columns) for _, _, columns in groupings)
    selects = [
        # Every SELECT of a UNION has as many columns: the shorter end in zeros.
        f"SELECT {position}, CAST({column} AS TEXT), COUNT(*), "  # noqa: S608
        + ", ".join([*columns, *["0"] * (width - len(columns))])
        + f" FROM per_case GROUP BY {column}"
        for position, column, columns in groupings
    ]
    sql = (
        f"WITH per_case AS MATERIALIZED (SELECT c.*, {per_case_masks} "  # noqa: S608
        f"FROM ({cases_sql}) c LEFT JOIN ("
        f"SELECT a.{quote('case_id')} AS case_id, {mask_sums} FROM ({answers_sql}) a "
        f"GROUP BY a.{quote('case_id')}) m ON m.case_id = c.{quote('tally_case')}) "
        + " UNION ALL ".join(selects)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*cases_params, *mask_params, *answers_params])
        rows = cursor.fetchall()
    names = tuple(name for name, _ in ANSWERS)
    for position, value, cases, *figures in rows:
        # The columns are in `counts`' order: per key question, its answers' counts.
        if position == BY_INSPECTION:
            counted_answers = _by_key_question(kq_ids, names, figures)
            tallies.by_inspection[int(value)] = Tally(cases, counted_answers)
        else:
            counted_answers = _by_key_question(broken_down, ("yes", "no"), figures)
            tallies.by_attribute[fields[position]][value] = Tally(cases, counted_answers)
    return tallies


def _by_key_question(
    pks: list[int], names: tuple[str, ...], figures: list[int]
) -> dict[int, dict[str, int]]:
    width = len(names)
    return {
        pk: dict(zip(names, figures[width * index : width * (index + 1)], strict=True))
        for index, pk in enumerate(pks)
    }
