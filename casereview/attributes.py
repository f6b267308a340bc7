"""A case's attributes: the facts about a case that come with the sample (not its answers).

One definition read by the admin (the case form), history (what changed), the case CSV
(its columns) and the figures (filters, breakdowns, the workbook's sample profile).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from casereview.models import Gender, RiskOfSeriousHarm
from inspection.models import CaseType

# The attribute fields of a case, in the order every surface lists them.
CASE_ATTRIBUTE_FIELDS = (
    "reference",
    "case_type",
    "rosh",
    "gender",
    "ethnicity",
    "office",
    "practitioner_grade",
    "age_band",
    "sentence_start",
)

NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class Attribute:
    """A case attribute the figures can be broken down or filtered by."""

    field: str
    label: str
    choices: tuple[tuple[str, str], ...] = ()
    # The choice an empty value means, where the attribute has a "not recorded" choice:
    # both are one group, not two columns headed "Not recorded".
    blank_choice: str = ""

    @property
    def in_sentence(self) -> str:
        """The label within a sentence ("by risk of serious harm"): lower case, but an
        initialism stays as it is ("by PDU")."""
        first = self.label.split(" ")[0]
        return self.label if first.isupper() and len(first) > 1 else self.label.lower()

    def value_label(self, value: str) -> str:
        if not value:
            return NOT_RECORDED
        return dict(self.choices).get(value, value)

    def group_value(self, value: str | None) -> str:
        return value or self.blank_choice

    def stored_values(self, value: str) -> list[str]:
        """What a group's value matches in the database."""
        return [value, ""] if self.blank_choice and value == self.blank_choice else [value]


# A case type's values are its framework's (inspection.CaseType): the attribute takes its
# choices from the frameworks of the cases at hand (`case_type_choices`, `with_case_types`).
CASE_TYPE = Attribute("case_type", "Case type")
ROSH = Attribute("rosh", "Risk of serious harm", tuple(RiskOfSeriousHarm.choices))
GENDER = Attribute("gender", "Gender", tuple(Gender.choices), blank_choice=Gender.NOT_RECORDED)
GRADE = Attribute("practitioner_grade", "Practitioner grade")
OFFICE = Attribute("office", "Office or team")
ETHNICITY = Attribute("ethnicity", "Ethnicity")
AGE_BAND = Attribute("age_band", "Age band")

BREAKDOWN_ATTRIBUTES = (CASE_TYPE, ROSH, GENDER, GRADE, OFFICE, ETHNICITY)
# Free-text attributes: their filter options come from the inspection's own cases.
FREE_TEXT_ATTRIBUTES = (GRADE, OFFICE, ETHNICITY, AGE_BAND)


def case_type_choices(framework_ids) -> tuple[tuple[str, str], ...]:
    """(code, label) of the case types of these frameworks (ids, or a query of ids), in
    their order (one query);
    a code two frameworks share is listed once, with the first framework's label."""
    choices: dict[str, str] = {}
    for code, label in (
        CaseType.objects.filter(framework_id__in=framework_ids)
        .order_by("order", "framework_id", "code")
        .values_list("code", "label")
    ):
        choices.setdefault(code, label)
    return tuple(choices.items())


def with_case_types(
    attributes: Iterable[Attribute], choices: Iterable[tuple[str, str]]
) -> tuple[Attribute, ...]:
    """The attributes with the case type's choices (and so its labels and order) filled in."""
    choices = tuple(choices)
    return tuple(
        replace(attribute, choices=choices) if attribute.field == CASE_TYPE.field else attribute
        for attribute in attributes
    )
