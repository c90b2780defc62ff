"""Cash flow: the next 90 days from recurring rules plus the recent average daily spending."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go
import streamlit as st

from app import plain_text as plain
from streamlit_portal import charts, data, ui
from streamlit_portal.outlook import balance_label, outlook

DAYS = 90
v = ui.view()
st.title("Cash flow")
st.caption(f"{plain.markdown(v.org_name)} · next {DAYS} days from today · amounts in {v.currency}")
found = data.cash_flow(v.org_id, v.own_user, v.today, DAYS, v.currency, v.version, v.seat)
flows, balance = found["flows"], found["balance"]
daily = (found["spent"] / DAYS).quantize(Decimal("0.01"))
if not flows and not daily and not balance:
    ui.empty(
        "Nothing to project yet. Record transactions and add recurring rules (salary, rent, "
        "subscriptions) in Outlay to see where the balance is heading."
    )
    st.stop()

path = data.project(balance, flows, daily, v.today, DAYS)
st.metric(balance_label(v.own_user is not None), v.money(balance))
st.metric(f"In {DAYS} days", v.money(path[-1][1]), v.money(path[-1][1] - balance))
level, sentence = outlook(balance, path, DAYS)
getattr(st, level)(sentence)
if v.own_user is not None:
    st.caption("You see the entries you recorded, so this is not the organisation's balance.")
st.caption(
    f"Average daily spending of the last {DAYS} days, recurring entries aside: "
    f"{v.money(daily)}; recurring entries are counted on their dates."
)
fig = go.Figure(
    go.Scatter(
        x=[v.today, *(d for d, _ in path)],
        y=charts.floats([balance, *(a for _, a in path)]),
        mode="lines",
        name="Balance",
        line={"color": charts.PRIMARY},
    )
)
fig.add_hline(y=0, line={"color": charts.EXPENSE, "dash": "dot"})
st.plotly_chart(charts.layout(fig), key="f_cash_flow")
if flows:
    st.subheader("Upcoming recurring entries")
    ui.table(
        [
            {
                "Date": f["date"].isoformat(),
                "Description": f["description"],
                "Amount": v.money(f["amount"] if f["kind"] == "income" else -f["amount"]),
            }
            for f in flows
        ],
        v,
    )
else:
    st.info("No recurring rules fall due in the next 90 days; add them in Outlay.")
