"""The dashboard's case filters: a GET form whose query string is the shareable view."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.formats import date_format

from casereview.attributes import AGE_BAND, CASE_TYPE, ETHNICITY, GENDER, GRADE, OFFICE, ROSH
from casereview.dashboards.breakdowns import BLANK
from casereview.models import Case, CaseStatus
from inspection.govuk_dates import PARTS, GovUKDateField
from inspection.govuk_forms import GovUKFormMixin, govuk
from inspection.models import Inspection, Region

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


def date_filter(label: str, subject: str) -> GovUKDateField:
    """An optional date bound of a filter, as GOV.UK's date input; `subject` names it in
    its error messages."""
    return govuk(
        GovUKDateField(label=label, subject=subject, required=False),
        hint="For example, 27 3 2024",
    )


def without(data: QueryDict, name: str, value: str | None = None) -> str:
    """The query string of `data` less one filter value (`value`), or less the whole
    filter: a date's single ISO value and its day, month and year fields alike."""
    query = data.copy()
    if value is None:
        for key in (name, *(f"{name}-{part}" for part in PARTS)):
            query.pop(key, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    return query.urlencode()


def _label(field: forms.Field) -> str:
    return str(field.label)


def _choice_labels(field: forms.Field) -> dict[str, str]:
    """Each choice's label by its value (a choice field keeps its choices as pairs)."""
    choices = cast(Iterable[tuple[Any, Any]], cast(forms.ChoiceField, field).choices)
    return {str(value): str(label) for value, label in choices}


class CaseFilterForm(GovUKFormMixin, forms.Form):
    sentence_from = date_filter("Sentence or licence start from", "The sentence start 'from' date")
    sentence_to = date_filter("Sentence or licence start to", "The sentence start 'to' date")
    moderated = govuk(forms.BooleanField(label="Moderated cases only", required=False), small=True)

    def __init__(self, data: QueryDict, *, options: dict[str, list[tuple[str, str]]]):
        super().__init__(data)
        dates_and_status, self.fields = self.fields, {}
        for attribute in CHOICE_FILTERS:
            # An error message, not SQL.
            invalid = f"Select {with_article(attribute.label.lower())} from the list"  # noqa: S608
            choices = list(attribute.choices) or options.get(attribute.field, [])
            self.fields[attribute.field] = govuk(
                forms.MultipleChoiceField(
                    label=attribute.label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={"invalid_choice": invalid},
                ),
                small=True,
            )
        self.fields["inspector"] = govuk(
            forms.MultipleChoiceField(
                label="Inspector",
                choices=options.get("inspector", []),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "Select an inspector from the list"},
            ),
            small=True,
        )
        for name in ("sentence_from", "sentence_to", "moderated"):
            self.fields[name] = dates_and_status[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("sentence_from"), cleaned.get("sentence_to")
        if start and end and end < start:
            self.add_error(
                "sentence_to", "The 'to' date must be the same as or after the 'from' date"
            )
        return cleaned

    @property
    def choice_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*[a.field for a in CHOICE_FILTERS], "inspector")]

    @property
    def applied(self) -> dict[str, Any]:
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
        data = cast(QueryDict, self.data)
        for name in (*[a.field for a in CHOICE_FILTERS], "inspector"):
            field = self.fields[name]
            labels = _choice_labels(field)
            for value in applied.get(name, []):
                active.append(
                    ActiveFilter(
                        _label(field), labels.get(value, value), without(data, name, value)
                    )
                )
        for name in ("sentence_from", "sentence_to"):
            if applied.get(name):
                value = date_format(applied[name], "j F Y")
                active.append(ActiveFilter(_label(self.fields[name]), value, without(data, name)))
        if applied.get("moderated"):
            active.append(ActiveFilter("Cases", "Moderated only", without(data, "moderated")))
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
    fieldwork_from = date_filter("Fieldwork started from", "The fieldwork 'from' date")
    fieldwork_to = date_filter("Fieldwork started to", "The fieldwork 'to' date")

    def __init__(self, data: QueryDict, *, inspections: QuerySet[Inspection]):
        super().__init__(data)
        regions = (
            Region.objects.filter(units__inspections__in=inspections.values("pk"))
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        )
        region = cast(forms.ChoiceField, self.fields["region"])
        region.choices = [("", "All regions")] + [(str(pk), name) for pk, name in regions]
        self.fields["region"].error_messages["invalid_choice"] = "Select a region from the list"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("fieldwork_from"), cleaned.get("fieldwork_to")
        if start and end and end < start:
            self.add_error(
                "fieldwork_to", "The 'to' date must be the same as or after the 'from' date"
            )
        return cleaned

    @property
    def applied(self) -> dict[str, Any]:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def filter(self, inspections: QuerySet[Inspection]) -> QuerySet[Inspection]:
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
        data = cast(QueryDict, self.data)
        if applied.get("region"):
            label = _choice_labels(self.fields["region"]).get(applied["region"], "")
            active.append(ActiveFilter("Region", label, without(data, "region")))
        for name in ("fieldwork_from", "fieldwork_to"):
            if applied.get(name):
                value = date_format(applied[name], "j F Y")
                active.append(ActiveFilter(_label(self.fields[name]), value, without(data, name)))
        return active
