"""Configuration for RQ's own cron scheduler: `rq cron --url $REDIS_URL workers.cron`.

Queue names carry OUTLAY_QUEUE_PREFIX, as the app's do, so a scheduler feeds its own workers.
"""

from __future__ import annotations

import importlib
import os

from rq import cron

from workers.periodic import PERIODIC

PREFIX = os.environ.get("OUTLAY_QUEUE_PREFIX", "")

for path, queue_name, seconds in PERIODIC:
    module, _, attr = path.rpartition(".")
    cron.register(
        getattr(importlib.import_module(module), attr), PREFIX + queue_name, interval=seconds
    )
