"""The tenant of the current database work, set in exactly one place.

The tenant (org and user) lives in the SQLAlchemy session's `info`. An `after_begin` hook
copies it into transaction-local settings (`set_config(..., true)`), which the RLS policy reads,
so nothing survives the transaction on a pooled connection. An org page sets it in the
statement that checks the membership (`enter_signed_in`); the API in the statement that checks
the token (`enter`); workers, scripts and the portal use `tenant_context(org_id)`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, scoped_session

_KEY = "outlay_tenant"
_SET = text("SELECT set_config('app.org_id', :org, true), set_config('app.user_id', :user, true)")


@dataclass(frozen=True)
class Tenant:
    org_id: int | None = None
    user_id: int | None = None


NO_TENANT = Tenant()


def _apply(connection: Connection, tenant: Tenant) -> None:
    """The one place that writes the settings RLS reads."""
    connection.execute(
        _SET,
        {
            "org": "" if tenant.org_id is None else str(int(tenant.org_id)),
            "user": "" if tenant.user_id is None else str(int(tenant.user_id)),
        },
    )


def _after_begin(session: Session, _transaction: object, connection: Connection) -> None:
    tenant = session.info.get(_KEY, NO_TENANT)
    # With no tenant there is nothing to write: transaction-local settings have already
    # reverted to '' (or were never set) when a transaction begins, and nothing here ever
    # sets them for a whole session, so "no org" holds without spending a statement on it.
    if tenant != NO_TENANT:
        _apply(connection, tenant)


def install() -> None:
    """Register the hook for every ORM session (idempotent)."""
    if not event.contains(Session, "after_begin", _after_begin):
        event.listen(Session, "after_begin", _after_begin)


def _real(session: Session | scoped_session[Session]) -> Session:
    return session() if isinstance(session, scoped_session) else session


def current(session: Session | scoped_session[Session]) -> Tenant:
    return _real(session).info.get(_KEY, NO_TENANT)


def set_tenant(
    session: Session | scoped_session[Session], org_id: int | None, user_id: int | None = None
) -> Tenant:
    """Set the tenant for this session; a transaction already open is switched too."""
    session = _real(session)
    previous = current(session)
    tenant = Tenant(org_id, user_id if user_id is not None else previous.user_id)
    session.info[_KEY] = tenant
    if session.in_transaction():
        _apply(session.connection(), tenant)
    return previous


# `enter` wraps a lookup so that its row also writes the settings: the org when the row admits
# the caller (org_id not NULL), else the settings as they stand (a refused caller changes nothing).
_ENTER = (
    "SELECT s.*, "
    "set_config('app.org_id', CASE WHEN s.org_id IS NULL "
    "THEN coalesce(current_setting('app.org_id', true), '') ELSE s.org_id::text END, true) "
    "AS tenant_org_set, "
    "set_config('app.user_id', CASE WHEN s.org_id IS NULL "
    "THEN coalesce(current_setting('app.user_id', true), '') ELSE s.user_id::text END, true) "
    "AS tenant_user_set "
    "FROM ({source}) AS s"
)
# `enter_signed_in` is for a caller already known (the web's signed-in user): the row names
# that user, who is the tenant's user whatever the answer; the org only when the row admits them.
_ENTER_SIGNED_IN = (
    "SELECT s.*, "
    "set_config('app.org_id', coalesce(s.org_id::text, ''), true) AS tenant_org_set, "
    "set_config('app.user_id', s.user_id::text, true) AS tenant_user_set "
    "FROM ({source}) AS s"
)
_entering: dict[tuple[str, str, str], str] = {}


def _entering_sql(connection: Connection, source: str, template: str = _ENTER) -> str:
    """`template` around `source`, compiled once per dialect to the driver's own SQL: the lookup
    then runs by `exec_driver_sql`, past the text clause's compile and cache-key steps (still
    through SQLAlchemy's execution, so errors, invalidation and events are the usual ones)."""
    key = (connection.dialect.name, source, template)
    sql = _entering.get(key)
    if sql is None:
        compiled = text(template.format(source=source)).compile(dialect=connection.dialect)
        sql = _entering.setdefault(key, str(compiled))
    return sql


def _run_entry(session: Session, sql_of: Any, params: Mapping[str, Any]) -> Row[Any] | None:
    """The lookup as a transaction's first statement may need it: the pool does not ping a
    connection on checkout, so if the first statement finds its connection dead the session
    rolls back onto a fresh one and runs it once more (nothing else ran, nothing is lost)."""
    first = not session.in_transaction()
    try:
        connection = session.connection()
        return connection.exec_driver_sql(sql_of(connection), dict(params)).first()
    except DBAPIError as error:
        if not (first and error.connection_invalidated):
            raise
        session.rollback()
        connection = session.connection()
        return connection.exec_driver_sql(sql_of(connection), dict(params)).first()


def enter(
    session: Session | scoped_session[Session], source: str, params: Mapping[str, Any]
) -> Row[Any] | None:
    """Run the lookup `source` and, in the same statement, make the org and user of its row the
    tenant: one round trip for "who is this, and are they a member" and the settings RLS reads.

    `source` is a SELECT returning at most one row with `org_id` (NULL when the caller is not
    admitted to the org) and `user_id`, its parameters named `:name`. The settings are
    transaction-local, as `_apply` writes them, and the tenant is kept in the session so a
    later transaction sets it again. The pool does not ping a connection on checkout; if the
    first statement of a transaction finds its connection dead, the session rolls back onto a
    fresh one and runs it once more (nothing else ran in that transaction, so nothing is lost).
    """
    session = _real(session)
    row = _run_entry(session, lambda connection: _entering_sql(connection, source), params)
    if row is not None and row.org_id is not None:
        session.info[_KEY] = Tenant(int(row.org_id), int(row.user_id))
    return row


def enter_signed_in(
    session: Session | scoped_session[Session], source: str, params: Mapping[str, Any]
) -> Row[Any]:
    """Like `enter`, for a caller already known: `source` returns exactly one row, with
    `user_id` (that caller) and `org_id` (NULL when they are not admitted). The statement makes
    the user the tenant's user in every case and the org the tenant's org only when admitted
    (else no org: a refused caller reads nothing of any org), transaction-local as always.
    One round trip for the web's "enter the org in the URL", with no separate setting for the
    user before it."""
    session = _real(session)
    row = _run_entry(
        session, lambda connection: _entering_sql(connection, source, _ENTER_SIGNED_IN), params
    )
    if row is None or row.user_id is None:
        raise LookupError("an entry lookup must answer one row naming its user")
    org_id = None if row.org_id is None else int(row.org_id)
    session.info[_KEY] = Tenant(org_id, int(row.user_id))
    return row


@contextmanager
def tenant_context(
    org_id: int, user_id: int | None = None, session: Session | None = None
) -> Iterator[Tenant]:
    """Run a block as one org: `with tenant_context(org_id): service(...)`."""
    if session is None:
        from app.extensions import db

        session = db.session()
    previous = set_tenant(session, org_id, user_id)
    try:
        yield current(session)
    finally:
        session.info[_KEY] = previous
        if session.in_transaction():
            _apply(session.connection(), previous)
