"""The safeguarding screen's own lists and counts, against hand-built rows with the expected outcome in comments."""
import datetime as dt


from snapshots import write_tables
from torbay_dash import queries
from torbay_dash.compute import Scope
from torbay_dash.db import SnapshotDB
from torbay_dash.periods import Period
from torbay_dash.store import load_snapshot

AS_AT = dt.date(2021, 7, 30)  # a Friday


def db_of(tmp_path, tables):
    return SnapshotDB(load_snapshot(write_tables(tmp_path / "2021-07-31", tables), cache=False))


def alloc(iid, person, team, start, end=None):
    return {"invo_involvements_id": iid, "invo_person_id": person, "invo_professional_role_id": "ALLOCATED_SW",
            "invo_professional_team": team, "invo_professional_id": "W" + iid,
            "invo_involvement_start_date": start, "invo_involvement_end_date": end}


FLOW_TABLES = {
    "ssd_contacts": [
        {"cont_contact_id": "K1", "cont_contact_date": "2021-01-05", "cont_contact_team": "MASH"},   # this period
        {"cont_contact_id": "K2", "cont_contact_date": "2021-03-31", "cont_contact_team": "MASH"},   # this period (last day)
        {"cont_contact_id": "K3", "cont_contact_date": "2020-02-01", "cont_contact_team": "MASH"},   # a year before
        {"cont_contact_id": "K4", "cont_contact_date": "2021-04-01", "cont_contact_team": "MASH"},   # after: neither
    ],
    "ssd_cin_episodes": [
        {"cine_referral_id": "R1", "cine_referral_date": "2021-02-01", "cine_referral_team": "A1"},  # this period
        {"cine_referral_id": "R2", "cine_referral_date": "2020-02-01", "cine_referral_team": "A1"},  # a year before
    ],
    "ssd_cin_assessments": [
        {"cina_assessment_id": "A1", "cina_assessment_start_date": "2021-01-10",
         "cina_assessment_auth_date": "2021-02-20", "cina_assessment_team": "A1"},                   # completed this period
    ],
    "ssd_s47_enquiry": [{"s47e_s47_enquiry_id": "S1", "s47e_s47_start_date": "2021-02-02",
                         "s47e_s47_completed_by_team": "A1"}],                                       # this period
    "ssd_initial_cp_conference": [{"icpc_icpc_id": "I1", "icpc_icpc_date": "2021-02-20", "icpc_icpc_team": "A1"}],
    "ssd_cp_plans": [{"cppl_cp_plan_id": "CP1", "cppl_person_id": "P1", "cppl_cp_plan_start_date": "2021-02-20"}],
    "ssd_involvements": [alloc("1", "P1", "S1", "2021-02-01")],   # P1's plan starts while allocated to S1
}


def test_flow_counts_each_stage_against_a_year_before(tmp_path):
    flow = queries.flow(db_of(tmp_path, FLOW_TABLES), Period(dt.date(2021, 1, 1), dt.date(2021, 3, 31))).set_index("stage")
    assert flow["this_period"].tolist() == [2, 1, 1, 1, 1, 1]
    assert flow["year_before"].tolist() == [1, 1, 0, 0, 0, 0]
    assert flow.loc["Referrals", "per_100_previous"] == 50.0     # 1 referral per 2 contacts
    assert flow.loc["Contacts", "change_pct"] == 100.0           # 2 against 1


def test_flow_follows_the_team_scope(tmp_path):
    flow = queries.flow(db_of(tmp_path, FLOW_TABLES), Period(dt.date(2021, 1, 1), dt.date(2021, 3, 31)),
                        Scope(("S1",))).set_index("stage")
    # only the CP plan belongs to S1 (the child's allocated team at the plan's start)
    assert flow["this_period"].tolist() == [0, 0, 0, 0, 0, 1]


def plan(pid, person, start, end=None, category="NEG"):
    return {"cppl_cp_plan_id": pid, "cppl_person_id": person, "cppl_cp_plan_start_date": start,
            "cppl_cp_plan_end_date": end, "cppl_cp_plan_latest_category": category}


def visit(vid, person, date, seen="Y"):
    return {"cppv_cp_visit_id": vid, "cppv_person_id": person, "cppv_cp_visit_date": date, "cppv_cp_visit_seen": seen}


