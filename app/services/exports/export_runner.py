"""The export job's body: write the file an `exports` row asks for, then mail its link.

Run by `workers/jobs/exports.py` under the row's org (RLS). It acts as the person who asked,
with the role they hold now: a member removed since, or one whose role no longer allows the
kind (`export_jobs.PERMISSION_OF_KIND`: an owner demoted before their archive ran), gets
nothing. A retried job starts the file again; a finished or failed export is left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import IO

from app import clock, emails, links
from app.errors import DomainError
from app.extensions import db
from app.models import Export, Membership, Organisation, User
from app.seat import Seat
from app.services.exports import archive, export_jobs, files, transactions_export
from app.services.platform import mailer

log = logging.getLogger("outlay.exports")
# kind -> (seat, export, out, org name) -> rows written
Builder = Callable[[Seat, Export, IO[bytes], str], int]


def _transactions(seat: Seat, export: Export, out: IO[bytes], org_name: str) -> int:
    return transactions_export.write(seat, transactions_export.ask_of(seat, export), out, org_name)


BUILDERS: dict[str, Builder] = {"transactions": _transactions, "archive": archive.write}


def _seat(org: Organisation, export: Export) -> Seat | None:
    role = db.session.scalar(
        db.select(Membership.role).where(
            Membership.org_id == org.id, Membership.user_id == export.user_id
        )
    )
    return None if role is None else Seat.of(org, export.user_id, role)


def _fail(export: Export, reason: str) -> str:
    export.status, export.error, export.finished_at = "failed", reason[:500], clock.now()
    db.session.commit()
    return "failed"


def run(seat: Seat, export_id: int) -> str:
    org_id = seat.org_id
    export = db.session.get(Export, (org_id, export_id))
    if export is None or export.status in ("done", "failed"):
        db.session.rollback()
        return "gone" if export is None else export.status
    org = db.session.get(Organisation, org_id)
    seat = _seat(org, export) if org is not None else None
    if seat is None:
        return _fail(export, "The person who asked is no longer a member.")
    if not export_jobs.may_have(seat, export.kind):
        return _fail(export, "The role of the person who asked no longer allows this export.")
    builder = BUILDERS.get(export.kind)
    if builder is None:
        return _fail(export, f"Unknown export kind {export.kind!r}.")
    export.status = "running"
    export.own_items_only = seat.own_items_only  # the scope the file is written with
    db.session.commit()
    files.remove(export.stored_as)  # a retry: the half-written file of the last attempt
    stored_as, path = files.new_file(org_id, export.format)
    export.stored_as = stored_as
    try:
        with path.open("wb") as out:
            rows = builder(seat, export, out, org.name)
    except DomainError as error:  # bad parameters will not get better on a retry
        db.session.rollback()
        path.unlink(missing_ok=True)
        export = db.session.get(Export, (org_id, export_id))
        return _fail(export, error.detail)
    except Exception:
        db.session.rollback()
        path.unlink(missing_ok=True)
        raise
    export.size, export.sha256 = files.digest(path)
    export.row_count, export.status, export.finished_at = rows, "done", clock.now()
    db.session.commit()
    _mail(org, export)
    return "done"


def _mail(org: Organisation, export: Export) -> None:
    user = db.session.get(User, export.user_id)
    if user is None:
        return
    message = emails.compose(
        user.email,
        f"Your {org.name} export is ready",
        "export_ready",
        html=False,
        org=org,
        export=export,
        link=links.external_url("exports.download", slug=org.slug, export_id=export.id),
        expires=clock.local(export.expires_at, org.time_zone),
    )
    db.session.rollback()  # read only: end the transaction before talking to the mail server
    try:
        mailer.send_message(message)
    except Exception as error:  # the file is ready in the app; a mail hiccup must not redo it
        log.warning("export %s of org %s: mail failed (%s)", export.id, org.id, error)
