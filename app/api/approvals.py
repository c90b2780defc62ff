"""/api/v1/orgs/<slug>: approval transitions, a transaction's history, the caller's queue and
the org's approval policy (docs/approvals.md). Refusals are problem documents (app/errors)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request

from app.api import schemas
from app.api.auth import api_requires
from app.queries import approvals as figures
from app.services.approvals import flow, policy, queue
from app.services.ledger import transactions as txn_service
from tenants.permissions import Perm

bp = Blueprint("api_approvals", __name__, url_prefix="/api/v1/orgs/<slug>")
TXN = "/transactions/<int:transaction_id>"


def _optional_body() -> dict[str, Any]:
    return schemas.body() if request.get_data() else {}


@bp.post(f"{TXN}/submit")
@api_requires(Perm.WRITE_TRANSACTIONS)
def submit(transaction_id: int) -> dict[str, Any]:
    return schemas.transaction(flow.submit(g.seat, transaction_id))


@bp.post(f"{TXN}/withdraw")
@api_requires(Perm.WRITE_TRANSACTIONS)
def withdraw(transaction_id: int) -> dict[str, Any]:
    return schemas.transaction(flow.withdraw(g.seat, transaction_id))


@bp.post(f"{TXN}/approve")
@api_requires(Perm.APPROVE)
def approve(transaction_id: int) -> dict[str, Any]:
    return schemas.transaction(flow.approve(g.seat, transaction_id))


@bp.post(f"{TXN}/reject")
@api_requires(Perm.APPROVE)
def reject(transaction_id: int) -> dict[str, Any]:
    reason = _optional_body().get("reason")
    return schemas.transaction(flow.reject(g.seat, transaction_id, reason))


@bp.post(f"{TXN}/return")
@api_requires(Perm.APPROVE)
def return_(transaction_id: int) -> dict[str, Any]:
    comment = _optional_body().get("comment")
    return schemas.transaction(flow.return_for_changes(g.seat, transaction_id, comment))


@bp.get(f"{TXN}/history")
@api_requires(Perm.READ)
def history(transaction_id: int) -> dict[str, Any]:
    txn = txn_service.get(g.seat, transaction_id)
    return {"items": [schemas.history_entry(e) for e in figures.history(g.seat.org_id, txn.id)]}


@bp.get("/approvals")
@api_requires(Perm.APPROVE)
def approvals() -> dict[str, Any]:
    filters = queue.parse_filters(request.args)
    rows = queue.mine(g.seat, filters)
    return {"items": [schemas.queue_item(row) for row in rows]}


@bp.get("/approval-policy")
@api_requires(Perm.READ)
def show_policy() -> dict[str, Any]:
    return policy.policy_of(g.seat.org_id).as_json()


@bp.put("/approval-policy")
@api_requires(Perm.MANAGE_ORG)
def update_policy() -> dict[str, Any]:
    return policy.update(g.seat, schemas.body()).as_json()
