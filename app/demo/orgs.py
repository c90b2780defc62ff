"""Demo orgs with realistic ledgers: `outlay demo`, the demo org of `outlay up`, benchmarks.

Everything is written on the owner connection (DATABASE_URL) in one database transaction,
with COPY (see demo_copy for how RLS is respected). Ids come from the tables' own sequences,
so the rows can point at each other before they are loaded.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import text

from app import clock
from app.demo import vocabulary as vocab
from app.demo.copy import Loader, copy_lines, owner_loader
from app.demo.rows import TRANSACTION_COLUMNS, OrgLedger, transaction_lines
from app.services.ledger.ledger_defaults import DEFAULT_CATEGORIES, DEFAULT_PAYMENT_METHODS
from app.services.orgs.orgs import slugify
from tenants import context

ANALYZE = "ANALYZE organisations, users, memberships, categories, payment_methods, transactions"


@dataclass
class DemoResult:
    org_ids: list[int] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    transactions: int = 0
    bypass_rls: bool = False


@dataclass
class _NewOrgs:
    """The rows of a batch of new orgs, per table, and the ledgers to generate from."""

    orgs: list[tuple[Any, ...]] = field(default_factory=list)
    users: list[tuple[Any, ...]] = field(default_factory=list)
    members: list[tuple[Any, ...]] = field(default_factory=list)
    categories: list[tuple[Any, ...]] = field(default_factory=list)
    methods: list[tuple[Any, ...]] = field(default_factory=list)
    audits: list[tuple[Any, ...]] = field(default_factory=list)
    ledgers: list[OrgLedger] = field(default_factory=list)


def _plan_orgs(
    loader: Loader, count: int, rng: random.Random, password_hash: str, result: DemoResult
) -> _NewOrgs:
    """An owner, membership, default categories and methods and an audit entry per org."""
    org_ids, user_ids = loader.ids("organisations", count), loader.ids("users", count)
    member_ids = loader.ids("memberships", count)
    n_cats, n_methods = len(DEFAULT_CATEGORIES), len(DEFAULT_PAYMENT_METHODS)
    cat_ids = loader.ids("categories", count * n_cats)
    method_ids = loader.ids("payment_methods", count * n_methods)
    run, now, plan = uuid.uuid4().hex[:6], clock.now().isoformat(), _NewOrgs()
    for i, (org_id, user_id) in enumerate(zip(org_ids, user_ids, strict=True)):
        name = f"{rng.choice(vocab.ORG_ADJECTIVES)} {rng.choice(vocab.ORG_TRADES)}"
        slug = f"{slugify(name)}-{run}{i + 1}"
        email = f"owner+{slug}@example.com"
        currency = rng.choice(vocab.ORG_CURRENCIES)
        person = f"{rng.choice(vocab.FIRST_NAMES)} {rng.choice(vocab.LAST_NAMES)}"
        plan.orgs.append((org_id, name, slug, currency))
        plan.users.append(
            (user_id, email, person, password_hash, "t", uuid.uuid4().hex, now, org_id)
        )
        plan.members.append((org_id, member_ids[i], user_id, "owner"))
        ledger = OrgLedger(org_id, user_id, currency, {}, {})
        for j, (kind, cat_name, color, icon) in enumerate(DEFAULT_CATEGORIES):
            cat_id = cat_ids[i * n_cats + j]
            plan.categories.append((org_id, cat_id, kind, cat_name, color, icon))
            ledger.categories[cat_name] = (cat_id, kind)
        for j, method in enumerate(DEFAULT_PAYMENT_METHODS):
            method_id = method_ids[i * n_methods + j]
            plan.methods.append((org_id, method_id, method))
            ledger.methods[method] = method_id
        plan.ledgers.append(ledger)
        after = json.dumps({"name": name, "base_currency": currency})
        plan.audits.append((org_id, user_id, "org.created", "organisation", str(org_id), after))
        result.org_ids.append(org_id)
        result.slugs.append(slug)
        result.emails.append(email)
    return plan


def _load_orgs(loader: Loader, plan: _NewOrgs, org_ids: list[int]) -> None:
    loader.copy_global("organisations", ("id", "name", "slug", "base_currency"), plan.orgs)
    user_columns = ("id", "email", "name", "password", "active", "fs_uniquifier")
    loader.copy_global("users", (*user_columns, "confirmed_at", "default_org_id"), plan.users)
    audit_columns = ("org_id", "actor_id", "action", "object_type", "object_id", "after")
    for table, columns, rows in (
        ("memberships", ("org_id", "id", "user_id", "role"), plan.members),
        ("categories", ("org_id", "id", "kind", "name", "color", "icon"), plan.categories),
        ("payment_methods", ("org_id", "id", "name"), plan.methods),
        ("audit_log", audit_columns, plan.audits),
    ):
        loader.copy_tenant(table, columns, copy_lines(rows), org_ids)


def create_demo_orgs(
    owner_url: str,
    orgs: int,
    transactions: int,
    *,
    password_hash: str,
    seed: int | None = None,
    today: date | None = None,
) -> DemoResult:
    """`orgs` new orgs, each with an owner and `transactions` transactions, in one commit.

    Every owner's password is the one `password_hash` was made from.
    """
    rng = random.Random(seed)
    with owner_loader(owner_url) as loader:
        result = DemoResult(bypass_rls=loader.bypass)
        plan = _plan_orgs(loader, orgs, rng, password_hash, result)
        _load_orgs(loader, plan, result.org_ids)
        lines = transaction_lines(plan.ledgers, transactions, today or clock.today(), rng)
        result.transactions = loader.copy_tenant(
            "transactions", TRANSACTION_COLUMNS, lines, result.org_ids
        )
        loader.session.commit()
        loader.session.execute(text(ANALYZE))  # fresh statistics for the planner
        loader.session.commit()
    return result


def _read_ledger(loader: Loader, org_id: int) -> tuple[OrgLedger, int]:
    """What the generator needs about an existing org, and its transaction count."""

    def run(sql: str) -> Any:  # every statement here is about the one org :o
        return loader.session.execute(text(sql), {"o": org_id})

    with context.tenant_context(org_id, session=loader.session):
        currency, owner, existing = run(
            "SELECT o.base_currency,"
            " (SELECT m.user_id FROM memberships m WHERE m.org_id = o.id"
            "  AND m.role = 'owner' ORDER BY m.id LIMIT 1),"
            " (SELECT count(*) FROM transactions t WHERE t.org_id = o.id)"
            " FROM organisations o WHERE o.id = :o"
        ).one()
        categories = run(
            "SELECT name, id, kind FROM categories WHERE org_id = :o"
            " AND archived_at IS NULL AND parent_id IS NULL"
        )
        methods = run(
            "SELECT name, id FROM payment_methods WHERE org_id = :o AND archived_at IS NULL"
        )
        ledger = OrgLedger(
            org_id,
            owner,
            currency,
            {name: (cat_id, kind) for name, cat_id, kind in categories},
            {name: method_id for name, method_id in methods},
        )
    return ledger, existing


def fill_user_org(owner_url: str, email: str, transactions: int) -> int:
    """Give the default org of `email` demo transactions if it has none; how many were added."""
    with owner_loader(owner_url) as loader:
        org_id = loader.session.execute(
            text("SELECT default_org_id FROM users WHERE lower(email) = lower(:e)"), {"e": email}
        ).scalar()
        if org_id is None:
            return 0
        ledger, existing = _read_ledger(loader, org_id)
        if existing:
            return 0
        lines = transaction_lines([ledger], transactions, clock.today(), random.Random())
        added = loader.copy_tenant("transactions", TRANSACTION_COLUMNS, lines, [org_id])
        loader.session.commit()
    return added
