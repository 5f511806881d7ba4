"""The QA screen's own counts and lists, and the case sampler, against hand-built rows with outcomes in comments."""
import datetime as dt

import pandas as pd
import pytest

from snapshots import write_tables
from torbay_dash import queries, sampling
from torbay_dash.compute import Scope
from torbay_dash.db import SnapshotDB
from torbay_dash.periods import Period, months
from torbay_dash.store import load_snapshot

AS_AT = dt.date(2021, 7, 31)
JULY = Period(dt.date(2021, 7, 1), dt.date(2021, 7, 31))


def db_of(tmp_path, tables):
    """The tables as a snapshot taken a month after AS_AT, so the queries can ask about 31 July
    with a completion in August already recorded (X5)."""
    return SnapshotDB(load_snapshot(write_tables(tmp_path / "2021-08-31", tables), cache=False))


def audit(aid, day, team="T1", kind="case", grade="good", moderated=None, person="P1", theme="Planning",
          auditor="W9", voice="Y"):
    return {"audit_id": aid, "audit_type": kind, "theme": theme, "person_id": person, "team_id": team,
            "worker_id": "W1", "auditor_id": auditor, "audit_date": day, "grade": grade,
            "moderated_grade": moderated, "child_voice_evident": voice}


AUDITS = [
    audit("A1", "2021-07-01", grade="good"),                                  # July case, T1: good
    audit("A2", "2021-07-31", grade="outstanding", moderated="good"),        # July (last day), moderated down, still good
    audit("A3", "2021-07-15", grade="requires_improvement", moderated="good", team="T2", auditor="W8"),  # graded up
    audit("A4", "2021-07-20", kind="thematic", grade=None, theme="Neglect"),  # thematic: apart from case audits
    audit("A5", "2021-07-21", kind="dip_sample", grade=None, theme="Chronologies"),  # dip sample
    audit("A6", "2021-06-30", grade="inadequate", moderated="inadequate", voice="N"),  # June: agreed
    audit("A7", "2021-08-01", grade="good"),                                  # after the period: never counted
]


def test_volume_counts_each_type_each_month_with_zero_months_shown(tmp_path):
    db = db_of(tmp_path, {"qa_audits": AUDITS})
    volume = queries.audit_volume(db, months(dt.date(2021, 5, 1), dt.date(2021, 7, 31)))
    counts = volume.assign(month=volume["period_from"].astype(str)).set_index(["month", "audit_type"])["audits"]
    assert counts[("2021-07-01", "case")] == 3          # A1, A2 (on the month end), A3
    assert counts[("2021-07-01", "thematic")] == 1       # A4
    assert counts[("2021-07-01", "dip_sample")] == 1     # A5
    assert counts[("2021-06-01", "case")] == 1           # A6
    assert counts[("2021-05-01", "case")] == 0           # a month with no audit still shows, as 0
    assert len(volume) == 9                              # 3 months x 3 types


def test_volume_follows_the_team_filter(tmp_path):
    db = db_of(tmp_path, {"qa_audits": AUDITS})
    volume = queries.audit_volume(db, [JULY], Scope(("T2",)))
    assert volume.set_index("audit_type")["audits"].to_dict() == {"case": 1, "thematic": 0, "dip_sample": 0}


def test_audits_by_team_and_by_auditor_use_the_final_grade(tmp_path):
    db = db_of(tmp_path, {"qa_audits": AUDITS})
    teams = queries.audits_by(db, JULY, "team").set_index("who")
    assert teams.loc["T1", ["case_audits", "thematic_audits", "dip_samples", "graded", "good_or_better"]].tolist() \
        == [2, 1, 1, 2, 2]   # A1 good, A2 outstanding moderated to good: both good or better
    assert teams.loc["T2", ["case_audits", "good_or_better"]].tolist() == [1, 1]   # A3 moderated up to good
    auditors = queries.audits_by(db, JULY, "auditor").set_index("who")
    assert auditors.loc["W8", "case_audits"] == 1 and auditors.loc["W9", "case_audits"] == 2
    with pytest.raises(ValueError):
        queries.audits_by(db, JULY, "worker")


