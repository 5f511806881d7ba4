"""Streamlit building blocks shared by app.py and views/: the sidebar, the header, cached data.

Besides app.py and views/, this is the only module that imports streamlit. Pages get
small aggregate frames from here and draw them; they hold no SQL and no reshaping.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from . import benchmarks, charts, headlines, indicators, narrative, queries, report, sampling, stats
from .headlines import authority_of
from .revisions import revised_figures
from .charts import (AUDIT_TYPE_WORDS, audit_volume_chart, caseload_chart, cp_length_chart, flow_chart, grow_chart,
                     interval_chart, lines_chart, placement_mix_chart, population_chart, series_chart, sparkline,
                     team_bar_chart, teams_chart, trend_chart, triangulation_chart)
from .compute import Scope, compute, unavailable_reason, unit_rows
from .export import safe_csv
from .db import SnapshotDB, read_sql
from .periods import (PRESETS, Period, add_months, last_complete_month_end, months, preset_period, rolling_periods,
                      shows_rolling_year)
from .settings import LocalAuthority, load_settings
from .store import HOW_TO_LOAD, Snapshot, Store, data_root
from .synth import ensure_demo_data, needs_first_run

ALL = "__all__"
FILTERS_KEY = "_torbay_filters"


@dataclass(frozen=True)
class Filters:
    snapshot: Snapshot
    period: Period
    service: str          # a service id or ALL
    team: str             # a team id or ALL
    teams: pd.DataFrame   # team_id, team_name, service_id, service_name
    scope: Scope

    @property
    def as_at(self) -> dt.date:
        return self.snapshot.as_at

    def team_name(self, team_id: str) -> str:
        match = self.teams.loc[self.teams["team_id"] == team_id, "team_name"]
        return match.iloc[0] if len(match) else team_id

    @property
    def scope_label(self) -> str:
        if self.team != ALL:
            return self.team_name(self.team)
        if self.service != ALL:
            names = self.teams.loc[self.teams["service_id"] == self.service, "service_name"]
            return names.iloc[0] if len(names) else self.service
        return "all teams"


# ---------------------------------------------------------------- cached data

@st.cache_data(ttl=60, show_spinner=False)
def _snapshots(root: str) -> list[Snapshot]:
    return Store(root).list()


@st.cache_resource(show_spinner=False, max_entries=8)
def _database(root: str, snapshot_id: str, fingerprint: str) -> SnapshotDB:
    return SnapshotDB(Store(root).get(snapshot_id))


@st.cache_data(show_spinner=False)
def _settings(root: str) -> LocalAuthority:
    return load_settings(root)


def settings() -> LocalAuthority:
    return _settings(str(data_root()))


def database(snapshot: Snapshot) -> SnapshotDB:
    fingerprint = str(sorted(snapshot.report.fingerprint.items()))
    return _database(str(data_root()), snapshot.id, fingerprint)


@st.cache_data(show_spinner=False, max_entries=2000)
def _compute(root: str, snapshot_id: str, fingerprint: str, indicator_id: str,
             periods: tuple[Period, ...], by_team: bool, teams: tuple[str, ...] | None) -> pd.DataFrame:
    db = _database(root, snapshot_id, fingerprint)
    return compute(db, indicators.get(indicator_id), list(periods), _settings(root), by_team, Scope(teams))


def indicator_frame(filters: Filters, indicator_id: str, periods: list[Period],
                    by_team: bool = False) -> pd.DataFrame:
    """Tidy values of one indicator for the given periods within the user's scope (cached)."""
    database(filters.snapshot)  # warm the cached connection
    fingerprint = str(sorted(filters.snapshot.report.fingerprint.items()))
    return _compute(str(data_root()), filters.snapshot.id, fingerprint, indicator_id,
                    tuple(periods), by_team, filters.scope.teams)


@st.cache_data(show_spinner=False)
def _teams(root: str, snapshot_id: str, fingerprint: str) -> pd.DataFrame:
    db = _database(root, snapshot_id, fingerprint)
    if "ssd_department" not in db.tables:
        return pd.DataFrame(columns=["team_id", "team_name", "service_id", "service_name"])
    return db.query(read_sql("teams"))


# ---------------------------------------------------------------- sidebar and header

def first_run() -> None:
    """On a fresh machine, build the demo data into the project's data root, showing progress."""
    root = data_root()
    if any(s.usable for s in _snapshots(str(root))) or not needs_first_run(root):
        return
    with st.status("First run: building the synthetic demo data…", expanded=True) as status:
        try:
            ensure_demo_data(root, progress=status.write)
        except Exception as exc:  # say what went wrong; the empty state explains how to load data
            status.update(label="The demo data could not be built", state="error")
            st.error(f"Building the demo data failed: {exc}. Try `python -m torbay_dash demo`.")
            return
        status.update(label="Demo data ready", state="complete")
    _snapshots.clear()
    st.rerun()


def unique_labels(ids, names) -> dict[str, str]:
    """Id -> display name, with the id added where two share a name (bound widgets put labels in the URL)."""
    pairs = dict(zip(ids, names))
    counts = pd.Series(list(pairs.values())).value_counts()
    return {i: (f"{n} ({i})" if counts[n] > 1 else n) for i, n in pairs.items()}


def sidebar() -> Filters | None:
    """Draw the shared filters, bound to the URL so a copied link reproduces the view."""
    root = str(data_root())
    usable = [s for s in _snapshots(root) if s.usable]
    if not usable:
        st.session_state[FILTERS_KEY] = None
        return None
    by_id = {s.id: s for s in usable}
    with st.sidebar:
        st.subheader("Filters")
        # Bound widgets put the option's label in the URL, so labels are kept short and stable.
        snapshot_id = st.selectbox("Snapshot (as at)", list(reversed(by_id)), key="as_at",
                                   bind="query-params",
                                   help="The extract the figures come from. Only snapshots that passed "
                                        "validation are offered.")
        snapshot = by_id[snapshot_id]
        preset = st.selectbox("Period", PRESETS, key="period", bind="query-params",
                              help="Flow indicators count events in the period; stock indicators are "
                                   "taken at its last day.")
        if preset == "Custom":
            default = preset_period("Last 12 months", snapshot.as_at)
            start = st.date_input("From", default.start, key="from", bind="query-params",
                                  max_value=snapshot.as_at, format="DD/MM/YYYY")
            end = st.date_input("To", default.end, key="to", bind="query-params",
                                max_value=snapshot.as_at, format="DD/MM/YYYY")
            if end < start:
                st.warning("The period ends before it starts; showing the last 12 months.")
                period = default
            else:
                period = Period(start, end)
        else:
            period = preset_period(preset, snapshot.as_at)
        st.caption(f"Period: {period}")

        fingerprint = str(sorted(snapshot.report.fingerprint.items()))
        teams = _teams(root, snapshot.id, fingerprint)
        services = unique_labels(teams["service_id"], teams["service_name"])
        service = st.selectbox("Service", [ALL, *services], key="service", bind="query-params",
                               format_func=lambda s: "All services" if s == ALL else services.get(s, s))
        in_service = teams if service == ALL else teams[teams["service_id"] == service]
        names = unique_labels(in_service["team_id"], in_service["team_name"])
        team = st.selectbox("Team", [ALL, *names], key="team", bind="query-params",
                            format_func=lambda t: "All teams" if t == ALL else names.get(t, t))
    if team != ALL:
        scope = Scope((team,))
    elif service != ALL:
        scope = Scope(tuple(in_service["team_id"]))
    else:
        scope = Scope()
    filters = Filters(snapshot, period, service, team, teams, scope)
    st.session_state[FILTERS_KEY] = filters
    return filters


def filters() -> Filters | None:
    """The filters the sidebar drew on this run (None when there is no usable snapshot)."""
    return st.session_state.get(FILTERS_KEY)


def header(current: Filters | None) -> None:
    """As-at date, and plain words when the data is stale, synthetic or incomplete."""
    la = settings()
    if current is None:
        return
    snap = current.snapshot
    st.caption(f"{la.name} children's services · data as at **{snap.as_at:%d %B %Y}** · "
               f"period {current.period} · {current.scope_label}")
    if snap.synthetic:
        st.info("Synthetic demo data: no real child is represented. Figures illustrate the dashboard only.",
                icon=":material/science:")
    age = (dt.date.today() - snap.as_at).days
    stale_after = int(la.standards.get("stale_after_days", 35))
    if age > stale_after:
        st.warning(f"Stale: this snapshot was taken {age} days ago (more than {stale_after}). "
                   "Figures may have changed since.", icon=":material/schedule:")
    absent = sorted(database(snap).absent_tables)
    if absent:
        st.warning("Missing from this snapshot: " + ", ".join(absent) +
                   ". Indicators that need them are shown as unavailable, not as zero.",
                   icon=":material/help:")


