"""python -m torbay_dash ingest: real extracts in, read the way real tools write them.

The dialect tests write the same hand-built rows as CSV in each form real tools produce and
as typed Parquet, and require every indicator to come out the same.
"""
import datetime as dt
import json
import math
import sqlite3
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from snapshots import publish
from torbay_dash.cli import main
from torbay_dash.compute import compute_many
from torbay_dash.db import SnapshotDB
from torbay_dash.indicators import REGISTRY
from torbay_dash.periods import Period
from torbay_dash.settings import load_settings
from torbay_dash.store import Store

AS_AT = "2021-07-31"
PERIOD = Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))

# One small service. Dates are date objects; each dialect writes them its own way.
D = dt.date
TABLES = {
    "ssd_department": [
        # names with the characters Windows-1252 and UTF-8 write differently (’ and –)
        {"dept_team_id": "T1", "dept_team_name": "Children’s services – East", "dept_team_parent_id": "S1",
         "dept_team_parent_name": "Front door"},
        {"dept_team_id": "T2", "dept_team_name": "Café team", "dept_team_parent_id": "S1",
         "dept_team_parent_name": "Front door"},
    ],
    "ssd_person": [
        {"pers_person_id": "P1", "pers_sex": "F", "pers_ethnicity": "WBRI", "pers_dob": D(2010, 2, 28),
         "pers_death_date": None},
        {"pers_person_id": "P2", "pers_sex": "M", "pers_ethnicity": "WBRI", "pers_dob": D(2012, 2, 29),
         "pers_death_date": None},
        {"pers_person_id": "P3", "pers_sex": "F", "pers_ethnicity": "MWBC", "pers_dob": D(2015, 12, 1),
         "pers_death_date": None},
    ],
    "ssd_contacts": [
        # in the period: C1, C2 (31 Jan, a month end), C3 (28 Jun); C4 is after it -> 3 contacts
        {"cont_contact_id": "C1", "cont_person_id": "P1", "cont_contact_date": D(2021, 1, 4),
         "cont_contact_source_code": "1A", "cont_contact_outcome_json": None,
         "cont_contact_completed_date": D(2021, 1, 5), "cont_contact_team": "T1"},
        {"cont_contact_id": "C2", "cont_person_id": "P2", "cont_contact_date": D(2021, 1, 31),
         "cont_contact_source_code": "2B", "cont_contact_outcome_json": None,
         "cont_contact_completed_date": D(2021, 2, 2), "cont_contact_team": "T1"},
        {"cont_contact_id": "C3", "cont_person_id": "P3", "cont_contact_date": D(2021, 6, 28),
         "cont_contact_source_code": "1A", "cont_contact_outcome_json": None,
         "cont_contact_completed_date": None, "cont_contact_team": "T2"},
        {"cont_contact_id": "C4", "cont_person_id": "P1", "cont_contact_date": D(2021, 7, 2),
         "cont_contact_source_code": "1A", "cont_contact_outcome_json": None,
         "cont_contact_completed_date": D(2021, 7, 2), "cont_contact_team": "T2"},
    ],
    "ssd_cin_episodes": [
        # R1 and R2 are referrals in the period; R2 is P1's second within 12 months of R0 (a re-referral)
        {"cine_referral_id": "R0", "cine_person_id": "P1", "cine_referral_date": D(2020, 9, 1),
         "cine_cin_primary_need_code": "N1", "cine_referral_source_code": "1A", "cine_referral_nfa": "N",
         "cine_close_date": D(2020, 12, 1), "cine_close_reason": "RC8", "cine_referral_team": "T1",
         "cine_referral_worker_id": "W1"},
        {"cine_referral_id": "R1", "cine_person_id": "P2", "cine_referral_date": D(2021, 2, 1),
         "cine_cin_primary_need_code": "N1", "cine_referral_source_code": "2B", "cine_referral_nfa": "N",
         "cine_close_date": None, "cine_close_reason": None, "cine_referral_team": "T1",
         "cine_referral_worker_id": "W1"},
        {"cine_referral_id": "R2", "cine_person_id": "P1", "cine_referral_date": D(2021, 3, 1),
         "cine_cin_primary_need_code": "N2", "cine_referral_source_code": "1A", "cine_referral_nfa": "N",
         "cine_close_date": None, "cine_close_reason": None, "cine_referral_team": "T2",
         "cine_referral_worker_id": "W2"},
    ],
    "ssd_cin_assessments": [
        # A1 authorised in 40 working days (inside 45); A2 started and not yet authorised
        {"cina_assessment_id": "A1", "cina_person_id": "P2", "cina_referral_id": "R1",
         "cina_assessment_start_date": D(2021, 2, 1), "cina_assessment_child_seen": "Y",
         "cina_assessment_auth_date": D(2021, 3, 29), "cina_assessment_outcome_nfa": "N",
         "cina_assessment_team": "T1", "cina_assessment_worker_id": "W1"},
        {"cina_assessment_id": "A2", "cina_person_id": "P1", "cina_referral_id": "R2",
         "cina_assessment_start_date": D(2021, 3, 2), "cina_assessment_child_seen": None,
         "cina_assessment_auth_date": None, "cina_assessment_outcome_nfa": None,
         "cina_assessment_team": "T2", "cina_assessment_worker_id": "W2"},
    ],
    "ssd_cla_episodes": [
        # P3 looked after from 29 Feb 2020 (a leap day) and still on 30 June 2021
        {"clae_cla_episode_id": "E1", "clae_person_id": "P3", "clae_cla_id": "CLA1", "clae_cla_placement_id": "PL1",
         "clae_cla_episode_start_date": D(2020, 2, 29), "clae_cla_episode_start_reason": "S",
         "clae_cla_primary_need_code": "N1", "clae_cla_episode_ceased_date": None,
         "clae_cla_episode_ceased_reason": None, "clae_entered_care_date": D(2020, 2, 29), "clae_referral_id": None},
    ],
    "ssd_involvements": [
        {"invo_involvements_id": "I1", "invo_professional_id": "W1", "invo_professional_role_id": "ALLOCATED_SW",
         "invo_professional_team": "T1", "invo_person_id": "P2", "invo_referral_id": "R1",
         "invo_involvement_start_date": D(2021, 2, 1), "invo_involvement_end_date": None,
         "invo_worker_change_reason": None},
        {"invo_involvements_id": "I2", "invo_professional_id": "W2", "invo_professional_role_id": "ALLOCATED_SW",
         "invo_professional_team": "T2", "invo_person_id": "P3", "invo_referral_id": None,
         "invo_involvement_start_date": D(2020, 2, 29), "invo_involvement_end_date": None,
         "invo_worker_change_reason": None},
    ],
}

