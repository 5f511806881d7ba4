"""The indicator store gives exactly what the live computation gives, and is never served stale."""
from __future__ import annotations

import dataclasses
import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from torbay_dash import figures, headlines, indicators
from torbay_dash.compute import Scope, compute_many
from torbay_dash.db import SnapshotDB
from torbay_dash.periods import Period, months
from torbay_dash.settings import load_settings
from torbay_dash.store import Store


def frames_equal(stored: pd.DataFrame, live: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(stored.reset_index(drop=True), live.reset_index(drop=True),
                                  check_dtype=False, check_exact=False, rtol=1e-12)


@pytest.fixture(scope="module")
def latest(demo_root, tmp_path_factory):
    """A copy of the demo's latest snapshot (the store is written beside it), its settings and two databases."""
    root = tmp_path_factory.mktemp("figures")
    snapshot = Store(demo_root).latest_usable()
    (root / "snapshots").mkdir()
    shutil.copytree(snapshot.path, root / "snapshots" / snapshot.id)
    snapshot = Store(root).latest_usable()
    settings = load_settings()
    stored, live = SnapshotDB(snapshot), SnapshotDB(snapshot)
    figures.ensure(stored, settings)
    return snapshot, settings, stored, live


def held(snapshot) -> list[Period]:
    return [p for ps in figures.held_periods(snapshot.as_at).values() for p in ps]


def test_every_indicator_overall_and_by_team_equals_live(latest):
    snapshot, settings, stored, live = latest
    ids, periods = list(indicators.REGISTRY), held(snapshot)
    assert len(periods) == 72
    for by_team in (False, True):
        served = compute_many(stored, ids, periods, settings, by_team=by_team)
        computed = compute_many(live, ids, periods, settings, by_team=by_team)
        frames_equal(served, computed)
    assert computed["value"].notna().sum() > 1000  # a comparison of real figures, not of empty frames


def test_one_team_and_one_service_equal_live(latest):
    """Scoped as the sidebar scopes them (one team; a service's teams), which is how the Overview asks.

    Every team's figures were compared above (by team); here the scoped path, whose empty months are 0 of 0
    and whose children are counted once, for teams of two services, the unallocated, an unknown team and a
    whole service, also broken down by team."""
    snapshot, settings, stored, live = latest
    teams = stored.query("SELECT dept_team_id AS team, dept_team_parent_id AS service FROM ssd_department")
    first_of_each = teams.groupby("service")["team"].first()
    largest = teams.groupby("service")["team"].apply(lambda t: tuple(sorted(t))).sort_values(key=lambda t: t.map(len))
    scopes = [Scope((t,)) for t in first_of_each.iloc[:2]] + [Scope(("UNALLOCATED",)), Scope(("NO_SUCH_TEAM",)),
                                                               Scope(largest.iloc[-1])]
    ids, periods = list(indicators.REGISTRY), held(snapshot)
    for scope in scopes:
        assert stored.figures.sums(indicators.get(ids[0]), periods, scope=scope) is not None, scope
        frames_equal(compute_many(stored, ids, periods, settings, scope=scope),
                     compute_many(live, ids, periods, settings, scope=scope))
    frames_equal(compute_many(stored, ids, periods, settings, by_team=True, scope=scopes[-1]),
                 compute_many(live, ids, periods, settings, by_team=True, scope=scopes[-1]))


def test_headlines_from_the_store_equal_live(latest):
    snapshot, settings, stored, live = latest
    ids = list(indicators.REGISTRY)
    for teams in (None, ["T01"]):
        served, computed = headlines.headlines(stored, settings, ids, teams=teams), \
            headlines.headlines(live, settings, ids, teams=teams)
        for i in ids:
            for field in ("value", "numerator", "denominator", "previous_value"):
                a, b = getattr(served[i], field), getattr(computed[i], field)
                assert a == b or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-12)), (i, field)
            assert (served[i].variation, served[i].assurance) == (computed[i].variation, computed[i].assurance), i
            frames_equal(served[i].series, computed[i].series)


def test_what_the_store_does_not_hold_is_computed_live(latest):
    snapshot, settings, stored, _ = latest
    indicator = indicators.get("contacts")
    custom = Period(snapshot.as_at.replace(day=3), snapshot.as_at)
    four_years_ago = snapshot.as_at.replace(year=snapshot.as_at.year - 4)
    too_old = months(four_years_ago, four_years_ago)
    assert stored.figures.sums(indicator, [custom]) is None
    assert stored.figures.sums(indicator, too_old) is None
    some_teams = Scope(("T01", "T05"))  # two teams of different services: not a stored scope
    assert stored.figures.sums(indicator, held(snapshot), scope=some_teams) is None
    frames_equal(compute_many(stored, ["contacts"], [custom], settings, scope=some_teams),
                 compute_many(SnapshotDB(snapshot), ["contacts"], [custom], settings, scope=some_teams))


