"""The safeguarding indicators against hand-built rows.

Each fixture row says in its comment what the indicator must do with it. Working days
exclude weekends and England and Wales bank holidays (2021: Good Friday 2 April, Easter
Monday 5 April, early May 3 May, spring 31 May); the first day is day 0.
"""
import dataclasses
import datetime as dt
import re

import pandas as pd
import pytest

from conftest import ROOT, SHARED
from snapshots import by_team_figures, evaluate, figures, write_tables
from torbay_dash.compute import compute, unit_rows
from torbay_dash.db import SnapshotDB
from torbay_dash.indicators import REGISTRY
from torbay_dash.periods import Period
from torbay_dash.settings import load_settings
from torbay_dash.store import load_snapshot

POPULATION_2021 = 25450.0  # data/local_authority.toml, the year containing the period end


def allocation(iid, person, team, start, end=None):
    return {"invo_involvements_id": iid, "invo_person_id": person, "invo_professional_role_id": "ALLOCATED_SW",
            "invo_professional_team": team, "invo_involvement_start_date": start, "invo_involvement_end_date": end}


def with_standard(name, value):
    settings = load_settings()
    return dataclasses.replace(settings, standards={**settings.standards, name: value})


def compute_with(folder, tables, indicator_id, start, end, settings, by_team=False):
    write_tables(folder, tables)
    db = SnapshotDB(load_snapshot(folder, cache=False))
    period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    return compute(db, REGISTRY[indicator_id], [period], settings, by_team=by_team)


def rows_of(folder, tables, indicator_id, start, end):
    write_tables(folder, tables)
    db = SnapshotDB(load_snapshot(folder, cache=False))
    period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    return unit_rows(db, REGISTRY[indicator_id], [period], load_settings())


# --- the registry -------------------------------------------------------------------------

SAFEGUARDING_IDS = ["contacts", "contacts_completed_1wd_pct", "referrals", "rereferrals_12m_pct",
                    "assessments_45wd_pct", "s47_enquiries", "icpc_15wd_pct", "cin_rate_per_10k",
                    "cp_plans_open", "cp_rate_per_10k", "cp_second_subsequent_pct", "cp_plans_2yrs_plus_pct",
                    "cp_visits_in_timescale_pct", "cp_reviews_on_time_pct", "cse_identified",
                    "pre_proceedings_16wk_pct"]


def test_every_safeguarding_indicator_is_registered_in_the_handbooks_order():
    assert [i for i, ind in REGISTRY.items() if ind.area == "safeguarding"] == SAFEGUARDING_IDS
    spec = SHARED / "spec" / "INDICATORS.md"
    if spec.is_file():
        section = spec.read_text().split("## Safeguarding")[1].split("\n## ")[0]
        assert re.findall(r"^\|\s*`(\w+)`", section, flags=re.M) == SAFEGUARDING_IDS


@pytest.mark.parametrize("indicator_id", SAFEGUARDING_IDS)
def test_entries_are_complete(indicator_id):
    ind = REGISTRY[indicator_id]
    assert ind.title and ind.definition and ind.team_rule and ind.numerator_label and ind.tables
    assert (ind.denominator_label != "") == (ind.unit == "percent")
    settings = load_settings()
    for name in ind.params:
        assert name in settings.standards
        assert f"${name}" in (ROOT / "torbay_dash" / "sql" / f"{ind.sql_name}.sql").read_text()


# --- contacts -----------------------------------------------------------------------------

def contact(cid, date, completed=None, team="T1", person=None):
    return {"cont_contact_id": cid, "cont_person_id": person or "P" + cid, "cont_contact_date": date,
            "cont_contact_completed_date": completed, "cont_contact_team": team}


def test_contacts(tmp_path):
    tables = {"ssd_contacts": [
        contact("C1", "2021-03-31"),                          # the day before the period: out
        contact("C2", "2021-04-01"),                          # first day: in (T1)
        contact("C3", "2021-04-30", team="T2"),               # last day: in (T2)
        contact("C4", "2021-05-01"),                          # the day after: out
        contact("C5", None),                                  # no contact date: out
        contact("C6", "2021-04-10", team=None),               # no team: in, UNALLOCATED by team
        contact("C7", "2021-04-12", completed="2021-04-09"),  # completed before it was made: bad row, out
    ]}
    assert figures(evaluate(tmp_path / "a", tables, "contacts", "2021-04-01", "2021-04-30")) == (3, None, 3)
    teams = by_team_figures(evaluate(tmp_path / "b", tables, "contacts", "2021-04-01", "2021-04-30", by_team=True))
    assert teams == {"T1": (1, None), "T2": (1, None), "UNALLOCATED": (1, None)}