# Identifying and extra columns a real export carries; ingest must drop or ignore them.
IDENTIFYING = {"PERS_UPN": "A123456789012", "Pers_Forename": "Jessica", "home_postcode": "TQ1 1AA"}
EXTRA = {"pers_gender_legacy": "x"}


def _date_text(value, style: str) -> str:
    if value is None:
        return ""
    return {"iso": value.isoformat(), "uk": value.strftime("%d/%m/%Y"),
            "timestamp": f"{value.isoformat()} 00:00:00.000"}[style]


def write_csv_set(folder: Path, style: str, encoding: str, null_text: str, upper: bool, reverse: bool,
                  newline: str = "\n") -> Path:
    """The hand-built tables as one CSV per table, in one dialect."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in TABLES.items():
        columns = list(rows[0])
        if reverse:
            columns.reverse()
        extras = {**IDENTIFYING, **EXTRA} if table == "ssd_person" else {}
        header = [c.upper() if upper else c for c in columns] + list(extras)
        lines = [",".join(header)]
        for row in rows:
            cells = []
            for c in columns:
                value = row[c]
                if isinstance(value, dt.date):
                    cells.append(_date_text(value, style))
                elif value is None:
                    cells.append(null_text)
                else:
                    cells.append(f'"{value}"' if "," in str(value) else str(value))
            lines.append(",".join(cells + list(extras.values())))
        text = newline.join(lines) + newline
        (folder / f"{table}.csv").write_bytes(text.encode(encoding))
    return folder


DIALECTS = {
    "utf8-iso": dict(style="iso", encoding="utf-8", null_text="", upper=False, reverse=False),
    "bom-uk-dates-NULL-crlf": dict(style="uk", encoding="utf-8-sig", null_text="NULL", upper=True, reverse=True,
                                   newline="\r\n"),
    "windows-1252-timestamps": dict(style="timestamp", encoding="cp1252", null_text="", upper=True, reverse=False),
}


def reference_snapshot(root: Path):
    """The same rows as typed Parquet (dates as DATE), published the usual way."""
    frames = {t: pd.DataFrame(rows) for t, rows in TABLES.items()}
    return Store(root).publish(dt.date.fromisoformat(AS_AT), frames, {"source": "typed reference"})


def all_figures(snapshot) -> pd.DataFrame:
    db = SnapshotDB(snapshot)
    try:
        overall = compute_many(db, list(REGISTRY), [PERIOD], load_settings())
        teams = compute_many(db, list(REGISTRY), [PERIOD], load_settings(), by_team=True)
    finally:
        db.close()
    overall["team"] = "(all)"
    return pd.concat([overall, teams]).sort_values(["id", "team"]).reset_index(drop=True)


def same_figures(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a["id"]) == list(b["id"]) and list(a["team"]) == list(b["team"])
    for col in ("numerator", "denominator", "value"):
        for x, y, ind in zip(a[col], b[col], a["id"]):
            if pd.isna(x) or pd.isna(y):
                assert pd.isna(x) and pd.isna(y), (ind, col, x, y)
            else:
                assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12), (ind, col, x, y)
    assert list(a["unavailable"].fillna("")) == list(b["unavailable"].fillna(""))


def run(argv, capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def reference_figures(tmp_path_factory):
    figures = all_figures(reference_snapshot(tmp_path_factory.mktemp("reference")))
    # not a test that cannot fail: the hand-built service gives real figures
    contacts = figures[(figures.id == "contacts") & (figures.team == "(all)")]
    if len(contacts):
        assert contacts["value"].iloc[0] == 3  # C1, C2, C3 in the period; C4 after it
    assert figures["value"].notna().sum() > 10
    return figures


@pytest.mark.parametrize("dialect", list(DIALECTS))
def test_each_csv_dialect_gives_the_same_figures_as_typed_parquet(dialect, tmp_path, capsys, reference_figures):
    source = write_csv_set(tmp_path / "extract", **DIALECTS[dialect])
    code, out, err = run(["ingest", str(source), "--as-at", AS_AT, "--data", str(tmp_path / "data")], capsys)
    assert code == 0, err
    assert f"published as snapshot {AS_AT}" in out
    snapshot = Store(tmp_path / "data").get(AS_AT)
    assert snapshot.usable and not snapshot.quarantined, snapshot.reasons
    same_figures(all_figures(snapshot), reference_figures)
    names = duckdb.sql(f"SELECT dept_team_name FROM '{snapshot.table_path('ssd_department')}' ORDER BY 1").fetchall()
    assert names == [("Café team",), ("Children’s services – East",)]  # read in the right encoding


def test_identifying_columns_are_dropped_and_said(tmp_path, capsys):
    source = write_csv_set(tmp_path / "extract", **DIALECTS["utf8-iso"])
    code, out, err = run(["ingest", str(source), "--as-at", AS_AT, "--data", str(tmp_path / "data")], capsys)
    assert code == 0, err
    assert "identifying columns dropped (never written): ssd_person.csv: PERS_UPN, Pers_Forename, home_postcode" in out
    assert "extra columns ignored: ssd_person: pers_gender_legacy" in out
    folder = tmp_path / "data" / "snapshots" / AS_AT
    written = b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())
    for value in IDENTIFYING.values():
        assert value.encode() not in written
    columns = duckdb.sql(f"DESCRIBE SELECT * FROM '{folder / 'ssd_person.parquet'}'").fetchall()
    assert [c[0] for c in columns] == ["pers_person_id", "pers_sex", "pers_ethnicity", "pers_dob", "pers_death_date"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["identifying_columns_dropped"] == {"ssd_person.csv": list(IDENTIFYING)}
    assert manifest["source"] == str(source.resolve()) and manifest["format"] == "ssd"


def test_a_zip_with_a_folder_inside_ingests(tmp_path, capsys, reference_figures):
    source = write_csv_set(tmp_path / "extract", **DIALECTS["bom-uk-dates-NULL-crlf"])
    archive = tmp_path / "extract.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in source.iterdir():
            z.write(f, f"July extract/{f.name}")
        z.writestr("__MACOSX/._ssd_person.csv", b"\x00\x05junk")
        z.writestr("readme.txt", "not a table")
    code, out, err = run(["ingest", str(archive), "--as-at", AS_AT, "--data", str(tmp_path / "data")], capsys)
    assert code == 0, err
    assert "files or tables ignored (not in the data contract): readme.txt" in out
    same_figures(all_figures(Store(tmp_path / "data").get(AS_AT)), reference_figures)


def test_a_sqlite_database_ingests_through_sqlalchemy(tmp_path, capsys, reference_figures):
    path = tmp_path / "reporting.db"
    with sqlite3.connect(path) as con:
        for table, rows in TABLES.items():
            frame = pd.DataFrame(rows)
            for col in frame.columns:  # the SSD script writes DATE columns; SQLite keeps them as ISO text
                frame[col] = frame[col].map(lambda v: v.isoformat() if isinstance(v, dt.date) else v)
            frame.to_sql(table.upper() if table == "ssd_contacts" else table, con, index=False)
        con.execute("CREATE TABLE ssd_address (addr_person_id TEXT, addr_postcode TEXT)")
    code, out, err = run(["ingest", f"sqlite:///{path}", "--as-at", AS_AT, "--data", str(tmp_path / "data")], capsys)
    assert code == 0, err
    assert "ssd_address" in out  # listed as ignored, never read
    snapshot = Store(tmp_path / "data").get(AS_AT)
    assert snapshot.manifest["source"] == f"sqlite:///{path}"
    assert not (snapshot.path / "ssd_address.parquet").exists()
    same_figures(all_figures(snapshot), reference_figures)


def test_a_database_password_is_never_written_or_said(tmp_path, capsys):
    code, out, err = run(["ingest", "postgresql://analyst:s3cret-pass@127.0.0.1:9/ssd", "--as-at", AS_AT,
                          "--data", str(tmp_path / "data")], capsys)
    assert code == 2
    assert "s3cret-pass" not in out + err and err.count("\n") == 1 and "Traceback" not in err
    assert "analyst:***@127.0.0.1" in err


def test_one_unreadable_table_is_quarantined_with_its_reason_and_the_rest_is_published(tmp_path, capsys):
    source = write_csv_set(tmp_path / "extract", **DIALECTS["utf8-iso"])
    # a row with more fields than the header: the file cannot be read as one table
    (source / "ssd_cla_episodes.csv").write_text("clae_cla_episode_id,clae_person_id\nE1,P3,extra,\"unclosed\n")
    root = tmp_path / "data"
    code, out, err = run(["ingest", str(source), "--as-at", AS_AT, "--data", str(root)], capsys)
    assert code == 0, err
    assert "ssd_cla_episodes" in out and "NOT READ" in out
    code, out, err = run(["metrics", "--data", str(root), "--from", "2021-01-01", "--to", "2021-06-30",
                          "--ids", "cla_count,contacts"], capsys)
    assert code == 0, err
    records = {r["id"]: r for r in json.loads(out)}
    assert records["cla_count"]["value"] is None
    assert "ssd_cla_episodes (quarantined: " in records["cla_count"]["unavailable"]
    assert "cannot be read as CSV" in records["cla_count"]["unavailable"]
    assert records["contacts"]["value"] == 3


def test_rerunning_the_same_extract_replaces_the_snapshot_and_a_smaller_one_is_held(tmp_path, capsys):
    source = write_csv_set(tmp_path / "extract", **DIALECTS["utf8-iso"])
    root = tmp_path / "data"
    assert run(["ingest", str(source), "--as-at", AS_AT, "--data", str(root)], capsys)[0] == 0
    assert run(["ingest", str(source), "--as-at", AS_AT, "--data", str(root)], capsys)[0] == 0
    before = {p.name: p.read_bytes() for p in (root / "snapshots" / AS_AT).glob("*.parquet")}
    (source / "ssd_contacts.csv").unlink()  # the next extract lost a table
    code, out, err = run(["ingest", str(source), "--as-at", AS_AT, "--data", str(root)], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "held" in err and "ssd_contacts" in err and "python -m torbay_dash confirm" in err
    after = {p.name: p.read_bytes() for p in (root / "snapshots" / AS_AT).glob("*.parquet")}
    assert after == before  # the snapshot served is untouched


def test_nothing_readable_exits_2_and_changes_no_snapshot(tmp_path, capsys):
    root = tmp_path / "data"
    publish(root, "2021-06-30", {"ssd_person": [{"pers_person_id": "P1"}]})
    before = sorted(p.name for p in (root / "snapshots").iterdir())
    source = tmp_path / "extract"
    source.mkdir()
    (source / "ssd_contacts.csv").write_bytes(b"\x00\x01\x02 not, a csv\n\"")
    code, out, err = run(["ingest", str(source), "--as-at", AS_AT, "--data", str(root)], capsys)
    assert code == 2 and err.startswith("error: nothing published") and err.count("\n") == 1
    assert sorted(p.name for p in (root / "snapshots").iterdir()) == before


@pytest.mark.parametrize("make_source, message", [
    (lambda p: p / "absent", "does not exist"),
    (lambda p: (p / "one.csv").write_text("a\n1\n") and p / "one.csv", "is a single file"),
    (lambda p: (p / "empty").mkdir() or p / "empty", "holds no file named after a table"),
    (lambda p: (p / "bad.zip").write_bytes(b"PK not really") and p / "bad.zip", "cannot be opened as a zip"),
])
def test_bad_sources_exit_2_with_one_line(tmp_path, capsys, make_source, message):
    source = make_source(tmp_path)
    code, out, err = run(["ingest", str(source), "--as-at", AS_AT, "--data", str(tmp_path / "data")], capsys)
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err


def test_an_as_at_date_in_the_future_is_refused(tmp_path, capsys):
    source = write_csv_set(tmp_path / "extract", **DIALECTS["utf8-iso"])
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    code, out, err = run(["ingest", str(source), "--as-at", tomorrow, "--data", str(tmp_path / "data")], capsys)
    assert code == 2 and "after today" in err
    assert not (tmp_path / "data" / "snapshots").exists() or not any((tmp_path / "data" / "snapshots").iterdir())


def test_an_excel_workbook_and_a_parquet_file_ingest(tmp_path, capsys):
    source = tmp_path / "extract"
    source.mkdir()
    pd.DataFrame(TABLES["ssd_contacts"]).to_excel(source / "SSD_Contacts.xlsx", index=False)
    pd.DataFrame(TABLES["ssd_person"]).to_parquet(source / "ssd_person.parquet")
    code, out, err = run(["ingest", str(source), "--as-at", AS_AT, "--data", str(tmp_path / "data")], capsys)
    assert code == 0, err
    code, out, err = run(["metrics", "--data", str(tmp_path / "data"), "--from", "2021-01-01", "--to", "2021-06-30",
                          "--ids", "contacts"], capsys)
    assert json.loads(out)[0]["value"] == 3


@pytest.fixture(scope="module")
def demo_latest(tmp_path_factory):
    """The demo's latest snapshot (scale 1), messy as real extracts are."""
    from torbay_dash.synth import generate
    root = tmp_path_factory.mktemp("demo_latest") / "data"
    return generate(root, seed=7, scale=1, snapshots="latest")[-1]


