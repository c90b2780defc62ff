"""No input is a server error, on any route: a hypothesis property over every rule of
`app.url_map` (walked like the role matrix, URL arguments from tests/support/route_samples.py).

Each route gets generated JSON bodies (deep nesting, lone surrogates, NUL, huge and tiny numbers,
Unicode digits, ambiguous amounts and dates, long text, odd types), form bodies and query strings
with the same values, as the org's signed-in owner and as an anonymous visitor. The assertion
is the issue's: never a 5xx (in testing an exception propagates, so it fails here by name).
A bounded number of examples per route keeps the walk to about a minute on two cores.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.api import token_for
from tests.support.factories import PASSWORD, Factory
from tests.support.route_samples import all_routes, resolve, sample_args, url_for_rule
from tests.support.web import csrf, https_client, login

ROUTES = all_routes()
EXAMPLES_PER_ROUTE = 2

FIELD_NAMES = [
    # what the app's forms and JSON bodies name (transactions, recurring, budgets, reminders,
    # categories, members, views, filters, profile, auth)
    *("kind", "date", "amount", "currency", "category_id", "description", "payment_method_id"),
    *("notes", "tags", "rate", "frequency", "interval", "weekday", "month_day", "month"),
    *("start_date", "end_date", "count", "is_bill", "remind_days_before", "paused", "name"),
    *("period", "rollover", "thresholds", "title", "due_date", "parent_id", "color", "icon"),
    *("email", "role", "ids", "action", "query", "back", "replace", "cursor", "sort", "min"),
    *("max", "from", "to", "limit", "preset", "q", "tag", "locale", "default_org", "password"),
    *("organisation", "base_currency", "enabled", "kinds", "submit"),
]

DEPTHS = (33, 5_000)  # the unit tests send 100,000 levels
# JSON texts json.dumps cannot write (1e400, bare NaN, lone surrogates as escapes, 5,000-digit
# integers, nesting deeper than the parser's recursion limit) are written by hand.
RAW_JSON_VALUES = [
    '"\\ud800"',
    '"x\\udfffy"',
    '"\\u0000"',
    "1e400",
    "-1e400",
    "1e-20000",
    "NaN",
    "Infinity",
    "1" + "0" * 40,
    "9" * 5_000,
    "9223372036854775808",
    "-1",
    "0",
    "0.1",
    "true",
    "null",
    "[]",
    "{}",
    *(f'"{v}"' for v in ("1e-20000", "1E+999999", "1,5", "1 000", "1_000", "0.001", "10.5")),
    *(f'"{v}"' for v in ("20261120", "2026-W47-5", "2026-02-30", "0001-01-01", "NaN", "-0")),
    '"\\u0663"',  # an Arabic-Indic three
    '"' + "x" * 5_000 + '"',
]
FORM_VALUES = [
    "%ED%A0%80",  # U+D800 in (invalid) UTF-8
    "%00",
    "%D9%A3",  # an Arabic-Indic three
    *("1e-20000", "1E%2B999999", "1%2C5", "1+000", "1_000", "0.001", "10.5", "-1", "NaN"),
    *("20261120", "2026-W47-5", "2026-02-30", "9" * 40, "", "on", "x" * 5_000),
]


def _json_text(value: Any) -> str:
    return json.dumps(value)


json_scalar = st.one_of(
    st.sampled_from(RAW_JSON_VALUES),
    st.sampled_from(DEPTHS).map(lambda d: "[" * d + "]" * d),
    st.one_of(st.integers(), st.text(max_size=20), st.booleans()).map(_json_text),
)
json_key = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8).map(lambda k: k))
json_bodies = st.one_of(
    st.dictionaries(json_key, json_scalar, min_size=1, max_size=5).map(
        lambda d: "{" + ",".join(f"{json.dumps(k)}: {v}" for k, v in d.items()) + "}"
    ),
    json_scalar,
    st.lists(json_scalar, max_size=3).map(lambda items: "[" + ",".join(items) + "]"),
)
form_bodies = st.dictionaries(
    st.sampled_from(FIELD_NAMES), st.sampled_from(FORM_VALUES), min_size=1, max_size=6
).map(lambda d: "&".join(f"{quote(k)}={v}" for k, v in d.items()))


class Visitor:
    """A browser (session + CSRF token) and an API token for one person, or anonymous."""

    def __init__(self, app: Flask, user: Any | None) -> None:
        self.app, self.user = app, user
        self.api_headers = {"Authorization": f"Bearer {token_for(app, user)}"} if user else {}
        self.sign_in()

    def sign_in(self) -> None:
        self.client = https_client(self.app)
        if self.user is not None:
            assert login(self.client, self.user.email, PASSWORD).status_code == 302
        self.csrf = csrf(self.client, "/profile" if self.user else "/login")

    def still_signed_in(self) -> None:
        """Routes such as /logout end the session; sign in again for the next route."""
        if self.user is not None and self.client.get("/profile").status_code != 200:
            self.sign_in()

    def send(self, method: str, path: str, body: str, content_type: str) -> Any:
        headers = dict(self.api_headers) if path.startswith("/api/") else {}
        headers["X-CSRFToken"] = self.csrf
        if content_type.endswith("urlencoded"):
            body = f"csrf_token={self.csrf}&{body}"
        return self.client.open(
            path, method=method, data=body.encode(), content_type=content_type, headers=headers
        )


@pytest.fixture(scope="module")
def walk(app: Flask):
    make = Factory(app)
    owner = make.user()
    org = make.org(owner)
    make.transaction(org, owner, amount="12.50")
    return make, org, owner, {"owner": Visitor(app, owner), "anonymous": Visitor(app, None)}


def _no_server_error(who: str, visitor: Visitor, method: str, path: str, *sent: str) -> None:
    try:
        response = visitor.send(method, path, *sent)
    except Exception as exc:  # testing propagates what would be a 500
        raise AssertionError(f"{who}: {method} {path} raised {exc!r}") from exc
    assert response.status_code < 500, (
        f"{who}: {method} {path} -> {response.status_code} "
        f"{response.get_data(as_text=True)[:300]!r}"
    )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_no_generated_input_is_a_server_error(app: Flask, walk, route):
    make, org, owner, visitors = walk
    rule = route.find(app)
    path = url_for_rule(rule, resolve(rule, sample_args(app, make, org, owner)))
    method = route.method
    takes_forms = not path.startswith("/api/") and method != "GET"

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(body=json_bodies, form=form_bodies)
    def probe(body: str, form: str) -> None:
        for who, visitor in visitors.items():
            _no_server_error(who, visitor, method, path, body, "application/json")
            if takes_forms:
                kind = "application/x-www-form-urlencoded"
                _no_server_error(who, visitor, method, path, form, kind)
            if method == "GET":
                _no_server_error(who, visitor, method, f"{path}?{form}", "", "")

    probe()
    visitors["owner"].still_signed_in()


# Every route also gets each of the examples for certain, in every field at once (the
# generated walk above samples a few bodies per route, so it may miss one on a given route).
SWEEP_JSON = [
    "[" * 5_000 + "]" * 5_000,
    *(
        "{" + ",".join(f"{json.dumps(name)}: {raw}" for name in FIELD_NAMES) + "}"
        for raw in ('"\\ud800"', "1e-20000", "1e400", '"1e-20000"', "9" * 5_000, '"\\u0663"')
    ),
    *(
        "{" + ",".join(f"{json.dumps(name)}: {json.dumps(text)}" for name in FIELD_NAMES) + "}"
        for text in ("1,5", "1 000", "1_000", "20261120", "2026-W47-5", "1e-10")
    ),
]
SWEEP_FORMS = [
    "&".join(f"{quote(name)}={value}" for name in FIELD_NAMES)
    for value in ("%ED%A0%80", "%00", "%D9%A3", "1e-20000", "1%2C5", "1+000", "2026-W47-5")
]


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_each_listed_example_in_every_field_is_not_a_server_error(app: Flask, walk, route):
    make, org, owner, visitors = walk
    rule = route.find(app)
    path = url_for_rule(rule, resolve(rule, sample_args(app, make, org, owner)))
    method = route.method
    takes_forms = not path.startswith("/api/") and method != "GET"
    visitor = visitors["owner"]
    for body in SWEEP_JSON:
        _no_server_error("owner", visitor, method, path, body, "application/json")
    for form in SWEEP_FORMS:
        if takes_forms:
            _no_server_error(
                "owner", visitor, method, path, form, "application/x-www-form-urlencoded"
            )
        if method == "GET":
            _no_server_error("owner", visitor, method, f"{path}?{form}", "", "")
    visitor.still_signed_in()
