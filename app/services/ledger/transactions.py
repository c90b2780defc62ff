"""Recording money: create, edit, delete and bulk changes, each audited, one commit each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError

from app import money
from app.errors import Invalid, NotFound
from app.extensions import db
from app.input import parse_id
from app.models import Category, Organisation, Transaction
from app.seat import Seat
from app.services.approvals import flow as approval_flow
from app.services.budgets import budget_alerts
from app.services.ledger.transaction_input import FIELDS, check_category, clean
from app.services.platform import audit
from tenants.roles import Role

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


def _audit_override(org_id: int, user_id: int, txn: Transaction, before: dict[str, Any]) -> None:
    """A rate the user set (or changed) is recorded on its own, beside the edit."""
    if txn.rate_source == "override" and (
        before.get("rate_source") != "override" or before.get("rate") != str(txn.rate)
    ):
        audit.record(
            org_id,
            user_id,
            "transaction.rate_overridden",
            txn,
            before={k: before.get(k) for k in ("rate", "rate_source", "base_amount")},
            after={
                "rate": str(txn.rate),
                "currency": txn.currency,
                "base_amount": money.as_json(txn.base_amount),
            },
        )


def own_only(role: str) -> bool:
    """Members see and change only what they recorded themselves (DESIGN.md roles)."""
    return role == Role.MEMBER.value


def get(org_id: int, txn_id: int, user_id: int, role: str) -> Transaction:
    txn = db.session.get(Transaction, (org_id, txn_id))
    if txn is None or (own_only(role) and txn.created_by != user_id):
        raise NotFound("No such transaction.")
    return txn


def create(
    org: Organisation,
    user_id: int,
    role: str,
    raw: Any,
    locale: str | None = None,
    *,
    draft: bool = False,
) -> Transaction:
    values = clean(org, raw, locale=locale)
    txn = Transaction(org_id=org.id, created_by=user_id, status="posted", **values.as_dict())
    db.session.add(txn)
    _flush(txn)
    approval_flow.on_create(Seat.of(org, user_id, role), txn, draft=draft)
    audit.record(org.id, user_id, "transaction.created", txn, after=_snapshot(txn))
    budget_alerts.check_after_commit(org.id)
    _audit_override(org.id, user_id, txn, {})
    db.session.commit()
    return txn


def update(
    org: Organisation, user_id: int, role: str, txn_id: int, raw: Any, locale: str | None = None
) -> Transaction:
    txn = get(org.id, txn_id, user_id, role)
    before = _snapshot(txn)
    values = clean(org, raw, locale=locale, current=_editable(txn))
    for name, value in values.as_dict().items():
        setattr(txn, name, value)
    _flush(txn)
    approval_flow.on_update(Seat.of(org, user_id, role), txn, before)
    audit.record(org.id, user_id, "transaction.updated", txn, before=before, after=_snapshot(txn))
    budget_alerts.check_after_commit(org.id)
    _audit_override(org.id, user_id, txn, before)
    db.session.commit()
    return txn


def delete(org: Organisation, user_id: int, role: str, txn_id: int) -> None:
    txn = get(org.id, txn_id, user_id, role)
    audit.record(org.id, user_id, "transaction.deleted", txn, before=_snapshot(txn))
    db.session.delete(txn)
    db.session.commit()


def _ids(raw: Any) -> list[int]:
    if isinstance(raw, str | int):
        raw = [raw]
    if not isinstance(raw, Sequence) or not raw:
        raise Invalid({"ids": "Select at least one transaction."})
    if len(raw) > MAX_BULK:
        raise Invalid({"ids": f"Select at most {MAX_BULK} transactions at a time."})
    try:
        return sorted({parse_id(v) for v in raw})
    except ValueError:
        raise Invalid({"ids": "Transaction ids are whole numbers."}) from None


def _many(org_id: int, ids: list[int], user_id: int, role: str) -> list[Transaction]:
    found = list(
        db.session.scalars(
            db.select(Transaction)
            .where(Transaction.org_id == org_id, Transaction.id.in_(ids))
            .with_for_update()
        )
    )
    if own_only(role):
        found = [t for t in found if t.created_by == user_id]  # others' are not theirs to see
    if len(found) != len(ids):
        raise NotFound("Some of the selected transactions no longer exist; reload the page.")
    return found


def bulk_delete(org: Organisation, user_id: int, role: str, raw_ids: Any) -> int:
    txns = _many(org.id, _ids(raw_ids), user_id, role)
    for txn in txns:
        audit.record(org.id, user_id, "transaction.deleted", txn, before=_snapshot(txn))
        db.session.delete(txn)
    db.session.commit()
    return len(txns)


def bulk_recategorise(
    org: Organisation, user_id: int, role: str, raw_ids: Any, raw_category: Any
) -> int:
    ids = _ids(raw_ids)
    try:
        category_id = parse_id(raw_category)
    except ValueError:
        raise Invalid({"category_id": "Choose a category."}) from None
    if problem := check_category(org.id, category_id, None):
        raise Invalid({"category_id": problem})
    txns = _many(org.id, ids, user_id, role)
    target_kind = db.session.get(Category, (org.id, category_id)).kind
    if any(t.kind != target_kind for t in txns):
        raise Invalid(
            {"category_id": f"That is an {target_kind} category; select only {target_kind}s."}
        )
    for txn in txns:
        before = {"category_id": txn.category_id}
        txn.category_id = category_id
        audit.record(
            org.id,
            user_id,
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
