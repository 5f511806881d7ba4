"""The Safeguarding screen's own sections: the flow from contacts to child protection, and child protection now."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import queries
from ..charts import cp_length_chart, flow_chart
from ..compute import Scope
from ..periods import Period
from .data import cache_key, settings, snapshot_db
from .frame import Filters
from .widgets import chart_or_table, children_table, guarded


@st.cache_data(show_spinner=False, max_entries=100)
def _flow(root: str, snapshot_id: str, fingerprint: str, period: Period, teams) -> pd.DataFrame | None:
    return queries.flow(snapshot_db(root, snapshot_id, fingerprint), period, Scope(teams))


@st.cache_data(show_spinner=False, max_entries=100)
def _cp_now(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, standard: int, teams):
    db = snapshot_db(root, snapshot_id, fingerprint)
    children = queries.cp_children_now(db, as_at, standard, Scope(teams))
    if children is None:
        return None, None
    return children, queries.cp_plans_by_category_and_length(db, children)


@st.cache_data(show_spinner=False, max_entries=100)
def _cp_due(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, window: int, teams):
    return queries.cp_due(snapshot_db(root, snapshot_id, fingerprint), as_at, window, Scope(teams))


def flow(filters: Filters) -> None:
    """Contacts to CP plans for the period, beside the same period a year earlier."""
    with guarded("The flow from contacts to child protection"):
        flow = _flow(*cache_key(filters), filters.period, filters.scope.teams)
        if flow is None:
            st.warning("Unavailable: the flow needs contacts, referrals, assessments, S47, ICPC and CP plan tables.")
            return
        before = queries.year_before(filters.period)
        st.caption(f"This period: {filters.period}. A year before: {before}. "
                   "'Per 100 before' is how many reached this stage for every 100 at the stage before.")
        shown = flow.rename(columns={"this_period": "this period", "year_before": "a year before",
                                     "change_pct": "change %", "per_100_previous": "per 100 before",
                                     "per_100_previous_year_before": "per 100 before, a year before"})
        if not chart_or_table(flow_chart(flow), shown.drop(columns=["step"]), "the flow from contacts to CP plans",
                              "safeguarding_flow.csv", "flow"):
            st.dataframe(shown.drop(columns=["step"]), hide_index=True, width="stretch",
                         alt="Table: the flow from contacts to CP plans, this period and a year before")


def child_protection_now(filters: Filters) -> None:
    """Plans open at the as-at date by category and length; overdue visits; meetings due soon."""
    standard = int(settings().standards.get("cp_visit_working_days", 10))
    as_at = filters.as_at
    with guarded("Children on child protection plans"):
        children, summary = _cp_now(*cache_key(filters), as_at, standard, filters.scope.teams)
        if children is None:
            st.warning("Unavailable: needs the CP plan and CP visit tables.")
            return
        long_plans = int((children["length_band"] == "2 years or more").sum())
        overdue = children[children["visit_overdue"]]
        left, middle, right = st.columns(3)
        left.metric("Children on a CP plan", f"{len(children):,}", help=f"Plans open at {as_at:%d %b %Y}.")
        middle.metric("On a plan 2 years or more", f"{long_plans:,}")
        right.metric("CP visit overdue", f"{len(overdue):,}",
                     help=f"On the plan more than {standard} working days and not seen in the last {standard}.")
        st.markdown(f"**Plans open at {as_at:%d %B %Y}, by length and category**")
        if summary.empty:
            st.write(f"No child on a plan in {filters.scope_label} at this date.")
        else:
            chart_or_table(cp_length_chart(summary), summary, "children on CP plans by length and category",
                           "cp_plans_by_length.csv", "cp_length")
        st.markdown(f"**Children whose CP visit is overdue** (local standard: seen every {standard} working days)")
        if overdue.empty:
            st.write("None: every child on a plan for longer than the standard was seen within it.")
        else:
            children_table(filters, overdue[["person_id", "team", "worker_id", "plan_start", "category",
                                             "last_seen_visit", "working_days_since_seen"]],
                           "cp_visits_overdue.csv", "cp_overdue", "children whose CP visit is overdue")
    window = 15
    with guarded("Meetings due"):
        due = _cp_due(*cache_key(filters), as_at, window, filters.scope.teams)
        st.markdown(f"**CP reviews and initial conferences due in the next {window} working days, or overdue**")
        if due is None:
            st.warning("Unavailable: needs the CP review, CP plan and ICPC tables.")
        elif due.empty:
            st.write("None due.")
        else:
            children_table(filters, due, "cp_meetings_due.csv", "cp_due", "CP reviews and conferences due",
                           columns={"plan_or_enquiry_id": "plan or S47 id"})
