"""GET /logout: a page with the log-out button. Logging out is a POST with a CSRF token (so a
link or an image elsewhere cannot sign anyone out), but a person who types the address should
find a way to do it, not a bare 405."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template

from tenants.permissions import public

bp = Blueprint("logout_page", __name__)


@bp.get("/logout")
@public
def show() -> str:
    return render_template("home/logout.html")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
