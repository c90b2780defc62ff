"""Export jobs: write an asked-for export's file and mail its link; clear expired files."""

from __future__ import annotations

from app import jobs
from app.seat import Seat
from app.services.exports import export_jobs, export_runner
from workers.context import fan_out, system_job, tenant_job


@jobs.register(jobs.RUN_EXPORT)
@tenant_job
def run_export(seat: Seat, export_id: int) -> str:
    return export_runner.run(seat.org_id, int(export_id))


@jobs.register(jobs.PURGE_EXPORTS)
@tenant_job
def purge_exports(seat: Seat) -> int:
    return export_jobs.purge_expired(seat.org_id)


@system_job
def purge_all() -> int:
    """Daily: each org's expired export files and rows go."""
    return fan_out(jobs.PURGE_EXPORTS)
