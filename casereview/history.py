"""The audit trail as people read it: who changed what, when, from what to what.

django-simple-history keeps a full copy of a case, an answer or a domain-one rating at
every save; the HistoryRequestMiddleware records who made the change. Here those
copies become timeline entries by comparing each copy with the one before it.
Everything is read in a fixed number of queries whatever the length of the history:
one per history table and one for the people named as assigned inspectors.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast

from django.contrib.auth import get_user_model
from django.db import models

from casereview.attributes import CASE_ATTRIBUTE_FIELDS
from casereview.models import Answer, Case, KeyQuestionAnswer, PromptAnswer, RiskInformation
from casereview.people import person_name
from inspection.models import DomainOneRating, Inspection

if TYPE_CHECKING:
    from django.db.models.options import Options

# Saves by one person this close together are one piece of work (one form submitted).
GROUP_SECONDS = 10

CASE_FIELDS = (
    "status",
    "inspector",
    "return_reason",
    "oversight",
    "oversight_note",
    *CASE_ATTRIBUTE_FIELDS,
)
# A new case lists only its assignment; its attributes came from the sample.
CASE_CREATION_FIELDS = ("inspector",)
KEY_QUESTION_ANSWER_FIELDS = ("answer", "note")
PROMPT_ANSWER_FIELDS = ("answer",)
DOMAIN_ONE_FIELDS = ("rating", "rationale", "strengths", "areas_for_improvement")


@dataclass(frozen=True)
class FieldChange:
    subject: str  # "Case", "Key question 2.1.1", "2.1.1 prompt: Does …?"
    field: str  # the field's verbose name: "status", "evidence note", "answer"
    before: str
    after: str


@dataclass
class TimelineEntry:
    when: datetime.datetime
    who: str
    title: str
    changes: list[FieldChange] = field(default_factory=list)
    user_id: int | None = None
    reasons: list[str] = field(default_factory=list)  # why, where the change needed one
    summary: str = ""  # what a creation brought with it, counted rather than listed


def case_timeline(*, case: Case) -> list[TimelineEntry]:
    """Every recorded change to the case and its answers, newest first (5 queries)."""
    case_records = list(
        Case.history.filter(id=case.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    key_question_records = (
        KeyQuestionAnswer.history.filter(case_id=case.pk)
        .select_related("history_user", "key_question")
        .order_by("history_date", "history_id")
    )
    prompt_records = (
        PromptAnswer.history.filter(case_id=case.pk)
        .select_related("history_user", "prompt__key_question")
        .order_by("history_date", "history_id")
    )
    risk_records = (
        RiskInformation.history.filter(case_id=case.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    inspector_ids = {r.inspector_id for r in case_records if r.inspector_id}
    people = {
        user.pk: person_name(user) for user in get_user_model().objects.filter(pk__in=inspector_ids)
    }

    case_types: dict[str, str] = {}

    def case_value(record, name: str) -> str:
        if name == "inspector":
            if record.inspector_id is None:
                return "Nobody"
            return people.get(record.inspector_id, "A removed user")
        if name == "case_type" and record.case_type:
            # As its framework words it; read only when a change of type is shown.
            if not case_types:
                case_types.update(case.inspection.framework.case_type_choices())
            return case_types.get(record.case_type, record.case_type)
        return _display(record, name)

    changes = [
        *_record_changes(
            case_records,
            subject=lambda record: "Case",
            fields=CASE_FIELDS,
            creation_fields=CASE_CREATION_FIELDS,
            value=case_value,
        ),
        *_record_changes(
            key_question_records,
            subject=lambda record: f"Key question {record.key_question.code}",
            fields=KEY_QUESTION_ANSWER_FIELDS,
        ),
        *_record_changes(
            prompt_records,
            subject=prompt_subject,
            fields=PROMPT_ANSWER_FIELDS,
        ),
        *_record_changes(
            risk_records,
            subject=lambda record: "Risk information",
            fields=RiskInformation.QUESTIONS,
        ),
    ]
    return [_summarise_creation(entry) for entry in _group(changes, title=_case_title)]


def prompt_subject(record) -> str:
    """A prompt by its wording under its key question: '2.1.3 prompt: Does …?'."""
    return f"{record.prompt.key_question.code} prompt: {record.prompt.text}"


def _summarise_creation(entry: TimelineEntry) -> TimelineEntry:
    """A case added with its answers (an import, the demo) is one entry saying how many
    answers came with it, not a row for each of sixty answers."""
    if entry.title != CASE_ADDED:
        return entry
    answers = [change for change in entry.changes if change.subject != "Case"]
    if not answers:
        return entry
    counts = {
        "key question answer": sum(
            c.subject.startswith("Key question") and c.field == "answer" for c in answers
        ),
        "evidence note": sum(c.field == "evidence note" for c in answers),
        "prompt answer": sum(" prompt: " in c.subject for c in answers),
    }
    others = len(answers) - sum(counts.values())
    if others:
        counts["other answer"] = others
    listed = [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items() if n]
    entry.changes = [change for change in entry.changes if change.subject == "Case"]
    entry.summary = "Recorded with " + (
        listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    )
    return entry


def domain_one_timeline(*, inspection: Inspection) -> list[TimelineEntry]:
    """Every recorded change to the inspection's domain-one ratings, newest first."""
    records = (
        DomainOneRating.history.filter(inspection_id=inspection.pk)
        .select_related("history_user", "standard")
        .order_by("history_date", "history_id")
    )
    changes = _record_changes(
        records,
        subject=lambda record: f"Standard {record.standard.code}",
        fields=DOMAIN_ONE_FIELDS,
    )
    return _group(changes, title=_domain_one_title)


