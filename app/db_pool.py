"""The database pool without a ping per checkout.

`pool_pre_ping` costs a `SELECT 1` round trip on every request. Instead (the default
`SQLALCHEMY_ENGINE_OPTIONS` in `app/config.py`): connections are recycled after
`pool_recycle` seconds; on checkout, a connection whose socket has something to
read while it sat idle in the pool is replaced — the server closed it (a restart, an
administrator's `pg_terminate_backend`, an idle timeout), which sends a FATAL notice and a FIN
that arrive without our asking, so noticing costs one `select()` and no round trip. What this
cannot see (a peer that vanished without a word) fails the first statement; SQLAlchemy then
invalidates the pool, and the API's token lookup runs once more on a fresh connection
(`tenants.context.enter`).
"""

from __future__ import annotations

import select
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

from app.extensions import db


def _closed_by_server(dbapi_connection: Any) -> bool:
    if getattr(dbapi_connection, "closed", 0):
        return True
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _check(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    if _closed_by_server(dbapi_connection):
        raise DisconnectionError("the server closed this pooled connection")


def install(engine: Engine) -> None:
    """Check each checkout of `engine`'s pool by its socket (idempotent)."""
    if not event.contains(engine.pool, "checkout", _check):
        event.listen(engine.pool, "checkout", _check)


def init_app(app: Flask) -> None:
    """Install the check on every engine of the app (after `db.init_app`)."""
    with app.app_context():
        for engine in db.engines.values():
            install(engine)
