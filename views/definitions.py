"""Definitions: every indicator, exactly as computed, generated from the registry."""
import streamlit as st

from torbay_dash import indicators
from torbay_dash.ingest import ssda903
from torbay_dash.ui import frame

frame.page("Definitions", "definitions", needs_data=False)
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

st.header("Loading an SSDA903 return", anchor="loading-an-ssda903-return")
st.write("An SSDA903 return (the DfE's children looked after return, one CSV per part) can be loaded in place "
         "of a case-management extract. The tables below show, for every column the dashboard reads, which 903 "
         "file and column it comes from and how. Identifying columns (the UPN, the child's home postcode, the "
         "mother's details and repeated dates of birth) are read and dropped, never stored.")
_mapping = ssda903.mapping_frame()
_MAPPING_HEADERS = {"target_column": "Dashboard column", "source_file": "903 file", "source_column": "903 column",
                    "rule": "How it is derived", "note": "Note"}
for _table, _rows in _mapping.groupby("target_table", sort=False):
    st.subheader(f"Table {_table}", anchor=f"ssda903-{_table}")
    _shown = _rows.drop(columns="target_table").rename(columns=_MAPPING_HEADERS)
    _shown["903 file"] = _shown["903 file"].replace("", "none (not in the 903)")
    _shown["How it is derived"] = _shown["How it is derived"].str.replace("_", " ")
    st.dataframe(_shown, hide_index=True, width="stretch", key=f"ssda903_mapping_{_table}")
st.markdown("**Not in the 903.** A 903 return cannot fill these tables, so the indicators that need them say "
            "unavailable rather than zero: " + ", ".join(ssda903.unfilled_tables()) + ".")
