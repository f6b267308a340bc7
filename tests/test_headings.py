"""Headings name the unit and the framework's title, never a slug or a framework code.

Every page about an inspection, walked from the URL resolver (the same walk and world as
tests/test_url_access.py): its <title>, <h1>, captions and breadcrumbs are read as text,
and neither the inspection's slug nor its framework's code may appear there. Addresses,
form values and data attributes may carry them: they are not read.
"""

import html
import re

import pytest

from tests.test_url_access import OWNERS, ROUTES, Route, url_for, world  # noqa: F401

pytestmark = pytest.mark.django_db

# The parts of a page that name it.
NAMING = {
    "title": re.compile(r"<title>(.*?)</title>", re.S),
    "h1": re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S),
    "caption": re.compile(
        r'<(span|p|div)\b[^>]*class="[^"]*govuk-caption-[^"]*"[^>]*>(.*?)</\1>'
        r"|<caption\b[^>]*>(.*?)</caption>",
        re.S,
    ),
    "breadcrumbs": re.compile(r'<nav class="govuk-breadcrumbs[^"]*"[^>]*>(.*?)</nav>', re.S),
}
TAG = re.compile(r"<[^>]+>")
SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
# Pages about an inspection: any address with an inspection, case, set or second marking.
SCOPED = {"slug", "pk", "case_pk", "set_slug"}


def visible_text(fragment: str) -> str:
    return html.unescape(" ".join(TAG.sub(" ", fragment).split()))


def naming_text(page: str) -> dict[str, list[str]]:
    found = {}
    for part, pattern in NAMING.items():
        texts = []
        for match in pattern.finditer(page):
            texts.append(visible_text(next(group for group in reversed(match.groups()) if group)))
        found[part] = texts
    return found


def scoped_routes() -> list[Route]:
    return [route for route in ROUTES if SCOPED & set(route.kwargs)]


EXPECTED = {
    "casereview:inspection-dashboard",
    "casereview:inspection-cases",
    "casereview:moderation",
    "casereview:consistency",
    "casereview:report-draft",
    "casereview:case-detail",
    "casereview:case-section",
    "casereview:saved-set-dashboard",
}


def test_the_walk_finds_the_inspection_pages():
    assert {route.name for route in scoped_routes()} >= EXPECTED


def test_the_reader_finds_each_part():
    page = (
        '<title>Dashboard – Walk PDU</title><span class="govuk-caption-l">Walk PDU</span>'
        '<h1 class="govuk-heading-l">Cases <span>of walk</span></h1>'
        '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb"><ol><li>'
        '<a href="/inspections/walk/">Walk PDU</a></li></ol></nav>'
        "<table><caption>Ratings &amp; score</caption></table>"
    )
    assert naming_text(page) == {
        "title": ["Dashboard – Walk PDU"],
        "h1": ["Cases of walk"],
        "caption": ["Walk PDU", "Ratings & score"],
        "breadcrumbs": ["Walk PDU"],
    }


def test_no_page_shows_a_slug_or_framework_code(client, world):  # noqa: F811
    """Stricter than the headings: nowhere in a page's visible text (home and the
    overview included), addresses and form values aside."""
    slug, code = world.inspection.slug, world.inspection.framework.code
    problems = []
    for route in ROUTES:
        client.force_login(getattr(world, OWNERS.get(route.name, "lead")))
        response = client.get(url_for(route, world))
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = SCRIPT.sub(" ", response.content.decode())
        text = visible_text(page)
        problems.extend((route.name, needle) for needle in (slug, code) if needle in text)
    assert problems == []


def test_no_heading_shows_a_slug_or_framework_code(client, world):  # noqa: F811
    slug, code = world.inspection.slug, world.inspection.framework.code
    pages, problems, read = set(), [], dict.fromkeys(NAMING, 0)
    for route in scoped_routes():
        client.force_login(getattr(world, OWNERS.get(route.name, "lead")))
        response = client.get(url_for(route, world))
        if response.status_code == 405 or "text/html" not in response.get("Content-Type", ""):
            continue  # a POST action or a download: no heading to read
        assert response.status_code == 200, route
        pages.add(route.name)
        parts = naming_text(response.content.decode())
        if not (parts["title"] and parts["h1"]):
            problems.append((route.name, "no title or no h1"))
        shown = [(part, text) for part, texts in parts.items() for text in texts]
        for part, _ in shown:
            read[part] += 1
        problems.extend(
            (route.name, part, text) for part, text in shown if slug in text or code in text
        )
        # The unit names the inspection wherever the page is about one.
        if "slug" in route.kwargs and not any(world.inspection.unit.name in t for _, t in shown):
            problems.append((route.name, "the unit is not named", shown))
    assert problems == []
    # Every page the walk finds was read, not only the few named above.
    assert len(pages) >= 20 and pages >= EXPECTED
    assert all(read.values()), read  # each kind of part was found and read somewhere