CONTACT_TABLES = {"ssd_contacts": [
    contact("K1", "2021-04-01", "2021-04-06"),             # Thu -> Tue over Easter (2 and 5 April out): 1 wd, in time
    contact("K2", "2021-04-01", "2021-04-07"),             # 2 wd: late
    contact("K3", "2021-04-09", "2021-04-12"),             # Fri -> Mon: 1 wd, in time
    contact("K4", "2021-04-10", "2021-04-12"),             # made on a Saturday, decided Monday: 1 wd, in time
    contact("K5", "2021-04-10", "2021-04-13"),             # Saturday -> Tuesday: 2 wd, late
    contact("K6", "2021-04-14", "2021-04-14"),             # the same day: 0 wd, in time
    contact("K7", "2021-04-15", None),                     # no decision recorded: counted, not in time
    contact("K8", "2021-04-16", "2021-04-15"),             # decided before it was made: bad row, out
    contact("K9", "2021-03-31", "2021-04-01"),             # made before the period: out
    contact("K10", "2021-04-30", "2021-05-04", team="T2"), # Fri -> Tue over the May bank holiday: 1 wd, in time (T2)
]}


def test_contacts_completed_within_one_working_day(tmp_path):
    got = figures(evaluate(tmp_path / "a", CONTACT_TABLES, "contacts_completed_1wd_pct", "2021-04-01", "2021-04-30"))
    assert got == (5, 8, 62.5)  # K1, K3, K4, K6, K10 of K1-K7 and K10
    teams = by_team_figures(evaluate(tmp_path / "b", CONTACT_TABLES, "contacts_completed_1wd_pct",
                                     "2021-04-01", "2021-04-30", by_team=True))
    assert teams == {"T1": (4, 7), "T2": (1, 1)}


def test_contacts_completed_follows_the_local_standard(tmp_path):
    frame = compute_with(tmp_path, CONTACT_TABLES, "contacts_completed_1wd_pct", "2021-04-01", "2021-04-30",
                         with_standard("contact_decision_working_days", 2))
    assert figures(frame) == (7, 8, 87.5)  # with 2 working days, K2 and K5 are in time too


# --- re-referrals -------------------------------------------------------------------------

def referral(rid, person, date, team="T1", **extra):
    return {"cine_referral_id": rid, "cine_person_id": person, "cine_referral_date": date,
            "cine_referral_team": team, **extra}


REREFERRAL_TABLES = {"ssd_cin_episodes": [
    referral("RA1", "PA", "2019-02-28"),
    referral("RA2", "PA", "2020-02-29"),                   # leap day: 12 months before is 2019-02-28 -> re-referral
    referral("RB1", "PB", "2019-02-27"),
    referral("RB2", "PB", "2020-02-28"),                   # RB1 is 12 months and 1 day before: not a re-referral
    referral("RC1", "PC", "2019-02-10"),
    referral("RC2", "PC", "2020-02-10"),                   # exactly 12 months before: re-referral
    referral("RD1", "PD", "2020-02-12"),                   # two referrals of one child on one day:
    referral("RD2", "PD", "2020-02-12", team="T2"),        #   neither is a re-referral (T2 for RD2)
    referral("RE1", "PE", "2020-01-15", cine_referral_nfa="Y"),
    referral("RE2", "PE", "2020-02-03", team="T2"),        # an earlier NFA referral counts: re-referral (T2)
    referral("RF1", "PF", "2020-02-05"),                   # first of two in the period: not
    referral("RF2", "PF", "2020-02-20"),                   # the second: re-referral
    referral("RG1", "PG", "2019-06-01", cine_close_date="2019-05-01"),  # closed before it began: bad row, left out
    referral("RG2", "PG", "2020-02-07"),                   # so not a re-referral
    referral("RN1", None, "2020-01-01"),
    referral("RN2", None, "2020-02-15"),                   # no child id: in the denominator, never a re-referral
    referral("RH1", "PH", "2020-03-01"),                   # a later referral does not count:
    referral("RH2", "PH", "2020-02-25"),                   #   RH2 is not a re-referral
]}


def test_rereferrals_within_12_months(tmp_path):
    got = figures(evaluate(tmp_path / "a", REREFERRAL_TABLES, "rereferrals_12m_pct", "2020-02-01", "2020-02-29"))
    assert got[:2] == (4, 11)  # RA2, RC2, RE2, RF2 of 11 referrals in February 2020
    assert got[2] == pytest.approx(400 / 11)
    teams = by_team_figures(evaluate(tmp_path / "b", REREFERRAL_TABLES, "rereferrals_12m_pct",
                                     "2020-02-01", "2020-02-29", by_team=True))
    assert teams == {"T1": (3, 9), "T2": (1, 2)}


def test_rereferral_drill_down_shows_the_earlier_referral(tmp_path):
    rows = rows_of(tmp_path, REREFERRAL_TABLES, "rereferrals_12m_pct", "2020-02-01", "2020-02-29")
    row = rows.set_index("unit_id").loc["RA2"]
    assert row["previous_referral_id"] == "RA1" and str(row["previous_referral_date"])[:10] == "2019-02-28"


# --- S47 enquiries ------------------------------------------------------------------------

def s47(sid, start, end=None, team="T1", person=None):
    return {"s47e_s47_enquiry_id": sid, "s47e_person_id": person or "P" + sid, "s47e_s47_start_date": start,
            "s47e_s47_end_date": end, "s47e_s47_completed_by_team": team}


