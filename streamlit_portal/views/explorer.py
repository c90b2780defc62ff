"""Explorer: the period's transactions under the sidebar's filters, and a CSV download."""

from __future__ import annotations

from decimal import Decimal

import streamlit as st

from app.queries.analytics import EXPLORER_LIMIT
from streamlit_portal import data, ui
from streamlit_portal.export import COLUMNS, file_name, in_minor_units, to_csv

v = ui.view()
ui.header("Explorer", v)
rows = data.explorer(*v.key, v.version, v.user_id)
if not rows:
    ui.empty("No transactions match. Widen the period or clear the filters in the sidebar.")
    st.stop()
search = st.text_input("Search descriptions", key="f_explorer_search").strip().lower()
if search:
    rows = [r for r in rows if search in (r["description"] or "").lower()]
total = sum((r["base_amount"] for r in rows if r["counted"]), Decimal(0))
more = " (the newest; narrow the filters to see older ones)" if len(rows) >= EXPLORER_LIMIT else ""
st.caption(f"{len(rows)} transactions{more}.")
ui.table(
    [{label: row[key] for key, label in COLUMNS} for row in in_minor_units(rows, v.currency)],
    v,
)
if not ui.may_export(v):  # Perm.EXPORT (a member's rows are their own items only)
    st.stop()
st.download_button(
    "Download CSV",
    to_csv(rows, v.currency),
    file_name=file_name(v.start, v.end),
    mime="text/csv",
    key="f_explorer_csv",
)
