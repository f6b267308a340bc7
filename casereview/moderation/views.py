"""Moderation pages of the lead: the list of cases to review, return for rework, mark
as moderated, reopen, and correct an answer after submission (with a reason)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casereview.access import get_case_for_user
from casereview.entry.views import case_detail_page
from casereview.models import Case, CaseStatus, KeyQuestionAnswer
from casereview.moderation.deciding import DECIDING_ANSWERS, deciding_cases
from casereview.moderation.forms import CorrectionForm, ReopenForm, ReturnForm
from casereview.moderation.next_case import next_to_moderate
from casereview.moderation.services import (
    ModerationError,
    case_correct_answer,
    case_mark_moderated,
    case_reopen,
    case_return_for_rework,
)
from inspection.access import get_inspection_for_user
from inspection.models import framework_order

REVIEWED_STATUSES = (CaseStatus.SUBMITTED, CaseStatus.RETURNED, CaseStatus.MODERATED)


def _moderation_url(case: Case) -> str:
    return reverse("casereview:moderation", args=[case.inspection.slug])


@require_GET
@login_required
def moderation_list(request, slug):
    inspection = get_inspection_for_user(request.user, slug, lead=True)
    # Submitted cases first: they are the ones waiting for the lead.
    waiting_first = models.Case(
        models.When(status=CaseStatus.SUBMITTED, then=models.Value(0)),
        models.When(status=CaseStatus.RETURNED, then=models.Value(1)),
        default=models.Value(2),
        output_field=models.IntegerField(),
    )
    cases = list(
        Case.objects.filter(inspection=inspection, status__in=REVIEWED_STATUSES)
        .select_related("inspector", "second_marking__inspector")
        .order_by(waiting_first, "reference")
    )
    # The cases whose answers decide a rating come first, those deciding the most ratings
    # before the others: a wrong judgement there moves what the report says. Otherwise the
    # order above holds (the sort is stable).
    deciding = deciding_cases(inspection=inspection, user=request.user)
    for case in cases:
        case.decides = deciding.get(case.pk, [])
    cases.sort(key=lambda case: -len(case.decides))
    counts = {status: 0 for status in REVIEWED_STATUSES}
    for case in cases:
        counts[case.status] += 1
    return render(
        request,
        "casereview/moderation/list.html",
        {
            "inspection": inspection,
            "cases": cases,
            "next_case": next_to_moderate(inspection=inspection, user=request.user),
            "submitted": counts[CaseStatus.SUBMITTED],
            "returned": counts[CaseStatus.RETURNED],
            "moderated": counts[CaseStatus.MODERATED],
            "deciding": sum(1 for case in cases if case.decides),
            "deciding_answers": DECIDING_ANSWERS,
        },
    )


def _reason_page(request, pk, *, form_class, service, template, success):
    """A lead's step that needs a reason: show the form, or carry it out and go back."""
    case = get_case_for_user(request.user, pk, lead=True)
    form = form_class(request.POST) if request.method == "POST" else form_class()
    if form.is_bound and form.is_valid():
        try:
            service(case=case, reason=form.cleaned_data["reason"], user=request.user)
        except ModerationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success.format(case=case))
            return redirect(_moderation_url(case))
    return render(request, template, {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def case_return(request, pk):
    return _reason_page(
        request,
        pk,
        form_class=ReturnForm,
        service=case_return_for_rework,
        template="casereview/moderation/return.html",
        success="Case {case.reference} returned for rework",
    )


@require_http_methods(["GET", "POST"])
@login_required
def case_reopen_view(request, pk):
    return _reason_page(
        request,
        pk,
        form_class=ReopenForm,
        service=case_reopen,
        template="casereview/moderation/reopen.html",
        success="Case {case.reference} reopened",
    )


@require_POST
@login_required
def case_moderate(request, pk):
    case = get_case_for_user(request.user, pk, lead=True)
    try:
        case_mark_moderated(case=case, user=request.user)
    except ModerationError as error:
        # Shown on the case page, in its moderation section and an error summary.
        case.refresh_from_db()
        return case_detail_page(request, case, moderation_error=str(error), status=409)
    messages.success(request, f"Case {case.reference} marked as moderated")
    return redirect(_moderation_url(case))


@require_http_methods(["GET", "POST"])
@login_required
def case_correct(request, pk):
    case = get_case_for_user(request.user, pk, lead=True)
    if request.method == "POST":
        form = CorrectionForm(request.POST, case=case)
    else:
        form = CorrectionForm(case=case)
    if form.is_bound and form.is_valid():
        try:
            case_correct_answer(
                case=case,
                key_question=form.cleaned_data["key_question"],
                answer=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ModerationError as error:
            form.add_error(None, str(error))
        else:
            code = form.cleaned_data["key_question"].code
            messages.success(request, f"Answer to {code} on case {case.reference} corrected")
            return redirect(_moderation_url(case))
    answers = (
        KeyQuestionAnswer.objects.filter(case=case)
        .select_related("key_question")
        .order_by(*framework_order("key_question"))
    )
    return render(
        request,
        "casereview/moderation/correct.html",
        {"case": case, "form": form, "answers": answers},
    )
