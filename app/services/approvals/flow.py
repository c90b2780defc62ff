"""The approval state machine, one use case per transition, each audited, one commit each.

    draft -> submitted -> approved | rejected (reason) | returned (comment) -> submitted
    submitted -> draft (withdraw, by the submitter)

Saving (ledger.transactions) calls `on_create` / `on_update` inside its own transaction: an
expense that needs no approval is approved on save; an edit of an approved expense's amount,
currency, date, kind or category sends it back to submitted when the policy wants approval;
an edit of a returned one submits it again. Every refusal raises before anything changes.
"""

from __future__ import annotations

from typing import Any

from app import clock
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.input import parse_ids, parse_text
from app.models import Transaction
from app.seat import Seat
from app.services.approvals import notices, rules
from app.services.approvals.policy import Policy, policy_of
from app.services.budgets import budget_alerts
from app.services.platform import audit

MAX_COMMENT = 500
MAX_BULK = 200
SECOND_STEP = "First of two approvals; an owner gives the second."
RECEIPT_DUE = "Attach a receipt: this expense needs one before it is submitted."


def _get(seat: Seat, txn_id: int) -> Transaction:
    txn = db.session.get(Transaction, (seat.org_id, txn_id), with_for_update=True)
    if txn is None or (seat.owner_filter is not None and txn.created_by != seat.owner_filter):
        raise NotFound("No such transaction.")
    if txn.status == "trashed":  # restored first, then decided (app/services/ledger/trash.py)
        raise NotFound("No such transaction.")
    return txn


def _move(seat: Seat, txn: Transaction, action: str, state: str, comment: str = "") -> None:
    before = {"state": txn.approval_state}
    txn.approval_state = state
    if state == "submitted" and before["state"] != "submitted":
        txn.submitted_at = clock.now()
    if state in ("draft", "returned", "rejected"):
        txn.first_approved_by = None
    after: dict[str, Any] = {"state": state}
    if comment:
        after["comment"] = comment
    audit.record(seat.org_id, seat.user_id, f"approval.{action}", txn, before=before, after=after)


def _submit_or_approve(seat: Seat, policy: Policy, txn: Transaction, action: str) -> str:
    """Submitted when the policy wants approval, approved otherwise; the new state."""
    if not rules.needs_approval(policy, txn):
        _move(seat, txn, "approved_automatically", "approved", "No approval needed.")
        return "approved"
    _move(seat, txn, action, "submitted")
    notices.after_submit(seat, txn)
    return "submitted"


# --- called by ledger.transactions while it saves ---------------------------------------------


def on_create(seat: Seat, txn: Transaction, *, draft: bool = False) -> None:
    """The state of a new transaction: approved unless the policy wants approval; a draft when
    asked for, or when a receipt is due and none is attached yet."""
    policy = policy_of(seat.org_id)
    if not rules.needs_approval(policy, txn):
        txn.approval_state = "approved"
        return
    if draft or rules.receipt_missing(policy, txn):
        txn.approval_state = "draft"
        return
    txn.approval_state = "submitted"
    txn.submitted_at = clock.now()
    audit.record(seat.org_id, seat.user_id, "approval.submitted", txn, after={"state": "submitted"})
    notices.after_submit(seat, txn)


def on_update(seat: Seat, txn: Transaction, before: dict[str, Any]) -> None:
    policy = policy_of(seat.org_id)
    changed = any(str(before.get(k)) != str(_value(txn, k)) for k in rules.KEY_FIELDS)
    state = txn.approval_state
    if state == "returned" and not rules.receipt_missing(policy, txn):
        _submit_or_approve(seat, policy, txn, "resubmitted")
    elif state == "approved" and changed and rules.needs_approval(policy, txn):
        _move(seat, txn, "resubmitted", "submitted", "Edited after approval.")
        txn.first_approved_by = None
        notices.after_submit(seat, txn)
    elif state == "submitted" and changed and txn.first_approved_by is not None:
        txn.first_approved_by = None  # the first approval was of other figures
        audit.record(
            seat.org_id,
            seat.user_id,
            "approval.first_approval_cleared",
            txn,
            after={"state": "submitted", "comment": "Edited after the first approval."},
        )


def _value(txn: Transaction, name: str) -> Any:
    value = getattr(txn, name)
    if name == "amount":
        return f"{value:.4f}"
    return value.isoformat() if name == "date" else value


