"""Bill reminders: one job per org, and the periodic fan-out."""

from __future__ import annotations

from workers.context import system_job, tenant_job
from workers.queues import DEFAULT, enqueue


@tenant_job
def send_due(org_id: int) -> int:
    from app.queries.org_day import today_of
    from app.services import reminders

    return reminders.send_due(org_id, today_of(org_id))  # the org's day, in its zone


@system_job
def send_due_all() -> int:
    from app.services import materialise

    org_ids = materialise.orgs_with_work()
    for org_id in org_ids:
        enqueue(DEFAULT, "workers.jobs.reminders.send_due", org_id)
    return len(org_ids)
