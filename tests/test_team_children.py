"""A team's children now (team_children), against hand-built rows with the expected outcome in comments,
add_working_days, and on the demo data against the indicators' own rows."""
import datetime as dt
from collections import Counter

import pytest

from snapshots import write_tables
from torbay_dash import compute, indicators, queries, surgery, team_children
from torbay_dash.calendar import add_working_days, working_days_between
from torbay_dash.compute import EVERYTHING, Scope
from torbay_dash.db import SnapshotDB
from torbay_dash.periods import Period
from torbay_dash.settings import load_settings
from torbay_dash.store import Store, load_snapshot

D = dt.date
AS_AT = D(2021, 7, 16)  # a Friday; Monday 31 May 2021 (spring bank holiday) lies in the 35 to 46 working days before


def db_of(folder, tables):
    return SnapshotDB(load_snapshot(write_tables(folder / AS_AT.isoformat(), tables), cache=False))


def alloc(iid, person, team, start, end=None):
    return {"invo_involvements_id": iid, "invo_person_id": person, "invo_professional_role_id": "ALLOCATED_SW",
            "invo_professional_team": team, "invo_professional_id": "W" + iid,
            "invo_involvement_start_date": start, "invo_involvement_end_date": end}


def assessment(aid, person, start, auth=None, team="T_A"):
    return {"cina_assessment_id": aid, "cina_person_id": person, "cina_assessment_start_date": start,
            "cina_assessment_auth_date": auth, "cina_assessment_team": team, "cina_assessment_worker_id": "WA"}


def plan(pid, person, start, end=None, category="NEG"):
    return {"cppl_cp_plan_id": pid, "cppl_person_id": person, "cppl_cp_plan_start_date": start,
            "cppl_cp_plan_end_date": end, "cppl_cp_plan_latest_category": category}


def cp_visit(vid, person, date, seen="Y"):
    return {"cppv_cp_visit_id": vid, "cppv_person_id": person, "cppv_cp_visit_date": date, "cppv_cp_visit_seen": seen}


def in_care(person, since="2020-01-06", placement_type="U3"):
    """A child in care since `since` on a full care order, in one placement since then (42-day visits)."""
    return {
        "ssd_cla_episodes": {"clae_cla_episode_id": "E" + person, "clae_person_id": person, "clae_cla_id": "C" + person,
                             "clae_cla_placement_id": "PL" + person, "clae_cla_episode_start_date": since,
                             "clae_entered_care_date": since},
        "ssd_legal_status": {"lega_legal_status_id": "L" + person, "lega_person_id": person,
                             "lega_legal_status": "C2", "lega_legal_status_start_date": since},
        "ssd_cla_placement": {"clap_cla_placement_id": "PL" + person, "clap_cla_id": "C" + person,
                              "clap_person_id": person, "clap_cla_placement_start_date": since,
                              "clap_cla_placement_type": placement_type},
    }


def cla_visit(vid, person, date, seen="Y"):
    return {"clav_cla_visit_id": vid, "clav_person_id": person, "clav_cla_id": "C" + person,
            "clav_cla_visit_date": date, "clav_cla_visit_seen": seen}


CARED_FOR = [in_care("CLA_LATE"), in_care("CLA_SOON"), in_care("CLA_FINE"), in_care("CLA_NEVER")]