def empty_state() -> None:
    """What to do when no snapshot can be served, and why earlier ones were refused."""
    st.title("No data loaded yet")
    st.info(f"There is no usable snapshot under `{data_root()}`. To load data, {HOW_TO_LOAD}.")
    refused = [s for s in _snapshots(str(data_root())) if not s.usable]
    for snap in refused:
        with st.expander(f"Snapshot {snap.id} was refused"):
            for problem in snap.report.errors:
                st.write(f"- {problem}")


# ---------------------------------------------------------------- drawing helpers

@contextmanager
def guarded(what: str):
    """Show a plain message instead of a traceback when one figure cannot be drawn; the rest of the page goes on."""
    try:
        yield
    except Exception as exc:  # a damaged or surprising extract must not take the page down
        st.error(f"{what} could not be shown ({str(exc).splitlines()[0][:200]}). The rest of the page is "
                 "unaffected; `python -m torbay_dash snapshots` lists any problems found in the data.",
                 icon=":material/error:")


def definition_popover(indicator: indicators.Indicator) -> None:
    with st.popover("Definition", icon=":material/info:"):
        st.markdown(f"**{indicator.title}** (`{indicator.id}`)")
        st.write(indicator.definition)
        st.caption(f"Unit: {indicator.unit_label} · {indicator.better} · team: {indicator.team_rule}"
                   + (f" · source: {indicator.source}" if indicator.source else ""))


def format_value(indicator: indicators.Indicator, value) -> str:
    if value is None or pd.isna(value):
        return "no data"
    if indicator.unit == indicators.PERCENT:
        return f"{value:.1f}%"
    if indicator.unit in (indicators.RATE_PER_10K, indicators.MEAN, indicators.FTE):
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def n_caption(indicator: indicators.Indicator, row: pd.Series) -> str:
    if row.get("unavailable"):
        return f"Unavailable: {row['unavailable']}"
    if indicator.unit == indicators.PERCENT:
        return f"{row['numerator']:,.0f} of {row['denominator']:,.0f} {indicator.denominator_label}".strip()
    return f"n = {row['numerator']:,.0f} {indicator.numerator_label}".strip()


def headline(filters: Filters, indicator_id: str) -> None:
    """One indicator's value for the period with its n, target and definition."""
    indicator = indicators.get(indicator_id)
    with guarded(indicator.title):
        _headline(filters, indicator)


def _headline(filters: Filters, indicator: indicators.Indicator) -> None:
    indicator_id = indicator.id
    row = indicator_frame(filters, indicator_id, [filters.period]).iloc[0]
    target = settings().targets.get(indicator_id)
    with st.container(border=True):
        label = indicator.title + (" (at period end)" if indicator.kind == "stock" else "")
        st.metric(label, format_value(indicator, row["value"]),
                  help=indicator.definition)
        st.caption(n_caption(indicator, row) +
                   (f" · target {target.value:g}" if target else "") + f" · {indicator.better}")
        definition_popover(indicator)


def chart_or_table(chart, table: pd.DataFrame, key: str) -> None:
    """A chart with a switch to its table: colour is never the only way in."""
    as_table = st.toggle("Show as table", key=f"table_{key}")
    if as_table:
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.altair_chart(chart, width="stretch")


def monthly_series(filters: Filters, indicator_id: str) -> None:
    """The indicator month by month across the period, with its target, as chart or table."""
    indicator = indicators.get(indicator_id)
    with guarded(f"{indicator.title}, month by month"):
        _monthly_series(filters, indicator)


def _monthly_series(filters: Filters, indicator: indicators.Indicator) -> None:
    indicator_id = indicator.id
    frame = indicator_frame(filters, indicator_id, months(filters.period.start, filters.period.end))
    st.markdown(f"**{indicator.title}**, month by month")
    if frame["unavailable"].notna().any():
        st.warning(f"Unavailable: {frame['unavailable'].dropna().iloc[0]}")
        return
    table = frame[["from", "to", "numerator", "denominator", "value"]]
    chart_or_table(series_chart(frame, indicator, settings().targets.get(indicator_id)), table,
                   key=f"series_{indicator_id}")


def by_team(filters: Filters, indicator_id: str) -> None:
    """Value and n per team for the period."""
    indicator = indicators.get(indicator_id)
    with guarded(f"{indicator.title} by team"):
        _by_team(filters, indicator)


def _by_team(filters: Filters, indicator: indicators.Indicator) -> None:
    indicator_id = indicator.id
    frame = indicator_frame(filters, indicator_id, [filters.period], by_team=True)
    st.markdown(f"**{indicator.title}** by team")
    if frame["unavailable"].notna().any():
        st.warning(f"Unavailable: {frame['unavailable'].dropna().iloc[0]}")
        return
    if frame.empty:
        st.write("No cases in this period.")
        return
    frame = frame.assign(team_name=frame["team"].map(filters.team_name))
    table = frame[["team", "team_name", "numerator", "denominator", "value"]]
    chart_or_table(team_bar_chart(frame, indicator), table, key=f"team_{indicator_id}")


def coming_soon(items: list[str]) -> None:
    """For a screen not built yet: say what will be here, never a blank page."""
    st.info("This screen is being built. It will show:")
    for item in items:
        st.markdown(f"- {item}")


# ---------------------------------------------------------------- area pages: trends, teams, children

ROLLING_NOTE = "the thick line is the rolling 12 months, the points are single months"


def url_choice(label: str, options: list[str], key: str, default: str, format_func=str, **kwargs) -> str:
    """A selectbox whose choice (an id, not its label) lives in the URL, so a copied link keeps it."""
    wanted = st.query_params.get(key)
    index = options.index(wanted) if wanted in options else options.index(default) if default in options else 0
    value = st.selectbox(label, options, index=index, format_func=format_func, key=f"choice_{key}", **kwargs)
    if value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value
    return value


def download_csv(frame: pd.DataFrame, filename: str, key: str) -> None:
    """A CSV download whose cells a spreadsheet cannot run as formulas."""
    st.download_button("Download CSV", safe_csv(frame), file_name=filename, mime="text/csv",
                       key=f"csv_{key}", icon=":material/download:")


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates without times and column names in words, for tables people read and download."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
    return out.rename(columns=lambda c: str(c).replace("_", " "))


def table(frame: pd.DataFrame, filename: str, key: str) -> None:
    """A table with its CSV download."""
    frame = readable(frame)
    st.dataframe(frame, hide_index=True, width="stretch")
    download_csv(frame, filename, key)


def _year_label(row: pd.Series) -> str:
    year = int(row["year"])
    if "September" in row["period"]:
        return f"Sept {year}"
    return f"{year - 1}-{str(year)[2:]}"


def latest_published(indicator_id: str, as_at: dt.date) -> pd.Series | None:
    """The latest published comparators for the data root's own authority and neighbour model."""
    return benchmarks.latest_before(indicator_id, as_at, **authority_of(settings()))


def references(indicator_id: str, as_at: dt.date) -> pd.DataFrame:
    """Target, England and statistical-neighbour values to draw beside an indicator, each labelled in words."""
    rows = []
    target = settings().targets.get(indicator_id)
    if target:
        rows.append({"label": "target", "value": target.value, "text": f"target {target.value:g}"})
    published = latest_published(indicator_id, as_at)
    if published is not None:
        year = _year_label(published)
        for label, column in (("England", "england"), ("statistical neighbours", "neighbours")):
            if pd.notna(published[column]):
                rows.append({"label": label, "value": published[column],
                             "text": f"{label} {year}: {published[column]:g}"})
    return pd.DataFrame(rows, columns=["label", "value", "text"])


def trend(filters: Filters, indicator_id: str, key: str = "") -> None:
    """Month by month (and rolling 12 months where the measure is annual), with target and benchmarks."""
    indicator = indicators.get(indicator_id)
    with guarded(f"{indicator.title} over time"):
        monthly = indicator_frame(filters, indicator_id, months(filters.period.start, filters.period.end))
        if monthly["unavailable"].notna().any():
            st.warning(f"Unavailable: {monthly['unavailable'].dropna().iloc[0]}")
            return
        rolling = indicator_frame(filters, indicator_id, rolling_periods(filters.period)) \
            if shows_rolling_year(indicator) else None
        refs = references(indicator_id, filters.as_at)
        st.caption(("Points are single months; the thick line is the rolling 12 months. " if rolling is not None
                    else "") + "Dashed lines: " + ("; ".join(refs["text"]) if not refs.empty else "none published")
                   + (f". {benchmarks.COMPARABLE[indicator_id].note}" if indicator_id in benchmarks.COMPARABLE else ""))
        shown = monthly[["from", "to", "numerator", "denominator", "value"]]
        if rolling is not None:
            shown = shown.assign(rolling_12_months=rolling["value"].to_numpy(),
                                 rolling_numerator=rolling["numerator"].to_numpy(),
                                 rolling_denominator=rolling["denominator"].to_numpy())
        if st.toggle("Show as table", key=f"table_trend_{indicator_id}{key}"):
            table(shown, f"{indicator_id}_monthly.csv", f"trend_{indicator_id}{key}")
        else:
            st.altair_chart(trend_chart(monthly, indicator, rolling, refs), width="stretch")


