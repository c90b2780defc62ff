"""The signed-in user's profile page."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, url_for
from flask_security import current_user
from werkzeug.wrappers import Response

from app.errors import Invalid
from app.services import profile as profile_service
from app.services.orgs import orgs_of
from app.web.forms import ProfileForm
from tenants.permissions import login_only

bp = Blueprint("profile", __name__)


@bp.route("/profile", methods=["GET", "POST"])
@login_only
def edit() -> tuple[str, int] | Response:
    form = ProfileForm(obj=current_user, default_org=current_user.default_org_id or 0)
    form.default_org.choices = [(0, "—")] + [(o.id, o.name) for o, _ in orgs_of(current_user.id)]
    form.locale.choices = list(profile_service.LOCALES.items())
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
    return render_template("profile.html", form=form), 422 if form.errors else 200


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