# --- the submitter's transitions --------------------------------------------------------------


def _submitter_only(seat: Seat, txn: Transaction, what: str) -> None:
    if txn.created_by != seat.user_id:
        raise Forbidden(f"Only the person who recorded this expense {what} it.")


def submit(seat: Seat, txn_id: int) -> Transaction:
    txn = _get(seat, txn_id)
    if txn.approval_state not in ("draft", "returned"):
        raise Conflict(
            f"Only a draft or returned expense is submitted (this is {txn.approval_state})."
        )
    _submitter_only(seat, txn, "submits")
    policy = policy_of(seat.org_id)
    if rules.receipt_missing(policy, txn):
        raise Invalid({"receipts": RECEIPT_DUE})
    _submit_or_approve(seat, policy, txn, "submitted")
    if txn.approval_state == "approved":
        budget_alerts.check_after_commit(seat.org_id)
    db.session.commit()
    return txn


def withdraw(seat: Seat, txn_id: int) -> Transaction:
    txn = _get(seat, txn_id)
    if txn.approval_state != "submitted":
        raise Conflict(f"Only a submitted expense is withdrawn (this is {txn.approval_state}).")
    _submitter_only(seat, txn, "withdraws")
    _move(seat, txn, "withdrawn", "draft")
    txn.submitted_at = None
    db.session.commit()
    return txn


# --- the approver's decisions -----------------------------------------------------------------


def _check_decider(seat: Seat, policy: Policy, txn: Transaction) -> None:
    if problem := rules.refusal(seat, policy, txn):
        kind, sentence = problem
        raise (Conflict if kind == "conflict" else Forbidden)(sentence)


def _comment(value: Any, name: str, label: str) -> str:
    try:
        return parse_text(value, MAX_COMMENT, label, required=True)
    except ValueError as error:
        raise Invalid({name: str(error)}) from None


def _approve_one(seat: Seat, policy: Policy, txn: Transaction) -> None:
    _check_decider(seat, policy, txn)
    if rules.steps(policy, txn) == 2 and txn.first_approved_by is None:
        txn.first_approved_by = seat.user_id
        audit.record(
            seat.org_id,
            seat.user_id,
            "approval.first_approved",
            txn,
            before={"state": "submitted"},
            after={
                "state": "submitted",
                "comment": "First of two approvals; an owner gives the second.",
            },
        )
        notices.after_first_step(seat, txn)
        return
    _move(seat, txn, "approved", "approved")
    notices.after_decision(seat, txn, "approved", "")


def approve(seat: Seat, txn_id: int) -> Transaction:
    txn = _get(seat, txn_id)
    _approve_one(seat, policy_of(seat.org_id), txn)
    budget_alerts.check_after_commit(seat.org_id)  # an alert fires on approval, not submission
    db.session.commit()
    return txn


def _send_back(seat: Seat, txn_id: int, state: str, text: Any, field: str, label: str) -> Any:
    """Reject (a reason) or return for changes (a comment): the same checks, one commit."""
    txn = _get(seat, txn_id)
    _check_decider(seat, policy_of(seat.org_id), txn)
    said = _comment(text, field, label)
    _move(seat, txn, state, state, said)
    notices.after_decision(seat, txn, state, said)
    db.session.commit()
    return txn


def reject(seat: Seat, txn_id: int, reason: Any) -> Transaction:
    return _send_back(seat, txn_id, "rejected", reason, "reason", "reason for rejecting")


def return_for_changes(seat: Seat, txn_id: int, comment: Any) -> Transaction:
    return _send_back(seat, txn_id, "returned", comment, "comment", "comment (what to fix)")


def bulk_approve(seat: Seat, raw_ids: Any) -> int:
    """All of the selection or none of it: one refusal names its expense and changes nothing."""
    try:
        ids = parse_ids(raw_ids, MAX_BULK, "expense")
    except ValueError as error:
        raise Invalid({"ids": str(error)}) from None
    policy = policy_of(seat.org_id)
    for txn_id in ids:
        txn = _get(seat, txn_id)
        name = txn.description or f"#{txn.id}"
        try:
            _approve_one(seat, policy, txn)
        except (Conflict, Forbidden) as error:
            db.session.rollback()
            raise type(error)(f"{name}: {error.detail} Nothing was approved.") from None
    budget_alerts.check_after_commit(seat.org_id)
    db.session.commit()
    return len(ids)
