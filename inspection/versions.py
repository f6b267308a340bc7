"""The version claim: the one way any write to a versioned record (a case, a domain-one
rating, a recommendation) takes the record's next version.

A write carries the version its page was based on and claims the next one with one
conditional UPDATE (`... WHERE version = base_version`), so of two writes based on the
same version exactly one updates a row and the other gets a VersionConflict, on
PostgreSQL and SQLite alike; the winner's row lock (or SQLite's write lock) holds until
its transaction commits. Data entry, moderation, double marking, the lead's report items,
saved sets and Django admin all call `claim_version`; evidence erasure, which rewrites many records
at once, calls `move_versions_on`; nothing else moves a version.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Model, QuerySet
from django.utils import timezone


class VersionConflict(Exception):
    """Someone saved the record (a case, or a lead's report item) after the version this
    write was based on."""

    def __init__(self, *, base_version: int, current_version: int):
        super().__init__(f"Based on version {base_version}, but the record is at {current_version}")
        self.base_version = base_version
        self.current_version = current_version


class NotInStatus(Exception):
    """The record exists but is no longer in a status the write allows."""


def claim_version(
    record: Model, base_version: int | None, *, statuses: Iterable[str] | None = None
) -> None:
    """Take the next version of `record`, or raise VersionConflict if it was saved since
    `base_version` (None: a page opened before the row existed, never current).

    `statuses`: the record must also be in one of these, or NotInStatus is raised.
    On success `record.version` (and `updated_at`, where the model has it) are the new ones.
    """
    model = type(record)
    rows = model._default_manager.filter(pk=record.pk, version=base_version)
    if statuses is not None:
        rows = rows.filter(status__in=list(statuses))
    changes: dict[str, Any] = {"version": F("version") + 1}
    now = timezone.now()
    has_updated_at = any(field.name == "updated_at" for field in model._meta.concrete_fields)
    if has_updated_at:
        changes["updated_at"] = now
    if base_version is None or not rows.update(**changes):
        current = (
            model._default_manager.filter(pk=record.pk)
            .values("version", *(["status"] if statuses is not None else []))
            .first()
        )
        if statuses is not None and (current is None or current["status"] not in statuses):
            raise NotInStatus(f"{model._meta.verbose_name} {record.pk} can no longer be changed")
        raise VersionConflict(
            base_version=-1 if base_version is None else base_version,
            current_version=-1 if current is None else current["version"],
        )
    # Any versioned model: the attributes are checked above through its fields.
    record.version = base_version + 1  # type: ignore[attr-defined]
    if has_updated_at:
        record.updated_at = now  # type: ignore[attr-defined]


def move_versions_on(rows: QuerySet) -> int:
    """Move every row's version on at once, with no base version to check: for a change
    made to many records together (an evidence erasure) that must refuse every page
    opened before it. Returns how many rows moved on."""
    changes: dict[str, Any] = {"version": F("version") + 1}
    if any(field.name == "updated_at" for field in rows.model._meta.concrete_fields):
        changes["updated_at"] = timezone.now()
    return rows.update(**changes)
