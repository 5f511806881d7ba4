"""The Team page's sections: one team, everything about it, for a team manager's surgery and a Practice Week.

The team is the sidebar's (kept in the URL as `team`), so every team bar and table links here with
`team_link`. Each section reads the same queries as the area pages, cut to the team's scope where the
data is read; lists of children and worker ids only for the roles that may see them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import streamlit as st

from .. import surgery, team_children, team_profile
from ..charts import team_lists_chart
from ..compute import Scope
from ..periods import change_label
from ..store import data_root
from . import door
from .data import cache_key, fingerprint_of, previous_snapshot, root_settings, snapshot_db
from .frame import ALL, Filters
from .widgets import (TEAM_PAGE, as_at_period, chart, children_table, guarded, lists_allowed, table, team_link,
                      url_choice)

def own_team(filters: Filters) -> Filters:
    """With no team chosen and exactly one team in scope (a team manager's), that team."""
    if filters.team == ALL and filters.scope.teams is not None and len(filters.scope.teams) == 1:
        return replace(filters, team=filters.scope.teams[0])
    return filters


def choose_team(filters: Filters) -> None:
    """No team chosen: every team in view, each a link to its page."""
    in_scope = filters.teams if filters.scope.teams is None else \
        filters.teams[filters.teams["team_id"].isin(filters.scope.teams)]
    st.info("Choose a team in the sidebar, or open one below.", icon=":material/groups:")
    for service_id, teams in in_scope.sort_values(["service_name", "team_name"]).groupby("service_id", sort=False):
        st.markdown(f"**{filters.service_name(service_id)}**")
        for team_id in teams["team_id"]:
            team_link(filters, team_id, label=filters.team_name(team_id))


def service_teams(filters: Filters, team_id: str) -> tuple[str, ...]:
    service = filters.teams.loc[filters.teams["team_id"] == team_id, "service_id"]
    return tuple(sorted(filters.teams.loc[filters.teams["service_id"].isin(service), "team_id"]))


@st.cache_data(show_spinner="Comparing the team with its service and the authority…", max_entries=50)
def _compare(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, team_ids, service_ids):
    db = snapshot_db(root, snapshot_id, fingerprint)
    return team_profile.compare(db, root_settings(root), as_at, team_ids, service_ids)


def indicators_beside(filters: Filters) -> None:
    """The team's indicators beside its service's and the authority's, with n, intervals and SPC where n allows."""
    with guarded("The team's indicators"):
        frame = _compare(*cache_key(filters), filters.as_at, filters.scope.teams, service_teams(filters, filters.team))
        st.caption("Shares carry a 95% interval: with a team's small numbers the true figure could lie anywhere in "
                   "it, so the team is called better or worse than the authority only when the intervals are apart. "
                   f"SPC is read only where the team's months each rest on {team_profile.MIN_MONTHLY_N} or more.")
        shown = frame.rename(columns={"team": filters.team_name(filters.team), "team_n": "n",
                                      "team_interval": "95% interval", "against_authority": "against the authority",
                                      "spc": "month to month (SPC)"})
        table(shown.drop(columns=["id", "team_value", "service_value", "authority_value", "unavailable"]),
              f"team_indicators_{filters.team}.csv", "team_indicators", name="the team's indicators")
        worse = frame[frame["against_authority"].str.contains("worse", na=False)]
        better = frame[frame["against_authority"].str.contains("better", na=False)]
        words = []
        if not worse.empty:
            words.append("clearly worse than the authority on " + ", ".join(worse["indicator"].str.lower()))
        if not better.empty:
            words.append("clearly better on " + ", ".join(better["indicator"].str.lower()))
        st.markdown(("The team is " + "; ".join(words) + ".") if words else
                    "On no share is the team clearly different from the authority (the intervals overlap).")


@st.cache_data(show_spinner="Listing the team's children…", max_entries=50)
def _children(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, teams):
    db = snapshot_db(root, snapshot_id, fingerprint)
    parts = team_children.lists_at(db, as_at, root_settings(root), Scope(teams))
    return team_children.combine(parts), team_children.unavailable(parts)


def children_now(filters: Filters) -> None:
    """How many children are on each list now, and (for managers) who they are."""
    with guarded("The team's children now"):
        children, missing = _children(*cache_key(filters), filters.as_at, filters.scope.teams)
        for words in missing:
            st.warning(f"Unavailable: {words} (a table it needs is absent or held back).")
        if children is None:
            return
        counts = team_children.summary(children)
        st.caption(f"At {filters.as_at:%d %B %Y}. A child may be on more than one list.")
        table(counts.drop(columns=["list"]).rename(columns={"list_words": "list"}),
              f"team_lists_{filters.team}.csv", "team_lists", name="children on each list")
        if children.empty or not lists_allowed(filters, "The children on these lists"):
            return
        children_table(filters, children.drop(columns=["list"]).rename(columns={"list_words": "list"}),
                       f"team_children_{filters.team}_{filters.as_at:%Y%m%d}.csv", "team_children",
                       "the team's children on each list")


@st.cache_data(show_spinner="Comparing with the previous snapshot…", max_entries=50)
def _surgery(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, before_id: str, before_fingerprint: str,
             before_as_at: dt.date, teams):
    now_db, before_db = snapshot_db(root, snapshot_id, fingerprint), snapshot_db(root, before_id, before_fingerprint)
    settings, scope = root_settings(root), Scope(teams)
    now = team_children.children_now(now_db, as_at, settings, scope)
    before = team_children.children_now(before_db, before_as_at, settings, scope)
    if now is None or before is None:
        return None
    return surgery.changes(before, now, surgery.allocated_children(before_db, before_as_at, scope),
                           surgery.allocated_children(now_db, as_at, scope))


def performance_surgery(filters: Filters) -> None:
    """What changed for the team's children since the previous snapshot: the list to work through."""
    with guarded("The performance surgery"):
        before = previous_snapshot(filters)
        if before is None:
            st.info("There is no earlier snapshot to compare with.")
            return
        changed = _surgery(*cache_key(filters), filters.as_at, before.id, fingerprint_of(before), before.as_at,
                           filters.scope.teams)
        if changed is None:
            st.warning("Unavailable: the lists cannot be drawn from one of the two snapshots.")
            return
        counts = surgery.counts(changed)
        since = change_label(before.as_at, filters.as_at)
        st.markdown(f"**{since[0].upper()}{since[1:]}:** "
                    + "; ".join(f"{n:,} {change}" for change, n in counts.items()) + ".")
        if changed.empty or not lists_allowed(filters, "The surgery list"):
            return
        children_table(filters, changed, f"surgery_{filters.team}_{before.as_at:%Y%m%d}_{filters.as_at:%Y%m%d}.csv",
                       "surgery", "changes for the team's children since the previous snapshot")


@st.cache_data(show_spinner=False, max_entries=50)
def _gaps(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, teams):
    db = snapshot_db(root, snapshot_id, fingerprint)
    allocated = surgery.allocated_children(db, as_at, Scope(teams))
    return None if allocated is None else surgery.data_gaps(db, as_at, allocated)


def data_gaps(filters: Filters) -> None:
    """Case records of the team a figure may be wrong about."""
    with guarded("The team's data gaps"):
        gaps = _gaps(*cache_key(filters), filters.as_at, filters.scope.teams)
        if gaps is None:
            st.warning("Unavailable: a table these checks need is absent or held back.")
            return
        if gaps.empty:
            st.write("No gap found in the team's case records at this date.")
            return
        counts = gaps.groupby("problem").size()
        st.markdown("; ".join(f"**{n:,}** {problem}" for problem, n in counts.items()) + ".")
        if lists_allowed(filters, "The records to put right"):
            children_table(filters, gaps, f"team_data_gaps_{filters.team}.csv", "team_gaps",
                            "the team's case records to put right")


def staff(filters: Filters) -> None:
    """Who works in the team: FTE, agency, vacancies, caseloads against the threshold, supervision."""
    from .. import staff as staff_data
    with guarded("The team's staff"):
        db = snapshot_db(*cache_key(filters))
        settings = root_settings(str(data_root()))
        posts = staff_data.team_establishment(db, filters.as_at, filters.scope)
        people = staff_data.team_staff(db, filters.as_at, settings, filters.scope)
        if posts is None or people is None:
            st.warning("Unavailable: the snapshot has no staff or posts tables (hr_staff, hr_posts).")
            return
        if not posts.empty:
            p = posts.iloc[0]
            st.markdown(f"**{p['funded_fte']:.1f}** funded social worker FTE; **{p['filled_fte']:.1f}** filled, "
                        f"of which **{p['agency_fte']:.1f}** agency ({p['agency_pct']:.0f}%); "
                        f"**{p['vacancy_fte']:.1f}** vacant ({p['vacancy_pct']:.0f}%).")
        threshold = float(settings.standards.get("caseload_threshold", 20))
        above = int(people["above_threshold"].fillna(False).sum())
        late = int(people["supervision_overdue"].fillna(False).sum())
        st.markdown(f"**{len(people)}** social workers in post; **{above}** above the caseload threshold of "
                    f"{threshold:g} per FTE; **{late}** not supervised within the standard.")
        # is_asye is coded yes/no in the contract (Y/N): given as a code, the table says it in words
        shown = people.drop(columns=["team"]).assign(
            is_asye=people["is_asye"].map({True: "Y", False: "N"}).where(people["is_asye"].notna(), None))
        if not filters.shows_workers:
            shown = shown.drop(columns=["staff_id", "worker_id"])
        else:
            door.log_event("viewed", what="the team's social workers", filters=filters.for_log(), rows=len(shown),
                           page=filters.page, once_per_session=True)
        table(shown, f"team_staff_{filters.team}.csv", "team_staff", name="the team's social workers")


def worker_view(filters: Filters) -> None:
    """A worker's caseload, visits and timeliness against the team, and supervision: for supervision."""
    from .. import staff as staff_data
    if not filters.shows_workers:
        st.info("Workers are not named for your role.", icon=":material/lock:")
        return
    with guarded("The worker's caseload"):
        db = snapshot_db(*cache_key(filters))
        settings = root_settings(str(data_root()))
        people = staff_data.team_staff(db, filters.as_at, settings, filters.scope)
        if people is None or people["worker_id"].dropna().empty:
            st.write("No social worker with cases in this team.")
            return
        workers = sorted(people["worker_id"].dropna().unique())
        worker = url_choice("Social worker", workers, key="worker", default=workers[0])
        me = people[people["worker_id"] == worker].iloc[0]
        caseload = staff_data.worker_caseload(db, filters.as_at, settings, worker, filters.scope)
        timeliness = staff_data.visit_timeliness(db, as_at_period(filters), settings, filters.scope, worker)
        st.markdown(f"**{worker}**: {me['role']}, {me['employment_type']}, {me['fte']:.1f} FTE; "
                    f"**{int(me['cases'])}** children ({me['cases_per_fte']:.1f} per FTE); last supervised "
                    + (f"{pd.Timestamp(me['last_supervision']):%d %B %Y}" if pd.notna(me['last_supervision'])
                       else "never recorded")
                    + (" (**overdue**)." if me["supervision_overdue"] else "."))
        if timeliness is not None and not timeliness.empty:
            table(timeliness, f"worker_timeliness_{worker}.csv", "worker_timeliness",
                  name="visits within timescale: the worker against the team")
        if caseload is not None and lists_allowed(filters, "The worker's caseload"):
            children_table(filters, caseload, f"caseload_{worker}_{filters.as_at:%Y%m%d}.csv", "worker_caseload",
                           f"caseload of worker {worker}")


@st.cache_data(show_spinner="Preparing the Practice Week pack…", max_entries=20)
def _pack(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, teams, label: str, audience: str, seed: int,
          _department: pd.DataFrame) -> tuple[str, bytes]:
    """The pack as HTML and PDF, built once for a scope, audience and seed (both downloads serve the same build)."""
    from .. import practice_week as pack
    built = pack.build(snapshot_db(root, snapshot_id, fingerprint), root_settings(root), as_at, Scope(teams), label,
                       audience, seed, _department)
    return pack.to_html(built), pack.to_pdf(built)


PACK_READY = "_torbay_pack_ready"


def practice_week(filters: Filters) -> None:
    """The Practice Week pack, one click: for managers (child lists) or for visiting leaders and members.

    Once prepared, both download buttons stay for the same scope, audience and snapshot: a download reruns the
    page (to write the access log), and the other file must still be there."""
    scope_name = filters.scope_label
    audiences = {"leaders": "Visiting leaders and members: figures only, small numbers suppressed"}
    if filters.lists_children and filters.shows_workers:
        audiences = {"managers": "Managers: with the lists of children", **audiences}
    audience = url_choice("Pack for", list(audiences), key="pack_for", default=list(audiences)[0],
                          format_func=audiences.get)
    seed = int(filters.as_at.strftime("%Y%m"))
    wanted = (filters.snapshot.id, filters.scope.teams, audience, seed)
    if st.button("Prepare the pack", key="pack_prepare", icon=":material/description:"):
        st.session_state[PACK_READY] = wanted
    if st.session_state.get(PACK_READY) != wanted:
        st.caption(f"The pack for {scope_name} at {filters.as_at:%d %B %Y}; its suggested sample of cases is drawn "
                   f"with seed {seed}.")
        return
    with guarded("The Practice Week pack"):
        html, pdf = _pack(*cache_key(filters), filters.as_at, filters.scope.teams, scope_name, audience, seed,
                          filters.teams)
        stem = f"practice_week_{scope_name.replace(' ', '_')}_{audience}_{filters.as_at:%Y%m%d}"
        logged = {"what": f"Practice Week pack ({audience}) for {scope_name}", "filters": filters.for_log(),
                  "page": filters.page}
        st.caption(f"The pack for {scope_name} ({audiences[audience].split(':')[0].lower()}), at "
                   f"{filters.as_at:%d %B %Y}, seed {seed}.")
        left, right = st.columns(2)
        left.download_button("Download the pack (HTML)", html, file_name=f"{stem}.html",
                             mime="text/html", key="pack_html", icon=":material/download:",
                             on_click=lambda: door.log_event("exported", **logged))
        right.download_button("Download the pack (PDF)", pdf, file_name=f"{stem}.pdf",
                              mime="application/pdf", key="pack_pdf", icon=":material/download:",
                              on_click=lambda: door.log_event("exported", **logged))


def service_of(filters: Filters) -> str | None:
    service = filters.teams.loc[filters.teams["team_id"] == filters.team, "service_id"]
    return service.iloc[0] if len(service) else None


def teams_at_a_glance(filters: Filters) -> None:
    """Children overdue on any list, team by team; a bar (or a link under the table) opens the team's page."""
    with guarded("Teams at a glance"):
        children, _ = _children(*cache_key(filters), filters.as_at, filters.scope.teams)
        if children is None:
            st.warning("Unavailable: the lists of children cannot be drawn from this snapshot.")
            return
        in_scope = filters.teams if filters.scope.teams is None else \
            filters.teams[filters.teams["team_id"].isin(filters.scope.teams)]
        per_team = children.groupby("team").agg(
            listed=("person_id", "nunique"),
            overdue=("person_id", lambda p: p[children.loc[p.index, "status"] == team_children.OVERDUE].nunique()))
        frame = in_scope[["team_id"]].rename(columns={"team_id": "team"}).merge(
            per_team, left_on="team", right_index=True, how="left").fillna({"listed": 0, "overdue": 0})
        frame = frame.astype({"listed": int, "overdue": int})
        frame = frame.assign(team_name=frame["team"].map(filters.team_name))
        st.caption(f"At {filters.as_at:%d %B %Y}: children on any of the teams' lists (visits, reviews and "
                   "conferences, assessments nearing 45 working days, long plans, placement moves, missing), and "
                   "how many are overdue. Select a team's bar to open its page.")
        if st.toggle("Show teams at a glance as a table", key="table_teams_glance"):
            table(frame[["team", "team_name", "overdue", "listed"]], "teams_at_a_glance.csv", "teams_glance",
                  name="children overdue and listed by team", csv_only=("team",))
            columns = st.columns(3)
            for i, team_id in enumerate(frame.sort_values("team_name")["team"]):
                with columns[i % 3]:
                    team_link(filters, team_id, label=filters.team_name(team_id))
            return
        chart(team_lists_chart(frame), "children overdue by team", key="teams_glance_chart",
              on_select=lambda: open_picked_team(set(frame["team"])))


def open_picked_team(teams: set[str]) -> None:
    """A bar's click: its team in the sidebar's Team choice (bound to the URL), then the Team page.

    Set in the chart's callback, before the sidebar is drawn: a bound widget's URL parameter cannot be
    set by st.switch_page, nor its value once the widget is drawn on this run."""
    picked = st.session_state["teams_glance_chart"]["selection"].get("team_pick") or []
    if picked and picked[0].get("team") in teams:
        st.session_state["team"] = picked[0]["team"]
        st.switch_page(TEAM_PAGE)
