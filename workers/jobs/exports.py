"""Export jobs: write an asked-for export's file and mail its link; clear expired files;
restore an uploaded org archive."""

from __future__ import annotations

from app import jobs
from app.seat import Seat
from app.services.exports import archive_imports, export_jobs, export_runner
from workers.context import fan_out, system_job, tenant_job


@jobs.register(jobs.RUN_EXPORT)
@tenant_job
def run_export(seat: Seat, export_id: int) -> str:
    return export_runner.run(seat, int(export_id))


@jobs.register(jobs.RUN_ARCHIVE_IMPORT)
@tenant_job
def run_archive_import(seat: Seat, import_id: int) -> str:
    return archive_imports.run(seat, int(import_id))


@jobs.register(jobs.PURGE_EXPORTS)
@tenant_job
def purge_exports(seat: Seat) -> int:
    return export_jobs.purge_expired(seat)


@system_job
def purge_all() -> int:
    """Daily: each org's expired export files and rows go."""
    return fan_out(jobs.PURGE_EXPORTS)
