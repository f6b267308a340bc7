"""Erasing an inspection's evidence once it is complete and its retention period is up.

Evidence notes, management-oversight notes, second-marking notes and the free text of
return, reopening and correction reasons describe real people's supervision; they are
blanked in the current rows AND in the audit history. Answers, figures, ratings, domain
one and the report stay exactly as they were: only text columns are touched, with
queryset updates, so no new history row carries anything and nothing is re-rated.

On SQLite the database file is vacuumed afterwards (with secure delete on for the
erasure itself), so the old text does not survive in free pages or in the write-ahead log.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from casereview.lifecycle.models import EvidenceErasure
from casereview.models import (
    Case,
    KeyQuestionAnswer,
    PromptAnswer,
    RiskInformation,
    SecondMarking,
    SecondMarkingAnswer,
)
from casereview.moderation.double_marking import RESOLVED_REASON
from casereview.moderation.services import MODERATED_REASON, REOPENED_REASON, RETURNED_REASON
from casereview.transfer.importing import CHANGE_REASON as IMPORTED_REASON
from inspection.models import Inspection, InspectionStatus
from inspection.versions import move_versions_on

ERASED_REASON = "(reason erased)"
# Reasons written by the service itself carry no one's words, so the history keeps them.
FIXED_REASONS = (MODERATED_REASON, RESOLVED_REASON, ERASED_REASON)
# A lead's reason follows these labels ("Returned for rework: …"); the label is kept.
LABELLED_REASONS = (RETURNED_REASON, REOPENED_REASON)


class ErasureRefused(Exception):
    """The inspection's evidence may not be erased; the message says why."""


@dataclass(frozen=True)
class ErasureCounts:
    evidence_notes: int = 0
    oversight_notes: int = 0
    second_marking_notes: int = 0
    reasons: int = 0
    history_rows: int = 0

    @classmethod
    def of(cls, erasure: EvidenceErasure) -> ErasureCounts:
        return cls(**{name: getattr(erasure, name) for name in asdict(cls())})

    @property
    def anything(self) -> bool:
        return any(asdict(self).values())

    def describe(self) -> str:
        return (
            f"{self.evidence_notes} evidence notes, {self.oversight_notes} management-oversight "
            f"notes, {self.second_marking_notes} second-marking notes and {self.reasons} "
            f"return or correction reasons ({self.history_rows} history rows)"
        )


def erased_reason(reason: str | None) -> str | None:
    """What a history row's change reason becomes, or None when it carries no free text."""
    if not reason or reason in FIXED_REASONS or reason.startswith(IMPORTED_REASON):
        return None
    if reason.endswith(" command"):  # inspection.management.authorship.change_reason
        return None
    for label in LABELLED_REASONS:
        if reason == f"{label}: {ERASED_REASON}":
            return None
        if reason.startswith(f"{label}:"):
            return f"{label}: {ERASED_REASON}"
    return ERASED_REASON


def _scopes(inspection: Inspection):
    """(model, rows of this inspection, note columns) for every current and history table
    holding the inspection's case evidence. History includes rows of deleted cases."""
    case_ids = Case.history.filter(inspection_id=inspection.pk).values("id")
    marking_ids = SecondMarking.history.filter(case_id__in=case_ids).values("id")
    current = [
        (Case, Case.objects.filter(inspection=inspection), ["oversight_note", "return_reason"]),
        (
            KeyQuestionAnswer,
            KeyQuestionAnswer.objects.filter(case__inspection=inspection),
            ["note"],
        ),
        (
            SecondMarkingAnswer,
            SecondMarkingAnswer.objects.filter(second_marking__case__inspection=inspection),
            ["note"],
        ),
    ]
    history = [
        (
            Case.history.model,
            Case.history.filter(inspection_id=inspection.pk),
            ["oversight_note", "return_reason"],
        ),
        (
            KeyQuestionAnswer.history.model,
            KeyQuestionAnswer.history.filter(case_id__in=case_ids),
            ["note"],
        ),
        (PromptAnswer.history.model, PromptAnswer.history.filter(case_id__in=case_ids), []),
        (RiskInformation.history.model, RiskInformation.history.filter(case_id__in=case_ids), []),
        (SecondMarking.history.model, SecondMarking.history.filter(case_id__in=case_ids), []),
        (
            SecondMarkingAnswer.history.model,
            SecondMarkingAnswer.history.filter(second_marking_id__in=marking_ids),
            ["note"],
        ),
    ]
    return current, history