TABLES = {
    "ssd_cin_assessments": [
        assessment("A34", "AS34", "2021-05-28"),             # 34 wd open (31 May not counted): not listed
        assessment("A35", "AS35", "2021-05-27"),             # 35 wd: 'due soon', due 2021-07-30 (the 45th wd)
        assessment("A45", "AS45", "2021-05-13"),             # 45 wd: 'due soon', due today 2021-07-16
        assessment("A46", "AS46", "2021-05-12"),             # 46 wd: 'overdue', due 2021-07-15
        assessment("A46D", "AS46DONE", "2021-05-12", auth="2021-07-16"),   # authorised on the as-at date: not listed
        assessment("A46B", "AS46B", "2021-05-12", team="T_B"),  # overdue, but T_B's: only in T_B's scope
        assessment("AOLD", "ASOLD", "2020-07-15"),           # open over 12 months: data quality, not listed
    ],
    "ssd_cp_plans": [
        plan("CP2Y", "CP2Y", "2019-07-16", category="EMO"),  # exactly 2 years: 'cp_2_years'
        plan("CP2YL", "CP2YLESS", "2019-07-17"),              # a day short of 2 years: not listed
        plan("CPLATE", "CPLATE", "2021-01-04"),               # last seen 11 wd ago: cp_visit overdue, due 2021-07-15
        plan("CPOK", "CPOK", "2021-01-04"),                   # last seen 10 wd ago: within the standard, not listed
        plan("CPTWO", "TWO", "2021-01-04"),                   # never seen: overdue; two allocations: T_NEW's only
        plan("CPB", "CPB", "2021-01-04"),                     # never seen: overdue; T_B's, so not in T_A's scope
    ],
    "ssd_cp_visits": [
        cp_visit("V2Y", "CP2Y", "2021-07-09"),                # 5 wd ago: in time
        cp_visit("V2YL", "CP2YLESS", "2021-07-09"),           # 5 wd ago: in time
        cp_visit("VLATE", "CPLATE", "2021-07-01"),            # 11 wd before 2021-07-16
        cp_visit("VLATEN", "CPLATE", "2021-07-14", seen="N"),  # not seen: does not count
        cp_visit("VOK", "CPOK", "2021-07-02"),                # 10 wd before 2021-07-16
    ],
    "ssd_cla_episodes": [c["ssd_cla_episodes"] for c in CARED_FOR],
    "ssd_legal_status": [c["ssd_legal_status"] for c in CARED_FOR],
    "ssd_cla_placement": [c["ssd_cla_placement"] for c in CARED_FOR],
    "ssd_cla_visits": [
        cla_visit("CV1", "CLA_LATE", "2021-06-03"),           # 43 days ago (interval 42): overdue, due 2021-07-15
        cla_visit("CV2", "CLA_SOON", "2021-06-10"),           # 36 days ago: due 2021-07-22, within 7 days: 'due soon'
        cla_visit("CV3", "CLA_FINE", "2021-06-14"),           # 32 days ago: due 2021-07-26: not listed
        cla_visit("CV4", "CLA_NEVER", "2021-07-14", seen="N"),  # not seen: CLA_NEVER is overdue, no due date
    ],
    "ssd_involvements": [
        alloc("1", "CP2Y", "T_A", "2019-07-16"),
        alloc("2", "CP2YLESS", "T_A", "2019-07-17"),
        alloc("3", "CPLATE", "T_A", "2021-01-04"),
        alloc("4", "CPOK", "T_A", "2021-01-04"),
        alloc("5", "TWO", "T_OLD", "2020-06-01"),             # still open, but older
        alloc("6", "TWO", "T_NEW", "2021-03-01"),             # the newer open allocation: TWO is T_NEW's
        alloc("7", "CPB", "T_B", "2021-01-04"),
        alloc("8", "CLA_LATE", "T_A", "2020-01-06"),
        alloc("9", "CLA_SOON", "T_A", "2020-01-06"),
        alloc("10", "CLA_FINE", "T_A", "2020-01-06"),
        alloc("11", "CLA_NEVER", "T_A", "2020-01-06"),
    ],
    # ssd_cla_reviews, ssd_cp_reviews, ssd_initial_cp_conference and ssd_missing are absent
}
ABSENT_LISTS = {"cla_review", "cp_meeting", "missing"}
SETTINGS = load_settings()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return db_of(tmp_path_factory.mktemp("team_children"), TABLES)


def listed(frame, list_id=None):
    """{(list, person_id): (status, due_date)} of a team_children frame."""
    rows = frame if list_id is None else frame[frame["list"] == list_id]
    return {(r.list, r.person_id): (r.status, r.due_date) for r in rows.itertuples()}


def test_the_fixture_dates_are_what_the_comments_say():
    assert [working_days_between(D(2021, 5, day), AS_AT) for day in (28, 27, 13, 12)] == [34, 35, 45, 46]
    assert D(2021, 7, 16) - D(2021, 6, 3) == dt.timedelta(days=43)
    assert working_days_between(D(2021, 7, 1), AS_AT) == 11 and working_days_between(D(2021, 7, 2), AS_AT) == 10


def test_assessments_from_35_working_days_across_a_bank_holiday(db):
    got = listed(team_children.assessments(db, AS_AT, Scope(("T_A",))))
    assert got == {("assessment", "AS35"): ("due soon", D(2021, 7, 30)),
                   ("assessment", "AS45"): ("due soon", D(2021, 7, 16)),
                   ("assessment", "AS46"): ("overdue", D(2021, 7, 15))}
    every_team = listed(team_children.assessments(db, AS_AT, EVERYTHING))
    assert set(every_team) - set(got) == {("assessment", "AS46B")}


