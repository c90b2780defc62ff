"""Writes the append-only audit log; callers commit with the change they record (`commit` does
both, for a use case whose last step is one audited change)."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.models import AuditEntry
from app.seat import Seat


def record(
    org_id: int,
    actor_id: int | None,
    action: str,
    obj: Any = None,
    *,
    object_type: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    db.session.add(
        AuditEntry(
            org_id=org_id,
            actor_id=actor_id,
            action=action,
            object_type=object_type or (type(obj).__name__.lower() if obj is not None else "org"),
            object_id=None if obj is None else str(obj.id),
            before=before,
            after=after,
        )
    )


def commit(
    seat: Seat,
    action: str,
    obj: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    delete: bool = False,
) -> None:
    """The end of a use case: record `action` on `obj` by the seat's person, delete `obj` if
    asked, and commit the change with its entry."""
    record(seat.org_id, seat.user_id, action, obj, before=before, after=after)
    if delete:
        db.session.delete(obj)
    db.session.commit()


def entries(org_id: int, limit: int = 50) -> list[AuditEntry]:
    """The org's latest entries (RLS scopes the rows; the filter keeps the plan on the index)."""
    return list(
        db.session.scalars(
            db.select(AuditEntry)
            .where(AuditEntry.org_id == org_id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )
