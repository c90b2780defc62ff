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
from psycopg2.extensions import TRANSACTION_STATUS_IDLE as _IDLE
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


def _still_in_transaction(dbapi_connection: Any) -> bool:
    info = getattr(dbapi_connection, "info", None)
    status = getattr(info, "transaction_status", None)
    return status != _IDLE  # unknown, in a transaction, failed in one, or a command running


def _reset(dbapi_connection: Any, _record: Any, _state: Any) -> None:
    """On return to the pool: roll back only a connection still in a transaction.

    A request's session rolls back when it closes and then returns its connection, which the
    pool's default reset would roll back a second time. With `pool_reset_on_return=None`
    (app/config.py) this is the reset instead: a connection that was checked out and dropped
    mid-transaction (raw use, garbage collection, an error) is still rolled back, so no
    transaction-local setting or lock outlives its checkout.
    """
    if _still_in_transaction(dbapi_connection):
        dbapi_connection.rollback()


def install(engine: Engine) -> None:
    """Check each checkout of `engine`'s pool by its socket, and reset each return
    (idempotent)."""
    if not event.contains(engine.pool, "checkout", _check):
        event.listen(engine.pool, "checkout", _check)
    if not event.contains(engine.pool, "reset", _reset):
        event.listen(engine.pool, "reset", _reset)


def init_app(app: Flask) -> None:
    """Install the check on every engine of the app (after `db.init_app`)."""
    with app.app_context():
        for engine in db.engines.values():
            install(engine)
