"""Readiness: `/readyz` says whether this web process can serve, and what is degraded.

Public and cheap (one `SELECT 1`, one Redis `PING` with a 2-second timeout), for load balancers
and operators. The database is required: without it the answer is 503. Redis is not: with it
down, pages, logins and saves still work (rate limits count in memory, background jobs wait
for the periodic catch-up), so the answer stays 200 with `"redis": "down"` and
`"status": "degraded"`. `/healthz` (app/web/home.py) stays the plain liveness check.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask
from sqlalchemy import text

from app import jobs
from app.extensions import db
from tenants.permissions import public

bp = Blueprint("health", __name__)
log = logging.getLogger("outlay.health")


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception as error:  # any failure means "cannot serve", reported, not raised
        log.warning("readiness: database unreachable (%s)", error)
        db.session.rollback()
        return "down"
    return "ok"


@bp.get("/readyz")
@public
def readyz() -> tuple[dict[str, str], int, dict[str, str]]:
    checks = {"database": _database(), "redis": jobs.redis_status()}
    if checks["database"] != "ok":
        status, code = "down", 503
    elif checks["redis"] == "down":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return {"status": status, **checks}, code, {"Cache-Control": "no-store"}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