def teams_side_by_side(filters: Filters, indicator_id: str, key: str = "") -> str | None:
    """Value and n per team; returns the team a user clicked, if any."""
    indicator = indicators.get(indicator_id)
    with guarded(f"{indicator.title} by team"):
        frame = indicator_frame(filters, indicator_id, [filters.period], by_team=True)
        if frame["unavailable"].notna().any():
            st.warning(f"Unavailable: {frame['unavailable'].dropna().iloc[0]}")
            return None
        if frame.empty:
            st.write("Nothing in this period for the teams in view.")
            return None
        frame = frame.assign(team_name=frame["team"].map(filters.team_name))
        if st.toggle("Show as table", key=f"table_teams_{indicator_id}{key}"):
            table(frame[["team", "team_name", "numerator", "denominator", "value"]],
                  f"{indicator_id}_by_team.csv", f"teams_{indicator_id}{key}")
            return None
        event = st.altair_chart(teams_chart(frame, indicator), width="stretch", on_select="rerun",
                                key=f"teams_chart_{indicator_id}{key}")
        picked = (event or {}).get("selection", {}).get("team_pick") or []
        return picked[0].get("team") if picked else None
    return None


DRILL_COLUMNS = {"unit_id": "record id", "person_id": "child (pseudonymous id)", "team": "team",
                 "worker_id": "worker"}


def children_behind(filters: Filters, indicator_id: str, team: str | None, period: Period,
                    limit: int = 500, numerator: int | None = None, key: str | None = None) -> None:
    """The children or events behind a figure: the list a team manager takes to a performance surgery."""
    indicator = indicators.get(indicator_id)
    with guarded("The list of children"):
        scope = Scope((team,)) if team else filters.scope
        rows = _units(str(data_root()), filters.snapshot.id, _fingerprint(filters.snapshot), indicator_id,
                      period, scope.teams, limit + 1, numerator)
        if rows is None:
            st.warning("Unavailable: a table this list needs is absent from the snapshot.")
            return
        shown = rows.drop(columns=["period_from", "period_to", "team_date", "denominator"], errors="ignore")
        if indicator.unit == indicators.PERCENT:
            # 'yes'/'no' in words; the SQL's own in_timescale flag, where it has one, is the same fact
            shown = shown.drop(columns=["in_timescale"], errors="ignore")
            shown = shown.assign(numerator=shown["numerator"].map({1: "yes", 0: "no"}))
        else:
            shown = shown.drop(columns=["numerator"])
        shown = shown.assign(team=shown["team"].map(filters.team_name)).rename(
            columns={**DRILL_COLUMNS, "numerator": indicator.numerator_label or "counted"})
        where = filters.team_name(team) if team else filters.scope_label
        st.caption(f"{min(len(rows), limit):,} record(s) for {where}, {period}"
                   + (f"; the first {limit} shown, missed timescales first" if len(rows) > limit else "")
                   + ". Pseudonymous ids only.")
        table(shown.head(limit), f"{indicator_id}_children.csv", key or f"children_{indicator_id}")


@st.cache_data(show_spinner=False, max_entries=200)
def _units(root: str, snapshot_id: str, fingerprint: str, indicator_id: str, period: Period,
           teams: tuple[str, ...] | None, limit: int, numerator: int | None = None) -> pd.DataFrame | None:
    db = _database(root, snapshot_id, fingerprint)
    indicator = indicators.get(indicator_id)
    if unavailable_reason(db, indicator):
        return None
    return unit_rows(db, indicator, [period], _settings(root), Scope(teams), limit=limit, numerator=numerator)


def _fingerprint(snapshot: Snapshot) -> str:
    return str(sorted(snapshot.report.fingerprint.items()))


def indicators_summary_table(filters: Filters, area: str) -> None:
    """Every indicator of an area in one table, with its CSV."""
    with guarded("The table of indicators"):
        table(indicators_summary(filters, area), f"{area}_indicators.csv", f"{area}_summary")


def indicators_summary(filters: Filters, area: str) -> pd.DataFrame:
    """Every indicator of an area for the period: value, n, target, latest England and neighbour figures."""
    rows = []
    for indicator in (i for i in indicators.REGISTRY.values() if i.area == area):
        row = indicator_frame(filters, indicator.id, [filters.period]).iloc[0]
        target = settings().targets.get(indicator.id)
        published = latest_published(indicator.id, filters.as_at)
        rows.append({
            "indicator": indicator.title, "id": indicator.id,
            "value": format_value(indicator, row["value"]) if not row["unavailable"] else "unavailable",
            "n": n_caption(indicator, row),
            "target": f"{target.value:g}" if target else "",
            "England": f"{published['england']:g} ({_year_label(published)})"
                       if published is not None and pd.notna(published["england"]) else "",
            "statistical neighbours": f"{published['neighbours']:g}"
                                      if published is not None and pd.notna(published["neighbours"]) else "",
            "better": indicator.better})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- safeguarding: flow and child protection now

@st.cache_data(show_spinner=False, max_entries=100)
def _flow(root: str, snapshot_id: str, fingerprint: str, period: Period, teams) -> pd.DataFrame | None:
    return queries.flow(_database(root, snapshot_id, fingerprint), period, Scope(teams))


@st.cache_data(show_spinner=False, max_entries=100)
def _cp_now(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, standard: int, teams):
    db = _database(root, snapshot_id, fingerprint)
    children = queries.cp_children_now(db, as_at, standard, Scope(teams))
    if children is None:
        return None, None
    return children, queries.cp_plans_by_category_and_length(db, children)


@st.cache_data(show_spinner=False, max_entries=100)
def _cp_due(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, window: int, teams):
    return queries.cp_due(_database(root, snapshot_id, fingerprint), as_at, window, Scope(teams))


def _key(filters: Filters) -> tuple[str, str, str]:
    return str(data_root()), filters.snapshot.id, _fingerprint(filters.snapshot)


def safeguarding_flow(filters: Filters) -> None:
    """Contacts to CP plans for the period, beside the same period a year earlier."""
    with guarded("The flow from contacts to child protection"):
        flow = _flow(*_key(filters), filters.period, filters.scope.teams)
        if flow is None:
            st.warning("Unavailable: the flow needs contacts, referrals, assessments, S47, ICPC and CP plan tables.")
            return
        before = queries.year_before(filters.period)
        st.caption(f"This period: {filters.period}. A year before: {before}. "
                   "'Per 100 before' is how many reached this stage for every 100 at the stage before.")
        shown = flow.rename(columns={"this_period": "this period", "year_before": "a year before",
                                     "change_pct": "change %", "per_100_previous": "per 100 before",
                                     "per_100_previous_year_before": "per 100 before, a year before"})
        if st.toggle("Show as table", key="table_flow"):
            table(shown.drop(columns=["step"]), "safeguarding_flow.csv", "flow")
        else:
            st.altair_chart(flow_chart(flow), width="stretch")
            st.dataframe(shown.drop(columns=["step"]), hide_index=True, width="stretch")


def child_protection_now(filters: Filters) -> None:
    """Plans open at the as-at date by category and length; overdue visits; meetings due soon."""
    standard = int(settings().standards.get("cp_visit_working_days", 10))
    as_at = filters.as_at
    with guarded("Children on child protection plans"):
        children, summary = _cp_now(*_key(filters), as_at, standard, filters.scope.teams)
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
        elif st.toggle("Show as table", key="table_cp_length"):
            table(summary, "cp_plans_by_length.csv", "cp_length")
        else:
            st.altair_chart(cp_length_chart(summary), width="stretch")
        st.markdown(f"**Children whose CP visit is overdue** (local standard: seen every {standard} working days)")
        if overdue.empty:
            st.write("None: every child on a plan for longer than the standard was seen within it.")
        else:
            table(overdue[["person_id", "team", "worker_id", "plan_start", "category", "last_seen_visit",
                           "working_days_since_seen"]].assign(team=lambda f: f["team"].map(filters.team_name))
                  .rename(columns={"person_id": "child (pseudonymous id)", "worker_id": "worker"}),
                  "cp_visits_overdue.csv", "cp_overdue")
    window = 15
    with guarded("Meetings due"):
        due = _cp_due(*_key(filters), as_at, window, filters.scope.teams)
        st.markdown(f"**CP reviews and initial conferences due in the next {window} working days, or overdue**")
        if due is None:
            st.warning("Unavailable: needs the CP review, CP plan and ICPC tables.")
        elif due.empty:
            st.write("None due.")
        else:
            table(due.assign(team=due["team"].map(filters.team_name)).rename(
                columns={"person_id": "child (pseudonymous id)", "plan_or_enquiry_id": "plan or S47 id",
                         "worker_id": "worker"}), "cp_meetings_due.csv", "cp_due")


# ---------------------------------------------------------------- cared-for children

@st.cache_data(show_spinner=False, max_entries=100)
def _placement_mix(root: str, snapshot_id: str, fingerprint: str, periods: tuple[Period, ...], teams):
    return queries.placement_mix(_database(root, snapshot_id, fingerprint), list(periods), Scope(teams))


