"""The Analytics page shows the real Streamlit portal, signed in by the page's token."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from playwright.sync_api import FrameLocator, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import LiveServer, serve_live
from tests.support.browser import (
    BOTH_SIZES,
    DESKTOP,
    PHONE,
    console_errors,
    log_in,
    open_as,
    open_nav,
    screenshot,
)
from tests.support.factories import PASSWORD
from tests.support.portal import free_port, start_portal, stop, wait_healthy

# One worker runs this module under xdist: its Streamlit portal (a module fixture, ~10 s to
# start) then starts once, not once on each worker that draws one of these tests.
pytestmark = pytest.mark.xdist_group("portal-embed")
FRAME = "iframe[title='Outlay analytics']"
PORTAL_SECONDS = 45_000  # ms: first render of a Streamlit page, cold caches


@pytest.fixture(scope="module")
def portal_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def live_server(app_factory, portal_port: int) -> Iterator[LiveServer]:
    """This module's app frames the portal on its own loopback port."""
    with serve_live(app_factory, OUTLAY_PORTAL_URL=f"http://127.0.0.1:{portal_port}/portal") as s:
        yield s


@pytest.fixture(scope="module")
def portal(live_server, owner_url, redis_url, portal_port, tmp_path_factory) -> Iterator[str]:
    """`streamlit run` on the test database and Redis, with the web app's secret."""
    folder = tmp_path_factory.mktemp("portal")
    config = live_server.app.config
    env = {
        **os.environ,
        "DATABASE_URL": owner_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": config["SECRET_KEY"],
        "OUTLAY_QUEUE_PREFIX": config["OUTLAY_QUEUE_PREFIX"],
        "OUTLAY_INSTANCE": str(folder / "instance"),
    }
    log = folder / "portal.log"
    proc = start_portal(portal_port, env, log)
    try:
        wait_healthy(portal_port, proc, log)
        yield f"http://127.0.0.1:{portal_port}/portal"
    finally:
        stop(proc)


def amounts(texts: list[str]) -> set[Decimal]:
    """The figures in the metric values, sign and currency symbols aside."""
    found = set()
    for value in texts:
        if match := re.search(r"\d[\d,]*(?:\.\d+)?", value):
            found.add(Decimal(match.group(0).replace(",", "")))
    return found


def overview_kpis(frame: FrameLocator) -> list[str]:
    """The Overview's KPI values, once Streamlit has drawn all four."""
    metrics = frame.locator("[data-testid='stMetricValue']")
    expect(metrics).to_have_count(4, timeout=PORTAL_SECONDS)
    return metrics.all_inner_texts()


def open_portal_page(frame: FrameLocator, name: str) -> None:
    """Follow the portal's sidebar navigation (behind its toggle on a narrow screen).

    Asks the sidebar whether it is collapsed (waiting for it to be drawn) rather than whether
    the toggle is visible at this instant: on a busy machine, just after the last page change,
    the toggle was not drawn yet, so it was not clicked and the link stayed off screen.

    Opens it again when it closed under the finger, or did not open for a tap: a late rerun of
    the last page (on a busy machine) runs the phone's close-after-run script after the toggle
    was pressed, as a person would see the sidebar slide shut and tap the toggle again."""
    sidebar = frame.locator("[data-testid='stSidebar']")
    link = frame.locator("[data-testid='stSidebarNavLink']").filter(has_text=name)
    deadline = time.monotonic() + PORTAL_SECONDS / 1000
    while True:
        try:
            if sidebar.get_attribute("data-collapsed", timeout=PORTAL_SECONDS) == "true":
                frame.locator("[data-testid='stExpandSidebarButton']").click(timeout=PORTAL_SECONDS)
                # A tap that the late script undid at once leaves it shut: tap again.
                expect(sidebar).to_have_attribute("data-collapsed", "false", timeout=5000)
            link.click(timeout=3000)
            return
        except (PlaywrightTimeoutError, AssertionError):
            if time.monotonic() > deadline:
                raise


def wait_for_chart(frame: FrameLocator) -> None:
    frame.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=PORTAL_SECONDS)


