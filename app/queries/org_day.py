"""An org's today from its id alone, for code that has no Organisation row in hand (jobs,
budget figures, saved views). Code that has the row or a Seat calls `clock.org_today(org)`."""

from __future__ import annotations

from datetime import date

from app import clock
from app.extensions import db
from app.models import Organisation


def time_zone_of(org_id: int) -> str:
    found = db.session.scalar(db.select(Organisation.time_zone).where(Organisation.id == org_id))
    return found or clock.DEFAULT_ZONE


def today_of(org_id: int) -> date:
    """Today in the org's time zone."""
    return clock.today(time_zone_of(org_id))