def test_s47_enquiries(tmp_path):
    tables = {"ssd_s47_enquiry": [
        s47("S1", "2021-03-31"),                    # the day before: out
        s47("S2", "2021-04-01"),                    # first day: in (T1)
        s47("S3", "2021-06-30", team="T2"),         # last day: in (T2)
        s47("S4", "2021-07-01"),                    # the day after: out
        s47("S5", None),                            # no start date: out
        s47("S6", "2021-05-10", "2021-05-01"),      # ended before it started: bad row, out
        s47("S7", "2021-05-10", team=None),         # no team: in, UNALLOCATED
    ]}
    assert figures(evaluate(tmp_path / "a", tables, "s47_enquiries", "2021-04-01", "2021-06-30")) == (3, None, 3)
    teams = by_team_figures(evaluate(tmp_path / "b", tables, "s47_enquiries", "2021-04-01", "2021-06-30",
                                     by_team=True))
    assert teams == {"T1": (1, None), "T2": (1, None), "UNALLOCATED": (1, None)}


# --- ICPCs --------------------------------------------------------------------------------

def icpc(iid, s47_id, date, transfer_in="N", team="T1"):
    return {"icpc_icpc_id": iid, "icpc_s47_enquiry_id": s47_id, "icpc_person_id": "P" + iid,
            "icpc_icpc_date": date, "icpc_icpc_transfer_in": transfer_in, "icpc_icpc_team": team}


ICPC_TABLES = {
    "ssd_s47_enquiry": [
        s47("SA", "2021-04-29"), s47("SB", "2021-04-29"), s47("SC", "2021-05-20"), s47("SD", "2021-05-03"),
        s47("SE", "2021-05-20"), s47("SF", None), s47("SG", "2021-05-10"), s47("SH", "2021-05-20"),
        s47("SI", "2021-05-05", "2021-05-01"),     # ended before it started: bad row, as if missing
    ],
    "ssd_initial_cp_conference": [
        icpc("I1", "SA", "2021-05-21"),            # Thu 29 Apr -> Fri 21 May over the May bank holiday: 15 wd, in time
        icpc("I2", "SB", "2021-05-24"),            # 16 wd: late
        icpc("I3", "SC", "2021-05-25", "Y"),       # transfer-in: left out
        icpc("I4", "SD", "2021-05-04", None),      # transfer-in not recorded: counted; from a bank holiday, 1 wd: in time
        icpc("I5", "SE", "2021-05-19"),            # the conference before its S47 began: left out
        icpc("I6", "S_MISSING", "2021-05-12"),     # its S47 is not in the table: left out
        icpc("I7", None, "2021-05-12"),            # no S47 linked: left out
        icpc("I8", "SF", "2021-05-12"),            # its S47 has no start date: left out
        icpc("I9", "SG", "2021-05-10", team="T2"), # on the S47's own day: 0 wd, in time (T2)
        icpc("I10", "SH", "2021-06-01"),           # held after the period: out
        icpc("I11", "SI", "2021-05-12"),           # its S47 is a bad row: left out
        icpc("I12", "SA", None),                   # no conference date: out
    ],
}


def test_icpc_within_15_working_days(tmp_path):
    got = figures(evaluate(tmp_path / "a", ICPC_TABLES, "icpc_15wd_pct", "2021-05-01", "2021-05-31"))
    assert got == (3, 4, 75.0)  # I1, I4, I9 of I1, I2, I4, I9
    teams = by_team_figures(evaluate(tmp_path / "b", ICPC_TABLES, "icpc_15wd_pct", "2021-05-01", "2021-05-31",
                                     by_team=True))
    assert teams == {"T1": (2, 3), "T2": (1, 1)}


def test_icpc_drill_down_lists_the_late_child(tmp_path):
    rows = rows_of(tmp_path, ICPC_TABLES, "icpc_15wd_pct", "2021-05-01", "2021-05-31").set_index("unit_id")
    assert sorted(rows.index) == ["I1", "I2", "I4", "I9"]
    assert rows.loc["I2", "working_days"] == 16 and not rows.loc["I2", "in_timescale"]
    assert rows.loc["I2", "person_id"] == "PI2"
    assert rows.loc["I1", "working_days"] == 15 and rows.loc["I1", "in_timescale"]


def test_icpc_needs_the_s47_table(tmp_path):
    tables = {"ssd_initial_cp_conference": ICPC_TABLES["ssd_initial_cp_conference"]}
    frame = evaluate(tmp_path, tables, "icpc_15wd_pct", "2021-05-01", "2021-05-31")
    assert "ssd_s47_enquiry" in frame.iloc[0]["unavailable"]


# --- children in need ---------------------------------------------------------------------

