"""Posting recurring transactions: one job per org, and the periodic fan-out."""

from __future__ import annotations

from app import clock, jobs
from app.seat import Seat
from workers.context import fan_out, system_job, tenant_job


@jobs.register(jobs.MATERIALISE_ORG)
@tenant_job
def materialise_org(seat: Seat) -> int:
    from app.services.recurring import materialise

    return materialise.materialise(seat, clock.org_today(seat))  # the org's day, in its zone


@system_job
def materialise_all() -> int:
    from app.services.recurring import materialise

    return fan_out(jobs.MATERIALISE_ORG, materialise.orgs_with_work())
