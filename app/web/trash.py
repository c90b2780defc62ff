"""The trash page: deleted transactions, restorable by owners and accountants until the trash
period ends (app/services/ledger/trash.py)."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from app.errors import Conflict
from app.services.ledger import trash as service
from tenants.permissions import Perm, requires

bp = Blueprint("trash", __name__)


@bp.get("/o/<slug>/trash")
@requires(Perm.MANAGE_LEDGER)
def index() -> str:
    return render_template(
        "transactions/trash.html", rows=service.items(g.seat), days=service.days()
    )


@bp.post("/o/<slug>/trash/<int:transaction_id>/restore")
@requires(Perm.MANAGE_LEDGER)
def restore(transaction_id: int) -> Response:
    try:
        txn = service.restore(g.seat, transaction_id)
    except Conflict as error:  # restored meanwhile (another tab); an unknown id stays a 404
        flash(error.detail, "danger")
        return redirect(url_for(".index", slug=g.seat.org_slug))
    flash(f"Restored: {txn.description or 'the transaction'}.", "success")
    return redirect(url_for(".index", slug=g.seat.org_slug))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