def test_children_now_for_a_team(db):
    children = team_children.children_now(db, AS_AT, SETTINGS, Scope(("T_A",)))
    assert listed(children) == {
        ("cla_visit", "CLA_LATE"): ("overdue", D(2021, 7, 15)),
        ("cla_visit", "CLA_NEVER"): ("overdue", None),
        ("cla_visit", "CLA_SOON"): ("due soon", D(2021, 7, 22)),
        ("cp_visit", "CPLATE"): ("overdue", D(2021, 7, 15)),
        ("assessment", "AS35"): ("due soon", D(2021, 7, 30)),
        ("assessment", "AS45"): ("due soon", D(2021, 7, 16)),
        ("assessment", "AS46"): ("overdue", D(2021, 7, 15)),
        ("cp_2_years", "CP2Y"): ("now", None),
    }
    assert list(children.columns) == team_children.COLUMNS
    # LISTS order, the overdue first within a list
    assert children["list"].drop_duplicates().tolist() == ["cla_visit", "cp_visit", "assessment", "cp_2_years"]
    assert children[children["list"] == "cla_visit"]["person_id"].tolist() == ["CLA_LATE", "CLA_NEVER", "CLA_SOON"]
    assert set(children["team"]) == {"T_A"}
    row = children.set_index(["list", "person_id"])
    assert row.loc[("cp_visit", "CPLATE"), "detail"] == "last seen 01/07/2021 (11 working days ago)"
    assert row.loc[("cla_visit", "CLA_LATE"), "detail"] == "last seen 03/06/2021"
    assert row.loc[("cla_visit", "CLA_NEVER"), "detail"] == "no seen visit recorded"
    assert row.loc[("cp_2_years", "CP2Y"), "detail"].endswith("plan started 16/07/2019")
    assert row.loc[("cla_visit", "CLA_LATE"), "worker_id"] == "W8"
    summary = team_children.summary(children).set_index("list")
    assert summary.loc["assessment", ["children", "overdue", "due_soon"]].tolist() == [3, 1, 2]
    assert summary.loc["missing", "children"] == 0 and len(summary) == len(team_children.LISTS)


def test_a_child_with_two_open_allocations_belongs_to_the_newer_team_only(db):
    new = team_children.children_now(db, AS_AT, SETTINGS, Scope(("T_NEW",)))
    # never seen on a plan that started 2021-01-04: due on the 10th working day after it
    assert listed(new) == {("cp_visit", "TWO"): ("overdue", D(2021, 1, 18))}
    assert new["detail"].tolist() == ["not seen on this plan"]
    old = team_children.children_now(db, AS_AT, SETTINGS, Scope(("T_OLD",)))
    assert old is not None and old.empty
    assert surgery.allocated_children(db, AS_AT, Scope(("T_OLD",))).empty
    assert surgery.allocated_children(db, AS_AT, Scope(("T_NEW",)))["person_id"].tolist() == ["TWO"]
    everyone = surgery.allocated_children(db, AS_AT)
    assert everyone["person_id"].is_unique and everyone.set_index("person_id").loc["TWO", "team"] == "T_NEW"


def test_a_scope_that_excludes_the_children(db):
    other = team_children.children_now(db, AS_AT, SETTINGS, Scope(("T_B",)))
    assert listed(other) == {("cp_visit", "CPB"): ("overdue", D(2021, 1, 18)),
                             ("assessment", "AS46B"): ("overdue", D(2021, 7, 15))}
    parts = team_children.lists_at(db, AS_AT, SETTINGS, Scope(("T_NOBODY",)))
    assert {k for k, frame in parts.items() if frame is not None} == set(team_children.LISTS) - ABSENT_LISTS
    assert all(frame.empty for frame in parts.values() if frame is not None)
    nobody = team_children.children_now(db, AS_AT, SETTINGS, Scope(("T_NOBODY",)))
    assert nobody is not None and nobody.empty and list(nobody.columns) == team_children.COLUMNS


def test_an_empty_scope_sees_no_child(db):
    # a user whose teams are none (e.g. a service with no teams) sees nobody, not everybody
    assert team_children.assessments(db, AS_AT, Scope(())).empty
    assert team_children.children_now(db, AS_AT, SETTINGS, Scope(())).empty
    assert surgery.allocated_children(db, AS_AT, Scope(())).empty


