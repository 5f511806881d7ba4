"""Quality assurance: audits, grades, moderation, actions and case sampling."""
import streamlit as st

from torbay_dash import ui

st.title("Quality assurance")
ui.coming_soon([
    "case audits per month against the target of 25, by team and auditor",
    "the share of audits graded good or better, with its uncertainty and n",
    "moderation agreement, and audit actions completed on time",
    "a case sampler that draws next month's audit sample reproducibly",
])
