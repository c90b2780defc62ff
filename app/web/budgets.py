"""Budget pages: list with this period's progress, add, edit, delete, and past periods."""

from __future__ import annotations

from flask import Blueprint, Flask, g, render_template, request
from werkzeug.wrappers import Response

from app import clock, money
from app.queries import budgets as figures
from app.services.budgets import budgets as service
from app.services.ledger import categories as category_service
from app.web.actions import Button, add_buttons, done
from app.web.forms import Form, in_base_currency
from tenants.permissions import Perm, requires

bp = Blueprint("budgets", __name__)
HISTORY = {"monthly": 12, "annual": 5}
BUDGET = "/o/<slug>/budgets/<int:budget_id>"
BAR = {"ok": "bg-success", "near": "bg-warning", "over": "bg-danger"}
# As budgets/form.html labels its fields; in_base_currency() names the currency in Amount's.
LABELS = {
    "name": "Name",
    "category_id": "Category",
    "amount": "Amount",
    "period": "Period",
    "thresholds": "Alert at (percent, comma-separated, 1\u2013200)",
    "rollover": "Roll over what is left unspent in one period to the next",
}


def _form(budget: object, form: Form) -> tuple[str, int]:
    return render_template(
        "budgets/form.html",
        budget=budget,
        form=form,
        category_tree=[
            (c, kids) for c, kids in category_service.tree(g.seat) if c.kind == "expense"
        ],
    ), form.status


def _posted() -> Form:
    return Form.posted(in_base_currency(LABELS), flags=("rollover",))


@bp.get("/o/<slug>/budgets")
@requires(Perm.READ)
def index() -> str:
    # The budgets with their figures in one statement; the seat knows the org's zone.
    listed = figures.current_listed(
        g.seat.org_id, clock.org_today(g.seat), own_user=g.seat.owner_filter
    )
    return render_template(
        "budgets/list.html",
        budgets=[budget for budget, _ in listed],
        actual={budget.id: actual for budget, actual in listed},
        own=g.seat.own_items_only,
        bar=BAR,
        can_manage=g.seat.can(Perm.MANAGE_LEDGER),
    )


@bp.route("/o/<slug>/budgets/new", methods=["GET", "POST"])
@requires(Perm.MANAGE_LEDGER)
def create() -> Response | tuple[str, int]:
    form = Form(in_base_currency(LABELS), {"period": "monthly", "thresholds": "80, 100"})
    if request.method == "POST":
        form = _posted()
        if form.submit(service.create, g.seat, form.values):
            return done(f"Budget {form.result.name} added.")
    return _form(None, form)


@bp.route(BUDGET, methods=["GET", "POST"])
@requires(Perm.MANAGE_LEDGER)
def edit(budget_id: int) -> Response | tuple[str, int]:
    budget = service.get(g.seat, budget_id)
    form = Form(
        in_base_currency(LABELS),
        {
            **service.snapshot(budget),
            "amount": money.form_amount(budget.amount, g.seat.base_currency),
            "thresholds": ", ".join(str(t) for t in budget.thresholds),
            "category_id": budget.category_id or "",
        },
    )
    if request.method == "POST":
        form = _posted()
        if form.submit(service.update, g.seat, budget.id, form.values):
            return done("Budget saved.")
    return _form(budget, form)


add_buttons(bp, BUDGET, Perm.MANAGE_LEDGER, {"delete": Button(service.delete, "Budget deleted.")})


@bp.get(f"{BUDGET}/history")
@requires(Perm.READ)
def history(budget_id: int) -> str:
    budget = service.get(g.seat, budget_id)
    periods = figures.history(
        g.seat.org_id, budget, HISTORY[budget.period], own_user=g.seat.owner_filter
    )
    return render_template("budgets/history.html", budget=budget, periods=periods, bar=BAR)


def budget_widget() -> list[tuple[figures.Listed, figures.Actual]]:
    """The dashboard's budgets: the fullest first, at most five."""
    seat = g.get("seat")
    if seat is None:
        return []
    pairs = figures.current_listed(seat.org_id, clock.org_today(seat), own_user=seat.owner_filter)
    return sorted(pairs, key=lambda p: p[1].percent, reverse=True)[:5]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(budget_widget)
    app.add_template_global(BAR, "budget_bar")
