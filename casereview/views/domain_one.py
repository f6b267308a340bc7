"""The lead's domain-one (organisational) judgements, with the case results beside them.

The methodology does not compute domain one, but the report ties it to the case data
(Leadership was Inadequate because all four case standards were), so the form shows
the live domain-two ratings and each standard's lowest key question next to it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from casereview.dashboards.disclosure import Disclosure, disclose_summary
from casereview.dashboards.summary import countable_cases, inspection_summary
from casereview.entry.services import VersionConflict, report_item_save
from casereview.history import domain_one_timeline
from casereview.report_forms import DomainOneForm
from inspection.access import get_inspection_for_user
from inspection.models import Basis, DomainOneRating, Standard


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
        "casereview/domain_one_index.html",
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
        "casereview/domain_one.html",
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
