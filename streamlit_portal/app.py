"""Outlay Analytics: the entry script (`streamlit run streamlit_portal/app.py`).

Every rerun: accept a handover token if the URL carries one, build the user's Seat from their
membership as it is now (none once they left), read the org's data version, draw the sidebar,
run the page.
Without a valid identity no page runs: only the refusal is shown.
"""

import streamlit as st

from streamlit_portal import auth, data, ui

st.set_page_config(page_title="Outlay Analytics", page_icon=":material/insights:", layout="wide")

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("views/spending.py", title="Spending", icon=":material/donut_large:"),
    st.Page("views/trends.py", title="Trends", icon=":material/show_chart:"),
    st.Page("views/budgets.py", title="Budgets", icon=":material/savings:"),
    st.Page("views/cash_flow.py", title="Cash flow", icon=":material/waterfall_chart:"),
    st.Page("views/explorer.py", title="Explorer", icon=":material/table_view:"),
]

identity = auth.accept_handover()
found = data.seat(identity.org_id, identity.user_id) if identity is not None else None
page = st.navigation(PAGES, position="sidebar" if found is not None else "hidden")
if identity is None:
    auth.refuse()
    st.stop()
if found is None:
    auth.refuse("You are no longer a member of this organisation. Open Analytics from Outlay.")
    st.stop()
seat, org_name = found
version = data.current_version(identity.org_id, identity.user_id)
st.session_state[ui.VIEW] = ui.sidebar(seat, org_name, version)
page.run()
ui.close_sidebar_on_phones(page.url_path or page.title)
