"""Django admin for the framework, units, inspections, teams and domain-one ratings.

Administrators set up inspections and their teams here. Every model with a history
shows it read-only: the audit trail can be looked at, never changed or reverted.
The case sample import lives with the cases, in the app that builds on this one; the
inspection's change page links to it from a project template
(templates/admin/inspection/inspection/change_form.html), so this package never names it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, ForeignObjectRel
from django.http import Http404, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from inspection.frameworks import (
    PARTS,
    FrameworkProblems,
    copy_as_new_version,
    framework_of,
    frozen_by,
    frozen_message,
)
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
from inspection.people import full_name
from inspection.versions import VersionConflict, claim_version

admin.site.site_header = "Probation case review administration"
admin.site.site_title = "Probation case review admin"
admin.site.index_title = "Inspections, teams and case samples"


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History to look at, never to edit: no revert button, and a revert POST is refused."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_malformed(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("The history of a record cannot be changed")
        self._refuse_malformed(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _refuse_malformed(self, object_id, version_id=None) -> None:
        """A hand-typed address with a key that cannot be one is a 404, as admin's own
        change page treats it, not the ValueError simple-history's views would raise."""
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            if version_id is not None:
                self.model.history.model._meta.pk.to_python(version_id)
        except ValidationError:
            raise Http404("No such record") from None


def has_version(model) -> bool:
    return any(field.name == "version" for field in model._meta.concrete_fields)


def stale_message(record, base_version) -> str:
    """Why a form based on `base_version` of `record` is refused: what changed meanwhile
    and who changed it, from the record's history."""
    name = record._meta.verbose_name
    history = record.history.filter(**{record._meta.pk.attname: record.pk})
    base = (
        history.filter(version__lte=base_version).order_by("-history_date", "-history_id").first()
        if isinstance(base_version, int)
        else None
    )
    current = type(record)._default_manager.get(pk=record.pk)
    fields = [
        field
        for field in record._meta.concrete_fields
        if field.editable and field.name not in ("version", "updated_at", "created_at")
    ]
    changed = [
        str(field.verbose_name)
        for field in fields
        if base is None or getattr(base, field.attname) != getattr(current, field.attname)
    ]
    people = sorted(
        {
            full_name(
                row.history_user.first_name,
                row.history_user.last_name,
                row.history_user.get_username(),
            )
            for row in history.filter(version__gt=base_version if base else -1)
            if row.history_user
        }
    )
    what = (
        f"changed meanwhile: {', '.join(changed)}"
        if base is not None and changed
        else "its related records changed meanwhile (see its history)"
        if base is not None
        else "it changed meanwhile (see its history)"
    )
    by = f" by {', '.join(people)}" if people else ""
    return (
        f"This {name} was saved{by} after you opened this page (your page shows version "
        f"{base_version}, it is now at version {current.version}); {what}. Nothing was "
        f"saved. Reload the page to see the saved {name}, then make your change again."
    )


