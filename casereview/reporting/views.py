"""The lead's report pages: the report draft, the domain-one (organisational) judgements
and the recommendations.

The methodology does not compute domain one, but the report ties it to the case data
(Leadership was Inadequate because all four case standards were), so the domain-one form
shows the live domain-two ratings and each standard's lowest key question next to it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casereview.dashboards.disclosure import Disclosure, disclose_summary
from casereview.dashboards.summary import countable_cases, inspection_summary
from casereview.history import domain_one_timeline
from casereview.reporting.draft import report_draft
from casereview.reporting.draft_docx import DOCX_CONTENT_TYPE, draft_document
from casereview.reporting.forms import DomainOneForm, PreviousRecommendationForm, RecommendationForm
from casereview.reporting.marking import draft_marking
from casereview.reporting.services import VersionConflict, report_item_save
from inspection.access import get_inspection_for_user, is_team_member, may_lead
from inspection.models import (
    Basis,
    DomainOneRating,
    PreviousRecommendation,
    Recommendation,
    Standard,
)


@require_GET
@login_required
def report_draft_page(request, slug):
    """The report's Ratings page and key-question tables with generated sentences:
    aggregates only, so everyone who may see the inspection may read it."""
    inspection = get_inspection_for_user(request.user, slug)
    draft = _draft_for(request.user, inspection)
    generated = timezone.now()
    return render(
        request,
        "casereview/reporting/report_draft.html",
        {
            "inspection": inspection,
            "draft": draft,
            "marking": draft_marking(draft.summary, generated=generated),
            "is_lead": may_lead(request.user, inspection),
            "generated": generated,
        },
    )


@require_GET
@login_required
def report_draft_docx(request, slug):
    """The same draft as a Word document, for the report writer to edit: the same
    readers, figures and disclosure as the page."""
    inspection = get_inspection_for_user(request.user, slug)
    draft = _draft_for(request.user, inspection)
    document = draft_document(
        draft, inspection=inspection, marking=draft_marking(draft.summary, generated=timezone.now())
    )
    response = HttpResponse(document, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{inspection.slug}-report-draft.docx"'
    return response


def _draft_for(user, inspection):
    return report_draft(
        inspection=inspection,
        user=user,
        disclosure=Disclosure.for_user(case_level=is_team_member(user, inspection)),
    )


def _case_results(inspection, user):
    cases = countable_cases(user=user, inspection=inspection)
    # The lead's page: every figure, with a caution where the cases are few.
    summary = disclose_summary(
        inspection_summary(inspection=inspection, cases=cases),
        Disclosure.for_user(case_level=True),
    )
    case_standards = [s for s in summary.standards if s.basis == Basis.CASES]
    return summary, case_standards


@require_GET
@login_required
def domain_one_index(request, slug):
    inspection = get_inspection_for_user(request.user, slug, lead=True)
    summary, case_standards = _case_results(inspection, request.user)
    judgement = [s for s in summary.standards if s.basis == Basis.JUDGEMENT]
    return render(
        request,
        "casereview/reporting/domain_one_index.html",
        {
            "inspection": inspection,
            "summary": summary,
            "judgement_standards": judgement,
            "case_standards": case_standards,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def domain_one(request, slug, code):
    inspection = get_inspection_for_user(request.user, slug, lead=True)
    try:
        standard = Standard.objects.get(
            framework_id=inspection.framework_id, code=code, basis=Basis.JUDGEMENT
        )
    except Standard.DoesNotExist:
        raise Http404("No such domain-one standard") from None
    rating = DomainOneRating.objects.filter(inspection=inspection, standard=standard).first()
    rating = rating or DomainOneRating(inspection=inspection, standard=standard)
    theirs = None
    if request.method == "POST":
        form = DomainOneForm(request.POST, instance=rating)
        if form.is_valid():
            rating = form.save(commit=False)
            rating.recorded_by = request.user
            try:
                report_item_save(item=rating, base_version=form.base_version(), user=request.user)
            except (VersionConflict, IntegrityError):
                # Another lead saved this standard's rating after this page opened.
                theirs = DomainOneRating.objects.filter(
                    inspection=inspection, standard=standard
                ).first() or DomainOneRating(inspection=inspection, standard=standard)
                form = DomainOneForm(_based_on(request.POST, theirs), instance=theirs)
                form.is_valid()
                form.add_error(None, "Another lead changed this rating while you were editing it")
            else:
                messages.success(
                    request, f"{standard.code} {standard.title} rated {rating.get_rating_display()}"
                )
                return redirect("casereview:domain-one-index", slug=inspection.slug)
    else:
        form = DomainOneForm(instance=rating)
    summary, case_standards = _case_results(inspection, request.user)
    return render(
        request,
        "casereview/reporting/domain_one.html",
        {
            "inspection": inspection,
            "standard": standard,
            "form": form,
            "theirs": theirs,
            "summary": summary,
            "case_standards": case_standards,
            "timeline": domain_one_timeline(inspection=inspection),
        },
        status=409 if theirs else 200,
    )


def _based_on(data, saved):
    """The user's own input, now based on the saved version: saving again is a choice."""
    data = data.copy()
    data["version"] = saved.version if saved.pk else ""
    return data


