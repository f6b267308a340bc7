"""What is inspected and by whom: regions, units, inspections, teams and viewer grants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from inspection.models.frameworks import Framework


class Region(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A Probation Delivery Unit."""

    name = models.CharField(max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="units")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> InspectionQuerySet:
        """Inspections the user is on the team of, or was granted as a viewer."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(memberships__user=user)
            | Q(viewer_grants__user=user)
            | Q(unit__region__viewer_grants__user=user)
        ).distinct()

    def led_by(self, user) -> InspectionQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(memberships__user=user, memberships__role=Role.LEAD)

    def on_team_of(self, user) -> InspectionQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(memberships__user=user)


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    FIELDWORK = "fieldwork", "Fieldwork in progress"
    COMPLETE = "complete", "Complete"


class Inspection(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspections")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="inspections")
    fieldwork_start = models.DateField()
    fieldwork_end = models.DateField(null=True, blank=True)
    sample_start = models.DateField(
        null=True, blank=True, help_text="Start of the window in which sampled sentences began"
    )
    sample_end = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=InspectionStatus.choices, default=InspectionStatus.FIELDWORK
    )
    members: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMembership", related_name="inspections"
    )
    # Status and dates changed in admin are audited like every other record.
    history = HistoricalRecords()

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-fieldwork_start", "slug"]

    def __str__(self) -> str:
        return self.slug

    # get_absolute_url (the inspection's dashboard) is ABSOLUTE_URL_OVERRIDES in
    # config/settings.py: the dashboard belongs to the app that builds on this one.

    @property
    def region(self) -> Region:
        return self.unit.region

    def is_lead(self, user) -> bool:
        if user.is_superuser:
            return True
        return self.memberships.filter(user=user, role=Role.LEAD).exists()


class Role(models.TextChoices):
    LEAD = "lead", "Lead inspector"
    INSPECTOR = "inspector", "Inspector"


class TeamMembership(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.INSPECTOR)
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="unique_team_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) on {self.inspection}"


class ViewerGrant(models.Model):
    """Read-only access for a viewer: one inspection, or every inspection of a region."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="viewer_grants"
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, null=True, blank=True, related_name="viewer_grants"
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="viewer_grants"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(inspection__isnull=False, region__isnull=True)
                | Q(inspection__isnull=True, region__isnull=False),
                name="viewer_grant_one_scope",
                violation_error_message="Grant either one inspection or one region.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} may view {self.inspection or self.region}"
