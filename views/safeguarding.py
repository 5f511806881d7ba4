"""Safeguarding: the front door to child protection, by team, down to the child."""
import streamlit as st

from torbay_dash import indicators, ui

st.title("Safeguarding")
filters = ui.filters()
if filters is None:
    ui.empty_state()
    st.stop()

st.header("The flow for the period")
ui.safeguarding_flow(filters)

st.header("Timeliness and outcomes")
ui.indicator_explorer(filters, [i.id for i in indicators.REGISTRY.values() if i.area == "safeguarding"],
                      default="icpc_15wd_pct", key="indicator")

st.header("All safeguarding indicators")
ui.indicators_summary_table(filters, "safeguarding")

st.header("Child protection now")
ui.child_protection_now(filters)
