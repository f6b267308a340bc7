"""The sections of a case, what each asks, and when each is complete.

A case has one section per standard judged from cases that its case type answers
(probation: Assessment, Planning, Implementation and delivery, Reviewing, and the
reported Outcomes; youth: the court or the out-of-court disposal standards),
Management oversight, and the optional Risk information. The questions and which case
types answer them come from the framework's data, never from code. A section's answers
are handled as a flat mapping of form field name to value, so that the form, the
services and the pages judge completeness with the same function.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.text import slugify

from casereview.models import (
    Answer,
    Case,
    KeyQuestionAnswer,
    Oversight,
    PromptAnswer,
    RiskInformation,
)
from inspection.models import Basis, KeyQuestion, Prompt, Standard

STANDARD = "standard"
OVERSIGHT = "oversight"
RISK = "risk"

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"

ANSWER_LABELS = dict(Answer.choices)
OVERSIGHT_LABELS = dict(Oversight.choices)
OVERSIGHT_FIELDS = ("oversight", "oversight_note")


def _code_name(code: str) -> str:
    return re.sub(r"\W", "_", code)


def prompt_field(prompt: Prompt) -> str:
    return f"prompt_{_code_name(prompt.code)}"


def answer_field(key_question: KeyQuestion) -> str:
    return f"kq_{_code_name(key_question.code)}"


def note_field(key_question: KeyQuestion) -> str:
    return f"note_{_code_name(key_question.code)}"


@dataclass
class Section:
    slug: str
    title: str
    kind: str
    key_questions: list[KeyQuestion] = field(default_factory=list)
    prompts: dict[int, list[Prompt]] = field(default_factory=dict)  # by key question
    notes_required: bool = True
    optional: bool = False
    standard_id: int | None = None
    # A standard's section: the codes of the case types that answer it (its standard's,
    # `Standard.applies_to`); None for oversight and risk, which every case answers.
    case_types: frozenset[str] | None = None

    def applies_to(self, case_type: str) -> bool:
        return self.case_types is None or case_type in self.case_types

    @property
    def all_prompts(self) -> list[Prompt]:
        return [p for kq in self.key_questions for p in self.prompts.get(kq.pk, [])]

    def prompts_of(self, key_question: KeyQuestion) -> list[Prompt]:
        return self.prompts.get(key_question.pk, [])

    @property
    def field_names(self) -> list[str]:
        if self.kind == OVERSIGHT:
            return list(OVERSIGHT_FIELDS)
        if self.kind == RISK:
            return list(RiskInformation.QUESTIONS)
        names = []
        for key_question in self.key_questions:
            names += [prompt_field(p) for p in self.prompts_of(key_question)]
            names += [answer_field(key_question), note_field(key_question)]
        return names


def sections_by_framework(*, framework_ids: Iterable[int]) -> dict[int, list[Section]]:
    """Every framework's sections in order, each section of a standard with the case
    types that answer it, in three queries whatever the frameworks. A case sees those
    of its type only: `for_case_type`."""
    framework_ids = set(framework_ids)
    key_questions = list(
        KeyQuestion.objects.of_frameworks(framework_ids)
        .filter(standard__basis__in=(Basis.CASES, Basis.REPORTED))
        .select_related("standard")
    )
    answered_by: dict[int, set[str]] = defaultdict(set)
    for standard_id, code in Standard.case_types.through.objects.filter(
        standard__framework_id__in=framework_ids
    ).values_list("standard_id", "casetype__code"):
        answered_by[standard_id].add(code)
    prompts: dict[int, list[Prompt]] = defaultdict(list)
    prompts_in_order = Prompt.objects.filter(key_question__in=[kq.pk for kq in key_questions])
    for prompt in prompts_in_order.in_framework_order():
        prompts[prompt.key_question_id].append(prompt)

    found: dict[int, dict[int, Section]] = {pk: {} for pk in framework_ids}
    for key_question in key_questions:
        standard = key_question.standard
        section = found[standard.framework_id].get(standard.pk)
        if section is None:
            section = found[standard.framework_id][standard.pk] = Section(
                slug=slugify(standard.title),
                title=standard.title,
                kind=STANDARD,
                # Outcomes are reported, not rated: their notes are welcome, not required.
                notes_required=standard.basis == Basis.CASES,
                standard_id=standard.pk,
                case_types=frozenset(answered_by.get(standard.pk, ())),
            )
        section.key_questions.append(key_question)
        section.prompts[key_question.pk] = prompts.get(key_question.pk, [])
    return {
        framework_id: [
            *standards.values(),
            Section(slug="management-oversight", title="Management oversight", kind=OVERSIGHT),
            Section(
                slug="risk-information",
                title="Risk information",
                kind=RISK,
                optional=True,
                notes_required=False,
            ),
        ]
        for framework_id, standards in found.items()
    }


def for_case_type(sections: Iterable[Section], case_type: str) -> list[Section]:
    """The sections a case of this type sees and answers, in order."""
    return [section for section in sections if section.applies_to(case_type)]


def case_sections(*, case: Case) -> list[Section]:
    """The case's sections: those its case type answers, and oversight and risk."""
    framework_id = case.inspection.framework_id
    sections = sections_by_framework(framework_ids=[framework_id])[framework_id]
    return for_case_type(sections, case.case_type)


