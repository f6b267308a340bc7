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
)
from casereview.notifications.services import notify_cases_assigned
from casereview.people import person_label
from casereview.transfer.importing import CaseImportError, import_cases
from inspection.admin import (
    MovesVersionOnAdmin,
    VersionedAdminForm,
)
from inspection.models import (
    KEY_QUESTION_ORDER,
    PROMPT_ORDER,
    CaseType,
    Inspection,
    TeamMembership,
    framework_order,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def team_members(inspection: Inspection):
    return (
        get_user_model()
        .objects.filter(memberships__inspection=inspection)
        .order_by("first_name", "last_name", "username")
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


# The admin of each package's models: a case's answers on their own pages, double
# marking (casereview/moderation/), saved sets (casereview/dashboards/).
from casereview.admin import answers  # noqa: E402, F401
from casereview.dashboards import admin as dashboards_admin  # noqa: E402, F401

# Evidence retention adds its action to the inspections' admin (casereview/lifecycle/).
from casereview.lifecycle import admin as lifecycle_admin  # noqa: E402, F401
from casereview.moderation import admin as moderation_admin  # noqa: E402, F401

# Each person's email choice is its own package's model (casereview/notifications/).
from casereview.notifications import admin as notifications_admin  # noqa: E402, F401
