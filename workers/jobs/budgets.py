"""Budget alert jobs: one org after a transaction is saved, and a periodic run over all orgs."""

from __future__ import annotations

from app.services import budget_alerts
from workers.context import system_job, tenant_job


@tenant_job
def check_budgets(org_id: int) -> int:
    return budget_alerts.check(org_id)


@system_job
def check_all() -> int:
    """The safety run: a check per org that has a budget (catches missed or failed triggers)."""
    from app.extensions import db
    from app.models import Organisation
    from workers.queues import DEFAULT, enqueue

    org_ids = list(db.session.scalars(db.select(Organisation.id).order_by(Organisation.id)))
    db.session.rollback()
    for org_id in org_ids:
        enqueue(DEFAULT, "workers.jobs.budgets.check_budgets", org_id)
    return len(org_ids)
