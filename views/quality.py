"""Quality assurance: audits against target, grades with honest uncertainty, learning into action, sampling."""
import streamlit as st

from torbay_dash import indicators
from torbay_dash.ui import frame, quality, widgets

filters = frame.page("Quality assurance", "quality")

headlines = [i for i in ["audits_completed", "audits_good_or_better_pct", "audit_moderation_agreement_pct",
                         "audit_actions_on_time_pct"] if i in indicators.REGISTRY]
for column, indicator_id in zip(st.columns(max(1, len(headlines))), headlines):
    with column:
        widgets.headline(filters, indicator_id)

widgets.from_overview(filters, "quality")

st.header("Volume: audits against the target")
quality.audit_volume(filters)

st.header("Grades, with their uncertainty")
quality.audit_grades(filters)

st.header("Moderation")
quality.moderation(filters)

st.header("Learning into action")
quality.audit_actions(filters)
st.subheader("Recurring themes")
quality.audit_themes(filters)

st.header("Triangulation: practice quality beside performance")
quality.triangulation(filters)

st.header("Case sampler: next month's audit sample")
quality.case_sampler(filters)
st.subheader("Sample-size calculator")
quality.sample_size_calculator(default_population=400)

st.header("All quality assurance indicators")
widgets.indicators_summary_table(filters, "quality")