@st.cache_data(show_spinner=False, max_entries=100)
def _cla_reviews_due(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, window: int, teams):
    return queries.cla_reviews_due(_database(root, snapshot_id, fingerprint), as_at, window, Scope(teams))


@st.cache_data(show_spinner=False, max_entries=100)
def _missing(root: str, snapshot_id: str, fingerprint: str, periods: tuple[Period, ...], teams):
    return queries.missing_by_month(_database(root, snapshot_id, fingerprint), list(periods), Scope(teams))


def cla_population(filters: Filters) -> None:
    """Children in care at each month end, and the starts and endings behind the change."""
    with guarded("Children in care over time"):
        periods = months(filters.period.start, filters.period.end)
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
        if st.toggle("Show as table", key="table_population"):
            table(shown, "children_in_care_by_month.csv", "population")
        else:
            st.altair_chart(population_chart(in_care, starts, ended), width="stretch")


def placement_mix(filters: Filters) -> None:
    with guarded("The mix of placements"):
        periods = tuple(months(filters.period.start, filters.period.end))
        mix = _placement_mix(*_key(filters), periods, filters.scope.teams)
        if mix is None:
            st.warning("Unavailable: needs the CLA episode, legal status and placement tables.")
            return
        if st.toggle("Show as table", key="table_mix"):
            table(mix.rename(columns={"period_to": "month end"}), "placement_mix.csv", "mix")
        else:
            st.altair_chart(placement_mix_chart(mix), width="stretch")


def cla_reviews_due(filters: Filters, window: int = 20) -> None:
    with guarded("Reviews due"):
        due = _cla_reviews_due(*_key(filters), filters.as_at, window, filters.scope.teams)
        if due is None:
            st.warning("Unavailable: needs the CLA review and episode tables.")
        elif due.empty:
            st.write("None due.")
        else:
            table(due.assign(team=due["team"].map(filters.team_name)).rename(
                columns={"person_id": "child (pseudonymous id)", "worker_id": "worker"}),
                "cla_reviews_due.csv", "cla_reviews_due")


def missing_summary(filters: Filters) -> None:
    with guarded("Missing episodes"):
        periods = tuple(months(filters.period.start, filters.period.end))
        frame = _missing(*_key(filters), periods, filters.scope.teams)
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


def as_at_period(filters: Filters) -> Period:
    """The month ending on the snapshot's as-at date: stock lists are taken 'now'."""
    return Period(filters.as_at.replace(day=1), filters.as_at)


def indicator_explorer(filters: Filters, choices: list[str], default: str, key: str = "indicator",
                       children: bool = True) -> str | None:
    """Pick an indicator; see its value, whether it is improving, teams side by side and the children behind it."""
    choices = [c for c in choices if c in indicators.REGISTRY]
    if not choices:
        return None
    chosen = url_choice("Indicator", choices, key=key, default=default,
                        format_func=lambda i: indicators.get(i).title)
    headline(filters, chosen)
    st.subheader("Is it improving?")
    trend(filters, chosen, key=f"_{key}")
    st.subheader("Teams side by side")
    st.caption("Value and n for each team in the period: a small team's 50% of 2 is not 50% of 200."
               + (" Click a bar to list that team's children below." if children else ""))
    clicked_team = teams_side_by_side(filters, chosen, key=f"_{key}")
    if children:
        st.subheader("The children behind the number")
        month_list = list(reversed(months(filters.period.start, filters.period.end)))
        options = ["whole period", *[m.start.isoformat() for m in month_list]]
        month = url_choice("Month", options, key=f"{key}_month", default="whole period",
                           format_func=lambda m: m if m == "whole period" else m[:7])
        period = filters.period if month == "whole period" else next(m for m in month_list
                                                                     if m.start.isoformat() == month)
        children_behind(filters, chosen, clicked_team, period, key=f"children_{chosen}_{key}")
    return chosen


def cla_visits_due(filters: Filters, days_ahead: int = 7) -> None:
    """Children in care whose statutory visit is overdue, or falls due within `days_ahead` days."""
    indicator_id = "cla_visits_in_timescale_pct"
    if indicator_id not in indicators.REGISTRY:
        return
    with guarded("Visits due"):
        rows = _units(*_key(filters), indicator_id, as_at_period(filters), filters.scope.teams, 2000)
        if rows is None:
            st.warning("Unavailable: a table this list needs is absent from the snapshot.")
            return
        due = _database(*_key(filters)).query(read_sql("cared_for/visits_due"), {"days_ahead": days_ahead},
                                             frames={"visits": rows})
        if due.empty:
            st.write("No visit overdue or due in the next week.")
            return
        st.caption(f"{int((due['status'] == 'overdue').sum())} overdue, "
                   f"{int((due['status'] == 'due soon').sum())} due within {days_ahead} days.")
        table(due.assign(team=due["team"].map(filters.team_name)).rename(
            columns={"person_id": "child (pseudonymous id)", "worker_id": "worker"}),
            "cla_visits_due.csv", "cla_visits_due")


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


# ---------------------------------------------------------------- workforce

@st.cache_data(show_spinner=False, max_entries=100)
def _funded(root: str, snapshot_id: str, fingerprint: str, periods: tuple[Period, ...], teams):
    return queries.funded_posts(_database(root, snapshot_id, fingerprint), list(periods), Scope(teams))


@st.cache_data(show_spinner=False, max_entries=100)
def _grow(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, since: dt.date, teams):
    return queries.grow_our_own(_database(root, snapshot_id, fingerprint), as_at, since, Scope(teams))


def _registered(*ids: str) -> bool:
    return all(i in indicators.REGISTRY for i in ids)


def establishment(filters: Filters) -> None:
    """Funded social worker FTE and who fills it, month by month: employed, agency, vacant."""
    if not _registered("sw_fte", "sw_agency_rate_pct", "sw_vacancy_rate_pct"):
        return
    with guarded("The establishment"):
        periods = months(filters.period.start, filters.period.end)
        employed = indicator_frame(filters, "sw_fte", periods)
        agency = indicator_frame(filters, "sw_agency_rate_pct", periods)
        vacancy = indicator_frame(filters, "sw_vacancy_rate_pct", periods)
        funded = _funded(*_key(filters), tuple(periods), filters.scope.teams)
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
        if st.toggle("Show as table", key="table_establishment"):
            table(wide.assign(month=wide["month"].dt.strftime("%Y-%m")), "establishment.csv", "establishment")
        else:
            long = wide.melt(id_vars="month", var_name="series", value_name="value").dropna()
            st.altair_chart(lines_chart(long, "FTE at the month end", order), width="stretch")


def turnover(filters: Filters) -> None:
    """Starters and leavers each month, and why people left."""
    if not _registered("sw_starters", "sw_leavers"):
        return
    with guarded("Starters and leavers"):
        periods = months(filters.period.start, filters.period.end)
        starters = indicator_frame(filters, "sw_starters", periods)
        leavers = indicator_frame(filters, "sw_leavers", periods)
        wide = pd.DataFrame({"month": pd.to_datetime(starters["from"]), "starters": starters["value"].to_numpy(),
                             "leavers": leavers["value"].to_numpy()})
        st.markdown(f"In the period **{int(wide['starters'].sum())}** social workers joined the authority and "
                    f"**{int(wide['leavers'].sum())}** left it.")
        if st.toggle("Show as table", key="table_starters"):
            table(wide.assign(month=wide["month"].dt.strftime("%Y-%m")), "starters_leavers.csv", "starters")
        else:
            long = wide.melt(id_vars="month", var_name="series", value_name="value")
            st.altair_chart(lines_chart(long, "social workers", ["starters", "leavers"]), width="stretch")
        rows = _units(*_key(filters), "sw_leavers", filters.period, filters.scope.teams, 5000)
        if rows is not None and "leaving_reason" in rows:
            reasons = _database(*_key(filters)).query(
                "SELECT coalesce(leaving_reason, 'not recorded') AS leaving_reason, count(*) AS leavers "
                "FROM rows GROUP BY ALL ORDER BY leavers DESC", frames={"rows": rows})
            st.markdown("**Why social workers left**")
            table(reasons, "leaving_reasons.csv", "reasons")


def growing_our_own(filters: Filters) -> None:
    with guarded("Growing our own"):
        since = add_months(filters.as_at, -36)
        frame = _grow(*_key(filters), filters.as_at, since, filters.scope.teams)
        if frame is None:
            st.warning("Unavailable: needs the HR staff table.")
            return
        if frame.empty:
            st.write("No newly qualified, international or converted starters in the last three years.")
            return
        st.caption(f"People who joined since {since:%B %Y} by each route, and how many were still employed "
                   f"at {filters.as_at:%d %B %Y}.")
        if st.toggle("Show as table", key="table_grow"):
            table(frame, "growing_our_own.csv", "grow")
        else:
            st.altair_chart(grow_chart(frame), width="stretch")
            table(frame, "growing_our_own.csv", "grow")