def _with_text(rows, columns: list[str]):
    condition = Q()
    for column in columns:
        condition |= ~Q(**{column: ""})
    return rows.filter(condition)


def _reasons_to_erase(rows) -> dict[str, str]:
    reasons = rows.exclude(history_change_reason=None).values_list(
        "history_change_reason", flat=True
    )
    return {
        reason: replacement
        for reason in set(reasons)
        if (replacement := erased_reason(reason)) is not None
    }


def erasure_counts(inspection: Inspection) -> ErasureCounts:
    """What an erasure of the inspection would remove now (the dry run)."""
    _current, history = _scopes(inspection)
    cases = Case.objects.filter(inspection=inspection)
    history_rows = 0
    history_reasons = 0
    for _model, rows, columns in history:
        reasons = _reasons_to_erase(rows)
        condition = Q(history_change_reason__in=list(reasons))
        for column in columns:
            condition |= ~Q(**{column: ""})
        history_rows += rows.filter(condition).count()
        history_reasons += rows.filter(history_change_reason__in=list(reasons)).count()
    return ErasureCounts(
        evidence_notes=_with_text(
            KeyQuestionAnswer.objects.filter(case__inspection=inspection), ["note"]
        ).count(),
        oversight_notes=_with_text(cases, ["oversight_note"]).count(),
        second_marking_notes=_with_text(
            SecondMarkingAnswer.objects.filter(second_marking__case__inspection=inspection),
            ["note"],
        ).count(),
        reasons=_with_text(cases, ["return_reason"]).count() + history_reasons,
        history_rows=history_rows,
    )


def check_erasable(inspection: Inspection) -> None:
    if inspection.status != InspectionStatus.COMPLETE:
        raise ErasureRefused(
            f"{inspection.slug} is not complete ({inspection.get_status_display()}): "
            "evidence is erased only once an inspection is complete"
        )


def erase_evidence(*, inspection: Inspection, user, how: str) -> EvidenceErasure:
    """Blank every note and free-text reason of the inspection's cases, now and in their
    history, and record who did it, when and how much."""
    check_erasable(inspection)
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        # Zero the old text where SQLite frees it, in the database and in the log.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    with transaction.atomic():
        # Locks the inspection: two erasures (or a status change) cannot interleave.
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        check_erasable(inspection)
        counts = erasure_counts(inspection)
        current, history = _scopes(inspection)
        for _model, rows, columns in current + history:
            if columns:
                _with_text(rows, columns).update(**dict.fromkeys(columns, ""))
        for _model, rows, _columns in history:
            for reason, replacement in _reasons_to_erase(rows).items():
                rows.filter(history_change_reason=reason).update(history_change_reason=replacement)
        # A form opened before the erasure would write its notes back: moving the
        # version on makes any such save a refused conflict.
        move_versions_on(Case.objects.filter(inspection=inspection))
        erasure = EvidenceErasure.objects.create(
            inspection=inspection, erased_by=user, how=how, **asdict(counts)
        )
    if sqlite and not connection.in_atomic_block:
        # VACUUM rewrites the file without its free pages; the checkpoint moves the
        # result into the file and empties the write-ahead log.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return erasure


def due_inspections(*, today: datetime.date | None = None) -> list[Inspection]:
    """Complete inspections whose fieldwork ended more than EVIDENCE_RETENTION_DAYS ago."""
    days = settings.EVIDENCE_RETENTION_DAYS
    if not days:
        raise ErasureRefused(
            "EVIDENCE_RETENTION_DAYS is not set: set the retention period to erase by it"
        )
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=days)
    return list(
        Inspection.objects.filter(
            status=InspectionStatus.COMPLETE, fieldwork_end__lt=cutoff
        ).order_by("fieldwork_end", "slug")
    )
