"""Helpers that write small hand-built snapshots for tests."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from torbay_dash.frames import contract_frame
from torbay_dash.store import Store


def write_tables(folder: Path, tables: dict[str, list[dict]]) -> Path:
    """Write contract tables as Parquet straight into a folder (no validation, no manifest)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        contract_frame(name, rows).to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def publish(root: Path, as_at: str, tables: dict[str, list[dict]], **manifest):
    """Publish a snapshot through the store, as ingest and the demo generator do."""
    frames = {name: contract_frame(name, rows) for name, rows in tables.items()}
    return Store(root).publish(dt.date.fromisoformat(as_at), frames, {"source": "test fixture", **manifest})


TEAMS = [
    {"dept_team_id": "T_MASH", "dept_team_name": "MASH", "dept_team_parent_id": "S_FD",
     "dept_team_parent_name": "Front door"},
    {"dept_team_id": "T_ASSESS", "dept_team_name": "Assessment team", "dept_team_parent_id": "S_FD",
     "dept_team_parent_name": "Front door"},
    {"dept_team_id": "T_CFC", "dept_team_name": "Cared-for children 1", "dept_team_parent_id": "S_CFC",
     "dept_team_parent_name": "Cared-for children"},
]


def small_service() -> dict[str, list[dict]]:
    """A few children across three teams: enough for every page to draw something."""
    return {
        "ssd_department": TEAMS,
        "ssd_person": [{"pers_person_id": f"P{i}", "pers_sex": "F" if i % 2 else "M",
                        "pers_dob": f"{2008 + i % 9}-03-0{1 + i % 8}"} for i in range(1, 9)],
        "ssd_cin_episodes": [
            {"cine_referral_id": f"R{i}", "cine_person_id": f"P{i}", "cine_referral_date": f"2021-0{1 + i % 6}-1{i % 9}",
             "cine_referral_team": "T_MASH" if i % 3 else "T_ASSESS"} for i in range(1, 9)],
        "ssd_cin_assessments": [
            {"cina_assessment_id": f"A{i}", "cina_person_id": f"P{i}", "cina_referral_id": f"R{i}",
             "cina_assessment_start_date": f"2021-0{1 + i % 5}-01", "cina_assessment_auth_date": f"2021-0{2 + i % 5}-2{i % 8}",
             "cina_assessment_team": "T_ASSESS"} for i in range(1, 9)],
        "ssd_cla_episodes": [
            {"clae_cla_episode_id": f"E{i}", "clae_person_id": f"P{i}", "clae_cla_id": f"C{i}",
             "clae_cla_episode_start_date": f"2020-0{i}-15", "clae_entered_care_date": f"2020-0{i}-15"}
            for i in range(1, 6)],
        "ssd_legal_status": [
            {"lega_legal_status_id": f"L{i}", "lega_person_id": f"P{i}", "lega_legal_status": "C2",
             "lega_legal_status_start_date": f"2020-0{i}-15"} for i in range(1, 6)],
        "ssd_involvements": [
            {"invo_involvements_id": str(i), "invo_person_id": f"P{i}", "invo_professional_role_id": "ALLOCATED_SW",
             "invo_professional_team": "T_CFC" if i < 4 else "T_ASSESS", "invo_professional_id": f"W{i % 3}",
             "invo_involvement_start_date": f"2020-0{i}-15"} for i in range(1, 6)],
    }


def evaluate(folder: Path, tables: dict[str, list[dict]], indicator_id: str, start: str, end: str,
             by_team: bool = False):
    """Compute one indicator for one period on hand-built tables; returns the tidy frame."""
    from torbay_dash.compute import compute
    from torbay_dash.db import SnapshotDB
    from torbay_dash.indicators import REGISTRY
    from torbay_dash.periods import Period
    from torbay_dash.settings import load_settings
    from torbay_dash.store import load_snapshot

    write_tables(folder, tables)
    snapshot = load_snapshot(folder, cache=False)
    assert snapshot.usable, snapshot.report.problems
    db = SnapshotDB(snapshot)
    period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    return compute(db, REGISTRY[indicator_id], [period], load_settings(), by_team=by_team)


def figures(frame) -> tuple:
    """(numerator, denominator, value) of a one-row frame, None for nulls."""
    import pandas as pd
    row = frame.iloc[0]
    return tuple(None if pd.isna(row[c]) else row[c] for c in ("numerator", "denominator", "value"))


def by_team_figures(frame) -> dict:
    import pandas as pd
    return {r.team: (r.numerator, None if pd.isna(r.denominator) else r.denominator) for r in frame.itertuples()}


def generated_snapshot(tables: dict[str, list[dict]], folder: Path):
    """Write generated tables as a snapshot under `folder`; (tables, SnapshotDB) once usable.

    Dated after every generated date. The generated tables are messy on purpose, with more
    bad rows (an end before its start, a missing key date) than validation allows a real
    extract before it quarantines the table; differential tests are about how the SQL treats
    those rows, so here they are let through as warnings (tests/test_validation.py checks the
    quarantine itself).
    """
    from torbay_dash.db import SnapshotDB
    from torbay_dash.store import load_snapshot

    snapshot = load_snapshot(write_tables(folder / "2024-12-31", tables), cache=False)
    for problem in snapshot.report.problems:
        if problem.severity == "error" and 0 < problem.n_rows:
            problem.severity = "warning"
    assert snapshot.usable, snapshot.report.problems
    return tables, SnapshotDB(snapshot)
