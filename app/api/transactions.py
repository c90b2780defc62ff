"""/api/v1/orgs/<slug>/transactions: list with filters and keyset pages, CRUD, bulk."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, g, request

from app import clock, money
from app.api import schemas
from app.api.auth import api_requires, org_today
from app.api.resource import Resource
from app.errors import Invalid
from app.queries import filters as filter_rules
from app.queries import fiscal
from app.queries import transactions as listing
from app.services.ledger import transactions as service
from app.services.ledger import trash
from tenants.permissions import Perm

bp = Blueprint("api_transactions", __name__, url_prefix="/api/v1/orgs/<slug>")
WRITE = Perm.WRITE_TRANSACTIONS


def _today() -> date:
    # Only a date preset ("this-month") needs the org's day; a plain listing saves the lookup.
    return org_today() if request.args.get("preset") else clock.today()


@bp.get("/transactions")
@api_requires(Perm.READ)
def index() -> Response:
    fiscal_start = fiscal.fiscal_start_of(g.seat.org_id) if request.args.get("preset") else 1
    filters = filter_rules.parse(request.args, _today(), fiscal_start)
    limit = listing.parse_limit(request.args.get("limit"))
    page = listing.page(
        g.seat.org_id,
        filters,
        own_user=g.seat.owner_filter,  # a member: their own
        cursor=request.args.get("cursor"),
        limit=limit,
        detailed=False,
    )
    return schemas.json_response(
        {
            "items": schemas.transaction_rows(page.rows),
            "next_cursor": page.next_cursor,
            "limit": page.limit,
        }
    )


# A member's lookup finds their own only.
entries = Resource(bp, "/transactions", "transaction_id", service.get, schemas.transaction, WRITE)
entries.create(service.create)
entries.show()
entries.update(service.update)


@bp.delete("/transactions/<int:transaction_id>")
@api_requires(Perm.WRITE_TRANSACTIONS)
def delete(transaction_id: int) -> tuple[str, int]:
    service.delete(g.seat, transaction_id)
    return "", 204


@bp.get("/trash")
@api_requires(Perm.MANAGE_LEDGER)
def trashed() -> dict[str, Any]:
    """Deleted transactions (owners, accountants), newest first, each with when it goes."""
    items = [
        {
            "id": r["id"],
            "date": r["date"].isoformat(),
            "kind": r["kind"],
            "description": r["description"],
            "amount": money.as_json(r["amount"]),
            "currency": r["currency"],
            "trashed_at": r["trashed_at"].isoformat(),
            "purge_after": r["purge_after"].isoformat(),
        }
        for r in trash.items(g.seat)
    ]
    return {"items": items}


@bp.post("/transactions/<int:transaction_id>/restore")
@api_requires(Perm.MANAGE_LEDGER)
def restore(transaction_id: int) -> dict[str, Any]:
    return schemas.transaction(trash.restore(g.seat, transaction_id))


@bp.post("/transactions/bulk")
@api_requires(Perm.WRITE_TRANSACTIONS)
def bulk() -> dict[str, Any]:
    data = schemas.body()
    action = data.get("action")
    if action == "delete":
        count = service.bulk_delete(g.seat, data.get("ids"))
    elif action == "recategorise":
        count = service.bulk_recategorise(g.seat, data.get("ids"), data.get("category_id"))
    else:
        raise Invalid({"action": 'Use "delete" or "recategorise".'})
    return {"action": action, "count": count}
