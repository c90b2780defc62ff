"""/api/v1/orgs/<slug>: approval transitions, a transaction's history, the caller's queue and
the org's approval policy (docs/approvals.md). Refusals are problem documents (app/errors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, g, request

from app.api import schemas
from app.api.auth import api_requires
from app.models import Transaction
from app.queries import approvals as figures
from app.services.approvals import flow, policy, queue
from app.services.ledger import transactions as txn_service
from tenants.permissions import Perm

bp = Blueprint("api_approvals", __name__, url_prefix="/api/v1/orgs/<slug>")
TXN = "/transactions/<int:transaction_id>"


def _optional_body() -> dict[str, Any]:
    return schemas.body() if request.get_data() else {}


def _step(endpoint: str, perm: Perm, step: Callable[..., Transaction], note: str = "") -> None:
    """POST /transactions/<id>/<step>: one approval step, answered with the transaction. A
    `note` ("reason", "comment") is read from an optional JSON body and handed to the step."""

    def view(transaction_id: int) -> dict[str, Any]:
        extra = (_optional_body().get(note),) if note else ()
        return schemas.transaction(step(g.seat, transaction_id, *extra))

    view.__name__ = view.__qualname__ = endpoint
    rule = f"{TXN}/{endpoint.removesuffix('_')}"  # return_: a keyword's trailing underscore
    bp.add_url_rule(rule, endpoint, api_requires(perm)(view), methods=["POST"])


_step("submit", Perm.WRITE_TRANSACTIONS, flow.submit)
_step("withdraw", Perm.WRITE_TRANSACTIONS, flow.withdraw)
_step("approve", Perm.APPROVE, flow.approve)
_step("reject", Perm.APPROVE, flow.reject, "reason")
_step("return_", Perm.APPROVE, flow.return_for_changes, "comment")


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
