"""The signed-in user's profile page, and their personal API tokens."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_security import current_user, logout_user
from werkzeug.wrappers import Response

from app.services.accounts import api_tokens, sessions
from app.services.accounts import profile as profile_service
from app.services.orgs.orgs import display_names, orgs_of
from app.web.forms import Form
from app.web.sessions import current_digest
from tenants.permissions import login_only

bp = Blueprint("profile", __name__)
LABELS = {
    "name": "Name",
    "default_org": "Default organisation",
    "locale": "Number and date format",
}
TOKEN_LABELS = {"name": "Token name"}


def _page(form: Form, token_form: Form, status: int, **extra: object) -> tuple[str, int]:
    return render_template(
        "profile.html",
        form=form,
        token_form=token_form,
        orgs=_org_choices(),
        locales=profile_service.LOCALES,
        tokens=api_tokens.tokens(current_user.id),
        sessions=sessions.active(current_user.id, current_app.config["OUTLAY_SESSION_MAX_IDLE"]),
        this_session=current_digest(),
        describe_agent=sessions.describe,
        **extra,
    ), status


def _org_choices() -> list[tuple[int, str]]:
    mine = [org for org, _role in orgs_of(current_user.id)]
    names = display_names(mine)  # same-name orgs show their slug
    return [(0, "—")] + [(o.id, names[o.id]) for o in mine]


def _stored() -> Form:
    return Form(
        LABELS,
        {
            "name": current_user.name or "",
            "default_org": current_user.default_org_id or 0,
            "locale": current_user.locale,
        },
    )


def _org_id(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


@bp.route("/profile", methods=["GET", "POST"])
@login_only
def edit() -> tuple[str, int] | Response:
    form = _stored()
    if request.method == "POST":
        form = Form.posted(LABELS)
        default_org = _org_id(form.value("default_org"))
        if default_org is None and str(form.value("default_org")) not in ("", "0"):
            form.errors = {"default_org": "Choose one of your organisations."}
        elif form.submit(
            profile_service.update_profile,
            current_user,
            form.value("name"),
            default_org,
            form.value("locale"),
        ):
            flash("Profile saved.", "success")
            return redirect(url_for("profile.edit"))
    return _page(form, Form(TOKEN_LABELS, prefix="token-"), form.status)


@bp.post("/profile/tokens")
@login_only
def create_token() -> tuple[str, int]:
    token_form = Form.posted(TOKEN_LABELS, prefix="token-")
    if not token_form.submit(api_tokens.issue, current_user.id, token_form.value("name")):
        return _page(_stored(), token_form, 422)
    # Shown in this response only (never flashed: the session cookie is signed, not secret).
    return _page(_stored(), Form(TOKEN_LABELS, prefix="token-"), 201, new_token=token_form.result)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_only
def revoke_token(token_id: int) -> Response:
    api_tokens.revoke(current_user.id, token_id)
    flash("Token revoked; programs using it can no longer reach your data.", "success")
    return redirect(url_for("profile.edit") + "#api-tokens")


@bp.post("/profile/sessions/<int:session_id>/revoke")
@login_only
def revoke_session(session_id: int) -> Response:
    if sessions.revoke(current_user.id, session_id):
        flash("That browser is signed out.", "success")
    return redirect(url_for("profile.edit") + "#sessions")


@bp.post("/profile/sessions/revoke-all")
@login_only
def revoke_all_sessions() -> Response:
    sessions.sign_out_everywhere(current_user.id)
    logout_user()
    flash("You are signed out everywhere, in this browser too.", "success")
    return redirect(url_for("home.index"))  # where logging out lands too


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
