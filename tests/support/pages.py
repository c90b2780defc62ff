"""Every HTML page of the app, for the browser walks (layout at 375 px, accessibility).

The list is built from `app.url_map`, not written out: a page added by any feature is walked as
soon as it is merged. URL arguments come from `tests.support.route_samples.sample_args`, the
same samples the route-permission walks use, so a new argument needs one line there only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from werkzeug.routing import Rule

from tenants.permissions import PUBLIC
from tests.support.factories import Factory, unique
from tests.support.recurring import make_reminder, make_rule
from tests.support.route_samples import (
    access_of_rule,
    budget,
    invitation,
    notification,
    resolve,
    sample_args,
    saved_view,
    url_for_rule,
)

# A description a person pasted: 200 characters and not one space (a URL, a reference number).
LONG_WORD = "INV-" + "x7Q9" * 49
# Routes that are not pages: files, health, JSON, and GETs that end the session or spend a
# one-time link the walk would need again.
NOT_PAGES = ("static", "assets.plotly_js", "home.healthz", "security.logout", "security.verify")

# Flask-Security's views are marked public as a group; these need a signed-in person.
SIGNED_IN_ONLY = {
    "security.change_password",
    "security.change_email",
    "security.two_factor_setup",
    "security.mf_recovery_codes",
    "security.wan_register",
}


@dataclass(frozen=True)
class Page:
    endpoint: str
    path: str
    signed_in: bool  # False: walked by an anonymous visitor (login, sign-up, invitation)


@dataclass(frozen=True)
class Seeded:
    owner: Any
    org: Any
    transaction_id: int  # the one with the 200-character description


def is_page(rule: Rule) -> bool:
    return (
        "GET" in (rule.methods or ())
        and not rule.rule.startswith("/api/")
        and not rule.endpoint.endswith(NOT_PAGES)
    )


def seed(app: Flask, make: Factory) -> Seeded:
    """An owner's org with something on every page: what a month of real use leaves behind."""
    owner = make.user(name="Olivia Owner-Longname")
    org = make.org(owner, "Layout & Sons Trading Company")
    for role, name in (("accountant", "Ada Accountant"), ("member", "Max Member")):
        make.member(org, make.user(name=name), role)
    make.member(
        org, make.user(email=f"{unique('viewer.with.a.long.address')}@example.com"), "viewer"
    )
    invitation(app, org, owner)
    today = datetime.now(UTC).date().isoformat()
    long_category = make.category(org, "expense", "Professional subscriptions and software")
    long_id = make.transaction(
        org, owner, amount="1234567.89", description=LONG_WORD, category_id=long_category
    )
    make.transaction(org, owner, kind="income", amount="2500.00", description="Invoice 42")
    make.transaction(
        org, owner, amount="99.90", currency="USD", description="Hosting", tags=["it", "monthly"]
    )
    make.transaction(org, owner, amount="12.00", date=today, description="Coffee")
    budget(app, org, owner)
    make_rule(app, org, owner, description=LONG_WORD[:80])
    make_reminder(app, org, owner)
    notification(app, org, owner)
    saved_view(app, org, owner)
    return Seeded(owner=owner, org=org, transaction_id=long_id)


def pages(app: Flask, make: Factory, seeded: Seeded) -> list[Page]:
    """One URL per HTML GET route, signed in as the org's owner (anonymous for public ones)."""
    samples = sample_args(app, make, seeded.org, seeded.owner)
    samples["transaction_id"] = seeded.transaction_id
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not is_page(rule):
            continue
        path = url_for_rule(rule, resolve(rule, samples))
        anonymous = access_of_rule(app, rule) == PUBLIC and rule.endpoint not in SIGNED_IN_ONLY
        found.append(Page(rule.endpoint, path, signed_in=not anonymous))
    return found
