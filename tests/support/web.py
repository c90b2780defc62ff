"""Helpers to act as a user through HTTP with the Flask test client."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def csrf(client: FlaskClient, path: str = "/login") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def post_form(
    client: FlaskClient,
    path: str,
    data: dict[str, Any] | None = None,
    token_from: str | None = None,
    **kwargs: Any,
):
    """POST like a browser: with the CSRF token a page of this session carries."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf(client, token_from or "/login")
    return client.post(path, data=payload, **kwargs)


def submit(client: FlaskClient, page: str, data: dict[str, Any] | None = None, **kwargs: Any):
    """Submit the form of `page` to `page` itself, as a browser does: with that page's token."""
    return post_form(client, page, data, token_from=page, **kwargs)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def login(client: FlaskClient, email: str, password: str):
    return post_form(client, "/login", {"email": email, "password": password})


def logout(client: FlaskClient):
    return post_form(client, "/logout", token_from="/profile")


def https_client(app: Flask) -> FlaskClient:
    """A browser on HTTPS: secure cookies, and the Referer that strict CSRF checks want."""
    test_client = app.test_client()
    test_client.environ_base["wsgi.url_scheme"] = "https"
    test_client.environ_base["HTTP_REFERER"] = "https://outlay.test/"
    return test_client


def member_beside_owner(client: FlaskClient, make: Any) -> tuple[Any, int, int]:
    """An org where its owner recorded "Owner's lunch" and a member "My taxi"; `client` is
    signed in as the member. Returns (org, the owner's transaction id, the member's)."""
    from tests.support.factories import PASSWORD

    owner, member = make.user(), make.user()
    org = make.org(owner)
    make.member(org, member, "member")
    theirs = make.transaction(org, owner, description="Owner's lunch")
    mine = make.transaction(org, member, role="member", description="My taxi")
    login(client, member.email, PASSWORD)
    return org, theirs, mine


@pytest.fixture
def owner_session(client: FlaskClient, make: Any) -> tuple[FlaskClient, Any, Any]:
    """`client` signed in as the owner of a new org: (client, owner, org) (a fixture, offered
    to the integration tests by tests/integration/conftest.py)."""
    from tests.support.factories import PASSWORD

    owner = make.user()
    org = make.org(owner)
    login(client, owner.email, PASSWORD)
    return client, owner, org
