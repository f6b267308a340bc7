"""The lead's report work on an inspection: the domain-one (judgement) ratings, the
recommendations and the progress on the previous inspection's."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from inspection.models.frameworks import Rating, Standard
from inspection.models.inspections import Inspection


class DomainOneRating(models.Model):
    """The lead's judgement on an organisational (domain one) standard."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="domain_one_ratings"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=24, choices=Rating.choices)
    rationale = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    areas_for_improvement = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Moved on by every edit: a form based on an older version is refused, not overwritten.
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "standard__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "standard"], name="unique_domain_one_rating"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} {self.standard.code}: {self.get_rating_display()}"


class Recommendation(models.Model):
    """A recommendation of this inspection, as numbered in the report."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    # Moved on by every edit: a form based on an older version is refused, not overwritten.
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "order", "pk"]
        constraints = [
            # Two leads adding one at the same moment must not both get the same number.
            models.UniqueConstraint(
                fields=["inspection", "order"], name="unique_recommendation_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} recommendation {self.order}"


class Progress(models.TextChoices):
    SUFFICIENT = "sufficient", "Sufficient progress"
    SOME = "some", "Some progress"
    NONE = "none", "No progress"


class PreviousRecommendation(models.Model):
    """A recommendation of the previous inspection and the progress made on it."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="previous_recommendations"
    )
    text = models.TextField("previous recommendation")
    action_and_impact = models.TextField("action taken and impact", blank=True)
    progress = models.CharField(max_length=10, choices=Progress.choices)
    improvement_still_required = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    # Moved on by every edit: a form based on an older version is refused, not overwritten.
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "order"], name="unique_previous_recommendation_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} previous recommendation {self.order}"
