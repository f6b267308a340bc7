"""Admin for evidence retention: the erasure action on inspections, with a confirmation
page giving the counts, and the read-only list of erasures made.

The Inspection admin belongs to inspection/, which knows nothing of case evidence, so the
action is added here to the admin already registered for it."""

from __future__ import annotations

import types

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.shortcuts import render

from casereview.lifecycle.erasure import (
    ErasureCounts,
    ErasureRefused,
    check_erasable,
    erase_evidence,
    erasure_counts,
)
from casereview.lifecycle.models import EvidenceErasure
from inspection.models import Inspection

PERMISSION = "casereview.add_evidenceerasure"


@admin.action(description="Erase the evidence of selected inspections", permissions=["erase"])
def erase_evidence_action(modeladmin, request, queryset):
    inspections = list(queryset.order_by("slug"))
    refused = []
    for inspection in inspections:
        try:
            check_erasable(inspection)
        except ErasureRefused as error:
            refused.append(str(error))
    if refused:
        modeladmin.message_user(
            request, "Nothing was erased: " + "; ".join(refused) + ".", messages.ERROR
        )
        return None
    if "confirm" in request.POST:
        for inspection in inspections:
            erasure = erase_evidence(inspection=inspection, user=request.user, how="admin action")
            modeladmin.message_user(
                request,
                f"{inspection}: erased {ErasureCounts.of(erasure).describe()}.",
                messages.SUCCESS,
            )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Erase evidence",
        "opts": modeladmin.model._meta,
        "rows": [(inspection, erasure_counts(inspection)) for inspection in inspections],
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "select_across": request.POST.get("select_across", "0"),
        "index": request.POST.get("index", "0"),
    }
    return render(request, "admin/casereview/lifecycle/confirm_erasure.html", context)


def _has_erase_permission(modeladmin, request) -> bool:
    return request.user.has_perm(PERMISSION)


def add_erasure_action(inspection_admin: admin.ModelAdmin) -> None:
    inspection_admin.actions = [*(inspection_admin.actions or []), erase_evidence_action]
    # Django finds an action's `allowed_permissions` ("erase") as has_erase_permission.
    inspection_admin.has_erase_permission = types.MethodType(  # type: ignore[attr-defined]
        _has_erase_permission, inspection_admin
    )


add_erasure_action(admin.site._registry[Inspection])


@admin.register(EvidenceErasure)
class EvidenceErasureAdmin(admin.ModelAdmin):
    """The erasures made: a record, never edited or removed (erasures come from the action
    on inspections or the erase_evidence command)."""

    list_display = (
        "inspection",
        "erased_at",
        "erased_by",
        "how",
        "evidence_notes",
        "oversight_notes",
        "second_marking_notes",
        "reasons",
        "history_rows",
    )
    list_filter = ("how",)
    list_select_related = ("inspection", "erased_by")
    search_fields = ("inspection__slug",)
    date_hierarchy = "erased_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
