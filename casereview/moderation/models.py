"""Double marking: a case sent to a second inspector, who answers its key questions
blind, and their answers beside the first ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from casereview.models import Answer, Case, ChangeAttribution
from inspection.models import KeyQuestion


class SecondMarkingStatus(models.TextChoices):
    PENDING = "pending", "To mark"
    SUBMITTED = "submitted", "Marked"


class SecondMarking(ChangeAttribution, models.Model):
    """A case the lead sent to a second inspector, who answers its key questions blind.

    Comparing the two sets of answers measures consistency between inspectors; the
    first answers are copied onto each second answer when the marking is submitted, so
    the comparison stands even after the lead resolves a disagreement.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="second_marking")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="second_markings"
    )
    first_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who gave the first answers, when the second marking was submitted",
    )
    status = models.CharField(
        max_length=10, choices=SecondMarkingStatus.choices, default=SecondMarkingStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case__inspection", "case__reference"]
        indexes = [models.Index(fields=["inspector", "status"])]

    def __str__(self) -> str:
        return f"{self.case} second marking by {self.inspector}"

    def get_absolute_url(self) -> str:
        return reverse("casereview:second-marking-form", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == SecondMarkingStatus.PENDING


class SecondMarkingAnswer(ChangeAttribution, models.Model):
    """The second inspector's answer to one key question, beside the first answer."""

    second_marking = models.ForeignKey(
        SecondMarking, on_delete=models.CASCADE, related_name="answers"
    )
    key_question = models.ForeignKey(KeyQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=3, choices=Answer.choices)
    note = models.TextField("evidence note", blank=True)
    first_answer = models.CharField(max_length=3, choices=Answer.choices, blank=True)
    # A disagreement is resolved by the lead choosing the answer that counts.
    resolved_answer = models.CharField(max_length=3, choices=Answer.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()
    # The first inspector's evidence note, set on a disagreement where one is listed
    # (moderation.consistency); declared only, not a column.
    first_note: str

    class Meta:
        ordering = ["second_marking", "key_question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["second_marking", "key_question"], name="unique_second_marking_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.second_marking.case} {self.key_question.code}: {self.answer}"

    @property
    def is_disagreement(self) -> bool:
        return bool(self.first_answer) and self.first_answer != self.answer