class VersionedAdminForm(forms.ModelForm):
    """Carries the version of the record the page was based on, so a stale form is
    refused (with what changed meanwhile) instead of overwriting someone's work."""

    base_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A change page with inlines (a case's answers) may write even when the record's own
    # fields are unchanged, so every stale save of it is refused.
    refuse_any_stale_save = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["base_version"] = self.instance.version

    def has_real_changes(self) -> bool:
        return any(name != "base_version" for name in self.changed_data)

    def clean(self):
        cleaned = super().clean() or {}
        if self.instance.pk is None:
            return cleaned
        base = cleaned.get("base_version")
        if base != self.instance.version and (
            self.refuse_any_stale_save or self.has_real_changes()
        ):
            raise forms.ValidationError(stale_message(self.instance, base), code="stale")
        return cleaned


class MovesVersionOnAdmin(ReadOnlyHistoryAdmin):
    """An administrator's change takes the row's next version through the same claim as a
    lead's save, so a lead's form opened before it is refused as out of date, and an
    administrator's form opened before a lead's save is refused too. Inlines of versioned
    rows (an inspection's recommendations) are claimed the same way."""

    form = VersionedAdminForm

    def save_model(self, request, obj, form, change):
        if (
            change
            and has_version(type(obj))
            and (form.refuse_any_stale_save or form.has_real_changes())
        ):
            claim_version(obj, form.cleaned_data.get("base_version"))
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if (
                instance.pk
                and isinstance(inline_form, VersionedAdminForm)
                and inline_form.has_real_changes()
                and inline_form not in formset.deleted_forms
            ):
                claim_version(instance, inline_form.cleaned_data.get("base_version"))
        super().save_formset(request, form, formset, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except VersionConflict:
            # Saved by someone else between the form's check and its save: the whole
            # save was rolled back with the transaction.
            self.message_user(
                request,
                "Someone saved this record while yours was being saved. Nothing was "
                "saved: make your change again on the page as it is now.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


# The framework: standards, key questions, prompts and rating bands. A change here
# re-rates every inspection on the framework, completed ones included, so each has a
# history; the request middleware records the administrator as its author, inlines too.


class FrozenFrameworkParts(admin.options.BaseModelAdmin):
    """A framework used by a complete inspection is frozen: its published ratings were
    given against this wording and these bands. Its rows (and the inlines on their
    pages) are shown read-only and a change is refused with why; a change is made to a
    copy (the framework list's action "Copy as a new version").

    For a page's own row the framework is the row's; for an inline, the parent's."""

    def frozen_slugs(self, obj) -> list[str]:
        return frozen_by(framework_of(obj)) if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return not self.frozen_slugs(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.frozen_slugs(obj) and super().has_delete_permission(request, obj)


class FrozenFrameworkInline(FrozenFrameworkParts, admin.TabularInline):
    def has_add_permission(self, request, obj):  # type: ignore[override]  # as InlineModelAdmin
        return not self.frozen_slugs(obj) and super().has_add_permission(request, obj)


class NotIntoFrozenFrameworkForm(forms.ModelForm):
    """A row added on its own page (a prompt, a band…) must not go into a frozen framework."""

    def clean(self):
        cleaned = super().clean()
        path = PARTS[self._meta.model.__name__]
        if path and cleaned is not None:
            first, *rest = path.split("__")
            framework = cleaned.get(first)
            for name in rest:
                framework = getattr(framework, name, None)
            slugs = frozen_by(framework) if framework is not None else []
            if slugs:
                raise forms.ValidationError(frozen_message(framework, slugs), code="frozen")
        return cleaned


class FrozenFrameworkAdmin(FrozenFrameworkParts, ReadOnlyHistoryAdmin):
    form = NotIntoFrozenFrameworkForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        slugs = self.frozen_slugs(obj)
        if slugs:
            message = (
                f"{frozen_message(framework_of(obj), slugs)} Nothing here can be changed: "
                'use the action "Copy as a new version" on the framework list and change the copy.'
            )
            if request.method == "POST":
                self.message_user(request, f"Not saved: {message}", messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            self.message_user(request, message, messages.WARNING)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_deleted_objects(self, objs, request):
        # The bulk "Delete selected" comes through here too.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        frozen = [
            f"{obj}: {frozen_message(framework_of(obj), slugs)}"
            for obj in objs
            if (slugs := self.frozen_slugs(obj))
        ]
        if frozen:
            # Say why, rather than Django's "no permission to delete prompts".
            return deleted, counts, set(), [*protected, *frozen]
        return deleted, counts, perms_needed, protected


class DomainInline(FrozenFrameworkInline):
    model = Domain
    extra = 0


class StandardInline(FrozenFrameworkInline):
    model = Standard
    fields = ("code", "title", "domain", "basis", "order")
    extra = 0
    show_change_link = True


class RatingBandInline(FrozenFrameworkInline):
    model = RatingBand
    fields = ("kind", "rating", "minimum", "score", "descriptor")
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(FrozenFrameworkAdmin):
    list_display = ("code", "title", "standard_count")
    search_fields = ("code", "title")
    inlines = [DomainInline, StandardInline, RatingBandInline]
    actions = ["copy_as_new_version"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_standards=Count("standards"))

    @admin.display(description="standards", ordering="_standards")
    def standard_count(self, framework):
        return framework._standards

    @admin.action(description="Copy as a new version", permissions=["add"])
    def copy_as_new_version(self, request, queryset):
        for framework in queryset.order_by("code"):
            try:
                copy = copy_as_new_version(framework)
            except FrameworkProblems as error:
                self.message_user(
                    request,
                    f"{framework.code} was not copied: {'; '.join(error.problems)}",
                    messages.ERROR,
                )
                continue
            self.message_user(
                request,
                f"Copied {framework.code} as {copy.code}, which can be changed. Inspections "
                f"on {framework.code} keep it; a new inspection can be created on {copy.code}.",
                messages.SUCCESS,
            )


@admin.register(Domain)
class DomainAdmin(FrozenFrameworkAdmin):
    list_display = ("__str__", "framework")
    list_filter = ("framework",)
    search_fields = ("title",)


class KeyQuestionInline(FrozenFrameworkInline):
    model = KeyQuestion
    fields = ("code", "text", "lens", "allows_not_applicable", "order")
    extra = 0
    show_change_link = True


@admin.register(Standard)
class StandardAdmin(FrozenFrameworkAdmin):
    list_display = ("code", "title", "framework", "domain", "basis", "order")
    list_filter = ("framework", "basis", "domain__number")
    search_fields = ("code", "title", "statement")
    list_select_related = ("framework", "domain")
    inlines = [KeyQuestionInline]


class PromptInline(FrozenFrameworkInline):
    model = Prompt
    fields = ("code", "text", "order")
    extra = 0


@admin.register(KeyQuestion)
class KeyQuestionAdmin(FrozenFrameworkAdmin):
    list_display = ("code", "text", "standard", "lens", "allows_not_applicable")
    list_filter = ("standard__framework", "lens", "allows_not_applicable")
    search_fields = ("code", "text")
    list_select_related = ("standard",)
    inlines = [PromptInline]


@admin.register(Prompt)
class PromptAdmin(FrozenFrameworkAdmin):
    list_display = ("code", "text", "key_question")
    list_filter = ("key_question__standard__framework", "key_question__standard")
    search_fields = ("code", "text")
    list_select_related = ("key_question",)


@admin.register(RatingBand)
class RatingBandAdmin(FrozenFrameworkAdmin):
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


def recorded_work(users) -> dict[int, list[str]]:
    """For each of `users` who is named anywhere (an author in the history, an assigned
    or second-marked case, a rating, a team membership…), what names them.

    Every relation to the user model is enumerated, so a model added later is covered.
    Deleting such a user would null or orphan those references and the audit trail
    would no longer say who did what.
    """
    pks = [user.pk for user in users]
    found: dict[int, set[str]] = {}
    for relation in User._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel):
            continue  # the user's own fields; what points at the user is a relation
        model = relation.related_model
        if relation.many_to_many or not isinstance(model, type) or model._meta.auto_created:
            continue  # groups and permissions: the account's own settings, not its work
        opts = model._meta
        plural = str(opts.verbose_name_plural)
        what = (
            f"changes to {plural.removeprefix('historical ')} in the audit trail"
            if relation.field.name == "history_user"
            else plural
        )
        named = model._default_manager.filter(**{f"{relation.field.name}__in": pks})
        for pk in named.values_list(relation.field.name, flat=True).distinct():
            found.setdefault(pk, set()).add(what)
    return {pk: sorted(names) for pk, names in found.items()}


@admin.register(User)
class InspectionUserAdmin(UserAdmin):
    """People who have done any work are deactivated, never deleted: the audit trail
    keeps naming them, and an inactive account cannot sign in."""

    inlines = [UserMembershipInline, UserViewerGrantInline]
    actions = ["deactivate"]

    def get_deleted_objects(self, objs, request):
        # Both the Delete button and the bulk "Delete selected" come through here; a
        # protected entry makes Django refuse the deletion and show why.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        work = recorded_work(objs)
        protected = [
            *protected,
            *(
                f"{user.get_username()} cannot be deleted: the audit trail names them "
                f"({'; '.join(work[user.pk])}). Deactivate the account instead (untick "
                "Active, or the action Deactivate selected accounts): it can no longer "
                "sign in, and the history keeps its name."
                for user in objs
                if user.pk in work
            ),
        ]
        return deleted, counts, perms_needed, protected

    @admin.action(description="Deactivate selected accounts", permissions=["change"])
    def deactivate(self, request, queryset):
        names = [user.get_username() for user in queryset.filter(is_active=True)]
        queryset.update(is_active=False)
        self.message_user(
            request,
            f"Deactivated {len(names)} account{'s' if len(names) != 1 else ''}"
            + (f": {', '.join(names)}" if names else "")
            + ". They can no longer sign in; their work keeps their name.",
            messages.SUCCESS,
        )
