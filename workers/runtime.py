"""The app a worker process runs jobs in, made once per process and safe across fork().

RQ's worker forks a work horse for every job. A horse inherits the parent's SQLAlchemy pool,
whose sockets the parent also owns; before a horse touches the database the inherited engine
is disposed of (without closing the parent's connections), so each process has its own.
"""

from __future__ import annotations

import os

from flask import Flask

_app: Flask | None = None
_pid: int | None = None


def use_app(app: Flask) -> None:
    """Run jobs in this app (tests and `outlay` commands); otherwise one is made from the env."""
    global _app, _pid
    _app, _pid = app, os.getpid()


def app() -> Flask:
    global _app, _pid
    if _app is None:
        from app import create_app
        from app.config import Config

        use_app(create_app(Config()))
    assert _app is not None
    if _pid != os.getpid():  # a forked work horse: drop the parent's pooled connections
        from app.extensions import db

        with _app.app_context():
            db.engine.dispose(close=False)
        _pid = os.getpid()
    return _app
