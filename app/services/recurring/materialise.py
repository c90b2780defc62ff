"""Posting due occurrences of recurring rules as transactions, each exactly once.

One occurrence per database transaction: lock the rule, take the next occurrence after its
watermark (`posted_through`), INSERT the transaction ... ON CONFLICT DO NOTHING on the unique
key (org_id, recurring_rule_id, occurrence_date), advance the watermark, commit. Two runs at
once wait on the rule's lock and find the work done; a run killed between commits leaves a
watermark that matches what was posted, so a retry carries on with no gap and no duplicate.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert

from app.errors import Invalid
from app.extensions import db
from app.models import RecurringRule, Transaction
from app.seat import Seat
from app.services.budgets import budget_alerts
from app.services.ledger.transaction_input import clean
from app.services.ledger.transactions import _snapshot
from app.services.platform import audit
from app.services.recurring.recurring import schedule

log = logging.getLogger("outlay.recurring")

MAX_PER_RULE = 500  # per run; a long backlog is finished by the next runs


def active_rule_ids(org_id: int) -> list[int]:
    query = db.select(RecurringRule.id).where(
        RecurringRule.org_id == org_id, RecurringRule.paused_at.is_(None)
    )
    return list(db.session.scalars(query.order_by(RecurringRule.id)))


def orgs_with_work() -> list[int]:
    """Orgs with an active rule or an unpaid reminder (a SECURITY DEFINER function)."""
    rows = db.session.execute(text("SELECT org_id FROM outlay_recurring_orgs() ORDER BY 1"))
    org_ids = [int(org_id) for (org_id,) in rows]
    db.session.rollback()
    return org_ids


def materialise(seat: Seat, today: date) -> int:
    """Post every due occurrence of the org's active rules; returns how many were posted.
    Run by a job with the org's system Seat; each posting is created by its rule's author."""
    posted = 0
    for rule_id in active_rule_ids(seat.org_id):
        db.session.rollback()
        for _ in range(MAX_PER_RULE):
            step = post_next(seat, rule_id, today)
            if step is None:
                break
            posted += step
    return posted


def post_next(seat: Seat, rule_id: int, today: date) -> int | None:
    """Handle the rule's next due occurrence: 1 posted, 0 skipped or already there, None: none."""
    org_id = seat.org_id
    rule = db.session.scalar(
        db.select(RecurringRule)
        .where(RecurringRule.org_id == org_id, RecurringRule.id == rule_id)
        .with_for_update()
    )
    day = None
    if rule is not None and rule.paused_at is None:
        day = next(schedule(rule).dates(rule.posted_through), None)
    if rule is None or day is None or day > today:
        db.session.rollback()
        return None
    txn_id = None
    if day not in rule.skipped:
        try:
            txn_id = _insert(seat, rule, day)
        except Invalid as error:  # e.g. no exchange rate: leave it for the next run
            log.warning("rule %s of org %s cannot post %s: %s", rule_id, org_id, day, error)
            db.session.rollback()
            return None
    rule.posted_through, rule.done = day, rule.done + 1
    if txn_id is not None:
        txn = db.session.get(Transaction, (org_id, txn_id))
        after = {**_snapshot(txn), "recurring_rule_id": rule.id, "occurrence_date": str(day)}
        audit.record(org_id, rule.created_by, "transaction.created", txn, after=after)
        budget_alerts.check_after_commit(org_id)  # a posted rent counts toward budgets too
    db.session.commit()
    return 0 if txn_id is None else 1


def _insert(seat: Seat, rule: RecurringRule, day: date) -> int | None:
    """The occurrence's transaction, checked as a manual one is; None if it is already there."""
    raw = {
        "kind": rule.kind,
        "date": day,
        "amount": rule.amount,
        "currency": rule.currency,
        "category_id": rule.category_id,
        "description": rule.description,
        "payment_method_id": rule.payment_method_id,
        "tags": list(rule.tags),
    }
    # The rule's category and payment method stay usable even if archived since.
    kept = {"category_id": rule.category_id, "payment_method_id": rule.payment_method_id}
    values = clean(seat, raw, current=kept).as_dict()
    statement = (
        insert(Transaction)
        .values(
            org_id=rule.org_id,
            status="posted",
            created_by=rule.created_by,
            recurring_rule_id=rule.id,
            occurrence_date=day,
            **values,
        )
        .on_conflict_do_nothing(
            index_elements=["org_id", "recurring_rule_id", "occurrence_date"],
            index_where=text("recurring_rule_id IS NOT NULL"),
        )
        .returning(Transaction.id)
    )
    return db.session.execute(statement).scalar()
