"""Sign-up and a new org guess the base currency from the browser's language and the time zone
from the browser itself (issue 11.18), in a real browser: the zone is only known to the page's
script, so an HTTP test cannot see it chosen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import BOTH_SIZES, console_errors, log_in, screenshot, watch_console
from tests.support.factories import PASSWORD

BROWSERS = [  # (Accept-Language of the browser, its time zone, the currency we expect)
    ("en-NZ", "Pacific/Auckland", "NZD"),
    ("ja-JP", "Asia/Tokyo", "JPY"),
    ("de-CH", "Europe/Zurich", "CHF"),
]


def browser_page(browser: Browser, base_url: str, size: dict, locale: str, zone: str) -> Page:
    context = browser.new_context(
        base_url=base_url,
        viewport=size,
        locale=locale,
        timezone_id=zone,
        is_mobile=size["width"] < 768,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch_console(page)
    return page


@pytest.mark.browser
@BOTH_SIZES
@pytest.mark.parametrize(("locale", "zone", "currency"), BROWSERS, ids=[b[0] for b in BROWSERS])
def test_sign_up_defaults_currency_and_zone_from_the_browser(
    browser, live_server, size, locale, zone, currency
):
    page = browser_page(browser, live_server.url, size, locale, zone)
    try:
        page.goto("/register")
        expect(page.get_by_label("Base currency")).to_have_value(currency)
        expect(page.get_by_label("Time zone")).to_have_value(zone)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, f"sign-up-{locale}-{size['width']}")
        assert console_errors(page) == []
    finally:
        page.context.close()


@pytest.mark.browser
@BOTH_SIZES
def test_a_new_org_defaults_the_same_way_and_a_choice_is_kept(browser, live_server, make, size):
    owner = make.user()
    make.org(owner, "First Ltd")
    page = browser_page(browser, live_server.url, size, "en-NZ", "Pacific/Auckland")
    try:
        log_in(page, owner.email, PASSWORD)
        page.goto("/orgs/new")
        expect(page.get_by_label("Base currency")).to_have_value("NZD")
        expect(page.get_by_label("Time zone")).to_have_value("Pacific/Auckland")
        # A zone chosen by the person survives a refused submission (the script leaves it).
        page.get_by_label("Time zone").select_option("Europe/Lisbon")
        page.get_by_label("Name", exact=True).fill("")
        page.get_by_role("button", name="Create organisation").click()
        expect(page.get_by_test_id("form-errors")).to_be_visible()
        expect(page.get_by_label("Time zone")).to_have_value("Europe/Lisbon")
        screenshot(page, f"new-org-refused-{size['width']}")
        assert [e for e in console_errors(page) if "422" not in e] == []  # the refusal's status
    finally:
        page.context.close()