CIN_TABLES = {
    "ssd_cin_episodes": [
        referral("R1", "P1", "2020-06-01", cine_referral_nfa="N"),                   # open: counted (T1)
        referral("R2", "P2", "2020-06-01", cine_close_date="2021-03-31"),            # closes on `to`: not open
        referral("R3", "P3", "2020-06-01", cine_close_date="2021-04-01"),            # closes the day after: counted
        referral("R4", "P4", "2021-03-31"),                                          # starts on `to`, NFA not recorded: counted
        referral("R5", "P5", "2021-03-01", cine_referral_nfa="Y"),                   # NFA: not a child in need
        referral("R6a", "P6", "2020-01-01"),                                         # two open referrals:
        referral("R6b", "P6", "2020-09-01"),                                         #   one child
        referral("R7", "P7", "2021-04-01"),                                          # starts after `to`: out
        referral("R8a", "P8", "2021-02-01", cine_referral_nfa="Y"),                  # an NFA referral and
        referral("R8b", "P8", "2020-12-01", cine_referral_nfa="N"),                  #   a CIN one: counted once
        referral("R9", None, "2020-12-01"),                                          # no child id: left out
        referral("R10", "P10", "2021-02-01", cine_close_date="2021-01-01"),          # closed before it began: bad row
    ],
    "ssd_involvements": [
        allocation("1", "P1", "T1", "2020-06-01"),
        allocation("2", "P3", "T1", "2020-06-01", "2021-02-01"),   # P3 moved team on 1 February:
        allocation("3", "P3", "T2", "2021-02-01"),                 #   T2 at `to`
        allocation("4", "P6", "T1", "2020-01-01"),
        allocation("5", "P8", "T2", "2020-12-01"),
    ],
}


def test_children_in_need_rate(tmp_path):
    got = figures(evaluate(tmp_path / "a", CIN_TABLES, "cin_rate_per_10k", "2021-01-01", "2021-03-31"))
    assert got[:2] == (5, POPULATION_2021)  # P1, P3, P4, P6, P8
    assert got[2] == pytest.approx(5 / POPULATION_2021 * 10000)
    teams = by_team_figures(evaluate(tmp_path / "b", CIN_TABLES, "cin_rate_per_10k", "2021-01-01", "2021-03-31",
                                     by_team=True))
    assert teams == {"T1": (2, POPULATION_2021), "T2": (2, POPULATION_2021), "UNALLOCATED": (1, POPULATION_2021)}


# --- child protection plans at the period end ---------------------------------------------

def plan(pid, person, start, end=None):
    return {"cppl_cp_plan_id": pid, "cppl_person_id": person, "cppl_cp_plan_start_date": start,
            "cppl_cp_plan_end_date": end, "cppl_cp_plan_latest_category": "NEG"}


CP_TABLES = {
    "ssd_cp_plans": [
        plan("CP1", "P1", "2019-03-31"),                 # open; started exactly 24 months before `to`: 2 years +
        plan("CP2", "P2", "2019-04-01"),                 # open; 24 months less a day: not 2 years +
        plan("CP3", "P3", "2018-01-01", "2021-03-31"),   # ends on `to`: not open
        plan("CP4", "P4", "2020-01-01", "2021-04-01"),   # spans the period, ends the day after `to`: open
        plan("CP5", "P5", "2021-03-31"),                 # starts on `to`: open
        plan("CP6", "P6", "2021-04-01"),                 # starts after `to`: not open
        plan("CP7a", "P7", "2018-06-01"),                # two overlapping open plans (a recording error):
        plan("CP7b", "P7", "2020-06-01"),                #   one child; two plans, CP7a 2 years +
        plan("CP8", None, "2020-01-01"),                 # no child id: left out
        plan("CP9", "P9", "2020-05-01", "2020-04-01"),   # ended before it started: bad row, out
        plan("CP10", "P10", "2021-03-15"),               # started in the period: open
    ],
    "ssd_involvements": [
        allocation("1", "P1", "T1", "2019-03-31"),
        allocation("2", "P2", "T1", "2019-04-01"),
        allocation("3", "P4", "T1", "2020-01-01", "2021-03-10"),   # P4 moved team on 10 March:
        allocation("4", "P4", "T2", "2021-03-10"),                 #   T2 at `to`
        allocation("5", "P7", "T2", "2018-06-01"),
        allocation("6", "P10", "T1", "2021-03-15"),
    ],
}


def test_cp_plans_open(tmp_path):
    got = figures(evaluate(tmp_path / "a", CP_TABLES, "cp_plans_open", "2021-03-01", "2021-03-31"))
    assert got == (6, None, 6)  # P1, P2, P4, P5, P7, P10
    teams = by_team_figures(evaluate(tmp_path / "b", CP_TABLES, "cp_plans_open", "2021-03-01", "2021-03-31",
                                     by_team=True))
    assert teams == {"T1": (3, None), "T2": (2, None), "UNALLOCATED": (1, None)}  # P5 has no allocation


def test_cp_rate(tmp_path):
    got = figures(evaluate(tmp_path, CP_TABLES, "cp_rate_per_10k", "2021-03-01", "2021-03-31"))
    assert got[:2] == (6, POPULATION_2021)
    assert got[2] == pytest.approx(6 / POPULATION_2021 * 10000)


