"""The database itself keeps orgs apart: outlay_app under RLS, checked from the catalog.

These tests talk to PostgreSQL directly as `outlay_app`, the role the app runs as, so they
prove the isolation holds even if application code forgot a filter.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.services.ledger import saved_views
from app.services.orgs import members
from tests.support.factories import seat_of, unique
from tests.support.notices import notice

GLOBAL_TABLES = {"users", "organisations", "roles", "roles_users", "alembic_version"}
# Tenant tables the app only reads: the database writes them (migration 0011s's triggers).
READ_ONLY = {"transaction_summaries"}
DENIED = {True: "permission denied", False: "row-level security"}


def tenant_tables(bind) -> list[str]:
    if hasattr(bind, "connect") and not hasattr(bind, "begin_nested"):
        with bind.connect() as conn:
            return tenant_tables(conn)
    return list(
        bind.execute(
            text(
                "SELECT c.table_name FROM information_schema.columns c "
                "JOIN information_schema.tables t USING (table_schema, table_name) "
                "WHERE c.table_schema = 'public' AND c.column_name = 'org_id' "
                "AND t.table_type = 'BASE TABLE' ORDER BY 1"
            )
        ).scalars()
    )


@pytest.fixture(scope="module")
def two_orgs(app):
    """Org A and org B, each with rows in every tenant table the app has so far."""
    from tests.support.exports import finished_export
    from tests.support.factories import Factory

    make = Factory(app)
    orgs = []
    for label in ("A", "B"):
        owner = make.user()
        org = make.org(owner, unique(f"RLS {label} "))
        make.member(org, make.user(), "viewer")
        with app.test_request_context(), _as(app, org.id, owner.id):
            seat = make.seat(org, owner)
            members.invite(seat, f"{unique('invitee')}@example.com", "member")
            saved_views.save(seat, "Big ones", "min=100")
        make.transaction(org, owner, amount="12.34", description=f"RLS {label}")
        _recurring_rows(app, org, owner)
        _budget_rows(app, org, owner)
        _approval_rows(app, make, org, owner)
        finished_export(app, org, owner)  # an export with its file (migration 0008x_exports)
        orgs.append(org)
    return orgs


def _approval_rows(app, make, org, owner):
    """A saved approval policy, a receipt and a reimbursement (migration 0009ap)."""
    from datetime import date

    from app.extensions import db
    from app.models import Organisation
    from app.seat import Seat
    from app.services.approvals import policy, reimbursements
    from tests.support.receipts import attach_png

    paid = make.transaction(org, owner, paid_personally=True, description="Out of pocket")
    attach_png(app, make, org, owner, paid)
    with app.test_request_context(), _as(app, org.id, owner.id):
        seat = Seat.of(db.session.get(Organisation, org.id), owner.id, "owner")
        policy.update(seat, {"receipt_amount": "50"})
        reimbursements.mark_reimbursed(
            seat, {"ids": [paid], "paid_on": date.today().isoformat(), "method": "Cash"}
        )


def _budget_rows(app, org, owner):
    """A budget, an alert sent for it, a notification and a preference (migration 0003b)."""
    from datetime import date
    from decimal import Decimal

    from app.extensions import db
    from app.models import Budget, BudgetAlert
    from app.services.notifications import notification_prefs

    with app.app_context(), _as(app, org.id, owner.id):
        budget = Budget(
            org_id=org.id,
            name="All spending",
            period="monthly",
            amount=Decimal("100"),
            thresholds=[80, 100],
        )
        db.session.add(budget)
        db.session.flush()
        db.session.add(
            BudgetAlert(
                org_id=org.id,
                budget_id=budget.id,
                period_start=date(2026, 1, 1),
                threshold=80,
                spent=Decimal("80"),
                available=Decimal("100"),
            )
        )
        notice(org, [owner.id], "rls", kind="budget_alert", title="RLS", body="", link="")
        db.session.commit()
        notification_prefs.save(seat_of(org, owner), {"bill_reminder": "in_app"})


def _recurring_rows(app, org, owner):
    """A recurring rule that has posted once, and a one-off bill reminder (migration 0003r)."""
    from datetime import UTC, datetime, timedelta

    from app.seat import Seat
    from app.services.recurring import materialise, reminders
    from tests.support.recurring import make_rule

    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    rule_id = make_rule(app, org, owner, frequency="yearly", start_date=yesterday.isoformat())
    with app.app_context(), _as(app, org.id, owner.id):
        materialise.post_next(Seat.system(org), rule_id, yesterday)
        reminders.create(seat_of(org, owner), {"title": "Tax", "due_date": yesterday.isoformat()})


def _as(app, org_id, user_id=None):
    from tenants.context import tenant_context

    return tenant_context(org_id, user_id)


def _with_org(conn, org_id):
    conn.execute(text("SELECT set_config('app.org_id', :o, true)"), {"o": str(org_id)})


def test_app_role_is_not_privileged(app_engine, owner_engine):
    with app_engine.connect() as conn:
        role = conn.execute(
            text(
                "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles "
                "WHERE rolname = current_user"
            )
        ).one()
        assert tuple(role) == (False, False, False, False)
        owned = conn.execute(
            text(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user"
            )
        ).scalar()
        assert owned == 0
    with owner_engine.connect() as conn:
        denied = conn.execute(
            text(
                "SELECT c.relname, p.priv FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "CROSS JOIN unnest(ARRAY['TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p(priv) "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'p') "
                "AND has_table_privilege('outlay_app', c.oid, p.priv)"
            )
        ).all()
        assert denied == []


def test_audit_log_is_append_only_for_the_app(owner_engine):
    with owner_engine.connect() as conn:
        privs = {
            p: conn.execute(
                text("SELECT has_table_privilege('outlay_app', 'audit_log', :p)"), {"p": p}
            ).scalar()
            for p in ("SELECT", "INSERT", "UPDATE", "DELETE")
        }
    assert privs == {"SELECT": True, "INSERT": True, "UPDATE": False, "DELETE": False}


def test_no_org_set_sees_nothing_and_writes_nothing(app_engine, two_orgs):
    tables = tenant_tables(app_engine)
    assert {"memberships", "invitations", "audit_log"} <= set(tables)
    a = two_orgs[0]
    with app_engine.connect() as conn:
        for table in tables:
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
            refusal = DENIED[table in READ_ONLY]
            with pytest.raises(DBAPIError, match=refusal), conn.begin_nested():
                conn.execute(text(f"INSERT INTO {table} (org_id) VALUES (:a)"), {"a": a.id})


def _rows_per_table(owner_engine, tables, org_id: int) -> dict[str, int]:
    """How many rows `org_id` has in each table, counted past RLS (as the owner)."""
    with owner_engine.connect() as conn:
        return {
            t: conn.execute(
                text(f"SELECT count(*) FROM {t} WHERE org_id = :o"), {"o": org_id}
            ).scalar()
            for t in tables
        }


def test_org_a_sees_only_a_and_cannot_reach_b(app_engine, owner_engine, two_orgs):
    a, b = two_orgs
    tables = tenant_tables(app_engine)
    b_rows_before = _rows_per_table(owner_engine, tables, b.id)
    assert all(b_rows_before.values()), b_rows_before

    with app_engine.connect() as conn, conn.begin():
        _with_org(conn, a.id)
        for table in tables:
            seen = set(conn.execute(text(f"SELECT DISTINCT org_id FROM {table}")).scalars())
            assert seen == {a.id}, f"{table} shows orgs {seen}"
            with pytest.raises(DBAPIError, match=DENIED[table in READ_ONLY]), conn.begin_nested():
                conn.execute(text(f"INSERT INTO {table} (org_id) VALUES (:b)"), {"b": b.id})
            if table in READ_ONLY:
                for write in ("UPDATE {t} SET org_id = org_id", "DELETE FROM {t}"):
                    with pytest.raises(DBAPIError, match="permission denied"), conn.begin_nested():
                        conn.execute(text(write.format(t=table)))
                continue
            hidden = (
                conn.execute(
                    text(f"UPDATE {table} SET org_id = org_id WHERE org_id = :b"), {"b": b.id}
                )
                if table != "audit_log"
                else None
            )
            if hidden is not None:
                assert hidden.rowcount == 0, f"{table}: updated B's rows"
                gone = conn.execute(text(f"DELETE FROM {table} WHERE org_id = :b"), {"b": b.id})
                assert gone.rowcount == 0, f"{table}: deleted B's rows"
            with (
                pytest.raises(DBAPIError, match=r"row-level security|permission denied"),
                conn.begin_nested(),
            ):
                conn.execute(
                    text(f"UPDATE {table} SET org_id = :b WHERE org_id = :a"),
                    {"a": a.id, "b": b.id},
                )

    assert _rows_per_table(owner_engine, tables, b.id) == b_rows_before


def test_setting_reverts_when_the_transaction_ends(app_engine, two_orgs):
    with app_engine.connect() as conn:
        with conn.begin():
            _with_org(conn, two_orgs[0].id)
            assert conn.execute(text("SELECT count(*) FROM memberships")).scalar() > 0
        assert conn.execute(text("SELECT current_setting('app.org_id', true)")).scalar() == ""
        assert conn.execute(text("SELECT count(*) FROM memberships")).scalar() == 0


def test_every_tenant_table_follows_the_tenancy_rules(owner_engine):
    """Catalog check: forced RLS, the one policy, org_id in the key, every FK and every index."""
    with owner_engine.connect() as conn:
        assert tenancy_problems(conn) == []


def tenancy_problems(conn) -> list[str]:
    problems: list[str] = []
    tables = tenant_tables(conn)
    if True:
        for table in tables:
            rls, forced = conn.execute(
                text(
                    "SELECT relrowsecurity, relforcerowsecurity FROM pg_class "
                    "WHERE oid = CAST(:t AS regclass)"
                ),
                {"t": table},
            ).one()
            if not (rls and forced):
                problems.append(f"{table}: RLS enabled={rls} forced={forced}")
            policies = conn.execute(
                text(
                    "SELECT cmd, permissive, qual, with_check FROM pg_policies "
                    "WHERE schemaname = 'public' AND tablename = :t"
                ),
                {"t": table},
            ).all()
            if len(policies) != 1:
                problems.append(f"{table}: expected one policy, found {len(policies)}")
            for cmd, permissive, qual, check in policies:
                for label, expr in (("USING", qual), ("WITH CHECK", check)):
                    expr = expr or ""
                    if not (
                        "org_id = (NULLIF(current_setting('app.org_id'" in expr
                        and "::bigint" in expr
                    ):
                        problems.append(f"{table}: {label} is {expr!r}")
                if cmd != "ALL" or permissive != "PERMISSIVE":
                    problems.append(f"{table}: policy is {cmd}/{permissive}")
            pk = conn.execute(
                text(
                    "SELECT array_agg(a.attname ORDER BY k.ord) FROM pg_constraint c "
                    "CROSS JOIN unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) "
                    "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
                    "WHERE c.conrelid = CAST(:t AS regclass) AND c.contype = 'p'"
                ),
                {"t": table},
            ).scalar()
            if not pk or pk[0] != "org_id" or "id" not in pk:
                problems.append(f"{table}: primary key is {pk}, not (org_id, id)")
            nullable = conn.execute(
                text(
                    "SELECT is_nullable FROM information_schema.columns "
                    "WHERE table_name = :t AND column_name = 'org_id'"
                ),
                {"t": table},
            ).scalar()
            if nullable != "NO":
                problems.append(f"{table}: org_id is nullable")
            fks = conn.execute(
                text(
                    "SELECT c.conname, c.confrelid::regclass::text, "
                    "  array_agg(a.attname ORDER BY k.ord) "
                    "FROM pg_constraint c "
                    "CROSS JOIN unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) "
                    "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
                    "WHERE c.conrelid = CAST(:t AS regclass) AND c.contype = 'f' "
                    "GROUP BY c.conname, c.confrelid"
                ),
                {"t": table},
            ).all()
            for name, target, columns in fks:
                # Global tables (users, organisations) have no org_id to carry; every FK into
                # a tenant table must carry org_id, and the FK to organisations *is* org_id.
                if target in tables and "org_id" not in columns:
                    problems.append(f"{table}: foreign key {name} to {target} lacks org_id")
                if target == "organisations" and columns != ["org_id"]:
                    problems.append(f"{table}: {name} points at organisations via {columns}")
                if target not in tables and target not in GLOBAL_TABLES:
                    problems.append(f"{table}: {name} points at unknown table {target}")
            # GIN (full-text) indexes are the one exception: without btree_gin, which the
            # embedded server lacks, a GIN index cannot lead with a bigint.
            indexes = conn.execute(
                text(
                    "SELECT i.relname, a.attname FROM pg_index x "
                    "JOIN pg_class i ON i.oid = x.indexrelid "
                    "JOIN pg_am am ON am.oid = i.relam AND am.amname <> 'gin' "
                    "LEFT JOIN pg_attribute a "
                    "ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0] "
                    "WHERE x.indrelid = CAST(:t AS regclass)"
                ),
                {"t": table},
            ).all()
            for index, first in indexes:
                if first != "org_id":
                    problems.append(f"{table}: index {index} leads with {first}")
        views = conn.execute(
            text(
                "SELECT c.relname, coalesce(c.reloptions, '{}') FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'v'"
            )
        ).all()
        for view, options in views:
            if "security_invoker=true" not in options:
                problems.append(f"view {view} is not security_invoker")
    return problems


def test_catalog_check_catches_a_careless_table(owner_engine):
    """The rule check is not vacuous: a table that forgot the rules is reported on each."""
    with owner_engine.connect() as conn:
        trans = conn.begin()
        try:
            conn.exec_driver_sql(
                "CREATE TABLE careless (org_id bigint, id bigint PRIMARY KEY, "
                "membership_id bigint, FOREIGN KEY (org_id, membership_id) "
                "REFERENCES memberships (org_id, id)); "
                "CREATE TABLE careless_child (org_id bigint NOT NULL, id bigint, "
                "careless_id bigint REFERENCES careless (id), PRIMARY KEY (org_id, id)); "
                "CREATE INDEX careless_child_by_id ON careless_child (careless_id); "
                "CREATE VIEW careless_view AS SELECT * FROM careless"
            )
            problems = "\n".join(tenancy_problems(conn))
        finally:
            trans.rollback()
    assert "careless: RLS enabled=False forced=False" in problems
    assert "careless: expected one policy, found 0" in problems
    assert "careless: primary key is ['id']" in problems
    assert "careless: org_id is nullable" in problems
    assert "careless_child: foreign key" in problems and "lacks org_id" in problems
    assert "careless_child: index careless_child_by_id leads with careless_id" in problems
    assert "view careless_view is not security_invoker" in problems
