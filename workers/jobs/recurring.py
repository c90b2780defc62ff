"""Posting recurring transactions: one job per org, and the periodic fan-out."""

from __future__ import annotations

from workers.context import system_job, tenant_job
from workers.queues import DEFAULT, enqueue


@tenant_job
def materialise_org(org_id: int) -> int:
    from app.queries.org_day import today_of
    from app.services import materialise

    return materialise.materialise(org_id, today_of(org_id))  # the org's day, in its zone


@system_job
def materialise_all() -> int:
    from app.services import materialise

    org_ids = materialise.orgs_with_work()
    for org_id in org_ids:
        enqueue(DEFAULT, "workers.jobs.recurring.materialise_org", org_id)
    return len(org_ids)