def test_cp_plans_two_years_plus(tmp_path):
    got = figures(evaluate(tmp_path / "a", CP_TABLES, "cp_plans_2yrs_plus_pct", "2021-03-01", "2021-03-31"))
    assert got[:2] == (2, 7)  # CP1, CP7a of CP1, CP2, CP4, CP5, CP7a, CP7b, CP10 (per plan)
    assert got[2] == pytest.approx(200 / 7)
    teams = by_team_figures(evaluate(tmp_path / "b", CP_TABLES, "cp_plans_2yrs_plus_pct", "2021-03-01",
                                     "2021-03-31", by_team=True))
    assert teams == {"T1": (1, 3), "T2": (1, 3), "UNALLOCATED": (0, 1)}


def test_cp_plans_two_years_plus_on_a_leap_day(tmp_path):
    tables = {"ssd_cp_plans": [plan("L1", "P1", "2018-02-28"),    # 24 months before 2020-02-29 is 2018-02-28: in
                               plan("L2", "P2", "2018-03-01")]}   # a day later: not 2 years +
    got = figures(evaluate(tmp_path, tables, "cp_plans_2yrs_plus_pct", "2020-02-01", "2020-02-29"))
    assert got == (1, 2, 50.0)


# --- second or subsequent plans -----------------------------------------------------------

SECOND_TABLES = {
    "ssd_cp_plans": [
        plan("A1", "P1", "2018-05-01", "2019-01-01"),
        plan("A2", "P1", "2021-02-01"),                  # an earlier plan ended long ago: second (T2 at its start)
        plan("B1", "P2", "2021-01-10"),                  # the child's only plan: first
        plan("C1", "P3", "2021-01-20", "2021-02-20"),    # first (T1 at its start)
        plan("C2", "P3", "2021-03-01"),                  # second, C1 started earlier in the period (T2 at its start)
        plan("D1", "P4", "2021-02-15"),                  # two plans starting the same day:
        plan("D2", "P4", "2021-02-15"),                  #   neither is second
        plan("E1", "P5", "2021-04-10"),                  # a later plan does not count:
        plan("E2", "P5", "2021-02-20", "2021-03-20"),    #   E2 is first
        plan("F1", "P6", "2019-01-01", "2018-12-01"),    # ended before it started: bad row, left out
        plan("F2", "P6", "2021-03-10"),                  #   so F2 is first
        plan("N1", None, "2020-01-01"),
        plan("N2", None, "2021-01-05"),                  # no child id: in the denominator, never second
        plan("G1", "P7", "2010-01-01", "2011-01-01"),    # "at any time": a plan 11 years earlier
        plan("G2", "P7", "2021-03-31"),                  #   makes G2, on the period's last day, second (T1)
        plan("H1", "P8", "2020-12-31"),                  # started before the period: out
    ],
    "ssd_involvements": [
        allocation("1", "P1", "T1", "2020-01-01", "2021-02-01"),   # ends on A2's start: not open then
        allocation("2", "P1", "T2", "2021-02-01"),
        allocation("3", "P3", "T1", "2020-01-01", "2021-02-15"),   # P3 moves team between C1 and C2
        allocation("4", "P3", "T2", "2021-02-15"),
        allocation("5", "P7", "T1", "2021-03-31"),                 # starts on G2's start: open then
    ],
}


def test_cp_second_or_subsequent_plans(tmp_path):
    got = figures(evaluate(tmp_path / "a", SECOND_TABLES, "cp_second_subsequent_pct", "2021-01-01", "2021-03-31"))
    assert got == (3, 10, 30.0)  # A2, C2, G2 of A2, B1, C1, C2, D1, D2, E2, F2, N2, G2
    teams = by_team_figures(evaluate(tmp_path / "b", SECOND_TABLES, "cp_second_subsequent_pct", "2021-01-01",
                                     "2021-03-31", by_team=True))
    assert teams == {"T1": (1, 2), "T2": (2, 2), "UNALLOCATED": (0, 6)}


# --- CP visits ----------------------------------------------------------------------------
# `to` is Friday 4 June 2021; 31 May is a bank holiday. wd(Thu 20 May, to) = 10, wd(Wed 19 May, to) = 11.

def visit(vid, person, date, seen="Y", plan_id=None):
    return {"cppv_cp_visit_id": vid, "cppv_person_id": person, "cppv_cp_visit_date": date,
            "cppv_cp_visit_seen": seen, "cppv_cp_plan_id": plan_id}


