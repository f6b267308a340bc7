"""The lead's recommendations: this inspection's, and progress on the previous one's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casereview.entry.services import VersionConflict, report_item_save
from casereview.report_forms import PreviousRecommendationForm, RecommendationForm
from inspection.access import get_inspection_for_user
from inspection.models import PreviousRecommendation, Recommendation

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
        "casereview/report/recommendations.html",
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
        "casereview/report/recommendation_form.html",
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
