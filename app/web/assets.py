"""plotly.js for the dashboard: no CDN, works offline, and cheap to fetch.

The dashboard draws only bar and pie charts, so it gets plotly's "basic" bundle (scatter, bar,
pie: 1.1 MB, about 0.37 MB gzip-compressed) instead of the full 4.8 MB one the plotly package
ships. The bundle is vendored in `app/vendor/` (npm's plotly.js-basic-dist-min, MIT, the same
plotly.js version as the plotly package: a unit test holds them together). It is served under
a URL that names its content (`/vendor/plotly-<digest>.min.js`), so browsers may keep it for a
year without asking again, and gzip-compressed to every browser that accepts gzip. The
compressed copy is made once, on first request, in the instance folder, keyed by the digest:
a new bundle gets a new URL and a new file.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import threading
from functools import cache
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, request, send_file, url_for
from werkzeug.wrappers import Response

from tenants.permissions import public

bp = Blueprint("assets", __name__)
# The dashboard's chart types only (bar, pie); the portal uses Streamlit's own plotly.
PLOTLY = Path(__file__).resolve().parents[1] / "vendor" / "plotly-basic.min.js"
YEAR = 365 * 24 * 3600
_lock = threading.Lock()


@cache
def digest(path: Path = PLOTLY) -> str:
    """The first 12 hex digits of the file's SHA-256: the version in its URL."""
    with path.open("rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()[:12]


def compressed(path: Path, folder: Path) -> Path:
    """`path` gzip-compressed (level 9), made once in `folder` under its digest."""
    target = folder / f"{path.stem}-{digest(path)}{path.suffix}.gz"
    if target.exists():
        return target
    with _lock:
        if not target.exists():
            folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(f".{os.getpid()}.tmp")
            with path.open("rb") as source, gzip.open(partial, "wb", compresslevel=9) as out:
                shutil.copyfileobj(source, out)
            partial.replace(target)  # atomic: another process never reads half a file
    return target


def plotly_url() -> str:
    return url_for("assets.plotly_js", version=digest())


@bp.get("/vendor/plotly-<version>.min.js")
@public
def plotly_js(version: str) -> Response:
    if version != digest():
        abort(404)  # an old version's URL; pages always link the current one
    if request.accept_encodings["gzip"]:
        folder = current_app.config["OUTLAY_INSTANCE"] / "assets"
        response = send_file(
            compressed(PLOTLY, folder), mimetype="text/javascript", max_age=YEAR, etag=True
        )
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = send_file(PLOTLY, mimetype="text/javascript", max_age=YEAR, etag=True)
    response.headers["Vary"] = "Accept-Encoding"
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(plotly_url)
