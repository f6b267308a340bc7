"""One access path: the views ask casereview/access.py and inspection/access.py who may
do what, and decide nothing themselves. A view module that refuses on its own (raises
PermissionDenied, or Http404 other than for a lookup that found nothing) or reads the
team or lead rules directly fails here; the rules themselves are tested through every
URL in tests/test_url_access.py."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What only the access modules may use: the refusal, and the rules (model methods and
# QuerySets) that the access functions are made of.
REFUSAL = "PermissionDenied"
RULES = {
    "is_lead",
    "memberships",
    "editable_by",
    "led_by",
    "visible_to",
    "on_team_of",
    "assigned_to",
}


def side_doors(source: str) -> list[str]:
    """Where the module decides access itself, as "line: what", in line order."""
    tree = ast.parse(source)
    lookups = {
        id(node)
        for handler in ast.walk(tree)
        if isinstance(handler, ast.ExceptHandler)
        for statement in handler.body
        for node in ast.walk(statement)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == REFUSAL:
            found.append((node.lineno, REFUSAL))
        elif isinstance(node, ast.Attribute) and node.attr in RULES:
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.Raise) and id(node) not in lookups:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(raised, ast.Name) and raised.id == "Http404":
                found.append((node.lineno, "Http404 outside a failed lookup"))
    return [f"{line}: {what}" for line, what in sorted(found)]


def view_modules() -> list[Path]:
    capabilities = (ROOT / "casereview").glob("**/views*.py")
    return sorted([*capabilities, *(ROOT / "config").glob("views*.py")])


def test_the_scan_sees_each_kind_of_side_door():
    source = (
        "def page(request, inspection):\n"
        "    if not inspection.is_lead(request.user):\n"
        "        raise PermissionDenied('no')\n"
        "    if not inspection.memberships.filter(user=request.user).exists():\n"
        "        raise Http404('No such page')\n"
        "    is_lead = True  # a local name is no rule\n"
        "    try:\n"
        "        thing = Thing.objects.get(pk=1)\n"
        "    except Thing.DoesNotExist:\n"
        "        raise Http404('No such thing') from None\n"
    )
    assert side_doors(source) == [
        "2: is_lead",
        "3: PermissionDenied",
        "4: memberships",
        "5: Http404 outside a failed lookup",
    ]


def test_no_view_module_decides_access_itself():
    modules = view_modules()
    assert len(modules) >= 7  # every capability's views, and the site shell's, were found
    found = {
        str(path.relative_to(ROOT)): doors
        for path in modules
        if (doors := side_doors(path.read_text(encoding="utf-8")))
    }
    assert found == {}
