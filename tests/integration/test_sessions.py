"""Sessions the server can end (issue 10.2) and no login tokens on web pages (10.3).

A cookie copied before logout, a remember cookie copied before logout, and another browser's
session after "sign out everywhere" all get the login page; a Flask-Security auth token opens
nothing on the web, while the API's personal tokens keep working.
"""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.support.accounts import page_text, signed_in
from tests.support.factories import PASSWORD
from tests.support.web import csrf, https_client, login, logout, post_form

NEW_PASSWORD = "a-new-and-longer-secret"


def _cookie(client: FlaskClient, name: str) -> str:
    cookie = client.get_cookie(name, domain="outlay.test")
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def _browser_with(app, **cookies: str) -> FlaskClient:
    """A fresh browser that holds only the given (copied) cookies."""
    thief = https_client(app)
    for name, value in cookies.items():
        thief.set_cookie(name, value, domain="outlay.test")
    return thief


def test_a_session_cookie_copied_before_logout_opens_nothing_after_it(app, client, make):
    user = make.user()
    login(client, user.email, PASSWORD)
    copied = _cookie(client, "session")
    assert signed_in(_browser_with(app, session=copied))  # the copy works while signed in

    assert logout(client).status_code == 302

    replay = _browser_with(app, session=copied)
    profile = replay.get("/profile")
    assert profile.status_code == 302 and "/login" in profile.location


def test_a_remember_cookie_copied_before_logout_opens_nothing_after_it(app, client, make):
    user = make.user()
    post_form(client, "/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    remember = _cookie(client, "remember_token")
    assert signed_in(_browser_with(app, remember_token=remember))  # a new browser, remembered

    logout(client)

    replay = _browser_with(app, remember_token=remember)
    profile = replay.get("/profile")
    assert profile.status_code == 302 and "/login" in profile.location


def test_sign_out_everywhere_ends_the_other_browsers_session(app, make, new_client):
    user = make.user()
    laptop, phone = new_client(), new_client()
    login(laptop, user.email, PASSWORD)
    post_form(phone, "/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    phone_remember = _cookie(phone, "remember_token")

    sessions = page_text(laptop.get("/profile"))
    assert "Where you are signed in" in sessions and "this browser" in sessions
    assert sessions.count("last seen") == 2

    done = post_form(laptop, "/profile/sessions/revoke-all", token_from="/profile")
    assert done.status_code == 302
    assert not signed_in(laptop)
    assert not signed_in(phone)
    assert not signed_in(_browser_with(app, remember_token=phone_remember))


def test_one_other_browser_can_be_signed_out_from_the_profile(app, make, new_client):
    user = make.user()
    laptop, phone = new_client(), new_client()
    login(laptop, user.email, PASSWORD)
    login(phone, user.email, PASSWORD)

    body = laptop.get("/profile").get_data(as_text=True)

    forms = re.findall(r'action="(/profile/sessions/\d+/revoke)"', body)
    assert len(forms) == 1  # the other browser's; this one signs out with "Log out"
    post_form(laptop, forms[0], token_from="/profile")

    assert not signed_in(phone)
    assert signed_in(laptop)


def test_changing_the_password_ends_the_other_sessions(app, make, new_client):
    user = make.user()
    make.org(user)
    laptop, phone = new_client(), new_client()
    login(laptop, user.email, PASSWORD)
    post_form(phone, "/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    copied = _cookie(phone, "session")
    remembered = _cookie(phone, "remember_token")

    changed = post_form(
        laptop,
        "/change",
        {"password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD},
        token_from="/change",
    )
    assert changed.status_code == 302
    assert signed_in(laptop)  # the browser that changed it stays in
    assert not signed_in(phone)
    assert not signed_in(_browser_with(app, session=copied))
    assert not signed_in(_browser_with(app, remember_token=remembered))


# --- No Flask-Security auth tokens on the web ------------------------------------------------


def test_login_with_include_auth_token_returns_no_token(client, make):
    user = make.user()
    token = csrf(client, "/login")
    answer = client.post(
        "/login?include_auth_token",
        json={"email": user.email, "password": PASSWORD},
        headers={"Accept": "application/json", "X-CSRFToken": token},
    )
    assert answer.status_code == 200
    assert "authentication_token" not in answer.get_data(as_text=True)
    assert signed_in(client)  # the session login itself still works


def test_an_auth_token_opens_no_web_page(app, make):
    """Even a token minted the way Flask-Security makes them (an old one, a leaked log line)."""
    from app.extensions import db
    from app.models import User

    user = make.user()
    org = make.org(user)
    with app.test_request_context():
        minted = db.session.get(User, user.id).get_auth_token()

    stranger = https_client(app)
    for path in ("/profile", f"/o/{org.slug}/"):
        by_query = stranger.get(f"{path}?auth_token={minted}")
        assert by_query.status_code == 302 and "/login" in by_query.location
        by_header = stranger.get(path, headers={"Authentication-Token": minted})
        assert by_header.status_code == 302 and "/login" in by_header.location


def test_personal_api_tokens_still_work(app, make):
    from app.services.accounts import api_tokens

    user = make.user()
    org = make.org(user)
    with app.app_context():
        secret = api_tokens.issue(user.id, "sync")
    api = https_client(app)
    listed = api.get(
        f"/api/v1/orgs/{org.slug}/transactions", headers={"Authorization": f"Bearer {secret}"}
    )
    assert listed.status_code == 200


def test_an_idle_session_ends_and_a_used_one_is_marked_seen(app, owner_url, make, new_client):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import create_engine, pool, text

    from app.config import sqlalchemy_url

    owner = create_engine(sqlalchemy_url(owner_url), poolclass=pool.NullPool)
    user = make.user()
    recent, idle = new_client(), new_client()
    login(recent, user.email, PASSWORD)
    login(idle, user.email, PASSWORD)
    rows = "SELECT id FROM user_sessions WHERE user_id = :u ORDER BY id"
    set_seen = "UPDATE user_sessions SET last_seen_at = :at WHERE id = :id"
    now = datetime.now(UTC)
    with owner.begin() as conn:
        recent_id, idle_id = conn.execute(text(rows), {"u": user.id}).scalars().all()
        conn.execute(text(set_seen), {"at": now - timedelta(minutes=10), "id": recent_id})
        conn.execute(text(set_seen), {"at": now - timedelta(days=31), "id": idle_id})

    assert signed_in(recent)
    assert not signed_in(idle)
    with owner.begin() as conn:
        seen = conn.execute(
            text("SELECT last_seen_at FROM user_sessions WHERE id = :id"), {"id": recent_id}
        ).scalar_one()
    assert seen > now - timedelta(minutes=1)  # the visit was recorded
    owner.dispose()


def test_the_api_takes_only_personal_tokens(app, make):
    """Neither a signed-in browser's session nor a Flask-Security auth token opens the API."""
    from app.extensions import db
    from app.models import User

    user = make.user()
    org = make.org(user)
    with app.test_request_context():
        minted = db.session.get(User, user.id).get_auth_token()
    path = f"/api/v1/orgs/{org.slug}/transactions"

    browser = https_client(app)
    login(browser, user.email, PASSWORD)
    assert signed_in(browser)
    assert browser.get(path).status_code == 401  # the session cookie is not an API credential
    stranger = https_client(app)
    for headers, query in (
        ({"Authentication-Token": minted}, ""),
        ({"Authorization": f"Bearer {minted}"}, ""),
        ({}, f"?auth_token={minted}"),
    ):
        assert stranger.get(path + query, headers=headers).status_code == 401, headers or query
