"""What the org owes the people who paid out of pocket, and paying it back in one step.

An approved expense marked *paid personally* is owed to whoever recorded it until an owner or
accountant marks it reimbursed (date, method, reference). One step may cover several people:
each gets one reimbursement row for their items and one notification (mail after commit).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from app import money
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.input import parse_date, parse_ids, parse_text
from app.models import Reimbursement, Transaction
from app.queries import approvals as figures
from app.seat import Seat
from app.services.notifications import notifications
from app.services.platform import audit
from tenants.permissions import Perm

MAX_ITEMS = 500


def owed(seat: Seat) -> list[dict[str, Any]]:
    """Per person, with totals; a member sees only what is owed to them."""
    return figures.to_reimburse(seat.org_id, seat.owner_filter)


def _ids(raw: Any) -> list[int]:
    empty = "Select at least one expense to reimburse."
    try:
        return parse_ids(raw, MAX_ITEMS, "expense", empty=empty)
    except ValueError as error:
        raise Invalid({"ids": str(error)}) from None


def _details(raw: dict[str, Any]) -> tuple[Any, str, str]:
    errors: dict[str, str] = {}
    values: list[Any] = [None, "", ""]
    for index, (name, parse) in enumerate(
        (
            ("paid_on", parse_date),
            ("method", lambda v: parse_text(v, 40, "method", required=True, one_line=True)),
            ("reference", lambda v: parse_text(v, 100, "reference", one_line=True)),
        )
    ):
        try:
            values[index] = parse(raw.get(name))
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        raise Invalid(errors)
    return values[0], values[1], values[2]


def mark_reimbursed(seat: Seat, raw: dict[str, Any]) -> list[Reimbursement]:
    if not seat.can(Perm.APPROVE):
        raise Forbidden("Owners and accountants mark expenses reimbursed.")
    ids = _ids(raw.get("ids"))
    paid_on, method, reference = _details(raw)
    found = list(
        db.session.scalars(
            db.select(Transaction)
            .where(
                Transaction.org_id == seat.org_id,
                Transaction.id.in_(ids),
                Transaction.status != "trashed",
            )
            .with_for_update()
        )
    )
    if len(found) != len(ids):
        raise NotFound("Some of the selected expenses no longer exist; reload the page.")
    by_person: dict[int | None, list[Transaction]] = defaultdict(list)
    for txn in found:
        if not (txn.paid_personally and txn.approval_state == "approved"):
            raise Conflict(f"{txn.description or txn.id}: only approved, personally paid expenses.")
        if txn.reimbursement_id is not None:
            raise Conflict(f"{txn.description or txn.id}: already reimbursed.")
        by_person[txn.created_by].append(txn)
    made = []
    for person, items in by_person.items():
        total = sum((t.base_amount for t in items), Decimal(0))
        row = Reimbursement(
            org_id=seat.org_id,
            user_id=person,
            paid_on=paid_on,
            method=method,
            reference=reference,
            total=total,
            currency=seat.base_currency,
            created_by=seat.user_id,
        )
        db.session.add(row)
        db.session.flush()
        for txn in items:
            txn.reimbursement_id, txn.reimbursed_at = row.id, paid_on
            audit.record(
                seat.org_id,
                seat.user_id,
                "approval.reimbursed",
                txn,
                after={"state": "approved", "comment": f"Reimbursed {paid_on.isoformat()}"},
            )
        if person is not None:
            shown = money.display(total, seat.base_currency)
            notifications.notify(
                seat.org_id,
                [person],
                kind="approval",
                title="You were reimbursed",
                body=(
                    f"{shown} for {len(items)} expense{'s' if len(items) != 1 else ''}, paid on "
                    f"{paid_on.isoformat()} by {method}"
                    + (f" (reference {reference})." if reference else ".")
                ),
                link=f"/o/{seat.org_slug}/reimbursements",
                dedupe_key=f"reimbursed:{row.id}",
            )
        made.append(row)
    db.session.commit()
    return made
