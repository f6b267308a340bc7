"""Layering: inspection/ (framework, units, inspections, the pure engine) never imports
casereview/, which builds on it."""

import ast
from pathlib import Path

INSPECTION = Path(__file__).resolve().parent.parent / "inspection"


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_check_sees_every_form_of_import(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "import casereview.models\n"
        "from casereview import selectors\n"
        "def later():\n"
        "    from casereview.importing import import_cases\n"
        "from . import ratings\n"
    )

    names = imported_modules(module)

    assert "casereview.models" in names
    assert "casereview.selectors" in names
    assert "casereview.importing" in names
    assert not [name for name in names if "ratings" in name]  # relative: stays inside


def test_no_module_under_inspection_imports_casereview():
    modules = sorted(INSPECTION.rglob("*.py"))
    assert len(modules) > 10  # the package was found

    offenders = {
        str(path.relative_to(INSPECTION.parent)): name
        for path in modules
        for name in imported_modules(path)
        if name == "casereview" or name.startswith("casereview.")
    }

    assert offenders == {}


def test_the_engine_is_pure():
    """ratings.py has no database: it imports nothing from Django."""
    names = imported_modules(INSPECTION / "ratings.py")
    assert not [name for name in names if name.startswith("django")]