def required(sections: Iterable[Section]) -> list[Section]:
    return [section for section in sections if not section.optional]


def case_values(*, case: Case, sections: list[Section]) -> dict[str, str]:
    """Everything recorded for the case, as form field name -> value (three queries)."""
    values: dict[str, str] = {name: getattr(case, name) for name in OVERSIGHT_FIELDS}
    key_questions = {kq.pk: kq for section in sections for kq in section.key_questions}
    prompts = {p.pk: p for section in sections for p in section.all_prompts}
    for row in PromptAnswer.objects.filter(case=case).values_list("prompt_id", "answer"):
        if row[0] in prompts:
            values[prompt_field(prompts[row[0]])] = row[1]
    for kq_id, answer, note in KeyQuestionAnswer.objects.filter(case=case).values_list(
        "key_question_id", "answer", "note"
    ):
        if kq_id in key_questions:
            values[answer_field(key_questions[kq_id])] = answer
            values[note_field(key_questions[kq_id])] = note
    risk = RiskInformation.objects.filter(case=case).values(*RiskInformation.QUESTIONS).first()
    values.update(risk or {})
    for section in sections:
        for name in section.field_names:
            values.setdefault(name, "")
    return values


@dataclass(frozen=True)
class Gap:
    """One thing a section still needs before it is complete."""

    field: str
    kind: str  # prompt, key_question, note, oversight, oversight_note
    message: str


def needs_note(section: Section, answer: str) -> bool:
    """A Yes or No judgement is evidenced with a note; Not applicable (no review point
    reached, say) leaves the case out of the key question and has nothing to evidence."""
    return section.notes_required and answer != Answer.NOT_APPLICABLE


def section_gaps(section: Section, values: Mapping[str, str]) -> list[Gap]:
    """What the section still needs: the one completeness rule of the task list, the
    "sections done" count, check-answers and submit."""
    if section.optional:
        return []
    if section.kind == OVERSIGHT:
        gaps = []
        if not values.get("oversight"):
            gaps.append(
                Gap(
                    "oversight",
                    "oversight",
                    "Select whether management oversight was effective, ineffective, "
                    "absent or not required",
                )
            )
        # A note explains the judgement; none is needed where oversight was not required.
        if values.get("oversight") != Oversight.NOT_REQUIRED and not values.get("oversight_note"):
            gaps.append(
                Gap("oversight_note", "oversight_note", "Enter a note on management oversight")
            )
        return gaps
    gaps = []
    for key_question in section.key_questions:
        for prompt in section.prompts_of(key_question):
            if not values.get(prompt_field(prompt)):
                gaps.append(
                    Gap(
                        prompt_field(prompt),
                        "prompt",
                        f"Select Yes, No or Not applicable for ‘{prompt.text}’",
                    )
                )
        if not values.get(answer_field(key_question)):
            options = (
                "Yes, No or Not applicable" if key_question.allows_not_applicable else "Yes or No"
            )
            gaps.append(
                Gap(
                    answer_field(key_question),
                    "key_question",
                    f"Select {options} for key question {key_question.code}",
                )
            )
        if needs_note(section, values.get(answer_field(key_question), "")) and not values.get(
            note_field(key_question)
        ):
            gaps.append(
                Gap(
                    note_field(key_question),
                    "note",
                    f"Enter an evidence note for key question {key_question.code}",
                )
            )
    return gaps


