"""The command lines of the Procfile's processes, as `outlay up` starts them on one machine."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
BIN = Path(sys.executable).parent


def commands(env: dict[str, str], host: str, port: int, web_workers: int) -> dict[str, list[str]]:
    prefix = env.get("OUTLAY_QUEUE_PREFIX", "")
    redis = env["REDIS_URL"]
    return {
        "web": [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(web_workers),
            "--config",
            str(INFRA / "gunicorn.conf.py"),
            "app.wsgi:app",
        ],
        "worker": [
            str(BIN / "rq"),
            "worker",
            "--url",
            redis,
            "--worker-class",
            "workers.worker.OutlayWorker",
            "--with-scheduler",
            f"{prefix}mail",
            f"{prefix}default",
            f"{prefix}imports",
        ],
        "scheduler": [str(BIN / "rq"), "cron", "--url", redis, "workers.cron"],
        # Loopback only: the browser reaches it directly in development, nginx in production.
        "portal": [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "streamlit_portal" / "app.py"),
            "--server.baseUrlPath",
            "portal",
            "--server.port",
            env.get("PORTAL_PORT") or "8501",
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
    }
