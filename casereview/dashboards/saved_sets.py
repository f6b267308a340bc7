"""A lead's saved sets of inspections: the form that names one and chooses its
inspections, and the writes, each through the version claim.

Who may create, change or remove a set is `casereview.access`'s; the set's figures are
`sets.py`'s, over the inspections chosen here.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.db.models import QuerySet
from django.utils.safestring import SafeString
from django.utils.text import slugify

from casereview.models import SavedSet
from inspection.govuk_forms import GovUKFormMixin, Option, checkbox_items, govuk
from inspection.models import Inspection
from inspection.versions import VersionConflict, claim_version

# VersionConflict is raised from here to the views, which import it from this module.
__all__ = [
    "RESERVED_SLUGS",
    "SavedSetForm",
    "VersionConflict",
    "base_version",
    "delete_saved_set",
    "save_saved_set",
]

# Addresses under /sets/ that are pages, not sets.
RESERVED_SLUGS = {"new"}
SLUG_MAX = SavedSet._meta.get_field("slug").max_length or 60


def base_version(data) -> int | None:
    """The version a page was based on, from its hidden `version` field; None (never
    current) when missing or not a number."""
    value = data.get("version", "")
    digits = isinstance(value, str) and value.isascii() and value.isdigit()
    return int(value) if digits and len(value) <= 9 else None


class SavedSetForm(GovUKFormMixin, forms.ModelForm):
    """Name, address (slug), description and inspections of a saved set.

    The slug is suggested from the name (in the browser as the name is typed, and here
    when left blank) and may be edited; it must be unused. The inspections are those the
    user may see, grouped by region, all rated under one framework. `version` carries
    the version the page was based on: a missing or altered one is never current, so
    the save is refused as a conflict rather than reported against a hidden field.
    """

    name = govuk(
        forms.CharField(
            label="Name",
            max_length=200,
            error_messages={
                "required": "Enter a name for the set",
                "max_length": "The name must be 200 characters or fewer",
            },
        ),
        label_class="govuk-label--s",
        hint="For example, North West regional inspection 2025",
    )
    slug = govuk(
        forms.CharField(
            label="Address",
            required=False,
            max_length=SLUG_MAX,
            error_messages={"max_length": f"The address must be {SLUG_MAX} characters or fewer"},
        ),
        label_class="govuk-label--s",
        hint="The set's page is /sets/ADDRESS/. Lower-case letters, numbers and hyphens; "
        "left blank, it is made from the name.",
        width="govuk-input--width-20",
    )
    description = govuk(
        forms.CharField(
            label="Description",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"max_length": "The description must be 2,000 characters or fewer"},
        ),
        label_class="govuk-label--s",
        hint="Optional. Shown under the set's name on its dashboard.",
    )
    inspections = forms.ModelMultipleChoiceField(
        label="Inspections",
        queryset=Inspection.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one inspection",
            "invalid_choice": "Choose inspections from the list",
            "invalid_pk_value": "Choose inspections from the list",
        },
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = SavedSet
        fields = ["name", "slug", "description", "inspections"]

    def __init__(self, *args, inspections: QuerySet[Inspection], **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        choices = inspections.select_related("unit__region", "framework").order_by(
            "unit__region__name", "unit__name", "fieldwork_start", "slug"
        )
        field = self.fields["inspections"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 - declared above
        field.queryset = choices
        self._choices = list(choices)

    def base_version(self) -> int | None:
        return base_version(self.data)

    def inspection_groups(self) -> list[tuple[str, SafeString]]:
        """The inspections to choose from under their regions, as checkbox items with their
        ids (the first is the field's own, where the error summary links)."""
        bound = self["inspections"]
        chosen = {str(value) for value in (bound.value() or [])}
        groups: dict[str, list[Option]] = {}
        for position, inspection in enumerate(self._choices, start=1):
            groups.setdefault(inspection.unit.region.name, []).append(
                Option(
                    id=bound.auto_id if position == 1 else f"{bound.auto_id}_{position}",
                    value=str(inspection.pk),
                    label=inspection.unit.name,
                    hint=f"Fieldwork from {inspection.fieldwork_start:%-d %B %Y}, "
                    f"{inspection.framework.title}",
                    checked=str(inspection.pk) in chosen,
                )
            )
        return [
            (region, checkbox_items(bound.html_name, items)) for region, items in groups.items()
        ]

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug", "").strip()
        if not slug:
            slug = slugify(self.data.get("name", ""))[:SLUG_MAX].strip("-")
            if not slug:
                raise forms.ValidationError(
                    "Enter an address: the name has no letters or numbers to make one from"
                )
        elif slug != slugify(slug):
            raise forms.ValidationError(
                "The address must use only lower-case letters, numbers and hyphens, "
                f"like {slugify(slug) or 'north-west-2025'}"
            )
        if slug in RESERVED_SLUGS or self.slug_taken(slug):
            raise forms.ValidationError(
                f"A set already has the address {slug}: choose another address"
            )
        return slug

    def slug_taken(self, slug: str) -> bool:
        others = SavedSet.objects.filter(slug=slug)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        return others.exists()

    def clean_inspections(self):
        chosen = self.cleaned_data["inspections"]
        codes = sorted({inspection.framework.code for inspection in chosen})
        if len(codes) > 1:
            raise forms.ValidationError(
                f"These inspections use different frameworks ({', '.join(codes)}): "
                "a set adds up one framework's answers, so choose inspections of one framework"
            )
        return chosen

    def refuse_taken_slug(self) -> None:
        """After the unique constraint refused the save: the address was taken meanwhile."""
        slug = self.cleaned_data["slug"]
        self.add_error("slug", f"A set already has the address {slug}: choose another address")


@transaction.atomic
def save_saved_set(*, saved: SavedSet, inspections, base_version: int | None, user) -> SavedSet:
    """Create the set (its creator: `user`) or save a change to it, claiming its next
    version: of two edits based on the same version one is saved, the other refused
    (VersionConflict) with nothing written. A slug taken at the same moment raises
    IntegrityError, the transaction rolled back."""
    saved._history_user = user  # type: ignore[attr-defined]  # read by simple-history
    if saved.pk is None:
        saved.created_by = user
    else:
        claim_version(saved, base_version)
    saved.save()
    saved.inspections.set(inspections)
    return saved


@transaction.atomic
def delete_saved_set(*, saved: SavedSet, base_version: int | None, user) -> None:
    """Remove the set, unless it was changed since the page asking to was opened."""
    claim_version(saved, base_version)
    saved._history_user = user  # type: ignore[attr-defined]  # read by simple-history
    saved.delete()
