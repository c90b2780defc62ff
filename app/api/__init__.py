"""The JSON API under /api/v1: bearer-token auth, problem documents, OpenAPI 3."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask

from app.api import (
    approvals,
    auth,
    budgets,
    exports,
    ledger,
    openapi,
    rates,
    receipts,
    recurring,
    reports,
    transactions,
)
from app.extensions import csrf
from tenants.permissions import public

docs = Blueprint("api", __name__, url_prefix="/api/v1")


@docs.get("/openapi.json")
@public
def openapi_json() -> dict[str, Any]:
    return openapi.document()


def init_app(app: Flask) -> None:
    auth.init_app(app)
    # Token-authenticated: no cookies, so no cross-site request to forge.
    blueprints = (docs, transactions.bp, ledger.bp, budgets.bp, rates.bp, recurring.bp)
    blueprints += (exports.bp, reports.bp, approvals.bp, receipts.bp)
    for blueprint in blueprints:
        csrf.exempt(blueprint)
        app.register_blueprint(blueprint)
