"""Throttles that hold (issue 10.4): per account under any spelling of the email the login
accepts, on re-authentication and password change, and on two-factor codes per account and
per half-login, which ends after a few wrong codes even if an older cookie is replayed."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.support.accounts import (
    enrol_authenticator,
    new_email,
    page_text,
    register,
    signed_in,
)
from tests.support.factories import PASSWORD, unique
from tests.support.jobs import run_jobs
from tests.support.web import csrf, https_client, login, logout, post_form

WRONG = "guess-wrong-guess-wrong"


def fullwidth(text: str) -> str:
    """ASCII letters as their fullwidth forms (U+FF41 on): the login's normaliser folds them."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in text)


def test_fullwidth_and_case_spellings_share_the_accounts_bucket(app_factory, make):
    app = app_factory(RATELIMIT_LOGIN_ACCOUNT="3 per minute")
    victim = make.user()
    local, domain = victim.email.split("@")
    spellings = [f"{local}@{fullwidth(domain)}", f"{local}@{domain.upper()}", victim.email]

    attacker = https_client(app)
    for spelling in spellings:
        assert login(attacker, spelling, WRONG).status_code == 200
    for spelling in spellings:  # the right password, in any spelling, waits now
        assert login(attacker, spelling, PASSWORD).status_code == 429
    assert not signed_in(attacker)


def fullwidth_domain(email: str) -> str:
    """A spelling the login accepts for `email`'s account (its domain in fullwidth letters)."""
    local, domain = email.split("@")
    return f"{local}@{fullwidth(domain)}"


def spellings_of(email: str) -> list[str]:
    """Other spellings of `email`: case, fullwidth letters, compatibility forms (Kelvin sign,
    dotted capital I), padding, in the local part and in the domain."""
    local, domain = email.split("@")
    swaps = {"i": "\u0130", "k": "\u212a", "s": "\u017f"}  # İ, Kelvin K, long s

    def swapped(text: str) -> str:
        return "".join(swaps.get(c, c) for c in text)

    return [
        email.upper(),
        f" {email} ",
        f"{local}@{fullwidth(domain)}",
        f"{fullwidth(local)}@{domain}",
        f"{local.title()}@{domain.upper()}",
        f"{swapped(local)}@{domain}",
        f"{local}@{swapped(domain)}",
        f"{swapped(local).upper()}@{fullwidth(domain)}",
    ]


def test_every_spelling_that_reaches_the_account_shares_its_bucket(app_factory, make):
    """The class, not the example: any spelling the login accepts for this account, wrong
    passwords under it count in the account's one bucket, whatever the database's lower()."""
    limits = {"RATELIMIT_LOGIN_ACCOUNT": "2 per minute", "RATELIMIT_LOGIN": "1000 per minute"}
    app = app_factory(RATELIMIT_LOGIN_ACCOUNT="1000 per minute", RATELIMIT_LOGIN="1000 per minute")
    victim = make.user(email=f"{unique('kiosk-isis')}@kiosk-mail.example")
    reaching = []
    for spelling in spellings_of(victim.email):
        probe = https_client(app)
        if login(probe, spelling, PASSWORD).status_code == 302 and signed_in(probe):
            reaching.append(spelling)
    assert len(reaching) >= 4, reaching  # case, padding and fullwidth domains at least
    for spelling in reaching:
        fresh = app_factory(**limits)  # a key prefix of its own: fresh buckets
        attacker = https_client(fresh)
        login(attacker, victim.email, WRONG)
        login(attacker, victim.email, WRONG)  # the account's bucket is spent
        assert login(attacker, spelling, PASSWORD).status_code == 429, spelling
        assert not signed_in(attacker)


def test_a_fullwidth_spelling_reaches_the_same_account(app, make):
    """So the shared bucket matters: this spelling really logs in to that account."""
    user = make.user()
    local, domain = user.email.split("@")
    browser = https_client(app)
    assert login(browser, f"{local}@{fullwidth(domain)}", PASSWORD).status_code == 302
    assert signed_in(browser)


def _reauth(client: FlaskClient, password: str):
    return post_form(client, "/verify", {"password": password}, token_from="/verify")


def _change(client: FlaskClient, password: str):
    new = "another-long-passphrase-here"
    data = {"password": password, "new_password": new, "new_password_confirm": new}
    return post_form(client, "/change", data, token_from="/change")


def test_reauthentication_is_throttled_per_account_across_sessions(app_factory, make):
    app = app_factory(RATELIMIT_LOGIN_ACCOUNT="3 per minute")
    user = make.user()
    first, second = https_client(app), https_client(app)
    login(first, user.email, PASSWORD)
    login(second, user.email, PASSWORD)

    for _ in range(3):
        assert _reauth(first, WRONG).status_code == 200
    assert _reauth(first, WRONG).status_code == 429
    assert _reauth(second, PASSWORD).status_code == 429  # another session of the account


