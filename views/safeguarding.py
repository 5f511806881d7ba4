"""Safeguarding: the front door to child protection, by team, down to the child."""
import streamlit as st

from torbay_dash import indicators, ui
from torbay_dash.periods import months

st.title("Safeguarding")
filters = ui.filters()
if filters is None:
    ui.empty_state()
    st.stop()

st.header("The flow for the period")
ui.safeguarding_flow(filters)

st.header("Timeliness and outcomes")
choices = [i.id for i in indicators.REGISTRY.values() if i.area == "safeguarding"]
chosen = ui.url_choice("Indicator", choices, key="indicator", default="icpc_15wd_pct",
                       format_func=lambda i: indicators.get(i).title)
ui.headline(filters, chosen)

st.subheader("Is it improving?")
ui.trend(filters, chosen)

st.subheader("Teams side by side")
st.caption("Value and n for each team in the period: a small team's 50% of 2 is not 50% of 200. "
           "Click a bar to list that team's children below.")
clicked_team = ui.teams_side_by_side(filters, chosen)

st.subheader("The children behind the number")
month_options = ["whole period", *[m.start.isoformat() for m in reversed(months(filters.period.start, filters.period.end))]]
month = ui.url_choice("Month", month_options, key="month", default="whole period",
                      format_func=lambda m: m if m == "whole period" else f"{m[:7]}")
period = filters.period if month == "whole period" else next(
    m for m in months(filters.period.start, filters.period.end) if m.start.isoformat() == month)
ui.children_behind(filters, chosen, clicked_team, period)

st.header("All safeguarding indicators")
ui.indicators_summary_table(filters, "safeguarding")

st.header("Child protection now")
ui.child_protection_now(filters)
