"""What the route-walking tests need to call any URL of the app as any user.

tests/integration/test_role_matrix.py and tests/integration/test_cross_tenant.py walk every
rule of `app.url_map`. To call a rule they need a value for each of its URL arguments and a way
for a user's client to sign in. Both live here, in one place:

- Added a route with a NEW URL ARGUMENT NAME (`<int:budget_id>`, ...)? Add one line to
  `sample_args()` below. The walk fails, naming the argument, until you do.
- Added routes that AUTHENTICATE DIFFERENTLY from the browser session? Add an entry to
  `AUTH_BY_PREFIX` below (the /api/ bearer tokens are the example).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from app.web import assets
from tenants.permissions import EXTERNAL_ACCESS_PREFIXES, Perm, access_of
from tests.support.exports import archive_import_row, finished_export
from tests.support.factories import PASSWORD, Factory, seat_of, unique
from tests.support.notices import notice
from tests.support.recurring import make_reminder, make_rule
from tests.support.web import csrf, https_client, login, path_of

# The methods the walk calls; HEAD and OPTIONS are answered by Flask itself.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


# ---------------------------------------------------------------------------------------------
# URL argument samples
# ---------------------------------------------------------------------------------------------


def sample_args(
    app: Flask, make: Factory, org: Any, owner: Any, actor: Any = None
) -> dict[str, object]:
    """A value for every URL argument name of the app, naming a real object in `org`.

    EXTEND THIS when you add a route with a new argument name: one line per name. A value is
    either a plain value or a zero-argument callable that creates a fresh object in `org` and
    returns what goes in the URL. Callables run only for rules that use the argument, once per
    `resolve()`, so a destructive route (remove, revoke, delete) gets an object of its own.

    `owner` owns `org`. `actor` (default: `owner`) is who will request the URL: objects that
    belong to a person (their transactions, saved views, API tokens) are made as the actor, so
    a member can reach "their own" and a saved view is the requester's.
    Objects must be in `org`: the cross-tenant test uses them as "org B's ids".
    """
    actor = actor or owner
    return {
        "slug": org.slug,
        "membership_id": lambda: make.member(org, make.user(), "member"),
        "invitation_id": lambda: invitation(app, org, owner)[0],
        "token": lambda: invitation(app, org, owner)[1],  # an invitation link's token
        "category_id": lambda: make.category(org, name=unique("Sample category ")),
        "transaction_id": lambda: make.transaction(org, actor),
        "method_id": lambda: payment_method(app, org, owner),
        "view_id": lambda: saved_view(app, org, actor),
        "token_id": lambda: api_token(app, actor)[0],  # the actor's own API token
        "filename": "outlay.css",  # static files (app, bootstrap, Flask-Security)
        "notification_id": lambda: notification(app, org, actor),  # the actor's own
        "unsubscribe_token": lambda: unsubscribe_token(app, org, actor),
        "budget_id": lambda: budget(app, org, owner),
        "rule_id": lambda: make_rule(app, org, actor),  # the actor's rule: members see their own
        "reminder_id": lambda: make_reminder(app, org, owner),  # a one-off bill reminder
        # auth: another signed-in session of the actor's (profile's per-session sign-out)
        "session_id": lambda: user_session(app, actor),
        "version": assets.digest(),  # the vendored plotly.js's content digest
        "receipt_id": lambda: receipt(app, org, actor),  # on the actor's own transaction
        "export_id": lambda: finished_export(app, org, actor),  # the actor's own, ready
        "import_id": lambda: archive_import_row(app, org, actor),  # the actor's own, done
    }


def user_session(app: Flask, user: Any) -> int:
    """A signed-in session of `user` in another browser; returns its id."""
    from app.extensions import db
    from app.models import User, UserSession
    from app.services.accounts import sessions

    with app.test_request_context():
        _login_id, digest = sessions.start(db.session.get(User, user.id), "Sample/1.0", None)
        db.session.commit()
        return db.session.scalar(db.select(UserSession.id).where(UserSession.digest == digest))


def invitation(app: Flask, org: Any, owner: Any) -> tuple[int, str]:
    """A pending invitation to `org`, sent by `owner`: (id, the token of its link)."""
    from app.services.orgs import members
    from tenants.context import tenant_context

    with app.test_request_context(), tenant_context(org.id, owner.id):
        sent = members.invite(seat_of(org, owner), f"{unique('invitee')}@example.com", "member")
        return sent.id, members._serializer().dumps({"org": org.id, "inv": sent.id})


def payment_method(app: Flask, org: Any, owner: Any) -> int:
    from app.services.ledger import categories
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id, owner.id):
        return categories.create_payment_method(seat_of(org, owner), unique("Card ")).id


def saved_view(app: Flask, org: Any, user: Any) -> int:
    from app.services.ledger import saved_views
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id, user.id):
        return saved_views.save(seat_of(org, user), unique("View "), "kind=expense").id


def api_token(app: Flask, user: Any) -> tuple[int, str]:
    """A personal API token of `user`: (id, the secret)."""
    from app.extensions import db
    from app.models import ApiToken
    from app.services.accounts import api_tokens

    with app.app_context():
        secret = api_tokens.issue(user.id, unique("route walk "))
        token_id = db.session.scalar(
            db.select(ApiToken.id).where(ApiToken.digest == api_tokens.digest(secret))
        )
        return token_id, secret


def notification(app: Flask, org: Any, user: Any) -> int:
    """An in-app notification for `user` in `org` (made through notify(), as features do)."""
    from app.extensions import db
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id, user.id):
        ids = notice(
            org,
            [user.id],
            unique("sample-"),
            kind="budget_alert",
            title="Sample alert",
            body="A sample notification.",
            link=f"/o/{org.slug}/",
        )
        db.session.commit()
        return ids[0]


def budget(app: Flask, org: Any, owner: Any) -> int:
    """A monthly budget of `org` on a category of its own (one budget per category and period,
    so each sample gets a fresh category)."""
    from app.services.budgets import budgets
    from app.services.ledger import categories
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id, owner.id):
        seat = seat_of(org, owner)
        category = categories.create_category(
            seat, {"name": unique("Budgeted "), "kind": "expense"}
        )
        data = {"amount": "500", "period": "monthly", "category_id": category.id}
        return budgets.create(seat, data).id


def receipt(app: Flask, org: Any, user: Any) -> int:
    """A PNG receipt on a new transaction of `user` in `org`, attached as `user`."""
    from tests.support.receipts import attach_png

    return attach_png(app, Factory(app), org, user)


def unsubscribe_token(app: Flask, org: Any, user: Any) -> str:
    """The token of an email's unsubscribe link for `user`'s budget alerts in `org`."""
    from app.services.notifications import notification_prefs

    with app.app_context():
        return notification_prefs.unsubscribe_token(org.id, user.id, "budget_alert")


def resolve(rule: Rule, samples: dict[str, object]) -> dict[str, object]:
    """The concrete values for `rule`'s arguments (callables are run here, once each)."""
    if missing := sorted(name for name in rule.arguments if name not in samples):
        pytest.fail(
            f"{rule.endpoint} ({rule.rule}) has URL argument(s) {', '.join(missing)} with no "
            "sample value: add them to sample_args() in tests/support/route_samples.py"
        )
    return {
        name: value() if callable(value) else value
        for name, value in samples.items()
        if name in rule.arguments
    }


