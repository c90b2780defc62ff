"""Helpers for browser tests: viewports, console watching, screenshots, logging in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

CHROMIUM = "/usr/bin/chromium"  # Debian's package; `make browser` installs it
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
# A test that a layout holds on both screens takes `size` from this.
BOTH_SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

_problems: WeakKeyDictionary[Page, list[str]] = WeakKeyDictionary()


def watch_console(page: Page) -> list[str]:
    """Record console errors (CSP violations, failed loads) and uncaught exceptions."""
    problems = _problems.setdefault(page, [])

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text} at {message.location.get('url')}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    return problems


def console_errors(page: Page) -> list[str]:
    """Everything `watch_console` saw on this page so far; [] when the page is clean."""
    return list(_problems.get(page, []))


def screenshot(page: Page, name: str) -> Path:
    """A full-page PNG in test-artifacts/ (gitignored), for a human to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Page, email: str, password: str) -> None:
    """Log in through the form like a person, and wait to leave the login page."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Login").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def open_as(page: Page, user: Any, path: str) -> Page:
    """Log in as `user` (a factories user, with its password) and open `path`."""
    from tests.support.factories import PASSWORD

    log_in(page, user.email, PASSWORD)
    page.goto(path)
    return page


def open_nav(page: Page) -> None:
    """On a narrow screen the navbar links sit behind the toggler; open it if so."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))  # animation done


def no_sideways_scroll(page: Page) -> bool:
    """Nothing sticks out past the viewport (the phone-width rule)."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def log_out(page: Page) -> None:
    """Log out through the user menu (a POST form inside the dropdown)."""
    open_nav(page)
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Log out").click()
