"""Every web page's own definer functions keep their plans: `outlay_session_open`,
`outlay_org_entry` and `outlay_my_memberships` become PL/pgSQL around the same query.

A SQL function that cannot be inlined (these are SECURITY DEFINER with a pinned search_path)
is parsed and planned again at every call; PL/pgSQL keeps the plan for the connection's life.
Measured on the demo data (1,000 orgs): the session lookup 0.64 -> 0.30 ms a call, the org
switcher's membership list about 0.4 ms less. Each function answers what it answered before:
the query is the one already stored, wrapped in `RETURN QUERY`, and the downgrade unwraps it.
Each also says how many rows it returns (one; a person's orgs, a few), not the default 1,000
that made the navbar hash every organisation on the platform to find the person's.
"""

import textwrap

from alembic import op
from sqlalchemy import text

from tenants import ddl

revision = "0016"  # created 2026-12-02
down_revision = "0015"

# name -> the rows the planner should expect from it
FUNCTIONS = {"outlay_session_open": 1, "outlay_org_entry": 1, "outlay_my_memberships": 10}
# The stored query runs as it is, inside `RETURN QUERY` with each column cast to the declared
# type (PL/pgSQL wants them exact; a SQL function coerced varchar to text by itself).
_OPEN = "BEGIN\n  RETURN QUERY SELECT {columns} FROM (\n"
_CLOSE = "\n  ) AS q({names});\nEND"


def _columns(result: str) -> list[tuple[str, str]]:
    """`TABLE(a integer, b text)` -> [(a, integer), (b, text)]."""
    assert result.startswith("TABLE(") and result.endswith(")"), result
    return [tuple(c.split(" ", 1)) for c in result[len("TABLE(") : -1].split(", ")]


def _stored(name: str) -> tuple[str, str, str, str]:
    """(arguments with names, result, volatility keyword, body) as the catalog holds them."""
    row = (
        op.get_bind()
        .execute(
            text(
                "SELECT pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),"
                " CASE p.provolatile WHEN 's' THEN 'STABLE' WHEN 'i' THEN 'IMMUTABLE'"
                " ELSE 'VOLATILE' END, p.prosrc"
                " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                " WHERE n.nspname = 'public' AND p.proname = :name"
            ),
            {"name": name},
        )
        .one()
    )
    return row[0], row[1], row[2], row[3]


def _replace(name: str, language: str, body: str, rows: int) -> None:
    arguments, result, volatility, _ = _stored(name)
    op.execute(
        ddl.function_sql(
            f"{name}({arguments})",
            result,
            body,
            language=language,
            volatility=volatility,
            replace=True,
        )
    )
    op.execute(f"ALTER FUNCTION {name}({arguments}) ROWS {rows}")


def upgrade() -> None:
    for name, rows in FUNCTIONS.items():
        _args, result, _volatility, query = _stored(name)
        columns = _columns(result)
        wrapper = _OPEN.format(columns=", ".join(f"q.{n}::{t}" for n, t in columns))
        inner = textwrap.indent(textwrap.dedent(query).strip("\n"), "    ")
        closing = _CLOSE.format(names=", ".join(n for n, _t in columns))
        _replace(name, "plpgsql", wrapper + inner + closing, rows)


def downgrade() -> None:
    for name in FUNCTIONS:
        body = textwrap.dedent(_stored(name)[3]).strip("\n")
        lines = body.split("\n")
        assert lines[0] == "BEGIN" and lines[-1] == "END", f"{name} is not 0016's"
        _replace(name, "sql", "\n".join(lines[2:-2]), 1000)
