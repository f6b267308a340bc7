"""Django admin of a case's answers on their own pages: key-question and prompt answers
and risk information, changed or deleted only through the case's version claim, and
read-only once the case counts (changed then only through moderation's correction)."""

from django import forms
from django.contrib import admin
from django.db import transaction

from casereview.models import Case, KeyQuestionAnswer, PromptAnswer, RiskInformation
from inspection.admin import ReadOnlyHistoryAdmin, stale_message
from inspection.versions import claim_version

COUNTED_ANSWER_MESSAGE = (
    "This case is {status}: its answers count towards the figures, so they are changed "
    "only with Correct an answer on the case's page, with a reason"
)


def claim_case(case_id, base_version=None) -> None:
    """An answer of the case changes here: the case takes its next version through the
    claim every write uses. `base_version` is the version the page was opened at; without
    one (an add or a delete confirmed on its own page) the case is locked and claimed at
    its version now."""
    case = Case.objects.select_for_update().get(pk=case_id)
    claim_version(case, case.version if base_version is None else base_version)


class CaseAnswerForm(forms.ModelForm):
    """An answer's own admin page: carries the case's version the page was opened at."""

    case_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    counted_read_only = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["case_version"] = self.instance.case.version

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        case = self.instance.case if self.instance.pk is not None else cleaned.get("case")
        if case is None:
            return cleaned
        if self.counted_read_only and case.is_counted:
            raise forms.ValidationError(
                COUNTED_ANSWER_MESSAGE.format(status=case.get_status_display().lower())
            )
        changed = [name for name in self.changed_data if name != "case_version"]
        if self.instance.pk is not None and changed:
            base = cleaned.get("case_version")
            if base != case.version:
                raise forms.ValidationError(stale_message(case, base), code="stale")
        return cleaned


class CaseAnswerAdmin(ReadOnlyHistoryAdmin):
    """An answer of a case, changed or deleted on its own admin pages, always through
    the case's version claim; `counted_read_only`: read-only once the case counts."""

    form = CaseAnswerForm
    counted_read_only = False
    question_field = ""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.counted_read_only = self.counted_read_only
        return form

    def get_readonly_fields(self, request, obj=None):
        # An answer stays with its case and question: moving it would be two changes.
        return tuple(name for name in ("case", self.question_field) if name) if obj else ()

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.counted_read_only and obj.case.is_counted:
            return False
        return super().has_change_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if self.counted_read_only:
            protected = [
                *protected,
                *(
                    f"{row}: "
                    + COUNTED_ANSWER_MESSAGE.format(status=row.case.get_status_display().lower())
                    for row in objs
                    if row.case.is_counted
                ),
            ]
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        claim_case(obj.case_id, form.cleaned_data.get("case_version") if change else None)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with transaction.atomic():
            claim_case(obj.case_id)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for case_id in sorted(set(queryset.values_list("case_id", flat=True))):
                claim_case(case_id)
            super().delete_queryset(request, queryset)


@admin.register(KeyQuestionAnswer)
class KeyQuestionAnswerAdmin(CaseAnswerAdmin):
    counted_read_only = True
    question_field = "key_question"
    list_display = ("case", "key_question", "answer")
    list_filter = ("answer", "case__inspection", "key_question__standard")
    search_fields = ("case__reference", "key_question__code", "note")
    list_select_related = ("case__inspection", "key_question")
    autocomplete_fields = ("case", "key_question")


@admin.register(PromptAnswer)
class PromptAnswerAdmin(CaseAnswerAdmin):
    counted_read_only = True
    question_field = "prompt"
    list_display = ("case", "prompt", "answer")
    list_filter = ("answer", "case__inspection")
    search_fields = ("case__reference", "prompt__code")
    list_select_related = ("case__inspection", "prompt")
    autocomplete_fields = ("case", "prompt")


@admin.register(RiskInformation)
class RiskInformationAdmin(CaseAnswerAdmin):
    list_display = ("case", "agrees_with_rosh")
    list_filter = ("case__inspection", "agrees_with_rosh")
    search_fields = ("case__reference",)
    list_select_related = ("case__inspection",)
    autocomplete_fields = ("case",)
