"""Dark mode: follows the browser's preference from the first paint, a navbar switch overrides
it and is remembered, and the dashboard's charts follow the page's colours."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import DESKTOP, PHONE, console_errors, log_in, open_nav, screenshot
from tests.support.factories import PASSWORD

# Records the colour mode the moment <body> is created: before anything is drawn.
FIRST_PAINT = """
new MutationObserver((changes, observer) => {
  if (document.body) {
    window.__themeAtBody = document.documentElement.getAttribute('data-bs-theme');
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def theme(page: Page) -> str | None:
    return page.evaluate("document.documentElement.getAttribute('data-bs-theme')")


def chart_font(page: Page) -> list[str]:
    """The monthly chart's text colour and the page's, once plotly has drawn it."""
    page.wait_for_selector("#chart-monthly .main-svg", timeout=30_000)  # a loaded machine
    return page.evaluate(
        "() => [document.getElementById('chart-monthly')._fullLayout.font.color,"
        " getComputedStyle(document.body).color]"
    )


def choose(page: Page, label: str) -> None:
    open_nav(page)
    page.get_by_test_id("theme-switch").get_by_role("button", name="Theme").click()
    page.get_by_role("button", name=label, exact=True).click()


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_dark_mode_follows_the_browser_and_the_switch(new_page, make, size):
    owner = make.user()
    org = make.org(owner, "Night Owls")
    make.transaction(org, owner, kind="income", amount="300.00")
    page = new_page(size)
    page.emulate_media(color_scheme="dark")
    page.add_init_script(FIRST_PAINT)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/o/{org.slug}/", wait_until="domcontentloaded", timeout=30_000)  # plotly

    assert page.evaluate("window.__themeAtBody") == "dark"  # dark before the first paint
    assert theme(page) == "dark"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(43, 48, 53)"  # Bootstrap's dark tertiary background
    font, text = chart_font(page)
    assert font == text and font != "rgb(33, 37, 41)"  # light text on the dark page
    screenshot(page, f"dark-dashboard-{size['width']}")

    choose(page, "Light")
    assert theme(page) == "light"
    expect(page.locator("#chart-monthly")).to_be_visible()
    font, text = chart_font(page)
    assert font == text == "rgb(33, 37, 41)"  # the chart redrew in the light page's colour
    page.goto(f"/o/{org.slug}/transactions")
    assert page.evaluate("window.__themeAtBody") == "light"  # remembered, no dark flash
    page.reload()
    assert theme(page) == "light"

    choose(page, "As the browser")
    assert theme(page) == "dark"
    page.emulate_media(color_scheme="light")  # the preference changes while the page is open
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
    assert console_errors(page) == []


@pytest.mark.browser
def test_visitors_can_switch_too(new_page):
    page = new_page(PHONE)
    page.goto("/login")
    assert theme(page) == "light"
    choose(page, "Dark")
    assert theme(page) == "dark"
    page.goto("/register")
    assert theme(page) == "dark"
