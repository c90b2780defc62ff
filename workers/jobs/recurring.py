"""Posting recurring transactions: one job per org, and the periodic fan-out."""

from __future__ import annotations

from app import jobs
from app.services.recurring import materialise
from workers.context import fan_out, on_org_day, org_job, system_job

materialise_org = org_job(jobs.MATERIALISE_ORG, on_org_day(materialise.materialise))


@system_job
def materialise_all() -> int:
    return fan_out(jobs.MATERIALISE_ORG, materialise.orgs_with_work())
