"""Small display helpers for the dashboards: rating tags and percentage figures."""

import re
from html import escape  # the standard library's: these renderers call it thousands of times

from django import template
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from casereview.dashboards.summary import suppressed_words
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
    return RATING_TAG_CLASSES.get(rating or "", "govuk-tag--grey")


@register.filter
def rating_label(rating: str | None) -> str:
    return ratings.RATING_LABELS.get(rating or "", "Not yet rated")


@register.filter
def figure(counts) -> str:
    """A percentage with the counts behind it, as reports print it: "55% (16 of 29)"."""
    if counts.suppressed:
        return capfirst(suppressed_words())
    percent = counts.percent
    if percent is None:
        return "No relevant cases"
    return f"{percent}% ({counts.yes} of {counts.relevant})"


@register.filter
def prompt_figure(counts) -> str:
    """A prompt's Yes over its relevant cases: "16 of 29 (55%)"."""
    if counts.suppressed:
        return capfirst(suppressed_words())
    if not counts.relevant:
        return "No relevant cases"
    return f"{counts.yes} of {counts.relevant} ({counts.percent}%)"


@register.filter
def percent_figure(counts) -> str:
    """A bare percentage, "55%", as the report's tables print it."""
    if counts.suppressed:
        return capfirst(suppressed_words())
    return "–" if counts.percent is None else f"{counts.percent}%"


_NO_CASES = (
    '<td class="govuk-table__cell govuk-table__cell--numeric app-figure">'
    '<span aria-hidden="true">–</span><span class="govuk-visually-hidden">No relevant cases'
    "</span></td>"
)


def _caution() -> str:
    return (
        '<br><strong class="govuk-tag govuk-tag--orange app-caution">'
        f"{escape(capfirst(suppressed_words()))} – treat with caution</strong>"
    )


def _cell(cell) -> str:
    if cell.suppressed:
        return (
            '<td class="govuk-table__cell govuk-table__cell--numeric app-figure">'
            f"{escape(capfirst(suppressed_words()))}</td>"
        )
    if not cell.relevant:
        return _NO_CASES
    # Whole numbers only: nothing here needs escaping.
    return (
        '<td class="govuk-table__cell govuk-table__cell--numeric app-figure">'
        f'{cell.percent:d}%<br><span class="app-count">{cell.yes:d} of {cell.relevant:d}'
        "</span></td>"
    )


def _group_header(group) -> str:
    plural = "" if group.cases == 1 else "s"
    return (
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric" '
        f'data-group="{escape(group.value)}">{escape(group.label)}<br>'
        f'<span class="app-count">{group.cases:d} case{plural}</span>'
        f"{_caution() if group.is_small and not group.suppressed else ''}</th>"
    )


@register.simple_tag
def breakdown_table(breakdown) -> str:
    """One breakdown as a table: a row per key question, a column per group.

    Built in Python rather than a template: six of these tables hold most of the
    dashboard's cells, and the template engine would take most of the page's time.
    Every text value goes through `escape`; the numbers are formatted as integers.
    """
    head = "".join(_group_header(group) for group in breakdown.groups)
    rows = []
    for index, kq in enumerate(breakdown.key_questions):
        cells = "".join(_cell(group.cells[index]) for group in breakdown.groups)
        rows.append(
            f'<tr class="govuk-table__row" data-key-question="{escape(kq.code)}">'
            '<th scope="row" class="govuk-table__header app-table__row-header">'
            f'{escape(kq.code)} <span class="app-count">{escape(kq.text)}</span></th>'
            f"{cells}</tr>"
        )
    label = escape(breakdown.attribute.in_sentence)
    body = "\n".join(rows)
    return mark_safe(  # noqa: S308 - every interpolated text above is escaped
        '<table class="govuk-table app-table--compact app-breakdown">'
        '<caption class="govuk-table__caption govuk-table__caption--s">'
        f"Percentage 'Yes' by {label}</caption>"
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        f'<th scope="col" class="govuk-table__header">Key question</th>{head}</tr></thead>'
        f'<tbody class="govuk-table__body">{body}</tbody></table>'
    )


@register.filter
def dom_id(value) -> str:
    """A code such as 2.1.3 or case_type as part of an HTML id: 2-1-3, case-type."""
    return re.sub(r"[^A-Za-z0-9]+", "-", str(value)).strip("-").lower()


@register.simple_tag
def rating_cells(standards) -> str:
    """One table cell per standard with its rating tag, for the overview's many rows."""
    cells = []
    for standard in standards:
        css = RATING_TAG_CLASSES.get(standard.rating, "govuk-tag--grey")
        label = standard.rating_label
        cells.append(
            f'<td class="govuk-table__cell"><strong class="govuk-tag {css} app-tag--compact" '
            f'data-rating="{escape(standard.code)}">{escape(label)}</strong></td>'
        )
    return mark_safe("".join(cells))  # noqa: S308 - the code and label are escaped


def _figure_text(counts) -> str:
    return escape(figure(counts))


@register.simple_tag
def comparison_rows(comparison) -> str:
    """The PDU comparison's body: a row per inspection of the set, each with its ratings
    and a cell per rated key question, marked where it is below the set's figure.

    Built in Python for the same reason as `breakdown_table`: a national set has a row
    per inspection, hundreds of them, each with a dozen cells.
    """
    rows = []
    for line in comparison:
        row = line.row
        inspection = row.inspection
        score = -1 if row.overall.withheld else row.overall.score
        cells = []
        for cell in line.cells:
            figures = cell.figures
            percent = figures.percent
            value = -1 if percent is None or figures.suppressed else percent
            below = (
                '<br><strong class="govuk-tag govuk-tag--orange app-tag--compact">'
                "Below the set</strong>"
                if cell.below
                else ""
            )
            cells.append(
                '<td class="govuk-table__cell govuk-table__cell--numeric app-figure" '
                f'data-sort-value="{value:d}"{" data-below" if cell.below else ""}>'
                f"{_figure_text(figures)}{below}</td>"
            )
        rows.append(
            f'<tr class="govuk-table__row" data-inspection="{escape(inspection.slug)}">'
            '<th scope="row" class="govuk-table__header app-table__row-header">'
            f'<a class="govuk-link" href="{escape(inspection.get_absolute_url())}">'
            f"{escape(inspection.unit.name)}</a><br>"
            f'<span class="app-count">{escape(date_format(inspection.fieldwork_start, "j M Y"))}'
            "</span></th>"
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{row.cases_counted:d}</td>'
            f'<td class="govuk-table__cell" data-sort-value="{score:d}">'
            f'<span class="app-figure" data-score>{escape(row.score_display)}</span></td>'
            f"{rating_cells(row.standards)}{''.join(cells)}</tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every text interpolated is escaped
