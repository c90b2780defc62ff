"""The app settings every test app is built with (tests/conftest.py's `app_factory`)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from app.config import Config

# One per test run: this run's jobs and workers never meet another run's on a shared Redis.
QUEUE_PREFIX = f"test-{uuid.uuid4().hex[:8]}-"


def make_config(
    owner_url: str, redis_url: str, instance: Path, mail_port: int, **overrides: Any
) -> Config:
    env = {
        "DATABASE_URL": owner_url,
        "REDIS_URL": redis_url,
        "OUTLAY_INSTANCE": str(instance),
        "SECRET_KEY": "test-secret-" + "x" * 40,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail_port),
    }
    settings: dict[str, Any] = {
        "TESTING": True,
        "RATELIMIT_KEY_PREFIX": f"outlay-test-{uuid.uuid4().hex[:8]}",
        "OUTLAY_QUEUE_PREFIX": QUEUE_PREFIX,
        "RATELIMIT_LOGIN": "1000 per minute",
        "RATELIMIT_LOGIN_ACCOUNT": "1000 per minute",
        "RATELIMIT_MAIL_ADDRESS": "1000 per hour",
        "SERVER_NAME": "outlay.test",
    }
    settings.update(overrides)
    return Config(env, **settings)