def caseloads(filters: Filters) -> None:
    """Cases per FTE for every social worker holding cases, by team, with the local threshold."""
    if not _registered("sw_avg_caseload"):
        return
    threshold = float(settings().standards.get("caseload_threshold", 20))
    with guarded("Caseloads"):
        rows = _units(*_key(filters), "sw_avg_caseload", as_at_period(filters), filters.scope.teams, 5000)
        if rows is None or rows.empty:
            st.write("No social worker holding cases at this date.")
            return
        workers = _database(*_key(filters)).query(read_sql("workforce/caseload_workers"),
                                                 {"threshold": threshold, "named": filters.team != ALL},
                                                 frames={"rows": rows})
        workers = workers.assign(team_name=workers["team"].map(filters.team_name))
        above = workers[workers["above"] == "above threshold"]
        st.caption(f"At {filters.as_at:%d %B %Y}: {len(workers)} social workers hold cases; {len(above)} hold more "
                   f"than {threshold:g} per FTE (the local threshold). "
                   + ("Names are shown on a team's own view." if filters.team == ALL else ""))
        if st.toggle("Show as table", key="table_caseloads"):
            table(workers.drop(columns=["team"]), "caseloads.csv", "caseloads")
        else:
            st.altair_chart(caseload_chart(workers, threshold), width="stretch")
        if not above.empty:
            st.markdown("**Workers above the threshold**")
            table(above.drop(columns=["team", "above"]), "caseloads_above_threshold.csv", "caseloads_above")


# ---------------------------------------------------------------- quality assurance

GOOD_OR_BETTER = "audits_good_or_better_pct"
TRIANGULATION = {GOOD_OR_BETTER: "audits good or better",
                 "cla_visits_in_timescale_pct": "CLA visits in timescale",
                 "assessments_45wd_pct": "assessments within 45 working days",
                 "icpc_15wd_pct": "ICPCs within 15 working days"}
CASE_TYPES = {"all": "All open cases (CIN, CP and CLA)", "CIN": "Children in need (CIN)",
              "CP": "Child protection plans (CP)", "CLA": "Children looked after (CLA)"}


@st.cache_data(show_spinner=False, max_entries=100)
def _qa(root: str, snapshot_id: str, fingerprint: str, what: str, *args):
    """One cached QA query by name: every QA frame is small and keyed on the snapshot and filters."""
    db = _database(root, snapshot_id, fingerprint)
    *rest, teams = args
    return getattr(queries, what)(db, *rest, Scope(teams))


def audit_target() -> float:
    target = settings().targets.get("audits_completed")
    return float(target.value) if target else float(settings().standards.get("audit_target_per_month", 25))


def audit_volume(filters: Filters) -> None:
    """Audits per month against the target; themed and dip-sample audits apart; by team and by auditor."""
    with guarded("Audit volume"):
        periods = months(filters.period.start, filters.period.end)
        volume = _qa(*_key(filters), "audit_volume", tuple(periods), filters.scope.teams)
        if volume is None:
            st.warning("Unavailable: the snapshot has no QA audit log (qa_audits).")
            return
        volume = volume.assign(month=pd.to_datetime(volume["period_from"]))
        case = volume[volume["audit_type"] == "case"]
        target = audit_target()
        recent = case.tail(6)
        per_month = recent["audits"].mean() if len(recent) else 0
        team_note = "" if filters.team == ALL and filters.service == ALL else \
            f" (for {filters.scope_label}; the target is the authority's)"
        st.markdown(f"**{int(case['audits'].sum()):,}** case audits in {filters.period}. Over the last "
                    f"{len(recent)} months: **{per_month:.1f} a month** against a target of **{target:g}**"
                    f" ({100 * per_month / target:.0f}% of target){team_note}; "
                    f"{int((recent['audits'] >= target).sum())} of those months met it.")
        wide = volume.pivot_table(index="month", columns="audit_type", values="audits", aggfunc="sum") \
            .reindex(columns=["case", "thematic", "dip_sample"], fill_value=0).reset_index()
        wide = wide.assign(month=wide["month"].dt.strftime("%Y-%m"), target=target).rename(
            columns={"case": "case audits", "thematic": "thematic audits", "dip_sample": "dip samples"})
        if st.toggle("Show as table", key="table_audit_volume"):
            table(wide, "audits_by_month.csv", "audit_volume")
        else:
            st.altair_chart(audit_volume_chart(volume, target), width="stretch")
        by_team, by_auditor = st.tabs(["By team", "By auditor"])
        with by_team:
            teams = _qa(*_key(filters), "audits_by", filters.period, "team", filters.scope.teams)
            teams = teams.assign(who=teams["who"].map(filters.team_name)).rename(columns={"who": "team"})
            table(teams, "audits_by_team.csv", "audits_by_team")
        with by_auditor:
            auditors = _qa(*_key(filters), "audits_by", filters.period, "auditor", filters.scope.teams)
            st.caption("Auditors by staff id: team managers and the principal social worker.")
            table(auditors.rename(columns={"who": "auditor"}), "audits_by_auditor.csv", "audits_by_auditor")


def with_wilson(frame: pd.DataFrame) -> pd.DataFrame:
    """Add low and high (%), the Wilson 95% interval of numerator/denominator, and n."""
    bounds = [stats.wilson_interval(int(k), int(n)) if pd.notna(n) and n > 0 else None
              for k, n in zip(frame["numerator"].fillna(0), frame["denominator"].fillna(0))]
    return frame.assign(low=[100 * b[0] if b else None for b in bounds],
                        high=[100 * b[1] if b else None for b in bounds],
                        n=frame["denominator"].fillna(0).astype(int))


def interval_text(row: pd.Series) -> str:
    if not row["n"]:
        return "no graded audits"
    return f"{row['value']:.0f}% ({row['low']:.0f}%–{row['high']:.0f}%, n = {row['n']})"


def audit_grades(filters: Filters) -> None:
    """Good-or-better share per month and per team, each with its Wilson 95% interval and n."""
    if not _registered(GOOD_OR_BETTER):
        return
    indicator = indicators.get(GOOD_OR_BETTER)
    with guarded("Audit grades"):
        overall = with_wilson(indicator_frame(filters, GOOD_OR_BETTER, [filters.period])).iloc[0]
        if overall["unavailable"]:
            st.warning(f"Unavailable: {overall['unavailable']}")
            return
        st.markdown(f"In {filters.period}, **{interval_text(overall)}** of graded case audits were good or "
                    "outstanding (final grade after moderation). The range is the 95% interval: with few "
                    "audits the true share could lie anywhere in it.")
        definition_popover(indicator)
        monthly = with_wilson(indicator_frame(filters, GOOD_OR_BETTER, months(filters.period.start,
                                                                              filters.period.end)))
        monthly = monthly.assign(month=pd.to_datetime(monthly["from"]))
        st.markdown("**Month by month**")
        if st.toggle("Show as table", key="table_grades_monthly"):
            table(monthly[["from", "to", "numerator", "denominator", "value", "low", "high"]],
                  "audit_grades_by_month.csv", "grades_monthly")
        else:
            st.altair_chart(interval_chart(monthly[monthly["n"] > 0], "month", "month", "% good or better",
                                           over_time=True), width="stretch")
        st.markdown("**By team**")
        teams = grades_by_team(filters)
        if teams.empty:
            st.write("No graded case audits for the teams in view.")
            return
        st.caption("A team is called higher or lower than the rest of the authority only when the two 95% "
                   "intervals do not overlap; otherwise the difference may be chance.")
        if st.toggle("Show as table", key="table_grades_teams"):
            table(teams[["team_name", "numerator", "denominator", "value", "low", "high", "compared with the rest"]],
                  "audit_grades_by_team.csv", "grades_teams")
        else:
            st.altair_chart(interval_chart(teams, "team_name", "team", "% good or better"), width="stretch")
            different = teams[teams["compared with the rest"] != "no clear difference"]
            st.write("No team's share differs clearly from the rest of the authority." if different.empty else
                     "; ".join(f"{r.team_name}: {r['compared with the rest']} than the rest"
                               for _, r in different.iterrows()) + ".")


def grades_by_team(filters: Filters) -> pd.DataFrame:
    """Per team: good-or-better share with its interval, and how it compares with the rest of the authority."""
    frame = with_wilson(indicator_frame(filters, GOOD_OR_BETTER, [filters.period], by_team=True))
    frame = frame[frame["n"] > 0]
    total_k, total_n = frame["numerator"].sum(), frame["denominator"].sum()

    def against_rest(row):
        rest_n = total_n - row["denominator"]
        rest = stats.wilson_interval(int(total_k - row["numerator"]), int(rest_n)) if rest_n > 0 else None
        return stats.compare_to_rest((row["low"] / 100, row["high"] / 100), rest)

    return frame.assign(team_name=frame["team"].map(filters.team_name),
                        **{"compared with the rest": frame.apply(against_rest, axis=1) if len(frame) else []})


