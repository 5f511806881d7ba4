"""Cared-for children: the looked-after population and its care."""
import streamlit as st

from torbay_dash import ui

st.title("Cared-for children")
filters = ui.filters()
if filters is None:
    ui.empty_state()
    st.stop()

ui.headline(filters, "cla_count")
ui.monthly_series(filters, "cla_count")
ui.by_team(filters, "cla_count")

st.subheader("Coming to this page")
ui.coming_soon([
    "starts and endings, and the rate per 10,000 children against England and statistical neighbours",
    "placement mix, residential placements, distance from home and stability",
    "statutory visits, reviews, health and dental checks, with lists of children whose visit is due",
    "missing episodes, CAMHS provision, care leavers and adoption timeliness",
])