VISIT_TABLES = {
    "ssd_cp_plans": [
        plan("V1", "P1", "2021-01-01"), plan("V2", "P2", "2021-01-01"), plan("V3", "P3", "2021-01-01"),
        plan("V4", "P4", "2021-05-20"),                  # started exactly 10 wd before `to`: not in the cohort
        plan("V5", "P5", "2021-05-19"),                  # started 11 wd before: in the cohort; never visited: late
        plan("V6", "P6", "2021-01-01"),
        plan("V7", "P7", "2021-01-01", "2021-06-04"),    # ended on `to`: not open, out
        plan("V8", "P8", "2020-01-01"),
        plan("V9a", "P9", "2020-06-01"), plan("V9b", "P9", "2021-06-01"),  # two open plans: one child, in the cohort
        plan("V10", "P10", "2021-01-01"),
    ],
    "ssd_cp_visits": [
        visit("W1", "P1", "2021-05-20"),                 # seen 10 wd before `to`: in time
        visit("W2", "P2", "2021-05-19"),                 # seen 11 wd before: late
        visit("W3a", "P3", "2021-06-03", seen="N"),      # visited but not seen: does not count
        visit("W3b", "P3", "2021-05-10"),                #   and the last time seen is too long ago: late
        visit("W6", "P6", "2021-06-05"),                 # seen the day after `to` only: late
        visit("W7", "P7", "2021-06-01"),
        visit("W8", "P8", "2021-05-30", plan_id="OLD"),  # seen on a Sunday (4 wd), recorded on another plan: in time
        visit("W9", "P9", "2021-05-31"),                 # seen on the bank holiday (4 wd): in time
        visit("W10", "P10", "2021-06-02", seen=None),    # seen not recorded: does not count: late
    ],
    "ssd_involvements": [
        allocation("1", "P1", "T1", "2021-01-01"), allocation("2", "P2", "T1", "2021-01-01"),
        allocation("3", "P8", "T2", "2020-01-01"),
    ],
}


def test_cp_visits_in_timescale(tmp_path):
    got = figures(evaluate(tmp_path / "a", VISIT_TABLES, "cp_visits_in_timescale_pct", "2021-06-01", "2021-06-04"))
    assert got == (3, 8, 37.5)  # P1, P8, P9 of P1, P2, P3, P5, P6, P8, P9, P10
    teams = by_team_figures(evaluate(tmp_path / "b", VISIT_TABLES, "cp_visits_in_timescale_pct", "2021-06-01",
                                     "2021-06-04", by_team=True))
    assert teams == {"T1": (1, 2), "T2": (1, 1), "UNALLOCATED": (1, 5)}


def test_cp_visits_follow_the_local_standard(tmp_path):
    frame = compute_with(tmp_path, VISIT_TABLES, "cp_visits_in_timescale_pct", "2021-06-01", "2021-06-04",
                         with_standard("cp_visit_working_days", 11))
    # 11 wd: P5's plan (11 wd old) leaves the cohort and P2's visit (11 wd) is in time
    assert figures(frame) == (4, 7, pytest.approx(400 / 7))


def test_cp_visit_drill_down(tmp_path):
    rows = rows_of(tmp_path, VISIT_TABLES, "cp_visits_in_timescale_pct", "2021-06-01", "2021-06-04")
    rows = rows.set_index("person_id")
    assert rows.loc["P2", "working_days_since_seen"] == 11 and not rows.loc["P2", "in_timescale"]
    assert rows.loc["P9", "plan_id"] == "V9a"  # the plan that put the child in the cohort
    assert not rows.loc["P5", "in_timescale"] and pd.isna(rows.loc["P5", "last_seen_visit_date"])  # never seen


# --- CP reviews ---------------------------------------------------------------------------

def review(rid, person, due, held):
    return {"cppr_cp_review_id": rid, "cppr_person_id": person, "cppr_cp_review_due": due,
            "cppr_cp_review_date": held}


REVIEW_TABLES = {
    "ssd_cp_reviews": [
        review("RV1", "P1", "2021-04-15", "2021-04-15"),   # held on its due date: on time (T2 by then)
        review("RV2", "P2", "2021-04-15", "2021-04-16"),   # a day late (T1)
        review("RV3", "P1", "2021-04-20", "2021-04-10"),   # early: on time (T1, before P1 moved)
        review("RV4", "P4", None, "2021-04-12"),           # no due date: left out
        review("RV5", "P5", "2021-04-12", None),           # not held: out
        review("RV6", "P6", "2021-03-20", "2021-04-01"),   # due before the period, held late in it: late (no team)
        review("RV7", "P7", "2021-04-30", "2021-05-01"),   # held after the period: out
        review("RV8", "P8", "2021-04-01", "2021-03-31"),   # held before the period: out
    ],
    "ssd_involvements": [
        allocation("1", "P1", "T1", "2021-01-01", "2021-04-12"),   # P1 moved team on 12 April
        allocation("2", "P1", "T2", "2021-04-12"),
        allocation("3", "P2", "T1", "2021-01-01"),
    ],
}


def test_cp_reviews_on_time(tmp_path):
    got = figures(evaluate(tmp_path / "a", REVIEW_TABLES, "cp_reviews_on_time_pct", "2021-04-01", "2021-04-30"))
    assert got == (2, 4, 50.0)  # RV1, RV3 of RV1, RV2, RV3, RV6
    teams = by_team_figures(evaluate(tmp_path / "b", REVIEW_TABLES, "cp_reviews_on_time_pct", "2021-04-01",
                                     "2021-04-30", by_team=True))
    assert teams == {"T1": (1, 2), "T2": (1, 1), "UNALLOCATED": (0, 1)}


# --- children at risk of sexual exploitation ----------------------------------------------

def assessment(aid, person, auth, team="T1", start="2021-03-01"):
    return {"cina_assessment_id": aid, "cina_person_id": person, "cina_assessment_start_date": start,
            "cina_assessment_auth_date": auth, "cina_assessment_team": team}


