"""The Team page and its worker view, as the app draws them (AppTest, demo mode as the analyst), for every team of
the demo: each figure equals the indicator engine's for that team, computed here without the page's code; the
lists hold that team's children only; the worker's caseload is that worker's."""
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from torbay_dash import indicators, narrative, staff, team_children
from torbay_dash.compute import Scope, compute
from torbay_dash.db import SnapshotDB
from torbay_dash.headlines import ROLLING_YEAR, basis_of
from torbay_dash.periods import Period, add_months
from torbay_dash.settings import load_settings
from torbay_dash.store import Store

APP = str(Path(__file__).resolve().parents[1] / "app.py")
DEMO_TEAMS = [f"T{i:02d}" for i in range(1, 13)]


@pytest.fixture(scope="module")
def demo(demo_root):
    snapshot = Store(demo_root).usable()[-1]
    db = SnapshotDB(snapshot)
    teams = db.query("SELECT dept_team_id AS team_id, dept_team_name AS team_name FROM ssd_department ORDER BY 1")
    return snapshot, db, load_settings(demo_root), dict(zip(teams["team_id"], teams["team_name"]))


def open_team(demo_root, team_name: str, worker: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    at.query_params["team"] = team_name
    if worker:
        at.query_params["worker"] = worker
    at.run()
    at.switch_page("views/team.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert found, f"no table with columns {columns}: {[list(d.value.columns) for d in at.dataframe]}"
    return found[0]


def engine_value(db, settings, indicator_id: str, as_at: dt.date, team: str | None = None) -> str:
    """The figure as the indicator engine gives it for the team (None: the authority): the 12 months to as-at
    for rates over events, else the month ending at as-at (its last day for stocks)."""
    indicator = indicators.get(indicator_id)
    period = (Period(add_months(as_at, -12) + dt.timedelta(days=1), as_at) if basis_of(indicator) == ROLLING_YEAR
              else Period(as_at.replace(day=1), as_at))
    row = compute(db, indicator, [period], settings, scope=Scope((team,) if team else None)).iloc[0]
    if row["unavailable"]:
        return "unavailable"
    if indicator.unit == indicators.PERCENT and not row["denominator"]:
        return "none in the period"
    return narrative.format_value(indicator, row["value"])


@pytest.mark.parametrize("team", DEMO_TEAMS)
def test_team_page_figures_equal_the_engine_and_lists_hold_only_the_team(demo_root, use_data_root, demo, team):
    use_data_root(demo_root)
    snapshot, db, settings, names = demo
    at = open_team(demo_root, names[team])
    headers = [h.value for h in at.header]
    for section in ("Who works here", "Indicators beside the service and the authority", "Children now",
                    "Performance surgery: what changed", "Audits", "Data gaps to put right", "A worker's caseload",
                    "Practice Week pack"):
        assert section in headers, headers

    figures = frame_with(at, "indicator", "n", "authority")
    by_title = {indicators.get(i).title: i for i in indicators.REGISTRY}
    checked = 0
    for _, row in figures.iterrows():
        indicator_id = by_title[row["indicator"]]
        assert row[names[team]] == engine_value(db, settings, indicator_id, snapshot.as_at, team), row["indicator"]
        assert row["authority"] == engine_value(db, settings, indicator_id, snapshot.as_at), row["indicator"]
        checked += 1
    assert checked >= 15

    # children now: the counts per list are those of the team's own rows, and every child listed is the team's
    lists = team_children.children_now(db, snapshot.as_at, settings, Scope((team,)))
    counts = frame_with(at, "list", "children", "overdue")
    expected = lists.groupby("list_words")["person_id"].nunique() if len(lists) else pd.Series(dtype=int)
    for _, row in counts.iterrows():
        assert row["children"] == int(expected.get(row["list"], 0)), row["list"]
    child_tables = [d.value for d in at.dataframe if "child (pseudonymous id)" in d.value.columns]
    for table in child_tables:
        assert set(table["team"]) <= {names[team]}, set(table["team"])
    if len(lists):
        listed = frame_with(at, "child (pseudonymous id)", "list", "status")
        assert sorted(listed["child (pseudonymous id)"]) == sorted(lists["person_id"])

    # staff: one row per social worker in post, as staff.team_staff says
    people = staff.team_staff(db, snapshot.as_at, settings, Scope((team,)))
    if len(people):
        shown = frame_with(at, "staff id", "cases per fte")
        assert sorted(shown["staff id"]) == sorted(people["staff_id"])


@pytest.mark.parametrize("team", DEMO_TEAMS)
def test_worker_view_shows_each_workers_own_caseload(demo_root, use_data_root, demo, team):
    use_data_root(demo_root)
    snapshot, db, settings, names = demo
    people = staff.team_staff(db, snapshot.as_at, settings, Scope((team,)))
    workers = sorted(people["worker_id"].dropna().unique()) if people is not None else []
    if not workers:
        at = open_team(demo_root, names[team])
        assert any("No social worker" in m.value for m in at.markdown)
        return
    worker = workers[-1]
    at = open_team(demo_root, names[team], worker)
    expected = staff.worker_caseload(db, snapshot.as_at, settings, worker, Scope((team,)))
    summary = [m.value for m in at.markdown if m.value.startswith(f"**{worker}**")]
    cases = int(people.loc[people["worker_id"] == worker, "cases"].iloc[0])
    assert summary and f"**{cases}** children" in summary[0], summary
    if len(expected):
        caseload = [d.value for d in at.dataframe if "child (pseudonymous id)" in d.value.columns
                    and "next visit due" in d.value.columns]
        assert caseload, [list(d.value.columns) for d in at.dataframe]
        assert sorted(caseload[0]["child (pseudonymous id)"]) == sorted(expected["person_id"])
        assert set(caseload[0]["worker"]) <= {worker} if "worker" in caseload[0].columns else True
    timeliness = staff.visit_timeliness(db, Period(snapshot.as_at.replace(day=1), snapshot.as_at), settings,
                                        Scope((team,)), worker)
    if timeliness is not None and len(timeliness):
        shown = frame_with(at, "indicator", "who", "numerator")
        assert list(shown["numerator"]) == list(timeliness["numerator"])
