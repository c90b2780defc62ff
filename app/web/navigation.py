"""The navbar's figures for this request, read once (`app.services.orgs.navigation`) and shared by
the bell (`app.web.notifications`) and the org switcher (`app.web.home`)."""

from __future__ import annotations

from flask import g
from flask_security import current_user

from app.extensions import db
from app.services.orgs.navigation import Navigation, navigation
from tenants.context import current


def for_request() -> Navigation | None:
    """None off an org's pages (no seat) or when the session's tenant is not the signed-in
    person: the callers then ask the services one by one, as they always could."""
    if "_navigation" in g:
        return g._navigation
    seat = g.get("seat")
    found = None
    if (
        seat is not None
        and current_user.is_authenticated
        and seat.user_id == current_user.id
        and current(db.session).user_id == seat.user_id
    ):
        found = navigation(seat)
    g._navigation = found
    return found
