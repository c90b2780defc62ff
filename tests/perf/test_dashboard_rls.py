"""(a) What RLS costs the dashboard: the same three aggregates as `outlay_app` under the policy
vs as a role that bypasses RLS, each with the explicit `t.org_id = :org` the SQL carries.

One org among 1,000 of 1,000 transactions each (plus the million-row org). Repetitions are
interleaved A, B, A, B... over several orgs, and the medians compared.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import create_engine, pool, text

from app.config import sqlalchemy_url
from app.queries.analytics import MONTHLY_SQL
from app.queries.dashboard import BY_CATEGORY_SQL, TOTALS_SQL
from tests.perf.support import median

REPS = 200
ORGS = 8
TARGET = 1.10
SET_ORG = text("SELECT set_config('app.org_id', :org, true)")


def dashboard_statements(org_id: int) -> list[tuple[object, dict[str, object]]]:
    """The three aggregates the dashboard's figures come from, with its parameters (the page
    runs them as two statements: the totals beside what awaits approval, and both charts)."""
    today = datetime.now(UTC).date()
    month = today.replace(day=1)
    nxt = month + relativedelta(months=1)
    return [
        (
            text(TOTALS_SQL.format(scope="")),
            {"org": org_id, "month": month, "last": month - relativedelta(months=1), "next": nxt},
        ),
        (
            text(BY_CATEGORY_SQL.format(scope="")),
            {"org": org_id, "kind": "expense", "start": month, "end": nxt},
        ),
        (
            text(MONTHLY_SQL.format(where="")),
            {"org": org_id, "lead": month - relativedelta(months=13), "last": month, "end": nxt},
        ),
    ]


def run(conn, statements, org_id: int) -> tuple[float, float, list[object]]:
    """One dashboard in one transaction: (set_config seconds, query seconds, results).

    Both sides set the org first (the bypassing role ignores it): the driver sends BEGIN with
    a transaction's first statement, so timing the aggregates from the first statement on one
    side only would charge that round trip to the side without the setting."""
    with conn.begin():
        began = time.perf_counter()
        conn.execute(SET_ORG, {"org": str(org_id)})
        queried = time.perf_counter()
        results = [conn.execute(sql, params).all() for sql, params in statements]
        done = time.perf_counter()
    return queried - began, done - queried, results


def test_dashboard_under_rls_vs_bypass(app, bench_data, report):
    owner = create_engine(sqlalchemy_url(bench_data.owner_url), poolclass=pool.NullPool)
    app_engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=pool.NullPool)
    orgs = bench_data.many.org_ids[:: max(1, len(bench_data.many.org_ids) // ORGS)][:ORGS]
    with owner.connect() as base, app_engine.connect() as rls:
        bypass = base.execute(
            text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).scalar()
        assert bypass, "the baseline needs a role that bypasses RLS (the owner on test servers)"
        assert rls.execute(text("SELECT current_user")).scalar() == "outlay_app"
        base.commit()
        rls.commit()
        for org_id in orgs:  # warm caches; same answers both ways
            statements = dashboard_statements(org_id)
            _s, _q, under_rls = run(rls, statements, org_id)
            _s, _q, bypassing = run(base, statements, org_id)
            assert under_rls == bypassing and under_rls[0][0].count > 0
        setting, policy, plain = [], [], []
        for rep in range(REPS):
            org_id = orgs[rep % len(orgs)]
            statements = dashboard_statements(org_id)
            first_rls = rep % 2 == 0  # alternate who goes first, too
            for turn in (0, 1):
                if (turn == 0) == first_rls:
                    s, q, _ = run(rls, statements, org_id)
                    setting.append(s)
                    policy.append(q)
                else:
                    _s, q, _ = run(base, statements, org_id)
                    plain.append(q)
    owner.dispose()
    app_engine.dispose()

    rls_ms, plain_ms, set_ms = median(policy) * 1e3, median(plain) * 1e3, median(setting) * 1e3
    ratio = rls_ms / plain_ms
    with_set = (rls_ms + set_ms) / plain_ms
    report.add(
        "(a) dashboard, 3 aggregates: outlay_app under RLS / owner bypassing RLS",
        f"{rls_ms:.2f} ms vs {plain_ms:.2f} ms (median of {REPS} each, {len(orgs)} orgs)",
        ratio,
        f"<= {TARGET:.2f}",
        ratio <= TARGET,
    )
    report.add(
        "(a') same, counting the set_config round trip the tenant hook adds",
        f"{rls_ms + set_ms:.2f} ms vs {plain_ms:.2f} ms (set_config {set_ms:.2f} ms)",
        with_set,
        "",
        None,
    )
