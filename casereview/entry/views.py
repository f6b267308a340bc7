"""Data entry: an inspector's cases, a case's sections, checking and submitting.

Every write goes through casereview.entry.services with the version the page was based on,
so a stale page never overwrites someone else's answers: the user sees what changed
and chooses. Requests with `X-Autosave: 1` are the background drafts of
static/js/autosave.js and get JSON back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casereview.access import (
    cases_assigned_to,
    get_case_for_user,
    may_edit_case,
    no_longer_editable,
)
from casereview.entry.answers import answer_rows, case_answers
from casereview.entry.breadcrumbs import MY_CASES, case_link, case_origin
from casereview.entry.forms import MyCasesFilterForm, SectionForm
from casereview.entry.sections import (
    Section,
    case_gaps,
    case_sections,
    case_values,
    cases_sections_done,
    required,
    section_progress,
)
from casereview.entry.services import (
    CaseIncomplete,
    CaseNotEditable,
    VersionConflict,
    save_section,
    submit_case,
)
from casereview.history import case_timeline, status_since
from casereview.models import Case, CaseProgress
from casereview.moderation.forms import ReturnPanelForm
from casereview.moderation.next_case import next_case_for
from inspection.access import may_lead, team_inspections_for_user
from inspection.models import InspectionStatus

ACTIVE_INSPECTIONS = (InspectionStatus.FIELDWORK, InspectionStatus.PLANNED)


@dataclass
class CaseRow:
    case: Case
    sections_done: int
    sections_total: int


@dataclass
class Task:
    section: Section
    progress: str


def _find_section(sections: list[Section], slug: str) -> Section:
    try:
        return next(section for section in sections if section.slug == slug)
    except StopIteration:
        raise Http404("No such section") from None


def _saved_at(case: Case) -> str:
    return timezone.localtime(case.updated_at).strftime("%H:%M")


@require_GET
@login_required
def my_cases(request):
    user = request.user
    inspections = list(
        team_inspections_for_user(user)
        .filter(status__in=ACTIVE_INSPECTIONS)
        .select_related("unit")
        .order_by("unit__name", "slug")
    )
    form = MyCasesFilterForm(request.GET or None, inspections=inspections)
    cases = (
        cases_assigned_to(user)
        .filter(inspection__status__in=ACTIVE_INSPECTIONS)
        .select_related("inspection__unit")
        .with_case_type_label()
    )
    if form.is_bound and form.is_valid():
        if slug := form.cleaned_data["inspection"]:
            cases = cases.filter(inspection__slug=slug)
        if status := form.cleaned_data["status"]:
            cases = cases.in_progress_state(CaseProgress(status))
    listed = list(cases.order_by("inspection__unit__name", "reference"))
    done = cases_sections_done(cases=listed)
    rows = [CaseRow(case, *done[case.pk]) for case in listed]
    return render(
        request,
        "casereview/entry/my_cases.html",
        {"form": form, "rows": rows, "filtered": bool(request.GET), "origin": MY_CASES},
    )


@require_GET
@login_required
def case_detail(request, pk):
    return case_detail_page(request, get_case_for_user(request.user, pk))


def case_detail_page(request, case, *, moderation_error: str = "", status: int = 200):
    """The case page; with the reason a moderation step was refused, if it was."""
    can_edit = may_edit_case(request.user, case)
    sections = case_sections(case=case)
    values = case_values(case=case, sections=sections)
    is_lead = may_lead(request.user, case.inspection)
    next_case = next_case_for(case=case, user=request.user, is_lead=is_lead)
    origin = case_origin(request, case, is_lead=is_lead)
    context = {
        "case": case,
        "origin": origin,
        "status_since": status_since(case=case),
        "next_case": next_case,
        "next_case_url": case_link(next_case, origin) if next_case else "",
        "can_edit": can_edit,
        "tasks": [Task(section, section_progress(section, values)) for section in sections],
        "required_count": len(required(sections)),
        "answers": case_answers(sections, values),
        "timeline": case_timeline(case=case),
        "user_is_lead": is_lead,
        "return_form": ReturnPanelForm() if is_lead else None,
        "moderation_error": moderation_error,
        "error_links": [("moderation-heading", moderation_error)] if moderation_error else [],
    }
    return render(request, "casereview/entry/case_detail.html", context, status=status)


def _section_page(request, case, section, form, *, saved_at=None):
    return render(
        request,
        "casereview/entry/case_section.html",
        {
            "case": case,
            "section": section,
            "form": form,
            "error_links": form.error_links() if form.is_bound else [],
            "saved_at": saved_at,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def case_section(request, pk, section):
    editing = request.method == "POST"
    case = get_case_for_user(request.user, pk, edit=editing)
    sections = case_sections(case=case)
    current = _find_section(sections, section)
    if not editing:
        if not may_edit_case(request.user, case):
            return redirect(f"{case.get_absolute_url()}#answers")
        values = case_values(case=case, sections=sections)
        initial = {name: values[name] for name in current.field_names}
        form = SectionForm(section=current, initial={**initial, "version": case.version})
        return _section_page(request, case, current, form)

    autosave = request.headers.get("X-Autosave") == "1"
    finishing = "save_continue" in request.POST and not autosave
    form = SectionForm(request.POST, section=current)
    if not form.is_valid():
        if autosave:
            return JsonResponse({"errors": dict(form.errors)}, status=400)
        return _section_page(request, case, current, form)

    mine = form.answers()
    try:
        save_section(
            case=case,
            section=current,
            data=mine,
            base_version=form.cleaned_data["version"],
            user=request.user,
        )
    except CaseNotEditable:
        raise no_longer_editable() from None
    except VersionConflict:
        if autosave:
            return JsonResponse(
                {"conflict": True, "reload_url": request.path},
                status=409,
            )
        return _conflict_page(request, case, sections, current, mine)

    if autosave:
        return JsonResponse({"version": case.version, "saved_at": _saved_at(case)})
    if not finishing:
        messages.success(request, f"{current.title} saved as a draft at {_saved_at(case)}")
        return redirect(case)
    # Saved either way; to move on, the section must be complete.
    data = request.POST.copy()
    data["version"] = case.version
    checked = SectionForm(data, section=current, require_complete=True)
    if not checked.is_valid():
        return _section_page(request, case, current, checked, saved_at=_saved_at(case))
    position = sections.index(current)
    if position + 1 < len(sections):
        return redirect("casereview:case-section", pk=case.pk, section=sections[position + 1].slug)
    return redirect("casereview:case-check", pk=case.pk)


def _conflict_page(request, stale_case, sections, section, mine):
    """Nothing was saved: show what is saved now beside what this user typed."""
    case = Case.objects.select_related("inspection__unit", "inspector").get(pk=stale_case.pk)
    saved = case_values(case=case, sections=sections)
    theirs = answer_rows(section, saved)
    yours = answer_rows(section, {**saved, **mine})
    differences = [
        (their_row, your_row)
        for their_row, your_row in zip(theirs, yours, strict=True)
        if their_row.answer != your_row.answer
    ]
    # The user's own input, now based on the latest version: saving it is a choice.
    data = request.POST.copy()
    data["version"] = case.version
    form = SectionForm(data, section=section)
    form.is_valid()
    return render(
        request,
        "casereview/entry/case_conflict.html",
        {
            "case": case,
            "section": section,
            "form": form,
            "differences": differences,
            "saved_at": _saved_at(case),
        },
        status=409,
    )


def _check_page(request, case, *, gaps=None, status=200):
    sections = case_sections(case=case)
    values = case_values(case=case, sections=sections)
    return render(
        request,
        "casereview/entry/case_check_answers.html",
        {
            "case": case,
            "origin": case_origin(request, case, is_lead=may_lead(request.user, case.inspection)),
            "answers": case_answers(sections, values),
            "gaps": gaps or [],
            "incomplete": case_gaps(sections, values),
        },
        status=status,
    )


@require_GET
@login_required
def case_check(request, pk):
    case = get_case_for_user(request.user, pk)
    if not may_edit_case(request.user, case):
        return redirect(f"{case.get_absolute_url()}#answers")
    return _check_page(request, case)


@require_POST
@login_required
def case_submit(request, pk):
    case = get_case_for_user(request.user, pk, edit=True)
    try:
        base_version = int(request.POST.get("version", ""))
    except ValueError:
        base_version = -1  # a tampered or missing version is never current
    try:
        submit_case(case=case, user=request.user, base_version=base_version)
    except CaseIncomplete as refused:
        # 400, not 200: a script or test can tell a refused submission from a success.
        return _check_page(request, case, gaps=refused.gaps, status=400)
    except VersionConflict:
        messages.warning(
            request,
            "The case was changed after you opened this page. "
            "Check the answers again, then submit.",
        )
        return redirect("casereview:case-check", pk=case.pk)
    except CaseNotEditable:
        raise no_longer_editable() from None
    messages.success(request, f"Case {case.reference} submitted")
    return redirect(reverse("casereview:case-detail", args=[case.pk]))
