"""Definitions: every indicator, exactly as computed, generated from the registry."""
import streamlit as st

from torbay_dash import indicators

st.title("Definitions")
st.write("Every indicator on this dashboard, with the exact rule used to compute it. "
         "The same definitions drive the figures, so this page cannot drift from them.")
st.caption("Conventions: periods include both dates; flow indicators count events dated in the period; "
           "stock indicators are taken at the period's last day; open at a date means started on or before it "
           "and not ended by it (an episode ending on the date is not open). Working days are Monday to Friday "
           "less England and Wales bank holidays; the start day is day 0. A child's team for a stock indicator "
           "is the team of their allocated social worker at that date, else UNALLOCATED. Rows the data "
           "contract calls bad (an end before its start, an unreadable value, a repeat of an id already "
           "seen, a missing key date) are left out of every figure and listed in the snapshot report.")

for area, area_title in indicators.AREAS.items():
    entries = [i for i in indicators.REGISTRY.values() if i.area == area]
    if not entries:
        continue
    st.header(area_title)
    for indicator in entries:
        with st.container(border=True, key=f"definition_{indicator.id}"):
            st.markdown(f"#### {indicator.title}")
            st.markdown(f"`{indicator.id}`")
            st.write(indicator.definition)
            st.markdown(
                f"- **Unit:** {indicator.unit_label}\n"
                f"- **Direction:** {indicator.better}\n"
                f"- **Kind:** {'stock, at the period end' if indicator.kind == 'stock' else 'flow, events in the period'}\n"
                f"- **Team rule:** {indicator.team_rule}\n"
                f"- **Tables:** {', '.join(indicator.tables)}\n"
                f"- **Source:** {indicator.source or 'local'}")
