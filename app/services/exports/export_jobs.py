"""Exports that run as a job: asked for, listed, downloaded while the link lasts.

A link works only for the person who asked (so a member's own-items export stays theirs),
while they still hold the permission its kind needs (`PERMISSION_OF_KIND`: an org archive
needs MANAGE_ORG, so an owner demoted since cannot fetch the whole org) and the file is no
wider than what they may read now (`own_items_only`, recorded by the job), until `expires_at`
(OUTLAY_EXPORT_LINK_DAYS, default 7). Anything else is a 404, as for any object of another org.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import current_app

from app import clock, jobs
from app.errors import NotFound
from app.extensions import db
from app.models import Export
from app.seat import Seat
from app.services.exports import files
from tenants.permissions import Perm

RECENT = timedelta(days=30)
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "zip": "application/zip",
}
# What each kind of export needs of the person who asked, when it runs and when it is fetched.
PERMISSION_OF_KIND: dict[str, Perm] = {
    "transactions": Perm.EXPORT,
    "report": Perm.EXPORT,
    "archive": Perm.MANAGE_ORG,
}


def may_have(seat: Seat, kind: str) -> bool:
    """May this seat run or fetch an export of `kind` (an unknown kind: no one)."""
    perm = PERMISSION_OF_KIND.get(kind)
    return perm is not None and seat.can(perm)


def create(seat: Seat, kind: str, fmt: str, query: str = "", file_name: str = "") -> Export:
    """Record the ask and queue its job after the commit; the one commit of the use case."""
    if seat.user_id is None:
        raise NotFound("An export belongs to a person.")
    days = int(current_app.config["OUTLAY_EXPORT_LINK_DAYS"])
    export = Export(
        org_id=seat.org_id,
        user_id=seat.user_id,
        kind=kind,
        format=fmt,
        query=query[:2000],
        file_name=file_name[:200],
        status="queued",
        expires_at=clock.now() + timedelta(days=days),
    )
    db.session.add(export)
    db.session.flush()
    jobs.enqueue_after_commit(jobs.RUN_EXPORT, seat.org_id, export.id)
    db.session.commit()
    return export


def mine(seat: Seat) -> list[Export]:
    """The person's exports of the last 30 days that they may still open, newest first."""
    recent = db.session.scalars(
        db.select(Export)
        .where(
            Export.org_id == seat.org_id,
            Export.user_id == seat.user_id,
            Export.created_at >= clock.now() - RECENT,
        )
        .order_by(Export.id.desc())
    )
    return [export for export in recent if _opens_for(seat, export)]


def get(seat: Seat, export_id: int) -> Export:
    """One of the person's own exports (any status) that they may still open, else 404."""
    export = db.session.get(Export, (seat.org_id, export_id))
    if export is None or not _opens_for(seat, export):
        raise NotFound("No such export.")
    return export


def _opens_for(seat: Seat, export: Export) -> bool:
    """The asker's, of a kind their role still allows, and no wider than what they may read
    now (a file written while they read everyone's items stays shut once they read only their
    own)."""
    if export.user_id != seat.user_id or not may_have(seat, export.kind):
        return False
    return not (export.ready and seat.own_items_only and not export.own_items_only)


def download(seat: Seat, export_id: int) -> tuple[Export, Path]:
    """The file of a finished export whose link still works, else 404."""
    export = get(seat, export_id)
    path = files.path_of(export.stored_as) if export.ready else None
    if path is None or export.expires_at <= clock.now():
        raise NotFound("This download link has expired or does not exist.")
    return export, path


def purge_expired(seat: Seat) -> int:
    """Delete the files and rows of an org's expired exports (a system job, no person)."""
    org_id = seat.org_id
    gone = list(
        db.session.scalars(
            db.select(Export).where(Export.org_id == org_id, Export.expires_at <= clock.now())
        )
    )
    for export in gone:
        files.remove(export.stored_as)
        db.session.delete(export)
    db.session.commit()
    return len(gone)
