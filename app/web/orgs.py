"""Organisation pages: create, settings, members, invitations."""

from __future__ import annotations

import calendar

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
from app.services.orgs import members as member_service
from app.services.orgs import org_lifecycle
from app.services.orgs import orgs as org_service
from app.web.actions import Button, add_buttons, done
from app.web.forms import ZONE_HELP, Form, flash_invalid, zone_choices
from tenants.permissions import Perm, login_only, public, requires
from tenants.roles import ROLE_CHOICES

bp = Blueprint("orgs", __name__)
ORG_LABELS = {"name": "Name", "base_currency": "Base currency", "time_zone": "Time zone"}
FISCAL = "fiscal_year_start"
SETTINGS_LABELS = {**ORG_LABELS, FISCAL: "Financial year starts in"}
MONTHS = [(str(n), calendar.month_name[n]) for n in range(1, 13)]
DELETE_LABELS = {"confirm_name": "Type the organisation's name to confirm"}
TRANSFER_LABELS = {
    "membership_id": "New owner",
    "stay_owner": "I stay an owner too (otherwise I become an accountant)",
}
INVITE_LABELS = {"email": "Email", "role": "Role"}
ROLE_LABELS = {"role": "Role"}


def _org_page(template: str, form: Form, **extra: object) -> tuple[str, int]:
    return render_template(
        template,
        form=form,
        currencies=org_service.CURRENCIES,
        zones=zone_choices(),
        zone_help=ZONE_HELP,
        **extra,
    ), form.status


@bp.route("/orgs/new", methods=["GET", "POST"])
@login_only
def create() -> tuple[str, int] | Response:
    # A fresh page guesses the currency from the browser's language and the zone from the
    # browser itself (static/signup.js selects it where the field is marked).
    currency = org_service.currency_for_language(request.accept_languages.best)
    form = Form(ORG_LABELS, {"base_currency": currency, "time_zone": "UTC"})
    zone_attrs = {"data-browser-zone": ""}
    if request.method == "POST":
        form, zone_attrs = Form.posted(ORG_LABELS), {}
        name, currency = form.value("name"), form.value("base_currency")
        zone = form.value("time_zone")
        if form.submit(org_service.create_org, current_user, name, currency, zone):
            return done(
                f"{form.result.name} is ready.", url_for("dashboard.show", slug=form.result.slug)
            )
    return _org_page("orgs/create.html", form, zone_attrs=zone_attrs)


@bp.route("/o/<slug>/settings", methods=["GET", "POST"])
@requires(Perm.MANAGE_ORG)
def settings() -> tuple[str, int] | Response:
    stored = {"name": g.org.name, "base_currency": g.org.base_currency}
    fiscal = str(g.org.fiscal_year_start)
    form = Form(SETTINGS_LABELS, {**stored, "time_zone": g.org.time_zone, FISCAL: fiscal})
    if request.method == "POST":
        form = Form.posted(SETTINGS_LABELS)
        name, currency = form.value("name"), form.value("base_currency")
        zone, month = form.value("time_zone") or None, form.value(FISCAL) or None
        update = org_service.update_settings
        if form.submit(update, g.seat, name, currency, zone, month):
            return done("Settings saved.", url_for("orgs.settings", slug=g.seat.org_slug))
    return _org_page("orgs/settings.html", form, months=MONTHS)


@bp.route("/o/<slug>/delete", methods=["GET", "POST"])
@requires(Perm.MANAGE_ORG)
def delete() -> tuple[str, int] | Response:
    """Typed confirmation, after the offer to export; the data goes after the grace period."""
    form = Form(DELETE_LABELS)
    grace = current_app.config["OUTLAY_ORG_DELETION_GRACE_DAYS"]
    if request.method == "POST" and not org_lifecycle.is_closing(g.org):
        form = Form.posted(DELETE_LABELS)
        typed = form.value("confirm_name")
        if form.submit(org_lifecycle.schedule_deletion, g.seat, typed, grace):
            flash(
                f"{g.org.name} will be deleted on {form.result:%d %B %Y}. Until then only owners "
                "can open it, and any owner can cancel.",
                "warning",
            )
            return redirect(url_for("orgs.delete", slug=g.seat.org_slug))
    return render_template("orgs/delete.html", form=form, grace=grace), form.status


@bp.post("/o/<slug>/delete/cancel")
@requires(Perm.MANAGE_ORG)
def cancel_delete() -> Response:
    if org_lifecycle.is_closing(g.org):
        org_lifecycle.cancel_deletion(g.seat)
        flash(f"{g.org.name} will not be deleted.", "success")
    return redirect(url_for("orgs.delete", slug=g.seat.org_slug))


@bp.route("/o/<slug>/transfer", methods=["GET", "POST"])
@requires(Perm.MANAGE_ORG)
def transfer() -> tuple[str, int] | Response:
    form = Form(TRANSFER_LABELS)
    others = [m for m in member_service.members(g.seat) if m.user_id != g.seat.user_id]
    if request.method == "POST":
        form = Form.posted(TRANSFER_LABELS)
        target, stay = form.value("membership_id"), form.checked("stay_owner")
        if form.submit(org_lifecycle.transfer_ownership, g.seat, target, stay_owner=stay):
            return done(
                f"{form.result.user.display_name} is now an owner of {g.org.name}.", _members_url()
            )
    return render_template("orgs/transfer.html", form=form, others=others), form.status


def _members_page(invite_form: Form) -> tuple[str, int]:
    return render_template(
        "orgs/members.html",
        members=member_service.members(g.seat),
        invitations=member_service.pending_invitations(g.seat),
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
    if form.submit(member_service.invite, g.seat, email, role):
        return done(f"Invitation sent to {form.result.email}.", _members_url())
    return _members_page(form)


@bp.post("/o/<slug>/members/<int:membership_id>/role")
@requires(Perm.MANAGE_MEMBERS)
def change_role(membership_id: int) -> Response:
    try:
        # The service finds the member before it checks the role, so another org's membership
        # id is a 404 whatever the form holds; a missing or unknown role is its Invalid.
        member_service.change_role(g.seat, membership_id, request.form.get("role", ""))
        flash("Role changed.", "success")
    except Invalid as error:
        flash_invalid(error, ROLE_LABELS)
    except Conflict as error:
        flash(error.detail, "danger")
    return redirect(_members_url())


def _members_url() -> str:
    return url_for("orgs.members", slug=g.seat.org_slug)


# The buttons of the members page's rows (POST /o/<slug>/<path>).
MEMBERS_BUTTONS = {
    "remove": Button(
        member_service.remove, "Member removed.", path="members/<int:membership_id>/remove"
    ),
    "revoke": Button(
        member_service.revoke_invitation,
        "Invitation withdrawn.",
        path="invitations/<int:invitation_id>/revoke",
    ),
}
add_buttons(bp, "/o/<slug>", Perm.MANAGE_MEMBERS, MEMBERS_BUTTONS, back=_members_url)


@bp.post("/o/<slug>/leave")
@requires(Perm.READ)
def leave() -> Response:
    try:
        member_service.leave(g.seat)
    except Conflict as error:
        flash(error.detail, "danger")
        return redirect(_members_url())
    return done(f"You have left {g.org.name}.", url_for("home.index"))


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
    return done(f"Welcome to {org.name}.", url_for("dashboard.show", slug=org.slug))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
