"""The analytics portal as a real process: `streamlit run`, as the Procfile starts it."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from app.processes import argv
from tests.support.processes import ROOT, free_port
from tests.support.processes import stop_child as stop

__all__ = ["free_port", "start_portal", "stop", "wait_healthy"]


def start_portal(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    """The Procfile's portal command on `port` (loopback), output to `log`."""
    command = argv("portal", {**env, "PORTAL_PORT": str(port)})
    out = log.open("ab")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_healthy(port: int, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Poll the portal's health endpoint until it answers "ok"; fail with the log if it dies."""
    url = f"http://127.0.0.1:{port}/portal/_stcore/health"
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        if proc.poll() is not None:
            raise AssertionError(f"portal exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise AssertionError(f"portal not healthy within {seconds} s:\n{log.read_text()[-3000:]}")