def section_progress(section: Section, values: Mapping[str, str]) -> str:
    started = any(values.get(name) for name in section.field_names)
    if not started:
        return NOT_STARTED
    if section.optional:
        done = all(values.get(name) for name in section.field_names)
        return COMPLETED if done else IN_PROGRESS
    return IN_PROGRESS if section_gaps(section, values) else COMPLETED


_GAP_WORDS = {
    "prompt": ("prompt", "prompts"),
    "key_question": ("key question", "key questions"),
    "note": ("evidence note", "evidence notes"),
    "oversight": ("judgement", "judgements"),
    "oversight_note": ("note", "notes"),
}


def describe_gaps(section: Section, gaps: list[Gap]) -> str:
    """'Complete Assessment: 2 prompts and 1 evidence note are missing'."""
    counts: dict[str, int] = {}
    for gap in gaps:
        counts[gap.kind] = counts.get(gap.kind, 0) + 1
    parts = [
        f"{count} {_GAP_WORDS[kind][0] if count == 1 else _GAP_WORDS[kind][1]}"
        for kind, count in counts.items()
    ]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    verb = "is" if len(gaps) == 1 else "are"
    return f"Complete {section.title}: {listed} {verb} missing"


@dataclass
class SectionGaps:
    section: Section
    gaps: list[Gap]

    @property
    def message(self) -> str:
        return describe_gaps(self.section, self.gaps)


def case_gaps(sections: list[Section], values: Mapping[str, str]) -> list[SectionGaps]:
    """What stops the case being submitted, section by section."""
    found = []
    for section in required(sections):
        gaps = section_gaps(section, values)
        if gaps:
            found.append(SectionGaps(section, gaps))
    return found


def cases_values(*, cases: Sequence[Case], sections: Mapping[int, list[Section]]):
    """Per case, its recorded values as `case_values` gives them (the sections of its
    type), for many cases in two queries: notes are read as present or not, never loaded."""
    by_case: dict[int, dict[str, str]] = {
        case.pk: {name: getattr(case, name) for name in OVERSIGHT_FIELDS} for case in cases
    }
    frameworks = {case.pk: case.inspection.framework_id for case in cases}
    prompts = {
        p.pk: prompt_field(p)
        for framework in sections.values()
        for section in framework
        for p in section.all_prompts
    }
    key_questions = {
        kq.pk: kq for framework in sections.values() for s in framework for kq in s.key_questions
    }
    for case_id, prompt_id, answer in (
        PromptAnswer.objects.filter(case_id__in=by_case)
        .order_by()
        .values_list("case_id", "prompt_id", "answer")
    ):
        if prompt_id in prompts:
            by_case[case_id][prompts[prompt_id]] = answer
    for case_id, kq_id, answer, has_note in (
        KeyQuestionAnswer.objects.filter(case_id__in=by_case)
        .order_by()
        .annotate(has_note=ExpressionWrapper(~Q(note=""), output_field=BooleanField()))
        .values_list("case_id", "key_question_id", "answer", "has_note")
    ):
        if kq_id in key_questions:
            by_case[case_id][answer_field(key_questions[kq_id])] = answer
            by_case[case_id][note_field(key_questions[kq_id])] = "noted" if has_note else ""
    types = {case.pk: case.case_type for case in cases}
    for case_id, values in by_case.items():
        for section in for_case_type(sections[frameworks[case_id]], types[case_id]):
            if section.kind != RISK:
                for name in section.field_names:
                    values.setdefault(name, "")
    return by_case


def cases_sections_done(*, cases: Sequence[Case]) -> dict[int, tuple[int, int]]:
    """Per case, (required sections complete, required sections), in five queries.

    `cases` are loaded with their inspection. Completeness is `section_gaps`, the rule
    the case's own pages use, so a list never disagrees with the task list.
    """
    sections = sections_by_framework(framework_ids={case.inspection.framework_id for case in cases})
    values = cases_values(cases=cases, sections=sections)
    done: dict[int, tuple[int, int]] = {}
    for case in cases:
        needed = required(for_case_type(sections[case.inspection.framework_id], case.case_type))
        complete = sum(not section_gaps(section, values[case.pk]) for section in needed)
        done[case.pk] = (complete, len(needed))
    return done