def test_a_store_of_older_code_or_other_standards_is_rebuilt_not_served(latest):
    snapshot, settings, _, _ = latest
    meta_path = snapshot.path / figures.DERIVED / figures.META_FILE
    db = SnapshotDB(snapshot)
    assert figures.load(db, settings) is not None
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "code": "an older indicator version"}))
    assert figures.load(db, settings) is None
    rebuilt = figures.ensure(db, settings)
    assert json.loads(meta_path.read_text())["code"] == figures.code_version()
    assert json.loads(meta_path.read_text())["built_at"] >= meta["built_at"]
    assert rebuilt.rows == meta["rows"]
    # other standards (the CP visit interval, say) change what the SQL counts: not served either
    changed = dataclasses.replace(settings, standards={**settings.standards, "cp_visit_working_days": 99})
    assert figures.load(db, changed) is None


def test_a_store_copied_from_another_snapshot_is_not_served(demo_root, latest, tmp_path):
    snapshot, settings, stored, _ = latest
    earlier = Store(demo_root).usable()[-2]
    (tmp_path / "snapshots").mkdir()
    shutil.copytree(earlier.path, tmp_path / "snapshots" / earlier.id)
    earlier = Store(tmp_path).get(earlier.id)
    shutil.copytree(snapshot.path / figures.DERIVED, earlier.path / figures.DERIVED, dirs_exist_ok=True)
    db = SnapshotDB(earlier)
    assert figures.load(db, settings) is None
    figures.ensure(db, settings)
    frames_equal(compute_many(db, ["cla_count"], held(earlier), settings),
                 compute_many(SnapshotDB(earlier), ["cla_count"], held(earlier), settings))


def test_the_store_does_not_change_the_snapshot(latest):
    """It sits in a folder the validator does not read: the snapshot's content and key are the same."""
    snapshot, _, _, _ = latest
    again = Store(snapshot.path.parent.parent).get(snapshot.id)
    assert (snapshot.path / figures.DERIVED / figures.STORE_FILE).exists()
    assert again.key == snapshot.key and again.usable
    assert [str(p) for p in again.problems] == [str(p) for p in snapshot.problems]


def test_after_a_new_snapshot_is_published_the_overview_shows_its_figures(tmp_root, use_data_root):
    """The screens open on the newest snapshot's store (built on first open) and its figures, not the last one's."""
    from streamlit.testing.v1 import AppTest

    from signing import as_analyst
    from snapshots import publish, small_service
    from torbay_dash.ui.data import snapshot_list

    use_data_root(tmp_root)
    tables = small_service()
    publish(tmp_root, "2021-06-30", tables)
    app = str(Path(__file__).resolve().parents[1] / "app.py")
    at = as_analyst(AppTest.from_file(app, default_timeout=120), tmp_root).run()  # real extracts: signed in
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Children looked after"] == "5"  # at the end of June 2021
    # July: three more children come into care
    tables["ssd_cla_episodes"] += [
        {"clae_cla_episode_id": f"E{i}", "clae_person_id": f"P{i}", "clae_cla_id": f"C{i}",
         "clae_cla_episode_start_date": "2021-07-0{}".format(i - 5), "clae_entered_care_date": f"2021-07-0{i - 5}"}
        for i in range(6, 9)]
    july = publish(tmp_root, "2021-07-31", tables)
    snapshot_list.clear()  # what the list's one-minute cache does by itself on a server
    at = as_analyst(AppTest.from_file(app, default_timeout=120), tmp_root).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("data as at **31 July 2021**" in c.value for c in at.caption)
    assert {m.label: m.value for m in at.metric}["Children looked after"] == "8"
    assert (july.path / figures.DERIVED / figures.STORE_FILE).exists()  # built when the screen first opened it


def test_typed_tables_in_memory_give_what_the_views_give(latest):
    """The screens hold a small snapshot's typed tables in memory: every indicator, by team, and its rows."""
    from torbay_dash.compute import unit_rows
    from torbay_dash.periods import preset_period

    snapshot, settings, _, live = latest
    held_in_memory = SnapshotDB(snapshot, materialise_up_to=10_000_000)
    assert held_in_memory.materialised and not live.materialised
    ids, year = list(indicators.REGISTRY), [preset_period("Last 12 months", snapshot.as_at)]
    frames_equal(compute_many(held_in_memory, ids, year, settings, by_team=True),
                 compute_many(live, ids, year, settings, by_team=True))
    for i in ids:
        pd.testing.assert_frame_equal(unit_rows(held_in_memory, indicators.get(i), year, settings),
                                      unit_rows(live, indicators.get(i), year, settings))
    assert not SnapshotDB(snapshot, materialise_up_to=1000).materialised  # too big: views, memory bounded
