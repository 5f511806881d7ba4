"""Safeguarding: the front door to child protection, by team, down to the child."""
import streamlit as st

from torbay_dash import indicators
from torbay_dash.ui import frame, safeguarding, widgets

filters = frame.page("Safeguarding", "safeguarding")
# A link naming an indicator opens it first; that explorer offers every safeguarding indicator,
# so the page's own "Timeliness and outcomes" explorer would only repeat it.
from_a_link = widgets.from_overview(filters, "safeguarding")

st.header("The flow for the period")
safeguarding.flow(filters)

if not from_a_link:
    st.header("Timeliness and outcomes")
    widgets.indicator_explorer(filters, [i.id for i in indicators.REGISTRY.values() if i.area == "safeguarding"],
                               default="icpc_15wd_pct", key="indicator")

st.header("All safeguarding indicators")
widgets.indicators_summary_table(filters, "safeguarding")

st.header("Child protection now")
safeguarding.child_protection_now(filters)
