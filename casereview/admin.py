"""Django admin for case samples: cases with their answers, assignment and CSV import.

The import page calls the same service as the `import_cases` command and lists every
row problem the same way. Every write to a case here takes the case's next version
through the same claim as data entry (`inspection.versions.claim_version`): a change
page carries the version it was opened at and is refused if the case was saved since.
Counted answers (of submitted and moderated cases) are read-only here: they change only
through moderation's *Correct an answer*, with a reason.
"""

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode

from casereview.attributes import CASE_ATTRIBUTE_FIELDS
from casereview.entry.services import answers_not_applying, cases_assign
from casereview.models import (
    Case,
    KeyQuestionAnswer,
    PromptAnswer,
    RiskInformation,
    SavedSet,
    SecondMarking,
    SecondMarkingAnswer,
)
from casereview.notifications.services import notify_cases_assigned
from casereview.people import person_label
from casereview.transfer.importing import CaseImportError, import_cases
from inspection.admin import (
    MovesVersionOnAdmin,
    ReadOnlyHistoryAdmin,
    VersionedAdminForm,
    stale_message,
)
from inspection.models import (
    KEY_QUESTION_ORDER,
    PROMPT_ORDER,
    CaseType,
    Inspection,
    TeamMembership,
    framework_order,
)
from inspection.versions import claim_version

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def team_members(inspection: Inspection):
    return (
        get_user_model()
        .objects.filter(memberships__inspection=inspection)
        .order_by("first_name", "last_name", "username")
    )


COUNTED_ANSWER_MESSAGE = (
    "This case is {status}: its answers count towards the figures, so they are changed "
    "only with Correct an answer on the case's page, with a reason"
)


class CaseAdminForm(VersionedAdminForm):
    refuse_any_stale_save = True  # its answers are inlines: any stale save could revert them

    class Meta:
        model = Case
        fields = ("inspection", "inspector")  # the admin adds the rest from its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "case_type" in self.fields:
            # The inspection's framework's case types; a new case may be of any
            # framework's, and Case.clean checks the type against the inspection chosen.
            if self.instance.pk is not None:
                choices = self.instance.inspection.framework.case_type_choices()
            else:
                choices = [
                    (code, f"{label} ({framework})")
                    for code, label, framework in CaseType.objects.order_by(
                        "framework__code", "order"
                    ).values_list("code", "label", "framework__code")
                ]
                choices = list(dict(choices).items())  # a shared code listed once
            self.fields["case_type"] = forms.ChoiceField(
                label="Case type", choices=[("", "---------"), *choices]
            )

    def clean(self):
        cleaned = super().clean()
        self._refuse_type_change_leaving_answers(cleaned.get("case_type"))
        inspection, inspector = cleaned.get("inspection"), cleaned.get("inspector")
        if inspection and inspector:
            on_team = TeamMembership.objects.filter(inspection=inspection, user=inspector)
            if not on_team.exists():
                self.add_error(
                    "inspector", f"{person_label(inspector)} is not on the team of {inspection}"
                )
        return cleaned

    def _refuse_type_change_leaving_answers(self, case_type: str | None) -> None:
        """A case's evidence is never deleted by changing its type: if it has answers to
        key questions its new type does not answer, the change is refused."""
        case = self.instance
        if case.pk is None or not case_type or case_type == case.case_type:
            return
        codes = answers_not_applying(case=case, case_type=case_type)
        if codes:
            label = dict(case.inspection.framework.case_type_choices()).get(case_type, case_type)
            self.add_error(
                "case_type",
                f"This case has answers to {', '.join(codes)}, which "
                f"{'does' if len(codes) == 1 else 'do'} not apply to {label.lower()} cases. "
                "Clear those answers first (or keep the case type); answers are never "
                "deleted by changing the type.",
            )


class CaseAnswerInline(admin.TabularInline):
    """A case's answers, in framework order: created by data entry and import against the
    framework's questions, never here, and read-only once the case counts."""

    question: str  # the answer's question field: key_question or prompt
    order: tuple[str, ...] = KEY_QUESTION_ORDER
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_counted) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_counted) and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        order = framework_order(self.question, self.order)
        return (
            super()
            .get_queryset(request)
            .select_related(self.question, "case__inspection")
            .order_by(*order)
        )


