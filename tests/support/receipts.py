"""Receipt files for tests: real images made with Pillow, attached through the service."""

from __future__ import annotations

import io
from typing import Any

from flask import Flask
from PIL import Image

GPS_TAG = 0x8825  # the EXIF GPSInfo pointer


def png(width: int = 40, height: int = 30, colour: str = "white") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def photo_with_gps(form: str = "JPEG") -> bytes:
    """A phone-like photo (JPEG, or HEIF as an iPhone takes it) whose EXIF carries a GPS
    position."""
    image = Image.new("RGB", (120, 80), "#d0d0d0")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_TAG] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    out = io.BytesIO()
    image.save(out, form, exif=exif.tobytes())
    return out.getvalue()


def attach_png(app: Flask, make: Any, org: Any, user: Any, txn_id: int | None = None) -> int:
    from app.extensions import db
    from app.models import Membership, Organisation
    from app.seat import Seat
    from app.services.receipts import receipts
    from tenants.context import tenant_context

    txn_id = txn_id or make.transaction(org, user)
    with app.test_request_context(), tenant_context(org.id, user.id):
        role = db.session.scalar(
            db.select(Membership.role).where(
                Membership.org_id == org.id, Membership.user_id == user.id
            )
        )
        seat = Seat.of(db.session.get(Organisation, org.id), user.id, role or "owner")
        return receipts.attach(seat, txn_id, io.BytesIO(png()), "scan.png").id
