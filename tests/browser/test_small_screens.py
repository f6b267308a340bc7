"""No page scrolls sideways on a small screen (375 px wide, as a phone, or a desktop at
200 % zoom): wide tables scroll inside their own container. Each role's pages are found
by following links from home, so a page added later is crawled without listing it here;
one page per kind of address (its URL name and query keys) keeps the crawl short."""

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from casereview.demo import PASSWORD
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 375
# A 1280 px window at 200 % zoom lays pages out in 640 CSS px (device_scale_factor is not
# zoom: it keeps the layout width and only sharpens the pixels).
ZOOMED_WIDTH = 1280 // 2
# Downloads, and what is not a page of the service.
SKIP_PREFIXES = ("/admin/", "/static/", "/sign-out/")
PER_KIND = 3
EVERY = {"casereview:case-detail"}
# A download is any address ending in a file name (workbook.xlsx, cases.csv, draft.docx,
# summary.json): whatever download is added later, the crawl does not open it as a page.
DOWNLOAD = re.compile(r"/[^/]+\.[a-z]+$")


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, verbosity=0)


def page_of_width(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def small_page(browser):
    context, page = page_of_width(browser, WIDTH)
    yield page
    context.close()


@pytest.fixture
def zoomed_page(browser):
    context, page = page_of_width(browser, ZOOMED_WIDTH)
    yield page
    context.close()


def kind_of(path: str, query: str):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if DOWNLOAD.search(path) or path.startswith(SKIP_PREFIXES):
        return None
    return match.view_name, frozenset(name for name, _ in parse_qsl(query))


# The scrolling regions are landmarks: each must be named apart from the page's others,
# and reachable from the keyboard.
REGION_RULES = {
    "resultTypes": ["violations"],
    "runOnly": ["landmark-unique", "scrollable-region-focusable"],
}


def assert_regions_are_distinct(page, url):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=REGION_RULES)
    assert results.response["violations"] == [], f"{url}: {results.generate_report()}"


def crawl(page, origin: str):
    """Yield (url, URL name, scroll width) of the pages reachable from home by links: up to
    PER_KIND of each kind of address, the least visited kind first, so that every kind is
    reached before any is visited again; every case page (EVERY), since what a case page
    links to depends on the case's status (a submitted case offers no section links)."""
    queue: dict[tuple, list[str]] = {}
    visits: dict[tuple, int] = {}
    seen: set[str] = set()

    def offer(url):
        parts = urlsplit(url)
        kind = kind_of(parts.path, parts.query)
        if kind is not None and url not in seen:
            seen.add(url)
            queue.setdefault(kind, []).append(url)

    offer(f"{origin}/")
    while True:
        waiting = [
            kind
            for kind, urls in queue.items()
            if urls and (kind[0] in EVERY or visits.get(kind, 0) < PER_KIND)
        ]
        if not waiting:
            return
        kind = min(waiting, key=lambda kind: visits.get(kind, 0))
        visits[kind] = visits.get(kind, 0) + 1
        url = queue[kind].pop(0)
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        yield url, kind[0], page.evaluate("document.scrollingElement.scrollWidth")
        assert_regions_are_distinct(page, url)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = urlsplit(urljoin(url, href))
            if f"{target.scheme}://{target.netloc}" == origin:
                offer(target._replace(fragment="").geturl())


# What each role's crawl must reach, so that a crawl cut short cannot pass.
REACHED = {
    "inspector": {"casereview:my-cases", "casereview:case-section", "casereview:case-check"},
    "inspector2": {"casereview:second-marking-list", "casereview:case-detail"},
    "lead": {
        "casereview:case-detail",
        "casereview:moderation",
        "casereview:consistency",
        "casereview:recommendations",
        "casereview:report-draft",
        "casereview:key-question-no",
    },
    "viewer": {"casereview:overview", "casereview:inspection-dashboard"},
}


def assert_no_page_scrolls_sideways(page, live_server, username, width):
    sign_in(page, live_server, username, PASSWORD)
    pages = list(crawl(page, live_server.url))
    assert REACHED[username] <= {name for _, name, _ in pages}
    inner = page.evaluate("innerWidth")
    assert inner == width
    overflowing = {url: scrolled for url, _, scrolled in pages if scrolled > inner}
    assert overflowing == {}, f"wider than {inner} px"


@pytest.mark.parametrize("username", sorted(REACHED))
def test_no_page_scrolls_sideways_at_375_px(small_page, live_server, demo, username):
    assert_no_page_scrolls_sideways(small_page, live_server, username, WIDTH)


@pytest.mark.parametrize("username", sorted(REACHED))
def test_no_page_scrolls_sideways_at_200_percent_zoom(zoomed_page, live_server, demo, username):
    assert_no_page_scrolls_sideways(zoomed_page, live_server, username, ZOOMED_WIDTH)


def test_my_cases_keeps_the_status_in_view_at_375_px(small_page, live_server, demo):
    sign_in(small_page, live_server, "inspector", PASSWORD)
    small_page.goto(f"{live_server.url}/my-cases/")
    status = small_page.locator("tbody tr").first.locator("td").nth(1)
    box = status.bounding_box()
    assert box is not None and box["x"] + box["width"] <= WIDTH
    assert status.locator(".govuk-tag").count() == 1
