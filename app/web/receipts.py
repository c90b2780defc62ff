"""Receipt routes: upload to a transaction, download (an attachment, never inline), the
thumbnail, remove. Files are read only through these routes, for those who may see the
transaction (docs/receipts.md)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, flash, g, redirect, request, url_for

from app.errors import Invalid
from app.models import Receipt
from app.services.receipts import receipts as service
from app.storage import TooLarge
from app.web.forms import flash_invalid
from tenants.permissions import Perm, requires

bp = Blueprint("receipts", __name__)
LABELS = {"file": "Receipt"}


def read_upload() -> tuple[Any, str]:
    """The `file` part of a multipart body. MAX_CONTENT_LENGTH (the receipt limit plus the form)
    stops werkzeug reading a longer body (413); storing checks the file's own size again."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None, ""
    return upload.stream, upload.filename


def file_response(receipt: Receipt, thumbnail: bool = False) -> Response:
    data = service.content(receipt, thumbnail)
    response = Response(data, mimetype="image/jpeg" if thumbnail else receipt.content_type)
    disposition = "inline" if thumbnail else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{receipt.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/o/<slug>/transactions/<int:transaction_id>/receipts")
@requires(Perm.WRITE_TRANSACTIONS)
def upload(transaction_id: int) -> Response:
    stream, name = read_upload()
    try:
        service.attach(g.seat, transaction_id, stream, name)
        flash("Receipt attached.", "success")
    except Invalid as error:
        flash_invalid(error, LABELS)
    except TooLarge as error:
        flash(f"Receipt: {error.detail}", "danger")
    return redirect(
        url_for("transactions.show", slug=g.seat.org_slug, transaction_id=transaction_id)
    )


@bp.get("/o/<slug>/receipts/<int:receipt_id>")
@requires(Perm.READ)
def download(receipt_id: int) -> Response:
    return file_response(service.get(g.seat, receipt_id))


@bp.get("/o/<slug>/receipts/<int:receipt_id>/thumbnail")
@requires(Perm.READ)
def thumbnail(receipt_id: int) -> Response:
    return file_response(service.get(g.seat, receipt_id), thumbnail=True)


@bp.post("/o/<slug>/receipts/<int:receipt_id>/delete")
@requires(Perm.WRITE_TRANSACTIONS)
def delete(receipt_id: int) -> Response:
    seat = g.seat
    txn_id = service.get(seat, receipt_id).transaction_id
    service.remove(seat, receipt_id)
    flash("Receipt removed.", "success")
    return redirect(url_for("transactions.show", slug=g.seat.org_slug, transaction_id=txn_id))


def receipts_of(txn: Any) -> list[Receipt]:
    """The transaction page's receipts."""
    return service.of_transaction(g.seat, txn.id)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(receipts_of)
