"""The trash: a deleted transaction is kept, with its receipts, for OUTLAY_TRASH_DAYS (30),
then removed for good by a periodic job (workers/jobs/ledger.py).

`status = 'trashed'` is the marker (with `trashed_at`, and `trashed_from`: the status it had),
so it counts in no figure (`app/queries/counted.py` counts posted and approved), and every
list, search, export, API listing and portal table leaves it out (`app.queries.filters.apply`,
the explorer, reports' footnote); one trashed transaction is a 404 everywhere but here.
Anyone who may delete a transaction puts it in the trash; owners and accountants
(`Perm.MANAGE_LEDGER`) see the trash and restore from it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app

from app import clock, storage
from app.errors import Conflict, Forbidden, NotFound
from app.extensions import db
from app.models import Receipt, Transaction
from app.queries import trash as listing
from app.seat import Seat
from app.services.budgets import budget_alerts
from app.services.platform import audit
from tenants.permissions import Perm

TRASHED = "trashed"
PURGE_BATCH = 500


def is_trashed(txn: Transaction) -> bool:
    return txn.status == TRASHED


def days() -> int:
    return int(current_app.config["OUTLAY_TRASH_DAYS"])


def purge_after(trashed_at: datetime) -> datetime:
    return trashed_at + timedelta(days=days())


def move(seat: Seat, txn: Transaction, before: dict[str, Any]) -> None:
    """Into the trash, audited as a deletion (the snapshot `before`); the caller commits."""
    txn.trashed_from, txn.status, txn.trashed_at = txn.status, TRASHED, clock.now()
    after = {"status": TRASHED, "purge_after": purge_after(txn.trashed_at).isoformat()}
    audit.record(seat.org_id, seat.user_id, "transaction.deleted", txn, before=before, after=after)


def _may(seat: Seat) -> None:
    if not seat.can(Perm.MANAGE_LEDGER):
        raise Forbidden("Owners and accountants see the trash and restore from it.")


def items(seat: Seat) -> list[dict[str, Any]]:
    """What is in the org's trash, newest deletion first, with the day each goes for good."""
    _may(seat)
    rows = listing.trashed(seat.org_id)
    for row in rows:
        row["purge_after"] = purge_after(row["trashed_at"])
    return rows


def restore(seat: Seat, txn_id: int) -> Transaction:
    """Out of the trash, as it was (its approval state too); one commit."""
    _may(seat)
    txn = db.session.get(Transaction, (seat.org_id, txn_id), with_for_update=True)
    if txn is None:
        raise NotFound("No such transaction.")
    if not is_trashed(txn):  # restored meanwhile (another tab), or never deleted
        raise Conflict("This transaction is not in the trash.")
    txn.status, txn.trashed_at, txn.trashed_from = txn.trashed_from or "posted", None, None
    audit.record(
        seat.org_id, seat.user_id, "transaction.restored", txn, after={"status": txn.status}
    )
    budget_alerts.check_after_commit(seat.org_id)  # it counts again: a budget may be over now
    db.session.commit()
    return txn


def purge_expired(seat: Seat) -> int:
    """Remove for good what has been in the trash longer than the period, with its receipt
    files (after the commit, so a rollback never loses a file a row still names)."""
    cutoff = clock.now() - timedelta(days=days())
    found = list(
        db.session.scalars(
            db.select(Transaction)
            .where(
                Transaction.org_id == seat.org_id,
                Transaction.status == TRASHED,
                Transaction.trashed_at < cutoff,
            )
            .order_by(Transaction.trashed_at)
            .limit(PURGE_BATCH)
            .with_for_update(skip_locked=True)
        )
    )
    if not found:
        db.session.rollback()
        return 0
    ids = [t.id for t in found]
    keys = [
        key
        for pair in db.session.execute(
            db.select(Receipt.storage_key, Receipt.thumbnail_key).where(
                Receipt.org_id == seat.org_id, Receipt.transaction_id.in_(ids)
            )
        )
        for key in pair
        if key
    ]
    for txn in found:
        audit.record(seat.org_id, None, "transaction.purged", txn, before={"id": txn.id})
        db.session.delete(txn)  # its receipt rows go with it (ON DELETE CASCADE)
    db.session.commit()
    store = storage.storage()
    for key in keys:
        store.delete(key)
    return len(found)
