"""Each role sees exactly what it may, on every page of the demo, as the app draws it (AppTest, demo mode's
'view as'): a team manager of each team, a service manager of each service, leadership, the QA lead, the
analyst and a member.

What is checked on every page's every element (tables, charts, words, figures):
- a list that shows a child id carries each row's team, and every such team is in the viewer's scope;
- no child id at all outside a table, and none for a member, nor for the QA lead outside the audit page;
- no worker's name that belongs only to teams outside the scope, and no worker id for a member;
- a member sees no figure of 1 to 5: such counts, and what rests on them, are 'c'.
"""
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_words_not_codes import chart_texts

from torbay_dash import access
from torbay_dash.db import SnapshotDB
from torbay_dash.store import Store

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = {"overview": "views/overview.py", "safeguarding": "views/safeguarding.py",
         "cared_for": "views/cared_for.py", "workforce": "views/workforce.py", "quality": "views/quality.py",
         "team": "views/team.py", "data_quality": "views/data_quality.py", "access_log": "views/access_log.py",
         "definitions": "views/definitions.py"}
CHILD_ID = re.compile(r"\bC\d{6}\b")
WORKER_ID = re.compile(r"\bW\d{6}\b")
SMALL = re.compile(r"^\s*[1-5](\.0)?\s*%?\s*$")


@pytest.fixture(scope="module")
def demo(demo_root):
    """The latest demo snapshot's teams, services and workers (names by team); `holds_children` marks the teams
    with a child allocated now (the reviewing officers' team, alone in its service, holds none)."""
    snapshot = max((s for s in Store(demo_root).list() if s.usable), key=lambda s: s.as_at)
    db = SnapshotDB(snapshot)
    teams = db.query("SELECT dept_team_id AS team_id, dept_team_name AS team_name, dept_team_parent_id AS service_id, "
                     "dept_team_parent_name AS service_name FROM ssd_department ORDER BY 1")
    workers = db.query("SELECT prof_professional_name AS name, prof_professional_department AS team "
                       "FROM ssd_professionals WHERE prof_professional_name IS NOT NULL")
    holding = set(db.query("SELECT DISTINCT invo_professional_team AS team_id FROM ssd_involvements "
                           "WHERE invo_involvement_end_date IS NULL")["team_id"])
    teams["holds_children"] = teams["team_id"].isin(holding)
    return teams, workers


