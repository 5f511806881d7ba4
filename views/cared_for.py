"""Cared-for children: how many, where they live, whether duties are met, how they are doing."""
import streamlit as st

from torbay_dash import indicators
from torbay_dash.ui import cared_for, frame, widgets

filters = frame.page("Cared-for children", "cared_for")

columns = st.columns(4)
for column, indicator_id in zip(columns, ["cla_count", "cla_rate_per_10k", "cla_starts", "cla_ceased"]):
    with column:
        if indicator_id in indicators.REGISTRY:
            widgets.headline(filters, indicator_id)

widgets.from_overview(filters, "cared_for")

st.header("Population over time")
cared_for.cla_population(filters)
if "cla_rate_per_10k" in indicators.REGISTRY:
    st.subheader("Rate per 10,000 children, against England and statistical neighbours")
    widgets.trend(filters, "cla_rate_per_10k")

st.header("Placements")
st.markdown("**Where children in care live, at each month end**")
cared_for.placement_mix(filters)
widgets.indicator_explorer(filters, ["cla_in_house_foster_pct", "cla_residential_count", "cla_placed_20mi_pct",
                                     "cla_3plus_placements_pct", "cla_long_term_stability_pct"],
                           default="cla_in_house_foster_pct", key="placement_indicator", children=False)

st.header("Statutory duties")
widgets.indicator_explorer(filters, ["cla_visits_in_timescale_pct", "cla_reviews_on_time_pct",
                                     "cla_health_assessment_pct", "cla_dental_check_pct"],
                           default="cla_visits_in_timescale_pct", key="duty_indicator")

st.header("Lists for managers")
st.caption(f"At {filters.as_at:%d %B %Y} (the snapshot date), for {filters.scope_label}. Pseudonymous ids only.")
visits, reviews, far, moves = st.tabs(["Visits overdue or due in 7 days", "Reviews due in 20 working days",
                                       "Placed over 20 miles away", "3 or more placements in 12 months"])
with visits:
    cared_for.cla_visits_due(filters)
with reviews:
    cared_for.cla_reviews_due(filters)
with far:
    if "cla_placed_20mi_pct" in indicators.REGISTRY:
        widgets.children_behind(filters, "cla_placed_20mi_pct", None, widgets.as_at_period(filters), numerator=1,
                                key="far")
with moves:
    if "cla_3plus_placements_pct" in indicators.REGISTRY:
        widgets.children_behind(filters, "cla_3plus_placements_pct", None, widgets.as_at_period(filters), numerator=1,
                                key="moves")

st.header("Wellbeing")
cared_for.missing_summary(filters)
wellbeing = [i for i in ["cla_missing_pct", "cla_camhs_direct", "care_leavers_in_touch_pct",
                         "care_leavers_suitable_accom_pct", "care_leavers_eet_pct",
                         "adoption_entry_to_placement_days"] if i in indicators.REGISTRY]
for row_start in range(0, len(wellbeing), 3):
    for column, indicator_id in zip(st.columns(3), wellbeing[row_start:row_start + 3]):
        with column:
            widgets.headline(filters, indicator_id)
cared_for.camhs_share(filters)

st.header("All cared-for indicators")
widgets.indicators_summary_table(filters, "cared_for")
