"""Quality assurance: audits against target, grades with honest uncertainty, learning into action, sampling."""
import streamlit as st

from torbay_dash import indicators, ui

st.title("Quality assurance")
filters = ui.filters()
if filters is None:
    ui.empty_state()
    st.stop()

headlines = [i for i in ["audits_completed", "audits_good_or_better_pct", "audit_moderation_agreement_pct",
                         "audit_actions_on_time_pct"] if i in indicators.REGISTRY]
for column, indicator_id in zip(st.columns(max(1, len(headlines))), headlines):
    with column:
        ui.headline(filters, indicator_id)

ui.from_overview(filters, "quality")

st.header("Volume: audits against the target")
ui.audit_volume(filters)

st.header("Grades, with their uncertainty")
ui.audit_grades(filters)

st.header("Moderation")
ui.moderation(filters)

st.header("Learning into action")
ui.audit_actions(filters)
st.subheader("Recurring themes")
ui.audit_themes(filters)

st.header("Triangulation: practice quality beside performance")
ui.triangulation(filters)

st.header("Case sampler: next month's audit sample")
ui.case_sampler(filters)
st.subheader("Sample-size calculator")
ui.sample_size_calculator(default_population=400)

st.header("All quality assurance indicators")
ui.indicators_summary_table(filters, "quality")
