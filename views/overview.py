"""Overview: every headline indicator with its trend, SPC reading, target and benchmarks; the board's report."""
import streamlit as st

from torbay_dash.ui import frame, overview, team

# The headline indicators, by area, in the order a leader reads them.
HEADLINES = {
    "safeguarding": ["contacts_completed_1wd_pct", "referrals", "rereferrals_12m_pct", "assessments_45wd_pct",
                     "icpc_15wd_pct", "cp_rate_per_10k", "cp_second_subsequent_pct", "cp_visits_in_timescale_pct",
                     "cp_plans_2yrs_plus_pct"],
    "cared_for": ["cla_count", "cla_rate_per_10k", "cla_in_house_foster_pct", "cla_residential_count",
                  "cla_visits_in_timescale_pct", "cla_3plus_placements_pct", "cla_reviews_on_time_pct",
                  "cla_health_assessment_pct", "care_leavers_in_touch_pct"],
    "workforce": ["sw_agency_rate_pct", "sw_vacancy_rate_pct", "sw_turnover_rate_pct", "sw_avg_caseload",
                  "sw_supervision_in_timescale_pct", "cla_3plus_social_workers_pct"],
    "quality": ["audits_completed", "audits_good_or_better_pct", "audit_actions_on_time_pct"],
}

filters = frame.page("Overview", "overview")

st.caption(f"Latest month: the month ending {overview.overview_as_at(filters):%d %B %Y} (the end of the chosen "
           f"period), for {filters.scope_label}. Percentages over events are the 12 months to that month; counts are "
           "for the month; stocks are at its end. Badges read the last 36 months with statistical process control, "
           "and each tile says in words what they mean. Each tile opens its indicator on the area page.")
overview.overview_tiles(filters, HEADLINES)

# Single months and revisions by a handful of records are where small numbers live: a wider audience reads
# each tile's badges and the board's report instead.
if not filters.aggregates_only:
    st.header("What changed since the last snapshot")
    overview.what_changed(filters, [i for ids in HEADLINES.values() for i in ids])

    st.header("Teams at a glance: where the overdue work is")
    team.teams_at_a_glance(filters)

    st.header("Is it a real change? Statistical process control")
    overview.spc_explorer(filters, [i for ids in HEADLINES.values() for i in ids])

st.header("How we compare: England, region and statistical neighbours")
overview.benchmark_explorer(filters, [i for ids in HEADLINES.values() for i in ids])

st.header("The board's highlight report")
overview.highlight_report(filters)
