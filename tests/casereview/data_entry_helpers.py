"""Helpers for the data entry tests: complete answers for a section, a whole case."""

from casereview.entry.sections import Section, case_sections
from casereview.entry.services import save_section
from casereview.models import Case
from dataset import section_values

# Every field of a section filled in: the same form data the benchmarks post.
complete_values = section_values


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
