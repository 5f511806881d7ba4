"""Never a wrong number from a bad extract: one test per kind of damage seen in an analyst's worst month.

Each test puts a damaged copy of a good snapshot (the demo's 31 July 2021) beside it, dated a
month later, and checks three things: every figure served either equals the good one or says
unavailable (with the reason), the damage is named (file, table, column, rows), and no file of
the good snapshot changes.
"""
import datetime as dt
import hashlib
import json
import os
import shutil

import pandas as pd
import pytest

from torbay_dash.compute import compute_many
from torbay_dash.db import SnapshotDB
from torbay_dash.indicators import REGISTRY
from torbay_dash.periods import Period
from torbay_dash.settings import load_settings
from torbay_dash.store import Store, load_snapshot, open_data

GOOD = "2021-07-31"
LATER = "2021-08-31"
YEAR = Period(dt.date(2020, 8, 1), dt.date(2021, 7, 31))


@pytest.fixture(scope="module")
def good_root(demo_root, tmp_path_factory):
    """A data root holding only the demo's 31 July 2021 snapshot."""
    root = tmp_path_factory.mktemp("good") / "data"
    shutil.copytree(demo_root / "snapshots" / GOOD, root / "snapshots" / GOOD)
    shutil.copy(demo_root / "local_authority.toml", root / "local_authority.toml")
    return root


def figures(root) -> pd.DataFrame:
    """Every indicator for the year to 31 July 2021, on the snapshot the app and CLI would serve."""
    snapshot = open_data(root)
    db = SnapshotDB(snapshot)
    try:
        frame = compute_many(db, list(REGISTRY), [YEAR], load_settings(root))
    finally:
        db.close()
    return frame.set_index("id")


@pytest.fixture(scope="module")
def good_figures(good_root):
    return figures(good_root)


