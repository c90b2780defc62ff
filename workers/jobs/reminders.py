"""Bill reminders: one job per org, and the periodic fan-out."""

from __future__ import annotations

from app import jobs
from app.services.recurring import materialise, reminders
from workers.context import fan_out, on_org_day, org_job, system_job

send_due = org_job(jobs.SEND_DUE_REMINDERS, on_org_day(reminders.send_due))


@system_job
def send_due_all() -> int:
    """The orgs with recurring work are the ones with bills and reminders to look at."""
    return fan_out(jobs.SEND_DUE_REMINDERS, materialise.orgs_with_work())
