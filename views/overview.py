"""Overview: the headline indicators for leaders."""
import streamlit as st

from torbay_dash import ui

st.title("Overview")
filters = ui.filters()
if filters is None:
    ui.empty_state()
    st.stop()

st.write("Headline indicators for the period. Open **Definition** under any figure for exactly what it counts.")
left, middle, right = st.columns(3)
with left:
    ui.headline(filters, "referrals")
with middle:
    ui.headline(filters, "assessments_45wd_pct")
with right:
    ui.headline(filters, "cla_count")

st.subheader("Coming to this page")
ui.coming_soon([
    "every headline indicator with its trend as a statistical process control chart, so a real change is told from noise",
    "targets, England and statistical-neighbour benchmarks beside each figure",
    "the board's highlight report, ready to print",
])