class HistoricalRecord(Protocol):
    """A historical copy of a row, as simple-history makes it (its models are built at
    run time, so untyped): the row's own fields plus who changed it, when and how."""

    _meta: Options[Any]
    id: int  # the row's own primary key
    history_id: int
    history_date: datetime.datetime
    history_type: str  # "+" created, "~" changed, "-" deleted
    history_user_id: int | None
    history_user: Any


@dataclass
class _Change:
    record: HistoricalRecord
    subject: str
    changes: list[FieldChange]


def _record_changes(
    records: Iterable[HistoricalRecord],
    *,
    subject: Callable[[Any], str],  # takes a copy of one model, with that model's fields
    fields: tuple[str, ...],
    creation_fields: tuple[str, ...] | None = None,
    value: Callable[[HistoricalRecord, str], str] | None = None,
) -> list[_Change]:
    """Compare each historical copy with the previous copy of the same row."""
    value = value or _display
    previous: dict[int, HistoricalRecord] = {}
    found = []
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        label = subject(record)
        if before is None:
            # A first copy (new row, or history that began after the row existed):
            # show what was set, as a change from nothing.
            names = creation_fields if creation_fields is not None else fields
            changes = [
                FieldChange(
                    label, _verbose(record, name), _blank(record, name), value(record, name)
                )
                for name in names
                if _raw(record, name) not in (None, "")
            ]
        elif record.history_type == "-":
            changes = [
                FieldChange(label, _verbose(record, name), value(before, name), "Removed")
                for name in fields
                if _raw(before, name) not in (None, "")
            ]
        else:
            changes = [
                FieldChange(label, _verbose(record, name), value(before, name), value(record, name))
                for name in fields
                if _raw(before, name) != _raw(record, name)
            ]
        # A new case is worth an entry even with nothing assigned; a blank answer is not.
        if changes or (record.history_type == "+" and creation_fields is not None):
            found.append(_Change(record, label, changes))
    return found


def _group(
    changes: list[_Change], *, title: Callable[[TimelineEntry, set[str]], str]
) -> list[TimelineEntry]:
    """One entry per piece of work: one person's saves within GROUP_SECONDS."""
    changes.sort(key=lambda change: (change.record.history_date, change.record.history_id))
    entries: list[TimelineEntry] = []
    created: list[set[str]] = []  # per entry, the subjects that came into being
    for change in changes:
        record = change.record
        last = entries[-1] if entries else None
        if not (
            last is not None
            and last.user_id == record.history_user_id
            and record.history_date - last.when <= datetime.timedelta(seconds=GROUP_SECONDS)
        ):
            last = TimelineEntry(
                when=record.history_date,
                who=person_name(record.history_user, missing="System"),
                title="",
                user_id=record.history_user_id,
            )
            entries.append(last)
            created.append(set())
        last.changes.extend(change.changes)
        reason = getattr(record, "history_change_reason", None)
        if reason and reason not in last.reasons:
            last.reasons.append(reason)
        if record.history_type == "+":
            created[-1].add(change.subject)
    for entry, subjects in zip(entries, created, strict=True):
        entry.title = title(entry, subjects)
    entries.reverse()
    return entries


CASE_ADDED = "Case added"


def _case_title(entry: TimelineEntry, created: set[str]) -> str:
    if "Case" in created:
        return CASE_ADDED
    for change in entry.changes:
        if change.subject == "Case" and change.field == "status":
            return f"Status changed to {change.after}"
    for change in entry.changes:
        if change.subject == "Case" and change.field == "inspector":
            return "Unassigned" if change.after == "Nobody" else f"Assigned to {change.after}"
    if any(change.subject != "Case" for change in entry.changes):
        return "Answers changed"
    return "Case details changed"


def _domain_one_title(entry: TimelineEntry, created: set[str]) -> str:
    standards = sorted({change.subject for change in entry.changes} | created)
    verb = "recorded" if created else "changed"
    return f"Rating {verb}: {', '.join(standards)}"


def _field(record: HistoricalRecord, name: str) -> models.Field:
    # The names compared are the tracked models' own concrete fields.
    return cast(models.Field, record._meta.get_field(name))


def _raw(record: HistoricalRecord, name: str):
    return getattr(record, _field(record, name).attname)


def _verbose(record: HistoricalRecord, name: str) -> str:
    return str(_field(record, name).verbose_name)


def _blank(record: HistoricalRecord, name: str) -> str:
    is_answer = list(_field(record, name).choices or []) == list(Answer.choices)
    return "Not answered" if is_answer else "Not recorded"


def _display(record: HistoricalRecord, name: str) -> str:
    raw = _raw(record, name)
    if raw in (None, ""):
        return _blank(record, name)
    model_field = _field(record, name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(raw, raw))
    if isinstance(raw, datetime.date):
        return raw.strftime("%-d %B %Y")
    return str(raw)


def status_since(*, case: Case) -> datetime.datetime | None:
    """When the case took its current status: the history row of the return, the
    moderation or the submission, not the import or the last save (one query)."""
    since = None
    for status, when in (
        Case.history.filter(id=case.pk)
        .order_by("-history_date", "-history_id")
        .values_list("status", "history_date")
    ):
        if status != case.status:
            break
        since = when
    return since
