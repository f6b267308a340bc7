"""Users: their teams and grants beside the account, and deactivated rather than deleted
once the records name them, so the audit trail keeps every author."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import ForeignObjectRel

from inspection.models import (
    TeamMembership,
    ViewerGrant,
)


class UserMembershipInline(admin.TabularInline):
    model = TeamMembership
    fields = ("inspection", "role")
    autocomplete_fields = ("inspection",)
    extra = 0
    verbose_name_plural = "team memberships"


class UserViewerGrantInline(admin.TabularInline):
    model = ViewerGrant
    fields = ("inspection", "region")
    autocomplete_fields = ("inspection",)
    extra = 0
    verbose_name_plural = "viewer grants (one inspection, or a whole region)"


User = get_user_model()
admin.site.unregister(User)


def recorded_work(users) -> dict[int, list[str]]:
    """For each of `users` who is named anywhere (an author in the history, an assigned
    or second-marked case, a rating, a team membership…), what names them.

    Every relation to the user model is enumerated, so a model added later is covered.
    Deleting such a user would null or orphan those references and the audit trail
    would no longer say who did what.
    """
    pks = [user.pk for user in users]
    found: dict[int, set[str]] = {}
    for relation in User._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel):
            continue  # the user's own fields; what points at the user is a relation
        model = relation.related_model
        if relation.many_to_many or not isinstance(model, type) or model._meta.auto_created:
            continue  # groups and permissions: the account's own settings, not its work
        opts = model._meta
        plural = str(opts.verbose_name_plural)
        what = (
            f"changes to {plural.removeprefix('historical ')} in the audit trail"
            if relation.field.name == "history_user"
            else plural
        )
        named = model._default_manager.filter(**{f"{relation.field.name}__in": pks})
        for pk in named.values_list(relation.field.name, flat=True).distinct():
            found.setdefault(pk, set()).add(what)
    return {pk: sorted(names) for pk, names in found.items()}


@admin.register(User)
class InspectionUserAdmin(UserAdmin):
    """People who have done any work are deactivated, never deleted: the audit trail
    keeps naming them, and an inactive account cannot sign in."""

    inlines = [UserMembershipInline, UserViewerGrantInline]
    actions = ["deactivate"]

    def get_deleted_objects(self, objs, request):
        # Both the Delete button and the bulk "Delete selected" come through here; a
        # protected entry makes Django refuse the deletion and show why.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        work = recorded_work(objs)
        protected = [
            *protected,
            *(
                f"{user.get_username()} cannot be deleted: the audit trail names them "
                f"({'; '.join(work[user.pk])}). Deactivate the account instead (untick "
                "Active, or the action Deactivate selected accounts): it can no longer "
                "sign in, and the history keeps its name."
                for user in objs
                if user.pk in work
            ),
        ]
        return deleted, counts, perms_needed, protected

    @admin.action(description="Deactivate selected accounts", permissions=["change"])
    def deactivate(self, request, queryset):
        names = [user.get_username() for user in queryset.filter(is_active=True)]
        queryset.update(is_active=False)
        self.message_user(
            request,
            f"Deactivated {len(names)} account{'s' if len(names) != 1 else ''}"
            + (f": {', '.join(names)}" if names else "")
            + ". They can no longer sign in; their work keeps their name.",
            messages.SUCCESS,
        )
