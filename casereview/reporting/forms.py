"""Forms of the lead's report work: domain-one judgements and recommendations."""

from __future__ import annotations

from django import forms
from django.db.models import Max

from inspection.govuk_forms import GovUKFormMixin, govuk
from inspection.models import (
    DomainOneRating,
    PreviousRecommendation,
    Progress,
    Rating,
    Recommendation,
)

TEXT_MAX_CHARACTERS = 10_000


def _text(label: str, *, required: bool = False, message: str = "", rows: int = 5):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": message,
            "max_length": f"{label} must be {TEXT_MAX_CHARACTERS:,} characters or fewer",
        },
    )


def _number(**kwargs) -> forms.IntegerField:
    # A text input, not type=number: GOV.UK asks for inputmode=numeric instead.
    field = forms.IntegerField(widget=forms.TextInput, **kwargs)
    return govuk(field, width="govuk-input--width-2", inputmode="numeric")


class VersionedForm(GovUKFormMixin, forms.ModelForm):
    """Carries the version of the row the page was based on, for the optimistic check.

    Not validated as input: a missing or tampered version is simply never current, so
    the save is refused as a conflict rather than reported against a hidden field.
    """

    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        # Read before validation copies the input onto the instance: on a conflict
        # page these are the other lead's saved values, shown beside the user's own.
        self.saved_rows = self._saved_rows() if self.instance.pk else []

    def base_version(self) -> int | None:
        value = self.data.get("version", "")
        digits = isinstance(value, str) and value.isascii() and value.isdigit()
        return int(value) if digits and len(value) <= 9 else None

    def _saved_rows(self) -> list[tuple[str, str]]:
        rows = []
        for name in self._meta.fields or ():  # every subclass names its fields
            value = getattr(self.instance, name)
            display = getattr(self.instance, f"get_{name}_display", None)
            if display is not None:
                value = display()
            elif isinstance(value, bool):
                value = "Yes" if value else "No"
            rows.append((str(self[name].label), "" if value is None else str(value)))
        return rows


class NumberedForm(VersionedForm):
    """A recommendation's number is unique within its inspection (a database constraint).
    A number already taken is refused here; one taken by a save at the same moment is
    refused by the constraint, and the view reports it with the same message."""

    noun = "recommendation"

    def clean_order(self):
        number = self.cleaned_data["order"]
        if self.number_taken(number):
            raise forms.ValidationError(self.number_taken_message(number))
        return number

    def number_taken(self, number: int) -> bool:
        return self.others().filter(order=number).exists()

    def number_taken_message(self, number: int) -> str:
        free = (self.others().aggregate(highest=Max("order"))["highest"] or 0) + 1
        return (
            f"{self.noun.capitalize()} {number} already exists: choose another number, like {free}"
        )

    def refuse_taken_number(self) -> None:
        """After the constraint refused the save: the number was taken meanwhile."""
        number = self.cleaned_data["order"]
        self.add_error("order", self.number_taken_message(number))

    def others(self):
        rows = self._meta.model.objects.filter(inspection_id=self.instance.inspection_id)
        return rows.exclude(pk=self.instance.pk) if self.instance.pk else rows


class DomainOneForm(VersionedForm):
    rating = govuk(
        forms.ChoiceField(
            choices=Rating.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose a rating"},
        ),
        legend="Rating",
        legend_class="govuk-fieldset__legend--m",
    )
    rationale = govuk(
        _text("Rationale", required=True, message="Enter the rationale for the rating"),
        label_class="govuk-label--m",
        hint="Why this rating. The report ties it to the case results, "
        "for example the ratings of the case standards.",
    )
    strengths = govuk(
        _text("Strengths"), label_class="govuk-label--m", hint="Optional. One a line."
    )
    areas_for_improvement = govuk(
        _text("Areas for improvement"), label_class="govuk-label--m", hint="Optional. One a line."
    )

    class Meta:
        model = DomainOneRating
        fields = ["rating", "rationale", "strengths", "areas_for_improvement"]


class RecommendationForm(NumberedForm):
    text = _text("Recommendation", required=True, message="Enter the recommendation", rows=3)
    order = _number(
        label="Number",
        min_value=1,
        max_value=99,
        help_text="Its number in the report's list",
        error_messages={
            "required": "Enter the recommendation's number",
            "invalid": "The number must be a whole number, like 3",
            "min_value": "The number must be 1 or more",
            "max_value": "The number must be 99 or less",
        },
    )

    class Meta:
        model = Recommendation
        fields = ["order", "text"]


class PreviousRecommendationForm(NumberedForm):
    noun = "previous recommendation"
    text = _text(
        "Previous recommendation",
        required=True,
        message="Enter the previous inspection's recommendation",
        rows=3,
    )
    action_and_impact = _text("Action taken and impact")
    progress = forms.ChoiceField(
        label="Categorisation",
        choices=Progress.choices,  # the model field's
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the progress made"},
    )
    improvement_still_required = govuk(
        forms.TypedChoiceField(
            label="Is improvement still required?",
            choices=[("yes", "Yes"), ("no", "No")],
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
            error_messages={"required": "Choose whether improvement is still required"},
        ),
        inline=True,
    )
    order = _number(
        label="Number",
        min_value=1,
        max_value=99,
        help_text="Its place in the report's table",
        error_messages={
            "required": "Enter the recommendation's number",
            "invalid": "The number must be a whole number, like 2",
            "min_value": "The number must be 1 or more",
            "max_value": "The number must be 99 or less",
        },
    )

    class Meta:
        model = PreviousRecommendation
        fields = ["order", "text", "action_and_impact", "progress", "improvement_still_required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["improvement_still_required"] = (
                "yes" if self.instance.improvement_still_required else "no"
            )