def factors(fid, aid, text):
    return {"cinf_table_id": fid, "cinf_assessment_id": aid, "cinf_assessment_factors_json": text}


CSE_TABLES = {
    "ssd_cin_assessments": [
        assessment("A1", "P1", "2021-04-10"),                  # 6A among others: P1 in T1
        assessment("A2", "P1", "2021-05-10", team="T2"),       # P1 again, by T2: counted in T2 as well
        assessment("A3", "P1", "2021-06-01"),                  # P1 a second time in T1: still one child there
        assessment("A4", "P2", "2021-04-20"),                  # 16A is not 6A
        assessment("A5", "P3", "2021-04-20"),                  # malformed JSON holding "6A": counted
        assessment("A6", "P4", "2021-04-20"),                  # not JSON at all: not counted, no failure
        assessment("A7", "P5", "2021-03-31"),                  # authorised before the period: out
        assessment("A8", "P6", "2021-04-25", team="T2"),       # two factor rows, one with 6A: counted (T2)
        assessment("A9", "P7", "2021-04-25"),                  # no factors recorded: out
        assessment("A10", None, "2021-04-25"),                 # no child id: left out
        assessment("A11", "P8", "2021-05-01", team=None),      # no team: UNALLOCATED
        assessment("A12", "P9", None),                         # not authorised: out
        assessment("A13", "P10", "2021-04-01", start="2021-05-01"),  # authorised before it started: bad row, out
    ],
    "ssd_assessment_factors": [
        factors("F1", "A1", '["3A","6A"]'), factors("F2", "A2", '["6A"]'), factors("F3", "A3", '[ "6A" ]'),
        factors("F4", "A4", '["16A"]'), factors("F5", "A5", '["6A", "3A"'), factors("F6", "A6", "6A? not json"),
        factors("F7", "A7", '["6A"]'), factors("F8a", "A8", None), factors("F8b", "A8", '["6A"]'),
        factors("F10", "A10", '["6A"]'), factors("F11", "A11", '["6A"]'), factors("F12", "A12", '["6A"]'),
        factors("F13", "A13", '["6A"]'),
        factors("F99", "A_NONE", '["6A"]'),                    # no such assessment: nothing
    ],
}


def test_cse_identified(tmp_path):
    got = figures(evaluate(tmp_path / "a", CSE_TABLES, "cse_identified", "2021-04-01", "2021-06-30"))
    assert got == (4, None, 4)  # P1, P3, P6, P8: P1 once overall
    teams = by_team_figures(evaluate(tmp_path / "b", CSE_TABLES, "cse_identified", "2021-04-01", "2021-06-30",
                                     by_team=True))
    assert teams == {"T1": (2, None), "T2": (2, None), "UNALLOCATED": (1, None)}  # P1 in both T1 and T2


def test_cse_drill_down_has_one_row_per_child_and_team(tmp_path):
    rows = rows_of(tmp_path, CSE_TABLES, "cse_identified", "2021-04-01", "2021-06-30")
    assert sorted(zip(rows["person_id"], rows["team"])) == [("P1", "T1"), ("P1", "T2"), ("P3", "T1"),
                                                            ("P6", "T2"), ("P8", "UNALLOCATED")]
    p1 = rows[(rows["person_id"] == "P1") & (rows["team"] == "T1")].iloc[0]
    assert p1["assessment_id"] == "A1" and p1["cse_assessments"] == 2


# --- pre-proceedings ----------------------------------------------------------------------

def pre(pid, person, meeting, outcome_date, outcome="stepdown"):
    return {"prep_table_id": pid, "prep_person_id": person, "prep_initial_pre_pro_meeting_date": meeting,
            "prep_agree_stepdown_issue_date": outcome_date, "prep_pre_pro_outcome": outcome}


PRE_TABLES = {
    "ssd_pre_proceedings": [
        pre("X1", "P1", "2021-01-01", "2021-04-23"),                      # 112 days: within 16 weeks (T1)
        pre("X2", "P2", "2021-01-01", "2021-04-24"),                      # 113 days: not (T2)
        pre("X3", "P3", None, "2021-05-01"),                              # no meeting date: left out
        pre("X4", "P4", "2021-05-10", "2021-05-01"),                      # outcome before the meeting: left out
        pre("X5", "P5", "2021-04-01", None, None),                        # still open: out
        pre("X6", "P6", "2021-03-01", "2021-07-01"),                      # outcome after the period: out
        pre("X7", "P7", "2021-04-01", "2021-04-01", "proceedings_issued"),  # the same day: within (no team)
        pre("X8", "P8", "2021-03-01", "2021-06-30", None),                # dated outcome, code missing: counted, 121 days: not
    ],
    "ssd_involvements": [
        allocation("1", "P1", "T1", "2020-01-01", "2021-05-01"),   # P1 moved team after X1's outcome:
        allocation("4", "P1", "T2", "2021-05-01"),                 #   X1 stays with T1
        allocation("2", "P2", "T2", "2020-01-01"),
        allocation("3", "P8", "T1", "2020-01-01", "2021-06-30"),   # ended on the outcome date: UNALLOCATED
    ],
}


