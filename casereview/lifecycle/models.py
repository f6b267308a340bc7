"""The record of each erasure of an inspection's evidence: kept when the notes are gone."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from inspection.models import Inspection


class EvidenceErasure(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="evidence_erasures"
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    erased_at = models.DateTimeField(default=timezone.now)
    how = models.CharField(max_length=60, help_text="The command or admin action used")
    evidence_notes = models.PositiveIntegerField(default=0)
    oversight_notes = models.PositiveIntegerField("management-oversight notes", default=0)
    second_marking_notes = models.PositiveIntegerField(default=0)
    reasons = models.PositiveIntegerField("return and correction reasons", default=0)
    history_rows = models.PositiveIntegerField(
        "history rows", default=0, help_text="Audit-history rows the text was erased from"
    )

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = "evidence erasure"

    def __str__(self) -> str:
        return f"{self.inspection} evidence erased {self.erased_at:%Y-%m-%d %H:%M}"

    @property
    def notes(self) -> int:
        return self.evidence_notes + self.oversight_notes + self.second_marking_notes
