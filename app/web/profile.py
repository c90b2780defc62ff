"""The signed-in user's profile page, and their personal API tokens."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_security import current_user, logout_user
from werkzeug.wrappers import Response

from app.errors import Invalid
from app.services import api_tokens, sessions
from app.services import profile as profile_service
from app.services.orgs import display_names, orgs_of
from app.web.forms import ProfileForm
from app.web.sessions import current_digest
from tenants.permissions import login_only

bp = Blueprint("profile", __name__)


def _form() -> ProfileForm:
    form = ProfileForm(obj=current_user, default_org=current_user.default_org_id or 0)
    mine = [org for org, _role in orgs_of(current_user.id)]
    names = display_names(mine)
    form.default_org.choices = [(0, "—")] + [(o.id, names[o.id]) for o in mine]
    form.locale.choices = list(profile_service.LOCALES.items())
    return form


def _page(form: ProfileForm, **extra: object) -> str:
    return render_template(
        "profile.html",
        form=form,
        tokens=api_tokens.tokens(current_user.id),
        sessions=sessions.active(current_user.id, current_app.config["OUTLAY_SESSION_MAX_IDLE"]),
        this_session=current_digest(),
        describe_agent=sessions.describe,
        **extra,
    )


@bp.route("/profile", methods=["GET", "POST"])
@login_only
def edit() -> tuple[str, int] | Response:
    form = _form()
    if form.validate_on_submit():
        try:
            profile_service.update_profile(
                current_user, form.name.data, form.default_org.data, form.locale.data
            )
        except Invalid as error:
            for field, message in error.errors.items():
                getattr(form, field).errors = [message]
        else:
            flash("Profile saved.", "success")
            return redirect(url_for("profile.edit"))
    return _page(form), 422 if form.errors else 200


@bp.post("/profile/tokens")
@login_only
def create_token() -> tuple[str, int]:
    try:
        secret = api_tokens.issue(current_user.id, request.form.get("name"))
    except Invalid as error:
        return _page(_form(), token_errors=error.errors), 422
    # Shown in this response only (never flashed: the session cookie is signed, not secret).
    return _page(_form(), new_token=secret), 201


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
