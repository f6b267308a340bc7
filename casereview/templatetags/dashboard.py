"""Small display helpers for the dashboards: rating tags and percentage figures."""

import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from inspection import ratings

register = template.Library()

# Colour helps but never carries the meaning alone: the tag always says the rating.
RATING_TAG_CLASSES = {
    ratings.OUTSTANDING: "govuk-tag--green",
    ratings.GOOD: "govuk-tag--turquoise",
    ratings.REQUIRES_IMPROVEMENT: "govuk-tag--yellow",
    ratings.INADEQUATE: "govuk-tag--red",
}


@register.filter
def rating_tag_class(rating: str | None) -> str:
    return RATING_TAG_CLASSES.get(rating, "govuk-tag--grey")


@register.filter
def rating_label(rating: str | None) -> str:
    return ratings.RATING_LABELS.get(rating, "Not yet rated")


@register.filter
def figure(counts) -> str:
    """A percentage with the counts behind it, as reports print it: "55% (16 of 29)"."""
    if counts.percent is None:
        return "No relevant cases"
    return f"{counts.percent}% ({counts.yes} of {counts.relevant})"


def _cell(cell) -> str:
    if not cell.relevant:
        return format_html(
            '<td class="govuk-table__cell govuk-table__cell--numeric app-figure">'
            '<span aria-hidden="true">–</span>'
            '<span class="govuk-visually-hidden">No relevant cases</span></td>'
        )
    return format_html(
        '<td class="govuk-table__cell govuk-table__cell--numeric app-figure">{}%<br>'
        '<span class="app-count">{} of {}</span></td>',
        cell.percent,
        cell.yes,
        cell.relevant,
    )


def _group_header(group) -> str:
    caution = (
        '<br><strong class="govuk-tag govuk-tag--orange app-caution">'
        "Fewer than 5 cases – treat with caution</strong>"
        if group.is_small
        else ""
    )
    return format_html(
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric" '
        'data-group="{}">{}<br><span class="app-count">{} case{}</span>{}</th>',
        group.value,
        group.label,
        group.cases,
        "" if group.cases == 1 else "s",
        mark_safe(caution),  # noqa: S308 - a constant
    )


@register.simple_tag
def breakdown_table(breakdown) -> str:
    """One breakdown as a table: a row per key question, a column per group.

    Built in Python rather than a template: six of these tables hold most of the
    dashboard's cells, and the template engine would take most of the page's time.
    """
    label = breakdown.attribute.label.lower()
    head = format_html_join("", "{}", ((_group_header(group),) for group in breakdown.groups))
    body = format_html_join(
        "\n",
        '<tr class="govuk-table__row" data-key-question="{}">'
        '<th scope="row" class="govuk-table__header app-table__row-header">'
        '{} <span class="app-count">{}</span></th>{}</tr>',
        (
            (row.code, row.code, row.text, mark_safe("".join(_cell(c) for c in row.cells)))  # noqa: S308
            for row in breakdown.rows
        ),
    )
    return format_html(
        '<table class="govuk-table app-table--compact app-breakdown">'
        '<caption class="govuk-table__caption govuk-table__caption--s">'
        "Percentage 'Yes' by {}</caption>"
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">Key question</th>{}</tr></thead>'
        '<tbody class="govuk-table__body">{}</tbody></table>',
        label,
        head,
        body,
    )


@register.filter
def dom_id(value) -> str:
    """A code such as 2.1.3 or case_type as part of an HTML id: 2-1-3, case-type."""
    return re.sub(r"[^A-Za-z0-9]+", "-", str(value)).strip("-").lower()
