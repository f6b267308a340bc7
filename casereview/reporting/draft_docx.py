"""The report draft as a Word document, because reports are written and edited in Word.

The document holds what the draft page prints, from the same `ReportDraft` (so the same
countable cases and the same disclosure): the Ratings table with the seven ratings and
the score, each domain-two standard's key-question table with the lowest in bold, the
generated sentences, the recommendations and the progress on previous ones. Every page's
header carries the draft marking; its footer the protective marking and the page number.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from casereview.reporting.draft import ReportDraft, report_unit_name
from casereview.reporting.marking import DraftMarking
from casereview.templatetags.dashboard import percent_figure
from inspection.models import Inspection

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _page_number(paragraph) -> None:
    """A PAGE field: Word fills in each page's number."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _marking(document, inspection: Inspection, marking: DraftMarking) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(marking.protective_marking).bold = True
    status = section.header.add_paragraph()
    status.alignment = WD_ALIGN_PARAGRAPH.CENTER
    status.add_run(marking.status).bold = True
    running = section.header.add_paragraph(
        f"{report_unit_name(inspection)} – report draft – {marking.figures}"
    )
    running.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{marking.protective_marking} – {marking.status} – Page ")
    _page_number(footer)


def _table(document, header: list[str], rows: list[list[str]], *, bold_rows=frozenset()):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.paragraphs[0].add_run(text).bold = index in bold_rows
    return table


def _bullets(document, sentences) -> None:
    for sentence in sentences:
        document.add_paragraph(sentence, style="List Bullet")


def _judged_standard(document, item) -> None:
    standard = item.standard
    document.add_heading(f"{standard.code} {standard.title}", level=2)
    document.add_paragraph(f"{item.statement} Rating: {standard.rating_label}")
    judgement = standard.domain_one
    if judgement and judgement.rationale:
        document.add_paragraph(judgement.rationale)
    for label, text in (
        ("Strengths:", judgement.strengths if judgement else ""),
        ("Areas for improvement:", judgement.areas_for_improvement if judgement else ""),
    ):
        if text.strip():
            document.add_heading(label, level=3)
            _bullets(document, [line for line in text.splitlines() if line.strip()])


def _rated_standard(document, item) -> None:
    standard = item.standard
    document.add_heading(f"{standard.code}. {standard.title}", level=2)
    document.add_paragraph(f"{item.statement} Rating: {standard.rating_label}")
    if item.basis_sentence:
        document.add_paragraph(item.basis_sentence)
    key_questions = standard.key_questions
    _table(
        document,
        ["Key question", "Percentage 'Yes'"],
        [[figures.text, percent_figure(figures)] for figures in key_questions],
        bold_rows={i for i, figures in enumerate(key_questions) if figures.is_driving},
    )
    _bullets(document, [item.lowest] if item.lowest else [])
    _bullets(document, item.sentences)


def draft_document(draft: ReportDraft, *, inspection: Inspection, marking: DraftMarking) -> bytes:
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    _marking(document, inspection, marking)
    summary = draft.summary
    unit = draft.unit_name

    document.add_paragraph(draft.cover.heading)
    document.add_heading(unit, level=0)
    if draft.service_line:
        document.add_paragraph(draft.service_line)

    document.add_heading("Ratings", level=1)
    document.add_paragraph(f"Fieldwork started {inspection.fieldwork_start:%B %Y}")
    rows = [["", "Score", summary.score_display], ["", "Overall rating", summary.overall_label]]
    for number, title, standards in draft.ratings_by_domain:
        rows.append([f"{number}. {title}", "", ""])
        rows.extend([s.code, s.title, s.rating_label] for s in standards)
    _table(document, ["", "Standard", "Rating"], rows, bold_rows={0, 1})

    document.add_heading("Recommendations", level=1)
    if draft.recommendations:
        document.add_paragraph(f"{unit} should:")
        for recommendation in draft.recommendations:
            document.add_paragraph(recommendation.text, style="List Number")
    else:
        document.add_paragraph("No recommendations recorded yet.")

    for position, domain in enumerate(draft.domains):
        document.add_heading(f"{domain.number}. {domain.title}", level=1)
        if position == 0 and draft.oversight:
            document.add_paragraph(draft.oversight)
        for item in domain.standards:
            if item.is_judgement:
                _judged_standard(document, item)
            else:
                _rated_standard(document, item)
        if domain.outcomes:
            for standard in domain.reported:
                document.add_heading(f"{standard.code} {standard.title}", level=2)
            _bullets(document, domain.outcomes)

    document.add_heading("Progress on previous recommendations", level=1)
    if draft.previous_recommendations:
        _table(
            document,
            [
                "Previous recommendation",
                "Action taken and impact",
                "Categorisation",
                "Improvement still required?",
            ],
            [
                [
                    previous.text,
                    previous.action_and_impact,
                    previous.get_progress_display(),
                    "Yes" if previous.improvement_still_required else "No",
                ]
                for previous in draft.previous_recommendations
            ],
        )
    else:
        document.add_paragraph("No previous recommendations recorded yet.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
