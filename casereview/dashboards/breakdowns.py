"""The dashboard's figures beyond the ratings: progress per inspector, prompt results,
breakdowns by case attribute, and the cases answered No on a key question.

Each selector issues a fixed number of queries whatever the number of cases: grouped
queries, never one per case or per group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, F, Q, QuerySet

from casereview.attributes import (
    BREAKDOWN_ATTRIBUTES,
    CASE_TYPE,
    FREE_TEXT_ATTRIBUTES,
    NOT_RECORDED,
    Attribute,
    case_type_choices,
    with_case_types,
)
from casereview.dashboards.disclosure import is_small_number
from casereview.dashboards.tallies import AnswerTallies, answer_tallies
from casereview.models import (
    Answer,
    CaseProgress,
    CaseQuerySet,
    KeyQuestionAnswer,
    PromptAnswer,
)
from casereview.people import full_name
from inspection import ratings
from inspection.models import Basis, CaseType, KeyQuestion, Prompt


def framework_key_questions(*, framework_id: int) -> list[KeyQuestion]:
    """Every key question of a framework, in framework order, with its standard."""
    return list(KeyQuestion.objects.of_framework(framework_id).select_related("standard"))


def rated_key_questions(key_questions: list[KeyQuestion]) -> list[KeyQuestion]:
    return [kq for kq in key_questions if kq.standard.basis == Basis.CASES]


# Progress per inspector -------------------------------------------------------------


@dataclass
class InspectorProgress:
    name: str
    total: int
    not_started: int
    in_progress: int
    submitted: int
    returned: int
    moderated: int
    inspector_id: int | None = None  # the Cases page's filter value


def inspector_progress(*, cases: CaseQuerySet) -> list[InspectorProgress]:
    """Case progress per assigned inspector, unassigned cases last, in one query."""
    rows = (
        cases.order_by()
        .values(
            "inspector_id", "inspector__username", "inspector__first_name", "inspector__last_name"
        )
        .annotate(
            total=Count("pk"),
            **CaseProgress.counts(),
        )
    )
    progress = []
    for row in rows:
        if row["inspector_id"] is None:
            name = "Not assigned"
        else:
            name = full_name(
                row["inspector__first_name"],
                row["inspector__last_name"],
                row["inspector__username"],
            )
        progress.append(
            InspectorProgress(
                name=name,
                inspector_id=row["inspector_id"],
                **{key: row[key] for key in ("total", *CaseProgress.values)},
            )
        )
    return sorted(progress, key=lambda item: (item.name == "Not assigned", item.name.lower()))


# Prompt results ---------------------------------------------------------------------


@dataclass
class PromptFigures:
    code: str
    text: str
    yes: int
    no: int
    suppressed: bool = False

    @property
    def relevant(self) -> int:
        return self.yes + self.no

    @property
    def percent(self) -> int | None:
        return ratings.percent(self.yes, self.relevant)


def prompt_results(*, cases: CaseQuerySet, framework_id: int) -> dict[str, list[PromptFigures]]:
    """Each prompt's Yes over relevant counted cases, by key question code (two queries)."""
    counts = {
        row["prompt_id"]: row
        for row in PromptAnswer.objects.filter(case__in=cases.counted())
        .order_by()
        .values("prompt_id")
        .annotate(
            yes=Count("pk", filter=Q(answer=Answer.YES)),
            no=Count("pk", filter=Q(answer=Answer.NO)),
        )
    }
    results: dict[str, list[PromptFigures]] = {}
    for prompt in Prompt.objects.of_framework(framework_id).select_related("key_question"):
        row = counts.get(prompt.pk, {"yes": 0, "no": 0})
        results.setdefault(prompt.key_question.code, []).append(
            PromptFigures(code=prompt.code, text=prompt.text, yes=row["yes"], no=row["no"])
        )
    return results


# Breakdowns by case attribute ---------------------------------------------------------


@dataclass
class GroupCell:
    yes: int
    no: int
    suppressed: bool = False

    @property
    def relevant(self) -> int:
        return self.yes + self.no

    @property
    def percent(self) -> int | None:
        return ratings.percent(self.yes, self.relevant)