def test_password_change_is_throttled_per_account_across_sessions(app_factory, make):
    app = app_factory(RATELIMIT_LOGIN_ACCOUNT="3 per minute")
    user = make.user()
    make.org(user)
    first, second = https_client(app), https_client(app)
    login(first, user.email, PASSWORD)
    login(second, user.email, PASSWORD)

    for _ in range(3):
        wrong = _change(first, WRONG)
        assert wrong.status_code == 200 and "Invalid password" in page_text(wrong)
    assert _change(second, PASSWORD).status_code == 429
    assert login(https_client(app), user.email, PASSWORD).status_code == 302  # unchanged


def test_password_change_is_throttled_per_address_across_accounts(app_factory, make):
    app = app_factory(RATELIMIT_LOGIN="3 per minute")
    one, two = make.user(), make.user()
    make.org(one)
    make.org(two)
    first, second = https_client(app), https_client(app)
    login(first, one.email, PASSWORD)
    login(second, two.email, PASSWORD)

    assert _change(first, WRONG).status_code == 200
    assert _change(first, WRONG).status_code == 200
    assert _change(second, WRONG).status_code == 200
    assert _change(second, WRONG).status_code == 429


# --- Two-factor codes ------------------------------------------------------------------------


def _wrong(phone) -> str:
    return f"{(int(phone.now()) + 500_000) % 1_000_000:06d}"


def _half_login(app, user) -> FlaskClient:
    browser = https_client(app)
    asked = login(browser, user.email, PASSWORD)
    assert asked.status_code == 302 and "/tf-validate" in asked.location
    return browser


def _code(browser: FlaskClient, code: str, token: str | None = None):
    token = token or csrf(browser, "/tf-validate")
    return browser.post("/tf-validate", data={"code": code, "csrf_token": token})


def _enrolled(app, make):
    user = make.user()
    make.org(user)
    browser = https_client(app)
    login(browser, user.email, PASSWORD)
    phone = enrol_authenticator(browser)
    logout(browser)
    return user, phone


def test_a_half_login_ends_after_five_wrong_codes_even_from_an_older_cookie(app_factory, make):
    app = app_factory()
    user, phone = _enrolled(app, make)
    browser = _half_login(app, user)
    token = csrf(browser, "/tf-validate")
    before = browser.get_cookie("session", domain="outlay.test").value  # copied before guessing

    for _ in range(5):
        refused = _code(browser, _wrong(phone), token)
        assert refused.status_code == 200 and "Invalid code" in page_text(refused)
    ended = _code(browser, phone.now(), token)
    assert ended.status_code == 429
    assert not signed_in(browser)
    again = _code(browser, phone.now(), token)  # the half-login is gone, not just paused
    assert not signed_in(browser)
    assert again.status_code in (302, 429)

    replay = https_client(app)
    replay.set_cookie("session", before, domain="outlay.test")
    assert _code(replay, phone.now(), token).status_code == 429
    assert not signed_in(replay)

    fresh = _half_login(app, user)  # with the password again, a new half-login works
    assert _code(fresh, phone.now()).status_code == 302
    assert signed_in(fresh)


def test_two_factor_codes_are_throttled_per_account_across_half_logins(app_factory, make):
    app = app_factory(RATELIMIT_TWO_FACTOR_ACCOUNT="3 per hour")
    user, phone = _enrolled(app, make)

    for _ in range(3):  # each try from a new half-login (a new password login)
        assert _code(_half_login(app, user), _wrong(phone)).status_code == 200
    last = _half_login(app, user)
    assert _code(last, phone.now()).status_code == 429
    assert not signed_in(last)


def _recovery_try(browser: FlaskClient, code: str):
    return browser.post(
        "/mf-recovery", data={"code": code, "csrf_token": csrf(browser, "/mf-recovery")}
    )


def test_recovery_codes_are_throttled_per_half_login_and_per_account(app_factory, make):
    """/mf-recovery takes a second factor too: the same limits as the authenticator's codes."""
    import re

    app = app_factory(RATELIMIT_TWO_FACTOR_ACCOUNT="8 per hour")
    user = make.user()
    make.org(user)
    browser = https_client(app)
    login(browser, user.email, PASSWORD)
    enrol_authenticator(browser)
    made = post_form(browser, "/mf-recovery-codes", token_from="/mf-recovery-codes")
    codes = re.findall(r"<li[^>]*>\s*([0-9a-f-]{14})\s*</li>", made.get_data(as_text=True))
    assert len(codes) == 8
    logout(browser)

    half = _half_login(app, user)
    for _ in range(5):  # RATELIMIT_TWO_FACTOR_SESSION: 5 per hour
        assert _recovery_try(half, "0000-0000-0000").status_code == 200
    assert _recovery_try(half, codes[0]).status_code == 429  # the right code, too late
    assert not signed_in(half)

    for _ in range(3):  # the account's other 3 of 8, spent from new half-logins
        assert _recovery_try(_half_login(app, user), "0000-0000-0000").status_code == 200
    last = _half_login(app, user)
    assert _recovery_try(last, codes[1]).status_code == 429
    assert not signed_in(last)


