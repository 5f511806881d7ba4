"""The demo generator end to end: valid snapshots, determinism, the migration defect, scale."""
import json
import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest

from torbay_dash import contract
from torbay_dash.store import Store
from torbay_dash.synth import generate
from torbay_dash.synth.context import SynthConfig
from torbay_dash.synth.generate import snapshot_dates


def test_monthly_snapshots_from_april_2019_to_july_2021(demo_root):
    snapshots = Store(demo_root).list()
    assert [s.id for s in snapshots] == [d.isoformat() for d in snapshot_dates(SynthConfig())]
    assert len(snapshots) == 28 and snapshots[0].id == "2019-04-30" and snapshots[-1].id == "2021-07-31"


def test_every_snapshot_is_usable_synthetic_and_complete(demo_root):
    for snapshot in Store(demo_root).list():
        assert snapshot.usable, (snapshot.id, snapshot.report.errors[:3])
        assert snapshot.synthetic and snapshot.manifest["generator"]["seed"] == 42
        assert set(snapshot.tables) == set(contract.TABLES), (snapshot.id, set(contract.TABLES) - set(snapshot.tables))


def test_injected_defects_are_there_to_find_as_the_manifest_says(demo_root):
    import duckdb
    for snapshot in (Store(demo_root).get("2019-04-30"), Store(demo_root).latest_usable()):
        injected = snapshot.manifest["injected_defects"]
        assert injected, "no defects injected"
        warned = {(p.table, p.column) for p in snapshot.report.warnings}
        con = duckdb.connect()
        for table, kinds in injected.items():
            path = str(snapshot.table_path(table))
            key = contract.TABLES[table].key
            repeats = con.execute(f"SELECT count(*) - count(DISTINCT {key}) FROM read_parquet(?)", [path]).fetchone()[0]
            assert repeats == kinds.get(f"duplicated_{key}", 0), (snapshot.id, table)
            if repeats:
                assert (table, key) in warned  # reported by validation, not hidden
            checks = [c for c in contract.DATE_ORDER_CHECKS if c.table == table]
            backwards = sum(con.execute(f"SELECT count(*) FROM read_parquet(?) WHERE {c.end} < {c.start}",
                                        [path]).fetchone()[0] for c in checks)
            assert backwards == kinds.get("end_before_start", 0), (snapshot.id, table)


def _children_in_care(snapshot, as_at):
    episodes = pd.read_parquet(snapshot.table_path("ssd_cla_episodes"))
    start = pd.to_datetime(episodes["clae_cla_episode_start_date"])
    end = pd.to_datetime(episodes["clae_cla_episode_ceased_date"])
    open_now = (start <= as_at) & (end.isna() | (end > as_at))
    return episodes.loc[open_now, "clae_person_id"].nunique()


def test_migration_defect_in_june_2021_and_corrected_in_july(demo_root):
    store = Store(demo_root)
    june, july, may = store.get("2021-06-30"), store.get("2021-07-31"), store.get("2021-05-31")
    assert june.manifest["migration_defect"]["children_migrated_twice"] > 20
    assert "migration_defect" not in july.manifest
    at = pd.Timestamp("2021-06-30")
    in_june_snapshot = _children_in_care(june, at)
    in_july_snapshot = _children_in_care(july, at)  # the same date, seen by the corrected extract
    assert in_june_snapshot - in_july_snapshot >= 20
    assert abs(_children_in_care(may, pd.Timestamp("2021-05-31")) - in_july_snapshot) < 20


def test_successive_snapshots_disagree_about_the_recent_past(demo_root):
    store = Store(demo_root)
    earlier, later = store.get("2021-05-31"), store.get("2021-07-31")
    def referrals_in_may(snapshot):
        frame = pd.read_parquet(snapshot.table_path("ssd_cin_episodes"))
        dates = pd.to_datetime(frame["cine_referral_date"])
        return ((dates >= "2021-05-01") & (dates <= "2021-05-31")).sum()
    assert referrals_in_may(later) > referrals_in_may(earlier)  # late-recorded referrals arrive


def _contents(root):
    out = {}
    snapshot = Store(root).latest_usable()
    for path in sorted(snapshot.path.glob("*.parquet")):
        out[path.name] = pq.read_table(path).to_pandas()
    return out


def test_same_seed_same_data_and_another_seed_differs(tmp_path):
    first = generate(tmp_path / "a", seed=7, scale=0.3, snapshots="latest")
    again = generate(tmp_path / "b", seed=7, scale=0.3, snapshots="latest")
    other = generate(tmp_path / "c", seed=8, scale=0.3, snapshots="latest")
    a, b, c = _contents(tmp_path / "a"), _contents(tmp_path / "b"), _contents(tmp_path / "c")
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    assert any(not a[name].equals(c[name]) for name in a if name in c)
    assert first[0].manifest["row_counts"] == again[0].manifest["row_counts"]
    assert other[0].usable


def test_scale_five_completes_and_scales_linearly(tmp_path):
    [one] = generate(tmp_path / "one", scale=1, snapshots="latest")
    [five] = generate(tmp_path / "five", scale=5, snapshots="latest")
    assert five.usable
    for table in ("ssd_person", "ssd_cin_episodes", "ssd_cla_episodes", "hr_staff"):
        if table in one.manifest["row_counts"]:
            ratio = five.manifest["row_counts"][table] / max(1, one.manifest["row_counts"][table])
            assert 4 <= ratio <= 6, (table, ratio)


def test_demo_command(tmp_path):
    result = subprocess.run([sys.executable, "-m", "torbay_dash", "demo", "--out", str(tmp_path),
                             "--scale", "0.2", "--snapshots", "latest", "--seed", "3"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "published 1 snapshot" in result.stdout
    manifest = json.loads((tmp_path / "snapshots" / "2021-07-31" / "manifest.json").read_text())
    assert manifest["synthetic"] is True and manifest["generator"] == {"version": 1, "seed": 3, "scale": 0.2}


def test_same_seed_same_data_across_processes(tmp_path):
    """Hash randomisation differs between processes; the data must not."""
    import os
    generate(tmp_path / "here", seed=11, scale=0.2, snapshots="latest")
    subprocess.run([sys.executable, "-m", "torbay_dash", "demo", "--out", str(tmp_path / "there"), "--seed", "11",
                    "--scale", "0.2", "--snapshots", "latest"], check=True, capture_output=True,
                   env={**os.environ, "PYTHONHASHSEED": "12345"})
    here, there = _contents(tmp_path / "here"), _contents(tmp_path / "there")
    assert here.keys() == there.keys()
    for name in here:
        pd.testing.assert_frame_equal(here[name], there[name], obj=name)


def test_demo_data_replaces_demo_data_but_never_a_real_extract(tmp_path):
    from snapshots import publish, small_service
    first = generate(tmp_path / "demo", seed=7, scale=0.3, snapshots="latest")
    [again] = generate(tmp_path / "demo", seed=8, scale=0.3, snapshots="latest")   # other rows, fewer in some tables
    assert again.path == first[0].path and again.manifest["generator"]["seed"] == 8

    real = publish(tmp_path / "real", "2021-07-31", small_service(), source="the council's extract")
    with pytest.raises(RuntimeError, match="not published"):
        generate(tmp_path / "real", seed=7, scale=0.3, snapshots="latest")
    assert Store(tmp_path / "real").get("2021-07-31").manifest["source"] == "the council's extract" == \
        real.manifest["source"]
