"""Keeping the rates current: fetch the ECB's feeds and store what they say.

Run daily by a worker job. A failed download or a malformed feed is logged and changes
nothing: the last rates stay, and no user ever waits on the ECB.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Iterable

from sqlalchemy import text

from app.extensions import db
from app.services.fx.rate_data import Fix, parse_feed

log = logging.getLogger("outlay.rates")
TIMEOUT = 15  # seconds
MAX_BYTES = 5 * 1024 * 1024

UPSERT = text(
    "INSERT INTO fx_rates (currency, day, per_eur, source) VALUES (:c, :d, :r, 'ecb') "
    "ON CONFLICT (currency, day) DO UPDATE SET per_eur = EXCLUDED.per_eur "
    "WHERE fx_rates.per_eur <> EXCLUDED.per_eur"
)


def store(fixes: Iterable[Fix]) -> int:
    """Insert new fixes and correct changed ones; returns how many rows changed. Idempotent."""
    changed = 0
    for day, code, per_eur in fixes:
        changed += db.session.execute(UPSERT, {"c": code, "d": day, "r": per_eur}).rowcount
    db.session.commit()
    return changed


def fetch(url: str) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"not an http(s) URL: {url!r}")
    request = urllib.request.Request(url, headers={"User-Agent": "Outlay rates"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
        return response.read(MAX_BYTES)


def refresh(urls: Iterable[str]) -> int:
    """Fetch each feed and store its fixes; a feed that fails is logged and skipped."""
    changed = 0
    for url in urls:
        try:
            fixes = parse_feed(fetch(url))
        except (OSError, ValueError) as exc:
            log.warning("ECB rates not refreshed from %s: %s; keeping the last rates", url, exc)
            continue
        changed += store(fixes)
        log.info("ECB rates from %s: %d fixes, %d changed", url, len(fixes), changed)
    return changed
