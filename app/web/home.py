"""The front door and the org dashboard shell."""

from __future__ import annotations

from flask import Blueprint, Flask, g, redirect, render_template, url_for
from flask_security import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response

from app.extensions import db
from app.services import audit, orgs
from tenants.permissions import Perm, public, requires

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index() -> str | Response:
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
    org = orgs.home_org(current_user)
    if org is None:
        return redirect(url_for("orgs.create"))
    return redirect(url_for("home.dashboard", slug=org.slug))


@bp.get("/o/<slug>/")
@requires(Perm.READ)
def dashboard() -> str:
    recent = audit.entries(g.org.id, limit=10)
    return render_template("home/dashboard.html", recent=recent)


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

        return {"nav_orgs": nav_orgs}
