"""Recurring transactions and bill reminders: the list (with the next 30 days), the rule form,
pause/resume/skip/delete, and one-off reminders. Thin: parse, call a service, render."""

from __future__ import annotations

import calendar

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_security import current_user
from werkzeug.wrappers import Response

from app import clock
from app.errors import Invalid
from app.services import categories as category_service
from app.services import recurring, reminders
from app.services.recurring_input import FIELDS
from app.services.transactions import own_only
from tenants.permissions import Perm, can, requires

bp = Blueprint("recurring", __name__)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = tuple(calendar.month_name[1:])


def _own() -> int | None:
    """Members see only the rules and reminders they set up (DESIGN.md roles)."""
    return current_user.id if own_only(g.membership.role) else None


def _back() -> Response:
    return redirect(url_for(".index", slug=g.org.slug))


@bp.get("/o/<slug>/recurring")
@requires(Perm.READ)
def index() -> str:
    return render_template(
        "recurring/list.html",
        rules=recurring.rules(g.org.id, _own()),
        upcoming=recurring.upcoming(g.org.id, clock.org_today(g.org), own_user=_own()),
        reminders=reminders.reminders(g.org.id, own_user=_own()),
        today=clock.org_today(g.org),
        can_manage=can(g.membership.role, Perm.MANAGE_LEDGER),
        weekdays=WEEKDAYS,
        months=MONTHS,
        errors={},
        values={},
    )


def _form_values() -> dict[str, object]:
    values: dict[str, object] = {
        k: v for k, v in request.form.items() if k in FIELDS and k != "is_bill"
    }
    values["is_bill"] = "is_bill" in request.form
    return values


def _render_form(
    values: dict[str, object], errors: dict[str, str], rule: object
) -> tuple[str, int]:
    return render_template(
        "recurring/form.html",
        values=values,
        errors=errors,
        rule=rule,
        category_tree=category_service.tree(g.org.id),
        methods=category_service.payment_methods(g.org.id),
        weekdays=WEEKDAYS,
        months=MONTHS,
    ), 422 if errors else 200


@bp.route("/o/<slug>/recurring/new", methods=["GET", "POST"])
@requires(Perm.MANAGE_LEDGER)
def create() -> tuple[str, int] | Response:
    values: dict[str, object] = {
        "kind": "expense",
        "frequency": "monthly",
        "interval": 1,
        "start_date": clock.org_today(g.org).isoformat(),
        "remind_days_before": 3,
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _form_values()
        try:
            recurring.create(g.org, current_user.id, values)
        except Invalid as error:
            errors = error.errors
        else:
            flash("Recurring transaction saved.", "success")
            return _back()
    return _render_form(values, errors, None)


@bp.route("/o/<slug>/recurring/<int:rule_id>", methods=["GET", "POST"])
@requires(Perm.MANAGE_LEDGER)
def edit(rule_id: int) -> tuple[str, int] | Response:
    rule = recurring.get(g.org.id, rule_id)
    values: dict[str, object] = recurring.values(rule)
    values["amount"] = f"{rule.amount.normalize():f}"
    values["tags"] = ", ".join(rule.tags)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _form_values()
        try:
            recurring.update(g.org, current_user.id, rule.id, values)
        except Invalid as error:
            errors = error.errors
        else:
            flash("Recurring transaction updated; posted transactions are unchanged.", "success")
            return _back()
    return _render_form(values, errors, rule)


@bp.post("/o/<slug>/recurring/<int:rule_id>/pause")
@requires(Perm.MANAGE_LEDGER)
def pause(rule_id: int) -> Response:
    recurring.pause(g.org.id, current_user.id, rule_id)
    flash("Paused: nothing posts until you resume it.", "success")
    return _back()


@bp.post("/o/<slug>/recurring/<int:rule_id>/resume")
@requires(Perm.MANAGE_LEDGER)
def resume(rule_id: int) -> Response:
    recurring.resume(g.org.id, current_user.id, rule_id, clock.org_today(g.org))
    flash("Resumed from today.", "success")
    return _back()


@bp.post("/o/<slug>/recurring/<int:rule_id>/skip")
@requires(Perm.MANAGE_LEDGER)
def skip(rule_id: int) -> Response:
    try:
        recurring.skip(g.org.id, current_user.id, rule_id, request.form.get("date"))
    except Invalid as error:
        flash(" ".join(error.errors.values()), "danger")
    else:
        flash("That occurrence will not be posted.", "success")
    return _back()


@bp.post("/o/<slug>/recurring/<int:rule_id>/delete")
@requires(Perm.MANAGE_LEDGER)
def delete(rule_id: int) -> Response:
    recurring.delete(g.org.id, current_user.id, rule_id)
    flash("Recurring transaction deleted; its posted transactions stay.", "success")
    return _back()


@bp.post("/o/<slug>/reminders")
@requires(Perm.MANAGE_LEDGER)
def create_reminder() -> Response:
    try:
        reminders.create(g.org, current_user.id, request.form.to_dict())
    except Invalid as error:
        flash(" ".join(f"{k}: {v}" for k, v in error.errors.items()), "danger")
    else:
        flash("Reminder saved.", "success")
    return _back()


@bp.post("/o/<slug>/reminders/<int:reminder_id>/paid")
@requires(Perm.MANAGE_LEDGER)
def paid(reminder_id: int) -> Response:
    reminders.mark_paid(g.org.id, current_user.id, reminder_id)
    flash("Marked as paid.", "success")
    return _back()


@bp.post("/o/<slug>/reminders/<int:reminder_id>/delete")
@requires(Perm.MANAGE_LEDGER)
def delete_reminder(reminder_id: int) -> Response:
    reminders.delete(g.org.id, current_user.id, reminder_id)
    flash("Reminder deleted.", "success")
    return _back()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
