"""Signing up, end to end through HTTP with mail read from the SMTP server on loopback: from an
invitation (no org of one's own, the invited role after confirming), the first org's base
currency and time zone, and telling two orgs of the same name apart in the switcher."""

from __future__ import annotations

import html
import re

from tests.integration.test_members import invitation_link, invite, inviting_owner, switcher
from tests.support.accounts import (
    alerts,
    confirm_email,
    log_in,
    new_email,
    page_text,
    role_badge,
)
from tests.support.factories import PASSWORD, unique
from tests.support.web import csrf_from


def field_tag(body: str, name: str) -> str:
    match = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', body)
    assert match, f"no {name} field on the page"
    return match.group(0)


def selected(body: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert select, f"no {name} list on the page"
    chosen = re.search(
        r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select[1]
    )
    assert chosen, f"nothing chosen in {name}"
    return chosen.group(1) or chosen.group(2)


def sign_up_page(client, query: str = "", **headers: str) -> str:
    page = client.get(f"/register{query}", headers=headers)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def submit_sign_up(client, body: str, query: str = "", **fields: str):
    hidden = dict(
        re.findall(r'<input[^>]*type="hidden"[^>]*name="(\w+)"[^>]*value="([^"]*)"', body)
    )
    hidden.update(
        re.findall(r'<input[^>]*name="(\w+)"[^>]*type="hidden"[^>]*value="([^"]*)"', body)
    )
    data = {k: html.unescape(v) for k, v in hidden.items()}
    data.update({"password": PASSWORD, "password_confirm": PASSWORD, "csrf_token": csrf_from(body)})
    data.update(fields)
    return client.post(f"/register{query}", data=data)


def orgs_named(app, name: str) -> int:
    from app.extensions import db
    from app.models import Organisation

    with app.app_context():
        query = db.select(db.func.count()).where(Organisation.name == name)
        return db.session.scalar(query.select_from(Organisation))


def test_invited_person_signs_up_without_an_org_and_lands_in_the_inviting_one(
    client, new_client, mailbox, make, app
):
    org = inviting_owner(client, make)
    email = new_email("ada")
    invite(client, org, email, "accountant")
    link = invitation_link(mailbox, email, org)

    invitee = new_client()
    landing = invitee.get(link).get_data(as_text=True)
    create = re.search(r'href="([^"]*/register[^"]*)"[^>]*>Create an account', landing)
    assert create, "no 'Create an account' link on the invitation page"
    query = html.unescape(create.group(1))[len("/register") :]

    form = sign_up_page(invitee, query)
    words = page_text(invitee.get(f"/register{query}"))
    email_tag = field_tag(form, "email")
    assert f'value="{email}"' in email_tag and "readonly" in email_tag
    assert "Organisation name" not in words and "Base currency" not in words
    assert f"You are joining {org.name}" in words

    # Another address than the invited one is refused, with the field named; nothing is made.
    other = new_email("other")
    refused = submit_sign_up(invitee, form, query, email=other, name="Ada")
    assert refused.status_code == 200
    assert f"This invitation is for {email}" in page_text(refused)

    signed_up = submit_sign_up(invitee, form, query, email=email, name="Ada Accountant")
    assert signed_up.status_code == 302
    # Before confirming, the invitation is still pending on the owner's members page.
    assert email in page_text(client.get(f"/o/{org.slug}/members"))
    assert "No pending invitations" not in page_text(client.get(f"/o/{org.slug}/members"))

    confirmed = confirm_email(invitee, mailbox, email)
    assert "Your email has been confirmed" in " ".join(alerts(confirmed))
    home = log_in(invitee, email)
    assert home.request.path == f"/o/{org.slug}/"
    assert role_badge(home) == "accountant"
    assert switcher(invitee) == {org.name: "accountant"}  # no org of their own
    assert orgs_named(app, "Ada Accountant's organisation") == 0
    assert "No pending invitations" in page_text(client.get(f"/o/{org.slug}/members"))
    used = new_client().get(link)
    assert used.status_code == 404


def test_sign_up_asks_the_base_currency_and_time_zone_from_the_browser(client, mailbox):
    british = sign_up_page(client, **{"Accept-Language": "en-GB,en;q=0.8"})
    assert selected(british, "base_currency") == "GBP"
    assert "data-browser-zone" in field_tag(british, "time_zone")  # signup.js picks the zone
    assert 'src="/static/signup.js"' in british
    assert selected(sign_up_page(client, **{"Accept-Language": "ja"}), "base_currency") == "JPY"
    assert selected(sign_up_page(client, **{"Accept-Language": "de-CH"}), "base_currency") == "CHF"

    email = new_email("kiwi")
    body = sign_up_page(client)
    bad = submit_sign_up(
        client,
        body,
        email=email,
        organisation="Kiwi Co",
        base_currency="XXX",
        time_zone="Mars/Base",
    )
    assert bad.status_code == 200
    words = page_text(bad)
    assert "Choose a currency from the list" in words and "Choose a time zone" in words

    body = sign_up_page(client)
    organisation = f"Kiwi Co {unique('')}"
    done = submit_sign_up(
        client,
        body,
        email=email,
        organisation=organisation,
        base_currency="NZD",
        time_zone="Pacific/Auckland",
    )
    assert done.status_code == 302
    confirm_email(client, mailbox, email)
    home = log_in(client, email)
    assert "owner · NZD" in page_text(home)
    slug = home.request.path.split("/")[2]
    settings = client.get(f"/o/{slug}/settings").get_data(as_text=True)
    assert selected(settings, "time_zone") == "Pacific/Auckland"


def test_two_orgs_of_one_name_are_told_apart_in_the_switcher(client, make):
    owner = make.user()
    name = f"Twin Co {unique('')}"
    first, second = make.org(owner, name), make.org(owner, name)
    other = make.org(owner, f"Solo {unique('')}")
    log_in(client, owner.email)
    shown = switcher(client)
    assert f"{name} ({first.slug})" in shown and f"{name} ({second.slug})" in shown
    assert other.name in shown  # a name the user has once stays as it is
