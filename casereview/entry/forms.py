"""Forms of the case pages: a section's answers, and the filters of "My cases".

A section form is built from the framework's data: for each key question, a radio
fieldset per prompt, the key question's own fieldset (legend = its exact wording),
then an evidence note with a character count. Drafts may be partial; with
`require_complete` every gap becomes an error beside its field.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Div, Field, Layout, Size
from django import forms
from django.utils.html import escape, format_html

from casereview.entry.sections import (
    OVERSIGHT,
    RISK,
    Section,
    answer_field,
    field_anchor,
    note_field,
    prompt_field,
    section_gaps,
)
from casereview.models import Answer, CaseStatus, Oversight, RiskInformation

NOTE_MAX_CHARACTERS = 10_000
YES_NO = [(Answer.YES, "Yes"), (Answer.NO, "No")]
YES_NO_NA = [*YES_NO, (Answer.NOT_APPLICABLE, "Not applicable")]


class NoteField(forms.CharField):
    """Free text whose length is counted as the GOV.UK character count counts it.

    No maxlength attribute on the textarea: it would cut pasted text short silently.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        super().__init__(**kwargs)

    def to_python(self, value):
        # Browsers send a new line as CR LF; the character count shows it as one.
        return super().to_python(value).replace("\r\n", "\n")

    def validate(self, value):
        super().validate(value)
        if len(value) > NOTE_MAX_CHARACTERS:
            raise forms.ValidationError(
                f"{self.label} must be {NOTE_MAX_CHARACTERS:,} characters or fewer",
                code="max_length",
            )


def _radios(label: str, choices) -> forms.ChoiceField:
    # Labels come from framework data an administrator edits: escape them once here.
    return forms.ChoiceField(
        label=escape(label), choices=choices, required=False, widget=forms.RadioSelect
    )


def character_count(name: str, *, label_size: str = Size.SMALL) -> Field:
    return Field(
        name,
        template="gds/layout/character_count.html",
        context={
            "max_characters": NOTE_MAX_CHARACTERS,
            "max_characters_text": f"{NOTE_MAX_CHARACTERS:,}",
            "label_size": Size.for_label(label_size),
        },
    )


class SectionForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, section: Section, require_complete: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        self.require_complete = require_complete
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        if section.kind == OVERSIGHT:
            layout = self._oversight_fields()
        elif section.kind == RISK:
            layout = self._risk_fields()
        else:
            layout = self._standard_fields()
        self.helper.layout = Layout(*layout, Field("version"))

    def _standard_fields(self) -> list:
        layout = []
        for key_question in self.section.key_questions:
            # Each key question is a labelled group, so prompts worded alike under
            # different key questions stay distinguishable to assistive technology.
            heading_id = f"heading-{answer_field(key_question)}"
            items = [
                HTML(
                    format_html(
                        '<h2 class="govuk-heading-m" id="{}">Key question {}</h2>',
                        heading_id,
                        key_question.code,
                    )
                )
            ]
            prompts = self.section.prompts_of(key_question)
            if prompts:
                items.append(
                    HTML(
                        '<p class="govuk-body">Prompts to inform your judgement. '
                        "They do not decide it.</p>"
                    )
                )
            for prompt in prompts:
                name = prompt_field(prompt)
                self.fields[name] = _radios(prompt.text, YES_NO_NA)
                items.append(Field.radios(name, legend_size=Size.SMALL, inline=True, small=True))
            name = answer_field(key_question)
            choices = YES_NO_NA if key_question.allows_not_applicable else YES_NO
            self.fields[name] = _radios(key_question.text, choices)
            items.append(Field.radios(name, legend_size=Size.MEDIUM, inline=True))
            name = note_field(key_question)
            self.fields[name] = NoteField(
                label=f"Evidence note for key question {key_question.code}",
                help_text=(
                    "What in the case record supports your judgement"
                    + ("." if self.section.notes_required else " (optional).")
                ),
            )
            items.append(character_count(name))
            layout.append(
                Div(
                    *items,
                    css_class="app-key-question",
                    role="group",
                    aria_labelledby=heading_id,
                )
            )
        return layout

    def _oversight_fields(self) -> list:
        self.fields["oversight"] = forms.ChoiceField(
            label="Was management oversight effective?",
            choices=Oversight.choices,
            required=False,
            widget=forms.RadioSelect,
        )
        self.fields["oversight_note"] = NoteField(
            label="Management oversight note",
            help_text="What you saw of managers' oversight of the case. "
            "Not needed where oversight was not required.",
        )
        return [
            Field.radios("oversight", legend_size=Size.MEDIUM),
            character_count("oversight_note"),
        ]

    def _risk_fields(self) -> list:
        layout = []
        for name in RiskInformation.QUESTIONS:
            label = RiskInformation._meta.get_field(name).verbose_name
            self.fields[name] = _radios(str(label), YES_NO_NA)
            layout.append(Field.radios(name, legend_size=Size.SMALL, inline=True, small=True))
        return layout

    def clean(self):
        cleaned = super().clean()
        if self.require_complete:
            for gap in section_gaps(self.section, cleaned):
                if gap.field not in self.errors:
                    self.add_error(gap.field, gap.message)
        return cleaned

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.section.field_names}

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary, in the order of the page."""
        links = []
        for name in [*self.section.field_names, "version"]:
            for error in self.errors.get(name, []):
                anchor = "main-content" if name == "version" else field_anchor(self.section, name)
                links.append((anchor, error))
        for error in self.non_field_errors():
            links.append(("main-content", error))
        return links


class MyCasesFilterForm(forms.Form):
    NOT_STARTED = "not_started"
    STATUS_CHOICES = [
        ("", "Any status"),
        (NOT_STARTED, "Not started"),
        *CaseStatus.choices,
    ]

    inspection = forms.ChoiceField(label="Inspection", required=False)
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)

    def __init__(self, *args, inspections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].choices = [
            ("", "All inspections"),
            *((inspection.slug, inspection.unit.name) for inspection in inspections),
        ]
