"""The "to reimburse" page: what is owed per person (a member: to them), and marking a
selection reimbursed in one step (owners and accountants)."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app import clock
from app.errors import Conflict, Forbidden, NotFound
from app.services.approvals import reimbursements as service
from app.web.forms import Form
from tenants.permissions import Perm, requires

bp = Blueprint("reimbursements", __name__)
LABELS = {"ids": "Selection", "paid_on": "Paid on", "method": "Method", "reference": "Reference"}


@bp.get("/o/<slug>/reimbursements")
@requires(Perm.READ)
def index() -> tuple[str, int]:
    return _page(
        Form(LABELS, {"paid_on": clock.org_today(g.seat).isoformat(), "method": "Transfer"})
    )


def _page(form: Form, ticked: set[str] | None = None) -> tuple[str, int]:
    """`ticked`: the ids the refused post had ticked (a fresh page ticks every row)."""
    return render_template(
        "approvals/reimbursements.html",
        owed=service.owed(g.seat),
        form=form,
        ticked=ticked,
        may_mark=g.seat.can(Perm.APPROVE),
    ), form.status


@bp.post("/o/<slug>/reimbursements")
@requires(Perm.APPROVE)
def mark() -> Response | tuple[str, int]:
    # A bad date or method comes back on the page as typed, named by its label (issue 11.12).
    form = Form.posted(LABELS)
    raw = {name: request.form.get(name) for name in ("paid_on", "method", "reference")}
    raw["ids"] = request.form.getlist("ids")
    try:
        if not form.submit(service.mark_reimbursed, g.seat, raw):
            return _page(form, set(raw["ids"]))
    except (Conflict, Forbidden, NotFound) as error:
        flash(error.detail, "danger")
        return redirect(url_for(".index", slug=g.seat.org_slug))
    people = len(form.result)
    flash(f"Marked reimbursed for {people} {'person' if people == 1 else 'people'}.", "success")
    return redirect(url_for(".index", slug=g.seat.org_slug))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
