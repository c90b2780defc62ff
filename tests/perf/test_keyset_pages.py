"""(c) Keyset pages stay flat: the last page of an org with 1,000,000 transactions against
its first page, through app.queries.transactions.page as `outlay_app` with the org set.

The last page's cursor is computed in SQL (the row just before the 50 oldest) instead of
walking 20,000 pages; the test first checks that following cursors reaches the same rows.
"""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy import text

from app.extensions import db
from app.queries import transactions as listing
from app.queries.filters import Filters
from tests.perf.support import median

REPS = 100
BUDGET = 30.0  # seconds per variant: a slow plan must not make the run take an hour
MIN_REPS = 11
SLOW_MS = 100.0  # a page slower than this is a problem whatever the ratio says
LIMIT = 50
TARGET = 2.0


def timed_page(
    org_id: int, cursor: str | None, detailed: bool
) -> tuple[float, list[tuple[date, int]], str | None]:
    """One page as a request gets it: (seconds, [(date, id)...], next cursor)."""
    from tenants.context import tenant_context

    with tenant_context(org_id):
        began = time.perf_counter()
        page = listing.page(org_id, Filters(), cursor=cursor, limit=LIMIT, detailed=detailed)
        elapsed = time.perf_counter() - began
        items = page.rows
        keys = [(item.date, item.id) for item in items]
    db.session.rollback()  # end the transaction, as a request would
    return elapsed, keys, page.next_cursor


def last_page_cursor(org_id: int) -> tuple[str, int]:
    """The cursor of the row just before the last page (newest first), and the row count."""
    from app.models import Transaction
    from tenants.context import tenant_context

    in_org = Transaction.org_id == org_id
    with tenant_context(org_id):
        total = db.session.scalar(db.select(db.func.count()).where(in_org))
        row = db.session.execute(
            db.select(Transaction.date, Transaction.id)
            .where(in_org)
            .order_by(Transaction.date, Transaction.id)
            .offset(LIMIT)
            .limit(1)
        ).one()
    db.session.rollback()
    return listing._encode(row.date, row.id), total


def test_last_keyset_page_costs_what_the_first_does(app, bench_data, report):
    org_id = bench_data.big.org_ids[0]
    with app.app_context():
        assert db.session.execute(text("SELECT current_user")).scalar() == "outlay_app"
        db.session.rollback()
        cursor, total = last_page_cursor(org_id)
        assert total == bench_data.big.transactions

        # Cursors chain: page 2 starts right after page 1, and the last page ends the list.
        _t, first, next_cursor = timed_page(org_id, None, True)
        _t, second, _next = timed_page(org_id, next_cursor, True)
        assert first + second == sorted(first + second, reverse=True)
        assert len(set(first + second)) == 2 * LIMIT
        _t, last, after_last = timed_page(org_id, cursor, True)
        assert len(last) == LIMIT and after_last is None

        results = {}
        for detailed in (True, False):
            firsts, lasts = [], []
            began = time.perf_counter()
            for rep in range(REPS):
                if rep >= MIN_REPS and time.perf_counter() - began > BUDGET:
                    break
                order = (None, cursor) if rep % 2 == 0 else (cursor, None)
                for which in order:
                    elapsed, keys, _next = timed_page(org_id, which, detailed)
                    assert len(keys) == LIMIT
                    (firsts if which is None else lasts).append(elapsed)
            results[detailed] = (median(firsts) * 1e3, median(lasts) * 1e3, len(firsts))

    # The web and API lists read plain rows (the web list names them from its lookups); the
    # rows with names joined are the dashboard's recent entries' kind of page.
    for detailed, label in ((True, "names joined"), (False, "web and API lists")):
        first_ms, last_ms, reps = results[detailed]
        ratio = last_ms / first_ms
        slow = [name for name, ms in (("first", first_ms), ("last", last_ms)) if ms > SLOW_MS]
        report.add(
            f"(c) last / first keyset page of {total:,} rows, {label}",
            f"last {last_ms:.2f} ms, first {first_ms:.2f} ms (median of {reps})",
            ratio,
            f"<= {TARGET:.1f}",
            ratio <= TARGET,
            note=f"but the {' and '.join(slow)} page takes over {SLOW_MS:.0f} ms" if slow else "",
        )
