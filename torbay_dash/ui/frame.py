"""The frame around every screen: first run, the sidebar filters (kept in the URL), the header, the empty state."""
from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from ..access import User
from ..compute import Scope
from ..periods import PRESETS, Period, preset_period
from ..store import HOW_TO_LOAD, Refusal, Snapshot, data_root
from ..synth import ensure_demo_data, needs_first_run
from . import door
from .data import (database, fingerprint_of, prepare_figures, refusals, settings, settings_in_force, snapshot_list,
                   team_table)

ALL = "__all__"
FILTERS_KEY = "_torbay_filters"
LANDED_KEY = "_torbay_landed"
STYLES = Path(__file__).with_name("accessible.css")
# Team codes a query can return that are not teams in the department table, in words.
TEAM_WORDS = {"UNALLOCATED": "no allocated team", None: "team not recorded"}


@dataclass(frozen=True)
class Filters:
    snapshot: Snapshot
    period: Period
    service: str          # a service id or ALL
    team: str             # a team id or ALL
    teams: pd.DataFrame   # team_id, team_name, service_id, service_name
    scope: Scope          # the teams shown: the sidebar's choice, never wider than the viewer's own scope
    viewer: User | None = None
    page: str = ""        # the page drawing, as in app.PAGES

    @property
    def lists_children(self) -> bool:
        """May this page show the viewer lists of children (and their ids)?"""
        return self.viewer is not None and self.viewer.role.lists_children_on(self.page)

    @property
    def shows_workers(self) -> bool:
        """May the viewer see social workers' ids?"""
        return self.viewer is not None and self.viewer.role.worker_ids

    @property
    def aggregates_only(self) -> bool:
        """Figures for a wider audience: counts of 1 to 5 suppressed, no child or worker (members)."""
        return self.viewer is None or self.viewer.role.aggregates_only

    @property
    def as_at(self) -> dt.date:
        return self.snapshot.as_at

    def team_name(self, team_id: str | None) -> str:
        """A team's name for people; never its id, UNALLOCATED or None."""
        if team_id is None or pd.isna(team_id):
            return TEAM_WORDS[None]
        match = self.teams.loc[self.teams["team_id"] == team_id, "team_name"]
        if len(match):
            return match.iloc[0]
        return TEAM_WORDS.get(team_id, f"team {team_id} (not in the department table)")

    def service_name(self, service_id: str | None) -> str:
        """A service's name for people; never its id."""
        match = self.teams.loc[self.teams["service_id"] == service_id, "service_name"]
        if len(match):
            return match.iloc[0]
        return "no service recorded" if service_id in (None, "NO_SERVICE") or pd.isna(service_id) else \
            f"service {service_id} (not in the department table)"

    def for_log(self) -> dict:
        """The filters in force, for the access log: what was asked, never what was shown."""
        return {"snapshot": self.snapshot.id, "period": str(self.period), "service": self.service,
                "team": self.team, "scope": "every team" if self.scope.teams is None else ",".join(self.scope.teams)}

    @property
    def scope_label(self) -> str:
        if self.team != ALL:
            return self.team_name(self.team)
        if self.service != ALL:
            names = self.teams.loc[self.teams["service_id"] == self.service, "service_name"]
            return names.iloc[0] if len(names) else self.service
        return "all teams"


def styles() -> None:
    """Visible focus, wrapping tile titles, quiet chart toolbars: see accessible.css."""
    st.html(f"<style>{STYLES.read_text()}</style>")


def page(title: str, page_id: str, needs_data: bool = True) -> Filters | None:
    """Start a screen: its own browser title and heading, then the filters; without data, the empty state.

    A page draws nothing for someone the door has not let in on this run, or whose role may not open it.
    """
    la = settings()
    st.set_page_config(page_title=f"{title} · {la.name + ' ' if la else ''}children's services")
    if "indicator" not in st.query_params:
        forget_landing()  # the next link naming an indicator lands on it again
    st.title(title)
    who = door.viewer()
    if who is not None and not door.may_open(who, page_id):
        door.log_event("refused", f"the {title} page", {}, page=page_id, once_per_session=True)
    if who is None or not door.may_open(who, page_id):
        st.error(f"This page is not open to your role ({who.role.title.lower()}: {who.role.sees}). Ask "
                 f"{door.contact()} if you need it." if who else "No data is shown: who you are was not checked.",
                 icon=":material/lock:")
        st.stop()
    if la is None and needs_data:  # no settings could be loaded at all: the header says why
        st.stop()
    current = filters()
    if current is None and needs_data:
        empty_state()
        st.stop()
    if current is not None and needs_data:
        prepare_figures(current.snapshot)
    return replace(current, page=page_id) if current is not None else None


