"""Alembic environment: migrations run as the owner (DATABASE_URL), never as outlay_app."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import create_engine, pool

from app.config import sqlalchemy_url
from app.db_setup import ensure_roles

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_metadata = current_app.extensions["migrate"].db.metadata


def run_migrations_online() -> None:
    owner_url = current_app.config["DATABASE_URL"]
    if not owner_url:
        raise SystemExit("DATABASE_URL (the owner connection) is required to run migrations.")
    engine = create_engine(sqlalchemy_url(owner_url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        ensure_roles(connection, current_app.config)
        connection.commit()
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run `outlay db upgrade`.")
run_migrations_online()
