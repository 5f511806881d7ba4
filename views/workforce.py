"""Workforce: agency reliance, vacancies, turnover, caseloads, supervision."""
import streamlit as st

from torbay_dash import indicators
from torbay_dash.ui import frame, widgets, workforce

filters = frame.page("Workforce", "workforce")

headlines = [i for i in ["sw_fte", "sw_agency_rate_pct", "sw_vacancy_rate_pct", "sw_turnover_rate_pct"]
             if i in indicators.REGISTRY]
for column, indicator_id in zip(st.columns(max(1, len(headlines))), headlines):
    with column:
        widgets.headline(filters, indicator_id)

widgets.from_overview(filters, "workforce")

st.header("Establishment and who fills it")
workforce.establishment(filters)
widgets.indicator_explorer(filters, ["sw_agency_rate_pct", "sw_vacancy_rate_pct", "sw_fte"],
                           default="sw_agency_rate_pct", key="establishment_indicator", children=False)

st.header("Turnover")
if "sw_turnover_rate_pct" in indicators.REGISTRY:
    st.subheader("Turnover over the 12 months ending each month, against England and statistical neighbours")
    widgets.trend(filters, "sw_turnover_rate_pct")
workforce.turnover(filters)

st.header("Growing our own")
workforce.growing_our_own(filters)

st.header("Caseloads")
workforce.caseloads(filters)

st.header("Supervision and absence")
widgets.indicator_explorer(filters, ["sw_supervision_in_timescale_pct", "sw_absence_rate_pct", "sw_avg_caseload"],
                           default="sw_supervision_in_timescale_pct", key="practice_indicator", children=False)

st.header("Stability for children")
if "cla_3plus_social_workers_pct" in indicators.REGISTRY:
    widgets.headline(filters, "cla_3plus_social_workers_pct")
    widgets.teams_side_by_side(filters, "cla_3plus_social_workers_pct")

st.header("All workforce indicators")
widgets.indicators_summary_table(filters, "workforce")
