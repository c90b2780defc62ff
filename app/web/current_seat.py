"""The Seat of the current request, for the approval views (web and API).

Until `@requires` / `@api_requires` put the Seat on `g` (the structure change builds it once
per request), it is built here from what they leave there: the one place to replace.
"""

from __future__ import annotations

from flask import g
from flask_security import current_user

from app.seat import Seat


def current_seat() -> Seat:
    seat = g.get("seat")
    if isinstance(seat, Seat):
        return seat
    user_id = g.get("api_user_id") or current_user.id
    return Seat.of(g.org, user_id, g.membership.role)
