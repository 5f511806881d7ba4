"""The Workforce screen's own sections: establishment, starters and leavers, growing our own, caseloads."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import queries
from ..charts import caseload_chart, grow_chart, lines_chart
from ..compute import Scope
from ..db import read_sql
from ..periods import Period, add_months, chart_months
from . import door
from .data import cache_key, indicator_frame, records_behind, registered, settings, snapshot_db
from .frame import ALL, Filters
from .widgets import as_at_period, chart_or_table, guarded, table, team_links


@st.cache_data(show_spinner=False, max_entries=100)
def _funded(root: str, snapshot_id: str, fingerprint: str, periods: tuple[Period, ...], teams):
    return queries.funded_posts(snapshot_db(root, snapshot_id, fingerprint), list(periods), Scope(teams))


@st.cache_data(show_spinner=False, max_entries=100)
def _grow(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, since: dt.date, teams):
    return queries.grow_our_own(snapshot_db(root, snapshot_id, fingerprint), as_at, since, Scope(teams))


def establishment(filters: Filters) -> None:
    """Funded social worker FTE and who fills it, month by month: employed, agency, vacant."""
    if not registered("sw_fte", "sw_agency_rate_pct", "sw_vacancy_rate_pct"):
        return
    with guarded("The establishment"):
        periods = chart_months(filters.period)
        employed = indicator_frame(filters, "sw_fte", periods)
        agency = indicator_frame(filters, "sw_agency_rate_pct", periods)
        vacancy = indicator_frame(filters, "sw_vacancy_rate_pct", periods)
        funded = _funded(*cache_key(filters), tuple(periods), filters.scope.teams)
        for frame in (employed, agency, vacancy):
            if frame["unavailable"].notna().any():
                st.warning(f"Unavailable: {frame['unavailable'].dropna().iloc[0]}")
                return
        wide = pd.DataFrame({
            "month": pd.to_datetime(employed["from"]),
            "funded social worker FTE": funded["funded_fte"].to_numpy() if funded is not None else None,
            "employed FTE": employed["value"].to_numpy(),
            "agency FTE": agency["numerator"].to_numpy(),
            "vacant FTE": vacancy["numerator"].to_numpy()})
        order = ["funded social worker FTE", "employed FTE", "agency FTE", "vacant FTE"]
        long = wide.melt(id_vars="month", var_name="series", value_name="value").dropna()
        chart_or_table(lines_chart(long, "FTE at the month end", order),
                       wide.assign(month=wide["month"].dt.strftime("%Y-%m")),
                       "social worker FTE funded, employed, agency and vacant", "establishment.csv", "establishment")


def turnover(filters: Filters) -> None:
    """Starters and leavers each month, and why people left."""
    if not registered("sw_starters", "sw_leavers"):
        return
    with guarded("Starters and leavers"):
        periods = chart_months(filters.period)
        starters = indicator_frame(filters, "sw_starters", periods)
        leavers = indicator_frame(filters, "sw_leavers", periods)
        wide = pd.DataFrame({"month": pd.to_datetime(starters["from"]), "starters": starters["value"].to_numpy(),
                             "leavers": leavers["value"].to_numpy()})
        st.markdown(f"In the period **{int(wide['starters'].sum())}** social workers joined the authority and "
                    f"**{int(wide['leavers'].sum())}** left it.")
        long = wide.melt(id_vars="month", var_name="series", value_name="value")
        chart_or_table(lines_chart(long, "social workers", ["starters", "leavers"]),
                       wide.assign(month=wide["month"].dt.strftime("%Y-%m")), "social workers starting and leaving",
                       "starters_leavers.csv", "starters")
        rows = records_behind(*cache_key(filters), "sw_leavers", filters.period, filters.scope.teams, 5000)
        if rows is not None and "leaving_reason" in rows:
            reasons = snapshot_db(*cache_key(filters)).query(
                "SELECT coalesce(leaving_reason, 'not recorded') AS leaving_reason, count(*) AS leavers "
                "FROM rows GROUP BY ALL ORDER BY leavers DESC", frames={"rows": rows})
            st.markdown("**Why social workers left**")
            table(reasons, "leaving_reasons.csv", "reasons")


def growing_our_own(filters: Filters) -> None:
    with guarded("Growing our own"):
        since = add_months(filters.as_at, -36)
        frame = _grow(*cache_key(filters), filters.as_at, since, filters.scope.teams)
        if frame is None:
            st.warning("Unavailable: needs the HR staff table.")
            return
        if frame.empty:
            st.write("No newly qualified, international or converted starters in the last three years.")
            return
        st.caption(f"People who joined since {since:%B %Y} by each route, and how many were still employed "
                   f"at {filters.as_at:%d %B %Y}.")
        if not chart_or_table(grow_chart(frame), frame, "starters by route and how many stayed",
                              "growing_our_own.csv", "grow"):
            table(frame, "growing_our_own.csv", "grow", name="starters by route and how many stayed")


def caseloads(filters: Filters) -> None:
    """Cases per FTE for every social worker holding cases, by team, with the local threshold."""
    if not registered("sw_avg_caseload"):
        return
    threshold = float(settings().standards.get("caseload_threshold", 20))
    with guarded("Caseloads"):
        rows = records_behind(*cache_key(filters), "sw_avg_caseload", as_at_period(filters), filters.scope.teams, 5000)
        if rows is None or rows.empty:
            st.write("No social worker holding cases at this date.")
            return
        workers = snapshot_db(*cache_key(filters)).query(read_sql("workforce/caseload_workers"),
                                                 {"threshold": threshold,
                                                  "named": filters.team != ALL and filters.shows_workers},
                                                 frames={"rows": rows})
        workers = workers.assign(team_name=workers["team"].map(filters.team_name))
        above = workers[workers["above"] == "above threshold"]
        st.caption(f"At {filters.as_at:%d %B %Y}: {len(workers)} social workers hold cases; {len(above)} hold more "
                   f"than {threshold:g} per FTE (the local threshold). "
                   + ("Names are shown on a team's own view." if filters.team == ALL and filters.shows_workers
                      else "" if filters.shows_workers else "Workers are not named for your role."))
        if filters.team != ALL and filters.shows_workers:
            door.log_event("viewed", what="social workers' caseloads", filters=filters.for_log(), rows=len(workers),
                           page=filters.page, once_per_session=True)
        chart_or_table(caseload_chart(workers, threshold), workers.drop(columns=["team"]),
                       "cases per FTE for each social worker", "caseloads.csv", "caseloads")
        team_links(filters, list(workers["team"].unique()))
        if not above.empty:
            st.markdown("**Workers above the threshold**")
            table(above.drop(columns=["team", "above"]), "caseloads_above_threshold.csv", "caseloads_above")
