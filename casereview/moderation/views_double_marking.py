"""Double marking pages: the lead sends a sample, the second inspector marks blind, the
lead reads the consistency figures and resolves the disagreements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casereview.access import get_second_marking_for_user, second_markings_for_user
from casereview.dashboards.summary import suppressed_words
from casereview.models import (
    COUNTED_STATUSES,
    Case,
    SecondMarking,
    SecondMarkingAnswer,
    SecondMarkingStatus,
)
from casereview.moderation.consistency import inspection_consistency
from casereview.moderation.deciding import deciding_cases
from casereview.moderation.double_marking import (
    DoubleMarkingError,
    disagreement_resolve,
    marked_key_questions,
    second_marking_request,
    second_marking_submit,
    second_marking_withdraw,
)
from casereview.moderation.forms import ResolveForm, SecondMarkingForm, SendForDoubleMarkingForm
from casereview.moderation.services import ModerationError
from casereview.people import person_name
from inspection.access import get_inspection_for_user


@require_http_methods(["GET", "POST"])
@login_required
def double_marking(request, slug):
    inspection = get_inspection_for_user(request.user, slug, lead=True)
    deciding = set(deciding_cases(inspection=inspection, user=request.user))
    available = (
        Case.objects.filter(
            inspection=inspection, status__in=COUNTED_STATUSES, second_marking__isnull=True
        )
        .select_related("inspector")
        # The cases that decide a rating first: the sample worth drawing from them.
        .order_by(
            models.Case(
                models.When(pk__in=deciding, then=models.Value(0)),
                default=models.Value(1),
                output_field=models.IntegerField(),
            ),
            "reference",
        )
    )
    data = request.POST if request.method == "POST" else None
    form = SendForDoubleMarkingForm(
        data, inspection=inspection, available=available, deciding=deciding
    )
    if form.is_bound and form.is_valid():
        try:
            markings = second_marking_request(
                inspection=inspection,
                cases=list(form.cleaned_data["cases"]),
                inspector=form.cleaned_data["inspector"],
                user=request.user,
            )
        except DoubleMarkingError as error:
            for problem in error.problems:
                form.add_error("cases", problem)
        else:
            inspector = form.cleaned_data["inspector"]
            count = len(markings)
            messages.success(
                request,
                f"{count} case{'s' if count != 1 else ''} sent to "
                f"{person_name(inspector)} for double marking",
            )
            return redirect("casereview:double-marking", slug=inspection.slug)
    sent = (
        SecondMarking.objects.filter(case__inspection=inspection)
        .select_related("case__inspector", "inspector")
        .order_by("status", "case__reference")
    )
    return render(
        request,
        "casereview/moderation/double_marking.html",
        {"inspection": inspection, "form": form, "sent": sent},
    )


@require_POST
@login_required
def withdraw(request, slug, pk):
    inspection = get_inspection_for_user(request.user, slug, lead=True)
    try:
        marking = SecondMarking.objects.select_related("case").get(
            pk=pk, case__inspection=inspection
        )
    except (SecondMarking.DoesNotExist, ValueError, TypeError):
        raise Http404("No such second marking") from None
    try:
        second_marking_withdraw(second_marking=marking, user=request.user)
    except DoubleMarkingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Case {marking.case.reference} withdrawn from double marking")
    return redirect("casereview:double-marking", slug=inspection.slug)


@require_GET
@login_required
def second_marking_list(request):
    markings = (
        second_markings_for_user(request.user)
        .select_related("case__inspection__unit")
        .order_by("status", "case__inspection__slug", "case__reference")
    )
    pending = [marking for marking in markings if marking.is_pending]
    marked = [marking for marking in markings if not marking.is_pending]
    return render(
        request,
        "casereview/moderation/second_marking_list.html",
        {"pending": pending, "marked": marked},
    )


@require_http_methods(["GET", "POST"])
@login_required
def second_marking_form(request, pk):
    marking = get_second_marking_for_user(request.user, pk)
    key_questions = list(
        marked_key_questions(
            framework=marking.case.inspection.framework_id, case_type=marking.case.case_type
        )
    )
    if not marking.is_pending:
        answers = SecondMarkingAnswer.objects.filter(second_marking=marking).select_related(
            "key_question"
        )
        return render(
            request,
            "casereview/moderation/second_marking_done.html",
            {"marking": marking, "case": marking.case, "answers": answers},
        )
    data = request.POST if request.method == "POST" else None
    form = SecondMarkingForm(data, key_questions=key_questions)
    if form.is_bound and form.is_valid():
        try:
            second_marking_submit(second_marking=marking, answers=form.answers(), user=request.user)
        except DoubleMarkingError as error:
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, f"Second marking of case {marking.case.reference} submitted")
            return redirect("casereview:second-marking-list")
    # Blind: only the case's attributes go to the template, never its answers or notes.
    return render(
        request,
        "casereview/moderation/second_marking_form.html",
        {"marking": marking, "case": marking.case, "form": form},
    )


@require_GET
@login_required
def consistency(request, slug):
    inspection = get_inspection_for_user(request.user, slug, lead=True)
    return _consistency_page(request, inspection)


def _consistency_page(request, inspection, *, refused: ResolveForm | None = None, status=200):
    """The figures and disagreements; `refused` is a resolution refused, shown at its row
    with the choice kept."""
    summary = inspection_consistency(inspection=inspection)
    resolve_forms = [
        (
            item,
            refused
            if refused is not None and refused.disagreement.pk == item.pk
            else ResolveForm(disagreement=item),
        )
        for item in summary.disagreements
    ]
    return render(
        request,
        "casereview/moderation/consistency.html",
        {
            "inspection": inspection,
            "summary": summary,
            "resolve_forms": resolve_forms,
            "refused": refused,
            "caution_words": suppressed_words(),
            "error_links": refused.error_links() if refused is not None else [],
        },
        status=status,
    )


@require_POST
@login_required
def resolve(request, slug, pk):
    inspection = get_inspection_for_user(request.user, slug, lead=True)
    try:
        second_answer = SecondMarkingAnswer.objects.select_related(
            "second_marking__case__inspection", "key_question__standard"
        ).get(
            pk=pk,
            second_marking__case__inspection=inspection,
            second_marking__status=SecondMarkingStatus.SUBMITTED,
        )
    except (SecondMarkingAnswer.DoesNotExist, ValueError, TypeError):
        raise Http404("No such disagreement") from None
    form = ResolveForm(request.POST, disagreement=second_answer)
    reference = second_answer.second_marking.case.reference
    if form.is_valid():
        try:
            disagreement_resolve(
                second_answer=second_answer, answer=form.cleaned_data["answer"], user=request.user
            )
        except (DoubleMarkingError, ModerationError) as error:
            form.add_error("answer", str(error))
    if form.errors:
        # Beside the disagreement's radios and in the error summary, the choice kept.
        return _consistency_page(request, inspection, refused=form, status=400)
    messages.success(
        request,
        f"{second_answer.key_question.code} on case {reference} resolved: "
        f"{second_answer.get_resolved_answer_display()} counts",
    )
    return redirect(reverse("casereview:consistency", args=[inspection.slug]) + "#disagreements")
