"""Widgets every screen shares: a guarded section, a headline figure, tables with CSV, choices kept in the URL,
the trend, teams side by side, the children behind a number, and the indicator explorer that joins them."""
from __future__ import annotations

from contextlib import contextmanager

import pandas as pd
import streamlit as st
from altair import Undefined

from .. import benchmarks, codes, indicators
from ..charts import teams_chart, trend_chart
from ..compute import Scope
from ..export import safe_csv
from ..periods import Period, chart_months, rolling_periods, shows_rolling_year
from ..store import data_root
from .data import fingerprint_of, indicator_frame, latest_published, records_behind, references, settings, year_label
from . import door
from .frame import Filters, focus_on, unique_labels


@contextmanager
def guarded(what: str):
    """Show a plain message instead of a traceback when one figure cannot be drawn; the rest of the page goes on."""
    try:
        yield
    except Exception as exc:  # a damaged or surprising extract must not take the page down
        st.error(f"{what} could not be shown ({str(exc).splitlines()[0][:200]}). The rest of the page is "
                 "unaffected; `python -m torbay_dash snapshots` lists any problems found in the data.",
                 icon=":material/error:")


def help_words(indicator: indicators.Indicator) -> str:
    """A figure's help: what it counts in words; the exact rule is one click away."""
    return f"{indicator.in_words} The exact rule is under Definition and on the Definitions page."


def definition_popover(indicator: indicators.Indicator) -> None:
    with st.popover("Definition", icon=":material/info:"):
        st.markdown(f"**{indicator.title}** (id `{indicator.id}`, as the command line and downloads name it)")
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
                  help=help_words(indicator))
        st.caption(n_caption(indicator, row) +
                   (f" · target {target.value:g}" if target else "") + f" · {indicator.better}")
        definition_popover(indicator)


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


def download_csv(frame: pd.DataFrame, filename: str, key: str, logged: dict | None = None) -> None:
    """A CSV download whose cells a spreadsheet cannot run as formulas; `logged` (door.log_event's arguments,
    for lists of children or workers) records the download in the access log."""
    on_click = (lambda: door.log_event("downloaded", **logged)) if logged else "rerun"
    st.download_button("Download CSV", safe_csv(frame), file_name=filename, mime="text/csv",
                       key=f"csv_{key}", icon=":material/download:", on_click=on_click)


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates without times and column names in words, for tables people read and download."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
    return out.rename(columns=lambda c: str(c).replace("_", " "))


def table(frame: pd.DataFrame, filename: str, key: str, name: str | None = None,
          csv_only: tuple[str, ...] = (), logged: dict | None = None) -> None:
    """A table in words with its CSV download (codes and their words side by side).

    `name` (default: from the file name) is what a screen reader announces for the grid; `csv_only`
    columns (ids whose words are in another column) go to the download but not on the screen.
    """
    name = name or filename.removesuffix(".csv").replace("_", " ")
    on_screen = frame.drop(columns=list(csv_only), errors="ignore")
    st.dataframe(readable(codes.for_display(on_screen)), hide_index=True, width="stretch",
                 alt=f"Table: {name}, {len(frame):,} row(s)")
    download_csv(readable(codes.for_csv(frame)), filename, key, logged)


WORKER_COLUMNS = ("worker_id", "worker", "auditor_id", "social_worker")


def lists_allowed(filters: Filters, what: str) -> bool:
    """Whether this viewer may see a list of children here; if not, say so in place of the list."""
    if filters.lists_children:
        return True
    role = filters.viewer.role.title.lower() if filters.viewer else "unknown"
    st.info(f"{what}: lists of children are not open to your role ({role}). The figures above are.",
            icon=":material/lock:")
    return False


def child_rows(filters: Filters, frame: pd.DataFrame, what: str) -> tuple[pd.DataFrame, dict]:
    """A list of children as this viewer may see it (no worker ids unless the role sees workers), logged as
    viewed once per session and view; returns the rows and the access log's description for its download."""
    if not filters.shows_workers:
        frame = frame.drop(columns=[c for c in frame.columns if c in WORKER_COLUMNS])
    logged = {"what": what, "filters": filters.for_log(), "rows": len(frame), "page": filters.page}
    door.log_event("viewed", once_per_session=True, **logged)
    return frame, logged


CHILD_COLUMNS = {"person_id": "child (pseudonymous id)", "worker_id": "worker"}


def children_table(filters: Filters, frame: pd.DataFrame, filename: str, key: str, name: str,
                   columns: dict[str, str] | None = None) -> None:
    """A list of children for managers: team names for team ids, pseudonymous ids said to be so.

    Only for roles that may list children on this page; the rows come from a query already cut to the scope.
    """
    if not lists_allowed(filters, name[:1].upper() + name[1:]):
        return
    frame, logged = child_rows(filters, frame, name)
    table(frame.assign(team=frame["team"].map(filters.team_name)).rename(columns={**CHILD_COLUMNS, **(columns or {})}),
          filename, key, name=name, logged=logged)


