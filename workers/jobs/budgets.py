"""Budget alert jobs: one org after a transaction is saved, and a periodic run over all orgs."""

from __future__ import annotations

from app import jobs
from app.seat import Seat
from app.services.budgets import budget_alerts
from workers.context import fan_out, system_job, tenant_job


@jobs.register(jobs.CHECK_BUDGETS)
@tenant_job
def check_budgets(seat: Seat) -> int:
    return budget_alerts.check(seat)


@system_job
def check_all() -> int:
    """The safety run: a check per org (catches missed or failed triggers)."""
    return fan_out(jobs.CHECK_BUDGETS)
