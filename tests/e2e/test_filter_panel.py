"""The transactions filter panel: behind a "Filters" button on a phone, open on a desktop, and
the active filters shown as chips that each drop their filter when clicked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import DESKTOP, PHONE, console_errors, log_in, screenshot
from tests.support.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_filters_fold_away_on_a_phone_and_show_as_removable_chips(new_page, make, size):
    owner = make.user()
    org = make.org(owner, "Chip Shop")
    fuel = make.category(org, "expense", "Fuel")
    make.transaction(org, owner, amount="40.00", description="Coffee beans", category_id=fuel)
    make.transaction(org, owner, amount="12.00", description="Coffee cups")
    make.transaction(org, owner, kind="income", amount="90.00", description="Coffee sold")
    page = new_page(size)
    log_in(page, owner.email, PASSWORD)

    page.goto(f"/o/{org.slug}/transactions?q=Coffee&kind=expense&category={fuel}")
    search = page.get_by_label("Search", exact=True)
    toggle = page.get_by_role("button", name=re.compile(r"^Filters"))
    chips = page.get_by_test_id("filter-chips")
    expect(chips.get_by_role("link", name="Remove filter Search: Coffee")).to_be_visible()
    expect(chips.get_by_role("link", name="Remove filter Kind: Expense")).to_be_visible()
    expect(chips.get_by_role("link", name="Remove filter Category: Fuel")).to_be_visible()
    rows = page.get_by_test_id("transactions").locator("tbody tr")
    expect(rows).to_have_count(1)
    if size is PHONE:
        expect(search).to_be_hidden()
        expect(toggle).to_have_text("Filters (3)")
        # The list starts on the first screen instead of below 13 fields.
        first = rows.first.bounding_box()
        assert first is not None and first["y"] + first["height"] <= PHONE["height"]
        screenshot(page, "filters-375-folded")
        toggle.click()
        expect(search).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        screenshot(page, "filters-375-open")
    else:
        expect(search).to_be_visible()
        expect(toggle).to_be_hidden()
        screenshot(page, "filters-1280")

    chips.get_by_role("link", name="Remove filter Category: Fuel").click()
    expect(page).not_to_have_url(re.compile(r"category="))
    expect(page).to_have_url(re.compile(r"q=Coffee"))
    expect(rows).to_have_count(2)  # both coffee expenses, the income still filtered out
    expect(chips.get_by_role("link", name=re.compile("Category"))).to_have_count(0)
    page.get_by_role("link", name="Clear all").click()
    expect(page.get_by_test_id("filter-chips")).to_have_count(0)
    expect(rows).to_have_count(3)
    assert console_errors(page) == []