def moderation(filters: Filters) -> None:
    """How often the moderator agrees with the auditor, and which way grades move when not."""
    with guarded("Moderation"):
        if _registered("audit_moderation_agreement_pct"):
            headline(filters, "audit_moderation_agreement_pct")
        moderated = _qa(*_key(filters), "moderation", filters.period, filters.scope.teams)
        if moderated is None or moderated.empty:
            st.write("No moderated case audits in the period.")
            return
        outcome = moderated.groupby("outcome", as_index=False)["audits"].sum()
        words = ", ".join(f"**{r.audits}** {r.outcome}" for r in outcome.itertuples())
        st.markdown(f"Of {int(outcome['audits'].sum())} moderated case audits: {words}. A moderator grading "
                    "down more often than up suggests auditors grade generously.")
        table(moderated, "audit_moderation.csv", "moderation")


def audit_actions(filters: Filters) -> None:
    """Actions raised and due each month, how many were done on time, and the overdue list for managers."""
    with guarded("Audit actions"):
        if _registered("audit_actions_on_time_pct"):
            headline(filters, "audit_actions_on_time_pct")
        periods = months(filters.period.start, filters.period.end)
        monthly = _qa(*_key(filters), "actions_by_month", tuple(periods), filters.scope.teams)
        if monthly is None:
            st.warning("Unavailable: the snapshot has no audit actions (qa_actions).")
            return
        monthly = monthly.assign(month=pd.to_datetime(monthly["period_from"]))
        long = monthly.melt(id_vars="month", value_vars=["raised", "completed_on_time", "completed_late",
                                                         "not_completed"], var_name="series", value_name="value")
        long["series"] = long["series"].str.replace("_", " ")
        if st.toggle("Show as table", key="table_actions"):
            table(monthly.drop(columns=["month"]), "audit_actions_by_month.csv", "actions_monthly")
        else:
            st.altair_chart(lines_chart(long, "actions", ["raised", "completed on time", "completed late",
                                                          "not completed"]), width="stretch")
        overdue = _qa(*_key(filters), "actions_overdue", filters.as_at, filters.scope.teams)
        st.markdown(f"**Overdue at {filters.as_at:%d %B %Y}**: {len(overdue):,} action(s) past their due date and "
                    "not completed, most overdue first.")
        if not overdue.empty:
            table(overdue.assign(team=overdue["team"].map(filters.team_name)).rename(
                columns={"person_id": "child (pseudonymous id)", "worker_id": "worker"}),
                "audit_actions_overdue.csv", "actions_overdue")


def audit_themes(filters: Filters) -> None:
    """Themes audited in the period and the quarter before, with how often each found practice below good."""
    with guarded("Audit themes"):
        frame = _qa(*_key(filters), "audit_themes", (filters.period,), filters.scope.teams)
        if frame is None or frame.empty:
            st.write("No audits in the period.")
            return
        frame = frame.assign(audit_type=frame["audit_type"].map(AUDIT_TYPE_WORDS).fillna(frame["audit_type"]))
        frame = frame.assign(share_below_good=(100 * frame["graded_below_good"] / frame["audits"]).round(0))
        recurring = frame[(frame["audit_type"] == "case audits")].sort_values("graded_below_good", ascending=False)
        if not recurring.empty:
            top = recurring.iloc[0]
            st.markdown(f"The theme most often graded below good in case audits: **{top['theme']}** "
                        f"({int(top['graded_below_good'])} of {int(top['audits'])}).")
        table(frame.drop(columns=["period_from", "period_to"]), "audit_themes.csv", "themes")


def triangulation(filters: Filters) -> None:
    """Each team's audit grades beside its timeliness, so quality is read with performance, not apart."""
    ids = [i for i in TRIANGULATION if i in indicators.REGISTRY]
    if GOOD_OR_BETTER not in ids:
        return
    with guarded("Triangulation"):
        frames = []
        for indicator_id in ids:
            frame = indicator_frame(filters, indicator_id, [filters.period], by_team=True)
            if frame["unavailable"].notna().any():
                continue
            frames.append(frame.assign(measure=TRIANGULATION[indicator_id], indicator=indicator_id))
        long = pd.concat(frames, ignore_index=True)
        long = long[long["denominator"].fillna(0) > 0]
        long = long.assign(team_name=long["team"].map(filters.team_name), n=long["denominator"].astype(int))
        grades = grades_by_team(filters).set_index("team")
        wide = long.pivot_table(index="team_name", columns="measure", values="value").round(1)
        counts = long.pivot_table(index="team_name", columns="measure", values="n").add_suffix(" (n)")
        shown = pd.concat([wide, counts], axis=1).sort_index(axis=1).reset_index()
        reading = {filters.team_name(t): r["compared with the rest"] for t, r in grades.iterrows()}
        shown["audit grades compared with the rest"] = shown["team_name"].map(lambda t: reading.get(t, "no graded audits"))
        st.caption(f"{filters.period}. Each measure keeps its own definition and n; a team with few audits "
                   "says little about its practice. Teams that audit well and meet timescales are doing both; "
                   "where timeliness is high but grades are low, the figures may run ahead of practice.")
        if st.toggle("Show as table", key="table_triangulation"):
            table(shown.rename(columns={"team_name": "team"}), "triangulation.csv", "triangulation")
        else:
            st.altair_chart(triangulation_chart(long[["team_name", "measure", "value", "n"]]), width="stretch")


def url_number(label: str, key: str, default: int, min_value: int, max_value: int, **kwargs) -> int:
    """A whole-number input whose value lives in the URL (when not the default), so a link redraws the same."""
    try:
        wanted = int(st.query_params.get(key, default))
    except ValueError:
        wanted = default
    wanted = min(max(wanted, min_value), max_value)
    value = int(st.number_input(label, min_value=min_value, max_value=max_value, value=wanted, step=1,
                                key=f"number_{key}", **kwargs))
    if value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = str(value)
    return value


def case_sampler(filters: Filters) -> None:
    """A reproducible, team-stratified random sample of open cases not audited in the last 6 months."""
    with guarded("The case sampler"):
        population = _qa(*_key(filters), "open_cases", filters.as_at, filters.scope.teams)
        if population is None:
            st.warning("Unavailable: the sampler needs the CIN, CP, CLA, department and audit tables.")
            return
        case_type = url_choice("Population", list(CASE_TYPES), key="sample_population", default="all",
                               format_func=CASE_TYPES.get)
        chosen = population if case_type == "all" else population[population["case_type"] == case_type]
        eligible = sampling.not_recently_audited(chosen, filters.as_at)
        st.caption(f"{len(chosen):,} open case(s) at {filters.as_at:%d %B %Y} for {filters.scope_label}; "
                   f"{len(chosen) - len(eligible):,} audited in the last {sampling.RECENTLY_AUDITED_MONTHS} months "
                   f"are left out, leaving **{len(eligible):,}** to sample from. The team and service filters "
                   "in the sidebar narrow the population.")
        if eligible.empty:
            st.write("No case to sample.")
            return
        size_by = url_choice("Sample size", ["number", "margin"], key="sample_by", default="number",
                             format_func={"number": "A number of cases", "margin": "A margin of error"}.get)
        left, right = st.columns(2)
        if size_by == "number":
            with left:
                size = url_number("Cases to sample", "sample_n", min(int(audit_target()), len(eligible)), 1,
                                  len(eligible))
            margin = stats.margin_of_error(size, len(eligible))
            note = f"±{100 * margin:.1f} points at 95% confidence for a share near 50%" if margin else "every case"
        else:
            with left:
                margin_pct = url_number("Margin of error (± percentage points)", "sample_margin", 10, 1, 50)
            with right:
                expected = url_number("Expected share (%)", "sample_expected", 50, 1, 99,
                                      help="Your best guess of the share you are measuring; 50% is the most "
                                           "cautious and needs the most cases.")
            size = stats.sample_size(len(eligible), expected / 100, margin_pct / 100)
            note = f"enough for ±{margin_pct} points at 95% confidence if the share is near {expected}%"
        seed = url_number("Random seed", "sample_seed", int(filters.as_at.strftime("%Y%m")), 0, 2**31 - 1,
                          help="The same seed, snapshot and choices give the same sample: note it to redraw it.")
        sample = sampling.draw(eligible, size, seed)
        st.markdown(f"**{len(sample)} case(s)** drawn with seed **{seed}** from {len(eligible):,} ({note}), "
                    "split across teams in proportion to their open cases.")
        shown = sample.assign(team_name=sample["team"].map(filters.team_name)).rename(
            columns={"person_id": "child (pseudonymous id)", "worker_id": "worker",
                     "stratum_size": "team's eligible cases", "stratum_sample": "team's sample"})
        table(shown, f"audit_sample_{filters.as_at:%Y%m%d}_seed{seed}.csv", "sample")


