"""(g) Exports: the CSV's peak memory at 100,000 rows against 10,000 (flat: streamed from a
server-side cursor), the XLSX of 100,000 rows (seconds, peak memory) and the profit-and-loss
PDF for a year of the 1,000,000-row org (seconds; its figures are SQL aggregates).

Peak memory is the Python heap's high-water mark while the file is written (`tracemalloc`);
the XLSX is timed in a run without tracing, then traced in a second run. Each export goes to a
temporary file, as a job writes it. OUTLAY_BENCH_EXPORT_SMALL / _LARGE set the two orgs' sizes.
"""

from __future__ import annotations

import os
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta

import pytest

from app.demo.orgs import create_demo_orgs
from tests.perf.conftest import BENCH_PASSWORD

CSV_TARGET = 1.2
MB = 1024 * 1024


def seat_of(app, org_id: int):
    from app import clock
    from app.extensions import db
    from app.models import Membership, Organisation
    from app.seat import Seat
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org_id):
        org = db.session.get(Organisation, org_id)
        user_id = db.session.scalar(
            db.select(Membership.user_id).where(Membership.org_id == org_id).limit(1)
        )
        seat = Seat.of(org, user_id, "owner")
        return seat, org.name, clock.today(org.time_zone)


@pytest.fixture(scope="module")
def export_orgs(app, owner_url):
    """Two orgs of demo transactions, 10,000 and 100,000 by default: their org ids."""
    from flask_security import hash_password

    with app.app_context():
        password_hash = hash_password(BENCH_PASSWORD)
    sizes = [
        int(os.environ.get("OUTLAY_BENCH_EXPORT_SMALL", 10_000)),
        int(os.environ.get("OUTLAY_BENCH_EXPORT_LARGE", 100_000)),
    ]
    return [
        (create_demo_orgs(owner_url, 1, n, password_hash=password_hash, seed=7 + i).org_ids[0], n)
        for i, n in enumerate(sizes)
    ]


def measured(app, write: Callable[[object], int], traced: bool) -> tuple[float, int, int]:
    """(seconds, peak bytes or 0, rows) of `write(out)` into a temporary file."""
    with app.test_request_context(), tempfile.TemporaryFile() as out:
        if traced:
            tracemalloc.start()
        began = time.perf_counter()
        rows = write(out)
        elapsed = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        if traced:
            tracemalloc.stop()
    return elapsed, peak, rows


def transactions_file(app, org_id: int, fmt: str) -> Callable[[object], int]:
    from app.services.exports import transactions_export as service

    seat, name, _today = seat_of(app, org_id)

    def write(out) -> int:
        from tenants.context import tenant_context

        with tenant_context(org_id, seat.user_id):  # as the export job runs it
            return service.write(seat, service.ask(seat, {"format": fmt}), out, name)

    return write


def test_csv_memory_is_flat_and_xlsx_of_100k(app, export_orgs, report):
    (small, small_n), (large, large_n) = export_orgs
    _s, small_peak, small_rows = measured(app, transactions_file(app, small, "csv"), True)
    csv_s, large_peak, large_rows = measured(app, transactions_file(app, large, "csv"), True)
    assert (small_rows, large_rows) == (small_n, large_n)
    ratio = large_peak / small_peak
    report.add(
        f"(g) CSV export peak memory, {large_n:,} vs {small_n:,} rows",
        f"{large_peak / MB:.2f} MB vs {small_peak / MB:.2f} MB (the larger traced: {csv_s:.1f} s)",
        ratio,
        f"<= {CSV_TARGET}x",
        ratio <= CSV_TARGET,
    )
    xlsx = transactions_file(app, large, "xlsx")
    seconds, _peak, rows = measured(app, xlsx, False)
    _traced_s, peak, _rows = measured(app, xlsx, True)
    assert rows == large_n
    report.add(
        f"(g) XLSX export of {large_n:,} rows",
        f"{seconds:.1f} s, peak {peak / MB:.1f} MB",
        None,
        "informational",
        None,
    )


def test_profit_and_loss_pdf_for_a_year_of_the_big_org(app, bench_data, report):
    from app.services.exports import report_model, reports

    org_id = bench_data.big.org_ids[0]
    seat, name, today = seat_of(app, org_id)
    on = (today - timedelta(days=365)).isoformat()  # last year: a whole year of the data

    def write(out) -> int:
        from tenants.context import tenant_context

        with tenant_context(org_id):
            period = reports.period_of(seat, {"period": "year", "on": on})
            built = reports.build(seat, "profit-and-loss", period, name)
            report_model.write_pdf(built, out)
            return len(built.rows)

    seconds, _peak, lines = measured(app, write, False)
    assert lines > 0
    report.add(
        f"(g) Profit-and-loss PDF, a year of the {bench_data.big.transactions:,}-row org",
        f"{seconds:.2f} s ({lines} lines, SQL aggregates)",
        None,
        "informational",
        None,
    )
