"""Recurring rules for tests, and a real RQ worker run in-process (burst) or as processes."""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from redis import Redis

from app.seat import Seat
from tests.support.factories import seat_of
from workers.context import tenant_job


def make_rule(app: Flask, org: Any, user: Any, **fields: Any) -> int:
    """A recurring rule of `org`, created by `user` through the service; returns its id."""
    from app.extensions import db
    from app.models import Category
    from app.services.recurring import recurring
    from tenants.context import tenant_context

    fields.setdefault("kind", "expense")
    fields.setdefault("amount", "100.00")
    fields.setdefault("frequency", "monthly")
    fields.setdefault("description", "Rent")
    fields.setdefault("start_date", datetime.now(UTC).date().isoformat())
    with app.app_context(), tenant_context(org.id, user.id):
        if "category_id" not in fields:
            fields["category_id"] = db.session.scalar(
                db.select(Category.id)
                .where(Category.org_id == org.id, Category.kind == fields["kind"])
                .order_by(Category.id)
                .limit(1)
            )
        return recurring.create(seat_of(org, user), fields).id


def queue_names(app: Flask) -> list[str]:
    from workers.queues import QUEUES

    prefix = app.config["OUTLAY_QUEUE_PREFIX"]
    return [prefix + name for name in QUEUES]


def run_worker(app: Flask) -> None:
    """A real OutlayWorker on real Redis until the queues are empty (forks a horse per job)."""
    from workers import runtime
    from workers.worker import OutlayWorker

    runtime.use_app(app)
    redis = Redis.from_url(app.config["REDIS_URL"])
    OutlayWorker(queue_names(app), connection=redis).work(burst=True)


def enqueue(app: Flask, func: str, *args: Any, **options: Any) -> Any:
    """Put a job on this run's default queue, as the app would."""
    from rq import Queue

    from workers.queues import DEFAULT, RETRY

    options.setdefault("retry", RETRY)
    redis = Redis.from_url(app.config["REDIS_URL"])
    queue = Queue(app.config["OUTLAY_QUEUE_PREFIX"] + DEFAULT, connection=redis)
    return queue.enqueue(func, *args, **options)


def posted(app: Flask, org: Any, rule_id: int) -> list[tuple[str, str]]:
    """(occurrence_date, date) of every transaction the rule posted, in order."""
    from app.extensions import db
    from app.models import Transaction
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id):
        rows = db.session.execute(
            db.select(Transaction.occurrence_date, Transaction.date)
            .where(Transaction.org_id == org.id, Transaction.recurring_rule_id == rule_id)
            .order_by(Transaction.occurrence_date, Transaction.id)
        ).all()
        return [(o.isoformat(), d.isoformat()) for o, d in rows]


@tenant_job
def post_some_then_die(seat: Seat, rule_id: int, how_many: int, marker: str) -> int:
    """First attempt: post `how_many` occurrences (each committed), then the work horse is
    SIGKILLed, as by the OOM killer. Later attempts: the real job's work."""
    from app.services.recurring import materialise

    today = datetime.now(UTC).date()
    if not Path(marker).exists():
        for _ in range(how_many):
            materialise.post_next(seat, rule_id, today)
        Path(marker).write_text("killed")
        os.kill(os.getpid(), signal.SIGKILL)
    return materialise.materialise(seat, today)


def make_reminder(app: Flask, org: Any, user: Any, **fields: Any) -> int:
    """A one-off bill reminder of `org`, set by `user`; returns its id."""
    from app.services.recurring import reminders
    from tenants.context import tenant_context

    fields.setdefault("title", "Insurance")
    fields.setdefault("due_date", datetime.now(UTC).date().isoformat())
    with app.app_context(), tenant_context(org.id, user.id):
        return reminders.create(seat_of(org, user), fields).id
