"""Export pages: the filtered list as a file, exports prepared by a job, their downloads."""

from __future__ import annotations

import tempfile
from urllib.parse import parse_qsl

from flask import (
    Blueprint,
    Flask,
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_security import current_user

from app import clock
from app.errors import Invalid
from app.seat import Seat
from app.services.exports import archive, export_jobs
from app.services.exports import transactions_export as service
from app.web.forms import flash_invalid
from app.web.transaction_list import FILTER_LABELS
from tenants.permissions import Perm, requires

bp = Blueprint("exports", __name__)
LABELS = {
    **FILTER_LABELS,
    "format": "File format",
    "delimiter": "CSV cell separator",
    "decimal": "CSV decimal mark",
    "query": "Export",
}
SPOOL = 8 * 1024 * 1024  # XLSX and PDF go to disk past this


def attachment(body: object, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def served_file(write: object, mimetype: str, name: str) -> Response:
    """A file written by `write(out)` into a spooled temporary file, then sent."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115  (send_file closes it)
    write(out)  # type: ignore[operator]
    out.seek(0)
    return send_file(out, mimetype=mimetype, as_attachment=True, download_name=name)


@bp.get("/o/<slug>/transactions/export")
@requires(Perm.EXPORT)
def transactions() -> Response | tuple[str, int]:
    seat = g.seat
    try:
        ask = service.ask(seat, request.args, current_user.locale)
    except Invalid as error:
        flash_invalid(error, LABELS)
        usable = {k: v for k, v in request.args.items() if k not in error.errors}
        usable.pop("format", None)
        return redirect(url_for("transactions.index", slug=g.org.slug, **usable))  # type: ignore[return-value]
    size = service.summary(seat, ask)
    name = service.file_name(seat, ask)
    if service.runs_as_job(ask, size):
        return render_template("exports/confirm.html", ask=ask, size=size), 200
    mimetype = export_jobs.MIMETYPES[ask.fmt]
    if ask.fmt == "csv":
        return attachment(stream_with_context(service.csv_chunks(seat, ask)), mimetype, name)
    return served_file(lambda out: service.write(seat, ask, out, g.org.name), mimetype, name)


@bp.get("/o/<slug>/exports")
@requires(Perm.EXPORT)
def index() -> str:
    seat = g.seat
    return render_template(
        "exports/index.html",
        exports=export_jobs.mine(seat),
        can_archive=seat.can(Perm.MANAGE_ORG),
        now=clock.now(),
        local=lambda at: clock.local(at, seat.time_zone).strftime("%Y-%m-%d %H:%M"),
    )


@bp.post("/o/<slug>/exports")
@requires(Perm.EXPORT)
def create() -> Response:
    seat = g.seat
    try:
        ask = service.ask(seat, dict(parse_qsl(request.form.get("query", ""))))
    except Invalid as error:
        flash_invalid(error, LABELS)
        return redirect(url_for("transactions.index", slug=g.org.slug))  # type: ignore[return-value]
    service.queue(seat, ask)
    flash(
        "Your export is being prepared. It will be listed here, and we will email you a link.",
        "success",
    )
    return redirect(url_for(".index", slug=g.org.slug))  # type: ignore[return-value]


@bp.post("/o/<slug>/archive")
@requires(Perm.MANAGE_ORG)
def archive_org() -> Response:
    archive.ask(g.seat)
    flash(
        "The archive of the whole organisation is being prepared. It will be listed here, "
        "and we will email you a link.",
        "success",
    )
    return redirect(url_for(".index", slug=g.org.slug))  # type: ignore[return-value]


@bp.get("/o/<slug>/exports/<int:export_id>/download")
@requires(Perm.EXPORT)
def download(export_id: int) -> Response:
    return send_export(g.seat, export_id)


def send_export(seat: Seat, export_id: int) -> Response:
    """The file of one of the person's exports while its link works (web and API)."""
    export, path = export_jobs.download(seat, export_id)
    mimetype = export_jobs.MIMETYPES[export.format]
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=export.file_name)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