@pytest.mark.browser
@BOTH_SIZES
def test_portal_renders_the_orgs_figures_inside_the_page(portal, new_page, make, size):
    owner, org = make.org_with_figures("Portal Bakery", spent_in=("Flour and sugar", "Baking tins"))
    page = open_as(new_page(size), owner, f"/o/{org.slug}/")
    open_nav(page)
    page.get_by_role("link", name="Analytics").click()
    expect(page).to_have_url(re.compile(rf"/o/{org.slug}/analytics$"))
    iframe = page.locator(FRAME)
    assert iframe.get_attribute("src").startswith(f"{portal}/?token=")

    portal_frame = page.frame_locator(FRAME)
    values = overview_kpis(portal_frame)
    # Income, expenses and what is left: the sums of what we recorded.
    assert {Decimal("2500.00"), Decimal("823.45"), Decimal("1676.55")} <= amounts(values), values
    open_portal_page(portal_frame, "Spending")
    wait_for_chart(portal_frame)
    donut = portal_frame.locator(".js-plotly-plot").first.evaluate(
        "el => ({labels: el.data[0].labels, values: el.data[0].values.map(Number)})"
    )
    slices = dict(zip(donut["labels"], donut["values"], strict=True))
    assert slices["Flour and sugar"] == 700.0 and round(sum(slices.values()), 2) == 823.45, slices

    box = iframe.bounding_box()
    assert box is not None
    if size is PHONE:  # the portal takes the whole width and the screen below the navbar
        assert box["width"] == size["width"]
        assert box["height"] >= size["height"] - 80
    else:
        assert box["width"] >= 1000 and box["height"] >= 600
    expect(page.get_by_test_id("portal-fallback")).to_be_hidden()  # 11.10: no false notice
    screenshot(page, f"portal-embed-{size['width']}")
    assert console_errors(page) == []


@pytest.mark.browser
def test_a_reused_portal_link_is_refused(portal, new_page, make):
    owner = make.user()
    org = make.org(owner)
    page = new_page(DESKTOP)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/o/{org.slug}/analytics")
    src = page.locator(FRAME).get_attribute("src")
    overview_kpis(page.frame_locator(FRAME))  # the page's own load spent the token

    replay = new_page(DESKTOP)  # someone else opening the same link
    replay.goto(src)
    expect(replay.get_by_text("already been used")).to_be_visible(timeout=PORTAL_SECONDS)
    expect(replay.locator("[data-testid='stMetricValue']")).to_have_count(0)


def sidebar_covers_content(frame: FrameLocator) -> bool:
    """Is the portal's sidebar open over the page (it overlays the content on a phone)?"""
    sidebar = frame.locator("[data-testid='stSidebar']")
    if sidebar.count() == 0 or not sidebar.is_visible():
        return False
    box = sidebar.bounding_box()
    open_ = sidebar.get_attribute("data-collapsed") == "false"
    return open_ and box is not None and box["x"] + box["width"] > 40


@pytest.mark.browser
def test_on_a_phone_the_portal_sidebar_stays_out_of_the_way(portal, new_page, make):
    owner = make.user()
    org = make.org(owner, "Sidebar Cafe")
    make.transaction(org, owner, kind="expense", amount="12.50")
    page = new_page(PHONE)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/o/{org.slug}/analytics")
    frame = page.frame_locator(FRAME)
    overview_kpis(frame)
    assert not sidebar_covers_content(frame)  # the first page is readable without a tap
    for name in ("Spending", "Trends", "Overview"):
        open_portal_page(frame, name)
        expect(frame.get_by_role("heading", name=name, exact=True).first).to_be_visible(
            timeout=PORTAL_SECONDS
        )
        expect(frame.locator("[data-testid='stSidebar']")).to_have_attribute(
            "data-collapsed", "true"
        )
        assert not sidebar_covers_content(frame), f"the sidebar covers {name}"
        screenshot(page, f"portal-375-{name}")
    # A working portal shows no "not running" notice.
    expect(page.get_by_test_id("portal-fallback")).to_be_hidden()
    assert console_errors(page) == []
