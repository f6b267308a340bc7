"""Helpers for the data entry tests: complete answers for a section, a whole case."""

from casereview.models import Answer, Case, Oversight
from casereview.sections import (
    OVERSIGHT,
    RISK,
    Section,
    answer_field,
    case_sections,
    note_field,
    prompt_field,
)
from casereview.services import save_section


def complete_values(
    section: Section, *, answer: str = Answer.YES, note: str = "Seen in the record."
) -> dict:
    """Every field of the section filled in."""
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


def answer_case(case: Case, user, *, skip=()) -> Case:
    """Complete every required section of the case (except the slugs in `skip`)."""
    for section in case_sections(case=case):
        if section.optional or section.slug in skip:
            continue
        save_section(
            case=case,
            section=section,
            data=complete_values(section),
            base_version=case.version,
            user=user,
        )
    return case


def post_data(section: Section, values: dict, *, version: int, button: str = "save_draft") -> dict:
    data = {name: values.get(name, "") for name in section.field_names}
    data["version"] = version
    if button:
        data[button] = ""
    return data
