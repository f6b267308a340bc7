"""An inspection's Cases page: every case of the sample, for the team.

The lead finds any case here, whoever it is assigned to and however far it has got:
filtered by inspector, status and section progress, searched by reference, with the
filters in the address so the dashboard's progress figures can link to a filtered list.
A second marker's pending blind case is left out, as on every other page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from casereview.entry.sections import cases_sections_done
from casereview.models import Case, CaseProgress
from casereview.people import person_name
from inspection.access import get_inspection_for_user, is_team_member
from inspection.govuk_forms import GovUKFormMixin, govuk
from inspection.models import Inspection

STATUS_CHOICES = [("", "Any status"), *CaseProgress.choices]
UNASSIGNED = "none"

NO_SECTIONS, SOME_SECTIONS, ALL_SECTIONS = "none", "some", "all"
PROGRESS_CHOICES = [
    ("", "Any progress"),
    (NO_SECTIONS, "No sections done"),
    (SOME_SECTIONS, "Some sections done"),
    (ALL_SECTIONS, "All sections done"),
]
INVALID_CHOICE = {
    "inspector": "Select an inspector from the list",
    "status": "Select a status from the list",
    "progress": "Select how many sections are done from the list",
}


def filter_by_status(cases, status: str):
    """The cases in one progress state (Not started and In progress are both stored as
    in progress: CaseProgress tells them apart)."""
    return cases.in_progress_state(CaseProgress(status)) if status else cases


class CasesFilterForm(GovUKFormMixin, forms.Form):
    reference = govuk(
        forms.CharField(label="Case reference", required=False, max_length=40),
        hint="All or part of it",
        width="govuk-input--width-10",
    )
    inspector = forms.ChoiceField(label="Inspector", required=False)
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)
    progress = forms.ChoiceField(label="Sections done", choices=PROGRESS_CHOICES, required=False)

    def __init__(self, *args, inspectors, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["inspector"]).choices = [
            ("", "Any inspector"),
            *((str(user.pk), person_name(user)) for user in inspectors),
            (UNASSIGNED, "Not assigned"),
        ]
        for name, message in INVALID_CHOICE.items():
            self.fields[name].error_messages["invalid_choice"] = message

    def filter(self, cases):
        """The cases matching the filters; a bad value in a shared address is reported
        and the other filters still apply. Section progress is applied by the view."""
        if not self.is_bound:
            return cases
        self.is_valid()
        data = self.cleaned_data
        if reference := data.get("reference", "").strip():
            cases = cases.filter(reference__icontains=reference)
        inspector = data.get("inspector", "")
        if inspector == UNASSIGNED:
            cases = cases.filter(inspector__isnull=True)
        elif inspector:
            cases = cases.filter(inspector_id=int(inspector))
        return filter_by_status(cases, data.get("status", ""))

    @property
    def progress_filter(self) -> str:
        return self.cleaned_data.get("progress", "") if self.is_bound else ""


@dataclass
class CaseRow:
    case: Case
    sections_done: int
    sections_total: int

    @property
    def progress(self) -> str:
        if self.sections_done == 0:
            return NO_SECTIONS
        return ALL_SECTIONS if self.sections_done == self.sections_total else SOME_SECTIONS


def team_inspectors(inspection: Inspection):
    return (
        get_user_model()
        .objects.filter(memberships__inspection=inspection)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@require_GET
@login_required
def inspection_cases(request, slug):
    inspection = get_inspection_for_user(request.user, slug)
    if not is_team_member(request.user, inspection):
        raise Http404("No such inspection")  # viewers never see a case
    form = CasesFilterForm(request.GET or None, inspectors=list(team_inspectors(inspection)))
    sample = (
        Case.objects.filter(inspection=inspection)
        .without_pending_second_marking_by(request.user)
        .select_related("inspection", "inspector")
    )
    cases = list(form.filter(sample).order_by("reference"))
    done = cases_sections_done(cases=cases)
    rows = [CaseRow(case, *done[case.pk]) for case in cases]
    if form.progress_filter:
        rows = [row for row in rows if row.progress == form.progress_filter]
    return render(
        request,
        "casereview/entry/inspection_cases.html",
        {
            "inspection": inspection,
            "form": form,
            "error_links": form.error_links() if form.is_bound else [],
            "rows": rows,
            "filtered": bool(request.GET),
        },
    )
