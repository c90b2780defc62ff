"""Approval pages: the org's policy (owners), the approver's queue with bulk approval, and the
decision and submitter buttons of the transaction page. Thin: the rules are in
app/services/approvals/."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_security import current_user
from werkzeug.wrappers import Response

from app import money
from app.errors import Conflict, Forbidden, Invalid
from app.queries import approvals as figures
from app.services.approvals import flow, policy, queue, rules
from app.services.ledger import categories as category_service
from app.services.ledger import transactions as txn_service
from app.services.orgs.members import members
from app.web import navigation
from app.web import transaction_entry as entry
from app.web.actions import done
from app.web.forms import Form, flash_invalid
from tenants.permissions import Perm, requires

bp = Blueprint("approvals", __name__)

POLICY_LABELS = {
    "members_need_approval": "Expenses recorded by members need approval",
    "approval_amount": "Any expense at or above this amount needs approval",
    "always_category_ids": "Categories whose expenses always need approval",
    "accountant_limit": "Accountants approve up to",
    "two_step_amount": "Two approvers (then an owner) above",
    "receipt_amount": "A receipt is required at or above",
    "digest_days": "Remind approvers of items waiting more than (days)",
}
DECISION_LABELS = {"reason": "Reason for rejecting", "comment": "What to fix", "ids": "Selection"}
QUEUE_LABELS = {"person": "Person", "category": "Category", "min": "From amount", "max": "To"}
TRANSACTION = "/o/<slug>/transactions/<int:transaction_id>"
# The steps on one transaction (POST TRANSACTION/<step>): who may take it, and what
# is flashed once it is taken. The endpoint is the step's name; `return` is a keyword: return_.
STEPS = {
    "submit": (Perm.WRITE_TRANSACTIONS, "Submitted for approval."),
    "withdraw": (Perm.WRITE_TRANSACTIONS, "Withdrawn: it is a draft again."),
    "approve": (Perm.APPROVE, "Approved."),
    "reject": (Perm.APPROVE, "Rejected."),
    "return": (Perm.APPROVE, "Returned for changes."),
}


def _policy_values(found: policy.Policy) -> dict[str, object]:
    values: dict[str, object] = found.as_json()
    for name in policy.AMOUNT_FIELDS:
        amount = getattr(found, name)
        values[name] = "" if amount is None else money.as_json(amount).rstrip("0").rstrip(".")
    return values


@bp.route("/o/<slug>/settings/approvals", methods=["GET", "POST"])
@requires(Perm.MANAGE_ORG)
def settings() -> tuple[str, int] | Response:
    form = Form(POLICY_LABELS, _policy_values(policy.policy_of(g.seat.org_id)))
    if request.method == "POST":
        form = Form.posted(POLICY_LABELS, flags=("members_need_approval",))
        form.values["always_category_ids"] = request.form.getlist("always_category_ids")
        if form.submit(policy.update, g.seat, form.values, current_user.locale):
            return done("Approval policy saved.", url_for(".settings", slug=g.seat.org_slug))
    chosen = {str(v) for v in form.values.get("always_category_ids") or ()}
    return render_template(
        "approvals/policy.html",
        form=form,
        chosen=chosen,
        categories=[c for c in category_service.categories(g.seat) if c.kind == "expense"],
    ), form.status


@bp.get("/o/<slug>/approvals")
@requires(Perm.APPROVE)
def index() -> tuple[str, int]:
    errors: dict[str, str] = {}
    try:
        filters = queue.parse_filters(request.args)
    except Invalid as error:
        errors, filters = dict(error.errors), queue.QueueFilters()
    rows = queue.mine(g.seat, filters)
    return render_template(
        "approvals/queue.html",
        rows=rows,
        total=sum((r["base_amount"] for r in rows), Decimal(0)),
        form=Form(QUEUE_LABELS, dict(request.args.items()), errors),
        people=sorted((m.user.display_name, m.user_id) for m in members(g.seat)),
        categories=[c for c in category_service.categories(g.seat) if c.kind == "expense"],
        back=filters.query(),
    ), 422 if errors else 200


def _queue_url() -> str:
    try:
        query = queue.parse_filters(request.form).query()
    except Invalid:
        query = {}
    return url_for(".index", slug=g.seat.org_slug, **query)


@bp.post("/o/<slug>/approvals/bulk")
@requires(Perm.APPROVE)
def bulk() -> Response:
    try:
        count = flow.bulk_approve(g.seat, request.form.getlist("ids"))
        flash(f"Approved {count} expense{'s' if count != 1 else ''}.", "success")
    except Invalid as error:
        flash_invalid(error, DECISION_LABELS)
    except (Conflict, Forbidden) as error:
        flash(error.detail, "danger")
    return redirect(_queue_url())


def _decide(transaction_id: int, action: str) -> Response:
    """Run one transition; a refusal is flashed on the page the button was on."""
    seat = g.seat
    try:
        if action == "submit":
            flow.submit(seat, transaction_id)
        elif action == "withdraw":
            flow.withdraw(seat, transaction_id)
        elif action == "approve":
            flow.approve(seat, transaction_id)
        elif action == "reject":
            flow.reject(seat, transaction_id, request.form.get("reason"))
        else:
            flow.return_for_changes(seat, transaction_id, request.form.get("comment"))
        flash(STEPS[action][1], "success")
    except Invalid as error:
        flash_invalid(error, DECISION_LABELS)
    except (Conflict, Forbidden) as error:
        flash(error.detail, "danger")
    if request.form.get("next") == "queue":
        return redirect(_queue_url())
    if request.form.get("next") == "decide":
        return redirect(url_for(".decide", slug=g.seat.org_slug, transaction_id=transaction_id))
    return redirect(
        url_for("transactions.show", slug=g.seat.org_slug, transaction_id=transaction_id)
    )


@bp.get("/o/<slug>/approvals/<int:transaction_id>")
@requires(Perm.APPROVE)
def decide(transaction_id: int) -> str:
    """Where the approval mail's link lands: the expense, with approve / reject (a reason) /
    return buttons when this approver may decide it. It only shows: every decision is a POST
    with the CSRF token, so following a link (or a mail scanner prefetching it) decides nothing."""
    txn = txn_service.get(g.seat, transaction_id)
    return render_template(
        "transactions/show.html",
        txn=txn,
        details=entry.details(g.seat, txn),
        can_write=False,
        deciding=True,
    )


def _step(action: str) -> Callable[..., Response]:
    def view(transaction_id: int) -> Response:
        return _decide(transaction_id, action)

    view.__name__ = view.__qualname__ = "return_" if action == "return" else action
    return requires(STEPS[action][0])(view)


for _action in STEPS:
    _view = _step(_action)
    bp.add_url_rule(f"{TRANSACTION}/{_action}", _view.__name__, _view, methods=["POST"])


def approvals_waiting() -> int:
    """The navbar's count: what waits for this person's decision in this org."""
    seat = g.get("seat")
    if seat is None or not seat.can(Perm.APPROVE):
        return 0
    found = navigation.for_request()  # with the bell and the org switcher, in one statement
    return found.waiting if found is not None else queue.count(seat)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(approvals_waiting)
    # What the transaction page offers this person: decide, submit or withdraw.
    app.add_template_global(panel, "approval_panel")


def panel(txn: Any) -> dict[str, object]:
    seat = g.seat
    found = policy.policy_of(seat.org_id)
    refusal = rules.refusal(seat, found, txn) if txn.approval_state == "submitted" else None
    mine = txn.created_by == seat.user_id
    state = txn.approval_state
    return {
        "state": state,
        "may_decide": state == "submitted" and refusal is None,
        "why_not": refusal[1] if refusal and seat.can(Perm.APPROVE) else "",
        "may_submit": mine and state in ("draft", "returned"),
        "may_withdraw": mine and state == "submitted",
        "history": figures.history(seat.org_id, txn.id),
    }
