"""Notifications: the one API other features call to tell people something.

    notify(org_id, user_ids, kind=..., title=..., body=..., link=..., dedupe_key=...) -> ids
    recipients(org_id, kind) -> user ids (owners and accountants who did not turn `kind` off)

Transaction rule: `notify()` writes inside the caller's transaction and never commits; the
caller commits once, as every service does. Mail jobs are enqueued only *after* that commit
(`app.jobs`): a worker never sees a notification that is not committed, and a
rollback sends nothing. Call it with the tenant set (RLS): web requests under @requires, jobs
under @tenant_job or `tenant_context(org_id)`.

At most one notification exists per (org, user, dedupe_key): a UNIQUE constraint and
INSERT ... ON CONFLICT DO NOTHING, so calling twice (a retried job, two workers) creates and
mails nothing the second time. Only the ids created by this call are returned.

Delivery, per user, per org, per kind (notification_prefs; no row = immediate):
  immediate  the in-app notification and one email each (mail queue, right after commit)
  digest     the in-app notification; one daily email lists the day's notifications
  in_app     the in-app notification only (the email's unsubscribe link sets this)
  off        nothing: the user is no recipient of that kind; notify() skips them even when the
             caller passes them
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert

from app import clock, jobs
from app.errors import NotFound
from app.extensions import db
from app.models import Notification
from app.models.notifications import KINDS
from app.seat import Seat
from app.services.notifications import notification_prefs as prefs

RECIPIENTS_SQL = text(
    """
    SELECT m.user_id FROM memberships m
    JOIN users u ON u.id = m.user_id AND u.active
    LEFT JOIN notification_preferences p
      ON p.org_id = m.org_id AND p.user_id = m.user_id AND p.kind = :kind
    WHERE m.org_id = :org AND m.role IN ('owner', 'accountant')
      AND coalesce(p.delivery, :default) <> 'off'
    ORDER BY m.user_id
    """
)
MEMBERS_SQL = text("SELECT user_id FROM memberships WHERE org_id = :org AND user_id = ANY(:ids)")


def recipients(org_id: int, kind: str) -> list[int]:
    """Owners and accountants of the org who have not turned `kind` off."""
    _check_kind(kind)
    rows = db.session.execute(
        RECIPIENTS_SQL, {"org": org_id, "kind": kind, "default": prefs.DEFAULT_DELIVERY}
    )
    return list(rows.scalars())


def notify(
    org_id: int,
    user_ids: list[int],
    *,
    kind: str,
    title: str,
    body: str,
    link: str,
    dedupe_key: str,
) -> list[int]:
    """Create the in-app notifications (once per user and dedupe_key); mail after commit."""
    _check_kind(kind)
    members = set(
        db.session.execute(MEMBERS_SQL, {"org": org_id, "ids": list(set(user_ids))}).scalars()
    )
    delivery = prefs.deliveries(org_id, sorted(members), kind)
    wanted = [u for u in sorted(members) if delivery[u] != "off"]
    if not wanted:
        return []
    rows = [
        {
            "org_id": org_id,
            "user_id": user_id,
            "kind": kind,
            "title": title[:200],
            "body": body,
            "link": link[:500],
            "dedupe_key": dedupe_key[:200],
        }
        for user_id in wanted
    ]
    statement = (
        insert(Notification)
        .values(rows)
        .on_conflict_do_nothing(constraint="uq_notifications_dedupe")
        .returning(Notification.id, Notification.user_id)
    )
    created = db.session.execute(statement).all()
    for notification_id, user_id in created:
        if delivery[user_id] == "immediate":  # Redis down: the in-app notification stands
            jobs.enqueue_after_commit(jobs.SEND_NOTIFICATION, org_id, notification_id)
    return sorted(notification_id for notification_id, _ in created)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}; known: {', '.join(KINDS)}")


# --- the notification centre -------------------------------------------------------------


def latest(seat: Seat, limit: int = 50) -> list[Notification]:
    """The newest notifications of the person in the seat (everyone sees only their own)."""
    org_id, user_id = seat.org_id, seat.user_id
    return list(
        db.session.scalars(
            db.select(Notification)
            .where(Notification.org_id == org_id, Notification.user_id == user_id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(seat: Seat) -> int:
    org_id, user_id = seat.org_id, seat.user_id
    return (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(Notification)
            .where(
                Notification.org_id == org_id,
                Notification.user_id == user_id,
                Notification.read_at.is_(None),
            )
        )
        or 0
    )


def mark_read(seat: Seat, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read; anyone else's is a 404."""
    found = db.session.get(Notification, (seat.org_id, notification_id))
    if found is None or found.user_id != seat.user_id:
        raise NotFound("No such notification.")
    if found.read_at is None:
        found.read_at = clock.now()
    db.session.commit()
    return found


def mark_all_read(seat: Seat) -> int:
    org_id, user_id = seat.org_id, seat.user_id
    result = db.session.execute(
        db.update(Notification)
        .where(
            Notification.org_id == org_id,
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=clock.now())
    )
    db.session.commit()
    return result.rowcount or 0
