"""`make run` is `outlay up`: on a machine with no services it starts embedded PostgreSQL and
Redis, migrates, seeds the demo org and serves the login page; Ctrl-C stops everything; a
second start reuses the data."""

from __future__ import annotations

import email
import email.policy
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from app.demo.login import DEMO_EMAIL, DEMO_ORG, DEMO_PASSWORD
from tests.support.processes import Process, free_port, wait_for
from tests.support.processes import start as start_process
from tests.support.web import csrf_from

# One worker runs both under xdist: each starts a whole stack of its own (embedded PostgreSQL
# and Redis, gunicorn, rq, Streamlit), and two at once on a small machine only compete.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("outlay-up")]


UNSET = {
    "DATABASE_URL",
    "REDIS_URL",
    "APP_DATABASE_URL",
    "SECRET_KEY",
    "OUTLAY_ADMIN_DATABASE_URL",
    "MAIL_SERVER",
}


# How long a test waits for the whole stack to come up (initdb, every migration with the rates
# history, the demo seed, then gunicorn, rq and Streamlit). Patience, not a performance claim:
# on an idle 2-core machine a first start serves its login page in about 8 s, but CI runs this
# beside three other xdist workers and browser tests, and once took 61 s.
PATIENCE = 240


def start(instance: Path, port: int, log: Path) -> Process:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env["OUTLAY_INSTANCE"] = str(instance)
    env["PORTAL_PORT"] = str(free_port())  # another portal (or run) may hold 8501
    outlay = Path(sys.executable).parent / "outlay"
    return start_process([str(outlay), "up", "--port", str(port), "--workers", "1"], env, log)


def login_page_served(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/login", timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def demo_login(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login", timeout=10).read().decode()
    form = urllib.parse.urlencode(
        {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrf_token": csrf_from(page)}
    ).encode()
    opener.open(
        urllib.request.Request(f"{base}/login", data=form, headers={"Referer": f"{base}/login"}),
        timeout=10,
    )
    home = opener.open(f"{base}/", timeout=10)
    return home.geturl() + "\n" + home.read().decode()


def request_reset(base: str, email: str) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/reset", timeout=10).read().decode()
    form = urllib.parse.urlencode({"email": email, "csrf_token": csrf_from(page)}).encode()
    opener.open(
        urllib.request.Request(f"{base}/reset", data=form, headers={"Referer": f"{base}/reset"}),
        timeout=10,
    )


def mailed_links(outbox: Path) -> list[str]:
    """The links in every mail the worker has written to the outbox (no SMTP server set), once
    a reset link is among them (the scheduler's mail may come first); empty until then."""
    links = []
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        if body is not None:
            links += re.findall(r"https?://[^\s\"'<>]+", body.get_content())
    return links if any("/reset/" in link for link in links) else []


def stop(up: Process) -> str:
    """Ctrl-C, as a terminal sends it to the process group; the whole output once everything
    stopped (the second start's "no migrations" check reads all of it)."""
    up.signal(signal.SIGINT)
    try:
        up.proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        up.kill()
        raise AssertionError(f"no stop within 40 s of Ctrl-C:\n{up.output()}") from None
    return up.log.read_text(errors="replace")


def postgres_running(instance: Path) -> bool:
    pid_file = instance / "postgres" / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().splitlines()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_outlay_up_serves_and_demo_login_works(tmp_path):
    instance = tmp_path / "instance"
    port = free_port()
    base = f"http://127.0.0.1:{port}"

    up = start(instance, port, tmp_path / "up.log")
    try:
        wait_for(lambda: login_page_served(base), PATIENCE, "the login page", [up])
        page = demo_login(base)
        # Mail the worker sends links to this host and port, not localhost:5000 (11.7).
        request_reset(base, DEMO_EMAIL)
        links = wait_for(lambda: mailed_links(instance / "outbox"), PATIENCE, "a reset mail", [up])
    finally:
        output = stop(up)
    assert re.search(r"/o/demo-company/", page), page[:500]
    assert links and all(link.startswith(f"{base}/") for link in links), links
    assert any(link.startswith(f"{base}/reset/") for link in links), links
    assert DEMO_ORG in page
    assert f"Outlay is running at {base}/" in output
    assert f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}" in output
    assert up.proc.returncode == 0, output[-2000:]
    assert "Stopped." in output
    assert not postgres_running(instance), "embedded PostgreSQL still running after Ctrl-C"
    assert (instance / "secret_key").exists()

    # A second start reuses the data: same database, same demo org, no second seed.
    up = start(instance, port, tmp_path / "up-again.log")
    try:
        wait_for(lambda: login_page_served(base), PATIENCE, "the login page again", [up])
        again = demo_login(base)
    finally:
        output = stop(up)
    assert "/o/demo-company/" in again and "/o/demo-company-2/" not in again
    assert "Running upgrade" not in output, "migrations ran again on reused data"


def test_outlay_up_keeps_serving_when_redis_dies_and_restarts_it(tmp_path):
    """The embedded Redis is killed: `outlay up` says so, restarts it (and any child that exits
    with it), and the web app serves logins throughout; readiness reports Redis down then ok."""
    import json

    from redis import Redis

    instance = tmp_path / "instance"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    up = start(instance, port, tmp_path / "up.log")

    def ready() -> dict:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=5) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return {}

    try:
        wait_for(lambda: ready().get("redis") == "ok", PATIENCE, "outlay up ready", [up])
        redis = Redis(unix_socket_path=str(instance / "redis" / "redis.sock"))
        os.kill(int(redis.info("server")["process_id"]), signal.SIGKILL)
        wait_for(lambda: "Process redis exited" in up.output(100_000), 60, "the exit noticed", [up])
        assert "/o/demo-company/" in demo_login(base)  # still serving, Redis or not
        wait_for(lambda: "Restarting redis" in up.output(100_000), 60, "Redis restarted", [up])
        wait_for(lambda: ready().get("redis") == "ok", 60, "Redis back in readiness", [up])
        assert "/o/demo-company/" in demo_login(base)
    finally:
        output = stop(up)
    assert "restarting it in 1 s" in output, output[-3000:]
    assert "Stopped." in output and up.proc.returncode == 0, output[-3000:]
    assert not postgres_running(instance)
