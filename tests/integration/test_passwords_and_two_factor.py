"""Password rules (10.6), the unconfirmed-login answer (11.13), two-factor setup and one-time
recovery codes (11.19)."""

from __future__ import annotations

import re

import pytest

from tests.support.accounts import (
    enrol_authenticator,
    log_in,
    new_email,
    page_text,
    register,
    signed_in,
    without_csrf,
)
from tests.support.factories import PASSWORD, unique
from tests.support.web import csrf, https_client, login, logout, post_form

LOGIN_FAILED = "Authentication failed"


# --- Password strength -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("1234567890", "common password"),
        ("aaaaaaaaaa", 'Repeats like "aaa" are easy to guess'),
        ("EMAIL", "must not contain your email address"),
        ("LOCAL-and-more-words", "must not contain your email address"),
        ("My ORG rocks 2026!", "must not contain your organisation's name"),
    ],
)
def test_weak_passwords_are_refused_at_sign_up_with_the_reason(client, password, reason):
    email = new_email("weak")
    org = f"Quokka Works {unique('')}"
    password = (
        password.replace("EMAIL", email).replace("LOCAL", email.split("@")[0]).replace("ORG", org)
    )
    refused = register(client, email, password, organisation=org)
    assert refused.status_code == 200  # the form again, no account
    assert reason in page_text(refused)
    assert LOGIN_FAILED in page_text(log_in(https_client(client.application), email, password))


def test_the_usual_test_passwords_are_strong_enough(client, mailbox):
    email = new_email("strong")
    made = register(client, email, PASSWORD, organisation="Strong Passwords Ltd")
    assert made.status_code == 302


def test_a_password_change_may_not_use_the_email_or_an_org_name(client, make):
    user = make.user()
    org = make.org(user, f"Platypus Trading {unique('')}")
    login(client, user.email, PASSWORD)

    def change(new: str):
        data = {"password": PASSWORD, "new_password": new, "new_password_confirm": new}
        return post_form(client, "/change", data, token_from="/change")

    with_local = change(user.email.split("@")[0] + "-horse-battery")
    assert "must not contain your email address" in page_text(with_local)
    with_org = change(f"{org.name} is my password")
    assert "must not contain your organisation's name" in page_text(with_org)
    weak = change("aaaaaaaaaaaa")
    assert "easy to guess" in page_text(weak)
    assert LOGIN_FAILED not in page_text(log_in(https_client(client.application), user.email))


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("1234567890", "common password"),
        ("LOCAL-horse-battery", "must not contain your email address"),
        ("ORG is my password", "must not contain your organisation's name"),
    ],
)
def test_a_reset_from_the_mailed_link_follows_the_same_rules(
    app, make, mailbox, redis_url, password, reason
):
    from tests.support.jobs import run_jobs
    from tests.support.mailbox import first_link
    from tests.support.web import csrf_from, path_of

    user = make.user()
    org = make.org(user, f"Wombat Freight {unique('')}")
    password = password.replace("LOCAL", user.email.split("@")[0]).replace("ORG", org.name)
    client = https_client(app)
    mailbox.clear()
    post_form(client, "/reset", {"email": user.email}, token_from="/reset")
    run_jobs(app, redis_url, "mail")
    link = path_of(first_link(mailbox.wait_for(user.email, "reset"), "/reset/"))
    form = client.get(link)
    refused = client.post(
        link,
        data={
            "password": password,
            "password_confirm": password,
            "csrf_token": csrf_from(form.get_data(as_text=True)),
        },
    )
    assert refused.status_code == 200 and reason in page_text(refused)
    assert LOGIN_FAILED in page_text(log_in(https_client(app), user.email, password))
    assert LOGIN_FAILED not in page_text(log_in(https_client(app), user.email, PASSWORD))


# --- Logging in before confirming ------------------------------------------------------------


def test_unconfirmed_login_says_so_only_to_the_right_password(client, new_client, make):
    user = make.user(confirmed=False)

    right = log_in(client, user.email, PASSWORD)
    text = page_text(right)
    assert "not confirmed yet" in text and LOGIN_FAILED not in text
    body = right.get_data(as_text=True)
    resend = re.search(
        r'<form action="/confirm" method="post" name="resend_confirmation_form"', body
    )
    assert resend, "no offer to send the confirmation mail again"
    assert f'name="email" value="{user.email}"' in body
    assert not signed_in(client)

    # The offer works: the same request the resend page sends.
    sent = post_form(client, "/confirm", {"email": user.email}, token_from="/confirm")
    assert sent.status_code == 200

    # A wrong password learns nothing: the same page as for an address nobody has.
    wrong = log_in(new_client(), user.email, "not-the-password-at-all")
    nobody_email = new_email("nobody")
    nobody = log_in(new_client(), nobody_email, "not-the-password-at-all")
    assert LOGIN_FAILED in page_text(wrong)
    assert "not confirmed" not in page_text(wrong)
    assert without_csrf(wrong.get_data(as_text=True)).replace(user.email, "E") == without_csrf(
        nobody.get_data(as_text=True)
    ).replace(nobody_email, "E")


# --- Two-factor setup and recovery codes -----------------------------------------------------


def test_two_factor_setup_page_has_the_app_layout_and_plain_controls(client, make):
    user = make.user()
    make.org(user)
    login(client, user.email, PASSWORD)
    page = client.get("/tf-setup")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'class="navbar' in body  # the app's layout around it
    assert '<h1 class="h3">Two-factor sign-in</h1>' in body
    assert "<h3>" not in body and 'type="radio"' not in body  # no empty radio bar
    assert "Turn on with an authenticator app" in page_text(page)


def _codes(client) -> list[str]:
    made = post_form(client, "/mf-recovery-codes", token_from="/mf-recovery-codes")
    assert made.status_code == 200
    block = re.search(r'data-testid="recovery-codes">(.*?)</ul>', made.get_data(as_text=True), re.S)
    assert block, "no recovery codes shown"
    return re.findall(r"<li[^>]*>\s*([0-9a-f-]{14})\s*</li>", block.group(1))


def _recover(app, user, code: str):
    browser = https_client(app)
    asked = login(browser, user.email, PASSWORD)
    assert "/tf-validate" in asked.location
    assert "recovery code" in page_text(browser.get(asked.location))
    return browser, browser.post(
        "/mf-recovery", data={"code": code, "csrf_token": csrf(browser, "/mf-recovery")}
    )


def test_a_recovery_code_signs_in_once_and_is_shown_only_once(app, client, make):
    user = make.user()
    make.org(user)
    login(client, user.email, PASSWORD)
    enrol_authenticator(client)
    codes = _codes(client)
    assert len(codes) == 8

    later = client.get("/mf-recovery-codes?show_codes=1")  # shown once: not again
    assert not any(code in later.get_data(as_text=True) for code in codes)
    logout(client)

    browser, used = _recover(app, user, codes[0])
    assert used.status_code == 302
    assert signed_in(browser)

    again, reused = _recover(app, user, codes[0])
    assert "Recovery code invalid" in page_text(reused)
    assert not signed_in(again)

    other, second = _recover(app, user, codes[1])  # the others still work
    assert second.status_code == 302 and signed_in(other)

    from app.extensions import db
    from app.models import User

    with app.app_context():
        stored = db.session.get(User, user.id).mf_recovery_codes
    assert stored and not set(codes) & set(stored)  # digests only, never the codes
