"""Receipt routes: upload to a transaction, download (an attachment, never inline), the
thumbnail, remove. Files are read only through these routes, for those who may see the
transaction (docs/approvals.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, flash, g, redirect, request, url_for
from flask_security import current_user

from app.errors import DomainError, Invalid
from app.models import Receipt, Transaction
from app.services.approvals import flow
from app.services.ledger import transactions as txn_service
from app.services.receipts import receipts as service
from app.storage import TooLarge
from app.web import transaction_entry as entry
from app.web.forms import flash_invalid
from tenants.permissions import Perm, requires

bp = Blueprint("receipts", __name__)
LABELS = {"file": "Receipt"}
# What a read receipt proposes, by the transaction field it would fill.
FIELDS = {"amount": "total", "date": "date", "currency": "currency", "description": "merchant"}


@dataclass(frozen=True)
class Suggestion:
    value: str
    receipt_id: int


def suggestions(txn: Transaction, found: list[Receipt]) -> dict[str, Suggestion]:
    """Field -> value the receipts read propose and the transaction does not already have
    (the first receipt that proposes one wins). Suggestions only: nothing is filled unasked."""
    current = entry.stored_values(txn, g.seat.base_currency)
    offered: dict[str, Suggestion] = {}
    for receipt in found:
        reading = (receipt.reading or {}) if receipt.reading_status == "read" else {}
        for name, key in FIELDS.items():
            value = reading.get(key)
            if value and name not in offered and not entry.same_value(current.get(name), value):
                offered[name] = Suggestion(value, receipt.id)
    return offered


def has_upload() -> bool:
    upload = request.files.get("file")
    return upload is not None and bool(upload.filename)


def attach_from_form(transaction_id: int) -> bool:
    """The transaction form's receipt, attached; a refusal is flashed (the entry is saved)."""
    stream, name = read_upload()
    try:
        service.attach(g.seat, transaction_id, stream, name)
    except Invalid as error:
        flash_invalid(error, LABELS)
        return False
    except TooLarge as error:
        flash(f"Receipt: {error.detail}", "danger")
        return False
    return True


def submit_after_receipt(txn: Transaction) -> None:
    """A new expense saved with "Save" whose receipt came with it: submitted now that the
    receipt is there (it was kept as a draft while the receipt was not yet attached)."""
    try:
        flow.submit(g.seat, txn.id)
    except DomainError as error:
        flash(error.detail, "warning")


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


@bp.post("/o/<slug>/receipts/<int:receipt_id>/use")
@requires(Perm.WRITE_TRANSACTIONS)
def use(receipt_id: int) -> Response:
    """One click on a suggestion: the transaction takes that one value the receipt read,
    saved through the same rules as the edit form (an approved expense may go back)."""
    seat = g.seat
    receipt = service.get(seat, receipt_id)
    txn = txn_service.get(seat, receipt.transaction_id)
    name = request.form.get("field", "")
    value = (receipt.reading or {}).get(FIELDS.get(name, ""))
    if receipt.reading_status != "read" or not value:
        flash("Receipt: it proposes nothing for that field.", "danger")
    else:
        values = entry.stored_values(txn, seat.base_currency) | {name: value}
        values = entry.without_shown_rate(values, txn, seat.base_currency)
        try:
            txn_service.update(seat, txn.id, values, current_user.locale)
            flash(f"{entry.LABELS[name]} set from the receipt.", "success")
        except Invalid as error:
            flash_invalid(error, entry.LABELS)
    return redirect(url_for("transactions.show", slug=seat.org_slug, transaction_id=txn.id))


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
    app.add_template_global(suggestions, "receipt_suggestions")