@dataclass
class BreakdownGroup:
    value: str
    label: str
    cases: int
    cells: list[GroupCell] = field(default_factory=list)  # in key-question order
    suppressed: bool = False

    @property
    def is_small(self) -> bool:
        return is_small_number(self.cases)


@dataclass
class BreakdownRow:
    code: str
    text: str
    cells: list[GroupCell]


@dataclass
class Breakdown:
    attribute: Attribute
    groups: list[BreakdownGroup]
    key_questions: list[KeyQuestion]

    @property
    def rows(self) -> list[BreakdownRow]:
        """The table's rows: one per key question, one cell per group."""
        return [
            BreakdownRow(
                code=kq.code, text=kq.text, cells=[group.cells[i] for group in self.groups]
            )
            for i, kq in enumerate(self.key_questions)
        ]

    @property
    def has_small_group(self) -> bool:
        return any(group.is_small for group in self.groups)


def _group_order(attribute: Attribute, value: str) -> tuple:
    order = [choice for choice, _ in attribute.choices]
    if value in order:
        return (0, order.index(value), "")
    return (1 if value else 2, 0, value.lower())


def case_breakdowns(
    *,
    cases: CaseQuerySet,
    key_questions: list[KeyQuestion],
    attributes: tuple[Attribute, ...] = BREAKDOWN_ATTRIBUTES,
    tallies: AnswerTallies | None = None,
) -> list[Breakdown]:
    """Yes and No per key question within each group of each attribute, in one query.

    The counted cases' answers tallied per attribute value by the database
    (`answer_tallies`), a group whose cases have no answer yet still showing its size;
    `tallies` when the caller has them already for the same cases (a set's summary).
    """
    if any(a.field == CASE_TYPE.field and not a.choices for a in attributes):
        # The case types' labels and order are the cases' frameworks' (one query; a
        # caller that has them already passes them in `attributes`).
        choices = case_type_choices(cases.order_by().values("inspection__framework_id"))
        attributes = with_case_types(attributes, choices)
    fields = [attribute.field for attribute in attributes]
    kq_ids = [kq.pk for kq in key_questions]
    if tallies is None or not tallies.covers(kq_ids, fields):
        tallies = answer_tallies(
            cases.counted(), key_question_ids=kq_ids, fields=fields, by_inspection=False
        )
    breakdowns = []
    for attribute in attributes:
        # Values stored differently may be one group (blank and unrecorded, say).
        merged: dict[str, tuple[int, list[GroupCell]]] = {}
        for stored, tally in tallies.by_attribute[attribute.field].items():
            value = attribute.group_value(stored)
            cases_before, cells = merged.get(value, (0, [GroupCell(yes=0, no=0) for _ in kq_ids]))
            merged[value] = (
                cases_before + tally.cases,
                [
                    GroupCell(
                        yes=cell.yes + tally.counts[pk]["yes"],
                        no=cell.no + tally.counts[pk]["no"],
                    )
                    for cell, pk in zip(cells, kq_ids, strict=True)
                ],
            )
        groups = [
            BreakdownGroup(value=value, label=attribute.value_label(value), cases=size, cells=cells)
            for value, (size, cells) in merged.items()
        ]
        groups.sort(key=lambda group: _group_order(attribute, group.value))
        breakdowns.append(
            Breakdown(attribute=attribute, groups=groups, key_questions=key_questions)
        )
    return breakdowns


# Filter options ---------------------------------------------------------------------


