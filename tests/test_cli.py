"""The metrics CLI is a contract: its JSON shape, --by team, unavailable tables, guarded CSV and exit status 2."""
import csv
import io
import json
import re
import subprocess
import sys

import pytest

from snapshots import publish, small_service, write_tables
from torbay_dash.cli import main
from torbay_dash.export import neutralise
from torbay_dash.indicators import REGISTRY


def run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_shape_for_a_snapshot_folder(tmp_path, capsys):
    folder = write_tables(tmp_path / "snap", small_service())
    code, out, err = run(["metrics", "--data", str(folder), "--from", "2021-01-01", "--to", "2021-06-30"], capsys)
    assert code == 0, err
    records = json.loads(out)
    assert [r["id"] for r in records] == list(REGISTRY)
    for record in records:
        if "unavailable" in record:  # small_service has no contacts, S47, ICPC or CP tables
            assert record["value"] is None and record["unavailable"].startswith("needs table")
            assert set(record) == {"id", "from", "to", "numerator", "denominator", "value", "unavailable"}
        else:
            assert set(record) == {"id", "from", "to", "numerator", "denominator", "value"}
        assert (record["from"], record["to"]) == ("2021-01-01", "2021-06-30")
    by_id = {r["id"]: r for r in records}
    # small_service: referrals R1..R8 dated 2021-0{1+i%6}-1{i%9}: all eight fall in January to June
    assert by_id["referrals"] == {"id": "referrals", "from": "2021-01-01", "to": "2021-06-30",
                                  "numerator": 8, "denominator": None, "value": 8}
    assert by_id["cla_count"]["value"] == 5


def test_by_team(tmp_path, capsys):
    folder = write_tables(tmp_path / "snap", small_service())
    code, out, _ = run(["metrics", "--data", str(folder), "--from", "2021-01-01", "--to", "2021-06-30",
                        "--by", "team", "--ids", "cla_count"], capsys)
    records = json.loads(out)
    assert code == 0
    assert all(set(r) == {"id", "from", "to", "team", "numerator", "denominator", "value"} for r in records)
    # P1-P3 allocated to T_CFC, P4-P5 to T_ASSESS
    assert {r["team"]: r["value"] for r in records} == {"T_CFC": 3, "T_ASSESS": 2}


def test_absent_table_gives_unavailable(tmp_path, capsys):
    tables = {k: v for k, v in small_service().items() if k != "ssd_cin_assessments"}
    folder = write_tables(tmp_path / "snap", tables)
    code, out, _ = run(["metrics", "--data", str(folder), "--from", "2021-01-01", "--to", "2021-06-30",
                        "--ids", "assessments_45wd_pct,referrals"], capsys)
    assert code == 0
    first, second = json.loads(out)
    assert first["value"] is None and "ssd_cin_assessments" in first["unavailable"]
    assert "unavailable" not in second


def test_data_root_uses_the_latest_usable_snapshot(tmp_root, capsys):
    publish(tmp_root, "2021-06-30", small_service())
    later = write_tables(tmp_root / "snapshots" / "2021-07-31", small_service())
    for path in later.glob("*.parquet"):
        path.write_bytes(b"PAR1 broken")
    code, out, _ = run(["metrics", "--data", str(tmp_root), "--from", "2021-01-01", "--to", "2021-06-30",
                        "--ids", "referrals"], capsys)
    assert code == 0
    assert json.loads(out)[0]["value"] == 8


def test_a_quarantined_table_makes_its_indicators_unavailable_with_the_reason(tmp_root, capsys):
    publish(tmp_root, "2021-06-30", small_service())
    later = write_tables(tmp_root / "snapshots" / "2021-07-31", small_service())
    (later / "ssd_cin_episodes.parquet").write_bytes(b"PAR1 broken")
    code, out, _ = run(["metrics", "--data", str(tmp_root), "--from", "2021-01-01", "--to", "2021-06-30",
                        "--ids", "referrals,cla_count"], capsys)
    referrals, cla = json.loads(out)
    assert code == 0 and referrals["value"] is None
    assert "ssd_cin_episodes (quarantined: the file cannot be read as Parquet" in referrals["unavailable"]
    assert cla["value"] == 5   # from the tables still served


def test_csv_format(tmp_path, capsys):
    folder = write_tables(tmp_path / "snap", small_service())
    code, out, _ = run(["metrics", "--data", str(folder), "--from", "2021-01-01", "--to", "2021-06-30",
                        "--ids", "referrals", "--format", "csv"], capsys)
    assert code == 0
    assert out.splitlines() == ["id,from,to,numerator,denominator,value,unavailable",
                                "referrals,2021-01-01,2021-06-30,8,,8,"]


def test_monthly_series(tmp_path, capsys):
    folder = write_tables(tmp_path / "snap", small_service())
    code, out, _ = run(["metrics", "--data", str(folder), "--from", "2021-01-01", "--to", "2021-06-30",
                        "--ids", "referrals", "--series", "month"], capsys)
    records = json.loads(out)
    assert [r["from"] for r in records] == [f"2021-0{m}-01" for m in range(1, 7)]
    assert sum(r["value"] for r in records) == 8


