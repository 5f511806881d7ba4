"""The Cared-for children screen's own sections: population, placement mix, lists for managers, missing, CAMHS."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import indicators, queries
from ..charts import placement_mix_chart, population_chart
from ..compute import Scope
from ..db import read_sql
from ..periods import Period, chart_months
from .data import cache_key, indicator_frame, records_behind, snapshot_db
from .frame import Filters
from .widgets import as_at_period, chart_or_table, children_table, guarded, table


@st.cache_data(show_spinner=False, max_entries=100)
def _placement_mix(root: str, snapshot_id: str, fingerprint: str, periods: tuple[Period, ...], teams):
    return queries.placement_mix(snapshot_db(root, snapshot_id, fingerprint), list(periods), Scope(teams))


@st.cache_data(show_spinner=False, max_entries=100)
def _cla_reviews_due(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, window: int, teams):
    return queries.cla_reviews_due(snapshot_db(root, snapshot_id, fingerprint), as_at, window, Scope(teams))


@st.cache_data(show_spinner=False, max_entries=100)
def _missing(root: str, snapshot_id: str, fingerprint: str, periods: tuple[Period, ...], teams):
    return queries.missing_by_month(snapshot_db(root, snapshot_id, fingerprint), list(periods), Scope(teams))


def cla_population(filters: Filters) -> None:
    """Children in care at each month end, and the starts and endings behind the change."""
    with guarded("Children in care over time"):
        periods = chart_months(filters.period)
        in_care = indicator_frame(filters, "cla_count", periods)
        starts = indicator_frame(filters, "cla_starts", periods)
        ended = indicator_frame(filters, "cla_ceased", periods)
        for frame in (in_care, starts, ended):
            if frame["unavailable"].notna().any():
                st.warning(f"Unavailable: {frame['unavailable'].dropna().iloc[0]}")
                return
        first, last = in_care.iloc[0], in_care.iloc[-1]
        came, left = int(starts["numerator"].sum()), int(ended["numerator"].sum())
        st.markdown(f"**{first['value']:,.0f}** children in care at {first['to']:%d %b %Y}, "
                    f"**{last['value']:,.0f}** at {last['to']:%d %b %Y}. "
                    f"From {filters.period.start:%B %Y}, **{came:,}** periods of care began and **{left:,}** ended.")
        shown = pd.DataFrame({"month from": in_care["from"], "month to": in_care["to"],
                              "children in care at the month end": in_care["value"],
                              "came into care": starts["value"].to_numpy(), "left care": ended["value"].to_numpy()})
        chart_or_table(population_chart(in_care, starts, ended), shown, "children in care at each month end",
                       "children_in_care_by_month.csv", "population")


def placement_mix(filters: Filters) -> None:
    with guarded("The mix of placements"):
        periods = tuple(chart_months(filters.period))
        mix = _placement_mix(*cache_key(filters), periods, filters.scope.teams)
        if mix is None:
            st.warning("Unavailable: needs the CLA episode, legal status and placement tables.")
            return
        chart_or_table(placement_mix_chart(mix), mix.rename(columns={"period_to": "month end"}),
                       "where children in care live, by month", "placement_mix.csv", "mix")


def cla_reviews_due(filters: Filters, window: int = 20) -> None:
    with guarded("Reviews due"):
        due = _cla_reviews_due(*cache_key(filters), filters.as_at, window, filters.scope.teams)
        if due is None:
            st.warning("Unavailable: needs the CLA review and episode tables.")
        elif due.empty:
            st.write("None due.")
        else:
            children_table(filters, due, "cla_reviews_due.csv", "cla_reviews_due",
                           f"children in care whose review is due in {window} working days or overdue")


def missing_summary(filters: Filters) -> None:
    with guarded("Missing episodes"):
        periods = tuple(chart_months(filters.period))
        frame = _missing(*cache_key(filters), periods, filters.scope.teams)
        if frame is None:
            st.warning("Unavailable: needs the missing and CLA episode tables.")
            return
        totals = frame[["missing_episodes", "away_episodes", "return_interviews_offered",
                        "return_interviews_accepted"]].sum()
        st.markdown(f"In the period: **{totals['missing_episodes']:,}** missing episodes and "
                    f"**{totals['away_episodes']:,}** episodes away without authorisation; return interviews "
                    f"offered after **{totals['return_interviews_offered']:,}** and accepted after "
                    f"**{totals['return_interviews_accepted']:,}**.")
        table(frame, "missing_by_month.csv", "missing")


def cla_visits_due(filters: Filters, days_ahead: int = 7) -> None:
    """Children in care whose statutory visit is overdue, or falls due within `days_ahead` days."""
    indicator_id = "cla_visits_in_timescale_pct"
    if indicator_id not in indicators.REGISTRY:
        return
    with guarded("Visits due"):
        rows = records_behind(*cache_key(filters), indicator_id, as_at_period(filters), filters.scope.teams, 2000)
        if rows is None:
            st.warning("Unavailable: a table this list needs is absent from the snapshot.")
            return
        due = snapshot_db(*cache_key(filters)).query(read_sql("cared_for/visits_due"), {"days_ahead": days_ahead},
                                             frames={"visits": rows})
        if due.empty:
            st.write("No visit overdue or due in the next week.")
            return
        st.caption(f"{int((due['status'] == 'overdue').sum())} overdue, "
                   f"{int((due['status'] == 'due soon').sum())} due within {days_ahead} days.")
        children_table(filters, due, "cla_visits_due.csv", "cla_visits_due",
                       f"children in care whose visit is overdue or due within {days_ahead} days")


def camhs_share(filters: Filters) -> None:
    """Direct CAMHS provision as a share of the children in care it could reach."""
    if "cla_camhs_direct" not in indicators.REGISTRY:
        return
    with guarded("CAMHS provision"):
        camhs = indicator_frame(filters, "cla_camhs_direct", [filters.period]).iloc[0]
        in_care = indicator_frame(filters, "cla_count", [filters.period]).iloc[0]
        if camhs["unavailable"] or in_care["unavailable"] or not in_care["value"]:
            return
        share = 100 * camhs["value"] / in_care["value"]
        st.info(f"{camhs['value']:,.0f} of {in_care['value']:,.0f} children in care ({share:.1f}%) were receiving "
                f"direct CAMHS provision at {filters.period.end:%d %B %Y}.", icon=":material/psychology:")
