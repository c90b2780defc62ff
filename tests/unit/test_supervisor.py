"""`outlay up`'s supervisor (issue 10.11): a child that exits is started again after a backoff
that doubles, saying so, and the other children keep running. Real child processes."""

from __future__ import annotations

import os
import re
import sys
import time

from app.supervisor import FIRST_BACKOFF, MAX_BACKOFF, Supervisor


def test_an_exiting_child_restarts_with_a_doubling_backoff_and_the_others_keep_running():
    said: list[str] = []
    supervisor = Supervisor(said.append)
    env = dict(os.environ)
    stays = supervisor.add("web", [sys.executable, "-c", "import time; time.sleep(120)"], env)
    dies = supervisor.add("worker", [sys.executable, "-c", "import sys; sys.exit(3)"], env)
    web_pid = stays.proc.pid
    try:
        exits: list[str] = []
        give_up = time.monotonic() + 60
        while len(exits) < 4 and time.monotonic() < give_up:
            supervisor.check()
            exits = [line for line in said if line.startswith("Process worker exited")]
            time.sleep(0.05)
        waits = [float(re.search(r"restarting it in (\S+) s", line)[1]) for line in exits]
        assert waits == [FIRST_BACKOFF, 2 * FIRST_BACKOFF, 4 * FIRST_BACKOFF, 8 * FIRST_BACKOFF]
        assert all("with code 3" in line and "the others keep running" in line for line in exits)
        assert [line for line in said if line.startswith("Restarting worker")] == [
            f"Restarting worker (restart {n})." for n in (1, 2, 3)
        ]
        assert dies.restarts == 3
        # The web process was never touched: the same process, still running.
        assert stays.proc.pid == web_pid and stays.proc.poll() is None
        assert not [line for line in said if "web" in line]
    finally:
        supervisor.stop_all(timeout=5)
    assert stays.proc.poll() is not None


def test_the_backoff_stops_growing_at_its_ceiling():
    said: list[str] = []
    supervisor = Supervisor(said.append)
    child = supervisor.add("portal", [sys.executable, "-c", "pass"], dict(os.environ))
    child.backoff = MAX_BACKOFF
    child.proc.wait()
    supervisor.check()
    assert said == [
        f"Process portal exited with code 0; restarting it in {MAX_BACKOFF:g} s "
        "(the others keep running)."
    ]
    assert child.backoff == MAX_BACKOFF
    supervisor.stop_all(timeout=5)
