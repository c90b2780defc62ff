"""Issue 14, acceptance 8, at phone width (375 px): a member attaches a receipt on the new
expense form, a real worker reads it, the member takes the read total with one click and
submits; an accountant approves it from the queue with the keyboard (j/k/a); the balance
changes by the receipt's total; the owner marks it reimbursed and the member gets the mail."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import PHONE, console_errors, log_in
from tests.support.factories import PASSWORD
from tests.support.jobs import run_jobs
from tests.support.mailbox import text_of
from tests.support.receipt_images import receipt_png


def balance(page: Page, slug: str) -> Decimal:
    """The dashboard's "Balance, all time" (signing in lands there)."""
    if not page.url.endswith(f"/o/{slug}/"):
        # The figure is in the HTML; the charts' script below it need not have run.
        page.goto(f"/o/{slug}/", wait_until="commit")
    return Decimal(page.get_by_test_id("balance-all").get_attribute("data-amount"))


@pytest.mark.browser
def test_receipt_read_on_a_phone_then_approved_by_keyboard_and_reimbursed(
    new_page, live_server, make, mailbox, tmp_path
):
    app, redis_url = live_server.app, live_server.app.config["REDIS_URL"]
    owner, accountant, member = make.user(), make.user(), make.user()
    org = make.org(owner, "Receipts On The Go")
    make.member(org, accountant, "accountant")
    make.member(org, member, "member")
    category = make.category(org, name="Supplies")
    # Older in the queue than the receipt's expense: j and k have two items to move between.
    make.transaction(org, member, role="member", amount="20.00", description="Stamps")
    drawn = receipt_png(seed=3)
    photo = tmp_path / "IMG_2041.png"
    photo.write_bytes(drawn.png())

    phone = new_page(PHONE, label="member")
    log_in(phone, member.email, PASSWORD)
    phone.goto(f"/o/{org.slug}/transactions/new")
    phone.get_by_label("Amount").fill("1")  # a guess before the receipt is read
    phone.get_by_label("Category").select_option(str(category))
    phone.get_by_label("Description").fill("Printer supplies")
    phone.get_by_label("I paid this myself").check()
    phone.locator("#file").set_input_files(str(photo))
    phone.get_by_role("button", name="Save as draft").click()
    expect(phone.get_by_test_id("reading-pending")).to_be_visible()

    run_jobs(app, redis_url)  # the worker reads the receipt with Tesseract

    phone.get_by_role("link", name="Edit").click()
    suggestion = phone.get_by_role("button", name=f"Use {drawn.total:.2f} (from the receipt)")
    expect(phone.get_by_label("Amount")).to_have_value("1.00")  # as stored: nothing filled unasked
    suggestion.click()
    expect(phone.get_by_label("Amount")).to_have_value(f"{drawn.total:.2f}")
    phone.get_by_role("button", name="Save", exact=True).click()
    phone.get_by_role("link", name="Printer supplies").click()
    phone.get_by_role("button", name="Submit for approval").click()
    expect(phone.get_by_test_id("approval-state")).to_have_text("awaiting approval")
    assert console_errors(phone) == []

    books = new_page(PHONE, label="accountant")
    log_in(books, accountant.email, PASSWORD)
    before = balance(books, org.slug)
    books.goto(f"/o/{org.slug}/approvals")
    items = books.locator("#queue .queue-item")
    expect(items).to_have_count(2)
    books.keyboard.press("j")
    expect(items.nth(1)).to_have_attribute("aria-current", "true")
    books.keyboard.press("k")
    expect(items.nth(0)).to_have_attribute("aria-current", "true")
    books.keyboard.press("j")
    expect(items.nth(1)).to_contain_text("Printer supplies")
    books.keyboard.press("a")
    expect(items).to_have_count(1)
    expect(items.nth(0)).to_contain_text("Stamps")  # the other one still waits
    assert balance(books, org.slug) == before - drawn.total

    boss = new_page(PHONE, label="owner")
    log_in(boss, owner.email, PASSWORD)
    boss.goto(f"/o/{org.slug}/reimbursements")
    boss.get_by_label("Reference").fill("R-2041")
    boss.get_by_role("button", name="Mark selected reimbursed").click()
    expect(boss.get_by_test_id("nothing-owed")).to_be_visible()

    run_jobs(app, redis_url)
    paid = mailbox.wait_for(member.email, "You were reimbursed")
    body = text_of(paid)
    assert "R-2041" in body and re.search(re.escape(f"{drawn.total:.2f}"), body)
