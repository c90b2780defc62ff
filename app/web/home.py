"""The front door and the health check (plotly.js is served by `app.web.assets`)."""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_security import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response

from app.extensions import db
from app.services.orgs import orgs
from app.web import navigation as navbar
from tenants.permissions import public

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index() -> str | Response:
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
    org = orgs.home_org(current_user)
    if org is None:
        return redirect(url_for("orgs.create"))
    return redirect(url_for("dashboard.show", slug=org.slug))


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
            found = navbar.for_request()  # with the bell's count, in one statement
            return found.orgs if found is not None else orgs.orgs_of(current_user.id)

        def nav_org_names(found: list[tuple[object, str]]) -> dict[int, str]:
            return orgs.display_names(org for org, _role in found)

        return {"nav_orgs": nav_orgs, "nav_org_names": nav_org_names}
