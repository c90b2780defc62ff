"""Recurring transactions and bill reminders: the list (with the next 30 days), the rule form,
pause/resume/skip/delete, and one-off reminders. Thin: parse, call a service, render."""

from __future__ import annotations

import calendar

from flask import Blueprint, Flask, flash, g, redirect, render_template, request
from werkzeug.wrappers import Response

from app import clock, money
from app.errors import Invalid
from app.seat import Seat
from app.services.ledger import categories as category_service
from app.services.recurring import recurring, reminders
from app.web.actions import Button, add_buttons, done, index_url
from app.web.forms import Form, flash_invalid, in_base_currency
from tenants.permissions import Perm, requires

bp = Blueprint("recurring", __name__)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = tuple(calendar.month_name[1:])
RULE = "/o/<slug>/recurring/<int:rule_id>"
# As recurring/form.html labels its fields; in_base_currency() names the currency in Amount's.
RULE_LABELS = {
    "kind": "Kind",
    "amount": "Amount",
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
REMINDER_LABELS = {
    "title": "Remind me about",
    "due_date": "Due",
    "amount": "Amount",
    "remind_days_before": "Days before",
}


@bp.get("/o/<slug>/recurring")
@requires(Perm.READ)
def index() -> tuple[str, int]:
    return _list_page(
        Form(in_base_currency(REMINDER_LABELS), {"remind_days_before": 3}, prefix="reminder-")
    )


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
    return Form.posted(in_base_currency(RULE_LABELS), flags=("is_bill",))


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
        in_base_currency(RULE_LABELS),
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
            return done("Recurring transaction saved.")
    return _render_form(form, None)


@bp.route(RULE, methods=["GET", "POST"])
@requires(Perm.MANAGE_LEDGER)
def edit(rule_id: int) -> tuple[str, int] | Response:
    rule = recurring.get(g.seat, rule_id)
    values: dict[str, object] = recurring.values(rule)
    values["amount"] = money.form_amount(rule.amount, rule.currency)
    values["tags"] = ", ".join(rule.tags)
    form = Form(in_base_currency(RULE_LABELS), values)
    if request.method == "POST":
        form = _posted()
        if form.submit(recurring.update, g.seat, rule.id, form.values):
            return done("Recurring transaction updated; posted transactions are unchanged.")
    return _render_form(form, rule)


@bp.post(f"{RULE}/skip")
@requires(Perm.MANAGE_LEDGER)
def skip(rule_id: int) -> Response:
    try:
        recurring.skip(g.seat, rule_id, request.form.get("date"))
    except Invalid as error:
        flash_invalid(error, {"date": "Occurrence to skip"})
    else:
        flash("That occurrence will not be posted.", "success")
    return redirect(index_url())


@bp.post("/o/<slug>/reminders")
@requires(Perm.MANAGE_LEDGER)
def create_reminder() -> Response | tuple[str, int]:
    form = Form.posted(in_base_currency(REMINDER_LABELS), prefix="reminder-")
    if not form.submit(reminders.create, g.seat, form.values):
        return _list_page(form)
    return done("Reminder saved.")


def _resume(seat: Seat, rule_id: int) -> None:
    recurring.resume(seat, rule_id, clock.org_today(seat))


RULE_BUTTONS = {
    "pause": Button(recurring.pause, "Paused: nothing posts until you resume it."),
    "resume": Button(_resume, "Resumed from today."),
    "delete": Button(
        recurring.delete, "Recurring transaction deleted; its posted transactions stay."
    ),
}
REMINDER_BUTTONS = {
    "paid": Button(reminders.mark_paid, "Marked as paid."),
    "delete_reminder": Button(reminders.delete, "Reminder deleted.", path="delete"),
}
add_buttons(bp, RULE, Perm.MANAGE_LEDGER, RULE_BUTTONS)
add_buttons(bp, "/o/<slug>/reminders/<int:reminder_id>", Perm.MANAGE_LEDGER, REMINDER_BUTTONS)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
