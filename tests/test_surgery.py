"""The performance surgery (surgery.changes) between two hand-built snapshots a week apart, each row commented
with the change it is there for."""
import datetime as dt

import pandas as pd
import pytest

from snapshots import write_tables
from torbay_dash import surgery, team_children
from torbay_dash.calendar import working_days_between
from torbay_dash.compute import EVERYTHING, Scope
from torbay_dash.db import SnapshotDB
from torbay_dash.settings import load_settings
from torbay_dash.store import load_snapshot

D = dt.date
BEFORE, NOW = D(2021, 7, 23), D(2021, 7, 30)  # two Fridays, a week apart
TEAM = Scope(("T_A",))
SETTINGS = load_settings()


def alloc(iid, person, team, start, end=None):
    return {"invo_involvements_id": iid, "invo_person_id": person, "invo_professional_role_id": "ALLOCATED_SW",
            "invo_professional_team": team, "invo_professional_id": "W" + iid,
            "invo_involvement_start_date": start, "invo_involvement_end_date": end}


def plan(pid, person, start, end=None):
    return {"cppl_cp_plan_id": pid, "cppl_person_id": person, "cppl_cp_plan_start_date": start,
            "cppl_cp_plan_end_date": end, "cppl_cp_plan_latest_category": "NEG"}


def cp_visit(vid, person, date):
    return {"cppv_cp_visit_id": vid, "cppv_person_id": person, "cppv_cp_visit_date": date, "cppv_cp_visit_seen": "Y"}


def assessment(aid, person, start, auth=None):
    return {"cina_assessment_id": aid, "cina_person_id": person, "cina_assessment_start_date": start,
            "cina_assessment_auth_date": auth, "cina_assessment_team": "T_A"}


# A child in care in one placement since 2020 (42-day visits), last seen 2021-06-18: the visit falls due on
# 2021-07-30, within 7 days of 2021-07-23 and not yet late on 2021-07-30: 'due soon' in both snapshots.
CARED_FOR = {
    "ssd_cla_episodes": [{"clae_cla_episode_id": "E1", "clae_person_id": "SOON_VISIT", "clae_cla_id": "C1",
                          "clae_cla_placement_id": "PL1", "clae_cla_episode_start_date": "2020-01-06",
                          "clae_entered_care_date": "2020-01-06"}],
    "ssd_legal_status": [{"lega_legal_status_id": "L1", "lega_person_id": "SOON_VISIT", "lega_legal_status": "C2",
                          "lega_legal_status_start_date": "2020-01-06"}],
    "ssd_cla_placement": [{"clap_cla_placement_id": "PL1", "clap_cla_id": "C1", "clap_person_id": "SOON_VISIT",
                           "clap_cla_placement_start_date": "2020-01-06", "clap_cla_placement_type": "U3"}],
    "ssd_cla_visits": [{"clav_cla_visit_id": "CV1", "clav_person_id": "SOON_VISIT", "clav_cla_id": "C1",
                        "clav_cla_visit_date": "2021-06-18", "clav_cla_visit_seen": "Y"}],
}

SNAPSHOT_BEFORE = {  # as at 2021-07-23
    "ssd_cp_plans": [
        plan("CP1", "NEWLY", "2021-01-04"),      # seen 9 wd ago: not yet overdue
        plan("CP2", "MADE", "2021-01-04"),       # seen 16 wd ago: overdue
        plan("CP3", "CLOSED", "2021-01-04"),     # seen 16 wd ago: overdue
        plan("CP4", "MOVED", "2019-07-01"),      # 2 years or more: on cp_2_years ('now'), T_A's
        plan("CP5", "STILL", "2021-01-04"),      # never seen: overdue
    ],
    "ssd_cp_visits": [
        cp_visit("V1", "NEWLY", "2021-07-12"),
        cp_visit("V2", "MADE", "2021-07-01"),
        cp_visit("V3", "CLOSED", "2021-07-01"),
        cp_visit("V4", "MOVED", "2021-07-19"),   # 4 wd ago: in time
    ],
    "ssd_cin_assessments": [
        assessment("A1", "ASSESSED", "2021-05-12"),  # open 51 wd: overdue
        assessment("A2", "SOON", "2021-06-02"),      # open 37 wd: due soon (due 2021-08-04)
    ],
    "ssd_involvements": [
        alloc("1", "NEWLY", "T_A", "2021-01-04"),
        alloc("2", "MADE", "T_A", "2021-01-04"),
        alloc("3", "CLOSED", "T_A", "2021-01-04"),
        alloc("4", "MOVED", "T_A", "2019-07-01"),
        alloc("5", "STILL", "T_A", "2021-01-04"),
        alloc("6", "SOON_VISIT", "T_A", "2020-01-06"),
    ],
    **CARED_FOR,
}

