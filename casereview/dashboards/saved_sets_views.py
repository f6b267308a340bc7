"""A lead's pages for saved sets: the list of those the user may see, and creating,
changing and removing one (its creator or an administrator), each write through the
version claim (`saved_sets.py`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from casereview.access import (
    get_saved_set_for_user,
    may_change_saved_set,
    may_create_saved_set,
    require_saved_set_creator,
    saved_set_inspections_for_user,
    saved_sets_for_user,
)
from casereview.dashboards.saved_sets import (
    SavedSetForm,
    VersionConflict,
    base_version,
    delete_saved_set,
    save_saved_set,
)
from casereview.models import SavedSet
from casereview.people import person_label

STALE = (
    "Someone changed or removed this set after you opened this page. Nothing was saved: "
    "open the set again to see it as it is now, then make your change again"
)


@require_GET
@login_required
def saved_set_list(request):
    saved_sets = saved_sets_for_user(request.user).select_related("created_by")
    rows = [
        {
            "saved": saved,
            "inspections": saved.inspections.count(),
            "creator": person_label(saved.created_by) if saved.created_by else "",
            "may_change": may_change_saved_set(request.user, saved),
        }
        for saved in saved_sets
    ]
    return render(
        request,
        "casereview/dashboards/sets/saved_set_list.html",
        {"rows": rows, "may_create": may_create_saved_set(request.user)},
    )


def _form_page(request, form, *, saved: SavedSet | None, status: int = 200):
    return render(
        request,
        "casereview/dashboards/sets/saved_set_form.html",
        {"form": form, "saved": saved},
        status=status,
    )


def _save(request, form, saved: SavedSet | None):
    """Validate and save; the page again with the errors, or a redirect to the set."""
    if not form.is_valid():
        return _form_page(request, form, saved=saved)
    instance = form.save(commit=False)
    try:
        instance = save_saved_set(
            saved=instance,
            inspections=form.cleaned_data["inspections"],
            base_version=form.base_version(),
            user=request.user,
        )
    except IntegrityError:
        # The slug's constraint: another set took the address since the form was checked.
        if not form.slug_taken(form.cleaned_data["slug"]):
            raise
        form.refuse_taken_slug()
        return _form_page(request, form, saved=saved)
    except VersionConflict:
        form.add_error(None, STALE)
        return _form_page(request, form, saved=saved, status=409)
    messages.success(request, f"Saved set {instance.name} saved")
    return redirect(instance.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
def saved_set_create(request):
    require_saved_set_creator(request.user)
    choices = saved_set_inspections_for_user(request.user)
    if request.method == "POST":
        return _save(request, SavedSetForm(request.POST, inspections=choices), None)
    return _form_page(request, SavedSetForm(inspections=choices), saved=None)


@require_http_methods(["GET", "POST"])
@login_required
def saved_set_edit(request, set_slug):
    saved = get_saved_set_for_user(request.user, set_slug, change=True)
    choices = saved_set_inspections_for_user(request.user)
    if request.method == "POST":
        form = SavedSetForm(request.POST, instance=saved, inspections=choices)
        # The page's heading and links name the set as saved, not as typed.
        return _save(request, form, SavedSet.objects.get(pk=saved.pk))
    return _form_page(request, SavedSetForm(instance=saved, inspections=choices), saved=saved)


@require_http_methods(["GET", "POST"])
@login_required
def saved_set_delete(request, set_slug):
    saved = get_saved_set_for_user(request.user, set_slug, change=True)
    conflict = False
    if request.method == "POST":
        try:
            delete_saved_set(
                saved=saved, base_version=base_version(request.POST), user=request.user
            )
        except VersionConflict:
            conflict = True
        else:
            messages.success(request, f"Saved set {saved.name} removed")
            return redirect("casereview:saved-set-list")
    return render(
        request,
        "casereview/dashboards/sets/saved_set_delete.html",
        {
            "saved": saved,
            "error_links": [("main-content", STALE)] if conflict else [],
        },
        status=409 if conflict else 200,
    )
