"""TODO."""

import streamlit as st

from streamlit_portal import ui

v = ui.view()
ui.header("trends", v)
st.write("Coming soon")