def _announced(name: str, description) -> str:
    return f"Chart: {name}." + (f" {description}" if isinstance(description, str) and description else "")


def chart(figure, name: str, **kwargs):
    """An Altair chart announced by its name and its one-sentence description, not as "Vega visualization"."""
    description = getattr(figure, "description", None)
    if isinstance(description, str):
        figure = figure.copy()
        figure.description = Undefined  # Streamlit announces `alt`; the description is already in it
    return st.altair_chart(figure, width="stretch", alt=_announced(name, description), **kwargs)


def spec_chart(spec: dict, name: str):
    """The same for a chart already turned into Vega-Lite (and validated) once, e.g. cached: no Altair on this run."""
    spec = dict(spec)
    return st.vega_lite_chart(spec, width="stretch", alt=_announced(name, spec.pop("description", None)))


def chart_or_table(figure, frame: pd.DataFrame, name: str, filename: str, key: str) -> bool:
    """A chart with a switch to its table (colour is never the only way in); True when the table is shown."""
    if st.toggle(f"Show {name} as a table", key=f"table_{key}"):
        table(frame, filename, key, name=name)
        return True
    chart(figure, name)
    return False


def trend(filters: Filters, indicator_id: str, key: str = "") -> None:
    """Month by month (and rolling 12 months where the measure is annual), with target and benchmarks."""
    indicator = indicators.get(indicator_id)
    with guarded(f"{indicator.title} over time"):
        monthly = indicator_frame(filters, indicator_id, chart_months(filters.period))
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
        chart_or_table(trend_chart(monthly, indicator, rolling, refs), shown, f"{indicator.title} month by month",
                       f"{indicator_id}_monthly.csv", f"trend_{indicator_id}{key}")


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
        name = f"{indicator.title} by team"
        if st.toggle(f"Show {name} as a table", key=f"table_teams_{indicator_id}{key}"):
            table(frame[["team", "team_name", "numerator", "denominator", "value"]],
                  f"{indicator_id}_by_team.csv", f"teams_{indicator_id}{key}", name=name, csv_only=("team",))
            team_links(filters, list(frame["team"]))
            return None
        event = chart(teams_chart(frame, indicator), name, on_select="rerun", key=f"teams_chart_{indicator_id}{key}")
        picked = (event or {}).get("selection", {}).get("team_pick") or []
        if picked:
            team_link(filters, picked[0].get("team"))
        return picked[0].get("team") if picked else None
    return None


def team_choice(filters: Filters, key: str, clicked: str | None) -> str | None:
    """The team whose children to list, by keyboard (a choice kept in the URL) or by a click on its bar.

    A new click moves the choice to the clicked team; the choice can then be changed by keyboard again.
    """
    in_scope = filters.teams if filters.scope.teams is None else \
        filters.teams[filters.teams["team_id"].isin(filters.scope.teams)]
    options = ["all", *in_scope.sort_values("team_name")["team_id"]]
    wanted = st.query_params.get(key)
    if wanted and wanted not in options and wanted in set(filters.teams["team_id"]):
        door.log_event("refused", "team outside the user's scope", {key: wanted}, page=filters.page)
        st.error(f"{filters.team_name(wanted)}, named in this link, is outside what you may see: no list is shown "
                 "for it. Showing your own teams' instead.", icon=":material/block:")
        st.query_params.pop(key, None)
    last_click = f"_clicked_{key}"
    if clicked and clicked in options and clicked != st.session_state.get(last_click):
        st.session_state[last_click] = clicked
        st.query_params[key] = clicked
        st.session_state.pop(f"choice_{key}", None)  # redraw the choice from the URL, now the clicked team
    team = url_choice("Team whose children to list", options, key=key, default="all",
                      format_func=lambda t: f"every team in view ({filters.scope_label})" if t == "all"
                      else filters.team_name(t))
    return None if team == "all" else team


DRILL_COLUMNS = {"unit_id": "record id", "person_id": "child (pseudonymous id)", "team": "team",
                 "worker_id": "worker"}