def hashes(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def copied_root(good_root, tmp_path):
    """A copy of the good root to damage."""
    copy = tmp_path / "data"
    shutil.copytree(good_root, copy)
    return copy


@pytest.fixture
def root(copied_root):
    """A copy of the good root, with the good snapshot's tables checked unchanged after the test."""
    def tables():
        return {k: v for k, v in hashes(copied_root / "snapshots" / GOOD).items() if k.endswith(".parquet")}
    before = tables()
    yield copied_root
    assert tables() == before, "a file of the good snapshot changed"


def damaged_copy(root, change: dict) -> Store:
    """Copy the good snapshot to LATER and apply `change`: table -> function of its frame."""
    later = root / "snapshots" / LATER
    shutil.copytree(root / "snapshots" / GOOD, later)
    (later / "validation.json").unlink()
    for table, edit in change.items():
        path = later / f"{table}.parquet"
        edit(pd.read_parquet(path)).to_parquet(path, index=False)
    return Store(root)


def assert_served_figures_are_good_or_unavailable(root, good_figures, must_be_unavailable=()):
    """The figures served now equal the good ones, or say unavailable; `must_be_unavailable` do."""
    served = figures(root)
    for indicator_id, row in served.iterrows():
        good = good_figures.loc[indicator_id]
        if row["unavailable"]:
            assert pd.isna(row["value"]), indicator_id
            continue
        assert indicator_id not in must_be_unavailable, f"{indicator_id} should be unavailable"
        assert (pd.isna(row["value"]) and pd.isna(good["value"])) or row["value"] == pytest.approx(good["value"]), \
            f"{indicator_id}: {row['value']} served, {good['value']} in the good snapshot"
    for indicator_id in must_be_unavailable:
        assert "quarantined" in served.loc[indicator_id, "unavailable"], indicator_id
    return served


def as_text(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    frame[column] = frame[column].astype("string")
    return frame


# ---------------------------------------------------------------- dates in the wrong form

def test_two_digit_years_are_unreadable_not_year_21(root, good_figures):
    def dd_mm_yy(frame):
        frame["cont_contact_date"] = pd.to_datetime(frame["cont_contact_date"]).dt.strftime("%d/%m/%y")
        return frame
    store = damaged_copy(root, {"ssd_contacts": dd_mm_yy})
    later = store.get(LATER)
    assert later.usable and "ssd_contacts" in later.quarantined
    [problem] = [p for p in later.errors if p.column == "cont_contact_date"]
    assert "cannot be read as date" in problem.message and "99/99/99" in problem.message
    assert problem.file == "ssd_contacts.parquet" and problem.rows[:2] == [1, 2]
    served = assert_served_figures_are_good_or_unavailable(root, good_figures, ["contacts"])
    assert served.loc["cla_count", "value"] == good_figures.loc["cla_count", "value"]   # the rest is served


def test_month_first_dates_are_refused_not_misread(root, good_figures):
    def us_order(frame):
        start = pd.to_datetime(frame["cina_assessment_start_date"])
        frame["cina_assessment_start_date"] = start.dt.strftime("%m/%d/%Y")
        return frame
    later = damaged_copy(root, {"ssd_cin_assessments": us_order}).get(LATER)
    assert "US order" in later.quarantined["ssd_cin_assessments"]
    assert_served_figures_are_good_or_unavailable(root, good_figures, ["assessments_45wd_pct"])


def test_dates_before_1900_or_after_the_as_at_date_are_left_out_and_many_quarantine(root, good_figures):
    def far_future(frame):
        frame.loc[frame.index[:150], "clav_cla_visit_date"] = dt.date(2999, 1, 1)
        frame.loc[frame.index[150:155], "clav_cla_visit_date"] = dt.date(1899, 12, 31)
        return frame
    later = damaged_copy(root, {"ssd_cla_visits": far_future}).get(LATER)   # 155 of 12,633 rows: over 1%
    [problem] = [p for p in later.errors if p.column == "clav_cla_visit_date"]
    assert problem.n_rows == 155 and "after the as-at date 2021-08-31" in problem.message
    assert_served_figures_are_good_or_unavailable(root, good_figures, ["cla_visits_in_timescale_pct"])


def test_a_due_date_may_be_in_the_future(tmp_path):
    from snapshots import write_tables
    folder = write_tables(tmp_path / "2021-07-31", {"ssd_cla_reviews": [
        {"clar_cla_review_id": "R1", "clar_cla_id": "C1", "clar_cla_review_due_date": "2021-09-30"},  # due later: fine
    ], "ssd_cla_visits": [
        {"clav_cla_visit_id": "V1", "clav_person_id": "P1", "clav_cla_visit_date": "2021-08-02"},   # not yet happened
    ]})
    report = load_snapshot(folder, cache=False).report
    assert [(p.table, p.severity) for p in report.problems] == [("ssd_cla_visits", "warning")]


# ---------------------------------------------------------------- empty where a value is needed

def test_a_key_date_empty_in_every_row_is_not_a_zero(root, good_figures):
    later = damaged_copy(root, {"ssd_contacts": lambda f: f.assign(cont_contact_date=None)}).get(LATER)
    assert "empty in every row" in later.quarantined["ssd_contacts"]
    served = assert_served_figures_are_good_or_unavailable(root, good_figures, ["contacts"])
    assert served.loc["contacts", "numerator"] is None or pd.isna(served.loc["contacts", "numerator"])


def test_fte_and_team_empty_in_hr_staff_do_not_make_every_post_vacant(root, good_figures):
    later = damaged_copy(root, {"hr_staff": lambda f: f.assign(fte=None, team_id=None)}).get(LATER)
    assert {p.column for p in later.errors} == {"fte", "team_id"}
    assert_served_figures_are_good_or_unavailable(root, good_figures, ["sw_vacancy_rate_pct", "sw_fte"])


# ---------------------------------------------------------------- tables emptied or collapsed

def test_an_extract_of_empty_tables_is_refused_and_the_good_one_served(root, good_figures):
    store = damaged_copy(root, {t.stem: (lambda f: f.iloc[0:0]) for t in (root / "snapshots" / GOOD).glob("*.parquet")})
    later = store.get(LATER)
    assert not later.usable
    assert any("holds no rows where snapshot 2021-07-31 held" in r for r in later.reasons)
    assert open_data(root).id == GOOD
    assert_served_figures_are_good_or_unavailable(root, good_figures)
    assert figures(root)["unavailable"].isna().all()


def test_one_emptied_table_is_quarantined_not_counted_as_zero(root, good_figures):
    later = damaged_copy(root, {"ssd_cla_episodes": lambda f: f.iloc[0:0]}).get(LATER)
    assert "holds no rows" in later.quarantined["ssd_cla_episodes"]
    assert_served_figures_are_good_or_unavailable(root, good_figures, ["cla_count", "cla_starts"])


def test_an_empty_table_with_nothing_before_it_is_a_real_zero(tmp_root):
    from snapshots import publish, small_service
    snapshot = publish(tmp_root, "2021-07-31", {**small_service(), "ssd_pre_proceedings": []})
    assert "ssd_pre_proceedings" in snapshot.tables


# ---------------------------------------------------------------- rows that break the contract

def test_four_percent_of_care_episodes_ending_before_they_start_quarantine_the_table(root, good_figures):
    def swap_dates(frame):
        ended = frame.index[frame["clae_cla_episode_ceased_date"].notna()]
        rows = ended[: int(len(frame) * 0.04)]
        start = frame.loc[rows, "clae_cla_episode_start_date"].copy()
        frame.loc[rows, "clae_cla_episode_start_date"] = frame.loc[rows, "clae_cla_episode_ceased_date"]
        frame.loc[rows, "clae_cla_episode_ceased_date"] = start
        return frame
    later = damaged_copy(root, {"ssd_cla_episodes": swap_dates}).get(LATER)
    [problem] = [p for p in later.errors if p.table == "ssd_cla_episodes"]
    assert "end before they start" in problem.message and problem.column == "clae_cla_episode_ceased_date"
    assert problem.n_rows >= int(4727 * 0.03) and len(problem.rows) == 5
    assert_served_figures_are_good_or_unavailable(root, good_figures, ["cla_count"])


def test_a_duplicated_team_is_a_warning_and_three_bad_cells_quarantine_only_their_table(root, good_figures):
    def duplicate_a_team(frame):
        return pd.concat([frame, frame.iloc[[0]]], ignore_index=True)

    def three_bad_cells(frame):
        frame = as_text(frame, "fte")
        frame.loc[frame.index[:3], "fte"] = "n/a"
        return frame
    later = damaged_copy(root, {"ssd_department": duplicate_a_team, "hr_posts": three_bad_cells}).get(LATER)
    assert list(later.quarantined) == ["hr_posts"]
    assert any(p.table == "ssd_department" and p.severity == "warning" and "repeat an id" in p.message
               for p in later.problems)
    served = assert_served_figures_are_good_or_unavailable(root, good_figures, ["sw_vacancy_rate_pct"])
    assert served.loc["contacts", "value"] == good_figures.loc["contacts", "value"]   # safeguarding served


def test_identifying_columns_are_found_whatever_their_case_or_spacing(root):
    later = damaged_copy(root, {"ssd_person": lambda f: f.assign(PERS_UPN="A123", **{"pers_upn ": "B"})}).get(LATER)
    assert sorted(p.column for p in later.errors if p.table == "ssd_person") == ["PERS_UPN", "pers_upn "]
    assert "ssd_person" in later.quarantined


# ---------------------------------------------------------------- dates of snapshots

def test_a_snapshot_dated_in_the_future_is_never_served(root, good_figures):
    shutil.copytree(root / "snapshots" / GOOD, root / "snapshots" / "2999-12-31")
    store = Store(root)
    assert not store.get("2999-12-31").usable
    assert store.latest_usable().id == GOOD == open_data(root).id
    assert any(r.as_at == dt.date(2999, 12, 31) and "future" in " ".join(r.reasons) for r in store.refusals())


def test_a_folder_that_is_not_a_real_date_is_ignored_and_said(root):
    shutil.copytree(root / "snapshots" / GOOD, root / "snapshots" / "2021-13-45")
    store = Store(root)
    assert [s.id for s in store.list()] == [GOOD]
    assert any(r.what == "snapshots/2021-13-45" and "not a real date" in r.reasons[0] for r in store.refusals())


# ---------------------------------------------------------------- publishing

def _frames(folder) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_parquet(p) for p in folder.glob("*.parquet")}


@pytest.mark.parametrize("kept", ["one table", "all tables emptied"])
def test_publish_never_deletes_a_better_snapshot(root, kept):
    good = _frames(root / "snapshots" / GOOD)
    tables = ({"ssd_person": good["ssd_person"]} if kept == "one table"
              else {name: frame.iloc[0:0] for name, frame in good.items()})
    result = Store(root).publish(dt.date(2021, 7, 31), tables, {"source": "a bad re-run"})
    assert result.path.parent.name in ("held", "rejected")
    assert Store(root).get(GOOD).manifest.get("source") != "a bad re-run"
    assert len(Store(root).get(GOOD).tables) == 30
    if kept == "one table":
        assert result.path.parent.name == "held"
        assert any("absent from the new extract" in r for r in result.held_because)


def test_a_held_replacement_is_swapped_in_only_when_an_analyst_confirms(copied_root, capsys):
    from torbay_dash.cli import main
    root = copied_root
    good = _frames(root / "snapshots" / GOOD)
    fewer = {**good, "ssd_contacts": good["ssd_contacts"].iloc[:-100]}
    held = Store(root).publish(dt.date(2021, 7, 31), fewer, {"source": "a re-run with fewer contacts"})
    assert held.held_because == [f"table ssd_contacts has {len(good['ssd_contacts']) - 100} rows "
                                 f"against {len(good['ssd_contacts'])} now"]
    assert main(["snapshots", "--data", str(root)]) == 0
    assert f"held/{held.path.name}" in capsys.readouterr().out
    assert main(["confirm", held.path.name, "--data", str(root)]) == 0
    assert Store(root).get(GOOD).manifest["source"] == "a re-run with fewer contacts"
    assert not Store(root).held()


# ---------------------------------------------------------------- the store survives a bad root

def test_links_that_loop_lead_nowhere_or_leave_the_root_are_not_followed(root, tmp_path):
    snapshots = root / "snapshots"
    later = snapshots / LATER
    shutil.copytree(snapshots / GOOD, later)
    (later / "ssd_contacts.parquet").unlink()
    os.symlink("ssd_contacts.parquet", later / "ssd_contacts.parquet")        # a loop
    (later / "ssd_missing.parquet").unlink()
    os.symlink(later / "nowhere.parquet", later / "ssd_missing.parquet")       # dangling
    outside = tmp_path / "elsewhere"
    shutil.copytree(snapshots / GOOD, outside)
    (later / "hr_staff.parquet").unlink()
    os.symlink(outside / "hr_staff.parquet", later / "hr_staff.parquet")       # outside the root
    os.symlink(outside, snapshots / "2021-09-30")                              # a whole snapshot outside
    os.symlink("2021-10-31", snapshots / "2021-10-31")                         # a folder loop
    store = Store(root)
    assert [s.id for s in store.list()] == [GOOD, LATER]
    quarantined = store.get(LATER).quarantined
    assert "loops or leads nowhere" in quarantined["ssd_contacts"]
    assert "loops or leads nowhere" in quarantined["ssd_missing"]
    assert "outside the data root" in quarantined["hr_staff"]
    ignored = {r.what: r.reasons[0] for r in store.refusals() if r.what.startswith("snapshots/")}
    assert "outside the data root" in ignored["snapshots/2021-09-30"]
    assert "loops" in ignored["snapshots/2021-10-31"]


def test_a_manifest_that_is_not_an_object_is_ignored(root):
    (root / "snapshots" / GOOD / "manifest.json").write_text(json.dumps(["not", "an", "object"]))
    snapshot = Store(root).latest_usable()
    assert snapshot.id == GOOD and snapshot.manifest == {} and not snapshot.synthetic


def test_a_changed_file_is_validated_again_even_with_its_size_and_time_put_back(root):
    later = damaged_copy(root, {})
    path = root / "snapshots" / LATER / "ssd_person.parquet"
    assert "ssd_person" in later.get(LATER).tables    # validated, and the verdict cached
    stat = path.stat()
    path.write_bytes(b"x" * stat.st_size)              # same size, other content...
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))   # ...and the same time
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert "cannot be read" in Store(root).get(LATER).quarantined["ssd_person"]