def test_moderation_says_which_way_grades_moved(tmp_path):
    db = db_of(tmp_path, {"qa_audits": AUDITS})
    outcomes = queries.moderation(db, Period(dt.date(2021, 6, 1), dt.date(2021, 7, 31))).set_index("outcome")["audits"]
    assert outcomes.to_dict() == {"agreed": 1,          # A6 inadequate -> inadequate
                                  "graded down": 1,     # A2 outstanding -> good
                                  "graded up": 1}       # A3 requires improvement -> good


ACTIONS = [
    {"action_id": "X1", "audit_id": "A1", "raised_date": "2021-06-01", "due_date": "2021-07-10",
     "completed_date": "2021-07-10"},   # due July, done on the due date: on time
    {"action_id": "X2", "audit_id": "A1", "raised_date": "2021-06-01", "due_date": "2021-07-12",
     "completed_date": "2021-07-13"},   # due July, a day late
    {"action_id": "X3", "audit_id": "A3", "raised_date": "2021-07-02", "due_date": "2021-07-20",
     "completed_date": None},           # due July, never done: not completed, and overdue at 31 July (11 days)
    {"action_id": "X4", "audit_id": "A3", "raised_date": "2021-07-02", "due_date": "2021-07-31",
     "completed_date": None},           # due on the as-at date itself: not yet overdue
    {"action_id": "X5", "audit_id": "A6", "raised_date": "2021-05-02", "due_date": "2021-06-01",
     "completed_date": "2021-08-05"},   # completed after 31 July: still overdue at 31 July (60 days)
]


def test_actions_by_month_split_those_due_by_outcome(tmp_path):
    db = db_of(tmp_path, {"qa_audits": AUDITS, "qa_actions": ACTIONS})
    july = queries.actions_by_month(db, [JULY]).iloc[0]
    assert (july["raised"], july["due"], july["completed_on_time"], july["completed_late"], july["not_completed"]) \
        == (2, 4, 1, 1, 2)   # raised: X3, X4; due: X1-X4


def test_overdue_actions_list_most_overdue_first_with_the_audited_child(tmp_path):
    db = db_of(tmp_path, {"qa_audits": AUDITS, "qa_actions": ACTIONS})
    overdue = queries.actions_overdue(db, AS_AT)
    assert overdue["action_id"].tolist() == ["X5", "X3"]
    assert overdue["days_overdue"].tolist() == [60, 11]
    assert overdue.set_index("action_id").loc["X3", "team"] == "T2"     # an action's team is its audit's
    assert queries.actions_overdue(db, AS_AT, Scope(("T1",)))["action_id"].tolist() == ["X5"]


def test_themes_count_below_good_and_missing_voice(tmp_path):
    db = db_of(tmp_path, {"qa_audits": AUDITS})
    themes = queries.audit_themes(db, [Period(dt.date(2021, 6, 1), dt.date(2021, 7, 31))])
    planning = themes[(themes["theme"] == "Planning") & (themes["audit_type"] == "case")].iloc[0]
    assert (planning["audits"], planning["graded_below_good"], planning["child_voice_not_evident"]) == (4, 1, 1)


def alloc(iid, person, team, start, end=None):
    return {"invo_involvements_id": iid, "invo_person_id": person, "invo_professional_role_id": "ALLOCATED_SW",
            "invo_professional_team": team, "invo_professional_id": "W" + iid,
            "invo_involvement_start_date": start, "invo_involvement_end_date": end}


