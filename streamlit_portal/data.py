"""The portal's figures: `app.queries.analytics` run as one org under RLS, cached.

Each cached function is keyed by the org, the member narrowing (`own_user`), its filters and
the org's data version (`version`), which `current_version` reads fresh on every rerun: a new,
edited or deleted transaction changes the version, so the next rerun misses the cache and
recomputes. The user id only sets the tenant (underscore arguments are not part of the key).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, TypeVar

import streamlit as st

from app.queries import analytics
from app.queries import budgets as budget_queries
from app.seat import Seat
from streamlit_portal import runtime
from tenants.context import tenant_context

T = TypeVar("T")
CACHE = {"ttl": 600, "max_entries": 2000, "show_spinner": False}


def as_tenant(org_id: int, user_id: int, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `fn` in the app, as this org and user: the RLS policies apply."""
    with runtime.app().app_context(), tenant_context(org_id, user_id):
        return fn(*args, **kwargs)


def seat(org_id: int, user_id: int) -> tuple[Seat, str] | None:
    """Uncached, on every rerun: the user's Seat in the org as it is right now (a role changed
    since the handover counts at once), and the org's name; None once they left."""
    row = as_tenant(org_id, user_id, analytics.seat, org_id, user_id)
    if row is None:
        return None
    org = SimpleNamespace(id=org_id, **row)
    return Seat.of(org, user_id, row["role"]), str(row["name"])


def current_version(org_id: int, user_id: int) -> str:
    """Uncached, one cheap statement per rerun."""
    return as_tenant(org_id, user_id, analytics.data_version, org_id)


def _figure(query: Callable[..., T]) -> Callable[..., T]:
    """`query(org_id, start, end, own_user=, kind=, category=)`, a figure over the portal's
    filters and a period, run as the user in the org, cached."""

    def figure(
        org_id: int, own_user: int | None, start: date, end: date, kind: str, category: int | None,
        version: str, _user_id: int,
    ) -> T:  # fmt: skip
        filters = {"own_user": own_user, "kind": kind, "category": category}
        return as_tenant(org_id, _user_id, query, org_id, start, end, **filters)

    # Streamlit keys a cache by the function's module, qualified name and source: the name
    # keeps each figure's cache its own.
    figure.__name__ = query.__name__
    figure.__qualname__ = f"figure.{query.__name__}"
    return st.cache_data(**CACHE)(figure)


totals = _figure(analytics.totals)
by_category = _figure(analytics.by_category)
monthly = _figure(analytics.monthly)  # `start` and `end`: the first and the last month
monthly_by_category = _figure(analytics.monthly_by_category)
explorer = _figure(analytics.explorer)


@st.cache_data(**CACHE)
def categories(org_id: int, version: str, _user_id: int) -> list[dict[str, Any]]:
    return as_tenant(org_id, _user_id, analytics.categories, org_id)


def _budgets(org_id: int, on: date, periods: int, own_user: int | None) -> dict[str, Any]:
    actuals = budget_queries.actuals(org_id, on, periods=periods, own_user=own_user)
    return {"names": analytics.budget_names(org_id), "actuals": actuals}


@st.cache_data(**CACHE)
def budgets(
    org_id: int, own_user: int | None, on: date, periods: int, version: str, _user_id: int
) -> dict[str, Any]:
    """Budget vs actual (app/queries/budgets.py) for the period containing `on` and before."""
    return as_tenant(org_id, _user_id, _budgets, org_id, on, periods, own_user)


def _cash_flow(seat: Seat, today: date, days: int, base: str):
    from app.services.fx import rates
    from app.services.recurring import recurring

    flows = []
    for occurrence in recurring.upcoming(seat, today, days):  # a member's: their own rules
        rule = occurrence.rule
        if occurrence.skipped or occurrence.date < today:
            continue
        try:
            amount = rates.convert(rule.amount, rule.currency, base, today).base_amount
        except rates.NoRate:  # no rate for that currency: count it as written
            amount = rule.amount
        flows.append(
            {
                "date": occurrence.date,
                "kind": rule.kind,
                "description": rule.description or "Recurring entry",
                "amount": amount,
            }
        )
    now = analytics.balance_and_spend(seat.org_id, today, days, own_user=seat.owner_filter)
    return {"flows": flows, "balance": now["balance"], "spent": now["spent"]}


@st.cache_data(**CACHE)
def cash_flow(
    org_id: int, own_user: int | None, today: date, days: int, base: str, version: str,
    _seat: Seat,
) -> dict[str, Any]:  # fmt: skip
    """Upcoming recurring occurrences (in the base currency), today's balance and the
    last `days` days' non-recurring spending. The Seat narrows and sets the tenant; it is not
    part of the cache key (`org_id` and `own_user`, its narrowing, are)."""
    return as_tenant(org_id, int(_seat.user_id or 0), _cash_flow, _seat, today, days, base)


def project(
    balance: Decimal, flows: list[dict[str, Any]], daily: Decimal, today: date, days: int
) -> list[tuple[date, Decimal]]:
    """The balance at the end of each of the next `days` days."""
    by_day: dict[date, Decimal] = {}
    for flow in flows:
        sign = 1 if flow["kind"] == "income" else -1
        by_day[flow["date"]] = by_day.get(flow["date"], Decimal(0)) + sign * flow["amount"]
    out = []
    for n in range(1, days + 1):
        day = today + timedelta(days=n)
        balance = balance - daily + by_day.get(day, Decimal(0))
        out.append((day, balance))
    return out
