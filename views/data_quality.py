"""Data quality, for analysts: what each snapshot holds and what is wrong with it, extracts held or rejected,
cross-table rules, what a snapshot says differently from the one before it, and loading a new extract."""
import streamlit as st

from torbay_dash.ui import data_quality, frame

filters = frame.page("Data quality", "data_quality", needs_data=False)
st.write("For analysts: every snapshot's tables and problems, extracts waiting for confirmation or refused, "
         "the cross-table rules, what a new extract says differently about the past, and loading an extract.")

st.header("Snapshots and their problems")
snapshot = data_quality.snapshot_picker(filters)
if snapshot is not None:
    data_quality.snapshot_contents(snapshot)

st.header("Extracts held or rejected")
data_quality.held_and_rejected()

if snapshot is not None:
    st.header("Cross-table rules")
    data_quality.rule_failures(snapshot)
    st.subheader("Rules across snapshots")
    data_quality.rule_trend()

    st.header("What changed since the snapshot before")
    data_quality.reconciliation(snapshot)

st.header("Load an extract")
data_quality.upload()
