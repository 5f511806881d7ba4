"""Reading an SSDA903 return into the contract's tables: periods of care, placements, reviews,
identifying columns, encodings, the return's own problems, and the fake return end to end."""
import csv
import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from torbay_dash import contract
from torbay_dash.compute import compute_many
from torbay_dash.db import SnapshotDB
from torbay_dash.ingest import ssda903
from torbay_dash.ingest.ssda903 import looks_like_ssda903, mapping_frame, read_ssda903
from torbay_dash.periods import Period
from torbay_dash.settings import load_settings
from torbay_dash.store import Store

ROOT = Path(__file__).resolve().parents[1]
FAKE = ROOT / "tests" / "fixtures" / "ssda903_fake"  # a copy of ../shared/data/ssda903_fake
AS_AT = dt.date(2018, 3, 31)

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"


def write_return(folder: Path, files: dict[str, str | bytes]) -> Path:
    """A 903 folder from CSV texts (bytes are written as they are, to test encodings)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def header_for(*children: str) -> str:
    return HEADER + "".join(f"{c},1,01/01/2010,WBRI,A123456789012,,\n" for c in children)


def column(frame: pd.DataFrame, name: str) -> list:
    """A column as plain Python values, missing as None."""
    return [None if pd.isna(v) else v for v in frame[name].tolist()]


def problem(result, message_part: str):
    found = [p for p in result.problems if message_part in p.message]
    assert len(found) == 1, [str(p) for p in result.problems]
    return found[0]


# ---------------------------------------------------------------- periods of care and placements

def test_periods_of_care_split_at_rne_s_and_at_a_gap(tmp_path):
    episodes = (EPISODES
                + "B,01/01/2017,S,C2,N1,U4,PR1,01/02/2017,X1,,,,1\n"   # 1: B's first episode: period B-2017-01-01
                + "A,10/05/2017,P,C2,N1,U6,PR4,01/06/2017,E4A,,,,2\n"  # 2: follows on from row 3: same period as it
                + "A,01/04/2017,S,C2,N1,U4,PR1,10/05/2017,X1,,,,1\n"   # 3: A's first episode (file order differs)
                + "A,01/09/2017,S,C2,N1,U4,PR1,,,,,,1\n"               # 4: RNE S after a gap: new period A-2017-09-01
                + "B,05/02/2017,P,C2,N1,U6,PR4,,,,,,2\n"               # 5: a gap, RNE not S: new period, reported
                + "D,01/04/2017,S,C2,N1,U4,PR1,01/06/2017,E13,,,,1\n"  # 6: period D-2017-04-01
                + "D,01/06/2017,S,C2,N1,U4,PR1,,,,,,1\n")              # 7: RNE S on the day row 6 ended: new period
    folder = write_return(tmp_path / "r", {"header.csv": header_for("A", "B", "D"), "episodes.csv": episodes})
    result = read_ssda903(folder, AS_AT)
    frame = result.tables["ssd_cla_episodes"]
    assert list(frame.columns) == contract.TABLES["ssd_cla_episodes"].column_names
    assert column(frame, "clae_cla_episode_id") == ["B-2017-01-01", "A-2017-05-10", "A-2017-04-01",
                                                    "A-2017-09-01", "B-2017-02-05", "D-2017-04-01",
                                                    "D-2017-06-01"]   # file order kept
    assert column(frame, "clae_cla_id") == ["B-2017-01-01", "A-2017-04-01", "A-2017-04-01",
                                            "A-2017-09-01", "B-2017-02-05", "D-2017-04-01", "D-2017-06-01"]
    assert column(frame, "clae_entered_care_date") == ["01/01/2017", "01/04/2017", "01/04/2017",
                                                       "01/09/2017", "05/02/2017", "01/04/2017", "01/06/2017"]
    gap = problem(result, "does not follow on")
    assert (gap.file, gap.rows, gap.n_rows, gap.severity) == ("episodes.csv", [5], 1, "warning")
    assert problem(result, "RNE 'S' though").rows == [7]


def test_placements_group_episodes_until_the_placement_changes(tmp_path):
    episodes = (EPISODES
                + "C,01/04/2017,S,C1,N1,U4,PR1,01/06/2017,X1,,,AB1 2CD,100\n"     # 1: placement C-2017-04-01
                + "C,01/06/2017,L,C2,N1,U4,PR1,01/07/2017,X1,CARPL,,AB1 2CD,100\n"  # 2: legal status only: same
                + "C,01/07/2017,P,C2,N1,U4,PR1,01/08/2017,X1,,,AB1 2CD,200\n"      # 3: new carer: C-2017-07-01
                + "C,01/08/2017,L,C2,N1,U6,PR1,01/09/2017,X1,,,AB1 2CD,200\n"      # 4: RNE L, type changed: new
                + "C,01/09/2017,T,C2,N1,U6,PR1,,,,,AB1 2CD,200\n")                 # 5: same carer, new placement
    folder = write_return(tmp_path / "r", {"header.csv": header_for("C"), "episodes.csv": episodes})
    result = read_ssda903(folder, AS_AT)
    assert column(result.tables["ssd_cla_episodes"], "clae_cla_placement_id") == [
        "C-2017-04-01", "C-2017-04-01", "C-2017-07-01", "C-2017-08-01", "C-2017-09-01"]
    placements = result.tables["ssd_cla_placement"]
    assert list(placements.columns) == contract.TABLES["ssd_cla_placement"].column_names
    assert column(placements, "clap_cla_placement_id") == ["C-2017-04-01", "C-2017-07-01", "C-2017-08-01",
                                                           "C-2017-09-01"]
    assert column(placements, "clap_cla_placement_start_date") == ["01/04/2017", "01/07/2017", "01/08/2017",
                                                                   "01/09/2017"]
    assert column(placements, "clap_cla_placement_end_date") == ["01/07/2017", "01/08/2017", "01/09/2017", None]
    # the reason a placement changed is on its last episode (row 2 for the first placement)
    assert column(placements, "clap_cla_placement_change_reason") == ["CARPL", None, None, None]
    assert column(placements, "clap_cla_placement_type") == ["U4", "U4", "U6", "U6"]
    assert set(column(placements, "clap_cla_id")) == {"C-2017-04-01"}
    assert column(placements, "clap_cla_placement_postcode") == ["AB1 2CD"] * 4
    assert column(placements, "clap_cla_placement_distance") == [None] * 4
    assert problem(result, "RNE 'L'").rows == [4]
    # one legal status row per episode, in the file's order
    assert column(result.tables["ssd_legal_status"], "lega_legal_status") == ["C1", "C2", "C2", "C2", "C2"]


def test_a_review_belongs_to_the_period_of_care_open_on_its_date(tmp_path):
    episodes = (EPISODES
                + "A,01/04/2017,S,C2,N1,U4,PR1,01/06/2017,E4A,,,,1\n"   # period A-2017-04-01 to 01/06/2017
                + "A,01/09/2017,S,C2,N1,U4,PR1,,,,,,1\n")               # period A-2017-09-01, open
    reviews = ("CHILD,DOB,REVIEW,REVIEW_CODE\n"
               "A,01/01/2010,15/05/2017,PN1\n"    # 1: in the first period
               "A,01/01/2010,01/06/2017,PN1\n"    # 2: the day it ended: still the first period
               "A,01/01/2010,15/07/2017,PN1\n"    # 3: between periods: none, reported
               "A,01/01/2010,01/10/2017,PN1\n"    # 4: in the open period
               "Q,01/01/2010,01/10/2017,PN1\n")   # 5: a child not in header.csv: none, reported
    folder = write_return(tmp_path / "r", {"header.csv": header_for("A"), "episodes.csv": episodes,
                                           "reviews.csv": reviews})
    result = read_ssda903(folder, AS_AT)
    frame = result.tables["ssd_cla_reviews"]
    assert list(frame.columns) == contract.TABLES["ssd_cla_reviews"].column_names
    assert column(frame, "clar_cla_id") == ["A-2017-04-01", "A-2017-04-01", None, "A-2017-09-01", None]
    assert column(frame, "clar_cla_review_date") == ["15/05/2017", "01/06/2017", "15/07/2017", "01/10/2017",
                                                     "01/10/2017"]
    assert column(frame, "clar_cla_review_due_date") == [None] * 5
    assert problem(result, "outside every period").rows == [3]
    assert problem(result, "review of a child with no episode").rows == [5]
    outsider = problem(result, "CHILD not in header.csv")
    assert (outsider.file, outsider.rows) == ("reviews.csv", [5])


# ---------------------------------------------------------------- identifying columns, encodings, nulls

def test_identifying_columns_never_leave_the_reader(tmp_path):
    upn, home, mother_dob = "K987654321098", "ZZ9 9ZZ", "07/07/2016"
    header = HEADER + f"A,2,01/01/2010,WBRI,{upn},1,{mother_dob}\n"
    episodes = EPISODES + f"A,01/04/2017,S,C2,N1,U4,PR1,,,,{home},AB1 2CD,1\n"
    missing = "CHILD,DOB,MISSING,MIS_START,MIS_END\nA,01/01/2010,M,01/05/2017,02/05/2017\n"
    folder = write_return(tmp_path / "r", {"header.csv": header, "episodes.csv": episodes, "missing.csv": missing})
    result = read_ssda903(folder, AS_AT)
    every_value = {str(v) for frame in result.tables.values() for c in frame.columns for v in frame[c].tolist()}
    assert not every_value & {upn, home, mother_dob}
    assert result.dropped == {"header.csv": ["UPN", "MOTHER", "MC_DOB"], "episodes.csv": ["HOME_POST"],
                              "missing.csv": ["DOB"]}
    assert column(result.tables["ssd_person"], "pers_dob") == ["01/01/2010"]   # the header's DOB is the one kept
    assert column(result.tables["ssd_person"], "pers_sex") == ["F"]            # 903 SEX 2


def test_a_byte_order_mark_and_windows_1252_are_read(tmp_path):
    header = ("\ufeff" + " Child ,sex,Dob,ETHNIC\nA,1,01/01/2010,WBRI\n").encode("utf-8")   # BOM, odd headers
    episodes = (EPISODES.replace("URN", "URN,NOTE") + "A,01/04/2017,S,C2,N1,U4,PR1,,,,,AB1 2CD,1,Café\n"
                ).encode("cp1252")                                                      # é is not UTF-8 here
    folder = write_return(tmp_path / "r", {"Header.CSV": header, "episodes.csv": episodes})
    assert looks_like_ssda903(folder)
    result = read_ssda903(folder, AS_AT)
    assert column(result.tables["ssd_person"], "pers_person_id") == ["A"]
    assert column(result.tables["ssd_cla_episodes"], "clae_person_id") == ["A"]
    assert ssda903._read_rows(folder / "episodes.csv")[1][0]["NOTE"] == "Café"
    assert not [p for p in result.problems if "missing from the file" in p.message and p.file == "Header.CSV"
                and p.column != "SEX"]


def test_null_and_empty_cells_are_missing_values(tmp_path):
    header = HEADER + "A,1,01/01/2010,NULL,,,\n"
    episodes = (EPISODES
                + "A,01/04/2017,S,C2,N1,U4,PR1,01/05/2017,X1,NULL,,,1\n"
                + "A, 01/05/2017 ,P,C2,N1,U6,PR1,null,,,,,2\n"   # spaces trimmed; lower-case null too
                + "A,,P,C2,N1,U6,PR1,,,,,,3\n")                    # no DECOM: reported, in no period
    folder = write_return(tmp_path / "r", {"header.csv": header, "episodes.csv": episodes})
    result = read_ssda903(folder, AS_AT)
    episodes_out = result.tables["ssd_cla_episodes"]
    assert column(episodes_out, "clae_cla_episode_ceased_date") == ["01/05/2017", None, None]
    assert column(episodes_out, "clae_cla_episode_start_date") == ["01/04/2017", "01/05/2017", None]
    assert column(episodes_out, "clae_cla_id") == ["A-2017-04-01", "A-2017-04-01", None]
    assert column(result.tables["ssd_person"], "pers_ethnicity") == [None]
    assert problem(result, "no start date").rows == [3]


def test_codes_outside_the_903_lists_are_reported_without_child_data(tmp_path):
    episodes = (EPISODES
                + "SECRET1,01/04/2017,XX,C2,N1,U4,PR1,,,,,,1\n"   # 1: RNE XX
                + "SECRET2,01/04/2017,S,ZZ,N1,U4,PR1,,,,,,1\n"    # 2: LS ZZ
                + "SECRET3,01/04/2017,S,C2,N1,U4,PR9,,,,,,1\n")   # 3: provider PR9; SECRET3 not in header
    folder = write_return(tmp_path / "r", {"header.csv": header_for("SECRET1", "SECRET2"), "episodes.csv": episodes})
    result = read_ssda903(folder, AS_AT)
    assert problem(result, "RNE code not in the 903 list ('XX')").rows == [1]
    assert problem(result, "LS code not in the 903 list ('ZZ')").rows == [2]
    assert problem(result, "PLACE_PROVIDER code not in the 903 list ('PR9')").rows == [3]
    assert problem(result, "CHILD not in header.csv").rows == [3]
    assert all(p.severity == "warning" for p in result.problems)
    assert not any("SECRET" in p.message for p in result.problems)


def test_only_known_files_are_mapped_and_the_rest_listed(tmp_path):
    folder = write_return(tmp_path / "r", {"header.csv": header_for("A"), "EPISODES.csv": EPISODES,
                                           "uasc.csv": "CHILD,SEX,DOB,DUC\n", "notes.txt": "hello"})
    result = read_ssda903(folder, AS_AT)
    assert set(result.tables) == {"ssd_person", "ssd_cla_episodes", "ssd_cla_placement", "ssd_legal_status",
                                  "ssd_permanence"}
    assert any(i.startswith("uasc.csv: ") for i in result.ignored)
    assert any(i.startswith("notes.txt: ") for i in result.ignored)
    assert not looks_like_ssda903(write_return(tmp_path / "s", {"header.csv": header_for("A")}))


# ---------------------------------------------------------------- the mapping as data

def test_the_mapping_names_every_column_of_every_table_filled():
    mapping = mapping_frame()
    assert list(mapping.columns) == ["target_table", "target_column", "source_file", "source_column", "rule", "note"]
    assert (mapping["note"].str.len() > 10).all() and (mapping["rule"] != "").all()
    for table, rows in mapping.groupby("target_table", sort=False):
        assert rows["target_column"].tolist() == contract.TABLES[table].column_names, table
    assert "ssd_cla_visits" in ssda903.unfilled_tables() and "ssd_cla_episodes" not in ssda903.unfilled_tables()


@pytest.fixture(scope="module")
def fake_read():
    return read_ssda903(FAKE, AS_AT)


def test_the_fake_return_fills_the_mapped_tables_as_the_mapping_says(fake_read):
    mapping = mapping_frame()
    # every mapped table but ssd_involvements: the fake's sw_episodes.csv names no child of the return
    assert set(fake_read.tables) == set(mapping["target_table"]) - {"ssd_involvements"}
    for table, frame in fake_read.tables.items():
        assert list(frame.columns) == contract.TABLES[table].column_names
        rules = mapping[mapping["target_table"] == table].set_index("target_column")["rule"]
        for name in frame.columns:
            if rules[name] == "empty":
                assert frame[name].isna().all(), (table, name)
    # one row per source row, in the file's order, where a table maps one to one from a file
    with (FAKE / "episodes.csv").open(encoding="utf-8-sig", newline="") as handle:
        decoms = [row["DECOM"] for row in csv.DictReader(handle)]
    assert column(fake_read.tables["ssd_cla_episodes"], "clae_cla_episode_start_date") == decoms
    assert len(fake_read.tables["ssd_cla_reviews"]) == sum(1 for _ in (FAKE / "reviews.csv").open()) - 1
    assert fake_read.dropped["header.csv"] == ["UPN", "MOTHER", "MC_DOB"]
    assert fake_read.dropped["episodes.csv"] == ["HOME_POST"]


def _independent_cla_count(day: dt.date) -> int:
    """Children looked after on `day`, counted from episodes.csv with csv alone.

    The engine leaves out what the validator calls bad, so this count does too (DATA_CONTRACT.md,
    db._view_sql): a row with a DECOM or DEC that cannot be read, or dated after the as-at date
    (the fake return has DECs of 01/04/2018) or before 1900; a repeat of an episode id (the same CHILD
    and start day; the first row in the file counts); an end before its start. Then, per
    INDICATORS.md, a child counts when an episode is open on the day (DECOM <= day, DEC empty or
    after it), unless the legal status of their latest-starting open episode is a short break (V3,
    V4): the reader writes one legal status row per episode with the episode's dates, so that is the
    child's legal status open on the day.
    """
    def read(text):
        try:
            return dt.datetime.strptime(text, "%d/%m/%Y").date() if text.strip() else None
        except ValueError:
            return "unreadable"

    seen, kept = set(), []
    with (FAKE / "episodes.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            start, end = read(row["DECOM"]), read(row["DEC"])
            if "unreadable" in (start, end) or any(d and not (dt.date(1900, 1, 1) <= d <= AS_AT) for d in (start, end)):
                continue
            key = (row["CHILD"], start)
            if start is not None and key in seen:
                continue
            seen.add(key)
            if start is None or (end is not None and end < start) or not row["CHILD"].strip():
                continue
            kept.append((row["CHILD"], start, end, row["LS"]))
    latest_open = {}
    for child, start, end, legal_status in kept:
        if start <= day and (end is None or end > day):
            if child not in latest_open or start > latest_open[child][0]:
                latest_open[child] = (start, legal_status)
    return sum(1 for _, legal_status in latest_open.values() if legal_status not in ("V3", "V4"))


def test_the_fake_return_publishes_and_counts_children_looked_after(fake_read, tmp_root):
    shutil.copy(ROOT / "data" / "local_authority.toml", tmp_root / "local_authority.toml")
    snapshot = Store(tmp_root).publish(AS_AT, fake_read.tables, {"source": "ssda903 test"})
    assert snapshot.usable
    db = SnapshotDB(snapshot)
    try:
        figures = compute_many(db, ["cla_count"], [Period(dt.date(2017, 4, 1), AS_AT)], load_settings(tmp_root))
    finally:
        db.close()
    expected = _independent_cla_count(AS_AT)
    assert expected > 500   # the fake return has some 1,200 children in care at the year end
    assert figures["value"].tolist() == [expected]

    with (FAKE / "header.csv").open(encoding="utf-8-sig", newline="") as handle:
        upns = {row["UPN"] for row in csv.DictReader(handle) if row["UPN"].strip()}
    with (FAKE / "episodes.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    home_only = {r["HOME_POST"] for r in rows if r["HOME_POST"]} - {r["PL_POST"] for r in rows}
    written = list(tmp_root.rglob("*.parquet"))
    assert written
    for path in written:
        frame = pd.read_parquet(path)
        values = {str(v) for c in frame.columns for v in frame[c].tolist()}
        assert not values & upns, path.name
        assert not values & home_only, path.name


def test_the_fake_return_problems_name_rules_and_rows(fake_read):
    assert fake_read.problems
    for found in fake_read.problems:
        assert found.severity == "warning" and found.file.endswith(".csv")
        assert 0 < len(found.rows) <= 5 and found.n_rows >= len(found.rows)
    assert problem(fake_read, "CHILD not in header.csv").file == "sw_episodes.csv"
    assert {i.split(":")[0] for i in fake_read.ignored} == {"uasc.csv", "previous_permanence.csv", "sw_episodes.csv"}


SW_EPISODES = "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\n"


def test_social_worker_episodes_are_used_only_when_they_cover_children_of_the_return(tmp_path):
    episodes = EPISODES + "A,01/04/2017,S,C2,N1,U4,PR1,,,,,,1\n"  # A looked after from 1 April 2017
    covering = write_return(tmp_path / "covering", {
        "header.csv": header_for("A"), "episodes.csv": episodes,
        "sw_episodes.csv": SW_EPISODES + "A,01/01/2010,SW1,01/04/2017,,\n"})  # A's worker -> used
    used = read_ssda903(covering, AS_AT)
    assert column(used.tables["ssd_involvements"], "invo_professional_id") == ["SW1"]
    elsewhere = write_return(tmp_path / "elsewhere", {
        "header.csv": header_for("A", "Z"), "episodes.csv": episodes,
        "sw_episodes.csv": SW_EPISODES + "Z,01/01/2010,SW9,01/04/2017,,\n"})  # Z has no episode -> not used
    unused = read_ssda903(elsewhere, AS_AT)
    assert "ssd_involvements" not in unused.tables  # absent: allocation figures unavailable, never 0
    assert any(i.startswith("sw_episodes.csv: holds no child with an episode") for i in unused.ignored)
