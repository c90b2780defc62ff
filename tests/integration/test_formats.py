"""The profile's format setting is named for what it does (numbers and dates; the interface
stays English) and each choice shows what it gives; the list then writes both that way."""

from __future__ import annotations

from tests.support.accounts import page_text
from tests.support.factories import PASSWORD
from tests.support.web import login, post_form


def test_the_number_and_date_format_setting_does_what_it_says(app, make, client):
    owner = make.user()
    org = make.org(owner)
    make.transaction(org, owner, amount="1234.56", date="2026-03-31", description="Laptop")
    login(client, owner.email, PASSWORD)

    profile = page_text(client.get("/profile"))
    assert "Number and date format" in profile
    assert "Language" not in profile and "Deutsch" not in profile and "Français" not in profile
    assert "1.234,56 · 31.03.2026 (Germany)" in profile

    listing = page_text(client.get(f"/o/{org.slug}/transactions"))
    assert "Mar 31, 2026" in listing and "1,234.56" in listing

    saved = post_form(
        client, "/profile", {"name": "", "default_org": "0", "locale": "de_DE"}, "/profile"
    )
    assert saved.status_code == 302
    listing = client.get(f"/o/{org.slug}/transactions").get_data(as_text=True)
    assert "31.03.2026" in page_text(client.get(f"/o/{org.slug}/transactions"))
    assert "1.234,56" in listing and '<html lang="en">' in listing

    refused = post_form(client, "/profile", {"default_org": "0", "locale": "tlh"}, "/profile")
    assert refused.status_code == 422
    assert "Choose a number and date format from the list" in page_text(refused)
