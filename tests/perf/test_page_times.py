"""(e) Server time of the pages people open most, at two org sizes, against the floor.

In process, through the Flask test client on the real app (HTTPS, as a browser), as the
org's owner logged in with a password: the dashboard, the transactions list (first page), the
budgets page (three budgets, added through its form) and the Analytics page's hand-over (the
page that mints the portal's token), plus the list with an amount range and with a text search
for a common word. The small org has OUTLAY_BENCH_TRANSACTIONS transactions (1,000), the big
one OUTLAY_BENCH_BIG (1,000,000): both come from `bench_data`.

The floor is `floor_app.py` serving the API list of 50 in process (its own test client),
replaying the statements Outlay's API list ran for the same org; each page is divided by the
floor at the same size. Outlay's own API list is shown for scale.

Every variant is requested once untimed (warm caches, compiled statements), then
OUTLAY_BENCH_PAGE_RUNS rounds (10) each request every variant once, the small and big org in
alternating order; medians are compared. A slow page stops the rounds after PAGE_BUDGET seconds
(at least MIN_RUNS). Misses are reported, not asserted.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import text

from app.config import derive_role_url
from app.extensions import db
from app.queries.filters import text_query
from app.services.accounts import api_tokens
from tests.perf.conftest import BENCH_PASSWORD
from tests.perf.support import capture, median
from tests.support.web import https_client, login, post_form

PAGE_TARGET = 1.5  # big / small, each page
FLOOR_TARGET = 5.0  # page / floor, at each size
FILTER_TARGET = 3.0  # big / small, the amount range and the text search
PAGE_BUDGET = 600.0  # seconds for all rounds: a slow page must not make the run take hours
MIN_RUNS = 3
AMOUNT_RANGE = ("100", "200")  # in the org's base currency; the demo's amounts span 1-6,000
COMMON_WORD = "online"  # "Online ads", "Online shop orders": the demo's commonest word, 1 row in 20
ROW = re.compile(r'<tr data-id="')
PAGES = ("dashboard", "transactions list", "budgets", "Analytics hand-over")
FILTERS = ("list, amount range", "list, text search")


def runs() -> int:
    return int(os.environ.get("OUTLAY_BENCH_PAGE_RUNS", "10"))


@dataclass
class Org:
    label: str
    org_id: int
    slug: str
    email: str
    rows: int
    client: FlaskClient | None = None
    floor: FlaskClient | None = None
    api_headers: dict[str, str] | None = None


def variants(org: Org) -> dict[str, tuple[FlaskClient, str, dict[str, str]]]:
    """name -> (client, path, headers): what one round requests for this org."""
    low, high = AMOUNT_RANGE
    web, base, none = org.client, f"/o/{org.slug}", {}
    api = f"/api/v1/orgs/{org.slug}/transactions?limit=50"
    return {
        "dashboard": (web, f"{base}/", none),
        "transactions list": (web, f"{base}/transactions", none),
        "budgets": (web, f"{base}/budgets", none),
        "Analytics hand-over": (web, f"{base}/analytics", none),
        "list, amount range": (web, f"{base}/transactions?min={low}&max={high}", none),
        "list, text search": (web, f"{base}/transactions?q={COMMON_WORD}", none),
        "API list, 50 (Outlay)": (web, api, org.api_headers),
        "floor: API list, 50 (floor_app.py)": (org.floor, api, org.api_headers),
    }


def load_floor(statements: Path, dsn: str, name: str):
    """A fresh floor_app module replaying `statements` (it reads its settings at import)."""
    saved = {
        key: os.environ.get(key) for key in ("OUTLAY_BENCH_FLOOR_SQL", "OUTLAY_BENCH_FLOOR_DSN")
    }
    os.environ["OUTLAY_BENCH_FLOOR_SQL"], os.environ["OUTLAY_BENCH_FLOOR_DSN"] = (
        str(statements),
        dsn,
    )
    try:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("floor_app.py")
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return module.app


def matching(app, org_id: int) -> dict[str, int]:
    """How many of the org's rows the amount range and the text search select."""
    from tenants.context import tenant_context

    low, high = AMOUNT_RANGE
    with app.app_context(), tenant_context(org_id):
        counts = db.session.execute(
            text(
                "SELECT count(*) FILTER (WHERE base_amount BETWEEN :lo AND :hi),"
                " count(*) FILTER (WHERE search @@ to_tsquery('simple', :q))"
                " FROM transactions WHERE org_id = :o"
            ),
            {"lo": low, "hi": high, "q": text_query(COMMON_WORD), "o": org_id},
        ).one()
        db.session.rollback()
    return {"list, amount range": counts[0], "list, text search": counts[1]}


