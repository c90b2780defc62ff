"""The daily ECB rates refresh: a thin job around app.services.fx.rate_refresh."""

from __future__ import annotations

from flask import current_app

from app.services.fx import rate_refresh
from workers.context import system_job


@system_job
def refresh_rates() -> int:
    return rate_refresh.refresh(current_app.config["OUTLAY_ECB_URLS"])