SNAPSHOT_NOW = {  # as at 2021-07-30
    "ssd_cp_plans": [
        plan("CP1", "NEWLY", "2021-01-04"),                  # seen 14 wd ago: newly overdue
        plan("CP2", "MADE", "2021-01-04"),                   # seen 2 wd ago: no longer overdue
        plan("CP3", "CLOSED", "2021-01-04", end="2021-07-26"),  # plan ended and case closed: 'closed or moved on'
        plan("CP4", "MOVED", "2019-07-01"),                  # still 2 years or more, but now T_B's: T_A's child left
        plan("CP5", "STILL", "2021-01-04"),                  # never seen: overdue in both, not a change
    ],
    "ssd_cp_visits": [
        cp_visit("V1", "NEWLY", "2021-07-12"),
        cp_visit("V2", "MADE", "2021-07-01"),
        cp_visit("V2B", "MADE", "2021-07-28"),                # the overdue visit, made
        cp_visit("V3", "CLOSED", "2021-07-01"),
        cp_visit("V4", "MOVED", "2021-07-19"),
        cp_visit("V4B", "MOVED", "2021-07-28"),
    ],
    "ssd_cin_assessments": [
        assessment("A1", "ASSESSED", "2021-05-12", auth="2021-07-27"),  # authorised: no longer overdue
        assessment("A2", "SOON", "2021-06-02"),                          # open 42 wd: due soon again, not a change
    ],
    "ssd_involvements": [
        alloc("1", "NEWLY", "T_A", "2021-01-04"),
        alloc("2", "MADE", "T_A", "2021-01-04"),
        alloc("3", "CLOSED", "T_A", "2021-01-04", end="2021-07-26"),   # case closed
        alloc("4", "MOVED", "T_A", "2019-07-01", end="2021-07-26"),    # moved ...
        alloc("7", "MOVED", "T_B", "2021-07-26"),                      # ... to T_B
        alloc("5", "STILL", "T_A", "2021-01-04"),
        alloc("6", "SOON_VISIT", "T_A", "2020-01-06"),
        alloc("8", "JOINED", "T_A", "2021-07-26"),                     # new to the team, nothing listed
    ],
    **CARED_FOR,
}


@pytest.fixture(scope="module")
def dbs(tmp_path_factory):
    root = tmp_path_factory.mktemp("surgery")
    return tuple(SnapshotDB(load_snapshot(write_tables(root / as_at.isoformat(), tables), cache=False))
                 for as_at, tables in ((BEFORE, SNAPSHOT_BEFORE), (NOW, SNAPSHOT_NOW)))


def surgery_for(dbs, scope):
    before, now = dbs
    return surgery.changes(team_children.children_now(before, BEFORE, SETTINGS, scope),
                           team_children.children_now(now, NOW, SETTINGS, scope),
                           surgery.allocated_children(before, BEFORE, scope),
                           surgery.allocated_children(now, NOW, scope))


def changed(frame):
    return [(r.change, r.person_id) for r in frame.itertuples()]


def test_the_fixture_dates_are_what_the_comments_say():
    assert [working_days_between(D(2021, 7, 12), day) for day in (BEFORE, NOW)] == [9, 14]
    assert [working_days_between(D(2021, 7, 1), BEFORE), working_days_between(D(2021, 7, 28), NOW)] == [16, 2]
    assert [working_days_between(D(2021, 6, 2), day) for day in (BEFORE, NOW)] == [37, 42]
    assert working_days_between(D(2021, 5, 12), BEFORE) == 51
    assert D(2021, 6, 18) + dt.timedelta(days=42) == NOW


