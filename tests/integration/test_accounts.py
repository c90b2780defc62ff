"""Accounts, end to end through HTTP, with every mail read from the SMTP server on loopback.

Sign-up, confirmation, login, logout, password reset and change, two-factor sign-in, generic
answers that do not reveal who has an account, login throttling, CSRF, headers and cookies.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from tests.support.accounts import (
    alerts,
    confirm_email,
    enrol_authenticator,
    log_in,
    new_email,
    page_text,
    register,
    role_badge,
    signed_in,
    without_csrf,
)
from tests.support.factories import PASSWORD, unique
from tests.support.jobs import run_jobs
from tests.support.mailbox import first_link, text_of
from tests.support.web import csrf, csrf_from, https_client, login, logout, path_of, post_form

NEW_PASSWORD = "a-new-and-longer-secret"
LOGIN_FAILED = "Authentication failed"


# --- Sign-up and confirmation ----------------------------------------------------------------


def test_newcomer_signs_up_confirms_and_lands_in_their_new_org(client, mailbox):
    email = new_email("ann")
    organisation = f"Ann's Garage {unique('')}"

    form = page_text(client.get("/register"))
    assert "Your name" in form and "Organisation name" in form

    signed_up = register(client, email, name="Ann Example", organisation=organisation)
    assert signed_up.status_code == 302
    landing = client.get(signed_up.location)
    assert f"To confirm your email address {email}" in " ".join(alerts(landing))

    first_link(mailbox.wait_for(email, "welcome"), "/confirm/")  # the mail has the link

    # Not yet confirmed: the right password is told why it cannot get in yet (see
    # test_unconfirmed_login_says_so_only_to_the_right_password for the wrong one).
    refused = log_in(client, email)
    assert "not confirmed yet" in page_text(refused)
    assert not signed_in(client)

    confirmed = confirm_email(client, mailbox, email)
    assert "Your email has been confirmed" in " ".join(alerts(confirmed))

    home = log_in(client, email)
    assert home.status_code == 200
    assert home.request.path.startswith("/o/")
    assert organisation in page_text(home)
    assert role_badge(home) == "owner"
    assert "Ann Example" in home.get_data(as_text=True)  # the user menu shows their name
    slug = home.request.path.split("/")[2]
    assert client.get(f"/o/{slug}/settings").status_code == 200  # owner-only page opens


def test_signing_up_with_a_taken_email_looks_like_any_other_sign_up(
    client, new_client, mailbox, make
):
    existing = make.user(name="Existing Person")
    stranger = new_client()
    fresh_email = new_email("fresh")

    fresh = register(stranger, fresh_email, "somebody-elses-pass")
    taken = register(client, existing.email, "somebody-elses-pass")

    assert (fresh.status_code, fresh.location) == (taken.status_code, taken.location)
    fresh_page = page_text(stranger.get(fresh.location)).replace(fresh_email, "EMAIL")
    taken_page = page_text(client.get(taken.location)).replace(existing.email, "EMAIL")
    assert fresh_page == taken_page
    assert "To confirm your email address EMAIL" in taken_page

    # The owner of the address hears about it; no second account is made for the stranger.
    notice = text_of(mailbox.wait_for(existing.email))
    assert "already" in notice
    assert LOGIN_FAILED in page_text(log_in(new_client(), existing.email, "somebody-elses-pass"))
    owner_browser = new_client()
    log_in(owner_browser, existing.email)
    assert signed_in(owner_browser)


def test_wrong_password_and_unknown_email_get_the_same_page(client, make):
    user = make.user()
    nobody = new_email("nobody")

    wrong_password = login(client, user.email, "not-the-password")
    unknown_email = login(client, nobody, "not-the-password")

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert LOGIN_FAILED in page_text(wrong_password)
    assert without_csrf(wrong_password.get_data(as_text=True)).replace(
        user.email, "EMAIL"
    ) == without_csrf(unknown_email.get_data(as_text=True)).replace(nobody, "EMAIL")
    assert not signed_in(client)


def test_password_reset_for_an_unknown_email_looks_the_same(app, client, mailbox, make, redis_url):
    user = make.user()
    nobody = new_email("nobody")

    known = post_form(client, "/reset", {"email": user.email}, token_from="/reset")
    unknown = post_form(client, "/reset", {"email": nobody}, token_from="/reset")

    assert known.status_code == unknown.status_code
    assert without_csrf(known.get_data(as_text=True)).replace(user.email, "EMAIL") == (
        without_csrf(unknown.get_data(as_text=True)).replace(nobody, "EMAIL")
    )
    assert "Instructions to reset your password have been sent to EMAIL" in page_text(
        known
    ).replace(user.email, "EMAIL")
    run_jobs(app, redis_url, "mail")  # the mail job sends it, not the request
    mailbox.wait_for(user.email, "reset")
    assert mailbox.to(nobody) == []


# --- Logout ----------------------------------------------------------------------------------


def test_logout_is_a_post_with_a_csrf_token(client, make):
    user = make.user()
    org = make.org(user)
    login(client, user.email, PASSWORD)
    assert signed_in(client)

    page = client.get("/logout")  # typed in the address bar: a page with the button
    assert page.status_code == 200 and b'action="/logout"' in page.data
    assert signed_in(client)  # a link or an <img src="/logout"> cannot log anyone out

    assert client.post("/logout").status_code == 400  # a cross-site form has no token
    assert signed_in(client)

    out = logout(client)
    assert out.status_code == 302
    assert not signed_in(client)
    protected = client.get(f"/o/{org.slug}/")
    assert protected.status_code == 302 and "/login" in protected.location


# --- Passwords -------------------------------------------------------------------------------


def test_forgotten_password_is_reset_from_the_mailed_link(
    app, client, new_client, mailbox, make, redis_url
):
    user = make.user()

    asked = post_form(client, "/reset", {"email": user.email}, token_from="/reset")
    assert asked.status_code == 200
    run_jobs(app, redis_url, "mail")
    link = path_of(first_link(mailbox.wait_for(user.email, "reset"), "/reset/"))

    form = client.get(link)
    assert form.status_code == 200
    done = client.post(
        link,
        data={
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
            "csrf_token": csrf_from(form.get_data(as_text=True)),
        },
        follow_redirects=True,
    )
    assert done.status_code == 200
    assert "reset" in " ".join(alerts(done)).lower()
    mailbox.wait_for(user.email, "password has been reset")

    assert LOGIN_FAILED in page_text(log_in(new_client(), user.email, PASSWORD))
    fresh = new_client()
    log_in(fresh, user.email, NEW_PASSWORD)
    assert signed_in(fresh)

    # The link worked once; the same mail cannot be used to change the password again.
    again = new_client()
    reuse = again.get(link, follow_redirects=True)
    assert "Invalid reset password token" in page_text(reuse)


def test_password_is_changed_while_logged_in(client, new_client, mailbox, make):
    user = make.user()
    make.org(user)
    login(client, user.email, PASSWORD)

    wrong = post_form(
        client,
        "/change",
        {
            "password": "not-my-password",
            "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD,
        },
        token_from="/change",
    )
    assert wrong.status_code == 200 and "Invalid password" in page_text(wrong)

    changed = post_form(
        client,
        "/change",
        {"password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD},
        token_from="/change",
        follow_redirects=True,
    )
    assert "You successfully changed your password" in " ".join(alerts(changed))
    mailbox.wait_for(user.email, "password has been changed")

    assert LOGIN_FAILED in page_text(log_in(new_client(), user.email, PASSWORD))
    other = new_client()
    log_in(other, user.email, NEW_PASSWORD)
    assert signed_in(other)


# --- Two-factor sign-in ----------------------------------------------------------------------


def test_authenticator_app_enrolment_and_sign_in(client, make):
    user = make.user()
    org = make.org(user, f"Two Factor Ltd {unique('')}")
    login(client, user.email, PASSWORD)

    phone = enrol_authenticator(client)
    logout(client)

    asked = login(client, user.email, PASSWORD)
    assert asked.status_code == 302 and "/tf-validate" in asked.location
    code_page = client.get(asked.location)
    assert "Authentication Code" in page_text(code_page)
    assert not signed_in(client)  # the password alone does not get in
    token = csrf_from(code_page.get_data(as_text=True))

    wrong_code = f"{(int(phone.now()) + 1) % 1_000_000:06d}"
    refused = client.post("/tf-validate", data={"code": wrong_code, "csrf_token": token})
    assert refused.status_code == 200 and "Invalid code" in page_text(refused)
    assert not signed_in(client)

    accepted = client.post(
        "/tf-validate", data={"code": phone.now(), "csrf_token": token}, follow_redirects=True
    )
    assert accepted.status_code == 200
    assert "Your code has been confirmed" in " ".join(alerts(accepted))
    assert org.name in page_text(accepted)
    assert signed_in(client)


# --- Brute force -----------------------------------------------------------------------------


def guess_wrong(attacker, emails: list[str]) -> None:
    """A wrong password for each of `emails`, each refused as a failed login (not throttled)."""
    for email in emails:
        guess = login(attacker, email, "guess-guess-guess")
        assert guess.status_code == 200 and LOGIN_FAILED in page_text(guess), email


def test_guessing_one_accounts_password_is_throttled(app_factory, make):
    attacker = https_client(app_factory(RATELIMIT_LOGIN_ACCOUNT="3 per minute"))
    victim = make.user()

    guess_wrong(attacker, [victim.email] * 3)
    throttled = login(attacker, victim.email, "guess-guess-guess")
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert "Too Many Requests" in page_text(throttled)

    # Even the right password waits now, and changing the letters' case is the same account.
    assert login(attacker, victim.email, PASSWORD).status_code == 429
    assert login(attacker, victim.email.upper(), PASSWORD).status_code == 429
    assert not signed_in(attacker)

    # Someone else on the same network is not locked out of their own account.
    neighbour = make.user()
    assert login(attacker, neighbour.email, PASSWORD).status_code == 302
    assert signed_in(attacker)


def test_guessing_from_one_address_is_throttled_across_accounts(app_factory, make):
    attacker = https_client(app_factory(RATELIMIT_LOGIN="3 per minute"))
    user = make.user()

    guess_wrong(attacker, [new_email("spray") for _ in range(3)])
    assert login(attacker, new_email("spray"), "guess-guess-guess").status_code == 429
    assert login(attacker, user.email, PASSWORD).status_code == 429
    assert not signed_in(attacker)


def test_throttling_in_one_app_leaves_other_apps_alone(app, app_factory, make):
    """The limits belong to the app that was configured with them (tests build several)."""
    strict = https_client(app_factory(RATELIMIT_LOGIN_ACCOUNT="2 per minute"))
    user = make.user()
    assert [login(strict, user.email, "x-wrong-x").status_code for _ in range(3)][-1] == 429

    relaxed = https_client(app)
    other = make.user()
    guess_wrong(relaxed, [other.email] * 3)
    assert login(relaxed, other.email, PASSWORD).status_code == 302


# --- CSRF ------------------------------------------------------------------------------------


def test_forms_posted_without_a_csrf_token_are_refused(client, new_client, mailbox, make):
    user = make.user()
    org = make.org(user)

    # Login with the right password but no token: refused, and nobody is signed in.
    no_token = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert no_token.status_code == 400 and "CSRF" in page_text(no_token)
    assert not signed_in(client)

    # Sign-up without a token: no account, no mail. Signing up properly afterwards gets the
    # ordinary welcome mail, so the first attempt created nothing.
    email = new_email("csrf")
    refused = client.post(
        "/register",
        data={"email": email, "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert refused.status_code == 400
    time.sleep(0.3)
    assert mailbox.to(email) == []
    register(client, email)
    assert "/confirm/" in first_link(mailbox.wait_for(email, "welcome"), "/confirm/")

    # An org form (invite someone) without a token: no invitation, no mail.
    login(client, user.email, PASSWORD)
    invitee = new_email("invitee")
    forged = client.post(f"/o/{org.slug}/members/invite", data={"email": invitee, "role": "owner"})
    assert forged.status_code == 400
    members = page_text(client.get(f"/o/{org.slug}/members"))
    assert invitee not in members and "No pending invitations" in members
    time.sleep(0.3)
    assert mailbox.to(invitee) == []

    # A token from another session does not count either.
    foreign = csrf(new_client(), "/login")
    stolen = client.post(
        f"/o/{org.slug}/members/invite",
        data={"email": invitee, "role": "owner", "csrf_token": foreign},
    )
    assert stolen.status_code == 400

    # Logout without a token does not log out.
    assert client.post("/logout").status_code == 400
    assert signed_in(client)


def test_json_posts_need_the_csrf_header(client, make):
    user = make.user()
    body = {"email": user.email, "password": PASSWORD}

    refused = client.post("/login", json=body, headers={"Accept": "application/json"})
    assert refused.status_code == 400
    assert refused.mimetype == "application/problem+json"
    assert "CSRF" in refused.get_json()["detail"]
    assert not signed_in(client)

    token = csrf(client, "/login")
    accepted = client.post(
        "/login", json=body, headers={"Accept": "application/json", "X-CSRFToken": token}
    )
    assert accepted.status_code == 200
    assert signed_in(client)


# --- Headers, cookies, hashing ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/login", "/", "/o/missing/"])
def test_every_response_carries_the_security_headers(client, make, path):
    user = make.user()
    make.org(user)
    login(client, user.email, PASSWORD)
    response = client.get(path)
    headers = response.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    assert "max-age=" in headers["Strict-Transport-Security"]


def test_session_and_remember_cookies_are_secure_httponly_and_lax(client, make):
    user = make.user()
    response = post_form(
        client, "/login", {"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    cookies = {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
    assert {"session", "remember_token"} <= set(cookies)
    for name in ("session", "remember_token"):
        flags = [part.strip().lower() for part in cookies[name].split(";")]
        assert "secure" in flags, cookies[name]
        assert "httponly" in flags, cookies[name]
        assert "samesite=lax" in flags, cookies[name]


def test_passwords_are_stored_as_argon2_hashes(client, mailbox, app):
    email = new_email("hash")
    register(client, email)
    mailbox.wait_for(email, "welcome")
    from app.extensions import db

    with app.app_context():
        stored = db.session.execute(
            text("SELECT password FROM users WHERE email = :email"), {"email": email}
        ).scalar_one()
    assert stored.startswith("$argon2")
    assert PASSWORD not in stored