CASES = {
    "ssd_department": [{"dept_team_id": "T1", "dept_team_name": "One", "dept_team_parent_id": "S1"},
                       {"dept_team_id": "T2", "dept_team_name": "Two", "dept_team_parent_id": "S2"}],
    "ssd_cla_episodes": [
        {"clae_cla_episode_id": "E1", "clae_person_id": "C1", "clae_cla_episode_start_date": "2020-01-01"},  # in care
        {"clae_cla_episode_id": "E2", "clae_person_id": "C2", "clae_cla_episode_start_date": "2020-01-01",
         "clae_cla_episode_ceased_date": "2021-07-31"},                                                      # ceased on as-at: not open
    ],
    "ssd_cp_plans": [
        {"cppl_cp_plan_id": "CP1", "cppl_person_id": "C1", "cppl_cp_plan_start_date": "2021-01-01"},   # C1 is CLA too: CLA wins
        {"cppl_cp_plan_id": "CP2", "cppl_person_id": "C3", "cppl_cp_plan_start_date": "2021-07-31"},   # starts on as-at: CP
    ],
    "ssd_cin_episodes": [
        {"cine_referral_id": "R3", "cine_person_id": "C3", "cine_referral_date": "2021-06-01"},        # C3 is CP: CP wins
        {"cine_referral_id": "R4", "cine_person_id": "C4", "cine_referral_date": "2021-06-01"},        # CIN
        {"cine_referral_id": "R5", "cine_person_id": "C5", "cine_referral_date": "2021-06-01",
         "cine_referral_nfa": "Y"},                                                                    # NFA: not a case
        {"cine_referral_id": "R6", "cine_person_id": "C6", "cine_referral_date": "2021-06-01"},        # CIN, audited recently
    ],
    "ssd_involvements": [alloc("1", "C1", "T1", "2020-01-01"), alloc("3", "C3", "T2", "2021-07-01"),
                         alloc("4", "C4", "T1", "2021-06-01", "2021-07-01"),   # C4's worker left: unallocated now
                         alloc("6", "C6", "T2", "2021-06-01")],
    "qa_audits": [audit("Q1", "2021-03-01", person="C6"),    # 5 months before: C6 left out of the sample
                  audit("Q2", "2021-01-30", person="C1")],   # 6 months and a day: C1 stays in
}


def test_open_cases_once_each_at_the_highest_level_with_team_and_last_audit(tmp_path):
    db = db_of(tmp_path, CASES)
    cases = queries.open_cases(db, AS_AT).set_index("person_id")
    assert cases["case_type"].to_dict() == {"C1": "CLA", "C3": "CP", "C4": "CIN", "C6": "CIN"}
    assert cases["team"].to_dict() == {"C1": "T1", "C3": "T2", "C4": "UNALLOCATED", "C6": "T2"}
    assert cases.loc["C1", "service_id"] == "S1"
    eligible = sampling.not_recently_audited(cases.reset_index(), AS_AT)
    assert sorted(eligible["person_id"]) == ["C1", "C3", "C4"]
    assert queries.open_cases(db, AS_AT, Scope(("T2",)))["person_id"].tolist() == ["C3", "C6"]


def test_allocation_is_proportional_and_never_exceeds_a_team():
    assert sampling.allocate({"A": 50, "B": 30, "C": 20}, 10) == {"A": 5, "B": 3, "C": 2}
    assert sampling.allocate({"A": 2, "B": 98}, 10) == {"A": 0, "B": 10}   # 0.2 rounds away; the quota is 10
    assert sampling.allocate({"A": 1, "B": 1}, 5) == {"A": 1, "B": 1}      # never more than there are
    assert sum(sampling.allocate({"A": 7, "B": 7, "C": 7}, 10).values()) == 10
    assert sampling.allocate({"A": 7, "B": 7, "C": 7}, 10) == {"A": 4, "B": 3, "C": 3}   # a tie goes to A first


def population(n=300):
    teams = ["T1"] * (n // 2) + ["T2"] * (n // 3) + ["T3"] * (n - n // 2 - n // 3)
    return pd.DataFrame({"person_id": [f"C{i:04d}" for i in range(n)], "team": teams,
                         "last_case_audit": pd.NaT})


def test_the_same_seed_draws_the_same_sample_whatever_the_row_order():
    people = population()
    first = sampling.draw(people, 30, seed=202107)
    shuffled = sampling.draw(people.sample(frac=1, random_state=1), 30, seed=202107)
    assert first["person_id"].tolist() == shuffled["person_id"].tolist()
    assert first["person_id"].tolist() != sampling.draw(people, 30, seed=7)["person_id"].tolist()
    assert first["person_id"].is_unique
    assert first["team"].value_counts().to_dict() == {"T1": 15, "T2": 10, "T3": 5}
    assert (first["stratum_size"] == first["team"].map({"T1": 150, "T2": 100, "T3": 50})).all()


def test_a_sample_larger_than_the_population_takes_everyone():
    people = population(12)
    assert len(sampling.draw(people, 50, seed=1)) == 12
