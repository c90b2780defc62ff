"""Every HTML page of the app, walked in a real browser at a phone's and a desktop's width, in
light and dark mode: nothing sticks out sideways (375 px is the narrowest phone we support),
and axe-core finds no WCAG 2.1 A/AA violation.

The pages come from `app.url_map` (tests/support/pages.py), walked as the owner of an org with
data on every page, a 200-character description without spaces among it; public pages are
walked by an anonymous visitor. A screenshot of each page lands in test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.walk import AXE, Visitors, axe_violations, overflow, visitors
from tests.support.browser import DESKTOP, PHONE, screenshot
from tests.support.factories import Factory
from tests.support.pages import Page, pages, seed

MIN_PAGES = 14  # the count of main pages; the walk finds more


@pytest.fixture(scope="module")
def site(live_server) -> tuple[object, list[Page]]:
    make = Factory(live_server.app)
    seeded = seed(live_server.app, make)
    return seeded, pages(live_server.app, make, seeded)


@pytest.fixture(scope="module")
def people(browser, live_server) -> Iterator[Visitors]:
    with visitors(browser, live_server.url) as opened:
        yield opened


def walk(people: Visitors, site, viewport, scheme: str, label: str) -> tuple[int, list[str]]:
    """Open every page; returns how many distinct pages were seen and the problems found."""
    seeded, found = site
    seen: set[str] = set()
    problems: list[str] = []
    for entry in found:
        page = people.page(viewport, scheme, seeded.owner if entry.signed_in else None)
        try:
            response = page.goto(entry.path, wait_until="domcontentloaded")
        except PlaywrightError as exc:
            if "Download is starting" in str(exc):
                continue  # a file (an export, a receipt): not a page to lay out
            raise
        assert response is not None, entry.path
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        landed = page.url.split("?")[0]
        if landed in seen:
            continue  # a redirect to a page already walked
        seen.add(landed)
        page.wait_for_load_state("load", timeout=30_000)  # the dashboard's plotly
        where = f"{entry.endpoint} {entry.path}"
        problems += [f"{where}: sticks out: {what}" for what in overflow(page)]
        problems += [f"{where}: axe {line}" for line in axe_violations(page)]
        screenshot(page, f"walk-{label}-{entry.endpoint}")
    return len(seen), problems


@pytest.mark.browser
@pytest.mark.parametrize(
    ("viewport", "scheme"),
    [(PHONE, "light"), (PHONE, "dark"), (DESKTOP, "light"), (DESKTOP, "dark")],
    ids=["375-light", "375-dark", "1280-light", "1280-dark"],
)
def test_every_page_fits_the_screen_and_passes_axe(people, site, viewport, scheme):
    assert AXE.exists(), "axe-core is missing: run `make axe`"
    label = f"{viewport['width']}-{scheme}"
    count, problems = walk(people, site, viewport, scheme, label)
    assert count >= MIN_PAGES
    assert problems == [], "\n".join(problems)
