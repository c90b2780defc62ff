"""The front door, the health check and the vendored plotly.js."""

from __future__ import annotations

from pathlib import Path

import plotly
from flask import Blueprint, Flask, redirect, render_template, send_from_directory, url_for
from flask_security import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response

from app.extensions import db
from app.services import orgs
from tenants.permissions import public

bp = Blueprint("home", __name__)
PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"


@bp.get("/")
@public
def index() -> str | Response:
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
    org = orgs.home_org(current_user)
    if org is None:
        return redirect(url_for("orgs.create"))
    return redirect(url_for("dashboard.show", slug=org.slug))


@bp.get("/vendor/plotly.min.js")
@public
def plotly_js() -> Response:
    """plotly.js from the plotly package: no CDN, works offline."""
    return send_from_directory(PLOTLY_DIR, "plotly.min.js", max_age=86400)


@bp.get("/healthz")
@public
def healthz() -> dict[str, str]:
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def navigation() -> dict[str, object]:
        def nav_orgs() -> list[tuple[object, str]]:
            if not current_user.is_authenticated:
                return []
            return orgs.orgs_of(current_user.id)

        def nav_org_names(found: list[tuple[object, str]]) -> dict[int, str]:
            return orgs.display_names(org for org, _role in found)

        return {"nav_orgs": nav_orgs, "nav_org_names": nav_org_names}