def children_behind(filters: Filters, indicator_id: str, team: str | None, period: Period,
                    limit: int = 500, numerator: int | None = None, key: str | None = None) -> None:
    """The children or events behind a figure: the list a team manager takes to a performance surgery."""
    indicator = indicators.get(indicator_id)
    if not lists_allowed(filters, f"The records behind {indicator.title}"):
        return
    with guarded("The list of children"):
        if team and filters.scope.teams is not None and team not in filters.scope.teams:
            st.error(f"{filters.team_name(team)} is outside what you may see: no list is shown for it.",
                     icon=":material/block:")
            return
        scope = Scope((team,)) if team else filters.scope
        rows = records_behind(str(data_root()), filters.snapshot.id, fingerprint_of(filters.snapshot), indicator_id,
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
        shown, logged = child_rows(filters, shown.head(limit), f"records behind {indicator.title}, {where}")
        table(shown, f"{indicator_id}_children.csv", key or f"children_{indicator_id}",
              name=f"records behind {indicator.title}, {where}", logged=logged)


def indicators_summary_table(filters: Filters, area: str) -> None:
    """Every indicator of an area in one table, with its CSV."""
    with guarded("The table of indicators"):
        table(indicators_summary(filters, area), f"{area}_indicators.csv", f"{area}_summary",
              name=f"every {indicators.AREAS[area]} indicator", csv_only=("id",))


def indicators_summary(filters: Filters, area: str) -> pd.DataFrame:
    """Every indicator of an area for the period: value, n, target, latest England and neighbour figures."""
    rows = []
    for indicator in (i for i in indicators.REGISTRY.values() if i.area == area):
        row = indicator_frame(filters, indicator.id, [filters.period]).iloc[0]
        target = settings().targets.get(indicator.id)
        published = latest_published(indicator.id, filters.as_at)

        def comparator(column: str, with_year: bool = False) -> str:
            if published is None or pd.isna(published[column]):
                return "not published"
            return f"{round(published[column], 1):g}" + (f" ({year_label(published)})" if with_year else "")

        rows.append({
            "indicator": indicator.title, "id": indicator.id,
            "value": format_value(indicator, row["value"]) if not row["unavailable"] else "unavailable",
            "n": n_caption(indicator, row),
            "target": f"{target.value:g}" if target else "none set",
            "England": comparator("england", with_year=True),
            "statistical neighbours": comparator("neighbours"),
            "better": indicator.better})
    return pd.DataFrame(rows)


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
               + (" Click a bar, or choose a team below, to list that team's children." if children else ""))
    clicked_team = teams_side_by_side(filters, chosen, key=f"_{key}")
    if children:
        st.subheader("The children behind the number", anchor=f"children-{key}")
        team = team_choice(filters, f"{key}_team", clicked_team)
        month_list = list(reversed(chart_months(filters.period)))
        options = ["whole period", *[m.start.isoformat() for m in month_list]]
        month = url_choice("Month", options, key=f"{key}_month", default="whole period",
                           format_func=lambda m: m if m == "whole period" else m[:7])
        period = filters.period if month == "whole period" else next(m for m in month_list
                                                                     if m.start.isoformat() == month)
        children_behind(filters, chosen, team, period, key=f"children_{chosen}_{key}")
    return chosen


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


AREA_PAGES = {"safeguarding": "views/safeguarding.py", "cared_for": "views/cared_for.py",
              "workforce": "views/workforce.py", "quality": "views/quality.py"}


TEAM_PAGE = "views/team.py"


def team_label(filters: Filters, team_id: str) -> str:
    """The team as the sidebar's bound choice writes it in the URL (its name; 'name (id)' if two share it)."""
    return unique_labels(filters.teams["team_id"], filters.teams["team_name"]).get(team_id, team_id)


def team_link(filters: Filters, team_id: str, label: str | None = None) -> None:
    """A link to a team's page with the filters of this session (the team goes in the URL)."""
    if team_id not in set(filters.teams["team_id"]):
        return
    st.page_link(TEAM_PAGE, label=label or f"Open {filters.team_name(team_id)}'s team page",
                 icon=":material/groups:", query_params={"team": team_label(filters, team_id)},
                 help="Staff, indicators beside the service and the authority, children now, the surgery, "
                      "audits and the Practice Week pack")


def team_links(filters: Filters, team_ids: list[str]) -> None:
    """Under a table of teams: each team's page, one link each (the table's own rows cannot be links)."""
    known = [t for t in team_ids if t in set(filters.teams["team_id"])]
    if not known:
        return
    with st.expander("Open a team's page"):
        for team_id in sorted(known, key=filters.team_name):
            team_link(filters, team_id, label=filters.team_name(team_id))


def link_to_indicator(indicator_id: str, label: str = "Open") -> None:
    """A link to the indicator's area page with the indicator chosen; the sidebar filters go with the session."""
    indicator = indicators.get(indicator_id)
    st.page_link(AREA_PAGES[indicator.area], label=label, icon=":material/arrow_forward:",
                 query_params={"indicator": indicator_id},
                 help=f"{indicator.title} on the {indicators.AREAS[indicator.area]} page, with these filters")


def from_overview(filters: Filters, area: str) -> bool:
    """When a link names one of this area's indicators, explore it first: trend, teams, children.

    The reader lands on this section (scrolled to and focused); True when it was drawn.
    """
    wanted = st.query_params.get("indicator")
    if wanted not in indicators.REGISTRY or indicators.get(wanted).area != area:
        return False
    st.header(f"From the overview: {indicators.get(wanted).title}", anchor="from-the-overview")
    focus_on("from-the-overview", once_for=f"{area}:{wanted}")
    ids = [i.id for i in indicators.REGISTRY.values() if i.area == area]
    # workforce unit rows are staff, not children: no list there
    # no default: the choice always stays in the URL, so the section stays when another indicator is picked
    indicator_explorer(filters, ids, default="", key="indicator", children=area != "workforce")
    return True
