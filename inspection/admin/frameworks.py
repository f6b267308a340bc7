"""The framework in admin: its wording and bands, history read-only, frozen once a
complete inspection was rated on it, and copied as a new version instead."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Count
from django.http import HttpResponseRedirect

from inspection.admin.versioned import ReadOnlyHistoryAdmin
from inspection.frameworks import (
    PARTS,
    FrameworkProblems,
    copy_as_new_version,
    framework_of,
    frozen_by,
    frozen_message,
)
from inspection.models import (
    CaseType,
    Domain,
    Framework,
    KeyQuestion,
    Prompt,
    RatingBand,
    Standard,
)


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


class CaseTypeInline(FrozenFrameworkInline):
    model = CaseType
    fields = ("code", "label", "order")
    extra = 0


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
    inlines = [CaseTypeInline, DomainInline, StandardInline, RatingBandInline]
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


@admin.register(CaseType)
class CaseTypeAdmin(FrozenFrameworkAdmin):
    list_display = ("label", "code", "framework", "order")
    list_filter = ("framework",)
    search_fields = ("code", "label")


class StandardAdminForm(NotIntoFrozenFrameworkForm):
    def clean(self):
        cleaned = super().clean()
        framework, case_types = cleaned.get("framework"), cleaned.get("case_types")
        if framework is not None and case_types is not None:
            foreign = [str(t) for t in case_types if t.framework_id != framework.pk]
            if foreign:
                self.add_error(
                    "case_types",
                    f"{', '.join(foreign)}: not a case type of framework {framework.code}",
                )
        return cleaned


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
    form = StandardAdminForm
    filter_horizontal = ("case_types",)


class PromptInline(FrozenFrameworkInline):
    model = Prompt
    fields = ("code", "text", "provisional", "order")
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