def sample_size_calculator(default_population: int) -> None:
    """How many cases to audit for a share known to ± a margin: the finite-population formula, worked."""
    left, middle, right, last = st.columns(4)
    with left:
        population = int(st.number_input("Population (N)", min_value=1, value=max(1, default_population),
                                         step=1, key="calc_population"))
    with middle:
        expected = st.number_input("Expected share (%)", min_value=1.0, max_value=99.0, value=50.0, step=5.0,
                                   key="calc_expected")
    with right:
        margin = st.number_input("Margin of error (±%)", min_value=0.5, max_value=50.0, value=5.0, step=0.5,
                                 key="calc_margin")
    with last:
        confidence = st.selectbox("Confidence", [90, 95, 99], index=1, key="calc_confidence",
                                  format_func=lambda c: f"{c}%")
    needed = stats.sample_size(population, expected / 100, margin / 100, confidence / 100)
    st.metric("Cases to audit", f"{needed:,}")
    st.caption(f"n₀ = z²·p(1−p)/e², then n = n₀ / (1 + (n₀ − 1)/N), rounded up: N = {population:,}, "
               f"p = {expected:g}%, e = ±{margin:g}%, {confidence}% confidence.")


# ---------------------------------------------------------------- links from the overview

AREA_PAGES = {"safeguarding": "views/safeguarding.py", "cared_for": "views/cared_for.py",
              "workforce": "views/workforce.py", "quality": "views/quality.py"}


def link_to_indicator(indicator_id: str, label: str = "Open") -> None:
    """A link to the indicator's area page with the indicator chosen; the sidebar filters go with the session."""
    indicator = indicators.get(indicator_id)
    st.page_link(AREA_PAGES[indicator.area], label=label, icon=":material/arrow_forward:",
                 query_params={"indicator": indicator_id},
                 help=f"{indicator.title} on the {indicators.AREAS[indicator.area]} page, with these filters")


def from_overview(filters: Filters, area: str) -> None:
    """When a link names one of this area's indicators, explore it first: trend, teams, children."""
    wanted = st.query_params.get("indicator")
    if wanted not in indicators.REGISTRY or indicators.get(wanted).area != area:
        return
    st.header(f"From the overview: {indicators.get(wanted).title}")
    ids = [i.id for i in indicators.REGISTRY.values() if i.area == area]
    # workforce unit rows are staff, not children: no list there
    indicator_explorer(filters, ids, default=ids[0], key="indicator", children=area != "workforce")


# ---------------------------------------------------------------- leadership overview

# SPC readings as a symbol, words and a colour: colour is never the only signal.
VARIATION_BADGES = {
    "improvement_high": ("green", "▲ improving"), "improvement_low": ("green", "▼ improving"),
    "concern_high": ("orange", "▲ concern"), "concern_low": ("orange", "▼ concern"),
    "neither_high": ("blue", "▲ unusually high"), "neither_low": ("blue", "▼ unusually low"),
    "common_cause": ("gray", "● no significant change"), "not_enough_points": ("gray", "○ too few months to judge"),
}
ASSURANCE_BADGES = {"consistent_pass": ("green", "✓ target met consistently"),
                    "consistent_fail": ("red", "✗ target not met consistently"),
                    "inconsistent": ("orange", "~ target hit and miss")}
IMPROVING = ("improvement_high", "improvement_low")
CONCERN = ("concern_high", "concern_low")


@st.cache_data(show_spinner="Computing the headline indicators…", max_entries=30)
def _headlines(root: str, snapshot_id: str, fingerprint: str, ids: tuple[str, ...], as_at: dt.date, teams):
    return headlines.headlines(_database(root, snapshot_id, fingerprint), _settings(root), list(ids), as_at, teams)


def overview_as_at(filters: Filters) -> dt.date:
    """Tiles show the last complete month of the chosen period."""
    return last_complete_month_end(min(filters.period.end, filters.as_at))


def headline_figures(filters: Filters, ids: list[str]) -> dict:
    ids = tuple(i for i in ids if i in indicators.REGISTRY)
    return _headlines(*_key(filters), ids, overview_as_at(filters), filters.scope.teams)


def spc_words(h) -> str:
    """The SPC reading in plain words: the tooltip of a tile's badges."""
    if h.spc is None:
        return narrative.variation_words(h.variation)
    return " ".join(p for p in (h.spc.variation_text, h.spc.assurance_text) if p)


def at_a_glance(figures: dict) -> None:
    """The three questions a leader asks first: what improved for real, what needs attention, how we compare."""
    available = [h for h in figures.values() if not h.unavailable and h.value is not None]
    improving = [h for h in available if h.variation in IMPROVING]
    concern = [h for h in available if h.variation in CONCERN or h.assurance == "consistent_fail"]
    left, middle, right = st.columns(3)
    with left, st.container(border=True):
        st.markdown("**Improved for real** (special cause in the latest month)")
        for h in improving:
            st.markdown(f"- {h.indicator.title}: {narrative.format_value(h.indicator, h.value)}")
        if not improving:
            st.write("No headline indicator shows special-cause improvement in its latest month.")
    with middle, st.container(border=True):
        st.markdown("**Needs attention** (special-cause concern, or a target not met consistently)")
        for h in concern:
            why = "concern" if h.variation in CONCERN else "target not met consistently"
            st.markdown(f"- {h.indicator.title}: {narrative.format_value(h.indicator, h.value)} ({why})")
        if not concern:
            st.write("No headline indicator shows special-cause concern or a target consistently missed.")
    with right, st.container(border=True):
        st.markdown("**Against England** (our latest figure beside England's latest published)")
        better, worse, lines = 0, 0, []
        for h in available:
            england = h.benchmark.england if h.benchmark else None
            if england is None or h.indicator.direction is None:
                continue
            ahead = h.value > england if h.indicator.direction == "higher" else h.value < england
            better, worse = better + ahead, worse + (not ahead and h.value != england)
            lines.append(f"- {h.indicator.title}: {narrative.format_value(h.indicator, h.value)} against "
                         f"England {narrative.format_value(h.indicator, england)} ({narrative.year_label(h.benchmark)})"
                         f" — {'better' if ahead else 'worse' if h.value != england else 'the same'}")
        st.markdown(f"Better than England on **{better}** and worse on **{worse}** of {len(lines)} comparable "
                    "measures. Published figures lag: compare the direction, not the decimal.")
        with st.expander("Each comparison"):
            st.markdown("\n".join(lines) if lines else "None published.")


def overview_tile(h) -> None:
    """One headline: value with period and n, change on a year earlier, sparkline, SPC, target, benchmarks, link."""
    indicator = h.indicator
    with st.container(border=True):
        if h.unavailable:
            st.metric(indicator.title, "unavailable", help=indicator.definition)
            st.caption(h.unavailable)
            return
        delta = None
        if h.value is not None and h.previous_value is not None:
            change = h.value - h.previous_value
            unit = " points" if indicator.unit == indicators.PERCENT else ""
            delta = f"{change:+,.1f}{unit} on a year earlier"
        st.metric(indicator.title, narrative.format_value(indicator, h.value), delta=delta, delta_color="off",
                  help=indicator.definition)
        n = (f"{h.numerator:,.0f} of {h.denominator:,.0f}" if indicator.unit == indicators.PERCENT
             and h.denominator is not None else f"n = {h.numerator:,.0f}" if h.numerator is not None else "")
        st.caption(f"{narrative.period_words(h.basis, h.period)} · {n} · {indicator.better}")
        if len(h.series.dropna(subset=["value"])) > 1:
            st.altair_chart(sparkline(h.series, indicator.unit_label), width="stretch")
        colour, words = VARIATION_BADGES.get(h.variation or "not_enough_points", VARIATION_BADGES["not_enough_points"])
        badges = f":{colour}-badge[{words}]"
        if h.assurance in ASSURANCE_BADGES:
            a_colour, a_words = ASSURANCE_BADGES[h.assurance]
            badges += f" :{a_colour}-badge[{a_words}]"
        st.markdown(badges, help=spc_words(h) or None)
        facts = []
        if h.target:
            facts.append(f"target {narrative.format_level(indicator, h.target.value)}")
        if h.benchmark:
            b = h.benchmark
            if b.england is not None:
                facts.append(f"England {narrative.format_value(indicator, b.england)}")
            if b.neighbours is not None:
                facts.append(f"neighbours {narrative.format_value(indicator, b.neighbours)}")
            facts.append(f"({narrative.year_label(b)})")
        if facts:
            st.caption(" · ".join(facts))
        link_to_indicator(indicator.id, label=f"Open in {indicators.AREAS[indicator.area]}")


def overview_tiles(filters: Filters, groups: dict[str, list[str]], per_row: int = 3) -> None:
    """Every headline indicator as a tile, grouped by area."""
    with guarded("The headline indicators"):
        figures = headline_figures(filters, [i for ids in groups.values() for i in ids])
        st.subheader("At a glance")
        at_a_glance(figures)
        for area, ids in groups.items():
            shown = [figures[i] for i in ids if i in figures]
            if not shown:
                continue
            st.subheader(indicators.AREAS[area])
            for start in range(0, len(shown), per_row):
                for column, h in zip(st.columns(per_row), shown[start:start + per_row]):
                    with column:
                        overview_tile(h)


