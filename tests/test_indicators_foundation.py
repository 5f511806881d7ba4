"""referrals, assessments_45wd_pct and cla_count against hand-built rows.

Each fixture row says in its comment what the indicator must do with it.
"""
import datetime as dt

import pandas as pd
import pytest

from snapshots import by_team_figures, evaluate, figures, write_tables
from torbay_dash.compute import Scope, compute, unit_rows
from torbay_dash.db import SnapshotDB
from torbay_dash.indicators import REGISTRY
from torbay_dash.periods import Period
from torbay_dash.settings import load_settings
from torbay_dash.store import load_snapshot

FROM, TO = "2021-04-01", "2022-03-31"


def referral(rid, person, date, team="T1", **extra):
    return {"cine_referral_id": rid, "cine_person_id": person, "cine_referral_date": date,
            "cine_referral_team": team, **extra}


def test_referrals(tmp_path):
    rows = [
        referral("R1", "P1", "2021-03-31"),                        # the day before the period: out
        referral("R2", "P1", "2021-04-01"),                        # first day of the period: in
        referral("R3", "P1", "2022-04-01"),                        # the day after the period: out
        referral("R4", "P2", "2022-03-31", team="T2"),             # last day of the period: in (T2)
        referral("R5", "P3", "2021-09-10", cine_referral_nfa="Y"), # NFA is still a referral: in
        referral("R6", "P4", None),                                # no referral date: out
        referral("R7", "P5", "2021-07-01", team=None),             # no team: in, UNALLOCATED by team
        referral("R8", "P6", "2021-08-01", cine_close_date="2021-07-01"),  # closed before it began: bad row, out
    ]
    tables = {"ssd_cin_episodes": rows}
    assert figures(evaluate(tmp_path / "a", tables, "referrals", FROM, TO)) == (4, None, 4)
    teams = by_team_figures(evaluate(tmp_path / "b", tables, "referrals", FROM, TO, by_team=True))
    assert teams == {"T1": (2, None), "T2": (1, None), "UNALLOCATED": (1, None)}


def assessment(aid, start, auth, team="T1"):
    return {"cina_assessment_id": aid, "cina_person_id": "P" + aid, "cina_assessment_start_date": start,
            "cina_assessment_auth_date": auth, "cina_assessment_team": team}


def test_assessments_within_45_working_days_across_christmas(tmp_path):
    rows = [
        # Nov 2024 has 21 working days, Dec 2024 20 (25th, 26th out), 2-6 Jan 2025 3 (1st out)
        assessment("A1", "2024-10-30", "2025-01-06"),           # 1 (Oct 31) + 21 + 20 + 3 = 45 wd: within
        assessment("A2", "2024-10-29", "2025-01-06"),           # 46 wd: outside
        assessment("A3", "2024-12-20", "2025-01-02", "T2"),     # 6 wd: within (T2)
        assessment("A4", "2025-01-03", "2025-01-03", "T2"),     # same day, 0 wd: within (T2)
        assessment("A5", "2024-11-01", "2024-12-31"),           # authorised before the period: out
        assessment("A6", None, "2025-01-10"),                   # no start date: left out
        assessment("A7", "2025-01-15", "2025-01-10"),           # authorised before it started: bad row, out
    ]
    tables = {"ssd_cin_assessments": rows}
    got = figures(evaluate(tmp_path / "a", tables, "assessments_45wd_pct", "2025-01-01", "2025-01-31"))
    assert got == (3, 4, 75.0)
    teams = by_team_figures(evaluate(tmp_path / "b", tables, "assessments_45wd_pct", "2025-01-01", "2025-01-31",
                                     by_team=True))
    assert teams == {"T1": (1, 2), "T2": (2, 2)}


def test_assessments_with_none_in_period_have_no_value(tmp_path):
    tables = {"ssd_cin_assessments": [assessment("A1", "2024-10-30", "2025-01-06")]}
    assert figures(evaluate(tmp_path, tables, "assessments_45wd_pct", "2025-02-01", "2025-02-28")) == (0, 0, None)


