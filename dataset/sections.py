"""A section's form data: every field filled in, and the values each field accepts."""

from __future__ import annotations

from casereview.entry.sections import (
    OVERSIGHT,
    RISK,
    Section,
    answer_field,
    note_field,
    prompt_field,
)
from casereview.models import Answer, Oversight


def section_values(
    section: Section, *, answer: str = Answer.YES, note: str = "Seen in the record."
) -> dict[str, str]:
    """Every field of the section filled in: `answer` to each question, `note` to each note."""
    if section.kind == OVERSIGHT:
        return {"oversight": Oversight.EFFECTIVE, "oversight_note": note}
    if section.kind == RISK:
        return {name: answer for name in section.field_names}
    values = {}
    for key_question in section.key_questions:
        for prompt in section.prompts_of(key_question):
            values[prompt_field(prompt)] = answer
        values[answer_field(key_question)] = answer
        values[note_field(key_question)] = note
    return values


YES_NO = [Answer.YES.value, Answer.NO.value]
YES_NO_NA = [*YES_NO, Answer.NOT_APPLICABLE.value]


def section_fields(section: Section) -> dict[str, list[str] | None]:
    """Field name -> the values it accepts (None for free text): the load test's plan."""
    if section.kind == OVERSIGHT:
        return {"oversight": [value for value, _ in Oversight.choices], "oversight_note": None}
    fields: dict[str, list[str] | None] = {}
    for key_question in section.key_questions:
        for prompt in section.prompts_of(key_question):
            fields[prompt_field(prompt)] = YES_NO_NA
        fields[answer_field(key_question)] = (
            YES_NO_NA if key_question.allows_not_applicable else YES_NO
        )
        fields[note_field(key_question)] = None
    return fields
