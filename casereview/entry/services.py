"""Writes to a case's answers: saving a section and submitting the case.

Every write carries the version of the case it was based on and claims the next one
with `inspection.versions.claim_version` (one conditional UPDATE), the same claim that
moderation, double marking and Django admin use. Nothing is written after a refused
claim.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from casereview.entry.sections import (
    OVERSIGHT,
    OVERSIGHT_FIELDS,
    RISK,
    Section,
    SectionGaps,
    answer_field,
    case_gaps,
    case_sections,
    case_values,
    note_field,
    prompt_field,
)
from casereview.models import (
    EDITABLE_STATUSES,
    Case,
    CaseStatus,
    KeyQuestionAnswer,
    PromptAnswer,
    RiskInformation,
    SecondMarkingAnswer,
)
from casereview.notifications.services import notify_cases_assigned, notify_sample_submitted
from inspection.models import KeyQuestion
from inspection.versions import NotInStatus, VersionConflict, claim_version

# VersionConflict is raised from here to the views, which import it from this module.
__all__ = [
    "VersionConflict",
    "CaseNotEditable",
    "CaseIncomplete",
    "SectionNotApplicable",
    "answers_not_applying",
    "cases_assign",
    "save_section",
    "submit_case",
]


class CaseNotEditable(Exception):
    """The case was submitted or moderated, so its answers can no longer change."""


class SectionNotApplicable(Exception):
    """The case's type does not answer this section's standard: no answer to it may exist."""


class CaseIncomplete(Exception):
    def __init__(self, gaps: list[SectionGaps]):
        super().__init__("; ".join(item.message for item in gaps))
        self.gaps = gaps


def _claim(case: Case, base_version: int) -> None:
    """Take the next version of an open case, or raise if the write is stale."""
    try:
        claim_version(case, base_version, statuses=EDITABLE_STATUSES)
    except NotInStatus:
        raise CaseNotEditable(f"Case {case.pk} can no longer be changed") from None


@transaction.atomic
def save_section(
    *, case: Case, section: Section, data: Mapping[str, str], base_version: int, user
) -> Case:
    """Save one section's answers (a draft may be partial). Returns the case, new version.

    `data` maps the section's field names to values; a name left out is left as it is.
    A section the case's type does not answer is refused (SectionNotApplicable).
    """
    if not section.applies_to(case.case_type):
        raise SectionNotApplicable(
            f"{section.title} does not apply to case {case.pk} ({case.case_type_label})"
        )
    _claim(case, base_version)
    if section.kind == OVERSIGHT:
        if any(name in data for name in OVERSIGHT_FIELDS):
            for name in OVERSIGHT_FIELDS:
                if name in data:
                    setattr(case, name, data[name])
            case._history_user = user
            case.save(update_fields=[*OVERSIGHT_FIELDS, "version", "updated_at"])
    elif section.kind == RISK:
        _save_risk_information(case, data, user)
    else:
        _save_prompt_answers(case, section, data, user)
        _save_key_question_answers(case, section, data, user)
    return case


def _save_prompt_answers(case: Case, section: Section, data: Mapping[str, str], user) -> None:
    prompts = section.all_prompts
    existing = {
        row.prompt_id: row
        for row in PromptAnswer.objects.filter(case=case, prompt__in=[p.pk for p in prompts])
    }
    new, changed = [], []
    for prompt in prompts:
        value = data.get(prompt_field(prompt))
        if value is None:
            continue
        row = existing.get(prompt.pk)
        if row is None:
            if value:
                new.append(PromptAnswer(case=case, prompt=prompt, answer=value))
        elif row.answer != value:
            row.answer = value
            changed.append(row)
    # Only what changed is written, so the history shows real changes, not every save.
    if new:
        bulk_create_with_history(new, PromptAnswer, default_user=user)
    if changed:
        bulk_update_with_history(changed, PromptAnswer, ["answer"], default_user=user)


def _save_key_question_answers(case: Case, section: Section, data: Mapping[str, str], user) -> None:
    existing = {
        row.key_question_id: row
        for row in KeyQuestionAnswer.objects.filter(
            case=case, key_question__in=[kq.pk for kq in section.key_questions]
        )
    }
    new, changed = [], []
    for key_question in section.key_questions:
        answer = data.get(answer_field(key_question))
        note = data.get(note_field(key_question))
        if answer is None and note is None:
            continue
        row = existing.get(key_question.pk)
        if row is None:
            if answer or note:
                new.append(
                    KeyQuestionAnswer(
                        case=case, key_question=key_question, answer=answer or "", note=note or ""
                    )
                )
            continue
        before = (row.answer, row.note)
        row.answer = row.answer if answer is None else answer
        row.note = row.note if note is None else note
        if (row.answer, row.note) != before:
            changed.append(row)
    if new:
        bulk_create_with_history(new, KeyQuestionAnswer, default_user=user)
    if changed:
        bulk_update_with_history(changed, KeyQuestionAnswer, ["answer", "note"], default_user=user)


def _save_risk_information(case: Case, data: Mapping[str, str], user) -> None:
    values = {name: data[name] for name in RiskInformation.QUESTIONS if name in data}
    if not values:
        return
    row = RiskInformation.objects.filter(case=case).first()
    if row is None:
        if not any(values.values()):
            return
        row = RiskInformation(case=case)
    elif all(getattr(row, name) == value for name, value in values.items()):
        return
    for name, value in values.items():
        setattr(row, name, value)
    row._history_user = user
    row.save()


def answers_not_applying(*, case: Case, case_type: str) -> list[str]:
    """The codes of the key questions the case has answers to (an answer, a note, a
    prompt or a second marking) that a case of `case_type` does not answer: what a
    change of type would leave standing outside the figures. Two queries."""
    applying = KeyQuestion.objects.for_case_type(case_type).values("pk")
    answered = (
        KeyQuestion.objects.filter(
            Q(answers__case=case) & (~Q(answers__answer="") | ~Q(answers__note=""))
            | Q(prompts__answers__case=case) & ~Q(prompts__answers__answer="")
        )
        .exclude(pk__in=applying)
        .distinct()
    )
    marked = SecondMarkingAnswer.objects.filter(second_marking__case=case).exclude(
        key_question__in=applying
    )
    codes = set(answered.values_list("code", flat=True))
    codes |= set(marked.values_list("key_question__code", flat=True))
    return sorted(codes)


@transaction.atomic
def submit_case(*, case: Case, user, base_version: int | None = None) -> Case:
    """Submit a complete case: it counts from now on and is read-only to its inspector.

    `base_version` is the version the user checked (the case's own when omitted); if
    anyone saved since, the submission is refused rather than submit unseen answers.
    """
    before = (case.version, case.updated_at)
    _claim(case, case.version if base_version is None else base_version)
    sections = case_sections(case=case)
    gaps = case_gaps(sections, case_values(case=case, sections=sections))
    if gaps:
        case.version, case.updated_at = before
        raise CaseIncomplete(gaps)  # and the transaction rolls back the claimed version
    case.status = CaseStatus.SUBMITTED
    case.submitted_at = case.updated_at
    case._history_user = user
    case.save(update_fields=["status", "submitted_at", "version", "updated_at"])
    notify_sample_submitted(case)
    return case


@transaction.atomic
def cases_assign(*, cases, inspector, user) -> int:
    """Assign cases to an inspector (the caller checks they are on the team). Each case
    takes its next version, so a form opened before the assignment is refused; all the
    cases are assigned or none."""
    rows = Case.objects.select_for_update().filter(pk__in=[case.pk for case in cases])
    assigned, newly = 0, []
    for case in rows.select_related("inspection").order_by("pk"):
        claim_version(case, case.version)
        if case.inspector_id != inspector.pk:
            newly.append(case)
        case.inspector = inspector
        case._history_user = user
        case.save(update_fields=["inspector", "version", "updated_at"])
        assigned += 1
    notify_cases_assigned(newly, inspector)
    return assigned