def episode(eid, person, start, ceased=None, cla="C"):
    return {"clae_cla_episode_id": eid, "clae_person_id": person, "clae_cla_id": cla + person,
            "clae_cla_episode_start_date": start, "clae_cla_episode_ceased_date": ceased,
            "clae_entered_care_date": start}


def legal(lid, person, status, start, end=None):
    return {"lega_legal_status_id": lid, "lega_person_id": person, "lega_legal_status": status,
            "lega_legal_status_start_date": start, "lega_legal_status_end_date": end}


def allocation(iid, person, team, start, end=None):
    return {"invo_involvements_id": iid, "invo_person_id": person, "invo_professional_role_id": "ALLOCATED_SW",
            "invo_professional_team": team, "invo_involvement_start_date": start, "invo_involvement_end_date": end}


CLA_TABLES = {
    "ssd_cla_episodes": [
        episode("E1", "P1", "2014-05-01"),                          # in care since 2014, open: counted
        episode("E2", "P2", "2021-01-01", ceased="2021-03-31"),     # ceases on `to`: not open at `to`
        episode("E3", "P3", "2020-06-01", ceased="2021-04-01"),     # ceases the day after `to`: counted
        episode("E4", "P4", "2021-02-01"),                          # short breaks (V3 open at `to`): not looked after
        episode("E5", "P5", "2021-03-31"),                          # starts on `to`: counted
        episode("E6a", "P6", "2020-01-01"),                         # P6 has two overlapping open episodes
        episode("E6b", "P6", "2020-06-01", cla="D"),                #   (a recording error): counted once
        episode("E7", "P7", "2021-04-01"),                          # starts after `to`: out
        episode("E8", "P8", "2019-01-01"),                          # was V4 until 2020, now C2: counted
        episode("E9", "P9", "2020-09-01"),                          # C2 then V4 from March: short breaks at `to`, out
        episode("E10", "P10", "2020-09-01"),                        # V4 ended, then C2 since 2021-03-31: counted
    ],
    "ssd_legal_status": [
        legal("L1", "P1", "C2", "2014-05-01"),
        legal("L4", "P4", "V3", "2021-02-01"),
        legal("L8a", "P8", "V4", "2019-01-01", "2020-01-01"),
        legal("L8b", "P8", "C2", "2020-01-01"),
        legal("L9a", "P9", "C2", "2020-09-01", "2021-03-01"),
        legal("L9b", "P9", "V4", "2021-03-01"),
        legal("L10a", "P10", "V4", "2020-09-01", "2021-03-31"),
        legal("L10b", "P10", "C2", "2021-03-31"),
    ],
    "ssd_involvements": [
        allocation("11", "P1", "T1", "2020-01-01"),
        allocation("12", "P1", "T2", "2021-02-01"),                 # P1 moved team: the latest start wins -> T2
        allocation("13", "P3", "T1", "2020-06-01", "2021-03-31"),   # ended on `to`: not open -> UNALLOCATED
        allocation("10", "P5", "T3", "2021-03-31"),                 # tie on start date: the larger id wins,
        allocation("9", "P5", "T1", "2021-03-31"),                  #   as a number (10 > 9, though "9" > "10" as text) -> T3
        allocation("8", "P6", "T3", "2020-01-01"),
        {**allocation("15", "P8", "T1", "2019-01-01"), "invo_professional_role_id": "CP_CHAIR"},  # not the allocated worker
    ],
}


def test_cla_count(tmp_path):
    # P1, P3, P5, P6, P8, P10
    assert figures(evaluate(tmp_path / "a", CLA_TABLES, "cla_count", "2021-01-01", "2021-03-31")) == (6, None, 6)


def test_cla_count_by_allocated_team_at_period_end(tmp_path):
    teams = by_team_figures(evaluate(tmp_path, CLA_TABLES, "cla_count", "2021-01-01", "2021-03-31", by_team=True))
    assert teams == {"T2": (1, None),           # P1
                     "T3": (2, None),           # P5 (tie, larger id), P6
                     "UNALLOCATED": (3, None)}  # P3 (allocation ended on `to`), P8 (no ALLOCATED_SW), P10