def test_a_limited_view_tells_its_limit_and_other_responses_do_not(app_factory, make):
    """The limiters' after-request work runs where a limit was checked: a login answers with
    how many tries are left, falling with each; a page or an API call without a limit carries
    no rate-limit headers (nothing was counted)."""
    app = app_factory(RATELIMIT_LOGIN_ACCOUNT="5 per minute", RATELIMIT_LOGIN="1000 per minute")
    victim = make.user()
    client = https_client(app)
    left = []
    for _ in range(2):
        response = login(client, victim.email, WRONG)
        assert response.status_code == 200
        left.append(int(response.headers["X-RateLimit-Remaining"]))
    assert left[1] < left[0]
    for path in ("/login", "/api/v1/orgs/nowhere/transactions", "/readyz"):
        other = client.get(path)
        assert not [h for h, _ in other.headers.items() if h.lower().startswith("x-ratelimit")], (
            path
        )


def test_mail_to_one_address_has_one_budget_across_views_and_spellings(
    app_factory, make, mailbox, redis_url
):
    """Reset, confirmation and sign-up mail a typed address: past the budget, any of them for
    that address, spelled any way the login accepts and from any client, is refused with a
    reason and sends nothing; a known and an unknown address are treated alike, a sign-up the
    form refused (a weak password) costs nothing, and other addresses keep their budgets."""
    app = app_factory(RATELIMIT_MAIL_ADDRESS="2 per hour")
    victim, bystander = make.user(), make.user()
    nobody, newcomer = new_email("nobody"), new_email("newcomer")

    answers = {}
    for address in (victim.email, nobody):
        weak = [register(https_client(app), address, "short").status_code for _ in range(3)]
        first = post_form(https_client(app), "/reset", {"email": address}, token_from="/reset")
        again = post_form(
            https_client(app), "/confirm", {"email": address.upper()}, token_from="/confirm"
        )
        refused = [
            post_form(https_client(app), "/reset", {"email": fullwidth_domain(address)}, "/reset"),
            register(https_client(app), address, "another-long-passphrase-here"),
        ]
        answers[address] = (
            weak + [first.status_code, again.status_code] + [r.status_code for r in refused]
        )
        texts = [page_text(r) for r in refused]
        assert all("Too many emails to this address" in t for t in texts), texts
    assert answers[victim.email] == answers[nobody] == [200, 200, 200, 200, 200, 429, 429]

    joined = register(https_client(app), newcomer, "another-long-passphrase-here")
    assert joined.status_code == 302  # an accepted sign-up spends one
    asked = [
        post_form(https_client(app), "/reset", {"email": newcomer}, "/reset").status_code
        for _ in range(2)
    ]
    assert asked == [200, 429]
    other = post_form(https_client(app), "/reset", {"email": bystander.email}, "/reset")
    assert other.status_code == 200

    run_jobs(app, redis_url, "mail")
    mailbox.wait_for(bystander.email, "reset")
    assert [m["Subject"] for m in mailbox.to(victim.email)] == [
        mailbox.wait_for(victim.email, "reset")["Subject"]
    ]  # the one reset mail; the refused tries sent nothing
    assert mailbox.to(nobody) == []


def test_every_spelling_that_reaches_the_account_shares_its_mail_budget(app_factory, make):
    """The class: any spelling the lookup takes to this account (the same lookup as the
    login's) spends the address's one mail budget, whatever the database's lower() folds."""
    app = app_factory()
    victim = make.user(email=f"{unique('kiosk-isis')}@kiosk-mail.example")
    reaching = [
        spelling
        for spelling in spellings_of(victim.email)
        if login(probe := https_client(app), spelling, PASSWORD).status_code == 302
        and signed_in(probe)
    ]
    assert len(reaching) >= 4, reaching
    for spelling in reaching:
        fresh = app_factory(RATELIMIT_MAIL_ADDRESS="2 per hour")  # fresh buckets
        for _ in range(2):
            asked = post_form(https_client(fresh), "/reset", {"email": victim.email}, "/reset")
            assert asked.status_code == 200
        again = post_form(https_client(fresh), "/reset", {"email": spelling}, "/reset")
        assert again.status_code == 429, spelling
