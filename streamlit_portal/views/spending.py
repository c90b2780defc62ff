"""Spending: where the money went, by category; pick a category to drill into it."""

from __future__ import annotations

import streamlit as st

from app import plain_text as plain
from streamlit_portal import charts, data, ui

v = ui.view()
ui.header("Spending" if v.kind != "income" else "Income by category", v)
kind = v.kind or "expense"
rows = data.by_category(*v.key[:4], kind, v.category, v.version, v.user_id)
if not rows:
    ui.empty(
        f"No posted {'income' if kind == 'income' else 'expenses'} in this period. "
        "Record some in Outlay, or pick a longer period or fewer filters in the sidebar."
    )
    st.stop()

tops = charts.parents(rows)
st.subheader("By category")
event = st.plotly_chart(
    charts.donut(tops, v.currency), key="f_spending_donut", on_select="rerun",
    selection_mode="points",
)  # fmt: skip
picked = None
points = event.selection.points if event and event.selection else []
if points:
    label = points[0].get("label")
    picked = next((t["id"] for t in tops if plain.html(t["name"]) == label), None)
names = {t["id"]: t["name"] for t in tops}
choice = st.selectbox(
    "Drill into",
    [None, *names],
    index=0 if picked is None else [None, *names].index(picked),
    format_func=lambda c: "All categories" if c is None else names[c],
)
if choice is None:
    st.plotly_chart(charts.sunburst(rows, tops), key="f_spending_sunburst")
    table = [{"Category": t["name"], "Total": v.money(t["total"])} for t in tops]
else:
    children = [r for r in rows if (r["parent_id"] or r["id"]) == choice]
    st.subheader(plain.markdown(names[choice]))
    table = [
        {"Category": r["name"] if r["parent_id"] else f"{r['name']} (itself)",
         "Total": v.money(r["total"])}
        for r in children
    ]  # fmt: skip
ui.table(table, v)
