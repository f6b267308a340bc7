"""The GOV.UK date input: a day, a month and a year field in one fieldset.

`GovUKDateField` is a `MultiValueField` whose widget, `GovUKDateWidget`, reads
`<name>-day`, `<name>-month` and `<name>-year` (GOV.UK Frontend's names). A single
`<name>=YYYY-MM-DD` is read too, so that addresses built before the date input (links,
bookmarks, documented query strings) keep working; when both are given, the three
fields win, since they are what a person has just typed.

Its errors are GOV.UK's: "<subject> must include a month", "<subject> must include a
day and year", "<subject> must be a real date". `GovUKBoundField` renders it with
`templates/govuk/date_input.html` and links the error summary to the first part in error.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

PARTS = ("day", "month", "year")
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parts_of(value: Any) -> list[str]:
    """[day, month, year] as text, from a date, an ISO date string or the parts."""
    if isinstance(value, (list, tuple)):
        return [("" if part is None else str(part)) for part in value][:3] + [""] * (3 - len(value))
    if isinstance(value, datetime.date):
        return [str(value.day), str(value.month), str(value.year)]
    if isinstance(value, str) and value:
        match = ISO_DATE.match(value)
        if match:
            year, month, day = match.groups()
            return [str(int(day)), str(int(month)), year]
        return [value, "", ""]
    return ["", "", ""]


def missing_parts(parts: list[str]) -> list[str]:
    """The names of the parts left empty, in the order the fields show them."""
    return [name for name, part in zip(PARTS, parts, strict=True) if not part.strip()]


def _listed(names: list[str]) -> str:
    return " and ".join(names) if len(names) < 3 else f"{names[0]}, {names[1]} and {names[2]}"


class GovUKDateWidget(forms.MultiWidget):
    template_name = "govuk/date_input.html"

    def __init__(self, attrs: dict | None = None):
        numeric = {"inputmode": "numeric"}
        super().__init__([forms.TextInput(numeric) for _ in PARTS], attrs)

    def decompress(self, value: Any) -> list[str]:
        return parts_of(value)

    def value_from_datadict(self, data, files, name: str) -> Any:
        names = [f"{name}-{part}" for part in PARTS]
        if any(part_name in data for part_name in names):
            return [data.get(part_name, "") for part_name in names]
        # The single ISO date of addresses made before the date input.
        return data.get(name)

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data and not any(f"{name}-{part}" in data for part in PARTS)


class GovUKDateField(forms.MultiValueField):
    """An optional or required date given as day, month and year; `subject` names it in
    error messages ("Sentence start 'from' date must include a month")."""

    widget = GovUKDateWidget

    def __init__(self, *, subject: str, **kwargs: Any):
        self.subject = subject
        kwargs.setdefault(
            "error_messages", {"required": f"Enter {subject[:1].lower()}{subject[1:]}"}
        )
        parts = [forms.CharField(required=False) for _ in PARTS]
        super().__init__(parts, require_all_fields=False, **kwargs)

    def clean(self, value: Any) -> datetime.date | None:
        if isinstance(value, str) and value.strip() and not ISO_DATE.match(value):
            raise ValidationError(f"{self.subject} must be a real date", code="invalid")
        if isinstance(value, str) or value is None:
            value = parts_of(value)
        return super().clean(value)

    def compress(self, data_list: list[str]) -> datetime.date | None:
        parts = parts_of(data_list)
        missing = missing_parts(parts)
        if len(missing) == len(PARTS):
            return None
        if missing:
            raise ValidationError(
                f"{self.subject} must include a {_listed(missing)}", code="incomplete"
            )
        day, month, year = (part.strip() for part in parts)
        try:
            if len(year) != 4:
                raise ValueError(year)
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self.subject} must be a real date", code="invalid") from None
