"""Entering a month of transactions in a real browser, on a phone and a desktop (issue 11.15):
"Save and add another" opens the next entry on the same date and category, the bulk "Move to
category" has no target until one is chosen, and a foreign amount shows its base amount with
the rate and the rate's date on the page itself, not in a tooltip. (Categories following Kind:
tests/e2e/test_forms_browser.py.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import BOTH_SIZES, PHONE, console_errors, log_in, screenshot
from tests.support.factories import PASSWORD


@pytest.fixture
def books(make):
    owner = make.user()
    org = make.org(owner, "Entry Ltd")
    fuel = make.category(org, "expense", "Van fuel")
    make.category(org, "expense", "Stationery")
    return owner, org, fuel


def on_screen(page: Page, selector) -> bool:
    box = selector.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


@pytest.mark.browser
@BOTH_SIZES
def test_save_and_add_another_keeps_the_date_and_category(new_page, books, size):
    owner, org, _fuel = books
    page = new_page(size)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/o/{org.slug}/transactions/new")
    page.get_by_label("Amount").fill("45.00")
    page.get_by_label("Date").fill("2026-10-07")
    page.get_by_label("Category").select_option(label="Van fuel")
    page.get_by_label("Description").fill("Diesel")
    page.get_by_role("button", name="Save and add another").click()

    expect(page).to_have_url(re.compile(r"/transactions/new\?"))
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_label("Date")).to_have_value("2026-10-07")
    expect(page.get_by_label("Category").locator("option:checked")).to_have_text("Van fuel")
    expect(page.get_by_label("Amount")).to_have_value("")  # the next entry's own amount
    expect(page.get_by_label("Description")).to_have_value("")
    screenshot(page, f"save-and-add-another-{size['width']}")

    page.get_by_label("Amount").fill("12.00")
    page.get_by_role("button", name="Save", exact=True).click()
    page.goto(f"/o/{org.slug}/transactions")
    rows = page.get_by_test_id("transactions").locator("tbody tr")
    expect(rows).to_have_count(2)
    for index in range(2):
        expect(rows.nth(index)).to_contain_text("Van fuel")
        expect(rows.nth(index).locator("time")).to_have_attribute("datetime", "2026-10-07")
    assert console_errors(page) == []


@pytest.mark.browser
@BOTH_SIZES
def test_bulk_move_waits_for_a_chosen_category(new_page, make, books, size):
    owner, org, fuel = books
    make.transaction(org, owner, description="Diesel", date="2026-11-02")
    page = new_page(size)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/o/{org.slug}/transactions")
    target = page.get_by_label("Move selected to category")
    expect(target.locator("option:checked")).to_have_text("Move to category…")
    row = page.get_by_test_id("transactions").locator("tbody tr").first
    row.locator(".row-select").check()
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_text("Move selected to category: Choose a category.")).to_be_visible()
    expect(row).not_to_contain_text("Van fuel")  # nothing moved to the first category
    screenshot(page, f"bulk-move-no-target-{size['width']}")

    page.get_by_test_id("transactions").locator("tbody tr").first.locator(".row-select").check()
    page.get_by_label("Move selected to category").select_option(str(fuel))
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_test_id("transactions").locator("tbody tr").first).to_contain_text(
        "Van fuel"
    )
    assert console_errors(page) == []


@pytest.mark.browser
@BOTH_SIZES
def test_the_rate_and_its_date_are_shown_beside_the_base_amount(new_page, make, books, size):
    owner, org, fuel = books
    ecb = make.transaction(
        org, owner, amount="200", currency="USD", category_id=fuel, date="2024-03-01",
        description="Hosting",
    )  # fmt: skip
    make.transaction(
        org, owner, amount="100", currency="USD", rate="0.9", category_id=fuel,
        date="2026-11-02", description="Domain",
    )  # fmt: skip
    page = new_page(size)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/o/{org.slug}/transactions")
    conversions = page.get_by_test_id("conversion")
    expect(conversions).to_have_count(2)
    mine = conversions.filter(has_text="your rate")
    expect(mine).to_be_visible()
    expect(mine).to_contain_text("€90.00")
    expect(mine).to_contain_text("@ 0.9")
    ecb_rate = conversions.filter(has_text="ECB 2024-0")
    expect(ecb_rate).to_be_visible()  # the rate's date is on the page, not in a tooltip
    for index in range(2):
        assert on_screen(page, conversions.nth(index)), "the conversion is off-screen"
    screenshot(page, f"rate-beside-base-{size['width']}")

    page.goto(f"/o/{org.slug}/transactions/{ecb}")
    rate = page.get_by_label(re.compile(r"^Exchange rate"))
    expect(rate).to_have_value(re.compile(r"^0\.\d+$"))  # the edit form shows the stored rate
    expect(page.get_by_test_id("stored-conversion")).to_contain_text("ECB rate of 2024-0")
    if size is PHONE:
        assert on_screen(page, page.get_by_test_id("stored-conversion"))
    assert console_errors(page) == []
