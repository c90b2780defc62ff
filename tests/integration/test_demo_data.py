"""`outlay demo` fills the database with demo orgs whose owners can log in, whose books look
like a small business's, and which RLS keeps apart like any other org."""

from __future__ import annotations

import random
import re
import uuid
from collections import Counter
from datetime import date, timedelta

from click.testing import CliRunner
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from app.cli import main
from app.config import sqlalchemy_url
from app.demo.login import DEMO_PASSWORD
from app.demo.orgs import create_demo_orgs
from app.demo.rows import OrgLedger, transaction_lines
from app.extensions import db
from app.models import Transaction
from app.services.ledger.ledger_defaults import DEFAULT_CATEGORIES, DEFAULT_PAYMENT_METHODS
from tenants.context import tenant_context


def owner_engine(owner_url: str):
    return create_engine(sqlalchemy_url(owner_url), poolclass=pool.NullPool)


def test_outlay_demo_creates_orgs_owners_and_ledgers(app, owner_url, instance_dir):
    engine = owner_engine(owner_url)
    with engine.connect() as conn:
        before = conn.execute(text("SELECT coalesce(max(id), 0) FROM organisations")).scalar()

    result = CliRunner().invoke(
        main,
        ["demo", "--orgs", "3", "--transactions", "200", "--seed", "7"],
        env={
            "DATABASE_URL": owner_url,
            "OUTLAY_INSTANCE": str(instance_dir),
            "SECRET_KEY": app.config["SECRET_KEY"],
        },
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"Created 3 orgs with 200 transactions each .* in [\d.]+ s", result.output)

    with engine.connect() as conn:
        orgs = conn.execute(
            text("SELECT id, slug FROM organisations WHERE id > :b ORDER BY id"), {"b": before}
        ).all()
        assert len(orgs) == 3
        ids = [o.id for o in orgs]
        owners = conn.execute(
            text(
                "SELECT m.org_id, u.email, u.confirmed_at IS NOT NULL AS confirmed, "
                "u.default_org_id, u.password FROM memberships m JOIN users u ON u.id = m.user_id "
                "WHERE m.org_id = ANY(:ids) AND m.role = 'owner'"
            ),
            {"ids": ids},
        ).all()
        assert sorted(o.org_id for o in owners) == ids  # one owner each
        for owner in owners:
            assert owner.confirmed and owner.default_org_id == owner.org_id
        per_org = {
            table: dict(
                conn.execute(
                    text(
                        f"SELECT org_id, count(*) FROM {table} WHERE org_id = ANY(:ids) GROUP BY 1"
                    ),
                    {"ids": ids},
                ).all()
            )
            for table in ("categories", "payment_methods", "transactions", "audit_log")
        }
        assert per_org["categories"] == dict.fromkeys(ids, len(DEFAULT_CATEGORIES))
        assert per_org["payment_methods"] == dict.fromkeys(ids, len(DEFAULT_PAYMENT_METHODS))
        assert per_org["transactions"] == dict.fromkeys(ids, 200)
        assert per_org["audit_log"] == dict.fromkeys(ids, 1)
        bad = conn.execute(
            text(
                "SELECT count(*) FILTER (WHERE t.amount <= 0 OR t.amount <> round(t.amount, 2)),"
                " count(*) FILTER (WHERE c.kind IS DISTINCT FROM t.kind),"
                " count(*) FILTER (WHERE t.date > current_date"
                "   OR t.date < current_date - 740),"
                " count(DISTINCT t.kind), count(*) FILTER (WHERE 'recurring' = ANY(t.tags))"
                " FROM transactions t LEFT JOIN categories c"
                " ON c.org_id = t.org_id AND c.id = t.category_id WHERE t.org_id = ANY(:ids)"
            ),
            {"ids": ids},
        ).one()
    engine.dispose()
    assert bad[:3] == (0, 0, 0), "bad amounts, category kinds or dates"
    assert bad[3] == 2 and bad[4] > 0, "income, expenses and recurring entries expected"

    from flask_security import verify_password

    with app.app_context():
        assert verify_password(DEMO_PASSWORD, owners[0].password), "owner cannot log in"
        a, b = ids[0], ids[1]
        with tenant_context(a):
            seen = db.session.execute(db.select(Transaction.org_id)).scalars().all()
            assert set(seen) == {a} and len(seen) == 200
            other = db.select(Transaction).where(Transaction.org_id == b)
            assert db.session.execute(other).first() is None
        db.session.rollback()
        assert db.session.execute(db.select(Transaction.id).limit(1)).first() is None


def test_owner_subject_to_rls_loads_through_staging(app, pg_server, owner_url):
    """An owner role without BYPASSRLS cannot COPY into RLS tables; the loader still works."""
    role = f"outlay_demo_{uuid.uuid4().hex[:8]}"
    secret = uuid.uuid4().hex
    admin = owner_engine(owner_url)
    database = make_url(owner_url).database
    grants = [
        f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '{secret}'",
        f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f'GRANT TEMP ON DATABASE "{database}" TO {role}',
    ]
    with admin.begin() as conn:
        for statement in grants:
            conn.exec_driver_sql(statement)
    url = make_url(owner_url).set(username=role, password=secret)
    try:
        result = create_demo_orgs(
            url.render_as_string(hide_password=False), 2, 50, password_hash="x", seed=1
        )
        assert not result.bypass_rls and result.transactions == 100
        with admin.connect() as conn:
            counts = conn.execute(
                text(
                    "SELECT org_id, count(*) FROM transactions WHERE org_id = ANY(:ids) GROUP BY 1"
                ),
                {"ids": result.org_ids},
            ).all()
        assert dict(counts) == dict.fromkeys(result.org_ids, 50)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
        admin.dispose()


def test_generated_ledger_is_seasonal_with_fixed_day_rent():
    cats = {name: (i, kind) for i, (kind, name, _c, _i) in enumerate(DEFAULT_CATEGORIES, 1)}
    ledger = OrgLedger(1, 1, "EUR", cats, {m: i for i, m in enumerate(DEFAULT_PAYMENT_METHODS)})
    today = date(2026, 6, 15)
    lines = list(transaction_lines([ledger], 20_000, today, random.Random(3)))
    assert len(lines) == 20_000
    rows = [line.rstrip("\n").split("\t") for line in lines]
    months = Counter(date.fromisoformat(r[2]).month for r in rows)
    assert months[12] > 1.5 * months[8], "more spending in December than in August"
    assert all(re.fullmatch(r"[1-9]\d*\.\d\d", r[3]) for r in rows)
    rent_id = str(cats["Rent"][0])
    rent_days = {date.fromisoformat(r[2]).day for r in rows if r[5] == rent_id}
    assert len(rent_days) == 1
    rent_months = {r[2][:7] for r in rows if r[5] == rent_id}
    assert len(rent_months) >= 24
    assert min(date.fromisoformat(r[2]) for r in rows) >= today - timedelta(days=731)
    assert max(date.fromisoformat(r[2]) for r in rows) <= today
