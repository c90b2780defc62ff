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

A connection lost after a request's last statement makes the session's closing rollback fail.
Flask-SQLAlchemy's teardown would then raise before it forgets the session, leaving it
registered, with its tenant, under the ended app context's id, which a later context can get
again; so the app drops the session itself (`_drop_session`).
"""

from __future__ import annotations

import logging
import select
from typing import Any

from flask import Flask
from psycopg2.extensions import TRANSACTION_STATUS_IDLE as _IDLE
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError

from app.extensions import db

log = logging.getLogger("outlay.db")


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


def _drop_session(_error: BaseException | None) -> None:
    """Close the request's session and always forget it.

    When the connection was lost, the rollback has nothing to undo (the server ended the
    transaction with the backend; SQLAlchemy invalidates the connection), so the request keeps
    the answer it made: what it wrote was committed before, or is gone with the backend.
    """
    try:
        db.session.remove()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        log.warning("database connection lost before the request's rollback: %s", error.orig)
    finally:
        db.session.registry.clear()


def init_app(app: Flask) -> None:
    """Install the check on every engine of the app, and the session's teardown (after
    `db.init_app`: teardowns run last registered first, so this one runs before
    Flask-SQLAlchemy's, which then finds no session to remove)."""
    with app.app_context():
        for engine in db.engines.values():
            install(engine)
    app.teardown_appcontext(_drop_session)
