"""Budget pages: list with this period's progress, add, edit, delete, and past periods."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.queries import budgets as figures
from app.services.budgets import budgets as service
from app.services.ledger import categories as category_service
from app.web.forms import Form
from tenants.permissions import Perm, requires

bp = Blueprint("budgets", __name__)
HISTORY = {"monthly": 12, "annual": 5}
BAR = {"ok": "bg-success", "near": "bg-warning", "over": "bg-danger"}


def labels() -> dict[str, str]:
    """As budgets/form.html labels its fields."""
    return {
        "name": "Name",
        "category_id": "Category",
        "amount": f"Amount ({g.seat.base_currency})",
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
    return Form.posted(labels(), flags=("rollover",))


@bp.get("/o/<slug>/budgets")
@requires(Perm.READ)
def index() -> str:
    return render_template(
        "budgets/list.html",
        budgets=service.budgets(g.seat),
        actual=figures.current(g.seat.org_id, own_user=g.seat.owner_filter),
        own=g.seat.own_items_only,
        bar=BAR,
        can_manage=g.seat.can(Perm.MANAGE_LEDGER),
    )


@bp.route("/o/<slug>/budgets/new", methods=["GET", "POST"])
@requires(Perm.MANAGE_LEDGER)
def create() -> Response | tuple[str, int]:
    form = Form(labels(), {"period": "monthly", "thresholds": "80, 100"})
    if request.method == "POST":
        form = _posted()
        if form.submit(service.create, g.seat, form.values):
            flash(f"Budget {form.result.name} added.", "success")
            return redirect(url_for(".index", slug=g.seat.org_slug))
    return _form(None, form)


@bp.route("/o/<slug>/budgets/<int:budget_id>", methods=["GET", "POST"])
@requires(Perm.MANAGE_LEDGER)
def edit(budget_id: int) -> Response | tuple[str, int]:
    budget = service.get(g.seat, budget_id)
    form = Form(
        labels(),
        {
            **service.snapshot(budget),
            "amount": f"{budget.amount.normalize():f}",
            "thresholds": ", ".join(str(t) for t in budget.thresholds),
            "category_id": budget.category_id or "",
        },
    )
    if request.method == "POST":
        form = _posted()
        if form.submit(service.update, g.seat, budget.id, form.values):
            flash("Budget saved.", "success")
            return redirect(url_for(".index", slug=g.seat.org_slug))
    return _form(budget, form)


@bp.post("/o/<slug>/budgets/<int:budget_id>/delete")
@requires(Perm.MANAGE_LEDGER)
def delete(budget_id: int) -> Response:
    service.delete(g.seat, budget_id)
    flash("Budget deleted.", "success")
    return redirect(url_for(".index", slug=g.seat.org_slug))


@bp.get("/o/<slug>/budgets/<int:budget_id>/history")
@requires(Perm.READ)
def history(budget_id: int) -> str:
    budget = service.get(g.seat, budget_id)
    periods = figures.history(
        g.seat.org_id, budget, HISTORY[budget.period], own_user=g.seat.owner_filter
    )
    return render_template("budgets/history.html", budget=budget, periods=periods, bar=BAR)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def widget() -> dict[str, object]:
        def budget_widget() -> list[tuple[object, figures.Actual]]:
            """The dashboard's budgets: the fullest first, at most five."""
            seat = g.get("seat")
            if seat is None:
                return []
            actual = figures.current(seat.org_id, own_user=seat.owner_filter)
            pairs = [(b, actual[b.id]) for b in service.budgets(seat) if b.id in actual]
            return sorted(pairs, key=lambda p: p[1].percent, reverse=True)[:5]

        return {"budget_widget": budget_widget, "budget_bar": BAR}