def prepare(app, org: Org, bench_tmp: Path, owner_url: str) -> None:
    """Log the owner in, add three budgets through the form, set up the floor for this org."""
    org.client = https_client(app)
    assert login(org.client, org.email, BENCH_PASSWORD).status_code == 302, "login failed"
    with app.app_context():
        from tenants.context import tenant_context

        with tenant_context(org.org_id):
            user_id, categories = db.session.execute(
                text(
                    "SELECT (SELECT id FROM users WHERE email = :e),"
                    " array(SELECT id FROM categories WHERE org_id = :o AND kind = 'expense'"
                    " AND parent_id IS NULL ORDER BY id LIMIT 3)"
                ),
                {"e": org.email, "o": org.org_id},
            ).one()
        db.session.rollback()
        org.api_headers = {"Authorization": f"Bearer {api_tokens.issue(user_id, 'bench-e')}"}
    new = f"/o/{org.slug}/budgets/new"
    for category, period, amount in zip(
        categories, ("monthly", "monthly", "annual"), ("2000", "500", "30000"), strict=True
    ):
        body = {"category_id": category, "amount": amount, "period": period, "thresholds": "80"}
        assert post_form(org.client, new, body, new).status_code == 302, "budget not added"

    api = f"/api/v1/orgs/{org.slug}/transactions?limit=50"
    statements = bench_tmp / f"floor-{org.label}.json"
    statements.write_text(json.dumps(capture(app, api, org.api_headers)))
    floor_app = load_floor(
        statements, derive_role_url(owner_url, "outlay_app"), f"floor_{org.label}"
    )
    org.floor = floor_app.test_client()
    ours = org.client.get(api, headers=org.api_headers).get_json()
    assert org.floor.get(api).get_json() == ours, "the floor serves another body"


def check(name: str, body: str, shown: int) -> None:
    """What the person would see is there: the list's rows, the budgets, the portal's frame."""
    if name.startswith(("transactions list", "list,")):
        assert len(ROW.findall(body)) == shown, (name, len(ROW.findall(body)), shown)
    elif name == "budgets":
        assert body.count("data-budget=") == 3, name
    elif name == "Analytics hand-over":
        assert "<iframe" in body and "token=" in body, name


def measure(orgs: list[Org], expected: Callable[[Org, str], int]) -> dict[tuple[str, str], list]:
    plan = {org.label: variants(org) for org in orgs}
    times: dict[tuple[str, str], list[float]] = {}
    for org in orgs:  # warm-up, untimed, and a look at what came back
        for name, (client, path, headers) in plan[org.label].items():
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (org.label, name, response.status_code)
            check(name, response.get_data(as_text=True), expected(org, name))
            times[(name, org.label)] = []
    began = time.perf_counter()
    for run in range(runs()):
        if run >= MIN_RUNS and time.perf_counter() - began > PAGE_BUDGET:
            break
        for name in plan[orgs[0].label]:
            for org in orgs if run % 2 == 0 else orgs[::-1]:
                client, path, headers = plan[org.label][name]
                start = time.perf_counter()
                response = client.get(path, headers=headers)
                times[(name, org.label)].append(time.perf_counter() - start)
                assert response.status_code == 200, (org.label, name, response.status_code)
    return times


def verdict(ratio: float, target: float) -> str:
    return f"{ratio:.2f}x ok" if ratio <= target else f"{ratio:.2f}x **MISSED**"


