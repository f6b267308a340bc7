"""The report draft on paper: Chromium's print to PDF, read back page by page.

Every page must carry the protective marking, DRAFT (and PROVISIONAL mid-fieldwork), the
time of the figures, "N of M cases counted" and its page number; the PNGs of the pages
are kept under REPORT_PRINT_DIR when it is set, for a person to look at.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document
from playwright.sync_api import expect

from casereview.models import Case, CaseStatus
from inspection.models import Inspection, InspectionStatus
from tests.browser.conftest import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "demo-password-2024"
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, verbosity=0)


def _pages(pdf: Path) -> list[str]:
    assert PDFTOTEXT, "pdftotext is needed: apt-get install -y poppler-utils (make browser)"
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def _print(page, live_server, slug, tmp_path) -> list[str]:
    sign_in(page, live_server, "lead", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inspections/{slug}/report/")
    pdf = tmp_path / f"{slug}.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    keep = os.environ.get("REPORT_PRINT_DIR")
    if keep and shutil.which("pdftoppm"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), f"{keep}/{slug}"], check=True)
    return _pages(pdf)


def test_every_printed_page_of_a_mid_fieldwork_draft_says_draft_provisional_and_counts(
    page, live_server, demo, tmp_path
):
    inspection = Inspection.objects.get(slug="west-sussex-2023")
    inspection.status = InspectionStatus.FIELDWORK
    inspection.save()
    # Mid-fieldwork: some of the sample not yet submitted.
    opened = list(Case.objects.filter(inspection=inspection).order_by("reference")[:4])
    Case.objects.filter(pk__in=[c.pk for c in opened]).update(status=CaseStatus.IN_PROGRESS)
    total = Case.objects.filter(inspection=inspection).count()
    counted = Case.objects.filter(inspection=inspection).counted().count()
    assert counted < total

    pages = _print(page, live_server, inspection.slug, tmp_path)

    assert len(pages) > 3
    for number, text in enumerate(pages, start=1):
        where = f"page {number}"
        assert text.count("OFFICIAL-SENSITIVE") >= 2, where  # at the top and the foot
        assert "DRAFT – PROVISIONAL" in text, where
        assert f"{counted} of {total} cases counted" in text, where
        assert re.search(r"Figures at \d{1,2} \w+ \d{4}, \d\d:\d\d", text), where
        assert f"Page {number} of {len(pages)}" in text, where
        assert "West Sussex PDU – report draft" in text, where


def test_a_complete_inspection_prints_draft_but_not_provisional(
    page, live_server, demo, tmp_path, settings
):
    settings.PROTECTIVE_MARKING = "OFFICIAL"
    inspection = Inspection.objects.get(slug="west-sussex-2023")
    inspection.status = InspectionStatus.COMPLETE
    inspection.save()

    pages = _print(page, live_server, inspection.slug, tmp_path)

    for number, text in enumerate(pages, start=1):
        assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text, number
        assert "DRAFT" in text and "PROVISIONAL" not in text, number
        assert f"Page {number} of {len(pages)}" in text, number


def test_the_draft_page_downloads_as_word_and_has_no_axe_violations(page, live_server, demo):
    sign_in(page, live_server, "viewer", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inspections/west-sussex-2023/report/")
    marking = page.locator("[data-draft-marking]")
    expect(marking).to_contain_text("OFFICIAL-SENSITIVE")
    expect(marking).to_contain_text("cases counted")
    assert_no_axe_violations(page)
    keep = os.environ.get("REPORT_PRINT_DIR")
    if keep:
        page.screenshot(path=f"{keep}/screen.png")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the draft as a Word document (.docx)").click()
    assert download.value.suggested_filename == "west-sussex-2023-report-draft.docx"
    document = Document(download.value.path())
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert "OFFICIAL-SENSITIVE" in header and "DRAFT" in header
    cells = {cell.text for row in document.tables[0].rows for cell in row.cells}
    assert {"02/21", "Inadequate", "Requires improvement"} <= cells
