"""A statement built once and run as the driver's own SQL.

The pages people open most run the same few statements on every request with other values.
SQLAlchemy's compiled cache saves compiling them, but each execution still builds a cache
key, looks it up, sets up an execution context and processes every row; for a 50-row page
that is about as much Python as the page's own work. `Prepared` compiles a statement once per
dialect to the driver's SQL and runs it by `exec_driver_sql` (the same connection, events,
error handling and invalidation), with the values as the driver's own parameters. `read`
does the same for textual SELECTs (the dashboard's and budgets' figures, the navbar, the
approvals count, the list's lookups).

Only statements where that changes nothing qualify, checked when the statement is compiled:
no bind parameter or result column whose type converts values in Python on this dialect (on
psycopg2, `Numeric`, `Date`, `DateTime`, `Integer`, `String`, `Boolean` and `ARRAY` of text
arrive as the driver gives them either way; the `ARRAY` processor only copies the list), and
no parameter expanded at execution (`IN` lists). A statement that does not qualify raises
`ValueError` when first run (the result columns are checked against the first run's cursor
description, which names the types the driver returned), so it is noticed in a test.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import ARRAY, Connection, TextClause, text
from sqlalchemy.engine import CursorResult, Dialect
from sqlalchemy.sql import Executable

from app.extensions import db


def _converts(type_: Any, dialect: Dialect, coltype: object) -> bool:
    if isinstance(type_, ARRAY):  # text[] arrives as a list already; its processor copies it
        return _converts(type_.item_type, dialect, None)
    return type_.dialect_impl(dialect).result_processor(dialect, coltype) is not None


def _check_columns(statement: Executable, result: CursorResult[Any], dialect: Dialect) -> None:
    if isinstance(statement, TextClause):
        return  # untyped text: SQLAlchemy converts none of its columns either
    columns = list(getattr(statement, "selected_columns", ()))
    description = result.cursor.description if result.cursor is not None else None
    if description is None or len(columns) != len(description):
        raise ValueError("only a SELECT of named columns can be prepared")
    for column, described in zip(columns, description, strict=True):
        if _converts(column.type, dialect, described[1]):
            raise ValueError(f"column {column.key!r} is converted in Python")


class Prepared:
    """`statement`, compiled once per dialect, run with `run(connection, values)`."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple[str, dict[str, Any]]] = {}
        self._checked: set[str] = set()

    def _sql(self, dialect: Dialect) -> tuple[str, dict[str, Any]]:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            if compiled.post_compile_params or compiled.literal_execute_params:
                raise ValueError("a statement with expanding parameters cannot be prepared")
            if any(compiled._bind_processors.values()) or compiled.escaped_bind_names:
                raise ValueError("a parameter of this statement is converted in Python")
            # Values the statement carries itself (its LIMIT); the rest come with each run.
            defaults = {
                name: bind.effective_value
                for name, bind in compiled.binds.items()
                if not bind.required
            }
            found = self._compiled.setdefault(dialect.name, (str(compiled), defaults))
        return found

    def run(self, connection: Connection, values: Mapping[str, Any]) -> CursorResult[Any]:
        sql, defaults = self._sql(connection.dialect)
        result = connection.exec_driver_sql(sql, {**defaults, **values})
        if connection.dialect.name not in self._checked:
            _check_columns(self.statement, result, connection.dialect)
            self._checked.add(connection.dialect.name)
        return result


@lru_cache(maxsize=512)
def textual(sql: str) -> Prepared:
    """`text(sql)` as a `Prepared`, one per distinct SQL (the app's statements are built from
    a few templates with fixed options, so the set is small)."""
    return Prepared(text(sql))


def read(sql: str, values: Mapping[str, Any]) -> CursorResult[Any]:
    """Run a textual SELECT on the session's connection (its transaction and tenant, as
    `db.session.execute(text(sql), values)` would) as the driver's SQL."""
    return textual(sql).run(db.session.connection(), values)
