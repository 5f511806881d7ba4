"""The snapshot store: bad extracts are reported with reasons and never replace a good one."""
import datetime as dt
import json

import pandas as pd
import pytest

from snapshots import publish, small_service, write_tables
from torbay_dash.frames import contract_frame
from torbay_dash.store import DataError, Store, load_snapshot, open_data
from torbay_dash.validation import validate_folder


def _good(root, as_at):
    snapshot = publish(root, as_at, small_service())
    assert snapshot.usable, snapshot.report.problems
    return snapshot


def test_a_truncated_table_is_quarantined_and_the_rest_served(tmp_root):
    _good(tmp_root, "2021-06-30")
    later = tmp_root / "snapshots" / "2021-07-31"
    write_tables(later, small_service())
    referrals = later / "ssd_cin_episodes.parquet"
    referrals.write_bytes(referrals.read_bytes()[:200])  # cut off mid-file: no footer

    store = Store(tmp_root)
    later_snapshot = store.get("2021-07-31")
    assert later_snapshot.usable and "ssd_cin_episodes" not in later_snapshot.tables
    [problem] = later_snapshot.errors
    assert problem.file == "ssd_cin_episodes.parquet" and problem.table == "ssd_cin_episodes"
    assert "cannot be read" in later_snapshot.quarantined["ssd_cin_episodes"]
    assert open_data(tmp_root).id == "2021-07-31"


def test_a_snapshot_with_every_table_truncated_is_refused_and_the_previous_served(tmp_root):
    _good(tmp_root, "2021-06-30")
    later = write_tables(tmp_root / "snapshots" / "2021-07-31", small_service())
    for path in later.glob("*.parquet"):
        path.write_bytes(path.read_bytes()[:200])
    store = Store(tmp_root)
    assert not store.get("2021-07-31").usable
    assert any("no table can be served" in r for r in store.get("2021-07-31").reasons)
    assert store.latest_usable().id == "2021-06-30" == open_data(tmp_root).id


def test_missing_required_column_names_table_and_column(tmp_root):
    _good(tmp_root, "2021-06-30")
    later = tmp_root / "snapshots" / "2021-07-31"
    write_tables(later, small_service())
    frame = pd.read_parquet(later / "ssd_cla_episodes.parquet").drop(columns=["clae_cla_episode_ceased_date"])
    frame.to_parquet(later / "ssd_cla_episodes.parquet")

    snapshot = Store(tmp_root).get("2021-07-31")
    assert [(p.table, p.column) for p in snapshot.errors] == [("ssd_cla_episodes", "clae_cla_episode_ceased_date")]
    assert "missing" in str(snapshot.errors[0])
    assert set(snapshot.quarantined) == {"ssd_cla_episodes"} and "ssd_person" in snapshot.tables


def test_publishing_a_replacement_that_loses_a_table_is_held_and_the_good_one_untouched(tmp_root):
    good = _good(tmp_root, "2021-07-31")
    before = {p.name: p.read_bytes() for p in good.path.glob("*.parquet")}
    tables = small_service()
    tables["ssd_cin_episodes"] = [dict(r, cine_referral_id="R1") for r in tables["ssd_cin_episodes"]]  # all one id
    frames = {n: contract_frame(n, rows) for n, rows in tables.items()}
    result = Store(tmp_root).publish(dt.date(2021, 7, 31), frames, {"source": "bad extract"})
    assert "held" == result.path.parent.name
    assert any("repeat an id" in p.message for p in result.errors if p.column == "cine_referral_id")
    assert any("ssd_cin_episodes" in reason and "quarantined" in reason for reason in result.held_because)
    after = {p.name: p.read_bytes() for p in good.path.glob("*.parquet")}
    assert before == after
    assert Store(tmp_root).latest_usable().manifest["source"] == "test fixture"


def test_publishing_an_extract_with_nothing_usable_is_rejected(tmp_root):
    good = _good(tmp_root, "2021-07-31")
    frames = {"ssd_person": contract_frame("ssd_person", [{"pers_person_id": "P1"}]).assign(pers_forename="Alex")}
    result = Store(tmp_root).publish(dt.date(2021, 7, 31), frames, {"source": "bad extract"})
    assert not result.usable and result.path.parent.name == "rejected"
    assert Store(tmp_root).latest_usable().path == good.path


def test_publishing_a_good_extract_replaces_the_same_date(tmp_root):
    _good(tmp_root, "2021-07-31")
    second = publish(tmp_root, "2021-07-31", small_service(), source="re-run")
    assert second.usable
    assert Store(tmp_root).latest_usable().manifest["source"] == "re-run"
    assert [p.name for p in (tmp_root / "snapshots").iterdir()] == ["2021-07-31"]


def _people_with_bad_dates(folder, n_rows, bad_rows):
    people = [{"pers_person_id": f"P{i}", "pers_dob": "2010-03-04"} for i in range(n_rows)]
    write_tables(folder, {"ssd_person": people})
    frame = pd.read_parquet(folder / "ssd_person.parquet")
    frame["pers_dob"] = frame["pers_dob"].astype(str)
    for row in bad_rows:
        frame.loc[row, "pers_dob"] = "31/02/2010"  # no such day
    frame.to_parquet(folder / "ssd_person.parquet")
    return validate_folder(folder)


