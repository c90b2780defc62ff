"""What the issue saw at 375 px, checked by what a person would notice: the transactions list
shows each row's amount and its Edit link on screen, a 200-character word is cut with the full
text on hover (and does not widen the desktop table), and the members page's role selects show
their role beside a whole Remove button. Every other page: tests/e2e/test_every_page.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.support.browser import DESKTOP, PHONE, log_in, screenshot
from tests.support.factories import PASSWORD
from tests.support.pages import LONG_WORD


def on_screen(page: Page, element: Locator) -> bool:
    """Wholly inside the viewport's width."""
    box = element.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_transactions_show_amount_and_edit_and_cut_long_words(new_page, make, size):
    owner = make.user()
    org = make.org(owner, "Narrow Ltd")
    make.transaction(org, owner, amount="1234567.89", description=LONG_WORD)
    make.transaction(org, owner, amount="5.00", description="Stamps")
    page = new_page(size)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/o/{org.slug}/transactions")
    table = page.get_by_test_id("transactions")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    for index in range(2):
        row = rows.nth(index)
        assert on_screen(page, row.locator(".amount")), "the amount is off-screen"
        assert on_screen(page, row.get_by_role("link", name="Edit")), "Edit is off-screen"
    long_text = table.get_by_title(LONG_WORD)
    expect(long_text).to_be_visible()
    assert on_screen(page, long_text)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    table_box = table.bounding_box()
    assert table_box is not None and table_box["width"] <= size["width"]
    screenshot(page, f"transactions-long-word-{size['width']}")


@pytest.mark.browser
def test_members_role_selects_show_the_role_beside_a_whole_remove_button(new_page, make):
    owner = make.user(name="Owner")
    org = make.org(owner, "Roles Inc")
    for role in ("accountant", "member", "viewer"):
        make.member(org, make.user(name=f"A {role} with a longer name"), role)
    page = new_page(PHONE)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/o/{org.slug}/members")
    selects = page.locator("select[id^=role-]")
    expect(selects).to_have_count(4)
    for index in range(4):
        select = selects.nth(index)
        shown = select.evaluate(
            "s => s.clientWidth - parseFloat(getComputedStyle(s).paddingLeft)"
            " - parseFloat(getComputedStyle(s).paddingRight)"
        )
        text = select.evaluate(
            "s => { const c = document.createElement('canvas').getContext('2d');"
            " const st = getComputedStyle(s); c.font = `${st.fontSize} ${st.fontFamily}`;"
            " return c.measureText(s.options[s.selectedIndex].text).width; }"
        )
        assert shown >= text, f"role select {index} shows {shown:.0f} px of {text:.0f} px"
    removes = page.get_by_role("button", name="Remove")
    expect(removes).to_have_count(3)
    for index in range(3):
        assert on_screen(page, removes.nth(index)), "a Remove button is cut off"
    screenshot(page, "members-375")
