"""A case's progress has one definition (CaseProgress), which every surface reads."""

import ast
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from casereview.dashboards.breakdowns import inspector_progress
from casereview.dashboards.summary import case_counts
from casereview.entry.forms import MyCasesFilterForm
from casereview.models import Case, CaseProgress, CaseStatus
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# (status, version) -> the state people see
STATES = {
    "NEW": (CaseStatus.IN_PROGRESS, 0, CaseProgress.NOT_STARTED),
    "STARTED": (CaseStatus.IN_PROGRESS, 3, CaseProgress.IN_PROGRESS),
    "SENT": (CaseStatus.SUBMITTED, 4, CaseProgress.SUBMITTED),
    "BACK": (CaseStatus.RETURNED, 5, CaseProgress.RETURNED),
    "DONE": (CaseStatus.MODERATED, 6, CaseProgress.MODERATED),
    # A case returned before anyone saved it is returned, not "not started".
    "BACK-UNSAVED": (CaseStatus.RETURNED, 0, CaseProgress.RETURNED),
}


@pytest.fixture
def cases(inspection, inspector):
    made = {}
    for reference, (status, version, _) in STATES.items():
        case = CaseFactory(
            inspection=inspection, inspector=inspector, reference=reference, status=status
        )
        Case.objects.filter(pk=case.pk).update(version=version)
        made[reference] = Case.objects.get(pk=case.pk)
    return made


def test_a_case_and_the_database_agree_on_its_state(cases):
    for reference, (_, _, expected) in STATES.items():
        assert cases[reference].progress == expected
    for state in CaseProgress:
        in_database = set(Case.objects.in_progress_state(state).values_list("reference", flat=True))
        in_python = {ref for ref, case in cases.items() if case.progress == state}
        assert in_database == in_python, state


def test_counts_and_inspector_progress_count_each_state(inspection, cases):
    expected = {state.value: 0 for state in CaseProgress}
    for _, _, state in STATES.values():
        expected[state.value] += 1
    counts, _ = case_counts(cases=Case.objects.filter(inspection=inspection))
    assert {state.value: getattr(counts, state.value) for state in CaseProgress} == expected
    (row,) = inspector_progress(cases=Case.objects.filter(inspection=inspection))
    assert {state.value: getattr(row, state.value) for state in CaseProgress} == expected


def test_my_cases_offers_every_state_and_filters_by_it(client, inspector, cases):
    offered = [value for value, _ in MyCasesFilterForm.STATUS_CHOICES]
    assert offered == ["", *CaseProgress.values]
    client.force_login(inspector)
    for state in CaseProgress:
        page = client.get(reverse("casereview:my-cases"), {"status": state.value}).content
        shown = set(re.findall(r'href="/cases/\d+/(?:\?[^"]*)?">([^<]+)</a>', page.decode()))
        assert shown == {ref for ref, case in cases.items() if case.progress == state}, state


def test_the_status_tag_shows_the_state_label(cases):
    for case in cases.values():
        tag = render_to_string("casereview/_status_tag.html", {"case": case})
        assert re.fullmatch(
            rf'<strong class="govuk-tag[^"]*">{case.progress.label}</strong>\s*', tag
        )
        assert case.display_status == case.progress.label


def _written_out_elsewhere(path: Path) -> list[str]:
    """Filters on the version written by hand: the "not started" rule spelt again."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.keyword)
            and node.arg in {"version", "version__gt"}
            and isinstance(node.value, ast.Constant)
            and node.value.value == 0
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_not_started_is_decided_only_by_case_progress():
    modules = [p for p in (ROOT / "casereview").rglob("*.py") if "migrations" not in p.parts]
    modules = [p for p in modules if p != ROOT / "casereview" / "models.py"]
    assert modules
    assert [spot for path in modules for spot in _written_out_elsewhere(path)] == []
