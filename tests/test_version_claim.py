"""The version claim has one home: inspection/versions.py. No other module moves a
record's version by hand, and a bulk rewrite (evidence erasure) goes through it too."""

import ast
from pathlib import Path

import pytest

from casereview.lifecycle.erasure import erase_evidence
from casereview.models import Case, CaseStatus
from inspection.models import InspectionStatus
from inspection.versions import VersionConflict, claim_version
from tests.factories import CaseFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / "inspection" / "versions.py"


def _moves_a_version(source: str) -> list[int]:
    """Lines with `update(version=…)` or `version=F("version") + 1` in some call."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        update = isinstance(node.func, ast.Attribute) and node.func.attr == "update"
        for keyword in node.keywords:
            if keyword.arg == "version" and (update or isinstance(keyword.value, ast.BinOp)):
                found.append(node.lineno)
    return found


def test_the_scan_finds_a_version_moved_by_hand():
    assert _moves_a_version('rows.update(version=F("version") + 1)\n') == [1]
    assert _moves_a_version("x = 1\nrows.filter(version=2).update(version=3)\n") == [2]
    assert _moves_a_version('Case(version=F("version") + 1)\n') == [1]
    assert _moves_a_version("rows.filter(version=2)\ncase.version = 0\n") == []


def test_no_module_moves_a_version_outside_the_version_claim():
    modules = [
        path
        for package in ("casereview", "inspection", "config")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and path != HOME
    ]
    assert len(modules) > 50
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in modules
        for line in _moves_a_version(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.django_db
def test_erasure_moves_every_case_version_on_so_an_older_form_conflicts(inspection):
    case = CaseFactory(inspection=inspection, status=CaseStatus.SUBMITTED)
    Case.objects.filter(pk=case.pk).update(version=4)
    inspection.status = InspectionStatus.COMPLETE
    inspection.save()

    erase_evidence(inspection=inspection, user=UserFactory(), how="test")

    case = Case.objects.get(pk=case.pk)
    assert case.version == 5
    with pytest.raises(VersionConflict):
        claim_version(case, 4)