def url_for_rule(rule: Rule, values: dict[str, object]) -> str:
    """The path of exactly this rule (not another rule of the same endpoint) with `values`."""
    built = rule.build({k: v for k, v in values.items() if k in rule.arguments})
    assert built is not None, f"could not build {rule.rule} from {values}"
    return path_of(built[1])


# ---------------------------------------------------------------------------------------------
# How a user's client authenticates, by the rule's URL prefix
# ---------------------------------------------------------------------------------------------


@dataclass
class Credentials:
    headers: dict[str, str] = field(default_factory=dict)  # sent with every request
    csrf_token: str | None = None  # sent with every POST/PUT/PATCH/DELETE when set


# (app, client, user or None for anonymous) -> Credentials; signs the client in if needed.
AuthFn = Callable[[Flask, FlaskClient, Any], Credentials]


def session_login(_app: Flask, client: FlaskClient, user: Any) -> Credentials:
    """A browser: log in through the form, then carry the session's CSRF token."""
    if user is None:
        return Credentials(csrf_token=csrf(client, "/login"))
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 302, f"login as {user.email} failed: {response.status}"
    return Credentials(csrf_token=csrf(client, "/profile"))


def bearer_token(app: Flask, _client: FlaskClient, user: Any) -> Credentials:
    """An API client: a personal API token in the Authorization header; no cookies, no CSRF."""
    if user is None:
        return Credentials()
    return Credentials(headers={"Authorization": f"Bearer {api_token(app, user)[1]}"})


