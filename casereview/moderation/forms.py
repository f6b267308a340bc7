"""Forms of moderation and double marking: reasons, corrections, samples, blind answers."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth import get_user_model

from casereview.models import Answer, Case, KeyQuestionAnswer, SecondMarkingAnswer
from casereview.moderation.double_marking import second_marker_choices, second_marking_problems
from casereview.people import person_name
from inspection.govuk_forms import GovUKFormMixin, govuk
from inspection.models import Inspection, KeyQuestion

REASON_MAX_CHARACTERS = 2_000
NOTE_MAX_CHARACTERS = 10_000


def _reason_field(label: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": required_message,
            "max_length": f"The reason must be {REASON_MAX_CHARACTERS:,} characters or fewer",
        },
    )


class ReturnForm(GovUKFormMixin, forms.Form):
    reason = govuk(
        _reason_field(
            "Why is the case returned for rework?",
            "Enter why the case is returned for rework",
        ),
        heading=True,
        label_class="govuk-label--l",
        hint="The inspector sees this on the case and in My cases. Say what needs to change.",
    )


class ReturnPanelForm(ReturnForm):
    """The same reason, asked in the moderation panel of the case page (it posts to the
    return page, which shows any error)."""

    reason = govuk(
        _reason_field(
            "Why is the case returned for rework?",
            "Enter why the case is returned for rework",
        ),
        rows=3,
        hint="The inspector sees this on the case and in My cases.",
    )

    def __init__(self) -> None:
        super().__init__(auto_id="moderation-return-%s")


class ReopenForm(GovUKFormMixin, forms.Form):
    reason = govuk(
        _reason_field("Why is the case reopened?", "Enter why the case is reopened"),
        heading=True,
        label_class="govuk-label--l",
        hint="A moderated case is locked. Reopening makes it submitted again, so that you can "
        "correct an answer or return it for rework. The reason is kept in the case's history.",
    )


class KeyQuestionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: KeyQuestion) -> str:
        return f"{obj.code} {obj.text}"


class CorrectionForm(GovUKFormMixin, forms.Form):
    """The lead's correction of one answer of a submitted case."""

    key_question = KeyQuestionChoiceField(
        queryset=KeyQuestion.objects.none(),
        empty_label="Choose a key question",
        error_messages={"required": "Choose the key question to correct"},
    )
    answer = govuk(
        forms.ChoiceField(
            label="New answer",
            choices=Answer.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the new answer"},
        ),
        inline=True,
    )
    reason = _reason_field(
        "Why is the answer changed?", "Enter why the answer is changed after submission"
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        key_question = cast(KeyQuestionChoiceField, self.fields["key_question"])
        key_question.queryset = KeyQuestion.objects.of_framework(
            case.inspection.framework_id
        ).for_case_type(case.case_type)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        key_question, answer = cleaned.get("key_question"), cleaned.get("answer")
        if key_question is None or not answer:
            return cleaned
        if answer == Answer.NOT_APPLICABLE and not key_question.allows_not_applicable:
            self.add_error("answer", f"Not applicable is not allowed for {key_question.code}")
        elif KeyQuestionAnswer.objects.filter(
            case=self.case, key_question=key_question, answer=answer
        ).exists():
            self.add_error("answer", f"{key_question.code} already has that answer")
        return cleaned


class CaseChoiceField(forms.ModelMultipleChoiceField):
    deciding: frozenset[int] = frozenset()  # cases that decide a rating, marked as such

    def label_from_instance(self, obj: Case) -> str:
        inspector = person_name(obj.inspector)
        label = f"{obj.reference}" + (f" (first marked by {inspector})" if inspector else "")
        return label + (" – decides a rating" if obj.pk in self.deciding else "")


class InspectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


CHOSEN, DECIDING = "chosen", "deciding"


class SendForDoubleMarkingForm(GovUKFormMixin, forms.Form):
    sample = govuk(
        forms.ChoiceField(
            label="Which cases",
            choices=[(CHOSEN, "The cases I choose below")],  # and DECIDING: see __init__
            widget=forms.RadioSelect,
            required=False,  # a form without the choice sends the cases chosen
        ),
        legend_class="govuk-fieldset__legend--m",
        hint="A case decides a rating when the rating rests on its answers: a wrong "
        "judgement there changes what the report says.",
    )
    cases = govuk(
        CaseChoiceField(
            label="Cases to double mark",
            queryset=Case.objects.none(),
            widget=forms.CheckboxSelectMultiple,
            required=False,  # not when the sample is the deciding cases (see `clean`)
        ),
        legend_class="govuk-fieldset__legend--m",
        hint="Submitted or moderated cases not yet sent for double marking.",
        small=True,
    )
    inspector = govuk(
        InspectorChoiceField(
            label="Second inspector",
            queryset=get_user_model().objects.none(),
            empty_label="Choose an inspector",
            error_messages={"required": "Choose the second inspector"},
        ),
        label_class="govuk-label--m",
        hint="An inspector on the team other than the one who marked the case first. "
        "Leads see every case's answers, so cannot mark blind.",
    )

    def __init__(self, *args, inspection: Inspection, available, deciding=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection
        self.deciding = frozenset(deciding)  # ids of the cases that decide a rating
        cases = cast(CaseChoiceField, self.fields["cases"])
        cases.queryset = available
        cases.deciding = self.deciding
        sample = cast(forms.ChoiceField, self.fields["sample"])
        sample.initial = CHOSEN
        count = sum(1 for case in available if case.pk in self.deciding)
        sample.choices = [
            (CHOSEN, "The cases I choose below"),
            (
                DECIDING,
                f"Every case below that decides a rating ({count}), "
                "except those the chosen marker marked first",
            ),
        ]
        cast(InspectorChoiceField, self.fields["inspector"]).queryset = (
            get_user_model()
            .objects.filter(pk__in=second_marker_choices(inspection=inspection).values("user_id"))
            .order_by("first_name", "last_name", "username")
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("sample") == DECIDING:
            # Less the second inspector's own: no case is marked twice by one inspector.
            inspector = cleaned.get("inspector")
            available = cast(CaseChoiceField, self.fields["cases"]).queryset
            assert available is not None  # set in __init__
            cleaned["cases"] = [
                case
                for case in available
                if case.pk in self.deciding
                and (inspector is None or case.inspector_id != inspector.pk)
            ]
            if not cleaned["cases"]:
                self.add_error("sample", "No case left to send decides a rating; choose cases")
        elif "cases" in cleaned and not cleaned["cases"]:
            self.add_error("cases", "Choose at least one case to double mark")
        cases, inspector = cleaned.get("cases"), cleaned.get("inspector")
        if cases and inspector:
            for problem in second_marking_problems(
                inspection=self.inspection, cases=cases, inspector=inspector
            ):
                self.add_error("cases", problem)
        return cleaned


def answer_name(key_question: KeyQuestion) -> str:
    return f"kq_{key_question.pk}"


def note_name(key_question: KeyQuestion) -> str:
    return f"note_{key_question.pk}"


class SecondMarkingForm(GovUKFormMixin, forms.Form):
    """The second marker's answers: one radio group and one evidence note per key question."""

    def __init__(self, *args, key_questions: list[KeyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.key_questions = key_questions
        for key_question in key_questions:
            choices = [(Answer.YES, "Yes"), (Answer.NO, "No")]
            if key_question.allows_not_applicable:
                choices.append((Answer.NOT_APPLICABLE, "Not applicable"))
            self.fields[answer_name(key_question)] = govuk(
                forms.ChoiceField(
                    label=f"{key_question.code} {key_question.text}",
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": f"Answer key question {key_question.code}"},
                ),
                inline=True,
            )
            self.fields[note_name(key_question)] = forms.CharField(
                label=f"Evidence for {key_question.code} (optional)",
                required=False,
                max_length=NOTE_MAX_CHARACTERS,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self):
        """(key question, answer field, note field) in framework order, for the template."""
        return [
            (key_question, self[answer_name(key_question)], self[note_name(key_question)])
            for key_question in self.key_questions
        ]

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            key_question.pk: (
                self.cleaned_data[answer_name(key_question)],
                self.cleaned_data[note_name(key_question)],
            )
            for key_question in self.key_questions
        }


class ResolveForm(GovUKFormMixin, forms.Form):
    """The answer that counts for one disagreement: the first inspector's or the second's,
    as radios `resolve-<pk>` and `resolve-<pk>-2` in the disagreement's row."""

    answer = forms.ChoiceField(widget=forms.RadioSelect)

    def __init__(self, data=None, *, disagreement: SecondMarkingAnswer):
        super().__init__(data)
        self.disagreement = disagreement
        reference = disagreement.second_marking.case.reference
        code = disagreement.key_question.code
        field = cast(forms.ChoiceField, self.fields["answer"])
        field.choices = [
            (disagreement.first_answer, f"{disagreement.get_first_answer_display()} (first)"),
            (disagreement.answer, f"{disagreement.get_answer_display()} (second)"),
        ]
        field.error_messages.update(
            required=f"Choose the answer that counts for {reference}",
            invalid_choice="Choose the first or the second inspector's answer",
        )
        govuk(
            field,
            id=f"resolve-{disagreement.pk}",
            option_ids=[f"resolve-{disagreement.pk}", f"resolve-{disagreement.pk}-2"],
            legend=f"Answer that counts for {reference} {code}",
            legend_class="govuk-visually-hidden",
            small=True,
            group_class="govuk-!-margin-bottom-2",
        )
