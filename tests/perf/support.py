"""Helpers for the benchmarks: the report table, medians, a load client, gunicorn servers,
and the statements of one request captured for the floor app to replay."""

from __future__ import annotations

import http.client
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACT = ROOT / "test-artifacts" / "bench.md"


@dataclass
class Row:
    name: str
    measured: str
    ratio: float | None
    target: str
    passed: bool | None  # None: informational, no target
    note: str = ""  # a caveat the pass/fail alone would hide


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # more tables, printed after the main one

    def add(
        self,
        name: str,
        measured: str,
        ratio: float | None,
        target: str,
        passed: bool | None,
        note: str = "",
    ) -> None:
        self.rows.append(Row(name, measured, ratio, target, passed, note))

    def markdown(self) -> str:
        lines = [
            "| benchmark | measured | ratio | target | result |",
            "|---|---|---|---|---|",
        ]
        for r in sorted(self.rows, key=lambda row: row.name[:2]):  # (a), (b), (c) in order
            ratio = "" if r.ratio is None else f"{r.ratio:.2f}"
            result = {None: "info", True: "pass", False: "FAIL"}[r.passed]
            if r.note:
                result += f" ({r.note})"
            lines.append(f"| {r.name} | {r.measured} | {ratio} | {r.target} | {result} |")
        return "\n".join([*self.notes, "", *lines, "", *self.sections])


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine(pg_version: str) -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {pg_version}"
    )


def capture(app, path: str, headers: dict[str, str]) -> list[tuple[str, dict]]:
    """The statements (with parameters) of one warm request, for the floor app to replay."""
    from sqlalchemy import event

    from app.extensions import db

    client = app.test_client()
    assert client.get(path, headers=headers).status_code == 200
    with app.app_context():
        engine = db.engine
    seen: list[tuple[str, dict]] = []

    def record(_conn, _cursor, statement, params, _context, _many) -> None:
        seen.append((statement, dict(params)))

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path, headers=headers).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


# --- load client: one process per connection, so the client is not one GIL -----------------


def hammer(args: tuple[str, int, str, dict[str, str], float, float]) -> tuple[int, int]:
    """GET `path` in a loop from `start_at` (wall clock) for `seconds`; (ok, failed) counts.

    One http.client connection, kept alive while the server allows it (gunicorn's sync
    workers close after every response; http.client then reconnects by itself).
    """
    host, port, path, headers, start_at, seconds = args
    conn = http.client.HTTPConnection(host, port, timeout=30)
    ok = failed = 0
    while time.time() < start_at:
        time.sleep(0.0005)
    end = start_at + seconds
    while time.time() < end:
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                ok += 1
            else:
                failed += 1
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException):
            failed += 1
            conn.close()
    conn.close()
    return ok, failed


def gunicorn(app_path: str, port: int, env: dict[str, str], log: Path, workers: int = 2):
    """Start gunicorn with the project's config (infra/gunicorn.conf.py) on `port`."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(ROOT / "infra" / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        app_path,
    ]
    out = log.open("ab")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)


def wait_ready(
    url: str,
    headers: dict[str, str],
    proc: subprocess.Popen,
    seconds: float = 60,
    log: Path | None = None,
):
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        if proc.poll() is not None:
            raise AssertionError(f"server exited early ({proc.returncode}){_tail(log)}")
        try:
            request = urllib.request.Request(url, headers=headers)
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} not ready within {seconds} s{_tail(log)}")


def _tail(log: Path | None) -> str:
    if log is None or not log.exists():
        return ""
    return f"; its log ends:\n{log.read_text(errors='replace')[-3000:]}"
