"""Export jobs: write an asked-for export's file and mail its link; clear expired files."""

from __future__ import annotations

from app import jobs
from app.services.exports import export_jobs, export_runner
from workers.context import fan_out_job, org_job

run_export = org_job(jobs.RUN_EXPORT, export_runner.run)  # queued with the export's id
purge_exports = org_job(jobs.PURGE_EXPORTS, export_jobs.purge_expired)
purge_all = fan_out_job(jobs.PURGE_EXPORTS)  # daily: each org's expired export files and rows go
