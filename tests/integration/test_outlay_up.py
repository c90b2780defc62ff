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
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from app.demo.login import DEMO_EMAIL, DEMO_ORG, DEMO_PASSWORD
from tests.support.processes import free_port
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


def start(instance: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env["OUTLAY_INSTANCE"] = str(instance)
    env["PORTAL_PORT"] = str(free_port())  # another portal (or run) may hold 8501
    outlay = Path(sys.executable).parent / "outlay"
    return subprocess.Popen(
        [str(outlay), "up", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def wait_for_login_page(base: str, proc: subprocess.Popen, seconds: float) -> float:
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        if proc.poll() is not None:
            raise AssertionError(f"outlay up exited early:\n{proc.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - began
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"no login page within {seconds} s")


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


def mailed_links(outbox: Path, seconds: float) -> list[str]:
    """The links in every mail the worker has written to the outbox (no SMTP server set) by the
    time a reset link is among them: the scheduler's mail may come first."""
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        links = []
        for path in sorted(outbox.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            body = message.get_body(preferencelist=("plain",))
            if body is not None:
                links += re.findall(r"https?://[^\s\"'<>]+", body.get_content())
        if any("/reset/" in link for link in links):
            return links
        time.sleep(0.5)
    raise AssertionError(f"no reset mail in {outbox} within {seconds} s")


def stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError("outlay up did not stop within 30 s of Ctrl-C") from None
    return out


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

    proc = start(instance, port)
    try:
        waited = wait_for_login_page(base, proc, 60)
        page = demo_login(base)
        # Mail the worker sends links to this host and port, not localhost:5000 (11.7).
        request_reset(base, DEMO_EMAIL)
        links = mailed_links(instance / "outbox", 60)
    finally:
        output = stop(proc)
    assert waited < 60
    assert re.search(r"/o/demo-company/", page), page[:500]
    assert links and all(link.startswith(f"{base}/") for link in links), links
    assert any(link.startswith(f"{base}/reset/") for link in links), links
    assert DEMO_ORG in page
    assert f"Outlay is running at {base}/" in output
    assert f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}" in output
    assert proc.returncode == 0, output[-2000:]
    assert "Stopped." in output
    assert not postgres_running(instance), "embedded PostgreSQL still running after Ctrl-C"
    assert (instance / "secret_key").exists()

    # A second start reuses the data: same database, same demo org, no second seed.
    proc = start(instance, port)
    try:
        wait_for_login_page(base, proc, 60)
        again = demo_login(base)
    finally:
        output = stop(proc)
    assert "/o/demo-company/" in again and "/o/demo-company-2/" not in again
    assert "Running upgrade" not in output, "migrations ran again on reused data"


def test_outlay_up_keeps_serving_when_redis_dies_and_restarts_it(tmp_path):
    """The embedded Redis is killed: `outlay up` says so, restarts it (and any child that exits
    with it), and the web app serves logins throughout; readiness reports Redis down then ok."""
    import json

    from redis import Redis

    from tests.support.processes import start as start_process
    from tests.support.processes import wait_for

    instance = tmp_path / "instance"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env["OUTLAY_INSTANCE"] = str(instance)
    env["PORTAL_PORT"] = str(free_port())
    outlay = Path(sys.executable).parent / "outlay"
    up = start_process(
        [str(outlay), "up", "--port", str(port), "--workers", "1"], env, tmp_path / "up.log"
    )

    def ready() -> dict:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=5) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return {}

    try:
        wait_for(lambda: ready().get("redis") == "ok", 90, "outlay up ready", [up])
        redis = Redis(unix_socket_path=str(instance / "redis" / "redis.sock"))
        os.kill(int(redis.info("server")["process_id"]), signal.SIGKILL)
        wait_for(lambda: "Process redis exited" in up.output(100_000), 15, "the exit noticed", [up])
        assert "/o/demo-company/" in demo_login(base)  # still serving, Redis or not
        wait_for(lambda: "Restarting redis" in up.output(100_000), 30, "Redis restarted", [up])
        wait_for(lambda: ready().get("redis") == "ok", 30, "Redis back in readiness", [up])
        assert "/o/demo-company/" in demo_login(base)
    finally:
        up.signal(signal.SIGINT)  # Ctrl-C in the terminal reaches the process group
        try:
            up.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            up.kill()
    output = up.output(100_000)
    assert "restarting it in 1 s" in output, output[-3000:]
    assert "Stopped." in output and up.proc.returncode == 0, output[-3000:]
    assert not postgres_running(instance)
