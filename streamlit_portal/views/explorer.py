"""TODO."""

import streamlit as st

from streamlit_portal import ui

v = ui.view()
ui.header("explorer", v)
st.write("Coming soon")
