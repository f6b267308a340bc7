"""The one form renderer: Django's own form rendering with GOV.UK Frontend templates.

Every form of the service mixes in `GovUKFormMixin`. `{{ form.field.as_field_group }}`
then renders the field with the GOV.UK template of its widget (`templates/govuk/`):
radios, checkboxes, a single checkbox, select, text or password input, date input (day,
month and year: `govuk_dates`), textarea (a character count when the field has
`max_characters`), hidden input. Each template loops over the field's
choices itself rather than rendering Django's widget templates option by option:
that is what keeps a section page, a hundred fields, inside its time budget.

Presentation that the form knows best (legend size, inline radios, a hint) is given
with `govuk(field, ...)` in the form class, so pages only say where a field goes.

One convention links an error to its field: `BoundField.error_anchor`, the id of the
field's first input, which GOV.UK Frontend's error summary focuses (after scrolling
its legend or label into view). `error_links()` lists (anchor, message) in page order
for the one error summary, `templates/_error_summary.html`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import SafeString, mark_safe

from inspection.govuk_dates import PARTS, GovUKDateWidget, missing_parts, parts_of

TEMPLATES: dict[type, str] = {
    forms.RadioSelect: "govuk/radios.html",
    forms.CheckboxInput: "govuk/checkbox.html",
    forms.CheckboxSelectMultiple: "govuk/checkboxes.html",
    forms.Select: "govuk/select.html",
    forms.Textarea: "govuk/textarea.html",
    GovUKDateWidget: "govuk/date_input.html",
    forms.HiddenInput: "govuk/hidden.html",
}


FieldT = TypeVar("FieldT", bound=forms.Field)


def govuk(field: FieldT, **options) -> FieldT:
    """Attach GOV.UK presentation to a form field: legend_class or label_class, hint,
    inline, small, heading (the legend or label is the page's h1), rows, width,
    inputmode, autocapitalize, max_characters, group_class (radios); id and option_ids
    (the field's id and its choices' ids, when a page pins them). Returns the field."""
    setattr(field, "govuk", {**getattr(field, "govuk", {}), **options})  # noqa: B010
    return field


@dataclass(frozen=True)
class Option:
    """One choice of a radios, checkboxes or select field, as its template draws it."""

    id: str
    value: str
    label: str
    checked: bool
    hint: str = ""


def checkbox_items(name: str, options: Iterable[Option]) -> SafeString:
    """GOV.UK checkbox items for `govuk/checkboxes.html` and pages that group a field's
    choices under headings. Built here, not by a template loop: a set's inspector filter
    offers hundreds of choices, and the template engine takes about 40 µs an item.
    (`html.escape` is what Django's `escape` calls, without its lazy-string wrapper.)"""
    items = []
    name = html.escape(name)
    for option in options:
        ident = html.escape(option.id)
        described = f' aria-describedby="{ident}-item-hint"' if option.hint else ""
        checked = " checked" if option.checked else ""
        hint = (
            f'<div id="{ident}-item-hint" class="govuk-hint govuk-checkboxes__hint">'
            f"{html.escape(str(option.hint))}</div>"
            if option.hint
            else ""
        )
        items.append(
            '<div class="govuk-checkboxes__item">'
            f'<input class="govuk-checkboxes__input" id="{ident}" name="{name}" '
            f'type="checkbox" value="{html.escape(option.value)}"{described}{checked}>'
            f'<label class="govuk-label govuk-checkboxes__label" for="{ident}">'
            f"{html.escape(str(option.label))}</label>{hint}</div>"
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every text interpolated is escaped


class GovUKBoundField(BoundField):
    @property
    def auto_id(self) -> str:
        """The field's id: the form's (`id_<name>`), or the one its page pins (`id=`)."""
        return getattr(self.field, "govuk", {}).get("id") or super().auto_id

    @property
    def template_name(self) -> str:
        own = getattr(self.field, "template_name", None)  # Django 5's Field(template_name=)
        if own:
            return own
        for widget_class in type(self.field.widget).__mro__:
            if widget_class in TEMPLATES:
                return TEMPLATES[widget_class]
        return "govuk/input.html"

    @property
    def has_options(self) -> bool:
        return isinstance(self.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))

    def option_id(self, position: int) -> str:
        """The id of the field's `position`th choice, counting from 1.

        Radios number every choice (`id_<name>_1`, `id_<name>_2`, …): the answers page's
        Change links go to the first. Checkboxes give the first the field's own id, as a
        single checkbox has it.
        """
        return self._option_ids(position)[position - 1]

    def _option_ids(self, count: int) -> list[str]:
        """The ids of the first `count` choices (`option_id`), the field's id read once."""
        pinned = getattr(self.field, "govuk", {}).get("option_ids")
        if pinned:
            return list(pinned[:count])
        auto_id = self.auto_id
        ids = [f"{auto_id}_{position}" for position in range(1, count + 1)]
        if ids and isinstance(self.field.widget, forms.CheckboxSelectMultiple):
            ids[0] = auto_id
        return ids

    @property
    def is_date(self) -> bool:
        return isinstance(self.field.widget, GovUKDateWidget)

    def date_parts(self) -> list[dict]:
        """A date's day, month and year fields, each marked in error as GOV.UK asks: the
        parts left out when some are, every part when the date is not a real one."""
        value = self.value()
        parts = parts_of(value)
        # Only the fields can leave a part out; a single value in error is wrong whole.
        missing = missing_parts(parts) if self.errors and isinstance(value, list) else []
        if self.errors and len(missing) == len(PARTS):
            missing = []
        return [
            {
                "id": f"{self.auto_id}-{name}",
                "name": f"{self.html_name}-{name}",
                "label": name.capitalize(),
                "value": part,
                "width": "govuk-input--width-4" if name == "year" else "govuk-input--width-2",
                "error": bool(self.errors) and (not missing or name in missing),
            }
            for name, part in zip(PARTS, parts, strict=True)
        ]

    @property
    def error_anchor(self) -> str:
        """Where an error summary link for this field goes: its first input (a date's
        first part in error)."""
        if self.is_hidden:
            return "main-content"
        if self.is_date:
            in_error = [part for part in self.date_parts() if part["error"]]
            return (in_error or self.date_parts())[0]["id"]
        return self.option_id(1) if self.has_options else self.auto_id

    def options(self) -> list[Option]:
        """The choices with their ids and whether each is chosen, for the templates.

        Read from the choices and the value, not from Django's subwidgets: those build a
        widget per choice, and a set's inspector filter has a choice per inspector of
        every inspection (hundreds).
        """
        value = self.value()
        values = value if isinstance(value, (list, tuple)) else [value]
        chosen = {str(item) for item in values if item is not None}
        choices: list[tuple[Any, Any]] = list(getattr(self.field, "choices", ()))
        return [
            Option(ident, str(choice), label, str(choice) in chosen)
            for ident, (choice, label) in zip(self._option_ids(len(choices)), choices, strict=True)
        ]

    @property
    def checkbox_items(self) -> SafeString:
        return checkbox_items(self.html_name, self.options())

    def get_context(self) -> dict:
        options = getattr(self.field, "govuk", {})
        described_by = []
        extra = {}
        if options.get("max_characters"):
            described_by.append(f"{self.auto_id}-info")
            extra["max_characters_text"] = f"{options['max_characters']:,}"
        hint = options.get("hint", self.help_text)
        if hint:
            described_by.append(f"{self.auto_id}-hint")
        if self.errors:
            described_by.append(f"{self.auto_id}-error")
        widget = self.field.widget
        return {
            "field": self,
            "id": self.auto_id,
            "input_type": "password" if isinstance(widget, forms.PasswordInput) else "text",
            "autocomplete": widget.attrs.get("autocomplete", ""),
            "value": "" if self.value() is None else self.value(),
            "hint": hint,
            "described_by": " ".join(described_by),
            **{key: value for key, value in options.items() if key not in ("hint", "id")},
            **extra,
        }


class GovUKFormRenderer(TemplatesSetting):
    """Renders from the project's templates, where the GOV.UK field templates live."""

    form_template_name = "govuk/form.html"
    field_template_name = "govuk/input.html"


class GovUKFormMixin:
    bound_field_class: type[BoundField] | None = GovUKBoundField
    default_renderer: Any = GovUKFormRenderer

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary, in the order of the page: errors
        about the whole form (and its hidden fields) first, then each field's."""
        form = cast(forms.BaseForm, self)
        links = [("main-content", str(error)) for error in form.non_field_errors()]
        fields = [*form.hidden_fields(), *form.visible_fields()]
        for field in fields:
            anchor = cast(GovUKBoundField, field).error_anchor
            links.extend((anchor, str(error)) for error in field.errors)
        return links
