"""The Seat of the request, for the export and report views.

One function, so the lead can replace it by the request's `g.seat` once the Seat work lands:
until then it is built here from what `@requires` / `@api_requires` put on `g`.
"""

from __future__ import annotations

from flask import g
from flask_security import current_user

from app.seat import Seat


def current_seat() -> Seat:
    seat = getattr(g, "seat", None)
    if isinstance(seat, Seat):
        return seat
    user_id = getattr(g, "api_user_id", None)
    return Seat.of(g.org, current_user.id if user_id is None else user_id, g.membership.role)
