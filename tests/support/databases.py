"""Throwaway databases on the test server: made by app.db_setup, dropped here."""

from __future__ import annotations

from sqlalchemy import create_engine, pool, text

from app.config import sqlalchemy_url


def drop_database(server_url: str, name: str) -> None:
    """End the connections still open to `name` (a worker, a pool) and drop it."""
    engine = create_engine(
        sqlalchemy_url(server_url), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
    engine.dispose()