def test_pre_proceedings_within_16_weeks(tmp_path):
    got = figures(evaluate(tmp_path / "a", PRE_TABLES, "pre_proceedings_16wk_pct", "2021-04-01", "2021-06-30"))
    assert got == (2, 4, 50.0)  # X1, X7 of X1, X2, X7, X8
    teams = by_team_figures(evaluate(tmp_path / "b", PRE_TABLES, "pre_proceedings_16wk_pct", "2021-04-01",
                                     "2021-06-30", by_team=True))
    assert teams == {"T1": (1, 1), "T2": (0, 1), "UNALLOCATED": (1, 2)}


# --- nothing to count ---------------------------------------------------------------------

@pytest.mark.parametrize("indicator_id, expected", [
    ("contacts", (0, None, 0)),                          # a count of nothing is 0
    ("s47_enquiries", (0, None, 0)),
    ("cp_plans_open", (0, None, 0)),
    ("cse_identified", (0, None, 0)),
    ("cin_rate_per_10k", (0, POPULATION_2021, 0.0)),     # a rate of nothing is 0 per 10,000
    ("cp_rate_per_10k", (0, POPULATION_2021, 0.0)),
    ("contacts_completed_1wd_pct", (0, 0, None)),        # a percentage of nothing has no value, not 0%
    ("rereferrals_12m_pct", (0, 0, None)),
    ("icpc_15wd_pct", (0, 0, None)),
    ("cp_second_subsequent_pct", (0, 0, None)),
    ("cp_plans_2yrs_plus_pct", (0, 0, None)),
    ("cp_visits_in_timescale_pct", (0, 0, None)),
    ("cp_reviews_on_time_pct", (0, 0, None)),
    ("pre_proceedings_16wk_pct", (0, 0, None)),
])
def test_empty_tables(tmp_path, indicator_id, expected):
    tables = {t: [] for t in REGISTRY[indicator_id].tables}
    assert figures(evaluate(tmp_path, tables, indicator_id, "2021-01-01", "2021-03-31")) == expected


@pytest.mark.parametrize("indicator_id, tables", [
    ("contacts_completed_1wd_pct", CONTACT_TABLES),
    ("icpc_15wd_pct", ICPC_TABLES),
    ("cp_visits_in_timescale_pct", VISIT_TABLES),
    ("cp_reviews_on_time_pct", REVIEW_TABLES),
    ("pre_proceedings_16wk_pct", PRE_TABLES),
])
def test_a_period_with_no_events_has_no_value(tmp_path, indicator_id, tables):
    # rows exist, none in (or, for stocks, open at the end of) January 2019: a denominator of 0
    assert figures(evaluate(tmp_path, tables, indicator_id, "2019-01-01", "2019-01-31")) == (0, 0, None)


@pytest.mark.parametrize("indicator_id, tables, start, end", [
    ("contacts", CONTACT_TABLES, "2021-04-01", "2021-04-30"),
    ("contacts_completed_1wd_pct", CONTACT_TABLES, "2021-04-01", "2021-04-30"),
    ("rereferrals_12m_pct", REREFERRAL_TABLES, "2020-02-01", "2020-02-29"),
    ("s47_enquiries", ICPC_TABLES, "2021-04-01", "2021-05-31"),
    ("icpc_15wd_pct", ICPC_TABLES, "2021-05-01", "2021-05-31"),
    ("cin_rate_per_10k", CIN_TABLES, "2021-01-01", "2021-03-31"),
    ("cp_plans_open", CP_TABLES, "2021-03-01", "2021-03-31"),
    ("cp_rate_per_10k", CP_TABLES, "2021-03-01", "2021-03-31"),
    ("cp_second_subsequent_pct", SECOND_TABLES, "2021-01-01", "2021-03-31"),
    ("cp_plans_2yrs_plus_pct", CP_TABLES, "2021-03-01", "2021-03-31"),
    ("cp_visits_in_timescale_pct", VISIT_TABLES, "2021-06-01", "2021-06-04"),
    ("cp_reviews_on_time_pct", REVIEW_TABLES, "2021-04-01", "2021-04-30"),
    ("cse_identified", CSE_TABLES, "2021-04-01", "2021-06-30"),
    ("pre_proceedings_16wk_pct", PRE_TABLES, "2021-04-01", "2021-06-30"),
])
def test_drill_down_has_one_row_per_unit(tmp_path, indicator_id, tables, start, end):
    rows = rows_of(tmp_path, tables, indicator_id, start, end)
    assert len(rows) > 0 and rows["unit_id"].is_unique
    assert rows["numerator"].sum() > 0


@pytest.mark.parametrize("indicator_id", SAFEGUARDING_IDS)
def test_drill_down_rows_carry_no_names(tmp_path, indicator_id):
    tables = {t: [] for t in REGISTRY[indicator_id].tables}
    rows = rows_of(tmp_path, tables, indicator_id, "2021-01-01", "2021-03-31")
    assert {"period_from", "period_to", "unit_id", "person_id", "team", "numerator", "denominator"} <= set(rows)
    assert not [c for c in rows.columns if "name" in c]
