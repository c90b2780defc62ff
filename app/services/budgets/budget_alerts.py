"""Budget alerts: tell owners and accountants once when spending crosses a threshold.

Once per (budget, period, threshold), however many transactions follow and however often the
check runs: a row in `budget_alerts` with a UNIQUE key on (org, budget, period_start,
threshold), inserted with ON CONFLICT DO NOTHING; only the run that inserts it notifies. The
notifications and the alert rows commit together, and the mail jobs are enqueued after that
commit (app.services.notifications.notifications). Runs in the org's tenant context (the
`check_budgets` job).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.dialects.postgresql import insert

from app import jobs, money
from app.extensions import db
from app.models import Budget, BudgetAlert
from app.queries import budgets as figures
from app.seat import Seat
from app.services.notifications import notifications

KIND = "budget_alert"


def check(seat: Seat, on: date | None = None) -> int:
    """Record and announce every threshold crossed this period; returns how many were new.
    Run by a job with the org's system Seat; alerts are the org's, so they count everyone's
    spending whoever's Seat runs them."""
    org_id = seat.org_id
    actual = figures.current(org_id, on)
    found = {b.id: b for b in db.session.scalars(db.select(Budget).where(Budget.org_id == org_id))}
    new = 0
    for budget_id, figure in actual.items():
        for threshold in figure.crossed():
            inserted = db.session.execute(
                insert(BudgetAlert)
                .values(
                    org_id=org_id,
                    budget_id=budget_id,
                    period_start=figure.period_start,
                    threshold=threshold,
                    spent=figure.spent,
                    available=figure.available,
                )
                .on_conflict_do_nothing(constraint="uq_budget_alerts_once")
                .returning(BudgetAlert.id)
            ).scalar()
            if inserted is None:
                continue
            new += 1
            _announce(seat, found[budget_id], figure, threshold)
    db.session.commit()
    return new


def _announce(seat: Seat, budget: Budget, figure: figures.Actual, threshold: int) -> None:
    cur = seat.base_currency
    spent = money.display(figure.spent, cur)
    available = money.display(figure.available, cur)
    period = (
        figure.period_start.strftime("%B %Y")
        if budget.period == "monthly"
        else str(figure.period_start.year)
    )
    if threshold >= 100:
        title = f"Budget {budget.name} is {'over' if threshold > 100 else 'used up'} ({period})"
    else:
        title = f"Budget {budget.name} has reached {threshold}% ({period})"
    notifications.notify(
        seat.org_id,
        notifications.recipients(seat.org_id, KIND),
        kind=KIND,
        title=title,
        body=f"Spent {spent} of {available} ({figure.percent}%) in {period}.",
        link=f"/o/{seat.org_slug}/budgets",
        dedupe_key=f"budget:{budget.id}:{figure.period_start.isoformat()}:{threshold}",
    )


def check_after_commit(org_id: int) -> None:
    """Queue a budget check for when the caller's transaction commits: one pending check per
    org however many saves come in (coalesced); never fails the save (if Redis is down, the
    hourly safety run catches up)."""
    jobs.enqueue_after_commit(jobs.CHECK_BUDGETS, org_id)
