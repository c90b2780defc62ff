"""Who hears about an approval step: the approvers who may decide a submitted expense, and
the submitter of each decision and reimbursement. Everything goes through
`notifications.notify` (in-app, and mail after commit as each member's preferences say)."""

from __future__ import annotations

from dataclasses import replace

from app import clock, money
from app.extensions import db
from app.models import Membership, Transaction
from app.seat import Seat
from app.services.approvals import rules
from app.services.approvals.policy import policy_of
from app.services.notifications import notifications
from tenants.roles import Role

KIND = "approval"
DECISIONS = {"approved": "approved", "rejected": "rejected", "returned": "returned to you"}


def page_of(seat: Seat, txn: Transaction) -> str:
    """The transaction page, for the submitter: its state and the timeline."""
    return f"/o/{seat.org_slug}/transactions/{txn.id}/view"


def decide_page_of(seat: Seat, txn: Transaction) -> str:
    """For the approvers: the expense with the decision buttons (app.web.approvals.decide),
    behind sign-in and the role; the page only shows, every decision is a POST."""
    return f"/o/{seat.org_slug}/approvals/{txn.id}"


def _what(seat: Seat, txn: Transaction) -> str:
    amount = money.display(txn.amount, txn.currency)
    return f"{txn.description or 'An expense'} ({amount}, {txn.date.isoformat()})"


def deciders(seat: Seat, txn: Transaction) -> list[int]:
    """The owners and accountants (mail not turned off) who may take the next decision."""
    policy = policy_of(seat.org_id)
    roles = dict(
        db.session.execute(
            db.select(Membership.user_id, Membership.role).where(Membership.org_id == seat.org_id)
        ).all()
    )
    return [
        user_id
        for user_id in notifications.recipients(seat.org_id, KIND)
        if rules.refusal(replace(seat, user_id=user_id, role=Role(roles[user_id])), policy, txn)
        is None
    ]


def _stamp() -> str:
    return clock.now().isoformat()


def _ask_deciders(seat: Seat, txn: Transaction, step: str, title: str, body: str) -> None:
    notifications.notify(
        seat.org_id,
        deciders(seat, txn),
        kind=KIND,
        title=title,
        body=f"{_what(seat, txn)} {body}",
        link=decide_page_of(seat, txn),
        dedupe_key=f"approval-{step}:{txn.id}:{_stamp()}",
    )


def after_submit(seat: Seat, txn: Transaction) -> None:
    _ask_deciders(
        seat, txn, "submitted", "An expense awaits your approval", "was submitted for approval."
    )


def after_first_step(seat: Seat, txn: Transaction) -> None:
    _ask_deciders(
        seat,
        txn,
        "second",
        "An expense awaits the second approval",
        "has its first approval and needs an owner's.",
    )


def after_decision(seat: Seat, txn: Transaction, state: str, comment: str) -> None:
    if txn.created_by is None:
        return
    said = f" The comment: {comment}" if comment else ""
    notifications.notify(
        seat.org_id,
        [txn.created_by],
        kind=KIND,
        title=f"Your expense was {DECISIONS[state]}",
        body=f"{_what(seat, txn)} was {DECISIONS[state]}.{said}",
        link=page_of(seat, txn),
        dedupe_key=f"approval-{state}:{txn.id}:{_stamp()}",
    )
