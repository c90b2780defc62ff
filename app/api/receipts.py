"""/api/v1/orgs/<slug>: a transaction's receipts (multipart field `file`), one receipt's file,
and its removal (docs/approvals.md)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, url_for

from app.api.auth import api_requires
from app.models import Receipt
from app.services.receipts import receipts as service
from app.web.receipts import file_response, read_upload
from tenants.permissions import Perm

bp = Blueprint("api_receipts", __name__, url_prefix="/api/v1/orgs/<slug>")


def proposed(r: Receipt) -> dict[str, str | None] | None:
    """What reading the receipt proposes (each value may be null); null until it is read."""
    if r.reading_status != "read" or not r.reading:
        return None
    return {name: r.reading.get(name) for name in ("date", "total", "currency", "merchant")}


def receipt_json(r: Receipt) -> dict[str, Any]:
    return {
        "id": r.id,
        "transaction_id": r.transaction_id,
        "filename": r.filename,
        "content_type": r.content_type,
        "size": r.size,
        "thumbnail": r.thumbnail_key is not None,
        "reading_status": r.reading_status,
        "proposed": proposed(r),
        "created_at": r.created_at.isoformat() if r.created_at else None,
    }


@bp.get("/transactions/<int:transaction_id>/receipts")
@api_requires(Perm.READ)
def index(transaction_id: int) -> dict[str, Any]:
    found = service.of_transaction(g.seat, transaction_id)
    return {"items": [receipt_json(r) for r in found]}


@bp.post("/transactions/<int:transaction_id>/receipts")
@api_requires(Perm.WRITE_TRANSACTIONS)
def create(transaction_id: int) -> tuple[dict[str, Any], int, dict[str, str]]:
    stream, name = read_upload()
    receipt = service.attach(g.seat, transaction_id, stream, name)
    location = url_for(".show", slug=g.seat.org_slug, receipt_id=receipt.id)
    return receipt_json(receipt), 201, {"Location": location}


@bp.get("/receipts/<int:receipt_id>")
@api_requires(Perm.READ)
def show(receipt_id: int) -> Response:
    return file_response(service.get(g.seat, receipt_id))


@bp.delete("/receipts/<int:receipt_id>")
@api_requires(Perm.WRITE_TRANSACTIONS)
def delete(receipt_id: int) -> tuple[str, int]:
    service.remove(g.seat, receipt_id)
    return "", 204
