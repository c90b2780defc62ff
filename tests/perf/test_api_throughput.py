"""(b) Requests/s of GET /api/v1/orgs/<slug>/transactions?limit=50 with a bearer token, under
gunicorn (infra/gunicorn.conf.py, 2 sync workers), against a bare Flask app serving the same
50 rows as static JSON under the same config; plus the SQL statements one API request runs.

The same load client hits both: one process per connection, fixed-length rounds, alternating
bare, API, bare, API...; the medians are compared.
"""

from __future__ import annotations

import multiprocessing
import os
import time

from sqlalchemy import event, text

from app.extensions import db
from app.services.accounts import api_tokens
from tests.perf.support import gunicorn, hammer, median, stop, wait_ready
from tests.support.processes import free_port

CLIENTS = 4
ROUNDS = 3
TARGET_RATIO = 0.5
TARGET_STATEMENTS = 3


def seconds_per_round() -> float:
    return float(os.environ.get("OUTLAY_BENCH_SECONDS", "5"))


def owner_of(org_id: int) -> int:
    from tenants.context import tenant_context

    with tenant_context(org_id):
        user_id = db.session.execute(
            text("SELECT user_id FROM memberships WHERE org_id = :o AND role = 'owner'"),
            {"o": org_id},
        ).scalar_one()
    db.session.rollback()
    return user_id


def label(statement: str) -> str:
    for marker, name in (
        ("outlay_token_access", "token lookup"),
        ("set_config", "set tenant"),
        ("FROM transactions", "page query"),
    ):
        if marker in statement:
            return name
    return " ".join(statement.split())[:40]


def count_statements(app, path: str, headers: dict[str, str]) -> tuple[list[str], int, bytes]:
    """SQL statements of one request in-process (after a warm-up request), and pool checkouts
    (each one also sends the pool's pre-ping `SELECT 1`, which no cursor event sees)."""
    client = app.test_client()
    warm = client.get(path, headers=headers, base_url="https://outlay.test")
    assert warm.status_code == 200, warm.data[:500]
    with app.app_context():
        engine = db.engine
    seen: list[str] = []
    checkouts: list[object] = []

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:
        seen.append(label(statement))

    def checkout(dbapi_connection, _record, _proxy) -> None:
        checkouts.append(dbapi_connection)

    event.listen(engine, "before_cursor_execute", record)
    event.listen(engine.pool, "checkout", checkout)
    try:
        response = client.get(path, headers=headers, base_url="https://outlay.test")
    finally:
        event.remove(engine, "before_cursor_execute", record)
        event.remove(engine.pool, "checkout", checkout)
    assert response.status_code == 200
    pings = len(checkouts) if app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping") else 0
    return seen, pings, response.data


def load(pool, port: int, path: str, headers: dict[str, str], seconds: float) -> float:
    start_at = time.time() + 0.5  # every client starts together
    jobs = [("127.0.0.1", port, path, headers, start_at, seconds)] * CLIENTS
    results = pool.map(hammer, jobs)
    ok = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    assert failed == 0, f"{failed} failed requests on port {port}"
    return ok / seconds


def test_api_list_throughput_vs_static_json(app, bench_data, report, bench_tmp):
    org_id, slug = bench_data.many.org_ids[0], bench_data.many.slugs[0]
    with app.app_context():
        token = api_tokens.issue(owner_of(org_id), "bench")
    path = f"/api/v1/orgs/{slug}/transactions?limit=50"
    headers = {"Authorization": f"Bearer {token}"}

    statements, pings, body = count_statements(app, path, headers)
    assert len(body) > 1000 and body.count(b'"id"') >= 50

    env = {
        **os.environ,
        "DATABASE_URL": bench_data.owner_url,
        "REDIS_URL": app.config["REDIS_URL"],
        "OUTLAY_INSTANCE": str(bench_tmp / "instance"),
        "SECRET_KEY": app.config["SECRET_KEY"],
        "OUTLAY_BENCH_JSON": str(bench_tmp / "api-page.json"),
    }
    for key in ("APP_DATABASE_URL", "OUTLAY_ADMIN_DATABASE_URL", "MAIL_SERVER"):
        env.pop(key, None)
    api_port, bare_port = free_port(), free_port()
    api = gunicorn("app.wsgi:app", api_port, env, bench_tmp / "gunicorn-api.log")
    bare = None
    try:
        served = wait_ready(f"http://127.0.0.1:{api_port}{path}", headers, api)
        (bench_tmp / "api-page.json").write_bytes(served)  # the bare app serves these bytes
        bare = gunicorn("tests.perf.bare_app:app", bare_port, env, bench_tmp / "gunicorn-bare.log")
        assert wait_ready(f"http://127.0.0.1:{bare_port}{path}", headers, bare) == served

        seconds = seconds_per_round()
        with multiprocessing.get_context("spawn").Pool(CLIENTS) as pool:
            load(pool, bare_port, path, headers, 1.0)  # warm both, untimed
            load(pool, api_port, path, headers, 1.0)
            bare_rps, api_rps = [], []
            for _round in range(ROUNDS):
                bare_rps.append(load(pool, bare_port, path, headers, seconds))
                api_rps.append(load(pool, api_port, path, headers, seconds))
    finally:
        stop(api)
        if bare is not None:
            stop(bare)

    api_median, bare_median = median(api_rps), median(bare_rps)
    ratio = api_median / bare_median
    report.add(
        "(b) API list, 50 rows, bearer token: req/s API / bare Flask static JSON",
        f"{api_median:.0f} vs {bare_median:.0f} req/s (median of {ROUNDS} x {seconds:g} s, "
        f"{CLIENTS} client processes, gunicorn 2 sync workers)",
        ratio,
        f">= {TARGET_RATIO}",
        ratio >= TARGET_RATIO,
    )
    report.add(
        "(b') SQL statements per API request (before_cursor_execute)",
        f"{len(statements)} ({', '.join(statements)}); not counted: {pings} pool pre-ping"
        " SELECT 1, and the driver's BEGIN and ROLLBACK",
        None,
        f"<= {TARGET_STATEMENTS}",
        len(statements) <= TARGET_STATEMENTS,
    )
