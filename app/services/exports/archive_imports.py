"""Import an org archive into a new org: an owner uploads the zip, a job restores it.

`start` checks what can be checked at once (a zip by its first bytes, the size while it is
read, a manifest of a version this Outlay reads, an org with nothing of its own yet), stores
the upload and queues the job; `run` (the job) checks every checksum, then restores every
table in one transaction (`archive_import.restore`), writing its progress to the row from a
second session as it goes. A refused archive changes nothing: the transaction rolls back and
the receipt files already copied are removed. The upload is deleted when the job ends.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from flask import current_app
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from app import clock, jobs, storage
from app.errors import DomainError, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models import ArchiveImport, Membership, Organisation
from app.seat import Seat
from app.services.exports import archive_check, archive_import
from app.services.platform import audit
from tenants.context import set_tenant
from tenants.permissions import Perm

log = logging.getLogger("outlay.exports")
CHUNK = 1024 * 1024
LOCK = 0x0A2C  # the advisory lock's first key: archive imports (the second is the org)


def _chunks(head: bytes, stream: IO[bytes]) -> Iterator[bytes]:
    yield head
    while chunk := stream.read(CHUNK):
        yield chunk


def start(
    seat: Seat, stream: IO[bytes] | None, filename: Any, *, queue: bool = True
) -> ArchiveImport:
    """Store the uploaded archive and queue its import (the CLI runs it itself); one commit."""
    if stream is None:
        raise Invalid({"file": "Choose the archive's zip file (made by Archive the organisation)."})
    head = stream.read(262)
    if not archive_check.is_zip(head):
        raise Invalid({"file": "This is not a zip file: choose the archive Outlay made."})
    archive_import.ensure_new(seat)
    store, key = storage.storage(), storage.new_key(f"imports/{seat.org_id}")
    size = store.put(
        key, _chunks(head, stream), int(current_app.config["OUTLAY_ARCHIVE_MAX_BYTES"])
    )
    try:
        with store.open(key) as stored:
            archive_check.manifest_of(zipfile.ZipFile(stored))
    except (DomainError, zipfile.BadZipFile, OSError, EOFError) as error:
        store.delete(key)
        if isinstance(error, DomainError):
            raise
        raise Invalid({"file": "The zip file is damaged."}) from None
    row = ArchiveImport(
        org_id=seat.org_id,
        user_id=seat.user_id,
        file_name=str(filename or "archive.zip")[:200],
        stored_as=key,
        size=size,
        status="queued",
    )
    db.session.add(row)
    db.session.flush()
    if queue:
        jobs.enqueue_after_commit(jobs.RUN_ARCHIVE_IMPORT, seat.org_id, row.id)
    db.session.commit()
    return row


def get(seat: Seat, import_id: int) -> ArchiveImport:
    """One of the person's own imports, else 404."""
    row = db.session.get(ArchiveImport, (seat.org_id, import_id))
    if row is None or row.user_id != seat.user_id:
        raise NotFound("No such import.")
    return row


def _progress(seat: Seat, import_id: int) -> archive_import.Progress:
    """A writer of the row's progress in its own short transactions, so the page sees it while
    the restore's transaction is still open (the restore never touches this row)."""

    def write(percent: int, step: str, **values: Any) -> None:
        with Session(db.engine) as side:
            set_tenant(side, seat.org_id, seat.user_id)
            side.execute(
                update(ArchiveImport)
                .where(ArchiveImport.org_id == seat.org_id, ArchiveImport.id == import_id)
                .values(progress=percent, step=step[:100], **values)
            )
            side.commit()

    return write


def run(seat: Seat, import_id: int) -> str:
    """The job: check, restore, record; a retry of a finished import does nothing. One import
    per org at a time (a transaction-long advisory lock), so a second waits, then finds the
    first done or the org no longer new."""
    db.session.execute(text("SELECT pg_advisory_xact_lock(:k, :o)"), {"k": LOCK, "o": seat.org_id})
    row = db.session.get(ArchiveImport, (seat.org_id, import_id))
    if row is None or row.status in ("done", "failed"):
        db.session.rollback()
        return "gone" if row is None else row.status
    key, user_id = row.stored_as, row.user_id
    # The uploader acts: the org's settings change only by an owner (its RLS update policy).
    set_tenant(db.session, seat.org_id, user_id)
    org = db.session.get_one(Organisation, seat.org_id)
    role = db.session.scalar(
        db.select(Membership.role).where(Membership.org_id == org.id, Membership.user_id == user_id)
    )
    seat = Seat.of(org, user_id, role or "viewer")
    progress, written = _progress(seat, import_id), []
    progress(1, "Checking the archive", status="running")
    store = storage.storage()
    try:
        if not seat.can(Perm.MANAGE_ORG):
            raise Forbidden("Only an owner of the organisation may import an archive.")
        with store.open(key) as stored:
            archive = zipfile.ZipFile(stored)
            found = archive_check.check(
                archive, int(current_app.config["OUTLAY_ARCHIVE_MAX_EXPANDED"])
            )
            counts = archive_import.restore(seat, archive, found, progress, written)
            row = db.session.get_one(ArchiveImport, (seat.org_id, import_id))
            row.status, row.progress, row.step = "done", 100, "Done"
            row.counts, row.finished_at, row.stored_as = counts, clock.now(), ""
            audit.record(seat.org_id, user_id, "org.archive_imported", row, after=counts)
            db.session.commit()
    except Exception as error:
        db.session.rollback()
        for copied in written:
            store.delete(copied)
        reason = error.detail if isinstance(error, DomainError) else (
            "The import failed unexpectedly; nothing was changed. Try again."
        )  # fmt: skip
        progress(0, "Refused", status="failed", error=reason[:1000], finished_at=clock.now(),
                 stored_as="")  # fmt: skip
        store.delete(key)
        if not isinstance(error, DomainError):
            raise
        return "failed"
    store.delete(key)
    return "done"
