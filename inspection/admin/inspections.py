"""Regions, units, inspections, their teams and viewers, domain one and recommendations."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from inspection.admin.versioned import MovesVersionOnAdmin, ReadOnlyHistoryAdmin, VersionedAdminForm
from inspection.models import (
    Basis,
    DomainOneRating,
    Inspection,
    PreviousRecommendation,
    Recommendation,
    Region,
    Standard,
    TeamMembership,
    Unit,
    ViewerGrant,
)


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "region")
    list_filter = ("region",)
    search_fields = ("name", "region__name")
    list_select_related = ("region",)


# Inspections and who may see them.


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    fields = ("user", "role")
    autocomplete_fields = ("user",)
    extra = 0


class InspectionViewerGrantInline(admin.TabularInline):
    model = ViewerGrant
    fields = ("user",)
    autocomplete_fields = ("user",)
    extra = 0
    verbose_name = "viewer"
    verbose_name_plural = "viewers of this inspection (read-only dashboards and exports)"


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    form = VersionedAdminForm
    fields = ("order", "text", "base_version")
    extra = 0


class PreviousRecommendationInline(admin.StackedInline):
    model = PreviousRecommendation
    form = VersionedAdminForm
    fields = (
        "order",
        "text",
        "action_and_impact",
        "progress",
        "improvement_still_required",
        "base_version",
    )
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(MovesVersionOnAdmin):
    list_display = ("slug", "unit", "region", "framework", "fieldwork_start", "status")
    list_filter = ("status", "unit__region", "framework")
    search_fields = ("slug", "unit__name", "unit__region__name")
    list_select_related = ("unit__region", "framework")
    date_hierarchy = "fieldwork_start"
    # The inspection itself has no version (its history records every change); its
    # recommendations have, and are claimed by the mixin.
    form = forms.ModelForm  # type: ignore[assignment]
    inlines = [
        TeamMembershipInline,
        InspectionViewerGrantInline,
        RecommendationInline,
        PreviousRecommendationInline,
    ]
    # Adds "Import case sample (CSV)" and "Cases" to the change page's tools.
    change_form_template = "admin/inspection/inspection/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        # An inspection keeps the framework it started with: its answers and ratings
        # were given against that framework's key questions.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "framework") if obj is not None else fields

    @admin.display(ordering="unit__region__name")
    def region(self, inspection):
        return inspection.unit.region


@admin.register(TeamMembership)
class TeamMembershipAdmin(ReadOnlyHistoryAdmin):
    list_display = ("user", "inspection", "role")
    list_filter = ("role", "inspection")
    search_fields = ("user__username", "user__first_name", "user__last_name", "inspection__slug")
    list_select_related = ("user", "inspection")
    autocomplete_fields = ("user", "inspection")


@admin.register(ViewerGrant)
class ViewerGrantAdmin(ReadOnlyHistoryAdmin):
    list_display = ("user", "inspection", "region")
    list_filter = ("region", "inspection")
    search_fields = ("user__username", "user__first_name", "user__last_name", "inspection__slug")
    list_select_related = ("user", "inspection", "region")
    autocomplete_fields = ("user", "inspection")


@admin.register(DomainOneRating)
class DomainOneRatingAdmin(MovesVersionOnAdmin):
    list_display = ("inspection", "standard", "rating", "recorded_by", "updated_at")
    list_filter = ("rating", "inspection", "standard")
    search_fields = ("inspection__slug", "standard__code", "rationale")
    list_select_related = ("inspection", "standard", "recorded_by")
    autocomplete_fields = ("inspection", "recorded_by")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the judgement-based (domain one) standards take a lead's rating.
        if db_field.name == "standard":
            kwargs["queryset"] = Standard.objects.filter(basis=Basis.JUDGEMENT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Recommendation)
class RecommendationAdmin(MovesVersionOnAdmin):
    list_display = ("inspection", "order", "text")
    list_filter = ("inspection",)
    search_fields = ("text", "inspection__slug")
    list_select_related = ("inspection",)


@admin.register(PreviousRecommendation)
class PreviousRecommendationAdmin(MovesVersionOnAdmin):
    list_display = ("inspection", "order", "progress", "improvement_still_required")
    list_filter = ("progress", "improvement_still_required", "inspection")
    search_fields = ("text", "action_and_impact", "inspection__slug")
    list_select_related = ("inspection",)


# Users: their teams and viewer grants on their own page.
