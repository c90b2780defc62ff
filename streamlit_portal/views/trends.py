"""Trends: income and expense per month with a rolling 3-month average, per-category lines,
and this year against last year."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import streamlit as st
from dateutil.relativedelta import relativedelta

from streamlit_portal import charts, data, ui

v = ui.view()
ui.header("Trends", v)
last = (v.end - timedelta(days=1)).replace(day=1)
first = min(v.start.replace(day=1), last - relativedelta(months=11))
months = data.monthly(v.org_id, v.own_user, first, last, v.kind, v.category, v.version, v.user_id)
if not any(m["income"] or m["expense"] for m in months):
    ui.empty(
        "No posted transactions in these months. Record income and expenses in Outlay, "
        "or choose another period in the sidebar."
    )
    st.stop()

x = [m["month"] for m in months]
st.subheader("Per month")
st.caption(f"{first:%b %Y} to {last:%b %Y}; dotted: rolling 3-month average.")
series = {}
for kind, colour in (("income", charts.INCOME), ("expense", charts.EXPENSE)):
    if v.kind in ("", kind):
        name = "Income" if kind == "income" else "Expenses"
        series[name] = ([m[kind] for m in months], {"line": {"color": colour}})
        series[f"{name}, 3-month average"] = (
            [m[f"{kind}_avg3"] for m in months],
            {"line": {"color": colour, "dash": "dot"}},
        )
st.plotly_chart(charts.lines(x, series), key="f_trend_months")

kind = v.kind or "expense"
st.subheader(f"{'Income' if kind == 'income' else 'Expenses'} per category")
per = data.monthly_by_category(
    v.org_id, v.own_user, first, last, kind, v.category, v.version, v.user_id
)
names = sorted({r["name"] for r in per})
by = {(r["month"], r["name"]): r["total"] for r in per}
cats = {n: ([by.get((month, n), Decimal(0)) for month in x], {}) for n in names}
st.plotly_chart(charts.lines(x, cats), key="f_trend_categories")

st.subheader("Year over year")
year = last.year
both = data.monthly(
    v.org_id, v.own_user, date(year - 1, 1, 1), date(year, 12, 1), v.kind, v.category,
    v.version, v.user_id,
)  # fmt: skip
field = "income" if v.kind == "income" else "expense"
label = "Income" if field == "income" else "Expenses"
names_of_months = [date(2000, n, 1).strftime("%b") for n in range(1, 13)]
yoy = {
    f"{label} {y}": ([m[field] for m in both if m["month"].year == y], {}) for y in (year - 1, year)
}
st.plotly_chart(charts.lines(names_of_months, yoy), key="f_trend_yoy")
