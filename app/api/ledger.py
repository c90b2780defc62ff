"""/api/v1/orgs/<slug>: categories, payment methods and the dashboard figures."""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from flask import Blueprint, g

from app import money
from app.api import schemas
from app.api.auth import api_requires, org_today
from app.api.resource import Resource
from app.queries import approvals as approval_figures
from app.queries import dashboard as figures
from app.services.ledger import categories as service
from tenants.permissions import Perm

bp = Blueprint("api_ledger", __name__, url_prefix="/api/v1/orgs/<slug>")


categories = Resource(
    bp,
    "/categories",
    "category_id",
    service.get_category,
    schemas.category,
    Perm.MANAGE_LEDGER,
    show="category",
)
categories.index(lambda seat: service.categories(seat, include_archived=True), "categories")
categories.create(service.create_category, "create_category")
categories.show()
categories.update(service.update_category, "update_category")


@bp.delete("/categories/<int:category_id>")
@api_requires(Perm.MANAGE_LEDGER)
def delete_category(category_id: int) -> dict[str, Any]:
    outcome = service.remove_category(g.seat, category_id)
    return {"id": category_id, "outcome": outcome}


@bp.get("/payment-methods")
@api_requires(Perm.READ)
def payment_methods() -> dict[str, Any]:
    found = service.payment_methods(g.seat, include_archived=True)
    return {"items": [schemas.payment_method(m) for m in found]}


@bp.post("/payment-methods")
@api_requires(Perm.MANAGE_LEDGER)
def create_payment_method() -> tuple[dict[str, Any], int]:
    method = service.create_payment_method(g.seat, schemas.body().get("name"))
    return schemas.payment_method(method), 201


@bp.get("/dashboard")
@api_requires(Perm.READ)
def dashboard() -> dict[str, Any]:
    today = org_today()
    seat = g.seat
    own, month = seat.owner_filter, today.replace(day=1)
    spending = figures.by_category(
        seat.org_id, month, month + relativedelta(months=1), own_user=own
    )
    return {
        "currency": seat.base_currency,
        "totals": schemas.totals(figures.totals(seat.org_id, today, own_user=own)),
        "pending": schemas.pending(approval_figures.pending(seat.org_id, own)),
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
            for r in figures.monthly(seat.org_id, today, own_user=own)
        ],
    }