KINDS = {
    "current": (Recommendation, RecommendationForm, "recommendation"),
    "previous": (PreviousRecommendation, PreviousRecommendationForm, "previous recommendation"),
}


@require_GET
@login_required
def recommendations(request, slug):
    inspection = get_inspection_for_user(request.user, slug, lead=True)
    return render(
        request,
        "casereview/reporting/recommendations.html",
        {
            "inspection": inspection,
            "recommendations": Recommendation.objects.filter(inspection=inspection),
            "previous": PreviousRecommendation.objects.filter(inspection=inspection),
        },
    )


def _kind(kind: str):
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404("No such kind of recommendation") from None


def _instance(model, inspection, pk):
    if pk is None:
        # The next free number (after the highest, so a gap left by a removal is not reused).
        highest = model.objects.filter(inspection=inspection).aggregate(highest=Max("order"))
        return model(inspection=inspection, order=(highest["highest"] or 0) + 1)
    try:
        return model.objects.get(inspection=inspection, pk=pk)
    except model.DoesNotExist:
        raise Http404("No such recommendation") from None


@require_http_methods(["GET", "POST"])
@login_required
def recommendation_edit(request, slug, kind, pk=None):
    inspection = get_inspection_for_user(request.user, slug, lead=True)
    model, form_class, noun = _kind(kind)
    instance = _instance(model, inspection, pk)
    conflict = False
    if request.method == "POST":
        form = form_class(request.POST, instance=instance)
        if form.is_valid():
            saved = form.save(commit=False)
            try:
                report_item_save(item=saved, base_version=form.base_version(), user=request.user)
            except IntegrityError:
                # The number's constraint: another lead took it since the form was checked.
                if not form.number_taken(saved.order):
                    raise
                form.refuse_taken_number()
            except VersionConflict:
                # Another lead saved it after this page opened: show theirs, keep the input.
                conflict = True
                instance = _instance(model, inspection, pk)
                data = request.POST.copy()
                data["version"] = instance.version
                form = form_class(data, instance=instance)
                form.is_valid()
                form.add_error(None, f"Another lead changed this {noun} while you were editing it")
            else:
                messages.success(request, f"{noun.capitalize()} {saved.order} saved")
                return redirect("casereview:recommendations", slug=inspection.slug)
    else:
        form = form_class(instance=instance)
    return render(
        request,
        "casereview/reporting/recommendation_form.html",
        {
            "inspection": inspection,
            "form": form,
            "kind": kind,
            "noun": noun,
            "instance": instance,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@require_POST
@login_required
def recommendation_delete(request, slug, kind, pk):
    inspection = get_inspection_for_user(request.user, slug, lead=True)
    model, _, noun = _kind(kind)
    instance = _instance(model, inspection, pk)
    instance._history_user = request.user
    instance.delete()
    messages.success(request, f"{noun.capitalize()} {instance.order} removed")
    return redirect("casereview:recommendations", slug=inspection.slug)
