"""Import an org archive into a new org: the upload page and the import's progress page.

The upload may be larger than the app-wide body limit (one receipt): for these routes alone the
limit is OUTLAY_ARCHIVE_MAX_BYTES, set before anything reads the body, and storing checks the
file's own size again while it is read (docs/exports.md).
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.errors import Invalid
from app.services.exports import archive_imports as service
from app.storage import TooLarge
from app.web.actions import done
from app.web.forms import flash_invalid
from app.web.receipts import read_upload
from tenants.permissions import Perm, requires

bp = Blueprint("archive_import", __name__)
LABELS = {"file": "Archive"}
# The upload routes (web and API) that take an archive-sized body.
UPLOADS = {"archive_import.upload", "api_exports.archive_import"}


@bp.get("/o/<slug>/archive/import")
@requires(Perm.MANAGE_ORG)
def form() -> str:
    return render_template("exports/import.html")


@bp.post("/o/<slug>/archive/import")
@requires(Perm.MANAGE_ORG)
def upload() -> Response:
    stream, name = read_upload()
    try:
        row = service.start(g.seat, stream, name)
    except Invalid as error:
        return refused(error)
    except TooLarge as error:  # the size named on the file field, as a form error is
        return refused(Invalid({"file": error.detail}))
    return done(
        "The archive is uploaded; its import has started.",
        url_for(".status", slug=g.seat.org_slug, import_id=row.id),
    )


def refused(error: Invalid) -> Response:
    flash_invalid(error, LABELS)
    return redirect(url_for(".form", slug=g.seat.org_slug))


@bp.get("/o/<slug>/archive/import/<int:import_id>")
@requires(Perm.MANAGE_ORG)
def status(import_id: int) -> str:
    return render_template("exports/import_status.html", row=service.get(g.seat, import_id))


def _archive_limit() -> None:
    if request.endpoint in UPLOADS:
        request.max_content_length = int(current_app.config["OUTLAY_ARCHIVE_MAX_BYTES"]) + 65536


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    # First of all before-request functions: the input guard reads the body.
    app.before_request_funcs.setdefault(None, []).insert(0, _archive_limit)
