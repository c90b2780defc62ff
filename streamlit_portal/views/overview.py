"""Overview: income, expense, net and savings rate, each against the previous period."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import streamlit as st

from streamlit_portal import data, ui

v = ui.view()
ui.header("Overview", v)
now = data.totals(*v.key, v.version, v.user_id)
before_start, before_end = v.previous()
before = data.totals(
    v.org_id, v.own_user, before_start, before_end, v.kind, v.category, v.version, v.user_id
)


def rate(figures: dict) -> Decimal | None:
    if not figures["income"]:
        return None
    net = figures["income"] - figures["expense"]
    return (net * 100 / figures["income"]).quantize(Decimal("0.1"))


def change(current: Decimal, previous: Decimal) -> str | None:
    difference = current - previous
    return None if not difference else f"{'+' if difference > 0 else '-'}{v.money(abs(difference))}"


net_now = now["income"] - now["expense"]
net_before = before["income"] - before["expense"]
rate_now, rate_before = rate(now), rate(before)
if rate_now is not None and rate_before is not None and rate_now != rate_before:
    rate_delta: str | None = f"{rate_now - rate_before:+} pp"
else:
    rate_delta = None

top = st.columns(2)
top[0].metric("Income", v.money(now["income"]), change(now["income"], before["income"]))
top[1].metric(
    "Expenses",
    v.money(now["expense"]),
    change(now["expense"], before["expense"]),
    delta_color="inverse",
)
bottom = st.columns(2)
bottom[0].metric("Net", v.money(net_now), change(net_now, net_before))
bottom[1].metric("Savings rate", "n/a" if rate_now is None else f"{rate_now} %", rate_delta)
st.caption(
    f"Compared with {before_start.isoformat()} to {(before_end - timedelta(days=1)).isoformat()}. "
    f"{now['count']} posted transactions in this period."
)
if not now["count"]:
    ui.empty(
        "Nothing posted in this period yet. Record income and expenses in Outlay, or choose "
        "a longer period in the sidebar."
    )
