"""Saved sets: named sets of inspections whose figures are read as one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from inspection.models import Inspection


class SavedSetQuerySet(models.QuerySet):
    def visible_to(self, user) -> SavedSetQuerySet:
        """Sets whose every inspection the user may see: a set's figures add up all its
        cases, so a set with one inspection hidden from the user is hidden too."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        hidden = Inspection.objects.exclude(pk__in=Inspection.objects.visible_to(user).values("pk"))
        return self.filter(inspections__isnull=False).exclude(inspections__in=hidden).distinct()


class SavedSet(models.Model):
    """A named set of inspections read as one (e.g. the PDUs of a regional inspection)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    inspections: models.ManyToManyField = models.ManyToManyField(
        Inspection, related_name="saved_sets"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Every change and the removal claim the next version (`claim_version`): a page
    # opened before someone else's save is refused, never overwrites it.
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    objects = SavedSetQuerySet.as_manager()

    class Meta:
        ordering = ["name", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("casereview:saved-set-dashboard", args=[self.slug])
