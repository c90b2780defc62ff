"""Analytics: the Streamlit portal inside the web app, entered with a single-use token.

Every page load mints a fresh token (user, org, role; signed with SECRET_KEY, 60 s, spent on
first use by the portal), so reloading the page is how a person opens the portal again.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Flask, current_app, g, render_template

from app.services.accounts import portal_tokens
from tenants.permissions import Perm, requires

bp = Blueprint("analytics", __name__)


def portal_base(config_value: str) -> str:
    """OUTLAY_PORTAL_URL without its trailing slash ("/portal" when empty)."""
    return config_value.rstrip("/") or "/portal"


def portal_origin(config_value: str) -> str | None:
    """The portal's origin for CSP when it lives elsewhere; None when it is on this origin."""
    parts = urlsplit(portal_base(config_value))
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def health_url(config_value: str) -> str:
    """Streamlit's health check under the portal's base: answers "ok" while it runs."""
    return f"{portal_base(config_value)}/_stcore/health"


def frame_src(config_value: str, token: str) -> str:
    """The iframe's URL: the portal's root, the token, and Streamlit's embed mode."""
    return f"{portal_base(config_value)}/?{urlencode({'token': token, 'embed': 'true'})}"


@bp.get("/o/<slug>/analytics")
@requires(Perm.READ)
def show() -> str:
    seat = g.seat
    token = portal_tokens.mint(
        current_app.config["SECRET_KEY"], seat.user_id, seat.org_id, seat.org_slug, seat.role.value
    )
    return render_template(
        "analytics/portal.html",
        src=frame_src(current_app.config["OUTLAY_PORTAL_URL"], token),
        health=health_url(current_app.config["OUTLAY_PORTAL_URL"]),
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