def focus_on(anchor: str, once_for: str) -> None:
    """Scroll to the heading `anchor` and move keyboard focus to it, once per arrival (`once_for`).

    A link from the overview names an indicator: the reader lands on it, not at the top of the page.
    Later reruns (a filter changed) leave the scroll position alone.
    """
    if st.session_state.get(LANDED_KEY) == once_for:
        return
    st.session_state[LANDED_KEY] = once_for
    st.html(f"""<script>
      (function land(tries) {{
        const app = document.querySelector('[data-testid="stApp"]');
        const heading = document.getElementById({json.dumps(anchor)});
        const settled = app && app.getAttribute("data-test-script-state") === "notRunning";
        if (!heading || !settled) {{ if (tries > 0) setTimeout(() => land(tries - 1), 200); return; }}
        heading.setAttribute("tabindex", "-1");
        heading.scrollIntoView({{block: "start"}});
        heading.focus({{preventScroll: true}});
        // charts above may still be drawing and push the heading down: keep it at the top for a
        // few seconds, unless the reader scrolls, types or moves focus first
        let moved = false, checks = 12;
        for (const event of ["wheel", "keydown", "touchmove", "mousedown"]) {{
          window.addEventListener(event, () => {{ moved = true; }}, {{once: true, capture: true}});
        }}
        (function keep() {{
          if (moved || document.activeElement !== heading || --checks < 0) return;
          if (Math.abs(heading.getBoundingClientRect().top) > 40) heading.scrollIntoView({{block: "start"}});
          setTimeout(keep, 250);
        }})();
      }})(300);
    </script>""", unsafe_allow_javascript=True)


def forget_landing() -> None:
    """On a page no link has named an indicator for: the next such link lands on its indicator again."""
    st.session_state.pop(LANDED_KEY, None)


def first_run() -> None:
    """On a fresh machine, build the demo data into the project's data root, showing progress."""
    root = data_root()
    if any(s.usable for s in snapshot_list(str(root))) or not needs_first_run(root):
        return
    with st.status("First run: building the synthetic demo data…", expanded=True) as status:
        bar = st.progress(0.0, text="Simulating the demo authority's children, staff and audits…")

        def say(message: str) -> None:
            """Each step in words, and the bar: simulation, 28 snapshots, the indicator stores of the last two."""
            status.write(message)
            published = re.search(r"published snapshot \S+ \((\d+) of (\d+)\)", message)
            if published:
                done, total = int(published[1]), int(published[2])
                bar.progress(0.2 + 0.65 * done / total, text=f"Publishing snapshot {done} of {total}…")
            elif message.startswith("simulated"):
                bar.progress(0.2, text="Cutting the monthly snapshots…")
            elif message.startswith("published"):
                bar.progress(0.85, text="Preparing the figures of the last two snapshots…")
            elif message.startswith("indicator store"):
                bar.progress(0.93, text="Preparing the figures of the last two snapshots…")
        try:
            ensure_demo_data(root, progress=say)
        except Exception as exc:  # say what went wrong; the empty state explains how to load data
            status.update(label="The demo data could not be built", state="error")
            st.error(f"Building the demo data failed: {exc}. Try `python -m torbay_dash demo`.")
            return
        status.update(label="Demo data ready", state="complete")
    snapshot_list.clear()
    refusals.clear()
    st.rerun()


def unique_labels(ids, names) -> dict[str, str]:
    """Id -> display name, with the id added where two share a name (bound widgets put labels in the URL)."""
    pairs = dict(zip(ids, names))
    counts = pd.Series(list(pairs.values())).value_counts()
    return {i: (f"{n} ({i})" if counts[n] > 1 else n) for i, n in pairs.items()}


