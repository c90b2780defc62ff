"""The approvers' daily digest: each owner or accountant hears once a day of the expenses they
may decide that have waited more than the policy's `digest_days` (default 3).

Run by a periodic job, however often: the notification's dedupe key names the approver's day
(`approval-digest:<org's date>`), and `notifications.notify` creates at most one notification
per (org, user, key), so a second run the same day creates and mails nothing. Mail goes through
the notifications service: the member's preference for "Approvals and reimbursements" decides
(immediate mail, the general digest, in-app only, or nothing).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from app import clock, money
from app.extensions import db
from app.models import Membership
from app.seat import Seat
from app.services.approvals import queue
from app.services.approvals.notices import KIND
from app.services.approvals.policy import policy_of
from app.services.notifications import notifications
from tenants.roles import Role

LISTED = 20  # the mail names this many; the link opens the whole queue


def waiting(seat: Seat, days: int) -> list[dict[str, Any]]:
    """What `seat` may decide that was submitted more than `days` days ago, oldest first."""
    cutoff = clock.now() - timedelta(days=days)
    rows = queue.mine(seat, queue.QueueFilters())
    return [r for r in rows if r["submitted_at"] is not None and r["submitted_at"] < cutoff]


def _line(row: dict[str, Any]) -> str:
    amount = money.display(row["amount"], row["currency"])
    days = (clock.now() - row["submitted_at"]).days
    what = row["description"] or "An expense"
    return f"- {what} ({amount}, {row['person'] or 'a former member'}): waiting {days} days"


def send(seat: Seat) -> int:
    """Today's digest for every approver of the org with something overdue; returns how many
    notifications were created (0 on a second run the same day)."""
    days = policy_of(seat.org_id).digest_days
    day = clock.today(seat.time_zone).isoformat()
    roles = dict(
        db.session.execute(
            db.select(Membership.user_id, Membership.role).where(Membership.org_id == seat.org_id)
        ).all()
    )
    created = 0
    for user_id in notifications.recipients(seat.org_id, KIND):
        approver = replace(seat, user_id=user_id, role=Role(roles[user_id]))
        rows = waiting(approver, days)
        if not rows:
            continue
        count = len(rows)
        more = f"\n… and {count - LISTED} more." if count > LISTED else ""
        created += len(
            notifications.notify(
                seat.org_id,
                [user_id],
                kind=KIND,
                title=f"{count} expense{'s' if count != 1 else ''} waiting over {days} days",
                body="\n".join(_line(r) for r in rows[:LISTED]) + more,
                link=f"/o/{seat.org_slug}/approvals",
                dedupe_key=f"approval-digest:{day}",
            )
        )
    db.session.commit()
    return created