def test_page_server_times_small_and_big_org(app, bench_data, report, bench_tmp):
    small = Org(
        "small",
        bench_data.many.org_ids[0],
        bench_data.many.slugs[0],
        bench_data.many.emails[0],
        bench_data.many.transactions // len(bench_data.many.org_ids),
    )
    big = Org(
        "big",
        bench_data.big.org_ids[0],
        bench_data.big.slugs[0],
        bench_data.big.emails[0],
        bench_data.big.transactions,
    )
    orgs = [small, big]
    found = {}
    for org in orgs:
        prepare(app, org, bench_tmp, bench_data.owner_url)
        found[org.label] = matching(app, org.org_id)

    def expected(org: Org, name: str) -> int:
        return min(50, found[org.label].get(name, org.rows))

    times = measure(orgs, expected)
    ms = {key: median(values) * 1e3 for key, values in times.items()}
    n = min(len(values) for values in times.values())
    floor = {org.label: ms[("floor: API list, 50 (floor_app.py)", org.label)] for org in orgs}

    head = f"| page | {small.rows:,} rows | {big.rows:,} rows | big/small (<= {PAGE_TARGET}x) "
    head += f"| page/floor, small / big (<= {FLOOR_TARGET:g}x) "
    head += f"| filter/search big/small (<= {FILTER_TARGET:g}x) |"
    lines = [
        f"(e) server time of pages, in process, logged-in owner, median of {n} "
        f"(ms; page/floor divides by the floor at the same size)",
        "",
        head,
        "|---|---|---|---|---|---|",
    ]
    worst = {"page": (0.0, ""), "floor": (0.0, ""), "filter": (0.0, "")}  # (ratio, what)
    for name in variants(small):
        a, b = ms[(name, "small")], ms[(name, "big")]
        growth = b / a
        on_floor = (a / floor["small"], b / floor["big"])
        cells = [name, f"{a:.1f} ms", f"{b:.1f} ms", "", "", ""]
        if name in PAGES:
            cells[3] = verdict(growth, PAGE_TARGET)
            missed = max(on_floor) > FLOOR_TARGET
            cells[4] = f"{on_floor[0]:.1f}x / {on_floor[1]:.1f}x"
            cells[4] += " **MISSED**" if missed else " ok"
            worst["page"] = max(worst["page"], (growth, f"{name}: {a:.1f} -> {b:.1f} ms"))
            size = "small" if on_floor[0] > on_floor[1] else "big"
            page_ms = a if size == "small" else b
            worst["floor"] = max(
                worst["floor"],
                (max(on_floor), f"{name} ({size}): {page_ms:.1f} vs {floor[size]:.1f} ms"),
            )
        elif name in FILTERS:
            cells[4] = f"{on_floor[0]:.1f}x / {on_floor[1]:.1f}x"
            cells[5] = verdict(growth, FILTER_TARGET)
            worst["filter"] = max(worst["filter"], (growth, f"{name}: {a:.1f} -> {b:.1f} ms"))
        else:
            cells[3] = f"{growth:.2f}x"
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Amount range {AMOUNT_RANGE[0]}-{AMOUNT_RANGE[1]} selects "
        f"{found['small']['list, amount range']:,} / {found['big']['list, amount range']:,} rows, "
        f"the search for {COMMON_WORD!r} {found['small']['list, text search']:,} / "
        f"{found['big']['list, text search']:,} (small / big); the list shows 50.",
        "",
    ]
    report.sections.append("\n".join(lines))

    sizes = f"{big.rows:,} vs {small.rows:,} rows"
    for key, label, target in (
        ("page", f"(e) pages, big / small org ({sizes}), the worst of {len(PAGES)}", PAGE_TARGET),
        ("floor", "(e) page / floor API list at the same size, the worst", FLOOR_TARGET),
        (
            "filter",
            f"(e) amount range and text search, big / small ({sizes}), the worst",
            FILTER_TARGET,
        ),
    ):
        ratio, name = worst[key]
        report.add(label, f"{name} (see the (e) table)", ratio, f"<= {target:g}", ratio <= target)
