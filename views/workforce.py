"""Workforce: agency reliance, vacancies, turnover, caseloads, supervision."""
import streamlit as st

from torbay_dash import ui

st.title("Workforce")
ui.coming_soon([
    "funded social worker posts and who fills them: employed, agency and vacant, by team and month",
    "turnover over a rolling 12 months, with starters, leavers and their reasons",
    "growing our own: ASYE intakes, international recruits, agency staff converted to permanent posts",
    "caseloads per worker by team against the local threshold, and supervision within the standard",
])