class KeyQuestionAnswerInline(CaseAnswerInline):
    model = KeyQuestionAnswer
    question = "key_question"
    fields = ("key_question", "answer", "note")
    readonly_fields = ("key_question",)


class PromptAnswerInline(CaseAnswerInline):
    model = PromptAnswer
    question = "prompt"
    order = PROMPT_ORDER
    fields = ("prompt", "answer")
    readonly_fields = ("prompt",)


class RiskInformationInline(admin.StackedInline):
    model = RiskInformation
    extra = 0
    max_num = 1


@admin.register(Case)
class CaseAdmin(MovesVersionOnAdmin):
    form = CaseAdminForm
    list_display = (
        "reference",
        "inspection",
        "case_type",
        "rosh",
        "inspector",
        "status",
        "updated_at",
    )
    list_filter = (
        "status",
        "inspection",
        "case_type",
        "rosh",
        ("inspector", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "reference",
        "inspection__slug",
        "inspector__username",
        "inspector__first_name",
        "inspector__last_name",
        "office",
    )
    list_select_related = ("inspection", "inspector")
    autocomplete_fields = ("inspection", "inspector")
    readonly_fields = ("version", "submitted_at", "created_at", "updated_at")
    fieldsets = (
        (
            None,
            {"fields": ("inspection", *CASE_ATTRIBUTE_FIELDS)},
        ),
        ("Assignment and status", {"fields": ("inspector", "status", "return_reason")}),
        ("Management oversight", {"fields": ("oversight", "oversight_note")}),
        (
            "Record",
            {"fields": ("version", "submitted_at", "created_at", "updated_at", "base_version")},
        ),
    )
    inlines = [KeyQuestionAnswerInline, PromptAnswerInline, RiskInformationInline]
    actions = ["assign_to_inspector"]
    change_list_template = "admin/casereview/case/change_list.html"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "inspector" in form.changed_data and obj.inspector:
            notify_cases_assigned([obj], obj.inspector)

    def get_urls(self):
        upload = path(
            "import/",
            self.admin_site.admin_view(self.import_view),
            name="casereview_case_import",
        )
        return [upload, *super().get_urls()]

    # Assign selected cases to an inspector -------------------------------------------

    @admin.action(description="Assign selected cases to an inspector", permissions=["change"])
    def assign_to_inspector(self, request, queryset):
        inspection_ids = set(queryset.order_by().values_list("inspection", flat=True).distinct())
        if len(inspection_ids) != 1:
            self.message_user(
                request,
                "Choose cases of one inspection only: an inspector can be assigned only "
                "cases of an inspection they are on. The chosen cases are from "
                f"{len(inspection_ids)} inspections.",
                messages.ERROR,
            )
            return None
        inspection = Inspection.objects.get(pk=inspection_ids.pop())
        form = AssignForm(inspection, request.POST if "apply" in request.POST else None)
        if form.is_valid():
            inspector = form.cleaned_data["inspector"]
            assigned = cases_assign(cases=list(queryset), inspector=inspector, user=request.user)
            self.message_user(
                request,
                f"Assigned {assigned} case{'s' if assigned != 1 else ''} "
                f"of {inspection} to {person_label(inspector)}.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Assign cases to an inspector",
            "opts": self.model._meta,
            "inspection": inspection,
            "cases": queryset.select_related("inspector"),
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
            "index": request.POST.get("index", "0"),
        }
        return render(request, "admin/casereview/case/assign_inspector.html", context)

    # Import case sample (CSV) -------------------------------------------------------

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        errors: list[str] = []
        if request.method == "POST":
            form = CaseImportForm(request.POST, request.FILES)
            if form.is_valid():
                inspection = form.cleaned_data["inspection"]
                data = form.cleaned_data["file"].read()
                try:
                    result = import_cases(inspection=inspection, data=data, user=request.user)
                except CaseImportError as problem:
                    errors = problem.errors
                else:
                    self.message_user(
                        request,
                        f"Imported {result.created} case{'s' if result.created != 1 else ''} "
                        f"into {inspection}.",
                        messages.SUCCESS,
                    )
                    changelist = reverse("admin:casereview_case_changelist")
                    query = urlencode({"inspection__id__exact": inspection.pk})
                    return redirect(f"{changelist}?{query}")
        else:
            form = CaseImportForm(initial={"inspection": request.GET.get("inspection")})
        context = {
            **self.admin_site.each_context(request),
            "title": "Import case sample (CSV)",
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
        }
        return render(request, "admin/casereview/case/import.html", context)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_label(obj)


class AssignForm(forms.Form):
    inspector = PersonChoiceField(
        queryset=get_user_model().objects.none(),
        label="Inspector",
        help_text="A member of the inspection's team.",
    )

    def __init__(self, inspection, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(PersonChoiceField, self.fields["inspector"]).queryset = team_members(inspection)


class CaseImportForm(forms.Form):
    inspection = forms.ModelChoiceField(
        queryset=Inspection.objects.select_related("unit"), label="Inspection"
    )
    file = forms.FileField(
        label="Case sample (CSV file)",
        help_text=(
            "UTF-8, one case a row, with a header row: reference, case_type, rosh, and "
            "optionally gender, ethnicity, office, practitioner_grade, age_band, "
            "sentence_start, inspector and key-question codes. Anonymised references "
            "only: never the name of a person on probation."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 5 MB")
        return upload


# A second marking's answers are evidence of consistency between inspectors, and a
# resolution changes a counted answer: both happen only on the service's pages (second
# marking, consistency), never by editing here.
SECOND_MARKING_ANSWER_FIELDS = ("key_question", "answer", "first_answer", "resolved_answer", "note")


class SecondMarkingAnswerInline(admin.TabularInline):
    model = SecondMarkingAnswer
    fields = SECOND_MARKING_ANSWER_FIELDS
    readonly_fields = SECOND_MARKING_ANSWER_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


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


@admin.register(SecondMarking)
class SecondMarkingAdmin(ReadOnlyHistoryAdmin):
    list_display = ("case", "inspector", "status", "requested_by", "requested_at")
    list_filter = ("status", "case__inspection")
    search_fields = ("case__reference", "inspector__username", "inspector__last_name")
    list_select_related = ("case__inspection", "inspector", "requested_by")
    # The status and who marked first move only with the double-marking pages; an
    # administrator may hand a pending marking to another inspector.
    autocomplete_fields = ("case", "inspector")
    readonly_fields = ("status", "first_inspector", "requested_by", "requested_at", "submitted_at")
    inlines = [SecondMarkingAnswerInline]


@admin.register(SecondMarkingAnswer)
class SecondMarkingAnswerAdmin(ReadOnlyHistoryAdmin):
    list_display = ("second_marking", "key_question", "first_answer", "answer", "resolved_answer")
    list_filter = ("answer", "second_marking__case__inspection")
    search_fields = ("second_marking__case__reference", "key_question__code", "note")
    list_select_related = ("second_marking__case__inspection", "key_question")
    readonly_fields = (
        "second_marking",
        *SECOND_MARKING_ANSWER_FIELDS,
        "resolved_by",
        "resolved_at",
    )

    def has_add_permission(self, request):
        return False


@admin.register(SavedSet)
class SavedSetAdmin(ReadOnlyHistoryAdmin):
    """Named sets of inspections read as one dashboard (`/sets/SLUG/`)."""

    list_display = ("name", "slug", "created_by")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("inspections",)
    readonly_fields = ("created_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# Evidence retention adds its action to the inspections' admin (casereview/lifecycle/).
from casereview.lifecycle import admin as lifecycle_admin  # noqa: E402, F401

# Each person's email choice is its own package's model (casereview/notifications/).
from casereview.notifications import admin as notifications_admin  # noqa: E402, F401