CP_TABLES = {
    "ssd_cp_plans": [
        plan("CP1", "P1", "2021-01-04"),                      # seen 2021-07-16: 10 working days before: in time
        plan("CP2", "P2", "2021-01-04"),                      # last seen 2021-07-15: 11 working days: overdue
        plan("CP3", "P3", "2021-07-20"),                      # 8 working days on the plan: not yet due, not overdue
        plan("CP4", "P4", "2019-07-30", category="EMO"),      # exactly 24 months: '2 years or more'; never seen: overdue
        plan("CP5", "P5", "2019-07-31"),                      # a day short of 24 months: '1 to 2 years'; unseen visit only
        plan("CP6", "P6", "2020-01-01", end="2021-07-30"),    # ended on the as-at date: not open
    ],
    "ssd_cp_visits": [
        visit("V1", "P1", "2021-07-16"),
        visit("V2", "P2", "2021-07-15"),
        visit("V5", "P5", "2021-07-29", seen="N"),             # not seen: does not count
    ],
    "ssd_involvements": [alloc("1", "P1", "S1", "2021-01-04"), alloc("2", "P2", "S2", "2021-01-04")],
}


def test_children_on_plans_now(tmp_path):
    children = queries.cp_children_now(db_of(tmp_path, CP_TABLES), AS_AT, 10).set_index("person_id")
    assert sorted(children.index) == ["P1", "P2", "P3", "P4", "P5"]
    assert children["visit_overdue"].to_dict() == {"P1": False, "P2": True, "P3": False, "P4": True, "P5": True}
    assert children.loc["P4", "length_band"] == "2 years or more"
    assert children.loc["P5", "length_band"] == "1 to 2 years"
    assert children.loc["P1", "team"] == "S1" and children.loc["P4", "team"] == "UNALLOCATED"
    assert children.loc["P2", "working_days_since_seen"] == 11


def test_children_on_plans_follow_the_team_scope(tmp_path):
    db = db_of(tmp_path, CP_TABLES)
    children = queries.cp_children_now(db, AS_AT, 10, Scope(("S2",)))
    assert children["person_id"].tolist() == ["P2"]
    summary = queries.cp_plans_by_category_and_length(db, queries.cp_children_now(db, AS_AT, 10))
    assert summary["children"].sum() == 5
    assert summary.set_index(["category", "length_band"]).loc[("EMO", "2 years or more"), "children"] == 1


DUE_TABLES = {
    "ssd_cp_plans": [plan("CP1", "P1", "2021-01-04"), plan("CP2", "P2", "2021-01-04", end="2021-07-01")],
    "ssd_cp_reviews": [
        {"cppr_cp_review_id": "RV1", "cppr_person_id": "P1", "cppr_cp_plan_id": "CP1",
         "cppr_cp_review_due": "2021-08-20"},                                     # 15 working days ahead: due
        {"cppr_cp_review_id": "RV2", "cppr_person_id": "P1", "cppr_cp_plan_id": "CP1",
         "cppr_cp_review_due": "2021-08-23"},                                     # 16 working days: not yet listed
        {"cppr_cp_review_id": "RV3", "cppr_person_id": "P1", "cppr_cp_plan_id": "CP1",
         "cppr_cp_review_due": "2021-07-26"},                                     # past and not held: overdue
        {"cppr_cp_review_id": "RV4", "cppr_person_id": "P1", "cppr_cp_plan_id": "CP1",
         "cppr_cp_review_due": "2021-07-27", "cppr_cp_review_date": "2021-07-27"},  # held: not listed
        {"cppr_cp_review_id": "RV5", "cppr_person_id": "P2", "cppr_cp_plan_id": "CP2",
         "cppr_cp_review_due": "2021-08-02"},                                     # the plan has ended: not listed
    ],
    "ssd_initial_cp_conference": [
        {"icpc_icpc_id": "I1", "icpc_person_id": "P3", "icpc_s47_enquiry_id": "S1",
         "icpc_icpc_target_date": "2021-08-02"},                                  # not yet held, due in 1 working day
    ],
}


def test_meetings_due_in_the_next_15_working_days(tmp_path):
    due = queries.cp_due(db_of(tmp_path, DUE_TABLES), AS_AT, 15)
    listed = {(m, d.date().isoformat(), s) for m, d, s in zip(due["meeting"], due["due_date"], due["status"])}
    assert listed == {("CP review", "2021-08-20", "due"), ("CP review", "2021-07-26", "overdue"),
                      ("Initial CP conference", "2021-08-02", "due")}


def test_absent_tables_give_none(tmp_path):
    db = db_of(tmp_path, {"ssd_cp_plans": []})
    assert queries.cp_children_now(db, AS_AT, 10) is None
    assert queries.cp_due(db, AS_AT, 15) is None
    assert queries.flow(db, Period(dt.date(2021, 1, 1), dt.date(2021, 3, 31))) is None
