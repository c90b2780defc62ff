"""Budgets: actual against budget per period, and a forecast to the end of this period."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import plotly.graph_objects as go
import streamlit as st

from streamlit_portal import charts, data, ui

v = ui.view()
ui.header("Budgets", v)
on = min(v.today, v.end - timedelta(days=1))
found = data.budgets(v.org_id, v.own_user, on, 12, v.version, v.user_id)
names, actuals = found["names"], found["actuals"]
if not actuals:
    ui.empty("No budgets yet. Owners and accountants add them on the Budgets page in Outlay.")
    st.stop()


def forecast(a) -> Decimal:
    """Spending at the period's end if it goes on at this period's pace so far."""
    if not a.period_start <= v.today < a.period_end:
        return a.spent
    elapsed = (v.today - a.period_start).days + 1
    total = (a.period_end - a.period_start).days
    return (a.spent * total / elapsed).quantize(Decimal("0.01"))


current = {}
for a in actuals:
    if a.budget_id not in current or a.period_start > current[a.budget_id].period_start:
        current[a.budget_id] = a
st.caption(f"Periods containing {on.isoformat()}; forecast at this period's pace so far.")
rows = []
for budget_id, a in current.items():
    ahead = forecast(a)
    rows.append(
        {
            "Budget": names.get(budget_id, {}).get("name", f"#{budget_id}"),
            "Period": f"{a.period_start:%b %Y}"
            if names.get(budget_id, {}).get("period") == "monthly"
            else str(a.period_start.year),
            "Available": v.money(a.available),
            "Spent": v.money(a.spent),
            "Left": v.money(a.remaining),
            "Used": f"{a.percent} %",
            "Forecast": v.money(ahead),
            "On track": "yes" if ahead <= a.available else "no",
        }
    )
ui.table(rows, v)

labels = {b: names.get(b, {}).get("name", f"#{b}") for b in current}
chosen = st.selectbox("History of", list(labels), format_func=labels.__getitem__)
history = sorted((a for a in actuals if a.budget_id == chosen), key=lambda a: a.period_start)
x = [a.period_start for a in history]
fig = go.Figure()
fig.add_trace(go.Bar(x=x, y=charts.floats(a.spent for a in history), name="Spent"))
fig.add_trace(
    go.Scatter(
        x=x,
        y=charts.floats(a.available for a in history),
        name="Budget",
        mode="lines+markers",
        line={"color": charts.EXPENSE, "shape": "hv"},
    )
)
fig.update_traces(marker_color=charts.PRIMARY, selector={"type": "bar"})
st.plotly_chart(charts.layout(fig), key="f_budget_history")
