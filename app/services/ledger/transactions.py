"""Recording money: create, edit, delete and bulk changes, each audited, one commit each."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from app import money
from app.errors import Invalid, NotFound
from app.extensions import db
from app.input import parse_id, parse_ids
from app.models import Category, Transaction
from app.seat import Seat
from app.services.approvals import flow as approval_flow
from app.services.budgets import budget_alerts
from app.services.ledger import trash
from app.services.ledger.transaction_input import FIELDS, check_category, clean
from app.services.platform import audit

MAX_BULK = 500


def _snapshot(txn: Transaction) -> dict[str, Any]:
    values = {name: getattr(txn, name) for name in FIELDS if name != "rate"}
    values["amount"] = money.as_json(txn.amount)
    values["date"] = txn.date.isoformat()
    values["rate"] = str(txn.rate)
    values["rate_source"] = txn.rate_source
    values["base_amount"] = money.as_json(txn.base_amount)
    return values


def _editable(txn: Transaction) -> dict[str, Any]:
    """What a partial update starts from: the stored rate only if the user chose it."""
    values = {name: getattr(txn, name) for name in FIELDS if name != "rate"}
    values["rate"] = txn.rate if txn.rate_source == "override" else None
    return values


def _audit_override(seat: Seat, txn: Transaction, before: dict[str, Any]) -> None:
    """A rate the user set (or changed) is recorded on its own, beside the edit."""
    if txn.rate_source == "override" and (
        before.get("rate_source") != "override" or before.get("rate") != str(txn.rate)
    ):
        audit.record(
            seat.org_id,
            seat.user_id,
            "transaction.rate_overridden",
            txn,
            before={k: before.get(k) for k in ("rate", "rate_source", "base_amount")},
            after={
                "rate": str(txn.rate),
                "currency": txn.currency,
                "base_amount": money.as_json(txn.base_amount),
            },
        )


def _visible(seat: Seat, txn: Transaction) -> bool:
    """The own-items rule: a member sees and changes only what they recorded (the Seat)."""
    return seat.owner_filter is None or txn.created_by == seat.owner_filter


def get(seat: Seat, txn_id: int) -> Transaction:
    txn = db.session.get(Transaction, (seat.org_id, txn_id))
    if txn is None or not _visible(seat, txn) or trash.is_trashed(txn):
        raise NotFound("No such transaction.")
    return txn


def create(seat: Seat, raw: Any, locale: str | None = None, *, draft: bool = False) -> Transaction:
    values = clean(seat, raw, locale=locale)
    txn = Transaction(
        org_id=seat.org_id, created_by=seat.user_id, status="posted", **values.as_dict()
    )
    db.session.add(txn)
    _flush(txn)
    approval_flow.on_create(seat, txn, draft=draft)
    audit.record(seat.org_id, seat.user_id, "transaction.created", txn, after=_snapshot(txn))
    budget_alerts.check_after_commit(seat.org_id)
    _audit_override(seat, txn, {})
    db.session.commit()
    return txn


def update(seat: Seat, txn_id: int, raw: Any, locale: str | None = None) -> Transaction:
    txn = get(seat, txn_id)
    before = _snapshot(txn)
    values = clean(seat, raw, locale=locale, current=_editable(txn))
    for name, value in values.as_dict().items():
        setattr(txn, name, value)
    _flush(txn)
    approval_flow.on_update(seat, txn, before)
    after = _snapshot(txn)
    audit.record(seat.org_id, seat.user_id, "transaction.updated", txn, before=before, after=after)
    budget_alerts.check_after_commit(seat.org_id)
    _audit_override(seat, txn, before)
    db.session.commit()
    return txn


def delete(seat: Seat, txn_id: int) -> None:
    """Into the trash (app/services/ledger/trash.py): restorable for the trash period."""
    txn = get(seat, txn_id)
    trash.move(seat, txn, _snapshot(txn))
    db.session.commit()


def _ids(raw: Any) -> list[int]:
    try:
        return parse_ids(raw, MAX_BULK, "transaction")
    except ValueError as error:
        raise Invalid({"ids": str(error)}) from None


def _many(seat: Seat, ids: list[int]) -> list[Transaction]:
    found = list(
        db.session.scalars(
            db.select(Transaction)
            .where(Transaction.org_id == seat.org_id, Transaction.id.in_(ids))
            .with_for_update()
        )
    )
    # A member: others' are not theirs to see; what is in the trash is not in any list.
    found = [t for t in found if _visible(seat, t) and not trash.is_trashed(t)]
    if len(found) != len(ids):
        raise NotFound("Some of the selected transactions no longer exist; reload the page.")
    return found


def bulk_delete(seat: Seat, raw_ids: Any) -> int:
    txns = _many(seat, _ids(raw_ids))
    for txn in txns:
        trash.move(seat, txn, _snapshot(txn))
    db.session.commit()
    return len(txns)


def bulk_recategorise(seat: Seat, raw_ids: Any, raw_category: Any) -> int:
    ids = _ids(raw_ids)
    try:
        category_id = parse_id(raw_category)
    except ValueError:
        raise Invalid({"category_id": "Choose a category."}) from None
    if problem := check_category(seat.org_id, category_id, None):
        raise Invalid({"category_id": problem})
    txns = _many(seat, ids)
    target_kind = db.session.get(Category, (seat.org_id, category_id)).kind
    if any(t.kind != target_kind for t in txns):
        raise Invalid(
            {"category_id": f"That is an {target_kind} category; select only {target_kind}s."}
        )
    for txn in txns:
        before = {"category_id": txn.category_id}
        txn.category_id = category_id
        audit.record(
            seat.org_id,
            seat.user_id,
            "transaction.recategorised",
            txn,
            before=before,
            after={"category_id": category_id},
        )
    db.session.commit()
    return len(txns)


def _flush(txn: Transaction) -> None:
    """The database has the last word (composite keys, checks); say what it refused."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        message = str(exc.orig)
        if "fk_transactions_category" in message:
            raise Invalid({"category_id": "No such category in this organisation."}) from None
        if "payment_method" in message:
            raise Invalid(
                {"payment_method_id": "No such payment method in this organisation."}
            ) from None
        raise Invalid({"body": "The transaction was refused by the database."}) from None
