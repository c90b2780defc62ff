"""The form details a person notices in a real browser, on a phone and a desktop: one message
for "Delete selected" with nothing ticked, the GET /logout page, the Category list following
Kind, the empty 12-month chart, and the keyboard shortcuts with their "?" overlay."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import BOTH_SIZES, console_errors, log_in, screenshot
from tests.support.factories import PASSWORD


@pytest.fixture
def owner_org(make):
    owner = make.user()
    org = make.org(owner, "Keys Ltd")
    return owner, org


@pytest.mark.browser
@BOTH_SIZES
def test_delete_selected_with_nothing_ticked_says_so_once(live_server, new_page, make, owner_org,
                                                         size):  # fmt: skip
    owner, org = owner_org
    make.transaction(org, owner, description="Keep me")
    page = new_page(size)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/o/{org.slug}/transactions")
    delete = page.get_by_role("button", name="Delete selected")
    # By keyboard: on a phone the list is still wider than the screen (the layout's issue
    # 11.8), where a tap can land on the wrong element.
    delete.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#bulk-message")).to_have_text("Select at least one transaction first.")
    assert dialogs == []  # no alert, and no confirm after it
    expect(page.get_by_text("Keep me")).to_be_visible()
    screenshot(page, f"delete-selected-none-{size['width']}")
    # With a row ticked, the one question is the confirm.
    page.locator(".row-select").first.focus()
    page.keyboard.press("Space")
    delete.focus()
    page.keyboard.press("Enter")
    assert dialogs == ["Delete the selected transactions? They go to the trash first."]
    expect(page.get_by_text("Keep me")).to_be_visible()  # dismissed: nothing deleted
    assert console_errors(page) == []


@pytest.mark.browser
@BOTH_SIZES
def test_typing_logout_in_the_address_bar_offers_the_button(live_server, new_page, owner_org,
                                                           size):  # fmt: skip
    owner, _org = owner_org
    page = new_page(size)
    log_in(page, owner.email, PASSWORD)
    response = page.goto("/logout")
    assert response.status == 200
    screenshot(page, f"logout-page-{size['width']}")
    page.get_by_test_id("logout-button").click()
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    page.goto("/profile")
    expect(page).to_have_url(re.compile(r"/login"))
    assert console_errors(page) == []


@pytest.mark.browser
@BOTH_SIZES
def test_the_category_list_follows_kind_and_keeps_a_valid_choice(live_server, new_page, make,
                                                                owner_org, size):  # fmt: skip
    owner, org = owner_org
    make.category(org, "expense", "Van fuel")
    make.category(org, "income", "Consulting fees")
    page = new_page(size)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/o/{org.slug}/transactions/new")
    category = page.get_by_label("Category")
    options = lambda: category.locator("option").all_inner_texts()  # noqa: E731
    assert "Van fuel" in options() and "Consulting fees" not in options()
    category.select_option(label="Van fuel")
    page.locator("label[for=kind-income]").click()
    assert "Consulting fees" in options() and "Van fuel" not in options()
    expect(category).to_have_value("")  # Van fuel is not an income category
    page.locator("label[for=kind-expense]").click()
    assert "Van fuel" in options()
    expect(category.locator("option:checked")).to_have_text("Van fuel")  # the choice is back
    screenshot(page, f"category-by-kind-{size['width']}")
    assert console_errors(page) == []


@pytest.mark.browser
@BOTH_SIZES
def test_the_empty_chart_has_no_nonsense_axis(live_server, new_page, make, owner_org, size):
    owner, org = owner_org
    page = new_page(size)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/o/{org.slug}/")
    expect(page.get_by_test_id("monthly-empty")).to_be_visible()
    assert page.locator("#chart-monthly").count() == 0
    assert page.locator(".ytick text").all_text_contents() == []  # no "1, 1, 0, -1, -1"
    screenshot(page, f"dashboard-empty-chart-{size['width']}")
    # With a small figure the axis starts at zero: no negative money ticks.
    make.transaction(org, owner, amount="0.50")
    page.reload()
    page.wait_for_selector("#chart-monthly .main-svg")
    ticks = page.locator("#chart-monthly .ytick text").all_text_contents()
    assert ticks and not [t for t in ticks if t.startswith(("-", "\u2212"))], ticks
    assert console_errors(page) == []


@pytest.mark.browser
@BOTH_SIZES
def test_keyboard_shortcuts(live_server, new_page, make, owner_org, size):
    owner, org = owner_org
    make.transaction(org, owner, description="Stationery")
    page = new_page(size)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/o/{org.slug}/categories")

    page.keyboard.press("?")
    overlay = page.locator("#shortcut-help")
    expect(overlay).to_be_visible()
    expect(overlay.get_by_test_id("shortcuts")).to_contain_text("New transaction")
    screenshot(page, f"shortcut-help-{size['width']}")
    expect(overlay).to_be_focused()  # shown: Escape reaches it
    page.keyboard.press("Escape")
    expect(overlay).to_be_hidden()

    page.keyboard.press("/")  # from a page without search: the list, with search focused
    expect(page).to_have_url(re.compile(rf"/o/{org.slug}/transactions"))
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("n?")  # typing in a field is typing, not shortcuts
    expect(page.locator("#q")).to_have_value("n?")
    expect(overlay).to_be_hidden()
    page.locator("h1").click()

    page.keyboard.press("n")
    expect(page).to_have_url(re.compile(rf"/o/{org.slug}/transactions/new"))
    # The form's tab order starts at Kind.
    expect(page.locator("input[name=kind]:checked")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Amount")).to_be_focused()
    assert console_errors(page) == []
