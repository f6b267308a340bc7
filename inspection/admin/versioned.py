"""Admin classes every app's admin builds on: history read-only, and every save
through the version claim, so a stale form is refused with what changed meanwhile."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from inspection.people import full_name
from inspection.versions import VersionConflict, claim_version


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History to look at, never to edit: no revert button, and a revert POST is refused."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_malformed(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("The history of a record cannot be changed")
        self._refuse_malformed(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _refuse_malformed(self, object_id, version_id=None) -> None:
        """A hand-typed address with a key that cannot be one is a 404, as admin's own
        change page treats it, not the ValueError simple-history's views would raise."""
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            if version_id is not None:
                self.model.history.model._meta.pk.to_python(version_id)
        except ValidationError:
            raise Http404("No such record") from None


def has_version(model) -> bool:
    return any(field.name == "version" for field in model._meta.concrete_fields)


def stale_message(record, base_version) -> str:
    """Why a form based on `base_version` of `record` is refused: what changed meanwhile
    and who changed it, from the record's history."""
    name = record._meta.verbose_name
    history = record.history.filter(**{record._meta.pk.attname: record.pk})
    base = (
        history.filter(version__lte=base_version).order_by("-history_date", "-history_id").first()
        if isinstance(base_version, int)
        else None
    )
    current = type(record)._default_manager.get(pk=record.pk)
    fields = [
        field
        for field in record._meta.concrete_fields
        if field.editable and field.name not in ("version", "updated_at", "created_at")
    ]
    changed = [
        str(field.verbose_name)
        for field in fields
        if base is None or getattr(base, field.attname) != getattr(current, field.attname)
    ]
    people = sorted(
        {
            full_name(
                row.history_user.first_name,
                row.history_user.last_name,
                row.history_user.get_username(),
            )
            for row in history.filter(version__gt=base_version if base else -1)
            if row.history_user
        }
    )
    what = (
        f"changed meanwhile: {', '.join(changed)}"
        if base is not None and changed
        else "its related records changed meanwhile (see its history)"
        if base is not None
        else "it changed meanwhile (see its history)"
    )
    by = f" by {', '.join(people)}" if people else ""
    return (
        f"This {name} was saved{by} after you opened this page (your page shows version "
        f"{base_version}, it is now at version {current.version}); {what}. Nothing was "
        f"saved. Reload the page to see the saved {name}, then make your change again."
    )


class VersionedAdminForm(forms.ModelForm):
    """Carries the version of the record the page was based on, so a stale form is
    refused (with what changed meanwhile) instead of overwriting someone's work."""

    base_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A change page with inlines (a case's answers) may write even when the record's own
    # fields are unchanged, so every stale save of it is refused.
    refuse_any_stale_save = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["base_version"] = self.instance.version

    def has_real_changes(self) -> bool:
        return any(name != "base_version" for name in self.changed_data)

    def clean(self):
        cleaned = super().clean() or {}
        if self.instance.pk is None:
            return cleaned
        base = cleaned.get("base_version")
        if base != self.instance.version and (
            self.refuse_any_stale_save or self.has_real_changes()
        ):
            raise forms.ValidationError(stale_message(self.instance, base), code="stale")
        return cleaned


class MovesVersionOnAdmin(ReadOnlyHistoryAdmin):
    """An administrator's change takes the row's next version through the same claim as a
    lead's save, so a lead's form opened before it is refused as out of date, and an
    administrator's form opened before a lead's save is refused too. Inlines of versioned
    rows (an inspection's recommendations) are claimed the same way."""

    form = VersionedAdminForm

    def save_model(self, request, obj, form, change):
        if (
            change
            and has_version(type(obj))
            and (form.refuse_any_stale_save or form.has_real_changes())
        ):
            claim_version(obj, form.cleaned_data.get("base_version"))
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if (
                instance.pk
                and isinstance(inline_form, VersionedAdminForm)
                and inline_form.has_real_changes()
                and inline_form not in formset.deleted_forms
            ):
                claim_version(instance, inline_form.cleaned_data.get("base_version"))
        super().save_formset(request, form, formset, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except VersionConflict:
            # Saved by someone else between the form's check and its save: the whole
            # save was rolled back with the transaction.
            self.message_user(
                request,
                "Someone saved this record while yours was being saved. Nothing was "
                "saved: make your change again on the page as it is now.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


# The framework: standards, key questions, prompts and rating bands. A change here
# re-rates every inspection on the framework, completed ones included, so each has a
# history; the request middleware records the administrator as its author, inlines too.
