"""The purge of orgs whose deletion grace period is over: a thin job around the service."""

from __future__ import annotations

import logging

from app.services.orgs import org_lifecycle
from workers.context import system_job

log = logging.getLogger(__name__)


@system_job
def purge_deleted_orgs() -> list[int]:
    removed = org_lifecycle.purge_due()
    if removed:
        log.info("purged organisations %s after their grace period", removed)
    return removed