def test_each_snapshot_lists_what_the_fixture_says(dbs):
    before, now = (team_children.children_now(db, as_at, SETTINGS, TEAM) for db, as_at in zip(dbs, (BEFORE, NOW)))
    status = {(r.list, r.person_id): r.status for r in before.itertuples()}
    assert status == {("cla_visit", "SOON_VISIT"): "due soon", ("cp_visit", "MADE"): "overdue",
                      ("cp_visit", "CLOSED"): "overdue", ("cp_visit", "STILL"): "overdue",
                      ("assessment", "ASSESSED"): "overdue", ("assessment", "SOON"): "due soon",
                      ("cp_2_years", "MOVED"): "now"}
    status = {(r.list, r.person_id): r.status for r in now.itertuples()}
    assert status == {("cla_visit", "SOON_VISIT"): "due soon", ("cp_visit", "NEWLY"): "overdue",
                      ("cp_visit", "STILL"): "overdue", ("assessment", "SOON"): "due soon"}


def test_what_changed_for_the_team(dbs):
    changes = surgery_for(dbs, TEAM)
    # in CHANGES order, then in the lists' order (team_children.LISTS: CP visits before assessments), then by child
    assert changed(changes) == [
        (surgery.NEWLY_OVERDUE, "NEWLY"),     # seen 9, then 14 working days ago
        (surgery.RESOLVED, "MADE"),           # the overdue visit made
        (surgery.RESOLVED, "ASSESSED"),       # the overdue assessment authorised
        (surgery.NEW_CHILD, "JOINED"),
        (surgery.LEFT, "CLOSED"),             # overdue, then closed: once, not also 'no longer overdue'
        (surgery.LEFT, "MOVED"),              # moved to T_B: not 'off the list' of 2 years or more
    ]
    assert surgery.counts(changes) == {surgery.NEWLY_OVERDUE: 1, surgery.RESOLVED: 2, surgery.NEWLY_LISTED: 0,
                                       surgery.OFF_LIST: 0, surgery.NEW_CHILD: 1, surgery.LEFT: 2}
    assert list(changes.columns) == surgery.COLUMNS
    row = changes.set_index("person_id")
    assert row.loc["NEWLY", ["before", "now", "due_date"]].tolist() == ["not listed", "overdue", D(2021, 7, 26)]
    assert row.loc["MADE", ["list_words", "before", "now"]].tolist() == \
        [team_children.LISTS["cp_visit"], "overdue", "not listed"]
    assert row.loc["ASSESSED", "list_words"] == team_children.LISTS["assessment"]
    assert row.loc["JOINED", ["now", "detail"]].tolist() == ["allocated", "allocated since 26/07/2021"]
    assert row.loc["CLOSED", ["before", "now", "team"]].tolist() == ["allocated", "not allocated here", "T_A"]


def test_the_team_the_child_moved_to(dbs):
    changes = surgery_for(dbs, Scope(("T_B",)))
    assert changed(changes) == [(surgery.NEWLY_LISTED, "MOVED"), (surgery.NEW_CHILD, "MOVED")]


def test_every_team_together(dbs):
    # MOVED stays allocated (to T_B), with the same 2-year plan: no change at all
    changes = surgery_for(dbs, EVERYTHING)
    assert changed(changes) == [(surgery.NEWLY_OVERDUE, "NEWLY"), (surgery.RESOLVED, "MADE"),
                                (surgery.RESOLVED, "ASSESSED"), (surgery.NEW_CHILD, "JOINED"),
                                (surgery.LEFT, "CLOSED")]


def test_without_the_allocations_a_closed_case_reads_as_put_right(dbs):
    before, now = dbs
    changes = surgery.changes(team_children.children_now(before, BEFORE, SETTINGS, TEAM),
                              team_children.children_now(now, NOW, SETTINGS, TEAM))
    assert changed(changes) == [(surgery.NEWLY_OVERDUE, "NEWLY"), (surgery.RESOLVED, "CLOSED"),
                                (surgery.RESOLVED, "MADE"), (surgery.RESOLVED, "ASSESSED"),
                                (surgery.OFF_LIST, "MOVED")]


def test_no_change_between_a_snapshot_and_itself(dbs):
    before, _ = dbs
    children = team_children.children_now(before, BEFORE, SETTINGS, TEAM)
    allocated = surgery.allocated_children(before, BEFORE, TEAM)
    changes = surgery.changes(children, children, allocated, allocated)
    assert changes.empty and list(changes.columns) == surgery.COLUMNS
    assert set(surgery.counts(changes).values()) == {0}
    empty = pd.DataFrame(columns=team_children.COLUMNS)
    assert changed(surgery.changes(empty, children)) == [
        (surgery.NEWLY_OVERDUE, p) for p in ("CLOSED", "MADE", "STILL", "ASSESSED")] + [
        (surgery.NEWLY_LISTED, "MOVED")]
