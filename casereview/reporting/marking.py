"""The marking every page of the report draft carries, on paper and in Word: a draft is
never mistaken for the published report, nor a mid-fieldwork print for final figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from casereview.dashboards.summary import InspectionSummary
from inspection.models import InspectionStatus


@dataclass(frozen=True)
class DraftMarking:
    protective_marking: str
    provisional: bool
    generated: datetime.datetime
    counted: int
    total: int

    @property
    def status(self) -> str:
        """'DRAFT' or 'DRAFT – PROVISIONAL'."""
        return "DRAFT – PROVISIONAL" if self.provisional else "DRAFT"

    @property
    def figures(self) -> str:
        """'Figures at 1 December 2026, 10:02 – 25 of 30 cases counted'."""
        at = timezone.localtime(self.generated)
        return (
            f"Figures at {at:%-d %B %Y}, {at:%H:%M} – {self.counted} of {self.total} cases counted"
        )

    @property
    def line(self) -> str:
        """Everything on one line, as the running header of every page."""
        return f"{self.protective_marking} – {self.status} – {self.figures}"


def draft_marking(summary: InspectionSummary, *, generated=None) -> DraftMarking:
    """Provisional while the inspection is not complete or a standard is unrated."""
    inspection = summary.inspection
    return DraftMarking(
        protective_marking=settings.PROTECTIVE_MARKING,
        provisional=inspection.status != InspectionStatus.COMPLETE or not summary.overall.complete,
        generated=generated or timezone.now(),
        counted=summary.cases.counted,
        total=summary.cases.total,
    )
