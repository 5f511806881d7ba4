"""Team: one team, everything about it: staff, indicators beside the service, children now, the surgery,
audits, data gaps, a worker's caseload and the Practice Week pack."""
import streamlit as st

from torbay_dash.ui import frame, quality, team

filters = frame.page("Team", "team")
filters = team.own_team(filters)  # a manager of one team opens on it

if filters.team == frame.ALL:
    team.choose_team(filters)
    if filters.service != frame.ALL:
        st.header(f"Practice Week pack for {filters.scope_label}")
        team.practice_week(filters)
    st.stop()

st.caption(f"{filters.team_name(filters.team)}, {filters.service_name(team.service_of(filters))}, "
           f"at {filters.as_at:%d %B %Y}; period {filters.period}.")

st.header("Who works here")
team.staff(filters)

st.header("Indicators beside the service and the authority")
team.indicators_beside(filters)

st.header("Children now")
team.children_now(filters)

st.header("Performance surgery: what changed")
team.performance_surgery(filters)

st.header("Audits")
quality.audit_themes(filters)
quality.audit_actions(filters)

st.header("Data gaps to put right")
team.data_gaps(filters)

st.header("A worker's caseload")
team.worker_view(filters)

st.header("Practice Week pack")
team.practice_week(filters)
