"""The dashboard's plotly charts draw the org's real figures, in a real browser."""

from __future__ import annotations

import pytest

from tests.support.browser import BOTH_SIZES, console_errors, open_as, screenshot


@pytest.mark.browser
@BOTH_SIZES
def test_charts_render_with_the_orgs_numbers(live_server, new_page, make, size):
    owner, org = make.org_with_figures("Chart Co", spent_in=("Studio rent", "Coffee beans"))
    page = open_as(new_page(size), owner, f"/o/{org.slug}/")
    page.wait_for_selector("#chart-spending .main-svg")
    page.wait_for_selector("#chart-monthly .main-svg")

    # The donut has one slice per category, labelled with our categories.
    slices = page.locator("#chart-spending path.surface")
    assert slices.count() == 2
    pie = page.evaluate(
        "() => { const d = document.getElementById('chart-spending').data[0];"
        " return {labels: d.labels, values: d.values}; }"
    )
    assert dict(zip(pie["labels"], pie["values"], strict=True)) == {
        "Studio rent": 700.0,
        "Coffee beans": 123.45,
    }
    # The bar chart carries this month's income and expense in its last bars.
    bars = page.evaluate(
        "() => document.getElementById('chart-monthly').data.map(t => [t.name, t.y.at(-1)])"
    )
    assert bars == [["Income", 2500.0], ["Expenses", 823.45]]
    assert page.locator("#chart-monthly g.point").count() >= 2
    assert page.locator("[data-testid=balance-all]").inner_text().startswith("€1,676.55")
    screenshot(page, f"dashboard-charts-{size['width']}")
    assert console_errors(page) == []


PLOTLY_ENTRY = """() => performance.getEntriesByType('resource')
  .filter(e => /\\/vendor\\/plotly-[0-9a-f]+\\.min\\.js$/.test(e.name))
  .map(e => ({transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize}))
  .at(-1) || null"""


@pytest.mark.browser
@BOTH_SIZES
def test_plotly_arrives_compressed_once_and_then_comes_from_the_cache(new_page, make, size):
    """Issue 11.11 as the browser sees it: the first dashboard fetches plotly's basic bundle
    gzip-compressed, and the next dashboard takes it from the cache without asking."""
    owner, org = make.org_with_figures("Cache Co", spent_in=("Shop lease", "Tea leaves"))
    page = open_as(new_page(size), owner, f"/o/{org.slug}/")
    page.wait_for_selector("#chart-monthly .main-svg", timeout=30_000)
    first = page.evaluate(PLOTLY_ENTRY)
    assert first is not None, "the dashboard fetched no plotly"
    # The basic bundle (1.1 MB, not the full 4.8 MB one), sent compressed (about 0.37 MB).
    assert 1_000_000 < first["decoded"] < 1_500_000, first
    assert 0 < first["encoded"] < 450_000, first
    page.goto(f"/o/{org.slug}/transactions")
    page.goto(f"/o/{org.slug}/")
    page.wait_for_selector("#chart-monthly .main-svg", timeout=30_000)
    again = page.evaluate(PLOTLY_ENTRY)
    assert again is not None and again["transfer"] == 0, again  # from the cache, no request
    screenshot(page, f"dashboard-plotly-cached-{size['width']}")
    assert console_errors(page) == []