def test_a_few_bad_values_are_warnings_with_row_numbers(tmp_path):
    # 1 unreadable date in 200 rows is within the 1% allowance: reported, snapshot usable
    report = _people_with_bad_dates(tmp_path / "a", 200, [2])
    assert report.usable
    [problem] = report.warnings
    assert (problem.file, problem.table, problem.column, problem.rows) == (
        "ssd_person.parquet", "ssd_person", "pers_dob", [3])
    assert "rows 3" in str(problem)


def test_many_bad_values_quarantine_the_table(tmp_path):
    # 3 unreadable dates in 200 rows is over the allowance of 2; the only table, so nothing is left
    report = _people_with_bad_dates(tmp_path / "b", 200, [0, 10, 20])
    assert list(report.quarantined) == ["ssd_person"] and not report.usable
    assert report.errors[0].rows == [1, 11, 21]


def test_text_dates_in_both_forms_are_read(tmp_path):
    folder = tmp_path / "2021-07-31"
    write_tables(folder, {"ssd_person": [{"pers_person_id": "P1"}, {"pers_person_id": "P2"}]})
    frame = pd.read_parquet(folder / "ssd_person.parquet")
    frame["pers_dob"] = ["2010-03-04", "04/03/2010"]
    frame.to_parquet(folder / "ssd_person.parquet")
    assert validate_folder(folder).usable


def test_identifying_columns_are_refused(tmp_path):
    folder = write_tables(tmp_path / "2021-07-31", {"ssd_person": [{"pers_person_id": "P1"}]})
    frame = pd.read_parquet(folder / "ssd_person.parquet").assign(pers_forename="Alex")
    frame.to_parquet(folder / "ssd_person.parquet")
    report = validate_folder(folder)
    assert not report.usable
    assert report.errors[0].column == "pers_forename"


def test_validation_is_cached_until_a_file_changes(tmp_root):
    snapshot = _good(tmp_root, "2021-07-31")
    cached = json.loads((snapshot.path / "validation.json").read_text())
    assert cached["problems"] == [] and "ssd_person" in cached["tables"]
    path = snapshot.path / "ssd_person.parquet"
    path.write_bytes(b"not parquet at all")
    assert "ssd_person" in load_snapshot(snapshot.path).quarantined


def test_no_snapshot_says_how_to_load_data(tmp_root):
    with pytest.raises(DataError, match="snapshots"):
        open_data(tmp_root)


def test_non_contract_files_are_ignored_with_a_note(tmp_path):
    folder = write_tables(tmp_path / "2021-07-31", {"ssd_person": [{"pers_person_id": "P1"}]})
    pd.DataFrame({"x": [1]}).to_parquet(folder / "notes.parquet")
    report = validate_folder(folder)
    assert report.usable and report.tables == {"ssd_person": 1}
    assert report.warnings[0].file == "notes.parquet"


def test_leftovers_of_an_interrupted_writer_are_cleared(tmp_root):
    import os
    import time
    good = _good(tmp_root, "2021-06-30")
    snapshots = tmp_root / "snapshots"
    # a swap that died between its two renames: the good snapshot sits under .retired-*
    good.path.rename(snapshots / ".retired-2021-06-30-abcd1234")
    stale = snapshots / ".incoming-2021-07-31-dead0000"
    stale.mkdir()
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    fresh = snapshots / ".incoming-2021-07-31-live0000"  # another writer, still working
    fresh.mkdir()
    assert Store(tmp_root).latest_usable() is None
    Store(tmp_root).tidy()
    assert Store(tmp_root).latest_usable().id == "2021-06-30"
    assert not stale.exists() and fresh.exists()


def test_validation_is_redone_when_the_rules_change(tmp_root):
    snapshot = _good(tmp_root, "2021-07-31")
    cached = json.loads((snapshot.path / "validation.json").read_text())
    cached["validator"] = 1
    cached["problems"] = [{"severity": "error", "file": "x", "table": "-", "column": None,
                           "message": "what an older validator concluded"}]
    (snapshot.path / "validation.json").write_text(json.dumps(cached))
    assert load_snapshot(snapshot.path).usable


def test_a_damaged_data_page_is_found_by_validation(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    folder = tmp_path / "2021-07-31"
    folder.mkdir()
    n = 3000
    frame = contract_frame("ssd_person", [{"pers_person_id": f"P{i}", "pers_sex": "F"} for i in range(n)])
    frame["pers_dob"] = pd.Series(pd.date_range("2005-01-01", periods=n).date, dtype="date32[pyarrow]")
    path = folder / "ssd_person.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, compression="NONE", use_dictionary=False)
    column = pq.ParquetFile(path).metadata.row_group(0).column(3)  # pers_dob
    data = bytearray(path.read_bytes())
    for k in range(column.data_page_offset, column.data_page_offset + 8):
        data[k] ^= 0xFF  # flip the page header: the footer still reads, the values do not
    path.write_bytes(bytes(data))
    report = validate_folder(folder)
    assert not report.usable
    assert "damaged" in report.errors[0].message and report.errors[0].file == "ssd_person.parquet"