def test_the_demo_exported_as_csv_ingests_to_the_same_figures(demo_latest, tmp_path, capsys):
    """An independent round trip: every table of a real-sized snapshot written as CSV by DuckDB
    (dates as YYYY-MM-DD) and read back gives every indicator, overall and by team, unchanged."""
    source = tmp_path / "csv"
    source.mkdir()
    for path in demo_latest.path.glob("*.parquet"):
        duckdb.sql(f"COPY (SELECT * FROM read_parquet('{path}')) TO '{source / (path.stem + '.csv')}' (HEADER)")
    code, out, err = run(["ingest", str(source), "--as-at", demo_latest.id, "--data", str(tmp_path / "data")], capsys)
    assert code == 0, err
    ingested = Store(tmp_path / "data").get(demo_latest.id)
    assert ingested.report.tables == demo_latest.report.tables
    assert sorted(ingested.quarantined) == sorted(demo_latest.quarantined)
    period = Period(dt.date(2020, 8, 1), dt.date(2021, 7, 31))
    figures = []
    for snapshot in (demo_latest, ingested):
        db = SnapshotDB(snapshot)
        try:
            frame = compute_many(db, list(REGISTRY), [period], load_settings(), by_team=True)
        finally:
            db.close()
        figures.append(frame.sort_values(["id", "team"], na_position="first").reset_index(drop=True))
    assert figures[0]["value"].notna().sum() > 100
    same_figures(*figures)


