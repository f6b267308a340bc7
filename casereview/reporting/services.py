"""Writes to the lead's report items: domain-one ratings and recommendations."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model

from inspection.versions import VersionConflict, claim_version

# VersionConflict is raised from here to the views, which import it from this module.
__all__ = ["VersionConflict", "report_item_save"]


@transaction.atomic
def report_item_save(*, item: Model, base_version: int | None, user) -> Model:
    """Save the lead's edit of a domain-one rating or a recommendation.

    An existing row is claimed like a case, with one conditional UPDATE of its version,
    so of two edits based on the same version one is saved and the other refused. A
    page opened before the row existed is based on no version (None) and is refused.
    """
    item._history_user = user  # type: ignore[attr-defined]  # read by simple-history
    if item.pk is None:
        item.save()
        return item
    claim_version(item, base_version)
    item.save()
    return item