def test_absent_tables_are_named_and_not_shown_as_empty(db, tmp_path):
    parts = team_children.lists_at(db, AS_AT, SETTINGS, Scope(("T_A",)))
    assert {k for k, frame in parts.items() if frame is None} == ABSENT_LISTS
    assert team_children.unavailable(parts) == [team_children.LISTS[k] for k in team_children.LISTS
                                                if k in ABSENT_LISTS]
    # only the assessments' table, with no assessment near 35 working days: an empty list, not None
    only = db_of(tmp_path / "only", {"ssd_cin_assessments": [assessment("A34", "AS34", "2021-05-28")]})
    parts = team_children.lists_at(only, AS_AT, SETTINGS)
    assert [k for k, frame in parts.items() if frame is not None] == ["assessment"]
    assert len(team_children.unavailable(parts)) == len(team_children.LISTS) - 1
    children = team_children.children_now(only, AS_AT, SETTINGS)
    assert children is not None and children.empty
    # none of the lists' tables: nothing can be drawn
    none = db_of(tmp_path / "none", {"ssd_person": [{"pers_person_id": "P1"}]})
    assert all(frame is None for frame in team_children.lists_at(none, AS_AT, SETTINGS).values())
    assert team_children.children_now(none, AS_AT, SETTINGS) is None
    assert surgery.allocated_children(none, AS_AT) is None


@pytest.mark.parametrize("start, days, due", [
    (D(2021, 12, 23), 1, D(2021, 12, 24)),    # Christmas Eve 2021 is a Friday, a working day
    (D(2021, 12, 24), 1, D(2021, 12, 29)),    # Christmas and Boxing Day at a weekend: substitutes 27 and 28
    (D(2024, 12, 20), 6, D(2025, 1, 2)),      # across Christmas and New Year's Day
    (D(2024, 3, 28), 1, D(2024, 4, 2)),       # Good Friday 29 March and Easter Monday 1 April 2024
    (D(2024, 3, 30), 1, D(2024, 4, 2)),       # from a Saturday in the Easter weekend
    (D(2024, 2, 28), 1, D(2024, 2, 29)),      # the leap day is a working day (a Thursday)
    (D(2024, 2, 28), 2, D(2024, 3, 1)),
    (D(2021, 4, 30), 1, D(2021, 5, 4)),       # month end on a Friday; Monday 3 May a bank holiday
    (D(2021, 8, 31), 1, D(2021, 9, 1)),       # month end to the 1st
    (D(2021, 5, 13), 45, D(2021, 7, 16)),     # the fixture's 45th working day, across 31 May
])
def test_add_working_days(start, days, due):
    assert add_working_days(start, days) == due
    assert working_days_between(start, due) == days


def test_add_working_days_counts_from_one():
    with pytest.raises(ValueError):
        add_working_days(D(2021, 1, 4), 0)


# ---------------------------------------------------------------- the demo data


@pytest.fixture(scope="module")
def demo(demo_root):
    snapshot = Store(demo_root).usable()[-1]
    return SnapshotDB(snapshot), snapshot.as_at, load_settings(demo_root)


def demo_teams(db, everyone):
    teams = set(db.query("SELECT DISTINCT dept_team_id FROM ssd_department")["dept_team_id"])
    return sorted((teams | set(everyone["team"])) - {"UNALLOCATED"})


def test_demo_lists_agree_with_the_indicators_rows(demo):
    db, as_at, settings = demo
    everyone = team_children.children_now(db, as_at, settings)
    assert everyone is not None and not everyone.empty
    standard = int(settings.standards["cp_visit_working_days"])
    visits = compute.unit_rows(db, indicators.get("cla_visits_in_timescale_pct"),
                               [Period(as_at.replace(day=1), as_at)], settings)
    plans = queries.cp_children_now(db, as_at, standard)
    checked = 0
    for team in demo_teams(db, everyone):
        children = team_children.children_now(db, as_at, settings, Scope((team,)))
        late_visits = children[(children["list"] == "cla_visit") & (children["status"] == "overdue")]
        expected = visits[(visits["numerator"] == 0) & (visits["team"] == team)]
        assert sorted(late_visits["person_id"]) == sorted(expected["person_id"].astype(str)), team
        expected_cp = plans[plans["visit_overdue"].fillna(False).astype(bool) & (plans["team"] == team)]
        assert sorted(children[children["list"] == "cp_visit"]["person_id"]) == \
            sorted(expected_cp["person_id"].astype(str)), team
        checked += len(late_visits) + len(expected_cp)
    assert checked > 0, "no team had an overdue visit: the check proves nothing"


def test_demo_teams_together_are_every_allocated_child(demo):
    db, as_at, settings = demo
    everyone = team_children.children_now(db, as_at, settings)
    key = ["list", "person_id", "team", "status", "due_date", "detail"]

    def rows(frame):
        return Counter(tuple(None if v is None or v != v else v for v in r) for r in frame[key].itertuples(index=False))

    union = Counter()
    for team in demo_teams(db, everyone):
        union += rows(team_children.children_now(db, as_at, settings, Scope((team,))))
    assert union == rows(everyone[everyone["team"] != "UNALLOCATED"])
    assert set(everyone["list"]) >= {"cla_visit", "cp_visit", "assessment"}
