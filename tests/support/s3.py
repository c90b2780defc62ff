"""moto's S3 as a real server on a loopback port, for the S3 storage tests.

It is started as a process (`moto_server`, through tests/support/processes.py), so the backend
talks HTTP to it as it would to any S3-compatible store.
"""

from __future__ import annotations

import sys
import urllib.request
from pathlib import Path

from tests.support.processes import Process, free_port, start, wait_for

KEYS = {"access_key": "outlay-test", "secret_key": "outlay-test-secret", "region": "us-east-1"}


class MotoServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process: Process | None = None

    def start(self) -> MotoServer:
        moto = Path(sys.executable).with_name("moto_server")
        self.process = start([str(moto), "-H", "127.0.0.1", "-p", str(self.port)], env={})
        wait_for(self._answers, 60, "moto_server answering", watch=[self.process])
        return self

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=2):
                return True
        except OSError:
            return False

    def settings(self) -> dict[str, str]:
        """OUTLAY_RECEIPTS_S3 as the app's config holds it."""
        return {"endpoint": self.endpoint, **KEYS}

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