def demo_as(root: Path, teams: pd.DataFrame, role: str, where: str | None) -> AppTest:
    """The app in demo mode, viewing as `role` (of team or service `where`), on its Overview."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["view_as"] = access.ROLES[role].short
    if role == "team_manager":
        at.query_params["view_team"] = teams.set_index("team_id").loc[where, "team_name"]
    if role == "service_manager":
        at.query_params["view_service"] = teams.drop_duplicates("service_id").set_index("service_id").loc[
            where, "service_name"]
    return at.run()


def scope_names(teams: pd.DataFrame, role: str, where: str | None) -> set[str] | None:
    """The team names the viewer may see rows of; None for every team."""
    if role == "team_manager":
        return set(teams.loc[teams["team_id"] == where, "team_name"])
    if role == "service_manager":
        return set(teams.loc[teams["service_id"] == where, "team_name"])
    return None


def elements(at: AppTest):
    """(kind, element) for every element drawn, depth first."""
    def walk(node):
        yield getattr(node, "type", ""), node
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                yield from walk(child)
    yield from walk(at._tree)


def texts_outside_tables(at: AppTest) -> list[str]:
    texts = []
    for kind, node in elements(at):
        if kind == "vega_lite_chart":
            texts.extend(chart_texts(node))
        elif kind != "dataframe":
            for attribute in ("value", "label", "delta", "help"):
                try:
                    value = getattr(node, attribute, None)
                except Exception:  # widgets whose value needs state they have not got
                    continue
                if isinstance(value, str):
                    texts.append(value)
    return texts


def tables(at: AppTest) -> list[pd.DataFrame]:
    return [node.value for kind, node in elements(at) if kind == "dataframe"]


def check_page(at: AppTest, page: str, role: str, allowed: set[str] | None, out_of_scope_names: set[str]) -> int:
    """Check one page as drawn for the viewer; returns how many lists of children it showed."""
    assert not at.exception, [e.value for e in at.exception]
    role_rules = access.ROLES[role]
    lists = 0
    for frame in tables(at):
        text = frame.astype(str)
        has_child = text.apply(lambda column: column.str.contains(CHILD_ID)).to_numpy().any()
        has_worker_id = text.apply(lambda column: column.str.contains(WORKER_ID)).to_numpy().any()
        if has_child:
            assert role_rules.lists_children_on(page), f"a {role} was shown child ids on {page}: {list(frame.columns)}"
            lists += 1
        if has_child and allowed is not None:
            assert "team" in frame.columns or "team name" in frame.columns, \
                f"a list of children on {page} without each row's team: {list(frame.columns)}"
        if has_worker_id:
            assert role_rules.worker_ids, f"a {role} was shown worker ids on {page}"
        team_column = "team" if "team" in frame.columns else "team name" if "team name" in frame.columns else None
        if allowed is not None and team_column and (has_child or has_worker_id):
            shown = set(frame[team_column].dropna().astype(str))
            assert shown <= allowed, f"{page}: rows of {shown - allowed} shown to a {role} of {allowed}"
        names = {n for n in out_of_scope_names if text.apply(lambda column: column.eq(n)).to_numpy().any()}
        assert not names, f"{page}: workers of other teams named to a {role}: {sorted(names)[:5]}"
    outside = " \n".join(texts_outside_tables(at))
    assert not CHILD_ID.search(outside), f"{page}: a child id outside a table: {CHILD_ID.search(outside)[0]}"
    if role_rules.aggregates_only:
        assert not WORKER_ID.search(outside)
        for metric in at.metric:
            assert not SMALL.match(str(metric.value)), f"{page}: '{metric.label}' shows {metric.value} to a member"
    return lists


DEMO_TEAMS = [f"T{i:02d}" for i in range(1, 13)]   # the demo's teams (checked below against the snapshot)
DEMO_SERVICES = [f"S{i}" for i in range(1, 6)]
VIEWERS = ([("leadership", None), ("qa_lead", None), ("analyst", None), ("member", None)]
           + [("team_manager", t) for t in DEMO_TEAMS] + [("service_manager", s) for s in DEMO_SERVICES])


def test_the_viewers_cover_every_team_and_service_of_the_demo(demo):
    teams, _ = demo
    assert sorted(teams["team_id"]) == DEMO_TEAMS and sorted(teams["service_id"].unique()) == DEMO_SERVICES
    assert teams["holds_children"].sum() >= 10    # so the 'some list was drawn' check below covers most viewers


@pytest.mark.parametrize("role, where", VIEWERS, ids=[f"{r}-{w}" if w else r for r, w in VIEWERS])
def test_each_role_of_each_team_sees_only_its_scope_on_every_page(demo_root, use_data_root, demo, role, where):
    use_data_root(demo_root)
    teams, workers = demo
    allowed = scope_names(teams, role, where)
    if allowed is None and not access.ROLES[role].aggregates_only:
        out_of_scope_names = set()
    else:
        inside = set(workers.loc[workers["team"].isin(teams.loc[teams["team_name"].isin(allowed or set()),
                                                                "team_id"]), "name"])
        out_of_scope_names = set(workers["name"]) - inside
    at = demo_as(demo_root, teams, role, where)
    assert not at.exception, [e.value for e in at.exception]
    checked, lists = [], 0
    for page, path in PAGES.items():
        if not access_open(role, page):
            at.switch_page(path).run()
            assert "This page is not open to your role" in at.error[0].value and not len(at.dataframe)
            continue
        at.switch_page(path).run()
        lists += check_page(at, page, role, allowed, out_of_scope_names)
        checked.append(page)
    assert len(checked) >= (2 if access.ROLES[role].aggregates_only else 6)
    holds_children = teams["holds_children"].any() if allowed is None else \
        teams.loc[teams["team_name"].isin(allowed), "holds_children"].any()
    if access.ROLES[role].lists_children_on("quality") and holds_children:
        assert lists, f"no list of children was drawn for a {role}: the checks above would prove nothing"


def access_open(role: str, page: str) -> bool:
    from torbay_dash.ui import door
    return door.may_open(access.demo_user(role), page)
