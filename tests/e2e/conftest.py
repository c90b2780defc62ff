"""Browser fixtures: the real app over real HTTP, and Debian's Chromium driving it headless.

@pytest.mark.browser
def test_something(live_server, new_page, make):
    user = make.user()
    org = make.org(user, "Acme")
    page = new_page(PHONE)                 # a fresh browser context (own cookies)
    log_in(page, user.email, PASSWORD)     # tests.support.browser
    page.goto(f"/o/{org.slug}/")           # relative to live_server.url
    assert console_errors(page) == []
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, url_for
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    screenshot,
    watch_console,
)


@dataclass(frozen=True)
class LiveServer:
    app: Flask
    url: str  # http://127.0.0.1:<port>, no trailing slash

    def url_for(self, endpoint: str, **values: Any) -> str:
        with self.app.app_context():
            return url_for(endpoint, _external=True, **values)


def _not_ready(_environ: dict, start_response: Callable) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


@contextmanager
def serve_live(app_factory: Callable[..., Flask], **overrides: Any) -> Iterator[LiveServer]:
    """The app built with `overrides`, served over HTTP on a free loopback port until exit."""
    # Bind first, then build the app for the port we got: no race for a "free" port.
    server = make_server("127.0.0.1", 0, _not_ready, threaded=True)
    host = f"127.0.0.1:{server.server_port}"
    settings = {"OUTLAY_SECURE_COOKIES": False, "SERVER_NAME": host, "TESTING": False}
    app = app_factory(**(settings | overrides))
    server.app = app
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://{host}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def live_server(app_factory) -> Iterator[LiveServer]:
    """The app (same database, Redis and mailbox as the other tests) on a free loopback port.

    Plain HTTP, so cookies go without the Secure flag, as under `outlay up`. TESTING is off so
    errors render the app's own error pages, as a user would see them. A module that needs other
    settings overrides this fixture with `serve_live(app_factory, SETTING=...)`.
    """
    with serve_live(app_factory) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = os.environ.get("OUTLAY_CHROMIUM", CHROMIUM)
    if not Path(executable).exists():
        pytest.fail(
            f"Chromium not found at {executable}. Browser tests use Debian's package: run "
            "`make browser` (or `apt-get install chromium`), or set OUTLAY_CHROMIUM.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Page]]:
    """`new_page(PHONE)` or `new_page(DESKTOP)`: a page in its own context, relative URLs
    resolve against the live server, console errors are recorded (see `console_errors`), and
    a screenshot of every open page lands in test-artifacts/ when the test fails."""
    pages: list[tuple[str, Page]] = []

    def open_page(viewport: dict[str, int] = DESKTOP, label: str | None = None) -> Page:
        phone = viewport["width"] < 768
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=2 if phone else 1,
            locale="en-GB",
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        watch_console(page)
        pages.append((label or f"{viewport['width']}x{viewport['height']}", page))
        return page

    yield open_page

    call = getattr(request.node, "report_call", None)
    for label, page in pages:
        if call is not None and call.failed and not page.is_closed():
            screenshot(page, f"{request.node.name}-{label}-failed")
        page.context.close()
