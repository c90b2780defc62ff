"""When the analytics portal is not running, the Analytics page says so (and only then: under
a working portal the notice stays hidden, tests/e2e/test_portal_embed.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, serve_live
from tests.support.browser import BOTH_SIZES, log_in, screenshot
from tests.support.factories import PASSWORD
from tests.support.portal import free_port


@pytest.fixture(scope="module")
def live_server(app_factory) -> Iterator[LiveServer]:
    """The app framing a portal URL where nothing listens."""
    dead = f"http://127.0.0.1:{free_port()}/portal"
    with serve_live(app_factory, OUTLAY_PORTAL_URL=dead) as server:
        yield server


@pytest.mark.browser
@BOTH_SIZES
def test_a_portal_that_is_not_running_is_reported(new_page, make, size):
    owner = make.user()
    org = make.org(owner)
    page = new_page(size)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/o/{org.slug}/analytics")
    notice = page.get_by_test_id("portal-fallback")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("not running or could not be reached")
    expect(notice.get_by_role("link", name="Try again")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"portal-unreachable-{size['width']}")
