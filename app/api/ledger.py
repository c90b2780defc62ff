"""/api/v1/orgs/<slug>: categories, payment methods and the dashboard figures."""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from flask import Blueprint, g, url_for

from app import money
from app.api import schemas
from app.api.auth import api_requires, org_today
from app.queries import approvals as approval_figures
from app.queries import dashboard as figures
from app.services.ledger import categories as service
from app.services.ledger import transactions as txn_service
from tenants.permissions import Perm

bp = Blueprint("api_ledger", __name__, url_prefix="/api/v1/orgs/<slug>")


@bp.get("/categories")
@api_requires(Perm.READ)
def categories() -> dict[str, Any]:
    found = service.categories(g.org.id, include_archived=True)
    return {"items": [schemas.category(c) for c in found]}


@bp.post("/categories")
@api_requires(Perm.MANAGE_LEDGER)
def create_category() -> tuple[dict[str, Any], int, dict[str, str]]:
    category = service.create_category(g.org.id, g.api_user_id, schemas.body())
    location = url_for(".category", slug=g.org.slug, category_id=category.id)
    return schemas.category(category), 201, {"Location": location}


@bp.get("/categories/<int:category_id>")
@api_requires(Perm.READ)
def category(category_id: int) -> dict[str, Any]:
    return schemas.category(service.get_category(g.org.id, category_id))


@bp.patch("/categories/<int:category_id>")
@api_requires(Perm.MANAGE_LEDGER)
def update_category(category_id: int) -> dict[str, Any]:
    # Find it before reading the body: another org's id is a 404, never a 422.
    service.get_category(g.org.id, category_id)
    updated = service.update_category(g.org.id, g.api_user_id, category_id, schemas.body())
    return schemas.category(updated)


@bp.delete("/categories/<int:category_id>")
@api_requires(Perm.MANAGE_LEDGER)
def delete_category(category_id: int) -> dict[str, Any]:
    outcome = service.remove_category(g.org.id, g.api_user_id, category_id)
    return {"id": category_id, "outcome": outcome}


@bp.get("/payment-methods")
@api_requires(Perm.READ)
def payment_methods() -> dict[str, Any]:
    found = service.payment_methods(g.org.id, include_archived=True)
    return {"items": [schemas.payment_method(m) for m in found]}


@bp.post("/payment-methods")
@api_requires(Perm.MANAGE_LEDGER)
def create_payment_method() -> tuple[dict[str, Any], int]:
    method = service.create_payment_method(g.org.id, g.api_user_id, schemas.body().get("name"))
    return schemas.payment_method(method), 201


@bp.get("/dashboard")
@api_requires(Perm.READ)
def dashboard() -> dict[str, Any]:
    own = g.api_user_id if txn_service.own_only(g.membership.role) else None
    today = org_today()
    month = today.replace(day=1)
    spending = figures.by_category(g.org.id, month, month + relativedelta(months=1), own_user=own)
    return {
        "currency": g.org.base_currency,
        "totals": schemas.totals(figures.totals(g.org.id, today, own_user=own)),
        "pending": schemas.pending(approval_figures.pending(g.org.id, own)),
        "spending_this_month": [
            {"category_id": r["id"], "name": r["name"], "total": money.as_json(r["total"])}
            for r in spending
        ],
        "monthly": [
            {
                "month": r["month"].strftime("%Y-%m"),
                "income": money.as_json(r["income"]),
                "expense": money.as_json(r["expense"]),
            }
            for r in figures.monthly(g.org.id, today, own_user=own)
        ],
    }
