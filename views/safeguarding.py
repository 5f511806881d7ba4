"""Safeguarding: the front door to child protection, by team, down to the child."""
import streamlit as st

from torbay_dash import indicators
from torbay_dash.ui import frame, safeguarding, widgets

filters = frame.page("Safeguarding")
widgets.from_overview(filters, "safeguarding")

st.header("The flow for the period")
safeguarding.flow(filters)

st.header("Timeliness and outcomes")
widgets.indicator_explorer(filters, [i.id for i in indicators.REGISTRY.values() if i.area == "safeguarding"],
                           default="icpc_15wd_pct", key="safeguarding_indicator")

st.header("All safeguarding indicators")
widgets.indicators_summary_table(filters, "safeguarding")

st.header("Child protection now")
safeguarding.child_protection_now(filters)
