"""The "to reimburse" page: what is owed per person (a member: to them), and marking a
selection reimbursed in one step (owners and accountants)."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app import clock
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.services.approvals import reimbursements as service
from app.web.forms import Form, flash_invalid
from tenants.permissions import Perm, requires

bp = Blueprint("reimbursements", __name__)
LABELS = {"ids": "Selection", "paid_on": "Paid on", "method": "Method", "reference": "Reference"}


@bp.get("/o/<slug>/reimbursements")
@requires(Perm.READ)
def index() -> str:
    return render_template(
        "approvals/reimbursements.html",
        owed=service.owed(g.seat),
        form=Form(LABELS, {"paid_on": clock.org_today(g.seat).isoformat(), "method": "Transfer"}),
        may_mark=g.seat.can(Perm.APPROVE),
    )


@bp.post("/o/<slug>/reimbursements")
@requires(Perm.APPROVE)
def mark() -> Response:
    raw = {name: request.form.get(name) for name in ("paid_on", "method", "reference")}
    raw["ids"] = request.form.getlist("ids")
    try:
        made = service.mark_reimbursed(g.seat, raw)
        people = len(made)
        flash(f"Marked reimbursed for {people} {'person' if people == 1 else 'people'}.", "success")
    except Invalid as error:
        flash_invalid(error, LABELS)
    except (Conflict, Forbidden, NotFound) as error:
        flash(error.detail, "danger")
    return redirect(url_for(".index", slug=g.seat.org_slug))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
