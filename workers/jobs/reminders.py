"""Bill reminders: one job per org, and the periodic fan-out."""

from __future__ import annotations

from app import clock, jobs
from app.seat import Seat
from workers.context import fan_out, system_job, tenant_job


@jobs.register(jobs.SEND_DUE_REMINDERS)
@tenant_job
def send_due(seat: Seat) -> int:
    from app.services.recurring import reminders

    return reminders.send_due(seat, clock.org_today(seat))  # the org's day, in its zone


@system_job
def send_due_all() -> int:
    from app.services.recurring import materialise

    return fan_out(jobs.SEND_DUE_REMINDERS, materialise.orgs_with_work())
