"""Notification email: one message per notification, or one daily digest per user and org.

Run by the mail jobs (workers/jobs/mail.py) inside the org's tenant context. Each message is
HTML and plain text, names the org, and carries an unsubscribe link that works without login
(also as RFC 8058 one-click: List-Unsubscribe + List-Unsubscribe-Post headers).
"""

from __future__ import annotations

from flask_mail import Message

from app import clock, emails, links
from app.extensions import db
from app.models import Notification, Organisation, User
from app.seat import Seat
from app.services.notifications import notification_prefs as prefs
from app.services.platform import mailer


def _message(
    user: User, org: Organisation, kind: str, subject: str, template: str, **context: object
) -> Message:
    token = prefs.unsubscribe_token(org.id, user.id, kind)
    unsubscribe = links.external_url("notifications.unsubscribe", unsubscribe_token=token)
    return emails.compose(
        user.email,
        subject,
        template,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        user=user,
        org=org,
        unsubscribe=unsubscribe,
        preferences=links.external_url("notifications.preferences", slug=org.slug),
        kind_label=prefs.CHOICE_KINDS.get(kind, kind),
        **context,
    )


def send_one(seat: Seat, notification_id: int) -> bool:
    """Email one notification if it is still due; True when a message went out.

    Idempotent: a notification already emailed (a retry, a duplicate job) is not sent again,
    and one whose user has since chosen another delivery is skipped.
    """
    org_id = seat.org_id
    found = db.session.scalars(
        db.select(Notification)
        .where(Notification.org_id == org_id, Notification.id == notification_id)
        .with_for_update()
    ).one_or_none()
    if found is None or found.emailed_at is not None:
        return False
    if prefs.delivery(org_id, found.user_id, found.kind) != "immediate":
        db.session.commit()
        return False
    user = db.session.get(User, found.user_id)
    org = db.session.get(Organisation, org_id)
    if user is None or org is None or not user.active:
        return False
    mailer.send_message(
        _message(
            user,
            org,
            found.kind,
            f"{found.title} - {org.name}",
            "notification",
            notification=found,
        )
    )
    found.emailed_at = clock.now()
    db.session.commit()
    return True


DIGEST_SQL = db.text(
    """
    SELECT n.user_id FROM notifications n
    JOIN notification_preferences p
      ON p.org_id = n.org_id AND p.user_id = n.user_id AND p.kind = n.kind
    WHERE n.org_id = :org AND p.delivery = 'digest'
      AND n.digested_at IS NULL AND n.emailed_at IS NULL
    GROUP BY n.user_id ORDER BY n.user_id
    """
)


def send_digests(seat: Seat) -> int:
    """One email per user of the org who chose a digest, listing what is new since the last."""
    org_id = seat.org_id
    sent = 0
    for user_id in list(db.session.execute(DIGEST_SQL, {"org": org_id}).scalars()):
        sent += _digest_for(org_id, user_id)
    return sent


def _digest_for(org_id: int, user_id: int) -> int:
    digest_kinds = [k for k in prefs.CHOICE_KINDS if prefs.delivery(org_id, user_id, k) == "digest"]
    items = list(
        db.session.scalars(
            db.select(Notification)
            .where(
                Notification.org_id == org_id,
                Notification.user_id == user_id,
                Notification.kind.in_(digest_kinds),
                Notification.digested_at.is_(None),
                Notification.emailed_at.is_(None),
            )
            .order_by(Notification.id)
            .with_for_update(skip_locked=True)
        )
    )
    user = db.session.get(User, user_id)
    org = db.session.get(Organisation, org_id)
    if not items or user is None or org is None or not user.active:
        db.session.commit()
        return 0
    count = len(items)
    subject = f"Your Outlay digest: {count} notification{'s' if count != 1 else ''} - {org.name}"
    kind = items[0].kind if len({i.kind for i in items}) == 1 else digest_kinds[0]
    mailer.send_message(_message(user, org, kind, subject, "digest", items=items))
    now = clock.now()
    for item in items:
        item.digested_at = now
    db.session.commit()
    return 1
