"""Export jobs: write an asked-for export's file and mail its link; clear expired files."""

from __future__ import annotations

from app import jobs
from app.services.exports import export_jobs, export_runner
from workers.context import fan_out, org_job, system_job

run_export = org_job(jobs.RUN_EXPORT, export_runner.run)  # queued with the export's id
purge_exports = org_job(jobs.PURGE_EXPORTS, export_jobs.purge_expired)


@system_job
def purge_all() -> int:
    """Daily: each org's expired export files and rows go."""
    return fan_out(jobs.PURGE_EXPORTS)