def sidebar(viewer: User) -> Filters | None:
    """Draw the shared filters, bound to the URL so a copied link reproduces the view.

    Only the teams and services the viewer may see are offered; a link naming any other is refused in words
    (and logged), never silently widened. Members see the whole authority only: a team's figures, beside the
    authority's, would let small numbers be worked out by difference.
    """
    st.session_state[FILTERS_KEY] = None  # until drawn: a sidebar that fails must not leave the last run's filters
    root = str(data_root())
    usable = [s for s in snapshot_list(root) if s.usable]
    if not usable:
        return None
    by_id = {s.id: s for s in usable}
    refusal_notice = st.container()  # in the page, above everything: where a refused link is explained
    with st.sidebar:
        st.header("Filters")
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

        every_team = team_table(root, snapshot.id, fingerprint_of(snapshot))
        allowed = viewer.scope(every_team)
        teams = every_team if allowed.teams is None else every_team[every_team["team_id"].isin(allowed.teams)]
        with refusal_notice:
            refuse_outside(viewer, every_team, teams)
        if viewer.role.aggregates_only:
            st.caption("Figures for the whole authority: members see no team breakdown, and counts of 1 to 5 "
                       "are shown as 'c'.")
            service, team, in_service = ALL, ALL, teams
        else:
            services = unique_labels(teams["service_id"], teams["service_name"])
            service = st.selectbox("Service", [ALL, *services], key="service", bind="query-params",
                                   format_func=lambda s: ("All services" if allowed.teams is None
                                                          else "All your services") if s == ALL
                                   else services.get(s, s))
            in_service = teams if service == ALL else teams[teams["service_id"] == service]
            names = unique_labels(in_service["team_id"], in_service["team_name"])
            linked = {label: team_id for team_id, label in names.items()}.get(st.query_params.get("team"))
            if linked is not None and st.session_state.get("team", linked) != linked:
                st.session_state["team"] = linked  # a link to a team's page names the team: it wins over the last
            team = st.selectbox("Team", [ALL, *names], key="team", bind="query-params",
                                format_func=lambda t: ("All teams" if allowed.teams is None else "All your teams")
                                if t == ALL else names.get(t, t))
    if team != ALL:
        scope = Scope((team,))
    elif service != ALL or allowed.teams is not None:
        scope = Scope(tuple(in_service["team_id"]))
    else:
        scope = Scope()
    filters = Filters(snapshot, period, service, team, every_team, scope, viewer)
    st.session_state[FILTERS_KEY] = filters
    return filters


def refuse_outside(viewer: User, every_team: pd.DataFrame, allowed: pd.DataFrame) -> None:
    """A link naming a team or service outside the viewer's scope: said in words, logged, and nothing drawn.

    The URL holds a bound widget's label (a name, or 'name (id)' where two share a name) or, typed by hand, an id.
    """
    def known(frame: pd.DataFrame, id_column: str, name_column: str) -> set[str]:
        labels = unique_labels(frame[id_column], frame[name_column])
        return set(frame[id_column]) | set(frame[name_column]) | set(labels.values())

    for key, id_column, name_column in (("team", "team_id", "team_name"), ("service", "service_id", "service_name")):
        wanted = st.query_params.get(key)
        if not wanted:
            continue
        anywhere = known(every_team, id_column, name_column)
        if wanted in anywhere - known(allowed, id_column, name_column) or (
                viewer.role.aggregates_only and wanted in anywhere):
            what = "team" if key == "team" else "service"
            door.log_event("refused", f"{what} outside the user's scope", {key: wanted})
            st.error(f"The {what} '{wanted}' named in this link is outside what you may see as "
                     f"{viewer.label}. Nothing is shown for it. Choose from your own teams, or ask "
                     f"{door.contact()} if you need to see it.", icon=":material/block:")
            if st.button("Show what I may see instead", key="clear_refused"):
                st.query_params.pop(key, None)
                st.rerun()
            st.stop()


def filters() -> Filters | None:
    """The filters the sidebar drew on this run (None when there is no usable snapshot)."""
    return st.session_state.get(FILTERS_KEY)


