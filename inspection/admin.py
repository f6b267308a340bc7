"""Django admin for the framework, units, inspections, teams and domain-one ratings.

Administrators set up inspections and their teams here. Every model with a history
shows it read-only: the audit trail can be looked at, never changed or reverted.
The case sample import lives with the cases (casereview/admin.py); the inspection's
change page links to it by URL name, so this package never imports casereview.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from inspection.models import (
    Basis,
    Domain,
    DomainOneRating,
    Framework,
    Inspection,
    KeyQuestion,
    PreviousRecommendation,
    Prompt,
    RatingBand,
    Recommendation,
    Region,
    Standard,
    TeamMembership,
    Unit,
    ViewerGrant,
)

admin.site.site_header = "Probation case review administration"
admin.site.site_title = "Probation case review admin"
admin.site.index_title = "Inspections, teams and case samples"


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History to look at, never to edit: no revert button, and a revert POST is refused."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("The history of a record cannot be changed")
        return super().history_form_view(request, object_id, version_id, extra_context)


class MovesVersionOnAdmin(ReadOnlyHistoryAdmin):
    """An administrator's change moves the row's version on, like a lead's save does, so
    a lead's form opened before it is refused as out of date instead of overwriting it."""

    def save_model(self, request, obj, form, change):
        if change and form.has_changed():
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk and hasattr(instance, "version") and inline_form.has_changed():
                instance.version += 1
        super().save_formset(request, form, formset, change)


# The framework: standards, key questions, prompts and rating bands. A change here
# re-rates every inspection on the framework, completed ones included, so each has a
# history; the request middleware records the administrator as its author, inlines too.


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class StandardInline(admin.TabularInline):
    model = Standard
    fields = ("code", "title", "domain", "basis", "order")
    extra = 0
    show_change_link = True


class RatingBandInline(admin.TabularInline):
    model = RatingBand
    fields = ("kind", "rating", "minimum", "score", "descriptor")
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyHistoryAdmin):
    list_display = ("code", "title", "standard_count")
    search_fields = ("code", "title")
    inlines = [DomainInline, StandardInline, RatingBandInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_standards=Count("standards"))

    @admin.display(description="standards", ordering="_standards")
    def standard_count(self, framework):
        return framework._standards


@admin.register(Domain)
class DomainAdmin(ReadOnlyHistoryAdmin):
    list_display = ("__str__", "framework")
    list_filter = ("framework",)
    search_fields = ("title",)


class KeyQuestionInline(admin.TabularInline):
    model = KeyQuestion
    fields = ("code", "text", "lens", "allows_not_applicable", "order")
    extra = 0
    show_change_link = True


@admin.register(Standard)
class StandardAdmin(ReadOnlyHistoryAdmin):
    list_display = ("code", "title", "framework", "domain", "basis", "order")
    list_filter = ("framework", "basis", "domain__number")
    search_fields = ("code", "title", "statement")
    list_select_related = ("framework", "domain")
    inlines = [KeyQuestionInline]


class PromptInline(admin.TabularInline):
    model = Prompt
    fields = ("code", "text", "order")
    extra = 0


@admin.register(KeyQuestion)
class KeyQuestionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("code", "text", "standard", "lens", "allows_not_applicable")
    list_filter = ("standard__framework", "lens", "allows_not_applicable")
    search_fields = ("code", "text")
    list_select_related = ("standard",)
    inlines = [PromptInline]


@admin.register(Prompt)
class PromptAdmin(ReadOnlyHistoryAdmin):
    list_display = ("code", "text", "key_question")
    list_filter = ("key_question__standard__framework", "key_question__standard")
    search_fields = ("code", "text")
    list_select_related = ("key_question",)


@admin.register(RatingBand)
class RatingBandAdmin(ReadOnlyHistoryAdmin):
    list_display = ("framework", "kind", "rating", "minimum", "score", "descriptor")
    list_filter = ("framework", "kind", "rating")
    search_fields = ("descriptor",)


# Where inspections happen.


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
    fields = ("order", "text")
    extra = 0


class PreviousRecommendationInline(admin.StackedInline):
    model = PreviousRecommendation
    fields = ("order", "text", "action_and_impact", "progress", "improvement_still_required")
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(MovesVersionOnAdmin):
    list_display = ("slug", "unit", "region", "framework", "fieldwork_start", "status")
    list_filter = ("status", "unit__region", "framework")
    search_fields = ("slug", "unit__name", "unit__region__name")
    list_select_related = ("unit__region", "framework")
    date_hierarchy = "fieldwork_start"
    inlines = [
        TeamMembershipInline,
        InspectionViewerGrantInline,
        RecommendationInline,
        PreviousRecommendationInline,
    ]
    # Adds "Import case sample (CSV)" and "Cases" to the change page's tools.
    change_form_template = "admin/inspection/inspection/change_form.html"

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


class UserMembershipInline(admin.TabularInline):
    model = TeamMembership
    fields = ("inspection", "role")
    autocomplete_fields = ("inspection",)
    extra = 0
    verbose_name_plural = "team memberships"


class UserViewerGrantInline(admin.TabularInline):
    model = ViewerGrant
    fields = ("inspection", "region")
    autocomplete_fields = ("inspection",)
    extra = 0
    verbose_name_plural = "viewer grants (one inspection, or a whole region)"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class InspectionUserAdmin(UserAdmin):
    inlines = [UserMembershipInline, UserViewerGrantInline]
