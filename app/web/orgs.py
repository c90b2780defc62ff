"""Organisation pages: create, settings, members, invitations."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_security import current_user
from werkzeug.wrappers import Response

from app.errors import Conflict, Invalid
from app.services import members as member_service
from app.services import org_lifecycle
from app.services import orgs as org_service
from app.web.forms import ConfirmForm, DeleteOrgForm, InviteForm, OrgForm, RoleForm, TransferForm
from tenants.permissions import Perm, login_only, public, requires

bp = Blueprint("orgs", __name__)


def _show_errors(form: object, error: Invalid) -> None:
    for field, message in error.errors.items():
        target = getattr(form, field, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, message]
        else:
            flash(message, "danger")


@bp.route("/orgs/new", methods=["GET", "POST"])
@login_only
def create() -> str | Response:
    form = OrgForm()
    form.submit.label.text = "Create organisation"
    if not form.is_submitted():  # a fresh page: guess from the browser (static/signup.js)
        form.base_currency.data = org_service.currency_for_language(request.accept_languages.best)
        form.time_zone.data = "UTC"
        form.time_zone.render_kw = {"data-browser-zone": ""}
    if form.validate_on_submit():
        try:
            org = org_service.create_org(
                current_user, form.name.data, form.base_currency.data, form.time_zone.data
            )
        except Invalid as error:
            _show_errors(form, error)
        else:
            flash(f"{org.name} is ready.", "success")
            return redirect(url_for("dashboard.show", slug=org.slug))
    return render_template("orgs/create.html", form=form), 422 if form.errors else 200


@bp.route("/o/<slug>/settings", methods=["GET", "POST"])
@requires(Perm.MANAGE_ORG)
def settings() -> str | tuple[str, int] | Response:
    form = OrgForm(obj=g.org)
    if form.validate_on_submit():
        try:
            org_service.update_settings(
                g.org, current_user.id, form.name.data, form.base_currency.data, form.time_zone.data
            )
        except Invalid as error:
            _show_errors(form, error)
        else:
            flash("Settings saved.", "success")
            return redirect(url_for("orgs.settings", slug=g.org.slug))
    return render_template("orgs/settings.html", form=form), 422 if form.errors else 200


@bp.route("/o/<slug>/delete", methods=["GET", "POST"])
@requires(Perm.MANAGE_ORG)
def delete() -> str | tuple[str, int] | Response:
    """Typed confirmation, after the offer to export; the data goes after the grace period."""
    form = DeleteOrgForm()
    grace = current_app.config["OUTLAY_ORG_DELETION_GRACE_DAYS"]
    if form.validate_on_submit() and not org_lifecycle.is_closing(g.org):
        try:
            due = org_lifecycle.schedule_deletion(
                g.org, current_user, form.confirm_name.data, grace
            )
        except Invalid as error:
            _show_errors(form, error)
        else:
            flash(
                f"{g.org.name} will be deleted on {due:%d %B %Y}. Until then only owners can "
                "open it, and any owner can cancel.",
                "warning",
            )
            return redirect(url_for("orgs.delete", slug=g.org.slug))
    status = 422 if form.errors else 200
    return render_template(
        "orgs/delete.html", form=form, grace=grace, cancel_form=ConfirmForm()
    ), status


@bp.post("/o/<slug>/delete/cancel")
@requires(Perm.MANAGE_ORG)
def cancel_delete() -> Response:
    if org_lifecycle.is_closing(g.org):
        org_lifecycle.cancel_deletion(g.org, current_user)
        flash(f"{g.org.name} will not be deleted.", "success")
    return redirect(url_for("orgs.delete", slug=g.org.slug))


@bp.route("/o/<slug>/transfer", methods=["GET", "POST"])
@requires(Perm.MANAGE_ORG)
def transfer() -> str | tuple[str, int] | Response:
    form = TransferForm()
    others = [m for m in member_service.members(g.org.id) if m.id != g.membership.id]
    form.membership_id.choices = [(str(m.id), m.user.display_name) for m in others]
    if form.validate_on_submit():
        try:
            target = org_lifecycle.transfer_ownership(
                g.org, g.membership, form.membership_id.data, stay_owner=form.stay_owner.data
            )
        except Invalid as error:
            _show_errors(form, error)
        else:
            flash(f"{target.user.display_name} is now an owner of {g.org.name}.", "success")
            return redirect(url_for("orgs.members", slug=g.org.slug))
    return render_template("orgs/transfer.html", form=form, others=others), (
        422 if form.errors else 200
    )


@bp.get("/o/<slug>/members")
@requires(Perm.READ)
def members() -> str:
    return render_template(
        "orgs/members.html",
        members=member_service.members(g.org.id),
        invitations=member_service.pending_invitations(g.org.id),
        invite_form=InviteForm(),
        confirm_form=ConfirmForm(),
        role_form=RoleForm,
    )


@bp.post("/o/<slug>/members/invite")
@requires(Perm.MANAGE_MEMBERS)
def invite() -> Response | tuple[str, int]:
    form = InviteForm()
    if form.validate_on_submit():
        try:
            member_service.invite(g.org, current_user, form.email.data, form.role.data)
        except Invalid as error:
            _show_errors(form, error)
        else:
            flash(f"Invitation sent to {form.email.data}.", "success")
            return redirect(url_for("orgs.members", slug=g.org.slug))
    return render_template(
        "orgs/members.html",
        members=member_service.members(g.org.id),
        invitations=member_service.pending_invitations(g.org.id),
        invite_form=form,
        confirm_form=ConfirmForm(),
        role_form=RoleForm,
    ), 422


@bp.post("/o/<slug>/members/<int:membership_id>/role")
@requires(Perm.MANAGE_MEMBERS)
def change_role(membership_id: int) -> Response:
    form = RoleForm()
    try:
        # The service finds the member before it checks the role, so another org's membership
        # id is a 404 whatever the form holds; a missing or unknown role is its Invalid.
        role = form.role.data if form.validate_on_submit() else ""
        member_service.change_role(g.org, current_user, membership_id, role)
        flash("Role changed.", "success")
    except (Invalid, Conflict) as error:
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
    return render_template(
        "orgs/invitation.html", org=org, invitation=invite, token=token, form=ConfirmForm()
    )


@bp.post("/invitations/<token>")
@login_only
def accept_invitation(token: str) -> Response | tuple[str, int]:
    try:
        org = member_service.accept(token, current_user)
    except Invalid as error:
        flash(" ".join(error.errors.values()), "danger")
        return redirect(url_for("orgs.invitation", token=token))
    flash(f"Welcome to {org.name}.", "success")
    return redirect(url_for("dashboard.show", slug=org.slug))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
