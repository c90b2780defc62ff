"""(b) Requests/s of GET /api/v1/orgs/<slug>/transactions?limit=50 with a bearer token, three
servers under the same gunicorn config (infra/gunicorn.conf.py, 2 sync workers) and the same
load client (`wrk`, keep-alive off as gunicorn's sync workers close every connection):

- static: a bare Flask app serving the bytes Outlay returned (`bare_app.py`);
- floor: Flask + psycopg2 running the statements Outlay ran, on one persistent connection,
  rows to JSON by hand (`floor_app.py`);
- Outlay itself.

Rounds alternate static, floor, Outlay...; medians are compared. The figure with a target is
Outlay / floor. (b') counts what one request sends to PostgreSQL on the wire.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from sqlalchemy import text

from app.config import derive_role_url
from app.extensions import db
from app.services.accounts import api_tokens
from tests.perf.support import capture, gunicorn, median, wait_ready
from tests.support.processes import free_port
from tests.support.processes import stop_child as stop
from tests.support.wire import WireCounter

CONNECTIONS = 4
ROUNDS = 3
TARGET_RATIO = 0.7
TARGET_STATEMENTS = 3
TARGET_ROUND_TRIPS = 5


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
        ("outlay_token_access", "token lookup + tenant"),
        ("set_config", "set tenant"),
        ("FROM transactions", "page query"),
    ):
        if marker in statement:
            return name
    return " ".join(statement.split())[:40]


def round_trips(app_factory, owner_url: str, path: str, headers: dict[str, str]) -> list[str]:
    """What one warm request sends to PostgreSQL, counted by a proxy on the wire."""
    with WireCounter(owner_url) as wire:
        role_url = wire.url_for(derive_role_url(owner_url, "outlay_app"))
        counted = app_factory(APP_DATABASE_URL=role_url)
        client = counted.test_client()
        assert client.get(path, headers=headers).status_code == 200
        wire.clear()
        assert client.get(path, headers=headers).status_code == 200
        return wire.taken()


def wrk(port: int, path: str, headers: dict[str, str], seconds: float) -> float:
    command = [
        "wrk",
        "--threads",
        "2",
        "--connections",
        str(CONNECTIONS),
        "--duration",
        f"{seconds:g}s",
        "--header",
        "Connection: close",
        *[arg for name, value in headers.items() for arg in ("--header", f"{name}: {value}")],
        f"http://127.0.0.1:{port}{path}",
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert "Non-2xx" not in out and "Socket errors" not in out, out
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def test_api_list_throughput_vs_static_and_floor(app, app_factory, bench_data, report, bench_tmp):
    if shutil.which("wrk") is None:
        pytest.fail("wrk is missing: `make bench` installs it from Debian")
    org_id, slug = bench_data.many.org_ids[0], bench_data.many.slugs[0]
    with app.app_context():
        token = api_tokens.issue(owner_of(org_id), "bench")
    path = f"/api/v1/orgs/{slug}/transactions?limit=50"
    headers = {"Authorization": f"Bearer {token}"}

    trips = round_trips(app_factory, bench_data.owner_url, path, headers)
    statements = [t for t in trips if t not in ("BEGIN", "ROLLBACK", "COMMIT")]
    (bench_tmp / "floor.json").write_text(json.dumps(capture(app, path, headers)))

    env = {
        **os.environ,
        "DATABASE_URL": bench_data.owner_url,
        "REDIS_URL": app.config["REDIS_URL"],
        "OUTLAY_INSTANCE": str(bench_tmp / "instance"),
        "SECRET_KEY": app.config["SECRET_KEY"],
        "OUTLAY_BENCH_JSON": str(bench_tmp / "api-page.json"),
        "OUTLAY_BENCH_FLOOR_SQL": str(bench_tmp / "floor.json"),
        "OUTLAY_BENCH_FLOOR_DSN": derive_role_url(bench_data.owner_url, "outlay_app"),
        "OUTLAY_TRUSTED_HOSTS": "127.0.0.1",  # the clients ask for this Host
    }
    for key in ("APP_DATABASE_URL", "OUTLAY_ADMIN_DATABASE_URL", "MAIL_SERVER"):
        env.pop(key, None)
    ports = {"static": free_port(), "floor": free_port(), "outlay": free_port()}
    servers = {}
    try:
        log = bench_tmp / "g-outlay.log"
        servers["outlay"] = gunicorn("app.wsgi:app", ports["outlay"], env, log)
        served = wait_ready(
            f"http://127.0.0.1:{ports['outlay']}{path}", headers, servers["outlay"], log=log
        )
        (bench_tmp / "api-page.json").write_bytes(served)  # the static app serves these bytes
        for name, module in (("static", "bare_app"), ("floor", "floor_app")):
            log = bench_tmp / f"g-{name}.log"
            servers[name] = gunicorn(f"tests.perf.{module}:app", ports[name], env, log)
            body = wait_ready(
                f"http://127.0.0.1:{ports[name]}{path}", headers, servers[name], log=log
            )
            assert json.loads(body) == json.loads(served), f"{name} serves another body"

        seconds = seconds_per_round()
        for name in servers:  # warm every worker, untimed
            wrk(ports[name], path, headers, 1)
        rps: dict[str, list[float]] = {name: [] for name in ports}
        for _round in range(ROUNDS):
            for name in ports:
                rps[name].append(wrk(ports[name], path, headers, seconds))
    finally:
        for proc in servers.values():
            stop(proc)

    static, floor, outlay = (median(rps[name]) for name in ("static", "floor", "outlay"))
    ratio = outlay / floor
    how = f"median of {ROUNDS} x {seconds:g} s, wrk {CONNECTIONS} connections, no keep-alive"
    report.add(
        "(b) API list, 50 rows, bearer token: req/s Outlay / floor (Flask + psycopg2)",
        f"{outlay:.0f} vs {floor:.0f} req/s ({how}, gunicorn 2 sync workers)",
        ratio,
        f">= {TARGET_RATIO}",
        ratio >= TARGET_RATIO,
    )
    report.add(
        "(b) floor / static JSON (what the database costs at its least)",
        f"{floor:.0f} vs {static:.0f} req/s",
        floor / static,
        "",
        None,
    )
    report.add(
        "(b) Outlay / static JSON (the old anchor)",
        f"{outlay:.0f} vs {static:.0f} req/s",
        outlay / static,
        "",
        None,
    )
    report.add(
        "(b') statements and round trips per API request (counted on the wire)",
        f"{len(statements)} statements ({', '.join(label(s) for s in statements)}); "
        f"{len(trips)} round trips ({', '.join(label(t) for t in trips)})",
        None,
        f"<= {TARGET_STATEMENTS} statements, <= {TARGET_ROUND_TRIPS} round trips",
        len(statements) <= TARGET_STATEMENTS and len(trips) <= TARGET_ROUND_TRIPS,
    )