def filter_options(*, cases: CaseQuerySet) -> dict[str, list[tuple[str, str]]]:
    """The values present in the cases for each free-text attribute, the inspectors, and
    the case types of the cases' frameworks, as (value, label) choices: one query, the
    cases read once (a materialized common table expression) and a small DISTINCT per
    attribute over them."""
    rows = _option_rows(cases)
    found: dict[str, list[tuple[str, str]]] = {a.field: [] for a in FREE_TEXT_ATTRIBUTES}
    found["inspector"] = []
    found[CASE_TYPE.field] = []
    for attr, value, label in rows:
        found[attr].append((value or "", (label or "").strip()))
    options = {}
    for attribute in FREE_TEXT_ATTRIBUTES:
        values = sorted((value for value, _ in found[attribute.field]), key=str.lower)
        # Blank ("not recorded") last, under a value that stands for it in the URL.
        options[attribute.field] = [(value, value) for value in values if value] + (
            [(BLANK, NOT_RECORDED)] if "" in values else []
        )
    inspectors = []
    for value, label in found["inspector"]:
        name, _, username = label.rpartition("|")
        inspectors.append((value, full_name(name, "", username)))
    options["inspector"] = sorted(inspectors, key=lambda choice: choice[1].lower())
    case_types: dict[str, tuple[int, str]] = {}
    for value, label in found[CASE_TYPE.field]:
        order, _, label = label.partition("|")
        case_types[value] = min(case_types.get(value, (int(order), label)), (int(order), label))
    options[CASE_TYPE.field] = [
        (code, label)
        for code, (_, label) in sorted(case_types.items(), key=lambda item: (item[1][0], item[0]))
    ]
    return options


def _option_rows(cases: CaseQuerySet) -> list[tuple[str, str | None, str | None]]:
    """(attribute, value, label) for every value `filter_options` offers. A set's cases
    are read once, not once per attribute: over a national set that is most of the cost."""
    columns = [attribute.field for attribute in FREE_TEXT_ATTRIBUTES]
    per_case = cases.order_by().values(
        **{f"option_{position}": F(name) for position, name in enumerate(columns)},
        option_inspector=F("inspector_id"),
        option_framework=F("inspection__framework_id"),
    )
    try:
        cases_sql, params = per_case.query.sql_with_params()
    except EmptyResultSet:
        return []
    q = connections[cases.db].ops.quote_name
    users, case_types = q(get_user_model()._meta.db_table), q(CaseType._meta.db_table)
    # Names from the models and the code only: every value is a parameter.
    attribute = "SELECT CAST(%s AS TEXT)"
    selects = [
        f"{attribute}, CAST({q(f'option_{position}')} AS TEXT), '' "  # noqa: S608
        f"FROM cases GROUP BY {q(f'option_{position}')}"
        for position in range(len(columns))
    ]
    # The full name, then the username to fall back on, split again by the caller.
    selects.append(
        f"{attribute}, CAST(u.{q('id')} AS TEXT), "  # noqa: S608
        f"u.{q('first_name')} || ' ' || u.{q('last_name')} || '|' || u.{q('username')} "
        f"FROM {users} u WHERE u.{q('id')} IN (SELECT {q('option_inspector')} FROM cases)"
    )
    # The order, then the label, split again by the caller.
    selects.append(
        f"{attribute}, t.{q('code')}, CAST(t.{q('order')} AS TEXT) || '|' || t.{q('label')} "  # noqa: S608
        f"FROM {case_types} t "
        f"WHERE t.{q('framework_id')} IN (SELECT {q('option_framework')} FROM cases)"
    )
    sql = f"WITH cases AS MATERIALIZED ({cases_sql}) " + " UNION ALL ".join(selects)  # noqa: S608
    with connections[cases.db].cursor() as cursor:
        cursor.execute(sql, [*params, *columns, "inspector", CASE_TYPE.field])
        return cursor.fetchall()


# The filter value standing for "not recorded" (an empty attribute).
BLANK = "-"


# Cases answered No --------------------------------------------------------------------


def cases_answered(
    *, cases: CaseQuerySet, key_question: KeyQuestion, answer: str
) -> QuerySet[KeyQuestionAnswer]:
    """The answers `answer` (Yes or No) on one key question among the counted cases,
    with their cases."""
    return (
        KeyQuestionAnswer.objects.filter(
            key_question=key_question, answer=answer, case__in=cases.counted()
        )
        .select_related("case__inspector")
        .order_by("case__reference")
    )


def cases_answered_no(
    *, cases: CaseQuerySet, key_question: KeyQuestion
) -> QuerySet[KeyQuestionAnswer]:
    """The No answers on one key question among the counted cases, with their cases."""
    return cases_answered(cases=cases, key_question=key_question, answer=Answer.NO)
