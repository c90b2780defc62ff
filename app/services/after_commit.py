"""Run something once the current database transaction has committed (and never if not).

Jobs are enqueued through this: a worker must never pick up a job about a row that is not
committed yet (or never will be). `on_commit(fn)` keeps `fn` on the session; the session's
`after_commit` event runs the callbacks, a rollback drops them. A failing callback is logged
and skipped: the user's change is already saved and must not be reported as failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger("outlay.after_commit")
_KEY = "outlay_after_commit"


def on_commit(callback: Callable[[], object]) -> None:
    """Call `callback()` after the current transaction of `db.session` commits."""
    install()
    db.session().info.setdefault(_KEY, []).append(callback)


def _run(session: Session) -> None:
    callbacks = session.info.pop(_KEY, [])
    for callback in callbacks:
        try:
            callback()
        except Exception:  # never fail a saved change for its follow-up
            log.exception("after-commit callback %r failed", callback)


def _drop(session: Session, _previous: object = None) -> None:
    session.info.pop(_KEY, None)


def install() -> None:
    """Register the session hooks (idempotent)."""
    if not event.contains(Session, "after_commit", _run):
        event.listen(Session, "after_commit", _run)
        event.listen(Session, "after_rollback", _drop)
