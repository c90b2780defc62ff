"""The org dashboard: balances, this month against last, recent entries and two charts."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Flask, g, render_template

from app import clock, money
from app import plain_text as plain
from app.queries import dashboard as figures
from app.queries import filters as filter_rules
from app.queries import transactions as listing
from tenants.permissions import Perm, requires

bp = Blueprint("dashboard", __name__)


def chart_data(org_id: int, currency: str, own_user: int | None, today: date) -> dict[str, object]:
    """What the two plotly charts draw; amounts travel as strings, like everywhere else."""
    spending, months = figures.charts(org_id, today, own_user=own_user)
    return {
        "currency": currency,
        "spending": {
            # plotly renders HTML in labels and legends: names go to it escaped.
            "labels": [plain.html(row["name"]) for row in spending],
            "amounts": [money.as_json(row["total"]) for row in spending],
            "colors": [row["color"] for row in spending],
        },
        "monthly": {
            "months": [row["month"].strftime("%Y-%m") for row in months],
            "income": [money.as_json(row["income"]) for row in months],
            "expense": [money.as_json(row["expense"]) for row in months],
            # An all-zero chart would get plotly's -1..1 axis ("1, 1, 0, -1, -1"): say so instead.
            "empty": not any(row["income"] or row["expense"] for row in months),
        },
    }


@bp.get("/o/<slug>/")
@requires(Perm.READ)
def show() -> str:
    seat = g.seat
    own = seat.owner_filter  # a member's figures count only their own entries
    today = clock.org_today(seat)
    totals, pending = figures.totals_and_pending(seat.org_id, today, own_user=own)
    recent = listing.page(seat.org_id, filter_rules.Filters(), own_user=own, limit=10)
    return render_template(
        "home/dashboard.html",
        totals=totals,
        pending=pending,  # beside the figures, never in them
        recent=recent.rows,
        charts=chart_data(seat.org_id, seat.base_currency, own, today),
        month_label=today.strftime("%B %Y"),
        can_write=seat.can(Perm.WRITE_TRANSACTIONS),
        own_only=seat.own_items_only,  # labels say the figures are of their entries
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
