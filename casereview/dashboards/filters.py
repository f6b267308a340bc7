"""The dashboard's case filters: a GET form whose query string is the shareable view."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.formats import date_format

from casereview.attributes import AGE_BAND, CASE_TYPE, ETHNICITY, GENDER, GRADE, OFFICE, ROSH
from casereview.dashboards.breakdowns import BLANK
from casereview.models import Case, CaseStatus
from inspection.govuk_forms import GovUKFormMixin
from inspection.models import Region

# The multiple-choice filters, in the order the form shows them.
CHOICE_FILTERS = (CASE_TYPE, ROSH, GENDER, GRADE, OFFICE, ETHNICITY, AGE_BAND)


def with_article(noun: str) -> str:
    """ "an office", "an ethnicity", "a gender": the article an error message needs (the
    filters' labels all begin as they sound)."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


@dataclass(frozen=True)
class ActiveFilter:
    """One applied filter value, shown as a tag whose link removes just that value."""

    label: str
    value_label: str
    remove_query: str


def date_filter(label: str, end: str, example: str) -> forms.DateField:
    """An optional date bound of a filter, with the message every date filter gives."""
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": f"Enter the '{end}' date as a real date, like {example}"},
    )


class CaseFilterForm(GovUKFormMixin, forms.Form):
    sentence_from = date_filter("Sentence or licence start from", "from", "2023-06-01")
    sentence_to = date_filter("Sentence or licence start to", "to", "2023-09-30")
    moderated = forms.BooleanField(label="Moderated cases only", required=False)

    def __init__(self, data: QueryDict, *, options: dict[str, list[tuple[str, str]]]):
        super().__init__(data)
        dates_and_status, self.fields = self.fields, {}
        for attribute in CHOICE_FILTERS:
            # An error message, not SQL.
            invalid = f"Select {with_article(attribute.label.lower())} from the list"  # noqa: S608
            choices = list(attribute.choices) or options.get(attribute.field, [])
            self.fields[attribute.field] = forms.MultipleChoiceField(
                label=attribute.label,
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": invalid},
            )
        self.fields["inspector"] = forms.MultipleChoiceField(
            label="Inspector",
            choices=options.get("inspector", []),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Select an inspector from the list"},
        )
        for name in ("sentence_from", "sentence_to", "moderated"):
            self.fields[name] = dates_and_status[name]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("sentence_from"), cleaned.get("sentence_to")
        if start and end and end < start:
            self.add_error(
                "sentence_to", "The 'to' date must be the same as or after the 'from' date"
            )
        return cleaned

    @property
    def choice_fields(self):
        return [self[name] for name in (*[a.field for a in CHOICE_FILTERS], "inspector")]

    @property
    def applied(self) -> dict:
        """The valid filter values only: an invalid field is reported and left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def filter(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        applied = self.applied
        for attribute in CHOICE_FILTERS:
            values = applied.get(attribute.field)
            if values:
                stored = [
                    stored
                    for value in values
                    for stored in attribute.stored_values("" if value == BLANK else value)
                ]
                cases = cases.filter(**{f"{attribute.field}__in": stored})
        if applied.get("inspector"):
            cases = cases.filter(inspector_id__in=[int(v) for v in applied["inspector"]])
        if applied.get("sentence_from"):
            cases = cases.filter(sentence_start__gte=applied["sentence_from"])
        if applied.get("sentence_to"):
            cases = cases.filter(sentence_start__lte=applied["sentence_to"])
        if applied.get("moderated"):
            cases = cases.filter(status=CaseStatus.MODERATED)
        return cases

    def active_filters(self) -> list[ActiveFilter]:
        """The applied values as removable tags, each linking to the view without it."""
        active = []
        applied = self.applied

        def without(name: str, value: str | None = None) -> str:
            query = self.data.copy()
            if value is None:
                query.pop(name, None)
            else:
                query.setlist(name, [v for v in query.getlist(name) if v != value])
            return query.urlencode()

        for name in (*[a.field for a in CHOICE_FILTERS], "inspector"):
            field = self.fields[name]
            labels = dict(field.choices)
            for value in applied.get(name, []):
                active.append(
                    ActiveFilter(field.label, labels.get(value, value), without(name, value))
                )
        for name in ("sentence_from", "sentence_to"):
            if applied.get(name):
                value = date_format(applied[name], "j F Y")
                active.append(ActiveFilter(self.fields[name].label, value, without(name)))
        if applied.get("moderated"):
            active.append(ActiveFilter("Cases", "Moderated only", without("moderated")))
        return active

    def query_string(self) -> str:
        """The applied filters as a query string, carried onto links from the dashboard."""
        query = QueryDict(mutable=True)
        for name, value in self.applied.items():
            if isinstance(value, list):
                query.setlist(name, value)
            elif value is True:
                query[name] = "on"
            else:
                query[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return query.urlencode()


class OverviewFilterForm(GovUKFormMixin, forms.Form):
    region = forms.ChoiceField(label="Region", required=False)
    fieldwork_from = date_filter("Fieldwork started from", "from", "2023-01-01")
    fieldwork_to = date_filter("Fieldwork started to", "to", "2023-12-31")

    def __init__(self, data: QueryDict, *, inspections: QuerySet):
        super().__init__(data)
        regions = (
            Region.objects.filter(units__inspections__in=inspections.values("pk"))
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        )
        self.fields["region"].choices = [("", "All regions")] + [
            (str(pk), name) for pk, name in regions
        ]
        self.fields["region"].error_messages["invalid_choice"] = "Select a region from the list"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("fieldwork_from"), cleaned.get("fieldwork_to")
        if start and end and end < start:
            self.add_error(
                "fieldwork_to", "The 'to' date must be the same as or after the 'from' date"
            )
        return cleaned

    @property
    def applied(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def filter(self, inspections: QuerySet) -> QuerySet:
        applied = self.applied
        if applied.get("region"):
            inspections = inspections.filter(unit__region_id=int(applied["region"]))
        if applied.get("fieldwork_from"):
            inspections = inspections.filter(fieldwork_start__gte=applied["fieldwork_from"])
        if applied.get("fieldwork_to"):
            inspections = inspections.filter(fieldwork_start__lte=applied["fieldwork_to"])
        return inspections

    def active_filters(self) -> list[ActiveFilter]:
        applied = self.applied
        active = []

        def without(name: str) -> str:
            query = self.data.copy()
            query.pop(name, None)
            return query.urlencode()

        if applied.get("region"):
            label = dict(self.fields["region"].choices).get(applied["region"], "")
            active.append(ActiveFilter("Region", label, without("region")))
        for name in ("fieldwork_from", "fieldwork_to"):
            if applied.get(name):
                value = date_format(applied[name], "j F Y")
                active.append(ActiveFilter(self.fields[name].label, value, without(name)))
        return active
