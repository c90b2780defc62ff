"""Receipt jobs: read a new receipt with Tesseract and store what it proposes."""

from __future__ import annotations

from app import jobs
from app.seat import Seat
from app.services.receipts import ocr
from workers.context import tenant_job


@jobs.register(jobs.READ_RECEIPT)
@tenant_job
def read_receipt(seat: Seat, receipt_id: int) -> str:
    return ocr.read(seat, int(receipt_id))
