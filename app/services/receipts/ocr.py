"""Read a stored receipt with Tesseract and keep what it proposes on the receipt.

Runs on the worker (`workers/jobs/receipts.py`), never in a request: Tesseract takes about a
second a page. A PDF's first page is rendered to an image first by poppler's `pdftoppm`
(Debian's poppler-utils, installed with tesseract-ocr by `make browser`). The image is made
grey and scaled so text is about the height Tesseract reads best; the rules that turn its text
into a date, total, currency and merchant are `reading.py`. Status: `pending` (queued),
`read` (proposals stored, some may be empty), `failed` (the file could not be read).
"""

from __future__ import annotations

import io
import logging
import subprocess
import tempfile
from pathlib import Path

import pytesseract
from PIL import Image, ImageOps

from app import storage
from app.extensions import db
from app.models import Receipt
from app.seat import Seat
from app.services.receipts.reading import propose

log = logging.getLogger("outlay.receipts")

READABLE = {"image/jpeg", "image/png", "image/webp", "application/pdf"}
PENDING, READ, FAILED = "pending", "read", "failed"
TARGET_WIDTH = 1000  # a receipt's width in pixels at which Tesseract reads its lines best
TIMEOUT = 60  # seconds for one page; a stuck Tesseract fails the receipt, not the worker
PDF_DPI = 200
UNREADABLE = "The receipt could not be read."


def readable(content_type: str) -> bool:
    return content_type in READABLE


def _pdf_page(data: bytes) -> Image.Image:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "receipt.pdf"
        source.write_bytes(data)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(PDF_DPI),
                "-f",
                "1",
                "-l",
                "1",
                "-png",
                "-singlefile",
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT,
        )
        with Image.open(Path(folder) / "page.png") as page:
            return page.copy()


def prepared(image: Image.Image) -> Image.Image:
    """Grey, upright and about TARGET_WIDTH wide: small photos are scaled up, huge ones down."""
    grey = ImageOps.exif_transpose(image).convert("L")
    scale = TARGET_WIDTH / grey.width
    if scale > 1.3 or scale < 0.7:
        grey = grey.resize((TARGET_WIDTH, max(1, round(grey.height * scale))), Image.LANCZOS)
    return ImageOps.autocontrast(grey)


def text_of(data: bytes, content_type: str) -> str:
    pdf = content_type == "application/pdf"
    image = _pdf_page(data) if pdf else Image.open(io.BytesIO(data))
    # --psm 6: one block of text, so a label and its amount far to the right stay one line.
    return pytesseract.image_to_string(prepared(image), config="--psm 6", timeout=TIMEOUT)


def read(seat: Seat, receipt_id: int) -> str:
    """Read one receipt and store the proposals; returns the new status (a receipt removed
    meanwhile is 'gone'). One commit."""
    receipt = db.session.get(Receipt, (seat.org_id, receipt_id))
    if receipt is None:
        return "gone"
    if not readable(receipt.content_type):
        receipt.reading_status, receipt.reading = FAILED, {"error": "This file type is not read."}
    else:
        try:
            with storage.storage().open(receipt.storage_key) as found:
                text = text_of(found.read(), receipt.content_type)
            receipt.reading_status, receipt.reading = READ, propose(text).as_json()
        except (OSError, RuntimeError, subprocess.SubprocessError, pytesseract.TesseractError) as e:
            # A damaged file or no tesseract binary: the receipt says so, the worker goes on.
            log.warning("receipt %s of org %s not read: %s", receipt_id, seat.org_id, e)
            receipt.reading_status, receipt.reading = FAILED, {"error": UNREADABLE}
    db.session.commit()
    return receipt.reading_status
