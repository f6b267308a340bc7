from django import forms

from inspection.govuk_forms import GovUKFormMixin, govuk

YES, NO = "yes", "no"


class PreferenceForm(GovUKFormMixin, forms.Form):
    email = govuk(
        forms.ChoiceField(
            label="Do you want emails when you need to act?",
            choices=[(YES, "Yes, email me"), (NO, "No, do not email me")],
            widget=forms.RadioSelect,
            error_messages={"required": "Select whether you want emails"},
        ),
        heading=True,
        legend_class="govuk-fieldset__legend--l",
        hint="When a case is assigned to you, returned to you for rework or sent to you for "
        "second marking, and, if you lead an inspection, when every case of its sample is "
        "submitted. Emails give the case reference and a link, never evidence notes.",
    )
