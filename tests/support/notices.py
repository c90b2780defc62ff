"""In-app notifications made the way features make them: through `notifications.notify()`."""

from __future__ import annotations

from typing import Any

from flask import Flask


def notice(
    org: Any,
    user_ids: list[int],
    key: str,
    *,
    title: str = "Rent is due",
    kind: str = "bill_reminder",
    body: str = "Pay the landlord by Friday.",
    link: str | None = None,
) -> list[int]:
    """notify() inside the caller's app and tenant context; the caller commits (or rolls
    back). `link` defaults to the org's transactions page."""
    from app.services.notifications import notifications

    return notifications.notify(
        org.id,
        user_ids,
        kind=kind,
        title=title,
        body=body,
        link=f"/o/{org.slug}/transactions" if link is None else link,
        dedupe_key=key,
    )


def notify(app: Flask, org: Any, user_ids: list[int], key: str, **fields: Any) -> list[int]:
    """notice() in its own app and tenant context, committed (so its mail job is queued)."""
    from app.extensions import db
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id):
        ids = notice(org, user_ids, key, **fields)
        db.session.commit()
        return ids
