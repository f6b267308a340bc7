"""A case's answers as the check page and the read-only view show them: each section's
questions with their answers, grouped under their key questions, and what each section
still needs (the one completeness rule, `sections.section_gaps`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from casereview.entry.sections import (
    ANSWER_LABELS,
    OVERSIGHT,
    OVERSIGHT_LABELS,
    RISK,
    STANDARD,
    Section,
    answer_field,
    describe_gaps,
    note_field,
    prompt_field,
    section_gaps,
)
from casereview.models import RiskInformation


@dataclass
class AnswerRow:
    """One line of a case's answers as the check page and the read-only view show it."""

    question: str
    answer: str
    anchor: str  # the id of the input a Change link goes to
    is_note: bool = False


def _radio_anchor(name: str) -> str:
    return f"id_{name}_1"


def _text_anchor(name: str) -> str:
    return f"id_{name}"


def answer_rows(section: Section, values: Mapping[str, str]) -> list[AnswerRow]:
    def label(value: str, labels=ANSWER_LABELS) -> str:
        return labels.get(value, "Not answered") if value else "Not answered"

    if section.kind == OVERSIGHT:
        return [
            AnswerRow(
                "Management oversight",
                label(values.get("oversight", ""), OVERSIGHT_LABELS),
                _radio_anchor("oversight"),
            ),
            AnswerRow(
                "Management oversight note",
                values.get("oversight_note") or "No note",
                _text_anchor("oversight_note"),
                is_note=True,
            ),
        ]
    if section.kind == RISK:
        return [
            AnswerRow(
                RiskInformation.question_label(name),
                label(values.get(name, "")),
                _radio_anchor(name),
            )
            for name in RiskInformation.QUESTIONS
        ]
    rows = []
    for key_question in section.key_questions:
        for prompt in section.prompts_of(key_question):
            name = prompt_field(prompt)
            rows.append(AnswerRow(prompt.text, label(values.get(name, "")), _radio_anchor(name)))
        name = answer_field(key_question)
        rows.append(
            AnswerRow(
                f"{key_question.code} {key_question.text}",
                label(values.get(name, "")),
                _radio_anchor(name),
            )
        )
        name = note_field(key_question)
        rows.append(
            AnswerRow(
                f"Evidence note for key question {key_question.code}",
                values.get(name) or "No note",
                _text_anchor(name),
                is_note=True,
            )
        )
    return rows


@dataclass
class AnswerGroup:
    """A key question's answer and note with its prompts summarised beneath; or, in
    the oversight and risk sections, one question alone."""

    question: AnswerRow
    note: AnswerRow | None = None
    prompts: list[AnswerRow] = field(default_factory=list)
    is_key_question: bool = False

    @property
    def rows(self) -> list[AnswerRow]:
        return [self.question] if self.note is None else [self.question, self.note]

    @property
    def prompt_summary(self) -> str:
        """'3 Yes, 1 No, 1 Not answered': the prompts at a glance."""
        counts: dict[str, int] = {}
        for row in self.prompts:
            counts[row.answer] = counts.get(row.answer, 0) + 1
        order = [*ANSWER_LABELS.values(), "Not answered"]
        return ", ".join(f"{counts[label]} {label}" for label in order if label in counts)


@dataclass
class SectionAnswers:
    """One section of a case's answers as the check page and the read-only view show
    it: its questions grouped, and what it still needs (the one completeness rule)."""

    section: Section
    groups: list[AnswerGroup]
    missing: str  # describe_gaps(), or "" when complete


def case_answers(sections: list[Section], values: Mapping[str, str]) -> list[SectionAnswers]:
    found = []
    for section in sections:
        rows = answer_rows(section, values)
        if section.kind == STANDARD:
            groups, position = [], 0
            for key_question in section.key_questions:
                count = len(section.prompts_of(key_question))
                prompts = rows[position : position + count]
                question, note = rows[position + count], rows[position + count + 1]
                position += count + 2
                groups.append(AnswerGroup(question, note, prompts, is_key_question=True))
        elif section.kind == OVERSIGHT:
            groups = [AnswerGroup(rows[0], rows[1])]
        else:
            groups = [AnswerGroup(row) for row in rows]
        gaps = section_gaps(section, values)
        found.append(SectionAnswers(section, groups, describe_gaps(section, gaps) if gaps else ""))
    return found


def field_anchor(section: Section, name: str) -> str:
    """Where an error summary link for the field `name` goes: a radio or a textarea."""
    if name == "oversight_note" or name.startswith("note_"):
        return _text_anchor(name)
    return _radio_anchor(name)
