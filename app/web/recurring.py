"""Recurring transactions and bill reminders: the list (with the next 30 days), the rule form,
pause/resume/skip/delete, and one-off reminders. Thin: parse, call a service, render."""

from __future__ import annotations

import calendar

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app import clock
from app.errors import Invalid
from app.services.ledger import categories as category_service
from app.services.recurring import recurring, reminders
from app.web.forms import Form, flash_invalid
from tenants.permissions import Perm, requires

bp = Blueprint("recurring", __name__)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = tuple(calendar.month_name[1:])


def rule_labels() -> dict[str, str]:
    """As recurring/form.html labels its fields."""
    return {
        "kind": "Kind",
        "amount": f"Amount ({g.seat.base_currency})",
        "currency": "Currency",
        "category_id": "Category",
        "description": "Description",
        "payment_method_id": "Payment method",
        "tags": "Tags",
        "frequency": "Repeats",
        "interval": "Every (1 = each time)",
        "weekday": "Weekday (weekly)",
        "month_day": "Day of month (monthly, yearly)",
        "month": "Month (yearly)",
        "start_date": "Starts",
        "end_date": "Ends",
        "count": "Or after N times",
        "is_bill": "It is a bill: remind us before it is due",
        "remind_days_before": "Days before",
    }


def reminder_labels() -> dict[str, str]:
    return {
        "title": "Remind me about",
        "due_date": "Due",
        "amount": f"Amount ({g.seat.base_currency})",
        "remind_days_before": "Days before",
    }


def _back() -> Response:
    return redirect(url_for(".index", slug=g.seat.org_slug))


@bp.get("/o/<slug>/recurring")
@requires(Perm.READ)
def index() -> tuple[str, int]:
    return _list_page(Form(reminder_labels(), {"remind_days_before": 3}, prefix="reminder-"))


def _list_page(reminder_form: Form) -> tuple[str, int]:
    return render_template(
        "recurring/list.html",
        rules=recurring.rules(g.seat),  # a member's: their own (the Seat narrows)
        upcoming=recurring.upcoming(g.seat, clock.org_today(g.seat)),
        reminders=reminders.reminders(g.seat),
        today=clock.org_today(g.seat),
        can_manage=g.seat.can(Perm.MANAGE_LEDGER),
        weekdays=WEEKDAYS,
        months=MONTHS,
        reminder_form=reminder_form,
    ), reminder_form.status


def _posted() -> Form:
    return Form.posted(rule_labels(), flags=("is_bill",))


def _render_form(form: Form, rule: object) -> tuple[str, int]:
    return render_template(
        "recurring/form.html",
        form=form,
        rule=rule,
        category_tree=category_service.tree(g.seat),
        methods=category_service.payment_methods(g.seat),
        weekdays=WEEKDAYS,
        months=MONTHS,
    ), form.status


@bp.route("/o/<slug>/recurring/new", methods=["GET", "POST"])
@requires(Perm.MANAGE_LEDGER)
def create() -> tuple[str, int] | Response:
    form = Form(
        rule_labels(),
        {
            "kind": "expense",
            "frequency": "monthly",
            "interval": 1,
            "start_date": clock.org_today(g.seat).isoformat(),
            "remind_days_before": 3,
        },
    )
    if request.method == "POST":
        form = _posted()
        if form.submit(recurring.create, g.seat, form.values):
            flash("Recurring transaction saved.", "success")
            return _back()
    return _render_form(form, None)


@bp.route("/o/<slug>/recurring/<int:rule_id>", methods=["GET", "POST"])
@requires(Perm.MANAGE_LEDGER)
def edit(rule_id: int) -> tuple[str, int] | Response:
    rule = recurring.get(g.seat, rule_id)
    values: dict[str, object] = recurring.values(rule)
    values["amount"] = f"{rule.amount.normalize():f}"
    values["tags"] = ", ".join(rule.tags)
    form = Form(rule_labels(), values)
    if request.method == "POST":
        form = _posted()
        if form.submit(recurring.update, g.seat, rule.id, form.values):
            flash("Recurring transaction updated; posted transactions are unchanged.", "success")
            return _back()
    return _render_form(form, rule)


@bp.post("/o/<slug>/recurring/<int:rule_id>/pause")
@requires(Perm.MANAGE_LEDGER)
def pause(rule_id: int) -> Response:
    recurring.pause(g.seat, rule_id)
    flash("Paused: nothing posts until you resume it.", "success")
    return _back()


@bp.post("/o/<slug>/recurring/<int:rule_id>/resume")
@requires(Perm.MANAGE_LEDGER)
def resume(rule_id: int) -> Response:
    recurring.resume(g.seat, rule_id, clock.org_today(g.seat))
    flash("Resumed from today.", "success")
    return _back()


@bp.post("/o/<slug>/recurring/<int:rule_id>/skip")
@requires(Perm.MANAGE_LEDGER)
def skip(rule_id: int) -> Response:
    try:
        recurring.skip(g.seat, rule_id, request.form.get("date"))
    except Invalid as error:
        flash_invalid(error, {"date": "Occurrence to skip"})
    else:
        flash("That occurrence will not be posted.", "success")
    return _back()


@bp.post("/o/<slug>/recurring/<int:rule_id>/delete")
@requires(Perm.MANAGE_LEDGER)
def delete(rule_id: int) -> Response:
    recurring.delete(g.seat, rule_id)
    flash("Recurring transaction deleted; its posted transactions stay.", "success")
    return _back()


@bp.post("/o/<slug>/reminders")
@requires(Perm.MANAGE_LEDGER)
def create_reminder() -> Response | tuple[str, int]:
    form = Form.posted(reminder_labels(), prefix="reminder-")
    if not form.submit(reminders.create, g.seat, form.values):
        return _list_page(form)
    flash("Reminder saved.", "success")
    return _back()


@bp.post("/o/<slug>/reminders/<int:reminder_id>/paid")
@requires(Perm.MANAGE_LEDGER)
def paid(reminder_id: int) -> Response:
    reminders.mark_paid(g.seat, reminder_id)
    flash("Marked as paid.", "success")
    return _back()


@bp.post("/o/<slug>/reminders/<int:reminder_id>/delete")
@requires(Perm.MANAGE_LEDGER)
def delete_reminder(reminder_id: int) -> Response:
    reminders.delete(g.seat, reminder_id)
    flash("Reminder deleted.", "success")
    return _back()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