def spc_explorer(filters: Filters, ids: list[str]) -> None:
    """One indicator's SPC chart with its limits and special-cause points, in words and as a table."""
    ids = [i for i in ids if i in indicators.REGISTRY]
    if not ids:
        return
    chosen = url_choice("Indicator", ids, key="spc", default=ids[0], format_func=lambda i: indicators.get(i).title)
    with guarded("The SPC chart"):
        h = headline_figures(filters, [chosen])[chosen]
        if h.unavailable or h.spc is None:
            st.warning(f"Unavailable: {h.unavailable or 'no values'}")
            return
        st.markdown(spc_words(h))
        points = h.spc.points
        if st.toggle("Show as table", key="table_spc"):
            table(points, f"{chosen}_spc.csv", "spc")
        else:
            st.altair_chart(charts.spc_chart(h.spc, h.indicator.title, h.indicator.unit_label,
                                      h.target.value if h.target else None), width="stretch")
        st.caption("Statistical process control (Making Data Count): the centre line is the mean; the dashed "
                   "lines are the process limits (mean ± 2.66 × the mean moving range). A point outside them, 7 "
                   "rising or falling in a row, 7 on one side of the mean, or 2 of 3 near a limit is special cause: "
                   "a real change, not noise. Points are single months, so a small month moves more than the "
                   "12-month figure on the tile.")


def benchmark_explorer(filters: Filters, ids: list[str]) -> None:
    """Our latest figure beside our own published one, England, the region and the neighbours; the neighbours chart."""
    comparable = [i for i in ids if i in indicators.REGISTRY and i in benchmarks.COMPARABLE]
    if not comparable:
        return
    chosen = url_choice("Measure", comparable, key="benchmark", default=comparable[0],
                        format_func=lambda i: indicators.get(i).title)
    indicator = indicators.get(chosen)
    with guarded("The benchmarks"):
        h = headline_figures(filters, [chosen])[chosen]
        authority = authority_of(settings())
        published = benchmarks.published(chosen, **authority)
        if published.empty:
            st.write("No comparable published figure.")
            return
        latest = latest_published(chosen, filters.as_at)
        st.markdown(f"**Ours now**: {narrative.format_value(indicator, h.value)} "
                    f"({narrative.period_words(h.basis, h.period)}, computed from the snapshot)."
                    + (f" {benchmarks.COMPARABLE[chosen].note}" if benchmarks.COMPARABLE[chosen].note else ""))
        shown = published.drop(columns=[c for c in ("note", "measure") if c in published.columns]).round(1)
        st.caption(f"Published figures by year ({benchmarks.SOURCE}). 'authority' is {settings().name}'s own "
                   "published figure; 'neighbours' the mean of its statistical neighbours.")
        table(shown, f"{chosen}_benchmarks.csv", "benchmarks")
        if latest is None:
            return
        frame = benchmarks.neighbour_values(chosen, int(latest["year"]), **authority)
        if frame.empty:
            return
        st.markdown(f"**{settings().name} against its statistical neighbours, {_year_label(latest)}**")
        if st.toggle("Show as table", key="table_neighbours"):
            table(frame, f"{chosen}_neighbours.csv", "neighbours")
        else:
            st.altair_chart(charts.neighbours_chart(frame, indicator.title, indicator.unit_label), width="stretch")
    not_comparable = [i for i in ids if i in benchmarks.NOT_COMPARABLE]
    if not_comparable:
        with st.expander("Indicators with no published comparator, and why"):
            st.markdown("\n".join(f"- **{indicators.get(i).title}**: {benchmarks.NOT_COMPARABLE[i]}"
                                   for i in not_comparable if i in indicators.REGISTRY))


@st.cache_data(show_spinner=False, max_entries=10)
def _report(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, teams, filters_text: str):
    return report.build(_database(root, snapshot_id, fingerprint), _settings(root), as_at, teams, filters_text)


def highlight_report(filters: Filters) -> None:
    """The Improvement Operations Board's report: each priority in words and charts, as HTML or PDF."""
    with guarded("The highlight report"):
        priorities = settings().priorities
        if not priorities:
            st.write("No improvement priorities are configured in local_authority.toml.")
            return
        as_at = overview_as_at(filters)
        filters_text = f"{filters.scope_label}; period ending {as_at:%d %B %Y}"
        built = _report(*_key(filters), as_at, filters.scope.teams, filters_text)
        st.caption(f"{len(priorities)} improvement priorities from local_authority.toml, stamped with the snapshot "
                   f"({filters.as_at:%d %B %Y}), the period and the filters ({filters_text}). Small numbers are "
                   "suppressed: the report goes to a wider audience.")
        for section in built.sections:
            with st.expander(section.priority.name):
                if section.priority.recommendation:
                    st.caption(section.priority.recommendation)
                for item in section.indicators:
                    st.markdown(f"- {item.sentence}")
        stamp = f"{settings().name.lower()}_highlight_report_{as_at:%Y%m%d}"
        left, right = st.columns(2)
        with left:
            st.download_button("Download the report (HTML)", lambda: report.to_html(built), file_name=f"{stamp}.html",
                               mime="text/html", icon=":material/download:", key="report_html")
        with right:
            st.download_button("Download the report (PDF)", lambda: report.to_pdf(built), file_name=f"{stamp}.pdf",
                               mime="application/pdf", icon=":material/picture_as_pdf:", key="report_pdf")


@st.cache_data(show_spinner="Comparing with the previous snapshot…", max_entries=20)
def _revisions(root: str, snapshot_id: str, fingerprint: str, before_id: str, before_fingerprint: str,
               ids: tuple[str, ...], periods: tuple[Period, ...], teams) -> pd.DataFrame:
    return revised_figures(_database(root, snapshot_id, fingerprint), _database(root, before_id, before_fingerprint),
                           list(ids), list(periods), _settings(root), Scope(teams))


POINT_TYPE_WORDS = {"special_cause_improvement": "special cause: improvement",
                    "special_cause_concern": "special cause: concern",
                    "special_cause_neither": "special cause: unusual, neither better nor worse"}


def previous_snapshot(filters: Filters) -> Snapshot | None:
    earlier = [s for s in _snapshots(str(data_root())) if s.usable and s.as_at < filters.as_at]
    return max(earlier, key=lambda s: s.as_at) if earlier else None


def what_changed(filters: Filters, ids: list[str], months_back: int = 12) -> None:
    """Since the last snapshot: headline figures whose newest month is special cause, and past months revised."""
    before = previous_snapshot(filters)
    with guarded("What changed since the last snapshot"):
        if before is None:
            st.write("This is the first usable snapshot: there is nothing earlier to compare with.")
            return
        figures = headline_figures(filters, ids)
        moved = []
        for h in figures.values():
            if h.unavailable or h.spc is None or h.spc.points.empty:
                continue
            new_months = h.spc.points[pd.to_datetime(h.spc.points["x"]).dt.date > before.as_at]
            special = new_months[new_months["point_type"] != "common_cause"]
            for _, point in special.iterrows():
                kind = POINT_TYPE_WORDS.get(point["point_type"], str(point["point_type"]))
                moved.append(f"- {h.indicator.title}: {narrative.format_value(h.indicator, point['y'])} in "
                             f"{pd.Timestamp(point['x']):%B %Y} ({kind})")
        st.markdown(f"**Moved by special cause since the snapshot of {before.as_at:%d %B %Y}**")
        st.markdown("\n".join(moved) if moved else "No headline indicator's newest month is special cause.")
        periods = months(add_months(before.as_at, -months_back) + dt.timedelta(days=1), before.as_at)
        ids_here = tuple(i for i in ids if i in indicators.REGISTRY)
        revised = _revisions(*_key(filters), before.id, _fingerprint(before), ids_here, tuple(periods),
                             filters.scope.teams)
        st.markdown(f"**Past months the newer extract tells differently** (the {months_back} months to "
                    f"{before.as_at:%B %Y}, {before.as_at:%d %B %Y} snapshot against {filters.as_at:%d %B %Y})")
        if revised.empty:
            st.write("No headline figure for those months was revised.")
            return
        shown = revised.assign(indicator=revised["id"].map(lambda i: indicators.get(i).title),
                               month=pd.to_datetime(revised["from"]).dt.strftime("%Y-%m"),
                               change=revised["value_now"] - revised["value_before"])
        shown = shown.iloc[shown["change"].abs().fillna(float("inf")).argsort()[::-1]]
        biggest = shown.iloc[0]
        st.caption(f"{len(shown)} figure(s) revised, mostly by records entered late. The largest: "
                   f"{biggest['indicator']} for {biggest['month']}, {biggest['value_before']:,.1f} → "
                   f"{biggest['value_now']:,.1f}. Largest changes first; quote the newer figure.")
        table(shown[["indicator", "month", "value_before", "value_now", "change", "numerator_before", "numerator_now",
                     "denominator_before", "denominator_now"]].round(1), "revised_figures.csv", "revisions")
