"""Every table of the service sits in its own scrolling region (`.app-table-scroll`), so a
wide table never makes the page scroll sideways on a small screen or at 200 % zoom. The
browser crawl (tests/browser/test_small_screens.py) measures the pages a role reaches;
this finds a table in any template or tag, reached or not."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What comes before a table, skipping template tags and whitespace: the region's opening.
WRAPPED = re.compile(
    r"""<div class="app-table-scroll[^"]*" role="region" aria-label="[^"]+" tabindex="0">\s*"""
    r"""(?:'\s*')?$"""  # in a tag's Python, the next string literal
)
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)


def sources():
    yield from (p for p in (ROOT / "templates").rglob("*.html") if "admin" not in p.parts)
    yield from (ROOT / "casereview").rglob("templatetags/*.py")


def test_every_table_is_in_a_scrolling_region():
    unwrapped, tables = [], 0
    for path in sources():
        text = TEMPLATE_TAG.sub("", path.read_text(encoding="utf-8"))
        for match in re.finditer(r"<table\b", text):
            tables += 1
            before = text[: match.start()]
            if not WRAPPED.search(before):
                line = text.count("\n", 0, match.start()) + 1
                unwrapped.append(f"{path.relative_to(ROOT)}:{line}")
    assert tables > 15  # the templates were found
    assert unwrapped == []
