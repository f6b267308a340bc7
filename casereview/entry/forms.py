"""Forms of the case pages: a section's answers, and the filters of "My cases".

A section form is built from the framework's data: for each key question, a radio
fieldset per prompt, the key question's own fieldset (legend = its exact wording),
then an evidence note with a character count. Drafts may be partial; with
`require_complete` every gap becomes an error beside its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django import forms

from casereview.entry.sections import (
    OVERSIGHT,
    RISK,
    Section,
    answer_field,
    note_field,
    prompt_field,
    section_gaps,
)
from casereview.models import Answer, CaseProgress, Oversight, RiskInformation
from inspection.govuk_forms import GovUKFormMixin, govuk

NOTE_MAX_CHARACTERS = 10_000
YES_NO = [(Answer.YES, "Yes"), (Answer.NO, "No")]
YES_NO_NA = [*YES_NO, (Answer.NOT_APPLICABLE, "Not applicable")]
LEGEND_S, LEGEND_M = "govuk-fieldset__legend--s", "govuk-fieldset__legend--m"


class NoteField(forms.CharField):
    """Free text whose length is counted as the GOV.UK character count counts it.

    No maxlength attribute on the textarea: it would cut pasted text short silently.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        super().__init__(**kwargs)
        govuk(self, max_characters=NOTE_MAX_CHARACTERS)

    def to_python(self, value):
        # Browsers send a new line as CR LF; the character count shows it as one.
        text = super().to_python(value)
        return text if text is None else text.replace("\r\n", "\n")

    def validate(self, value):
        super().validate(value)
        if len(value) > NOTE_MAX_CHARACTERS:
            raise forms.ValidationError(
                f"{self.label} must be {NOTE_MAX_CHARACTERS:,} characters or fewer",
                code="max_length",
            )


def _radios(label: str, choices, **presentation) -> forms.ChoiceField:
    # Labels come from framework data an administrator edits: the templates escape them.
    field = forms.ChoiceField(
        label=label, choices=choices, required=False, widget=forms.RadioSelect
    )
    return govuk(field, **presentation)


@dataclass(frozen=True)
class FieldGroup:
    """Fields shown together: a key question's (under its heading), or a whole section's."""

    fields: list
    heading_id: str = ""
    code: str = ""
    has_prompts: bool = False


class SectionForm(GovUKFormMixin, forms.Form):
    template_name = "casereview/entry/_section_fields.html"
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, section: Section, require_complete: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        self.require_complete = require_complete
        if section.kind == OVERSIGHT:
            self._groups = [FieldGroup(self._oversight_fields())]
        elif section.kind == RISK:
            self._groups = [FieldGroup(self._risk_fields())]
        else:
            self._groups = self._standard_fields()

    def groups(self) -> list[FieldGroup]:
        """The groups with their bound fields, in the order of the page."""
        return [
            FieldGroup(
                [self[name] for name in group.fields],
                group.heading_id,
                group.code,
                group.has_prompts,
            )
            for group in self._groups
        ]

    def _standard_fields(self) -> list[FieldGroup]:
        groups = []
        for key_question in self.section.key_questions:
            # Each key question is a labelled group, so prompts worded alike under
            # different key questions stay distinguishable to assistive technology.
            names = []
            prompts = self.section.prompts_of(key_question)
            for prompt in prompts:
                name = prompt_field(prompt)
                self.fields[name] = _radios(
                    prompt.text, YES_NO_NA, legend_class=LEGEND_S, inline=True, small=True
                )
                names.append(name)
            name = answer_field(key_question)
            choices = YES_NO_NA if key_question.allows_not_applicable else YES_NO
            self.fields[name] = _radios(
                key_question.text, choices, legend_class=LEGEND_M, inline=True
            )
            names.append(name)
            note = note_field(key_question)
            self.fields[note] = NoteField(
                label=f"Evidence note for key question {key_question.code}",
                help_text=(
                    "What in the case record supports your judgement"
                    + ("." if self.section.notes_required else " (optional).")
                ),
            )
            names.append(note)
            groups.append(FieldGroup(names, f"heading-{name}", key_question.code, bool(prompts)))
        return groups

    def _oversight_fields(self) -> list[str]:
        self.fields["oversight"] = govuk(
            forms.ChoiceField(
                label="Was management oversight effective?",
                choices=Oversight.choices,
                required=False,
                widget=forms.RadioSelect,
            ),
            legend_class=LEGEND_M,
        )
        self.fields["oversight_note"] = NoteField(
            label="Management oversight note",
            help_text="What you saw of managers' oversight of the case. "
            "Not needed where oversight was not required.",
        )
        return ["oversight", "oversight_note"]

    def _risk_fields(self) -> list[str]:
        for name in RiskInformation.QUESTIONS:
            self.fields[name] = _radios(
                RiskInformation.question_label(name),
                YES_NO_NA,
                legend_class=LEGEND_S,
                inline=True,
                small=True,
            )
        return list(RiskInformation.QUESTIONS)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if self.require_complete:
            for gap in section_gaps(self.section, cleaned):
                if gap.field not in self.errors:
                    self.add_error(gap.field, gap.message)
        return cleaned

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.section.field_names}


class MyCasesFilterForm(GovUKFormMixin, forms.Form):
    STATUS_CHOICES = [("", "Any status"), *CaseProgress.choices]

    inspection = forms.ChoiceField(
        label="Inspection",
        required=False,
        error_messages={"invalid_choice": "Select an inspection from the list"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=STATUS_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Select a status from the list"},
    )

    def __init__(self, *args, inspections, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["inspection"]).choices = [
            ("", "All inspections"),
            *((inspection.slug, inspection.unit.name) for inspection in inspections),
        ]
