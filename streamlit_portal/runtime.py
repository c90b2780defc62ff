"""The Flask app (and Redis) the portal's queries run in: one per process.

Tests call `use_app(app)`; `streamlit run` builds the app from the environment on first use,
as the web app and the workers do (`create_app(Config())`), so the portal connects as
`outlay_app` and every query is subject to RLS.
"""

from __future__ import annotations

import threading

from flask import Flask
from redis import Redis

_lock = threading.Lock()
_app: Flask | None = None
_redis: Redis | None = None


def use_app(app: Flask) -> None:
    """Run the portal's queries in this app (tests); otherwise one is made from the env."""
    global _app, _redis
    with _lock:
        _app, _redis = app, None


def app() -> Flask:
    global _app
    with _lock:
        if _app is None:
            from app import create_app
            from app.config import Config

            _app = create_app(Config())
        return _app


def redis() -> Redis:
    """Where handover tokens are spent: the app's REDIS_URL."""
    global _redis
    flask_app = app()
    with _lock:
        if _redis is None:
            url = flask_app.config["REDIS_URL"]
            if not url:
                raise RuntimeError("REDIS_URL is not set: the portal needs Redis.")
            _redis = Redis.from_url(url)
        return _redis