def test_cla_count_on_a_leap_day(tmp_path):
    tables = {"ssd_cla_episodes": [episode("E1", "P1", "2020-02-29"),                  # starts on the leap day: in
                                   episode("E2", "P2", "2019-01-01", "2020-02-29")],   # ends on it: out
              "ssd_legal_status": []}
    assert figures(evaluate(tmp_path, tables, "cla_count", "2020-02-01", "2020-02-29")) == (1, None, 1)


def test_by_team_needs_involvements(tmp_path):
    tables = {k: v for k, v in CLA_TABLES.items() if k != "ssd_involvements"}
    frame = evaluate(tmp_path, tables, "cla_count", "2021-01-01", "2021-03-31", by_team=True)
    assert "ssd_involvements" in frame.iloc[0]["unavailable"]


def test_absent_table_is_unavailable_not_zero(tmp_path):
    frame = evaluate(tmp_path, {"ssd_cin_episodes": []}, "cla_count", "2021-01-01", "2021-03-31")
    row = frame.iloc[0]
    assert row["value"] is None or row["value"] != row["value"]
    assert "ssd_cla_episodes" in row["unavailable"]


@pytest.mark.parametrize("indicator_id, expected", [
    ("referrals", (0, None, 0)),             # a count of nothing is 0
    ("assessments_45wd_pct", (0, 0, None)),  # a percentage of nothing has no value, not 0%
    ("cla_count", (0, None, 0)),
])
def test_empty_tables(tmp_path, indicator_id, expected):
    tables = {t: [] for t in REGISTRY[indicator_id].tables}
    assert figures(evaluate(tmp_path, tables, indicator_id, FROM, TO)) == expected


def test_rows_the_contract_calls_bad_are_left_out(tmp_path):
    rows = [referral(f"R{i}", f"P{i}", "2021-06-01") for i in range(300)]
    folder = write_tables(tmp_path / "2021-07-31", {"ssd_cin_episodes": rows})
    frame = pd.read_parquet(folder / "ssd_cin_episodes.parquet")
    frame["cine_close_date"] = frame["cine_close_date"].astype("string")
    frame.loc[0, "cine_close_date"] = "unknown"   # R0: unreadable close date: left out (it must not look open)
    frame.loc[1, "cine_referral_id"] = "R2"       # the second R2 repeats an id: the first row in the file counts
    frame.to_parquet(folder / "ssd_cin_episodes.parquet")
    snapshot = load_snapshot(folder, cache=False)
    assert snapshot.usable and len(snapshot.report.warnings) == 2
    frame = compute(SnapshotDB(snapshot), REGISTRY["referrals"], [Period(dt.date(2021, 4, 1), dt.date(2022, 3, 31))],
                    load_settings())
    assert figures(frame) == (298, None, 298)


def test_assessment_dated_outside_the_calendar_is_left_out(tmp_path):
    tables = {"ssd_cin_assessments": [
        assessment("A1", "1899-12-01", "2025-01-06"),  # a placeholder start before 1900: no working days: out
        assessment("A2", "2024-12-20", "2025-01-02"),  # 6 wd: within
    ]}
    assert figures(evaluate(tmp_path, tables, "assessments_45wd_pct", "2025-01-01", "2025-01-31")) == (1, 1, 100.0)


def test_unit_rows_list_the_children_behind_the_number(tmp_path):
    folder = write_tables(tmp_path / "2021-07-31", CLA_TABLES)
    db = SnapshotDB(load_snapshot(folder, cache=False))
    rows = unit_rows(db, REGISTRY["cla_count"], [Period(dt.date(2021, 1, 1), dt.date(2021, 3, 31))], load_settings())
    assert sorted(rows["person_id"]) == ["P1", "P10", "P3", "P5", "P6", "P8"]
    assert dict(zip(rows["person_id"], rows["team"]))["P5"] == "T3"
    scoped = unit_rows(db, REGISTRY["cla_count"], [Period(dt.date(2021, 1, 1), dt.date(2021, 3, 31))],
                       load_settings(), Scope(("T3",)))
    assert sorted(scoped["person_id"]) == ["P5", "P6"]  # a team manager sees their own children only
