"""/api/v1/orgs/<slug>/transactions/export and the export jobs it may start.

Small exports come back at once (CSV streamed); a large one answers 202 with the job to poll
(`GET .../exports/<id>`), whose `download_url` appears when the file is ready.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, request, stream_with_context, url_for

from app.api.auth import api_requires
from app.models import Export
from app.seat import Seat
from app.services.exports import archive, export_jobs
from app.services.exports import transactions_export as service
from app.web.exports import attachment, send_export, served_file
from tenants.permissions import Perm

bp = Blueprint("api_exports", __name__, url_prefix="/api/v1/orgs/<slug>")


def seat() -> Seat:
    return g.seat


def export_json(export: Export) -> dict[str, Any]:
    done = export.ready
    return {
        "id": export.id,
        "kind": export.kind,
        "format": export.format,
        "status": export.status,
        "rows": export.row_count,
        "file_name": export.file_name,
        "size": export.size,
        "sha256": export.sha256 or None,
        "error": export.error or None,
        "created_at": export.created_at.isoformat() if export.created_at else None,
        "expires_at": export.expires_at.isoformat(),
        "download_url": url_for(".file", slug=g.seat.org_slug, export_id=export.id)
        if done
        else None,
    }


def accepted(export: Export) -> tuple[dict[str, Any], int, dict[str, str]]:
    location = url_for("api_exports.show", slug=g.seat.org_slug, export_id=export.id)
    return export_json(export), 202, {"Location": location}


@bp.get("/transactions/export")
@api_requires(Perm.EXPORT)
def transactions() -> Any:
    acting = seat()
    ask = service.ask(acting, request.args)
    if service.runs_as_job(ask, service.summary(acting, ask)):
        return accepted(service.queue(acting, ask))
    name, mimetype = service.file_name(acting, ask), export_jobs.MIMETYPES[ask.fmt]
    if ask.fmt == "csv":
        return attachment(stream_with_context(service.csv_chunks(acting, ask)), mimetype, name)
    return served_file(lambda out: service.write(acting, ask, out, g.seat.org_name), mimetype, name)


def _status(export_id: int) -> dict[str, Any]:
    return export_json(export_jobs.get(seat(), export_id))


bp.add_url_rule("/exports/<int:export_id>", "show", api_requires(Perm.EXPORT)(_status))


@bp.post("/archive")
@api_requires(Perm.MANAGE_ORG)
def archive_org() -> tuple[dict[str, Any], int, dict[str, str]]:
    return accepted(archive.ask(seat()))


# The same status under the archive's own URL, for whoever may ask for an archive.
bp.add_url_rule(
    "/archive/<int:export_id>", "archive_status", api_requires(Perm.MANAGE_ORG)(_status)
)


@bp.get("/exports/<int:export_id>/file")
@api_requires(Perm.EXPORT)
def file(export_id: int) -> Response:
    return send_export(seat(), export_id)
