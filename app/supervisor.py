"""`outlay up`'s process supervisor: start the children, restart one that exits, stop them all.

A child that exits (the rq worker when Redis goes away, a crashed portal, the embedded Redis
itself) is started again after a backoff that doubles from 1 s to 30 s, and the supervisor
says so; a child that then runs for a minute starts again from 1 s. Nothing else is stopped:
the web app keeps serving while the worker waits for Redis. Ctrl-C (SIGINT/SIGTERM) stops
every child, the last started first.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

FIRST_BACKOFF = 1.0
MAX_BACKOFF = 30.0
HEALTHY_AFTER = 60.0  # seconds of running that reset the backoff


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    backoff: float = FIRST_BACKOFF
    restart_at: float | None = None
    restarts: int = field(default=0)
    stop_last: bool = False  # a server the others use (the embedded Redis)


class Supervisor:
    def __init__(self, echo: Callable[[str], None]) -> None:
        self.echo = echo
        self.children: list[Child] = []
        self.stopping = False

    def add(
        self, name: str, argv: list[str], env: dict[str, str], *, stop_last: bool = False
    ) -> Child:
        child = Child(name, argv, env, stop_last=stop_last)
        self.children.append(child)
        self._start(child)
        return child

    def _start(self, child: Child) -> None:
        # A server stopped last has a session of its own: Ctrl-C in the terminal reaches the
        # process group, and the server must outlive the processes that use it.
        child.proc = subprocess.Popen(child.argv, env=child.env, start_new_session=child.stop_last)
        child.started_at = time.monotonic()
        child.restart_at = None

    def check(self) -> None:
        """Restart what has exited, once its backoff has passed."""
        now = time.monotonic()
        for child in self.children:
            if self.stopping:
                return
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restarts += 1
                    self.echo(f"Restarting {child.name} (restart {child.restarts}).")
                    self._start(child)
                continue
            code = child.proc.poll() if child.proc else None
            if code is None:
                continue
            if now - child.started_at >= HEALTHY_AFTER:
                child.backoff = FIRST_BACKOFF
            self.echo(
                f"Process {child.name} exited with code {code}; "
                f"restarting it in {child.backoff:g} s (the others keep running)."
            )
            child.restart_at = now + child.backoff
            child.backoff = min(child.backoff * 2, MAX_BACKOFF)

    def run(self, interval: float = 0.5) -> None:
        """Supervise until SIGINT or SIGTERM."""

        def stop(_signum: int, _frame: FrameType | None) -> None:
            self.stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not self.stopping:
            self.check()
            time.sleep(interval)

    def stop_all(self, timeout: float = 15) -> None:
        """Stop the processes, then the servers they use."""
        self.stopping = True
        for last in (False, True):
            self._stop([c for c in reversed(self.children) if c.stop_last is last], timeout)

    @staticmethod
    def _stop(children: list[Child], timeout: float) -> None:
        running = [c.proc for c in children if c.proc and c.proc.poll() is None]
        for proc in running:
            proc.terminate()
        for proc in running:
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
