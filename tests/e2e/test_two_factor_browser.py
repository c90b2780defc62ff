"""Two-factor sign-in in a real browser, on a phone and a desktop (issue 11.19): the setup page
is drawn in the app's layout (navbar, the app's heading sizes, no empty radio bar), an
authenticator app turns it on, recovery codes are shown once, and one signs in once."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import BOTH_SIZES, console_errors, log_in, screenshot
from tests.support.factories import PASSWORD


def heading_px(page: Page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")


def sign_in_with_recovery(page: Page, email: str, code: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Lost your phone? Use a recovery code").click()
    page.get_by_placeholder("xxxx-xxxx-xxxx").fill(code)
    page.locator("form[name=mf_recovery_form] [type=submit]").click()


@pytest.mark.browser
@BOTH_SIZES
def test_two_factor_setup_is_styled_and_recovery_codes_work_once(new_page, make, size):
    owner = make.user()
    make.org(owner, "Locked Ltd")
    page = new_page(size)
    log_in(page, owner.email, PASSWORD)
    page.goto("/tf-setup")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()  # the app's layout
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    assert heading_px(page) <= 28.5, "the heading is bigger than the app's page headings"
    assert page.locator("input[type=radio]").count() == 0  # no empty radio bar
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.get_by_test_id("tf-status")).to_contain_text("off")
    screenshot(page, f"two-factor-setup-{size['width']}")

    page.get_by_role("button", name="Turn on with an authenticator app").click()
    expect(page.get_by_alt_text("QR code for your authenticator app")).to_be_visible()
    key = page.get_by_test_id("authr-key").inner_text().strip().replace("-", "")
    screenshot(page, f"two-factor-scan-{size['width']}")
    page.get_by_placeholder("6-digit code").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Confirm code").click()
    expect(page.get_by_text("You successfully changed your two-factor method")).to_be_visible()

    page.goto("/tf-setup")
    expect(page.get_by_test_id("tf-status")).to_contain_text("on")
    page.get_by_role("link", name="Recovery codes").click()
    page.get_by_role("button", name="Make new recovery codes").click()
    shown = page.get_by_test_id("recovery-codes").locator("li")
    expect(shown).to_have_count(8)
    codes = [code.strip() for code in shown.all_inner_texts()]
    assert all(re.fullmatch(r"[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}", c) for c in codes), codes
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"recovery-codes-{size['width']}")
    # Shown once: opening the page again (even asking to show them) offers new ones instead.
    page.goto("/mf-recovery-codes?show_codes=1")
    expect(page.get_by_test_id("recovery-codes")).to_have_count(0)
    assert not any(code in page.content() for code in codes)
    assert console_errors(page) == []

    later = new_page(size, label="recovery")
    sign_in_with_recovery(later, owner.email, codes[0])
    expect(later).not_to_have_url(re.compile(r"/(login|mf-recovery|tf-validate)"))
    expect(later.locator("#user-menu")).to_have_count(1)  # signed in

    again = new_page(size, label="reused")
    sign_in_with_recovery(again, owner.email, codes[0])
    expect(again.get_by_text("Recovery code invalid")).to_be_visible()
    screenshot(again, f"recovery-code-reused-{size['width']}")
    expect(again.locator("#user-menu")).to_have_count(0)
