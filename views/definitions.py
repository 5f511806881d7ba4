"""Definitions: every indicator, exactly as computed, generated from the registry."""
import streamlit as st

from torbay_dash import indicators
from torbay_dash.ui import frame

frame.page("Definitions", needs_data=False)
st.write("Every indicator on this dashboard, with the exact rule used to compute it. "
         "The same definitions drive the figures, so this page cannot drift from them.")
st.caption("Conventions: periods include both dates; flow indicators count events dated in the period; "
           "stock indicators are taken at the period's last day; open at a date means started on or before it "
           "and not ended by it (an episode ending on the date is not open). Working days are Monday to Friday "
           "less England and Wales bank holidays; the start day is day 0. A child's team for a stock indicator "
           "is the team of their allocated social worker at that date; a child with none counts as "
           "unallocated. Rows the data contract calls bad (an end before its start, an unreadable value, a repeat "
           "of an id already seen, a missing key date) are left out of every figure and listed in the snapshot report.")

KINDS = {"stock": "stock, at the period end", "flow": "flow, events in the period"}

for area, area_title in indicators.AREAS.items():
    entries = [i for i in indicators.REGISTRY.values() if i.area == area]
    if not entries:
        continue
    st.header(area_title)
    for indicator in entries:
        with st.container(border=True, key=f"definition_{indicator.id}"):
            st.subheader(indicator.title, anchor=indicator.id)
            st.markdown(f"Id, as used by the command line and in downloads: `{indicator.id}`")
            st.markdown(f"**In brief:** {indicator.in_words}")
            st.write(indicator.definition)
            st.markdown(
                f"- **Unit:** {indicator.unit_label}\n"
                f"- **Direction:** {indicator.better}\n"
                f"- **Kind:** {KINDS[indicator.kind]}\n"
                f"- **Team rule:** {indicator.team_rule}\n"
                f"- **Tables:** {', '.join(indicator.tables)}\n"
                f"- **Source:** {indicator.source or 'local'}")
