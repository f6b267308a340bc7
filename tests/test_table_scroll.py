"""Every table of the service sits in its own scrolling region (`.app-table-scroll`), so a
wide table never makes the page scroll sideways on a small screen or at 200 % zoom. The
browser crawl (tests/browser/test_small_screens.py) measures the pages a role reaches;
this finds a table in any template, reached or not, including one that a template tag
builds (its `{% tag %}` counts as the table)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What comes before a table once template tags are gone: the region's opening.
WRAPPED = re.compile(
    r"""<div class="app-table-scroll[^"]*" role="region" aria-label="[^"]+" tabindex="0">\s*$"""
)
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)


def tags_building_tables() -> set[str]:
    names = set()
    for path in ROOT.glob("casereview/templatetags/*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(inner, ast.Constant)
                and isinstance(inner.value, str)
                and "<table" in inner.value
                for inner in ast.walk(node)
            ):
                names.add(node.name)
    return names


def test_every_table_is_in_a_scrolling_region():
    tags = tags_building_tables()
    assert "breakdown_table" in tags  # the tags were found
    built = re.compile(r"\{%\s*(?:" + "|".join(sorted(tags)) + r")\b.*?%\}")
    unwrapped, tables = [], 0
    for path in (ROOT / "templates").rglob("*.html"):
        if "admin" in path.relative_to(ROOT).parts:
            continue  # Django admin's own look
        text = TEMPLATE_TAG.sub("", built.sub("<table>", path.read_text(encoding="utf-8")))
        # A layout table (role="presentation": the report's print frame) holds no data.
        for match in re.finditer(r"<table\b(?![^>]*role=\"presentation\")", text):
            tables += 1
            if not WRAPPED.search(text[: match.start()]):
                line = text.count("\n", 0, match.start()) + 1
                unwrapped.append(f"{path.relative_to(ROOT)}:{line}")
    assert tables > 15  # the templates were found
    assert unwrapped == []