# ---------------------------------------------------------------- the screens

PAGES = ["views/overview.py", "views/safeguarding.py", "views/cared_for.py", "views/workforce.py",
         "views/quality.py", "views/definitions.py"]


@pytest.fixture
def quarantined_root(root):
    """The good snapshot beside a later one whose care episodes cannot be trusted (4% end before they start)."""
    def swap_dates(frame):
        ended = frame.index[frame["clae_cla_episode_ceased_date"].notna()][:200]
        start = frame.loc[ended, "clae_cla_episode_start_date"].copy()
        frame.loc[ended, "clae_cla_episode_start_date"] = frame.loc[ended, "clae_cla_episode_ceased_date"]
        frame.loc[ended, "clae_cla_episode_ceased_date"] = start
        return frame
    damaged_copy(root, {"ssd_cla_episodes": swap_dates})
    return root


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_a_table_quarantined(quarantined_root, use_data_root, page):
    from streamlit.testing.v1 import AppTest
    from test_app import APP
    use_data_root(quarantined_root)
    at = AppTest.from_file(APP, default_timeout=90).run().switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("data as at **31 August 2021**" in c.value for c in at.caption)


def test_children_in_care_say_unavailable_and_why_instead_of_a_wrong_number(quarantined_root, use_data_root):
    from streamlit.testing.v1 import AppTest
    from test_app import APP
    use_data_root(quarantined_root)
    at = AppTest.from_file(APP, default_timeout=90).run().switch_page("views/cared_for.py").run()
    looked_after = next(m for m in at.metric if m.label.startswith("Children looked after"))
    assert looked_after.value == "no data"
    assert any("Unavailable: needs table ssd_cla_episodes (quarantined: clae_cla_episode_ceased_date: " in c.value
               and "of 4727 row(s) end before they start" in c.value for c in at.caption)


