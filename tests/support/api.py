"""Acting through the JSON API with a personal token, like a script would."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient


def token_for(app: Flask, user, name: str = "tests") -> str:
    from app.services.accounts import api_tokens

    with app.app_context():
        return api_tokens.issue(user.id, name)


@pytest.fixture
def owner_api(app: Flask, client: FlaskClient, make: Any) -> tuple[Any, Any, Api]:
    """An owner of a new org, the org, and an Api acting with the owner's token (a fixture,
    offered to the integration tests by tests/integration/conftest.py)."""
    owner = make.user()
    org = make.org(owner)
    return owner, org, Api(client, token_for(app, owner), org.slug)


class Api:
    """A client for /api/v1/orgs/<slug>/… with a bearer token."""

    def __init__(self, client: FlaskClient, token: str, slug: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}
        self.base = f"/api/v1/orgs/{slug}"

    def get(self, path: str, **kwargs: Any):
        return self.client.get(self.base + path, headers=self.headers, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any):
        return self.client.post(self.base + path, json=json, headers=self.headers, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any):
        return self.client.patch(self.base + path, json=json, headers=self.headers, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        return self.client.delete(self.base + path, headers=self.headers, **kwargs)


def fields_of(problem_response) -> dict[str, str]:
    """The per-field messages of an RFC 9457 problem document."""
    body = problem_response.get_json()
    return {e["field"]: e["message"] for e in body.get("errors", [])}