def header(current: Filters | None) -> None:
    """As-at date, and plain words when the settings are invalid, or the data stale, synthetic, incomplete,
    or not the newest extract received."""
    settings_notice()
    la = settings()
    if current is None or la is None:
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
    newer_not_used(snap)
    held_back = snap.quarantined
    if held_back:
        named = ", ".join(f"{table} ({textwrap.shorten(reason, 70, placeholder='…')})"
                          for table, reason in held_back.items())
        st.warning(f"Held back from the figures: {named}. Indicators that need them are shown as unavailable, "
                   "with the reason.", icon=":material/block:")
        with st.expander("Why they are held back"):
            st.markdown("\n".join(f"- {problem}" for problem in snap.errors if problem.table in held_back))
    absent = sorted(database(snap).absent_tables - set(held_back))
    if absent:
        st.warning("Missing from this snapshot: " + ", ".join(absent) +
                   ". Indicators that need them are shown as unavailable, not as zero.",
                   icon=":material/help:")


def settings_notice() -> None:
    """An invalid settings file, in one message: which file, why, and what the figures use instead."""
    in_force = settings_in_force()
    if in_force.problem and in_force.fallback:
        st.error(f"The settings are invalid: {in_force.problem}. The figures use {in_force.fallback} instead, "
                 "so population-based figures (rates per 10,000 children), targets and standards come from "
                 "them until the file is corrected.", icon=":material/settings_alert:")
    elif in_force.problem:
        st.error(f"The settings are invalid: {in_force.problem}. No other settings have loaded to use instead, "
                 "so no figures are shown until the file is corrected.", icon=":material/settings_alert:")


def newer_not_used(shown: Snapshot) -> None:
    """One sentence when an extract at least as new as the latest served was refused; the reasons one click away.

    Held or rejected replacements for the latest date count too: they arrived after what is served.
    """
    root = str(data_root())
    latest = max((s.as_at for s in snapshot_list(root) if s.usable), default=shown.as_at)
    refused = [r for r in refusals(root) if r.as_at is None or r.as_at >= latest]
    if not refused:
        return
    newer = [r for r in refused if r.as_at is not None and r.as_at > latest]
    replacing = [r for r in refused if r.as_at == latest]
    undated = [r.what for r in refused if r.as_at is None]
    subjects = []
    if newer:
        dates = ", ".join(f"{d:%d %B %Y}" for d in sorted({r.as_at for r in newer}))
        subjects.append(f"a newer extract ({dates})" if len(newer) == 1 else f"{len(newer)} newer extracts ({dates})")
    if replacing:
        subjects.append(("a replacement extract" if len(replacing) == 1 else f"{len(replacing)} replacement extracts")
                        + f" for {latest:%d %B %Y}")
    if undated:
        subjects.append(("an entry of the snapshots folder that is not a snapshot" if len(undated) == 1
                         else f"{len(undated)} entries of the snapshots folder that are not snapshots")
                        + f" ({', '.join(undated)})")
    said = " and ".join([", ".join(subjects[:-1]), subjects[-1]] if len(subjects) > 1 else subjects)
    st.warning(f"{said[0].upper()}{said[1:]} {'was' if len(refused) == 1 else 'were'} not used; "
               f"figures are from {shown.as_at:%d %B %Y}.", icon=":material/block:")
    with st.expander("Why it was not used" if len(refused) == 1 else "Why they were not used"):
        st.markdown(refusal_list(refused))


def refusal_list(refused: list[Refusal]) -> str:
    """Each refusal and its reasons, as nested bullet points."""
    lines = []
    for refusal in refused:
        lines.append(f"- **{refusal.what}**")
        lines.extend(f"  - {reason}" for reason in refusal.reasons or ["no reason was recorded"])
    return "\n".join(lines)


def empty_state() -> None:
    """What to do when no snapshot can be served, and why each extract or entry was not used."""
    root = str(data_root())
    if any(s.usable for s in snapshot_list(root)):  # the frame failed before drawing the filters
        st.info("The figures cannot be shown because the filters could not be drawn: see the error above.")
        return
    st.title("No data loaded yet")
    st.info(f"There is no usable snapshot under `{root}`. To load data, {HOW_TO_LOAD}.")
    refused = refusals(root)
    if refused:
        with st.expander(f"What was found but not used ({len(refused)}), and why"):
            st.markdown(refusal_list(refused))