# ---------------------------------------------------------------- settings and the store's own files

@pytest.mark.parametrize("damage, said", [
    (lambda path: path.mkdir(), "is not a file that can be read"),
    (lambda path: os.symlink(path.name, path), "is not a file that can be read"),          # a loop
    (lambda path: path.write_text('population_0_17 = "x"\n'), "`population_0_17` must be a table, not str"),
    (lambda path: path.write_text("[population_0_17]\n2021 = \"many\"\n"), "[population_0_17] must map to numbers"),
    (lambda path: path.write_text("[standards]\nsupervision_days = true\n"), "[standards] must map to numbers"),
], ids=["a folder", "a link loop", "population not a table", "a population not a number", "a standard not a number"])
def test_a_settings_file_that_cannot_be_used_is_named_never_replaced_by_the_projects(tmp_path, damage, said):
    from torbay_dash.store import DataError
    damage(tmp_path / "local_authority.toml")
    with pytest.raises(DataError) as raised:
        load_settings(tmp_path)
    assert "local_authority.toml" in str(raised.value) and said in str(raised.value)


def test_held_reasons_of_the_wrong_shape_are_said_as_unreadable(copied_root):
    good = _frames(copied_root / "snapshots" / GOOD)
    held = Store(copied_root).publish(dt.date(2021, 7, 31), {"ssd_person": good["ssd_person"]}, {})
    (held.path / "held.json").write_text(json.dumps({"reasons": 5}))
    [again] = Store(copied_root).held()
    assert again.held_because == ["held for confirmation (its reasons could not be read)"]


def test_a_manifest_that_is_not_an_object_is_said(root):
    (root / "snapshots" / GOOD / "manifest.json").write_text("[1, 2]")
    snapshot = Store(root).get(GOOD)
    assert snapshot.usable and any(p.file == "manifest.json" and "not a JSON object" in p.message
                                   for p in snapshot.problems)
