"""Organisation pages: create, settings, members, invitations."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_security import current_user
from werkzeug.wrappers import Response

from app.errors import Conflict, Invalid
from app.services import members as member_service
from app.services import orgs as org_service
from app.web.forms import Form, flash_invalid
from tenants.permissions import Perm, login_only, public, requires
from tenants.roles import ROLE_CHOICES

bp = Blueprint("orgs", __name__)
ORG_LABELS = {"name": "Name", "base_currency": "Base currency"}
INVITE_LABELS = {"email": "Email", "role": "Role"}
ROLE_LABELS = {"role": "Role"}


def _org_page(template: str, form: Form) -> tuple[str, int]:
    return render_template(template, form=form, currencies=org_service.CURRENCIES), form.status


@bp.route("/orgs/new", methods=["GET", "POST"])
@login_only
def create() -> tuple[str, int] | Response:
    form = Form(ORG_LABELS, {"base_currency": "EUR"})
    if request.method == "POST":
        form = Form.posted(ORG_LABELS)
        name, currency = form.value("name"), form.value("base_currency")
        if form.submit(org_service.create_org, current_user, name, currency):
            flash(f"{form.result.name} is ready.", "success")
            return redirect(url_for("dashboard.show", slug=form.result.slug))
    return _org_page("orgs/create.html", form)


@bp.route("/o/<slug>/settings", methods=["GET", "POST"])
@requires(Perm.MANAGE_ORG)
def settings() -> tuple[str, int] | Response:
    form = Form(ORG_LABELS, {"name": g.org.name, "base_currency": g.org.base_currency})
    if request.method == "POST":
        form = Form.posted(ORG_LABELS)
        name, currency = form.value("name"), form.value("base_currency")
        if form.submit(org_service.update_settings, g.org, current_user.id, name, currency):
            flash("Settings saved.", "success")
            return redirect(url_for("orgs.settings", slug=g.org.slug))
    return _org_page("orgs/settings.html", form)


def _members_page(invite_form: Form) -> tuple[str, int]:
    return render_template(
        "orgs/members.html",
        members=member_service.members(g.org.id),
        invitations=member_service.pending_invitations(g.org.id),
        invite_form=invite_form,
        roles=ROLE_CHOICES,
    ), invite_form.status


@bp.get("/o/<slug>/members")
@requires(Perm.READ)
def members() -> tuple[str, int]:
    return _members_page(Form(INVITE_LABELS, {"role": "member"}, prefix="invite-"))


@bp.post("/o/<slug>/members/invite")
@requires(Perm.MANAGE_MEMBERS)
def invite() -> Response | tuple[str, int]:
    form = Form.posted(INVITE_LABELS, prefix="invite-")
    email, role = form.value("email"), form.value("role")
    if form.submit(member_service.invite, g.org, current_user, email, role):
        flash(f"Invitation sent to {form.result.email}.", "success")
        return redirect(url_for("orgs.members", slug=g.org.slug))
    return _members_page(form)


@bp.post("/o/<slug>/members/<int:membership_id>/role")
@requires(Perm.MANAGE_MEMBERS)
def change_role(membership_id: int) -> Response:
    try:
        # The service finds the member before it checks the role, so another org's membership
        # id is a 404 whatever the form holds; a missing or unknown role is its Invalid.
        member_service.change_role(g.org, current_user, membership_id, request.form.get("role", ""))
        flash("Role changed.", "success")
    except Invalid as error:
        flash_invalid(error, ROLE_LABELS)
    except Conflict as error:
        flash(error.detail, "danger")
    return redirect(url_for("orgs.members", slug=g.org.slug))


@bp.post("/o/<slug>/members/<int:membership_id>/remove")
@requires(Perm.MANAGE_MEMBERS)
def remove(membership_id: int) -> Response:
    try:
        member_service.remove(g.org, current_user, membership_id)
        flash("Member removed.", "success")
    except Conflict as error:
        flash(error.detail, "danger")
    return redirect(url_for("orgs.members", slug=g.org.slug))


@bp.post("/o/<slug>/invitations/<int:invitation_id>/revoke")
@requires(Perm.MANAGE_MEMBERS)
def revoke(invitation_id: int) -> Response:
    member_service.revoke_invitation(g.org, current_user, invitation_id)
    flash("Invitation withdrawn.", "success")
    return redirect(url_for("orgs.members", slug=g.org.slug))


@bp.post("/o/<slug>/leave")
@requires(Perm.READ)
def leave() -> Response:
    try:
        member_service.leave(g.org, g.membership, current_user)
    except Conflict as error:
        flash(error.detail, "danger")
        return redirect(url_for("orgs.members", slug=g.org.slug))
    flash(f"You have left {g.org.name}.", "success")
    return redirect(url_for("home.index"))


@bp.get("/invitations/<token>")
@public
def invitation(token: str) -> str:
    org, invite = member_service.read_invitation(token)
    return render_template("orgs/invitation.html", org=org, invitation=invite, token=token)


@bp.post("/invitations/<token>")
@login_only
def accept_invitation(token: str) -> Response | tuple[str, int]:
    try:
        org = member_service.accept(token, current_user)
    except Invalid as error:
        flash_invalid(error, {})
        return redirect(url_for("orgs.invitation", token=token))
    flash(f"Welcome to {org.name}.", "success")
    return redirect(url_for("dashboard.show", slug=org.slug))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