@pytest.mark.parametrize("args, message", [
    (["--from", "2021-02-30", "--to", "2021-03-31"], "not a date"),
    (["--from", "2021-04-01", "--to", "2021-03-31"], "before"),
    (["--from", "01/04/2021", "--to", "2021-03-31"], "not a date"),
    (["--from", "2021-01-01", "--to", "2021-03-31", "--ids", "no_such"], "unknown indicator"),
    (["--from", "2021-01-01", "--to", "2021-03-31", "--format", "xml"], "invalid choice"),
    (["--to", "2021-03-31"], "required"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path, args, message):
    folder = write_tables(tmp_path / "snap", small_service())
    result = subprocess.run([sys.executable, "-m", "torbay_dash", "metrics", "--data", str(folder), *args],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("make_data", ["missing", "empty_root", "corrupt_folder"])
def test_unreadable_data_exits_2_naming_the_problem(tmp_path, make_data):
    if make_data == "missing":
        path = tmp_path / "nowhere"
    elif make_data == "empty_root":
        path = tmp_path / "root"
        (path / "snapshots").mkdir(parents=True)
    else:
        path = write_tables(tmp_path / "snap", small_service())
        for table in path.glob("*.parquet"):
            table.write_bytes(b"garbage")
    result = subprocess.run([sys.executable, "-m", "torbay_dash", "metrics", "--data", str(path),
                             "--from", "2021-01-01", "--to", "2021-03-31"], capture_output=True, text=True)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    if make_data == "corrupt_folder":
        assert "cannot be read as Parquet" in result.stderr and ".parquet" in result.stderr


def test_snapshots_command_lists_problems(tmp_root, capsys):
    publish(tmp_root, "2021-06-30", small_service())
    later = write_tables(tmp_root / "snapshots" / "2021-07-31", small_service())
    (later / "ssd_person.parquet").write_bytes(b"garbage")
    code, out, _ = run(["snapshots", "--data", str(tmp_root)], capsys)
    assert code == 0
    assert "2021-06-30  usable" in out
    assert "2021-07-31  usable      extract    6 tables served, 1 quarantined (ssd_person)" in out
    assert "error: ssd_person.parquet: table ssd_person: the file cannot be read as Parquet" in out


def test_first_run_builds_the_demo_data_into_the_project_root(tmp_path, monkeypatch, capsys):
    import functools

    import torbay_dash.store
    import torbay_dash.synth
    monkeypatch.delenv("TORBAY_DASH_DATA", raising=False)
    monkeypatch.setattr(torbay_dash.store, "REPO_DATA_ROOT", tmp_path)
    monkeypatch.setattr(torbay_dash.synth, "generate",
                        functools.partial(torbay_dash.synth.generate, scale=0.05, snapshots="latest"))
    code, out, err = run(["metrics", "--from", "2020-08-01", "--to", "2021-07-31", "--ids", "cla_count"], capsys)
    assert code == 0, err
    assert "published" in err  # progress goes to stderr, the JSON to stdout
    assert json.loads(out)[0]["value"] > 0


def test_an_explicit_empty_root_is_not_filled_with_demo_data(tmp_root, capsys):
    code, _, err = run(["metrics", "--data", str(tmp_root), "--from", "2020-08-01", "--to", "2021-07-31"], capsys)
    assert code == 2 and "python -m torbay_dash demo" in err
    assert not (tmp_root / "snapshots").exists()


def with_team(team_id: str) -> dict:
    """small_service with every child allocated to one team whose id and name are `team_id`."""
    tables = small_service()
    tables["ssd_department"] = [{"dept_team_id": team_id, "dept_team_name": team_id}]
    for involvement in tables["ssd_involvements"]:
        involvement["invo_professional_team"] = team_id
    return tables


@pytest.mark.parametrize("team_id", ["=cmd|' /C calc'!A0", "@SUM(1+1)", "T\r=HYPERLINK(\"x\")"])
def test_csv_format_cannot_run_a_team_name_as_a_formula(tmp_path, capsys, team_id):
    """A hostile team in the extract reaches --format csv through the same guard as the app's downloads."""
    folder = write_tables(tmp_path / "snap", with_team(team_id))
    code, out, err = run(["metrics", "--data", str(folder), "--from", "2021-01-01", "--to", "2021-06-30",
                          "--by", "team", "--ids", "cla_count", "--format", "csv"], capsys)
    assert code == 0, err
    assert not out.startswith("\ufeff")  # stdout is plain CSV, no byte-order mark
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [(r["team"], r["value"]) for r in rows] == [(neutralise(team_id), "5")]
    assert rows[0]["team"] != team_id  # the guard did change it
    assert [line for line in re.split(r"\r\n|\r|\n", out) if re.match(r'^"?[=+\-@\t]', line)] == []


def test_a_period_ending_after_the_snapshot_is_refused(tmp_root, capsys):
    """Figures after the as-at date are not known: a --to beyond it would read as a real zero or a partial count."""
    publish(tmp_root, "2021-06-30", small_service())
    code, out, err = run(["metrics", "--data", str(tmp_root), "--from", "2021-01-01", "--to", "2021-07-31",
                          "--ids", "referrals"], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "--to 2021-07-31" in err and "as-at date 2021-06-30" in err
