"""The Flask application factory: config, extensions, blueprints; nothing else."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from app import api, db_pool, errors, lanes, web
from app.config import Config
from app.extensions import bootstrap, csrf, db, limiter, mail, migrate
from app.links import OutlayFlask
from app.services.platform import mailer
from tenants import context

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: Config | None = None) -> Flask:
    app = OutlayFlask(__name__)
    app.config.from_object(config or Config())

    db.init_app(app)
    db_pool.init_app(app)
    context.install()
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    mail.init_app(app)
    mailer.init_app(app)
    csrf.init_app(app)  # before Flask-Security, so form and JSON posts are both covered
    limiter.init_app(app)
    bootstrap.init_app(app)
    errors.init_app(app)
    web.init_app(app)  # Flask-Security is initialised here, with the auth blueprint
    api.init_app(app)
    lanes.init_app(app)  # last: every extension's hooks are registered by now
    return app
