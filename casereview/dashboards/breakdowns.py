"""The dashboard's figures beyond the ratings: progress per inspector, prompt results,
breakdowns by case attribute, and the cases answered No on a key question.

Each selector issues a fixed number of queries whatever the number of cases: grouped
queries, never one per case or per group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

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
    the case types of the cases' frameworks, as (value, label) choices: one query, a
    UNION of small DISTINCTs."""
    text: CharField[str, str] = CharField()
    parts = [
        cases.order_by()
        .annotate(
            attr=Value(attribute.field, output_field=text),
            label=Value("", output_field=text),
        )
        .values_list("attr", attribute.field, "label")
        .distinct()
        for attribute in FREE_TEXT_ATTRIBUTES
    ]
    parts.append(
        cases.order_by()
        .filter(inspector__isnull=False)
        .annotate(
            attr=Value("inspector", output_field=text),
            key=Cast("inspector_id", output_field=text),
            # The full name, then the username to fall back on, split again below.
            label=Concat(
                "inspector__first_name",
                Value(" "),
                "inspector__last_name",
                Value("|"),
                "inspector__username",
                output_field=text,
            ),
        )
        .values_list("attr", "key", "label")
        .distinct()
    )
    parts.append(
        CaseType.objects.order_by()
        .filter(framework_id__in=cases.order_by().values("inspection__framework_id"))
        .annotate(
            attr=Value(CASE_TYPE.field, output_field=text),
            key=Cast("code", output_field=text),
            # The order, then the label, split again below.
            shown=Concat(Cast("order", output_field=text), Value("|"), "label", output_field=text),
        )
        .values_list("attr", "key", "shown")
        .distinct()
    )
    found: dict[str, list[tuple[str, str]]] = {a.field: [] for a in FREE_TEXT_ATTRIBUTES}
    found["inspector"] = []
    found[CASE_TYPE.field] = []
    for attr, value, label in parts[0].union(*parts[1:], all=True):
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
