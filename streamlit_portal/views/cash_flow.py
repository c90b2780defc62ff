"""TODO."""

import streamlit as st

from streamlit_portal import ui

v = ui.view()
ui.header("cash_flow", v)
st.write("Coming soon")
