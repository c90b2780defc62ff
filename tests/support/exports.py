"""Arranging exports for tests: a finished export of a person's, made as the app makes one."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from flask import Flask


def finished_export(app: Flask, org: Any, user: Any, role: str = "owner", query: str = "") -> int:
    """An export of `user`'s in `org`, asked for and written (in process, no worker); its id."""
    from app.extensions import db
    from app.models import Organisation
    from app.seat import Seat
    from app.services.exports import export_runner
    from app.services.exports import transactions_export as service
    from tenants.context import tenant_context

    with app.test_request_context(), tenant_context(org.id, user.id):
        seat = Seat.of(db.session.get(Organisation, org.id), user.id, role)
        ask = service.ask(seat, {"format": "csv", **dict(parse_qsl(query))})
        export_id = service.queue(seat, ask).id
    with app.app_context(), tenant_context(org.id):
        assert export_runner.run(seat, export_id) == "done"
    return export_id


def archive_import_row(app: Flask, org: Any, user: Any) -> int:
    """A finished import of an archive into `org`, by `user` (the row alone, no file); its id."""
    from app import clock
    from app.extensions import db
    from app.models import ArchiveImport
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id, user.id):
        row = ArchiveImport(
            org_id=org.id, user_id=user.id, file_name="a.zip", size=1, status="done",
            progress=100, counts={"transactions": 0}, finished_at=clock.now(),
        )  # fmt: skip
        db.session.add(row)
        db.session.commit()
        return row.id
