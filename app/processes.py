"""The Procfile's processes, written once: the Procfile is rendered from `PROCESSES` (a test
checks it is), `outlay up` and the process tests start `commands(...)` from the same lines.

A line is a tuple of words; `${NAME}` / `${NAME:-default}` are filled from the environment.
On this machine the programs run from this interpreter's venv and repository files by absolute
path, so the processes start from any working directory.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

PROCESSES: dict[str, tuple[str, ...]] = {
    "web": (
        "gunicorn",
        "--config",
        "infra/gunicorn.conf.py",
        "--bind",
        "${HOST:-0.0.0.0}:${PORT:-5000}",
        "--workers",
        "${WEB_CONCURRENCY:-2}",
        "app.wsgi:app",
    ),
    "worker": (
        "rq",
        "worker",
        "--url",
        "${REDIS_URL}",
        "--worker-class",
        "workers.worker.OutlayWorker",
        "--with-scheduler",
        "${OUTLAY_QUEUE_PREFIX}mail",
        "${OUTLAY_QUEUE_PREFIX}default",
        "${OUTLAY_QUEUE_PREFIX}imports",
    ),
    "scheduler": ("rq", "cron", "--url", "${REDIS_URL}", "workers.cron"),
    # Loopback only: the browser reaches it directly in development, nginx in production.
    "portal": (
        "streamlit",
        "run",
        "streamlit_portal/app.py",
        "--server.baseUrlPath",
        "portal",
        "--server.port",
        "${PORTAL_PORT:-8501}",
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ),
}
# How each program runs from this venv (the Procfile relies on PATH instead).
PROGRAMS: dict[str, list[str]] = {
    "gunicorn": [sys.executable, "-m", "gunicorn"],
    "streamlit": [sys.executable, "-m", "streamlit"],
    "rq": [str(BIN / "rq")],
}
_VARIABLE = re.compile(r"\$\{([A-Z_]+)(?::-([^}]*))?\}")


def procfile() -> str:
    """The Procfile's text."""
    return "".join(f"{name}: {' '.join(words)}\n" for name, words in PROCESSES.items())


def fill(word: str, env: Mapping[str, str]) -> str:
    return _VARIABLE.sub(lambda m: env.get(m.group(1)) or (m.group(2) or ""), word)


def argv(name: str, env: Mapping[str, str]) -> list[str]:
    """Process `name`'s command line with the variables filled from `env`."""
    program, *words = PROCESSES[name]
    filled = [fill(word, env) for word in words]
    files = [str(ROOT / w) if (ROOT / w).is_file() and "/" in w else w for w in filled]
    return [*PROGRAMS[program], *files]


def commands(env: dict[str, str], host: str, port: int, web_workers: int) -> dict[str, list[str]]:
    """Every process as `outlay up` starts it: the web app on `host:port`."""
    values = {**env, "HOST": host, "PORT": str(port), "WEB_CONCURRENCY": str(web_workers)}
    return {name: argv(name, values) for name in PROCESSES}