def test_progress_is_a_bar_on_a_terminal_and_silent_otherwise():
    import io
    from torbay_dash.ingest.summary import terminal_progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen, piped = Terminal(), io.StringIO()
    for stream in (screen, piped):
        show = terminal_progress(stream)
        show("reading ssd_contacts.csv", 0.5)
        show("done", 1.0)
    assert "\r[###############...............]  50%  reading ssd_contacts.csv" in screen.getvalue()
    assert screen.getvalue().endswith("\n") and "100%  done" in screen.getvalue()
    assert piped.getvalue() == ""


def test_the_fake_ssda903_return_ingests_from_the_command_line(tmp_path, capsys):
    """The DfE layout, detected; children looked after at 31 March 2018 from the published snapshot
    equal an independent count from episodes.csv; no UPN survives; the return's errors are listed."""
    import csv
    from test_ingest_ssda903 import FAKE, _independent_cla_count
    root = tmp_path / "data"
    code, out, err = run(["ingest", str(FAKE), "--as-at", "2018-03-31", "--data", str(root)], capsys)
    assert code == 0, err
    assert out.startswith("ssda903 extract from") and "published as snapshot 2018-03-31" in out
    assert "identifying columns dropped (never written): " in out and "header.csv: UPN" in out
    assert "episodes.csv: episode does not follow on from the previous one" not in out  # said by table, not file
    assert "episodes.csv: table ssd_cla_episodes, column RNE: episode does not follow on" in out
    code, metrics, err = run(["metrics", "--data", str(root), "--from", "2017-04-01", "--to", "2018-03-31",
                              "--ids", "cla_count,cla_visits_in_timescale_pct"], capsys)
    records = {r["id"]: r for r in json.loads(metrics)}
    assert records["cla_count"]["value"] == _independent_cla_count(dt.date(2018, 3, 31)) > 500
    assert "absent from this snapshot" in records["cla_visits_in_timescale_pct"]["unavailable"]  # no 903 visits
    with (FAKE / "header.csv").open(encoding="utf-8-sig", newline="") as handle:
        upns = [row["UPN"].encode() for row in csv.DictReader(handle) if row["UPN"].strip()]
    written = b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())
    assert upns and not any(upn in written for upn in upns)
