"""What a pooled connection holds between requests."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine


def between_requests(engine: Engine, table: str) -> tuple[int, str, str, int]:
    """Check the pool's connection out directly: (backend pid, app.org_id, app.user_id, rows
    of the tenant table `table` it can see). Nothing should survive: (pid, '', '', 0)."""
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT pg_backend_pid(), current_setting('app.org_id', true), "
                f"current_setting('app.user_id', true), (SELECT count(*) FROM {table})"
            )
        ).one()
    return tuple(row)  # type: ignore[return-value]
