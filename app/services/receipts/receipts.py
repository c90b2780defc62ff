"""Attach, read and remove a transaction's receipts (docs/approvals.md).

The type is decided by the file's first bytes (`filetype`), never by its name or the browser's
Content-Type. The size limit is enforced while the upload is read: the stream is copied in
chunks and reading stops at the first byte past the limit. JPEG, PNG and WebP photos are
re-encoded without their metadata (a phone photo carries its GPS position) and get a
thumbnail; HEIC/HEIF photos (an iPhone's camera) are decoded with pillow-heif and stored as
JPEG the same way, so they are read and shown like any photo; PDFs are kept as sent. A
receipt is seen by whoever may see its transaction: a member only their own.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, Any

import filetype
from flask import current_app
from PIL import Image, ImageOps
from pillow_heif import register_heif_opener

from app import jobs, storage
from app.errors import Invalid, NotFound
from app.extensions import db
from app.models import Receipt, Transaction
from app.seat import Seat
from app.services.platform import audit
from app.services.receipts import ocr

ACCEPTED = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heif",
    "application/pdf": "pdf",
}
# What each photo is stored as: its own format, or JPEG for HEIC/HEIF (which browsers show
# poorly and Tesseract does not read).
REENCODED = {
    "image/jpeg": "image/jpeg",
    "image/png": "image/png",
    "image/webp": "image/webp",
    "image/heic": "image/jpeg",
    "image/heif": "image/jpeg",
}
PIL_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
HEAD = 262  # what filetype reads to decide
CHUNK = 64 * 1024
THUMB = (256, 256)
MAX_PIXELS = 50_000_000  # a decompression bomb is refused, not decoded
MAX_PER_TRANSACTION = 10

register_heif_opener()  # Pillow opens HEIC/HEIF from here on


def _transaction(seat: Seat, txn_id: int) -> Transaction:
    txn = db.session.get(Transaction, (seat.org_id, txn_id))
    if txn is None or (seat.owner_filter is not None and txn.created_by != seat.owner_filter):
        raise NotFound("No such transaction.")
    if txn.status == "trashed":  # kept with it in the trash, reached again once restored
        raise NotFound("No such transaction.")
    return txn


def of_transaction(seat: Seat, txn_id: int) -> list[Receipt]:
    _transaction(seat, txn_id)
    return list(
        db.session.scalars(
            db.select(Receipt)
            .where(Receipt.org_id == seat.org_id, Receipt.transaction_id == txn_id)
            .order_by(Receipt.id)
        )
    )


def get(seat: Seat, receipt_id: int) -> Receipt:
    receipt = db.session.get(Receipt, (seat.org_id, receipt_id))
    if receipt is None:
        raise NotFound("No such receipt.")
    _transaction(seat, receipt.transaction_id)  # a member: only their own transaction's
    return receipt


def _chunks(head: bytes, stream: IO[bytes]) -> Iterator[bytes]:
    yield head
    while chunk := stream.read(CHUNK):
        yield chunk


def _clean_image(data: bytes, stored_as: str) -> tuple[bytes, bytes]:
    """The photo re-encoded as `stored_as` without metadata (turned upright first), and its
    thumbnail."""
    kind = PIL_FORMAT[stored_as]
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise Invalid({"file": "This image has too many pixels."})
            upright = ImageOps.exif_transpose(image)
            if kind == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            clean = io.BytesIO()
            upright.save(clean, kind, **({"quality": 90} if kind != "PNG" else {}))
            thumb = upright.copy()
            thumb.thumbnail(THUMB)
            if thumb.mode not in ("RGB", "L"):
                thumb = thumb.convert("RGB")
            small = io.BytesIO()
            thumb.save(small, "JPEG", quality=80)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid({"file": "This image could not be read; it may be damaged."}) from None
    return clean.getvalue(), small.getvalue()


def attach(seat: Seat, txn_id: int, stream: IO[bytes] | None, filename: Any) -> Receipt:
    """Store one uploaded file on a transaction this Seat may change; one commit."""
    txn = _transaction(seat, txn_id)
    if stream is None:
        raise Invalid({"file": "Choose a file: a photo (JPEG, PNG, WebP, HEIC) or a PDF."})
    count = db.session.scalar(
        db.select(db.func.count())
        .select_from(Receipt)
        .where(Receipt.org_id == seat.org_id, Receipt.transaction_id == txn.id)
    )
    if count >= MAX_PER_TRANSACTION:
        raise Invalid({"file": f"A transaction keeps at most {MAX_PER_TRANSACTION} receipts."})
    head = stream.read(HEAD)
    kind = filetype.guess_mime(head) if head else None
    if kind not in ACCEPTED:
        raise Invalid({"file": "Only photos (JPEG, PNG, WebP, HEIC/HEIF) and PDFs are accepted."})
    limit = int(current_app.config["OUTLAY_RECEIPT_MAX_BYTES"])
    store = storage.storage()
    key = storage.new_key(f"receipts/{seat.org_id}")
    size = store.put(key, _chunks(head, stream), limit)
    thumbnail = None
    if kind in REENCODED:
        kind = REENCODED[kind]
        with store.open(key) as original:
            clean, small = _clean_image(original.read(), kind)
        size = store.put(key, [clean], max(limit, len(clean)))
        thumbnail = storage.new_key(f"receipts/{seat.org_id}")
        store.put(thumbnail, [small], len(small))
    name = str(filename or "")[:150].replace("/", "_").replace("\\", "_").strip() or "receipt"
    receipt = Receipt(
        org_id=seat.org_id,
        transaction_id=txn.id,
        filename=f"{name.rsplit('.', 1)[0]}.{ACCEPTED[kind]}",
        content_type=kind,
        size=size,
        storage_key=key,
        thumbnail_key=thumbnail,
        uploaded_by=seat.user_id,
    )
    # Read on the worker once committed; without a queue (no Redis configured) it stays unread.
    queued = ocr.readable(kind) and bool(current_app.config.get("REDIS_URL"))
    receipt.reading_status = ocr.PENDING if queued else "none"
    db.session.add(receipt)
    db.session.flush()
    if queued:
        jobs.enqueue_after_commit(jobs.READ_RECEIPT, seat.org_id, receipt.id)
    audit.record(
        seat.org_id,
        seat.user_id,
        "transaction.receipt_attached",
        txn,
        after={"receipt_id": receipt.id, "content_type": kind, "size": size},
    )
    db.session.commit()
    return receipt


def remove(seat: Seat, receipt_id: int) -> None:
    receipt = get(seat, receipt_id)
    keys = [receipt.storage_key, receipt.thumbnail_key]
    txn = db.session.get(Transaction, (seat.org_id, receipt.transaction_id))
    audit.record(
        seat.org_id,
        seat.user_id,
        "transaction.receipt_removed",
        txn,
        before={"receipt_id": receipt.id, "filename": receipt.filename},
    )
    db.session.delete(receipt)
    db.session.commit()
    store = storage.storage()
    for key in keys:  # after the commit: a rollback never loses a file a row still names
        if key:
            store.delete(key)


def content(receipt: Receipt, thumbnail: bool = False) -> bytes:
    key = receipt.thumbnail_key if thumbnail else receipt.storage_key
    if key is None:
        raise NotFound("This receipt has no thumbnail.")
    with storage.storage().open(key) as found:
        return found.read()
