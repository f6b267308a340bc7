"""The dashboard's charts as Chromium draws them: no band line crosses a value label."""

import os

import pytest
from django.core.management import call_command

from casereview.demo import PASSWORD
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# For each chart: every value label's drawn box, every band line and every bar, in the
# SVG's own units, and the visible lines (not under the label's bar) that cross a label.
CROSSINGS = """svg => {
  const lines = [...svg.querySelectorAll('line')].map(l => Number(l.getAttribute('x1')));
  const bars = [...svg.querySelectorAll('rect')].slice(1);
  const labels = [...svg.querySelectorAll('text.app-chart__value')];
  const crossings = [];
  labels.forEach((label, i) => {
    const box = label.getBBox();
    const barEnd = Number(bars[i].getAttribute('x')) + Number(bars[i].getAttribute('width'));
    const inside = label.hasAttribute('data-inside');
    if (inside && (box.x < Number(bars[i].getAttribute('x')) || box.x + box.width > barEnd)) {
      crossings.push(label.textContent + ' off its bar');
    }
    for (const x of lines) {
      const hidden = x + 1 <= barEnd;
      if (!hidden && box.x - 3.5 < x && x < box.x + box.width + 3.5) {
        crossings.push(label.textContent + ' crossed at ' + x);
      }
    }
  });
  return {labels: labels.length, crossings};
}"""


@pytest.fixture
def demo(db):
    call_command("load_demo", force=True, verbosity=0)


@pytest.mark.parametrize("slug", ["west-sussex-2023", "north-downs-2024"])
def test_no_band_line_crosses_a_drawn_value_label(page, live_server, demo, slug):
    sign_in(page, live_server, "lead", PASSWORD)
    page.goto(f"{live_server.url}/inspections/{slug}/")
    page.evaluate("document.fonts.ready")
    charts = page.locator("svg.app-chart__svg")
    assert charts.count() >= 4
    for index in range(charts.count()):
        found = charts.nth(index).evaluate(CROSSINGS)
        assert found["labels"] > 0
        assert found["crossings"] == [], found
    if os.environ.get("SCREENSHOTS"):
        charts.first.scroll_into_view_if_needed()
        page.locator(".app-chart").first.screenshot(path=f"{os.environ['SCREENSHOTS']}/{slug}.png")
