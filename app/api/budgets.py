"""/api/v1/orgs/<slug>/budgets: budgets with this period's figures; CRUD."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from app import money
from app.api.auth import api_requires
from app.api.resource import Resource
from app.models import Budget
from app.queries import budgets as figures
from app.services.budgets import budgets as service
from tenants.permissions import Perm

bp = Blueprint("api_budgets", __name__, url_prefix="/api/v1/orgs/<slug>")


def actual_json(a: figures.Actual) -> dict[str, Any]:
    return {
        "period_start": a.period_start.isoformat(),
        "period_end": a.period_end.isoformat(),
        "amount": money.as_json(a.amount),
        "carried": money.as_json(a.carried),
        "available": money.as_json(a.available),
        "spent": money.as_json(a.spent),
        "remaining": money.as_json(a.remaining),
        "percent": str(a.percent),
        "state": a.state,
    }


def budget_json(budget: Budget, actual: figures.Actual | None) -> dict[str, Any]:
    return {
        "id": budget.id,
        **service.snapshot(budget),
        "current": actual_json(actual) if actual else None,
    }


def _one(budget: Budget) -> dict[str, Any]:
    actual = figures.current(g.seat.org_id, own_user=g.seat.owner_filter).get(budget.id)
    return budget_json(budget, actual)


@bp.get("/budgets")
@api_requires(Perm.READ)
def index() -> dict[str, Any]:
    actual = figures.current(g.seat.org_id, own_user=g.seat.owner_filter)
    return {"items": [budget_json(b, actual.get(b.id)) for b in service.budgets(g.seat)]}


@bp.get("/budgets/<int:budget_id>")
@api_requires(Perm.READ)
def show(budget_id: int) -> dict[str, Any]:
    budget = service.get(g.seat, budget_id)
    history = figures.history(g.seat.org_id, budget, 12, own_user=g.seat.owner_filter)
    return {**_one(budget), "history": [actual_json(a) for a in history]}


budgets = Resource(bp, "/budgets", "budget_id", service.get, _one, Perm.MANAGE_LEDGER)
budgets.create(service.create)
budgets.update(service.update)
budgets.delete(service.delete)
