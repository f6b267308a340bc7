"""Layering: inspection/ (framework, units, inspections, the pure engine) never reaches
casereview/, which builds on it: no import, no include("casereview.urls"), no URL name or
other string naming it. config/ (settings, root URLs, the site shell) puts the two together;
it is no app, and neither app imports it (settings are read through django.conf)."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
INSPECTION = ROOT / "inspection"
CASEREVIEW = ROOT / "casereview"


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


def strings_naming(path: Path, word: str) -> list[str]:
    """Every string in the module that contains `word`: include("casereview.urls"),
    reverse("casereview:…"), a dotted path in a setting, a docstring naming it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and word in node.value
    ]


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


def test_the_check_sees_strings_that_name_a_module(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "from django.urls import include, path, reverse\n"
        'urlpatterns = [path("", include("casereview.urls"))]\n'
        "def url(inspection):\n"
        '    return reverse("casereview:inspection-dashboard", args=[inspection.slug])\n'
        'HELP = f"see {1} in casereview"\n'
        "# a comment about casereview is not code\n"
    )

    found = strings_naming(module, "casereview")

    assert "casereview.urls" in found
    assert "casereview:inspection-dashboard" in found
    assert " in casereview" in found
    assert len(found) == 3


def test_no_module_under_inspection_names_casereview():
    """Migrations included: a dependency on casereview's would be a reach too."""
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in sorted(INSPECTION.rglob("*.py"))
        if (found := strings_naming(path, "casereview"))
    }

    assert offenders == {}


def test_the_apps_are_installed_in_layer_order_and_config_is_no_app():
    apps = settings.INSTALLED_APPS
    assert apps.count("inspection") == 1
    assert apps.count("casereview") == 1
    assert apps.index("inspection") < apps.index("casereview")
    assert not [app for app in apps if app == "config" or app.startswith("config.")]


def test_neither_app_imports_config():
    modules = sorted([*INSPECTION.rglob("*.py"), *CASEREVIEW.rglob("*.py")])
    assert len(modules) > 40  # both packages were found

    offenders = {
        str(path.relative_to(ROOT)): name
        for path in modules
        for name in [*imported_modules(path), *strings_naming(path, "config.")]
        if name == "config" or name.startswith("config.")
    }

    assert offenders == {}


def test_dashboards_never_import_transfer():
    """transfer/ (the workbook, the exports) builds on dashboards/ (the figures), never
    the reverse: a set's workbook view lives in transfer/, beside the inspection's."""
    dashboards = CASEREVIEW / "dashboards"
    modules = sorted(dashboards.rglob("*.py"))
    assert len(modules) > 10  # the package was found

    offenders = {
        str(path.relative_to(ROOT)): name
        for path in modules
        for name in [*imported_modules(path), *strings_naming(path, "casereview.transfer")]
        if name == "casereview.transfer" or name.startswith("casereview.transfer.")
    }

    assert offenders == {}
