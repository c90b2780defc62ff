"""Job wrappers: every job runs in an app context; a tenant job also as one org.

Jobs are thin: they receive ids, open the context and call a service. A failure is logged with
the org and the job before RQ records it (failed job registry) and retries it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from app import clock, jobs
from workers import runtime

if TYPE_CHECKING:
    from app.seat import Seat

log = logging.getLogger("outlay.jobs")
F = TypeVar("F", bound=Callable[..., Any])


def tenant_job(func: F) -> F:
    """A job queued as `job(org_id, ...)` runs inside `tenant_context(org_id)` (RLS scopes
    everything) as `func(seat, ...)`, with the org's system Seat (`Seat.system`: no user, the
    owner role's reach, so the job sees the whole org). An org gone since (purged) runs nothing.
    """

    @wraps(func)
    def job(org_id: int, *args: Any, **kwargs: Any) -> Any:
        from app.extensions import db
        from app.models import Organisation
        from app.seat import Seat
        from tenants.context import tenant_context

        with runtime.app().app_context():
            try:
                with tenant_context(int(org_id)):
                    org = db.session.get(Organisation, int(org_id))
                    if org is None:
                        log.info("job %s: org %s no longer exists", func.__name__, org_id)
                        db.session.rollback()
                        return None
                    return func(Seat.system(org), *args, **kwargs)
            except Exception:
                log.exception("job %s failed for org %s", func.__name__, org_id)
                db.session.rollback()
                raise
            finally:
                db.session.remove()

    return job  # type: ignore[return-value]


def system_job(func: F) -> F:
    """A job over all orgs (it fans out tenant jobs); no tenant is set."""

    @wraps(func)
    def job(*args: Any, **kwargs: Any) -> Any:
        from app.extensions import db

        with runtime.app().app_context():
            try:
                return func(*args, **kwargs)
            except Exception:
                log.exception("job %s failed", func.__name__)
                raise
            finally:
                db.session.remove()

    return job  # type: ignore[return-value]


def org_job(job: jobs.Job, service: Callable[..., Any]) -> Callable[..., Any]:
    """Register the function that does `job`: queued as `job(org_id, *ids)`, it runs
    `service(seat, *ids)` as a `tenant_job`. Ids arrive as they were queued (ints; an enqueue by
    dotted path may pass strings), so each is made an int first."""

    def body(seat: Seat, *ids: Any) -> Any:
        return service(seat, *(int(i) for i in ids))

    body.__name__ = body.__qualname__ = job.name  # what the failure log names
    return jobs.register(job)(tenant_job(body))


def on_org_day(service: Callable[[Seat, date], Any]) -> Callable[[Seat], Any]:
    """`service(seat, today)` with the org's today, in its own time zone (a posting or a
    reminder is due on the org's calendar day, not the server's)."""

    @wraps(service)
    def body(seat: Seat) -> Any:
        return service(seat, clock.org_today(seat))

    return body


def fan_out(job: jobs.Job, org_ids: Iterable[int] | None = None) -> int:
    """Queue `job(org_id)` once for every org that has work (every org if `org_ids` is None);
    call it from a system job. Returns how many were queued (a coalesced job already pending
    for an org is not queued again)."""
    if org_ids is None:
        org_ids = all_org_ids()
    return sum(jobs.enqueue(job, int(org_id)) is not None for org_id in org_ids)


def all_org_ids() -> list[int]:
    from app.extensions import db
    from app.models import Organisation

    # An org scheduled for deletion is closed: no alerts, digests or reminders go out for it.
    org_ids = list(
        db.session.scalars(
            db.select(Organisation.id)
            .where(Organisation.deletion_due_at.is_(None))
            .order_by(Organisation.id)
        )
    )
    db.session.rollback()  # end the read before the jobs run
    return org_ids
