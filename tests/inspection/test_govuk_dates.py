"""The GOV.UK date input: day, month and year fields, the old single ISO value, GOV.UK's
error messages, the parts marked in error and the error summary's link."""

import datetime
import re

import pytest
from django import forms
from django.http import QueryDict

from inspection.govuk_dates import GovUKDateField
from inspection.govuk_forms import GovUKFormMixin, govuk


class WhenForm(GovUKFormMixin, forms.Form):
    when = govuk(
        GovUKDateField(label="Sentence date", subject="Sentence date", required=False),
        hint="For example, 27 3 2024",
    )
    due = GovUKDateField(label="Due date", subject="The due date")


def bound(query: str) -> WhenForm:
    return WhenForm(QueryDict(query))


def parts(day="", month="", year="", name="when") -> str:
    return f"{name}-day={day}&{name}-month={month}&{name}-year={year}"


DUE = "&" + parts(1, 1, 2024, name="due")


@pytest.mark.parametrize(
    "query",
    [
        parts(27, 3, 2024),
        parts("27", "03", "2024"),
        parts(" 27 ", " 3", "2024 "),
        "when=2024-03-27",  # the single value of addresses made before the date input
        "when=2024-3-27",
    ],
)
def test_both_forms_give_the_same_date(query):
    form = bound(query + DUE)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == datetime.date(2024, 3, 27)


def test_the_fields_win_over_the_single_value():
    form = bound("when=2023-01-01&" + parts(27, 3, 2024) + DUE)
    assert form.is_valid()
    assert form.cleaned_data["when"] == datetime.date(2024, 3, 27)


@pytest.mark.parametrize("query", ["", parts(), "when="])
def test_an_optional_date_left_empty_is_none(query):
    form = bound(query + DUE)
    assert form.is_valid()
    assert form.cleaned_data["when"] is None


@pytest.mark.parametrize(
    ("given", "message", "in_error"),
    [
        ((27, "", 2024), "Sentence date must include a month", ["month"]),
        (("", 3, 2024), "Sentence date must include a day", ["day"]),
        ((27, 3, ""), "Sentence date must include a year", ["year"]),
        (("", "", 2024), "Sentence date must include a day and month", ["day", "month"]),
        (("", 3, ""), "Sentence date must include a day and year", ["day", "year"]),
        ((27, "", ""), "Sentence date must include a month and year", ["month", "year"]),
        ((31, 2, 2024), "Sentence date must be a real date", ["day", "month", "year"]),
        ((27, 13, 2024), "Sentence date must be a real date", ["day", "month", "year"]),
        ((27, 3, 24), "Sentence date must be a real date", ["day", "month", "year"]),
        (("x", 3, 2024), "Sentence date must be a real date", ["day", "month", "year"]),
        ((0, 3, 2024), "Sentence date must be a real date", ["day", "month", "year"]),
    ],
)
def test_each_error_is_govuks_and_marks_the_parts_in_error(given, message, in_error):
    form = bound(parts(*given) + DUE)
    assert not form.is_valid()
    assert form.errors["when"] == [message]
    html = form["when"].as_field_group()
    marked = re.findall(r'govuk-input--error" id="id_when-(\w+)"', html)
    assert marked == in_error
    # The summary links to the first part in error; what was typed is kept.
    assert dict(form.error_links())[f"id_when-{in_error[0]}"] == message
    for part, value in zip(("day", "month", "year"), given, strict=True):
        assert f'id="id_when-{part}" name="when-{part}" type="text" value="{value}"' in html


@pytest.mark.parametrize("value", ["2024-13-01", "2023-02-30", "yesterday", "27/3/2024"])
def test_a_single_value_that_is_not_a_real_date_says_so(value):
    form = bound(f"when={value}" + DUE)
    assert form.errors["when"] == ["Sentence date must be a real date"]


def test_a_required_date_left_empty_asks_for_it():
    form = bound(parts(1, 1, 2024))
    assert form.errors["due"] == ["Enter the due date"]
    assert dict(form.error_links())["id_due-day"] == "Enter the due date"


def test_the_date_input_is_govuks_pattern():
    html = bound(parts(27, 3, 2024) + DUE)["when"].as_field_group()
    assert '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_when-hint">' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Sentence date' in html
    assert '<div id="id_when-hint" class="govuk-hint">For example, 27 3 2024</div>' in html
    assert re.findall(
        r'<label class="govuk-label govuk-date-input__label" for="id_when-(\w+)">', html
    ) == [
        "day",
        "month",
        "year",
    ]
    assert html.count('inputmode="numeric"') == 3
    assert 'govuk-input--width-4" id="id_when-year"' in html
    assert "govuk-input--error" not in html and "govuk-error-message" not in html


def test_an_unbound_date_shows_its_initial_value_in_parts():
    form = WhenForm(initial={"when": datetime.date(2024, 3, 7)})
    html = form["when"].as_field_group()
    assert 'name="when-day" type="text" value="7"' in html
    assert 'name="when-month" type="text" value="3"' in html
    assert 'name="when-year" type="text" value="2024"' in html
