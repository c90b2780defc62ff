"""Bulk loading with COPY on the owner connection, for demo_data (and so the benchmarks).

Tenant tables have RLS forced, and PostgreSQL refuses `COPY FROM` into a table whose policies
apply to the current role ("COPY FROM not supported with row-level security"). A superuser or
BYPASSRLS owner therefore copies straight into the tables; any other owner copies into a
temporary staging table and moves the rows org by org with `INSERT ... SELECT` under that
org's tenant setting (tenants.context), so the policy checks every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, pool, text
from sqlalchemy.orm import Session

from app.config import sqlalchemy_url
from tenants import context

# Identifiers the loader may put into SQL text; nothing else reaches an f-string below.
TABLES = frozenset(
    {
        "organisations",
        "users",
        "memberships",
        "categories",
        "payment_methods",
        "audit_log",
        "transactions",
    }
)
BUFFER = 256 * 1024


class LineStream:
    """A file-like reader over COPY lines for `copy_expert`: rows are made as PG reads."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines: Iterator[str] = iter(lines)
        self.count = 0

    def read(self, size: int = BUFFER) -> str:
        chunk: list[str] = []
        total = 0
        for line in self.lines:
            chunk.append(line)
            total += len(line)
            if total >= size:
                break
        self.count += len(chunk)
        return "".join(chunk)


def copy_field(value: Any) -> str:
    """One value in COPY text format."""
    if value is None:
        return "\\N"
    out = str(value)
    return out.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_lines(rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    for row in rows:
        yield "\t".join(copy_field(v) for v in row) + "\n"


class Loader:
    """One owner session in one transaction; knows whether RLS applies to its role."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.bypass = bool(
            session.execute(
                text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
            ).scalar_one()
        )

    def ids(self, table: str, count: int) -> list[int]:
        """`count` fresh ids from the table's own sequence (later app inserts never collide)."""
        rows = self.session.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table, "n": count},
        )
        return [r[0] for r in rows]

    def _copy(self, table: str, columns: tuple[str, ...], lines: Iterable[str]) -> int:
        stream = LineStream(lines)
        raw = self.session.connection().connection.dbapi_connection
        assert raw is not None
        with raw.cursor() as cursor:
            cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", stream, BUFFER)
        return stream.count

    def copy_global(self, table: str, columns: tuple[str, ...], rows: Iterable[Any]) -> int:
        """Rows into a global table. users and organisations have RLS on writes (their policies
        let any new row in), and COPY refuses any table with RLS, so a role subject to it
        stages the rows and inserts them."""
        assert table in TABLES
        if self.bypass:
            return self._copy(table, columns, copy_lines(rows))
        cols, stage = ", ".join(columns), f"demo_stage_{table}"
        run = self.session.execute
        run(text(f"CREATE TEMP TABLE {stage} AS SELECT {cols} FROM {table} WITH NO DATA"))  # noqa: S608
        count = self._copy(stage, columns, copy_lines(rows))
        run(text(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage}"))  # noqa: S608
        run(text(f"DROP TABLE {stage}"))
        return count

    def copy_tenant(
        self, table: str, columns: tuple[str, ...], lines: Iterable[str], org_ids: list[int]
    ) -> int:
        """COPY lines of the orgs `org_ids` (org_id first in each line) into a tenant table."""
        assert table in TABLES and columns[0] == "org_id"
        if self.bypass:
            return self._copy(table, columns, lines)
        cols, stage = ", ".join(columns), f"demo_stage_{table}"
        run = self.session.execute
        run(text(f"CREATE TEMP TABLE {stage} AS SELECT {cols} FROM {table} WITH NO DATA"))  # noqa: S608
        count = self._copy(stage, columns, lines)
        run(text(f"CREATE INDEX ON {stage} (org_id)"))
        run(text(f"ANALYZE {stage}"))
        insert = text(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} WHERE org_id = :o")  # noqa: S608
        previous = context.current(self.session)
        try:
            for org_id in org_ids:
                context.set_tenant(self.session, org_id)  # the policy checks every row
                run(insert, {"o": org_id})
        finally:
            context.set_tenant(self.session, previous.org_id, previous.user_id)
        run(text(f"DROP TABLE {stage}"))
        return count


@contextmanager
def owner_loader(owner_url: str) -> Iterator[Loader]:
    """A Loader on its own connection as the owner; the caller commits."""
    context.install()
    engine = create_engine(sqlalchemy_url(owner_url), poolclass=pool.NullPool)
    session = Session(engine)
    try:
        yield Loader(session)
    finally:
        session.close()
        engine.dispose()
