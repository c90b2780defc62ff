"""Notification centre (bell, list, mark read), preferences, and the no-login unsubscribe."""

from __future__ import annotations

from flask import Blueprint, Flask, g, redirect, render_template, request, url_for
from flask_security import current_user
from werkzeug.wrappers import Response

from app.extensions import csrf
from app.services.notifications import notification_prefs as prefs
from app.services.notifications import notifications as service
from app.web import navigation
from app.web.actions import done, index_url
from app.web.forms import Form
from tenants.permissions import Perm, public, requires

bp = Blueprint("notifications", __name__)


@bp.get("/o/<slug>/notifications")
@requires(Perm.READ)
def index() -> str:
    return render_template(
        "notifications/list.html",
        items=service.latest(g.seat, limit=100),
        unread=service.unread_count(g.seat),
    )


@bp.post("/o/<slug>/notifications/<int:notification_id>/read")
@requires(Perm.READ)
def mark_read(notification_id: int) -> Response:
    found = service.mark_read(g.seat, notification_id)
    if request.form.get("open") and found.link.startswith("/"):
        return redirect(found.link)
    return redirect(index_url())


@bp.post("/o/<slug>/notifications/read-all")
@requires(Perm.READ)
def mark_all_read() -> Response:
    count = service.mark_all_read(g.seat)
    return done(f"Marked {count} notification{'s' if count != 1 else ''} read.")


@bp.route("/o/<slug>/notifications/preferences", methods=["GET", "POST"])
@requires(Perm.READ)
def preferences() -> str | Response | tuple[str, int]:
    form = Form(prefs.CHOICE_KINDS, prefs.preferences(g.seat))
    if request.method == "POST":
        posted = Form.posted(prefs.CHOICE_KINDS)
        form.values.update({k: v for k, v in posted.values.items() if k in prefs.CHOICE_KINDS})
        if form.submit(prefs.save, g.seat, request.form):
            return done(
                "Notification preferences saved.", url_for(".preferences", slug=g.seat.org_slug)
            )
    return render_template(
        "notifications/preferences.html",
        form=form,
        kinds=prefs.CHOICE_KINDS,
        labels=prefs.DELIVERY_LABELS,
    ), form.status


@bp.get("/unsubscribe/<unsubscribe_token>")
@public
def unsubscribe(unsubscribe_token: str) -> str:
    org, _user_id, kind = prefs.read_unsubscribe(unsubscribe_token)
    return _unsubscribe_page(org, kind, unsubscribe_token, done=False)


def _unsubscribe_page(org: object, kind: str, token: str, *, done: bool) -> str:
    """The link's page: what it stops, and whether that is done (after the click) or asked."""
    kind_label = prefs.CHOICE_KINDS[kind]
    return render_template(
        "notifications/unsubscribe.html", org=org, kind_label=kind_label, token=token, done=done
    )


# One-click (RFC 8058): mail clients POST "List-Unsubscribe=One-Click" with no session and no
# CSRF token. The signed token is the authority; the action is idempotent and only stops mail.
@bp.post("/unsubscribe/<unsubscribe_token>")
@public
@csrf.exempt
def confirm_unsubscribe(unsubscribe_token: str) -> str:
    org, kind = prefs.unsubscribe(unsubscribe_token)
    return _unsubscribe_page(org, kind, unsubscribe_token, done=True)


def unread_notifications() -> int:
    """The bell's count."""
    seat = g.get("seat")
    if seat is None or not current_user.is_authenticated:
        return 0
    found = navigation.for_request()  # with the org switcher's list, in one statement
    return found.unread if found is not None else service.unread_count(seat)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(unread_notifications)
