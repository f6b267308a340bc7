"""Form data that fills in a section completely, as an inspector would post it."""

from __future__ import annotations

from casereview.models import Answer, Oversight
from casereview.sections import OVERSIGHT, RISK, Section, answer_field, note_field, prompt_field


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
