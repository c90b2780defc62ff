"""Account stories through HTTP: what a person types and what they then see."""

from __future__ import annotations

import html
import re

import pyotp
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support.factories import PASSWORD, unique
from tests.support.mailbox import Mailbox, first_link
from tests.support.web import csrf_from, path_of, post_form

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')
_ALERT = re.compile(r'<div class="alert alert-(\w+)[^"]*"[^>]*role="alert">(.*?)<button', re.S)


def new_email(prefix: str = "person") -> str:
    return f"{unique(prefix)}@example.com"


def page_text(response: TestResponse) -> str:
    """The words a person reads in the page's main area (tags dropped, spaces collapsed)."""
    body = response.get_data(as_text=True)
    start = body.find("<main")
    end = body.find("</main>")
    main = body[start:end] if start != -1 and end != -1 else body
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", main))).strip()


def alerts(response: TestResponse) -> list[str]:
    """The flashed messages shown at the top of the page."""
    body = response.get_data(as_text=True)
    return [
        _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()
        for _kind, text in _ALERT.findall(body)
    ]


def role_badge(response: TestResponse) -> str:
    """The role shown beside the org's name on its dashboard ("owner · EUR")."""
    match = re.search(r'class="badge[^"]*">\s*(\w+) · ', response.get_data(as_text=True))
    assert match, "no role badge on the page"
    return match.group(1)


def without_csrf(body: str) -> str:
    return _CSRF_VALUE.sub(r"\1…\2", body)


def register(
    client: FlaskClient,
    email: str,
    password: str = PASSWORD,
    *,
    name: str = "",
    organisation: str = "",
) -> TestResponse:
    """Fill in the sign-up page and submit it."""
    page = client.get("/register")
    assert page.status_code == 200
    return client.post(
        "/register",
        data={
            "email": email,
            "password": password,
            "password_confirm": password,
            "name": name,
            "organisation": organisation,
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )


def confirm_email(client: FlaskClient, mailbox: Mailbox, email: str) -> TestResponse:
    """Open the confirmation link from the sign-up mail; returns the page it lands on."""
    link = first_link(mailbox.wait_for(email, "welcome"), "/confirm/")
    return client.get(path_of(link), follow_redirects=True)


def signed_in(client: FlaskClient) -> bool:
    """Does the profile page open, or does it send this browser to the login page?"""
    response = client.get("/profile")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/login" in response.location, response.status
    return False


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    """Log in through the login page; returns the page the browser ends on."""
    return post_form(
        client, "/login", {"email": email, "password": password}, follow_redirects=True
    )


def enrol_authenticator(client: FlaskClient) -> pyotp.TOTP:
    """Turn on two-factor sign-in with an authenticator app; returns the 'phone app'."""
    setup = post_form(client, "/tf-setup", {"setup": "authenticator"}, token_from="/tf-setup")
    assert setup.status_code == 200
    body = setup.get_data(as_text=True)
    # The key printed under the QR code, for typing into an app by hand: XXXX-XXXX-...
    key = re.search(r'data-testid="authr-key">\s*([A-Z2-7-]+)\s*<', body)
    assert key, "no authenticator key shown during setup"
    action = re.search(r'<form action="([^"]+)"[^>]*name="two_factor_verify_code_form"', body)
    assert action, "no code form shown during setup"
    app = pyotp.TOTP(key.group(1).replace("-", ""))
    done = client.post(
        html.unescape(action.group(1)),
        data={"code": app.now(), "csrf_token": csrf_from(body)},
        follow_redirects=True,
    )
    assert "You successfully changed your two-factor method" in page_text(done)
    return app
