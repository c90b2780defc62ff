"""A newcomer signs up, confirms the email, logs in and finds the dashboard, on a phone and a
desktop; then logs out again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import (
    DESKTOP,
    PHONE,
    console_errors,
    log_out,
    no_sideways_scroll,
    open_nav,
    screenshot,
)
from tests.support.factories import PASSWORD, unique
from tests.support.mailbox import first_link


def register(page: Page, email: str, name: str, organisation: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Retype Password").fill(PASSWORD)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Organisation name").fill(organisation)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("alert")).to_contain_text(f"To confirm your email address {email}")


def log_in_with_form(page: Page, email: str) -> None:
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()


def nav_link(page: Page, name: str):
    return page.locator("#nav").get_by_role("link", name=name, exact=True)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_newcomer_signs_up_and_sees_the_dashboard_shell(new_page, mailbox, viewport):
    email = f"{unique('ann')}@example.com"
    organisation = f"Ann's Garage {unique('')}"
    page = new_page(viewport)

    register(page, email, "Ann", organisation)
    confirmation = mailbox.wait_for(email, "Welcome")
    page.goto(first_link(confirmation, "/confirm"))
    expect(page.get_by_role("alert")).to_contain_text("confirmed")
    log_in_with_form(page, email)

    expect(page).to_have_url(re.compile(r"/o/[^/]+/$"))
    expect(page.get_by_test_id("dashboard-title")).to_have_text(organisation)
    navbar = page.get_by_role("navigation", name="Main")
    expect(navbar.get_by_role("link", name="Outlay")).to_be_visible()

    toggler = navbar.locator(".navbar-toggler")
    if viewport is PHONE:
        expect(toggler).to_be_visible()
        expect(nav_link(page, "Members")).to_be_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "dashboard-375")
        open_nav(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "dashboard-375-nav-open")
    else:
        expect(toggler).to_be_hidden()
        screenshot(page, "dashboard-1280")
    for link in ("Dashboard", "Members", "Settings"):
        expect(nav_link(page, link)).to_be_visible()
    expect(page.locator("#user-menu")).to_have_text("Ann")
    assert no_sideways_scroll(page)
    assert console_errors(page) == []

    log_out(page)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    expect(page.locator("#user-menu")).to_have_count(0)
    assert console_errors(page) == []
