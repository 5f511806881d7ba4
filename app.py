"""Torbay children's services performance dashboard: the frame around every page."""
import streamlit as st

from torbay_dash import ui

st.set_page_config(page_title="Children's services performance", page_icon=":material/monitoring:",
                   layout="wide")

pages = st.navigation([
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/safeguarding.py", title="Safeguarding", icon=":material/shield:"),
    st.Page("pages/cared_for.py", title="Cared-for children", icon=":material/home:"),
    st.Page("pages/workforce.py", title="Workforce", icon=":material/groups:"),
    st.Page("pages/quality.py", title="Quality assurance", icon=":material/fact_check:"),
    st.Page("pages/definitions.py", title="Definitions", icon=":material/menu_book:"),
])

current = ui.sidebar()
ui.header(current)
pages.run()
