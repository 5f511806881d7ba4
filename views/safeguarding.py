"""Safeguarding: contacts to child protection, by team."""
import streamlit as st

from torbay_dash import ui

st.title("Safeguarding")
filters = ui.filters()
if filters is None:
    ui.empty_state()
    st.stop()

left, right = st.columns(2)
with left:
    ui.headline(filters, "referrals")
with right:
    ui.headline(filters, "assessments_45wd_pct")

ui.monthly_series(filters, "referrals")
ui.monthly_series(filters, "assessments_45wd_pct")
ui.by_team(filters, "assessments_45wd_pct")

st.subheader("Coming to this page")
ui.coming_soon([
    "the flow from contacts to child protection plans, with conversion rates against a year earlier",
    "contacts, re-referrals, S47 enquiries, ICPC timeliness and child protection indicators",
    "the children behind each figure, for team managers' performance surgeries",
])
