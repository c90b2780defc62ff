"""Benchmark fixtures: a dedicated server folder and database per run, filled by COPY.

The data set is 1,000 orgs x 1,000 transactions plus one org with 1,000,000 transactions
(override with OUTLAY_BENCH_ORGS, OUTLAY_BENCH_TRANSACTIONS, OUTLAY_BENCH_BIG for a quick try;
the report says which sizes ran). Results go to the terminal and to test-artifacts/bench.md.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, pool, text

from app.config import sqlalchemy_url
from app.demo.orgs import DemoResult, create_demo_orgs
from tests.perf.support import ARTIFACT, Report, machine

REPORT = pytest.StashKey[Report]()
BENCH_PASSWORD = "bench-password-not-used"  # every demo owner's; (e) logs in with it


def _size(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@pytest.fixture(scope="session")
def bench_tmp() -> Iterator[Path]:
    """Own temporary folder (not pytest's numbered ones, which a concurrent run may prune)."""
    folder = Path(tempfile.mkdtemp(prefix="outlay-bench-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server(bench_tmp: Path) -> Iterator[str]:
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    import pgserver

    server = pgserver.get_server(bench_tmp / "pg", cleanup_mode="delete")
    yield server.get_uri()
    server.cleanup()


@pytest.fixture(scope="session")
def redis_url(bench_tmp: Path) -> Iterator[str]:
    if url := os.environ.get("TEST_REDIS_URL"):
        yield url
        return
    from app.embedded import start_redis

    url, client = start_redis(bench_tmp / "redis")
    yield url
    client.shutdown()


@pytest.fixture(scope="session")
def instance_dir(bench_tmp: Path) -> Path:
    folder = bench_tmp / "instance"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def report(request: pytest.FixtureRequest) -> Report:
    return request.config.stash.setdefault(REPORT, Report())


@dataclass
class BenchData:
    many: DemoResult  # the 1,000 orgs x 1,000 transactions
    big: DemoResult  # the one org with 1,000,000 transactions
    owner_url: str


def owner_engine(owner_url: str):
    return create_engine(sqlalchemy_url(owner_url), poolclass=pool.NullPool)


@pytest.fixture(scope="session")
def bench_data(app: Flask, owner_url: str, report: Report) -> BenchData:
    """Both data sets, loaded concurrently by the demo generator (COPY), then vacuumed."""
    from flask_security import hash_password

    orgs = _size("OUTLAY_BENCH_ORGS", 1000)
    per_org = _size("OUTLAY_BENCH_TRANSACTIONS", 1000)
    big = _size("OUTLAY_BENCH_BIG", 1_000_000)
    with app.app_context():
        password_hash = hash_password(BENCH_PASSWORD)
    began = time.perf_counter()
    with ThreadPoolExecutor(2) as workers:
        many_job = workers.submit(
            create_demo_orgs, owner_url, orgs, per_org, password_hash=password_hash, seed=1
        )
        big_job = workers.submit(
            create_demo_orgs, owner_url, 1, big, password_hash=password_hash, seed=2
        )
        many, big_org = many_job.result(), big_job.result()
    loaded = time.perf_counter() - began
    engine = create_engine(
        sqlalchemy_url(owner_url), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE) transactions")
        version = conn.execute(text("SHOW server_version")).scalar()
    engine.dispose()
    vacuumed = time.perf_counter() - began - loaded
    rows = many.transactions + big_org.transactions
    report.notes += [
        f"Machine: {machine(f'PostgreSQL {version}')}",
        f"Data: {orgs} orgs x {per_org} transactions + 1 org x {big} transactions "
        f"({rows:,} rows) loaded by COPY in {loaded:.1f} s "
        f"({rows / loaded:,.0f} rows/s, two loaders at once), VACUUM ANALYZE {vacuumed:.1f} s",
    ]
    return BenchData(many, big_org, owner_url)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    report = config.stash.get(REPORT, None)
    if report is None or not report.rows:
        return
    table = report.markdown()
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text("# Outlay benchmarks\n\n" + table)
    terminalreporter.write_sep("=", "Outlay benchmarks")
    terminalreporter.write_line(table)
    terminalreporter.write_line(f"(also written to {ARTIFACT})")