# EXTEND THIS when a group of routes authenticates another way: map the URL prefix of its rules
# to a function like the two above. The longest matching prefix wins; "" is the default.
AUTH_BY_PREFIX: dict[str, AuthFn] = {
    "": session_login,
    "/api/": bearer_token,
}


def auth_for(rule: Rule) -> AuthFn:
    prefix = max((p for p in AUTH_BY_PREFIX if rule.rule.startswith(p)), key=len)
    return AUTH_BY_PREFIX[prefix]


@dataclass
class Caller:
    """One person's client, signed in the way a rule expects."""

    client: FlaskClient
    credentials: Credentials

    def call(self, method: str, path: str):
        headers = dict(self.credentials.headers)
        data = None
        token = self.credentials.csrf_token
        if method != "GET" and token:
            headers["X-CSRFToken"] = token
            if method == "POST":
                data = {"csrf_token": token}
        return self.client.open(path, method=method, headers=headers, data=data)


def caller(app: Flask, rule: Rule, user: Any) -> Caller:
    """A fresh client for `user` (None: anonymous), authenticated as `rule` needs."""
    client = https_client(app)
    return Caller(client, auth_for(rule)(app, client, user))


class Callers:
    """Signed-in clients kept for reuse across tests: one per (person, way of signing in).

    Only for requests that cannot end the session (org routes); anonymous callers are fresh.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._signed_in: dict[tuple[AuthFn, int], Caller] = {}

    def __call__(self, rule: Rule, user: Any) -> Caller:
        if user is None:
            return caller(self.app, rule, None)
        key = (auth_for(rule), user.id)
        if key not in self._signed_in:
            self._signed_in[key] = caller(self.app, rule, user)
        return self._signed_in[key]


# ---------------------------------------------------------------------------------------------
# Access marks
# ---------------------------------------------------------------------------------------------


def access_of_rule(app: Flask, rule: Rule) -> str | Perm | None:
    """The rule's declared access: the view's mark, else EXTERNAL_ACCESS_PREFIXES, else None."""
    if (mark := access_of(app.view_functions[rule.endpoint])) is not None:
        return mark
    for prefix, access in EXTERNAL_ACCESS_PREFIXES.items():
        if rule.endpoint == prefix or (prefix.endswith(".") and rule.endpoint.startswith(prefix)):
            return access
    return None


def require_mark(app: Flask, rule: Rule) -> str | Perm:
    access = access_of_rule(app, rule)
    if access is None:
        pytest.fail(
            f"{rule.endpoint} ({rule.rule}) declares no access: "
            "mark it @requires/@login_only/@public (tenants/permissions.py)"
        )
    return access


# ---------------------------------------------------------------------------------------------
# The rules, known at collection time (for readable parametrized test ids)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Route:
    rule: str
    method: str
    endpoint: str

    def __str__(self) -> str:
        return f"{self.method} {self.rule} [{self.endpoint}]"

    def find(self, app: Flask) -> Rule:
        for rule in app.url_map.iter_rules():
            if rule.rule == self.rule and rule.endpoint == self.endpoint:
                return rule
        raise LookupError(f"{self} is not in the app's url_map")


def routes_of(app: Flask) -> list[Route]:
    return sorted(
        Route(rule.rule, method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        for method in METHODS
        if method in (rule.methods or ())
    )


@cache
def listing_app() -> Flask:
    """The app as built for production, without connecting anywhere: only to list routes."""
    from app import create_app
    from app.config import Config

    # With a SECRET_KEY given and no mail sent, nothing is written to the instance folder.
    instance = str(Path(tempfile.gettempdir()) / "outlay-route-listing")
    env = {"SECRET_KEY": "route-listing-" + "x" * 40, "OUTLAY_INSTANCE": instance}
    # Built before the test apps: keep its login limits as loose as theirs and its keys apart.
    return create_app(
        Config(
            env,
            TESTING=True,
            RATELIMIT_LOGIN="1000 per minute",
            RATELIMIT_LOGIN_ACCOUNT="1000 per minute",
            RATELIMIT_MAIL_ADDRESS="1000 per hour",
            RATELIMIT_KEY_PREFIX=unique("outlay-routes-"),
        )
    )


def all_routes() -> list[Route]:
    return routes_of(listing_app())
