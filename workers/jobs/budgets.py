"""Budget alert jobs: one org after a transaction is saved, and a periodic run over all orgs."""

from __future__ import annotations

from app import jobs
from app.services.budgets import budget_alerts
from workers.context import fan_out, org_job, system_job

check_budgets = org_job(jobs.CHECK_BUDGETS, budget_alerts.check)


@system_job
def check_all() -> int:
    """The safety run: a check per org (catches missed or failed triggers)."""
    return fan_out(jobs.CHECK_BUDGETS)
