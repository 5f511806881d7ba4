"""A team's staff and a worker's caseload (torbay_dash/staff.py): hand-built rows with the expected outcome
in comments, then the demo, where every frame must agree with the indicators it is built from."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from snapshots import write_tables
from torbay_dash import staff
from torbay_dash.compute import EVERYTHING, Scope, compute, unit_rows
from torbay_dash.db import SnapshotDB
from torbay_dash.indicators import REGISTRY
from torbay_dash.periods import Period
from torbay_dash.settings import load_settings
from torbay_dash.store import Store, load_snapshot

SETTINGS = load_settings()        # the project's: supervision 30 days, CP visits 10 working days, caseload 20
AS_AT = dt.date(2021, 8, 31)      # a Tuesday; Monday 2021-08-30 is the summer bank holiday
AUGUST = Period(dt.date(2021, 8, 1), AS_AT)
D = dt.date.fromisoformat


def db_of(tmp_path, tables) -> SnapshotDB:
    return SnapshotDB(load_snapshot(write_tables(tmp_path / "2021-08-31", tables), cache=False))


def post(pid, team, fte, start="2015-01-01", end=None, sw="Y"):
    return {"post_id": pid, "team_id": team, "role": "Social worker", "is_social_worker_post": sw, "fte": fte,
            "start_date": start, "end_date": end}


def spell(sid, worker, post_id, team, kind, fte, start, end=None, role="Social worker", qualified="Y", asye="N"):
    return {"staff_id": sid, "professional_id": worker, "post_id": post_id, "team_id": team, "role": role,
            "is_qualified_sw": qualified, "employment_type": kind, "fte": fte, "start_date": start,
            "end_date": end, "is_asye": asye}


def alloc(iid, person, worker, team, start, end=None):
    return {"invo_involvements_id": str(iid), "invo_person_id": person, "invo_professional_id": worker,
            "invo_professional_role_id": "ALLOCATED_SW", "invo_professional_team": team,
            "invo_involvement_start_date": start, "invo_involvement_end_date": end}


def in_care(person, start, placement_type):
    """A child looked after since `start`, in one placement of `placement_type` since then."""
    return ({"clae_cla_episode_id": "E" + person, "clae_person_id": person, "clae_cla_id": "C" + person,
             "clae_cla_placement_id": "PL" + person, "clae_cla_episode_start_date": start,
             "clae_entered_care_date": start},
            {"clap_cla_placement_id": "PL" + person, "clap_cla_id": "C" + person, "clap_person_id": person,
             "clap_cla_placement_start_date": start, "clap_cla_placement_type": placement_type},
            {"lega_legal_status_id": "L" + person, "lega_person_id": person, "lega_legal_status": "C2",
             "lega_legal_status_start_date": start})


def cla_visit(vid, person, date, seen="Y"):
    return {"clav_cla_visit_id": vid, "clav_person_id": person, "clav_cla_visit_date": date,
            "clav_cla_visit_seen": seen}


def cp_plan(pid, person, start):
    return {"cppl_cp_plan_id": pid, "cppl_person_id": person, "cppl_cp_plan_start_date": start}


def cp_visit(vid, person, date, seen="Y"):
    return {"cppv_cp_visit_id": vid, "cppv_person_id": person, "cppv_cp_visit_date": date, "cppv_cp_visit_seen": seen}


CARE = [in_care("C1", "2021-01-10", "U3"),    # W1's; also on a CP plan: 'in care' wins, CLA visits apply
        in_care("C6", "2019-01-01", "U1"),    # W1's; long-term fostering over a year: 91-day interval
        in_care("F7_1", "2021-01-01", "U3"),  # W7's; seen 2021-08-20: in time
        in_care("F7_2", "2021-08-28", "U3")]  # W7's; placed 3 days ago, never seen: in time, due on its 7th day

TABLES = {
    "hr_posts": [
        post("HP1", "TA", 1.0),                          # held by S1 (1.0): filled
        post("HP2", "TA", 1.0),                          # nobody holds it: vacant 1.0
        post("HP3", "TA", 1.0),                          # S3 holds 0.6 of it: vacant 0.4
        post("HP6", "TA", 1.0, sw="N"),                  # not a social-worker post: not funded SW FTE
        post("HP4", "TB", 1.0),                          # covered by agency S4 only: vacant 1.0
        post("HP5", "TB", 1.0, end="2021-08-31"),        # closed on the as-at date: not open
        post("HP7", "TB", 0.5),                          # held by S5 (0.5): filled
    ],
    "hr_staff": [
        spell("S1", "W1", "HP1", "TA", "permanent", 1.0, "2019-01-01"),     # 6 cases (children of TA and TB)
        spell("S3", "W3", "HP3", "TA", "fixed_term", 0.6, "2021-08-16", asye="Y"),  # 15 days in post: not judged
        spell("S6", None, "HP6", "TA", "permanent", 1.0, "2018-01-01", role="Family support worker",
              qualified="N"),                                               # not a social worker: not listed
        spell("S7", "W7", None, "TA", "agency", 0.5, "2021-03-01"),         # agency, no post; 11 cases: 22/FTE
        spell("S4", "W4", "HP4", "TB", "agency", 1.0, "2020-06-01"),        # agency covering HP4; no cases
        spell("S2", "W2", "HP5", "TB", "permanent", 1.0, "2018-01-01", end="2021-08-31"),  # left on the date
        spell("S5", "W5", "HP7", "TB", "permanent", 0.5, "2017-01-01", role="Senior social worker"),  # 10: 20/FTE
        spell("S8", None, None, "TB", "permanent", 1.0, "2020-01-01"),      # no professional id: holds no cases
    ],
    "hr_supervision": [
        {"supervision_id": "V1", "staff_id": "S1", "supervision_date": "2021-08-02"},  # 29 days before: in time
        {"supervision_id": "V2", "staff_id": "S5", "supervision_date": "2021-08-01"},  # 30 days before: overdue
        {"supervision_id": "V3", "staff_id": "S5", "supervision_date": "2021-07-15"},  # older
        {"supervision_id": "V4", "staff_id": "S4", "supervision_date": "2021-08-31"},  # on the date: in time
        {"supervision_id": "V5", "staff_id": "S8", "supervision_date": "2021-08-20"},  # in time
        {"supervision_id": "V6", "staff_id": "S2", "supervision_date": "2021-08-25"},  # a spell no longer in post
        {"supervision_id": "V7", "staff_id": "S1", "supervision_date": "2021-09-01"},  # after the date: unknown
    ],                                                   # S7: never supervised, in post since March: overdue
    "ssd_involvements": [
        alloc(1, "C1", "W1", "TA", "2021-01-10"),
        alloc(2, "C2", "W1", "TB", "2021-06-01"),        # W1 (team TA) holds a child of team TB
        alloc(3, "C3", "W1", "TA", "2021-03-01"),
        alloc(4, "C4", "W1", "TA", "2020-01-01", end="2021-08-31"),  # ended on the date: not held
        alloc(5, "C5", "W1", "TA", "2021-02-01"),        # W1's older allocation ...
        alloc(6, "C5", "W5", "TB", "2021-07-01"),        # ... W5's newer one sets C5's team (TB) and worker (W5)
        alloc(7, "C6", "W1", "TA", "2019-01-01"),
        alloc(8, "C7", "W1", "TB", "2021-08-20"),
        alloc(9, "C9", "W9", "TA", "2021-01-01"),        # W9 has no spell in post: nobody's case in team_staff
        *[alloc(100 + i, f"F5_{i}", "W5", "TB", "2021-01-01") for i in range(1, 10)],   # W5: 9 + C5 = 10
        *[alloc(200 + i, f"F7_{i}", "W7", "TA", "2021-01-01") for i in range(1, 12)],   # W7: 11
    ],
    "ssd_cla_episodes": [c[0] for c in CARE],
    "ssd_cla_placement": [c[1] for c in CARE],
    "ssd_legal_status": [c[2] for c in CARE],
    "ssd_cla_visits": [
        cla_visit("CV1", "C1", "2021-08-10"),            # due 42 days later: 2021-09-21
        cla_visit("CV2", "C6", "2021-05-31"),            # 92 days before: overdue since 2021-08-30 (91 days)
        cla_visit("CV3", "C6", "2021-08-01", seen="N"),  # not seen: does not count
        cla_visit("CV4", "F7_1", "2021-08-20"),
    ],
    "ssd_cp_plans": [
        cp_plan("CP1", "C1", "2021-03-01"),              # in care too
        cp_plan("CP2", "C2", "2021-06-01"),
        cp_plan("CP5", "C5", "2021-01-01"),              # never seen: overdue, due since 2021-01-15
        cp_plan("CP7", "C7", "2021-08-20"),              # 6 working days old: not judged yet, due 2021-09-06
    ],
    "ssd_cp_visits": [
        cp_visit("PV1", "C1", "2021-08-27"),             # a CP visit: not shown, C1 is in care
        cp_visit("PV2", "C2", "2021-08-16"),             # wd(16 Aug, 31 Aug) = 10 with the bank holiday: in time
        cp_visit("PV3", "C2", "2021-08-25", seen="N"),   # not seen: does not count
    ],
    "ssd_cin_episodes": [
        {"cine_referral_id": "R3", "cine_person_id": "C3", "cine_referral_date": "2021-03-01"},  # in need
        {"cine_referral_id": "R9", "cine_person_id": "F5_1", "cine_referral_date": "2021-03-01",
         "cine_referral_nfa": "Y"},                      # NFA: not in need, so F5_1 has no status
    ],
}


@pytest.fixture
def db(tmp_path):
    return db_of(tmp_path, TABLES)


def rows(frame: pd.DataFrame, columns) -> list[tuple]:
    """The frame's rows as tuples, dates as dates and nulls as None."""
    out = []
    for record in frame[list(columns)].itertuples(index=False):
        out.append(tuple(None if pd.isna(v) else v.date() if isinstance(v, pd.Timestamp) else
                         v.item() if hasattr(v, "item") else v for v in record))
    return out


STAFF_COLUMNS = ("staff_id", "worker_id", "team", "role", "employment_type", "agency", "fte", "is_asye", "started",
                 "cases", "cases_per_fte", "above_threshold", "last_supervision", "supervision_overdue")


def test_team_staff_lists_social_workers_in_post_with_caseload_and_supervision(db):
    frame = staff.team_staff(db, AS_AT, SETTINGS)
    assert list(frame.columns) == list(STAFF_COLUMNS)
    assert rows(frame, STAFF_COLUMNS) == [
        ("S1", "W1", "TA", "Social worker", "permanent", False, 1.0, False, D("2019-01-01"),
         6, 6.0, False, D("2021-08-02"), False),            # C1, C2, C3, C5, C6, C7; supervised 29 days before
        ("S3", "W3", "TA", "Social worker", "fixed_term", False, 0.6, True, D("2021-08-16"),
         0, 0.0, False, None, False),                       # new: not yet due a supervision
        ("S7", "W7", "TA", "Social worker", "agency", True, 0.5, False, D("2021-03-01"),
         11, 22.0, True, None, True),                       # above 20 per FTE; never supervised
        ("S4", "W4", "TB", "Social worker", "agency", True, 1.0, False, D("2020-06-01"),
         0, 0.0, False, D("2021-08-31"), False),
        ("S5", "W5", "TB", "Senior social worker", "permanent", False, 0.5, False, D("2017-01-01"),
         10, 20.0, False, D("2021-08-01"), True),           # exactly 20 is not above; 30 days before is overdue
        ("S8", None, "TB", "Social worker", "permanent", False, 1.0, False, D("2020-01-01"),
         0, 0.0, False, D("2021-08-20"), False),
    ]


def test_team_staff_follows_the_scope_by_the_staff_team(db):
    frame = staff.team_staff(db, AS_AT, SETTINGS, Scope(("TB",)))
    assert frame["staff_id"].tolist() == ["S4", "S5", "S8"]
    # W1's children of team TB still count in W1's caseload, which belongs to team TA
    assert staff.team_staff(db, AS_AT, SETTINGS, Scope(("TA",)))["cases"].tolist() == [6, 0, 11]


def test_team_staff_agrees_with_the_caseload_and_supervision_indicators(db):
    frame = staff.team_staff(db, AS_AT, SETTINGS)
    caseload = compute(db, REGISTRY["sw_avg_caseload"], [AUGUST], SETTINGS, by_team=True).set_index("team")
    assert frame.groupby("team")["cases"].sum().to_dict() == {"TA": 17, "TB": 10}
    assert caseload["numerator"].to_dict() == {"TA": 17.0, "TB": 10.0}
    supervision = compute(db, REGISTRY["sw_supervision_in_timescale_pct"], [AUGUST], SETTINGS, by_team=True)
    overdue = {r.team: r.denominator - r.numerator for r in supervision.itertuples()}
    assert overdue == {"TA": 1.0, "TB": 1.0}             # S7 and S5
    assert frame.groupby("team")["supervision_overdue"].sum().to_dict() == overdue


def test_a_professional_with_two_spells_in_post_counts_their_cases_once(tmp_path):
    tables = {
        "hr_staff": [
            spell("S1", "W1", None, "TA", "permanent", 0.5, "2019-01-01"),   # earlier spell: 0 cases shown
            spell("S2", "W1", None, "TB", "permanent", 0.5, "2020-01-01"),   # latest-starting: holds the 3 cases
        ],
        "hr_supervision": [],
        "ssd_involvements": [alloc(i, f"C{i}", "W1", "TA", "2021-01-01") for i in range(1, 4)],
    }
    frame = staff.team_staff(db_of(tmp_path, tables), AS_AT, SETTINGS)
    # 3 cases over 1.0 FTE (both spells): 3 per FTE on each row, counted once in the team sums
    assert rows(frame, ("staff_id", "team", "cases", "cases_per_fte")) == [("S1", "TA", 0, 3.0), ("S2", "TB", 3, 3.0)]


ESTABLISHMENT_COLUMNS = ("team", "funded_fte", "filled_fte", "employed_fte", "agency_fte", "vacancy_fte",
                         "agency_pct", "vacancy_pct")


def test_team_establishment_counts_posts_cover_and_vacancies(db):
    frame = staff.team_establishment(db, AS_AT)
    assert list(frame.columns) == list(ESTABLISHMENT_COLUMNS)
    got = rows(frame, ESTABLISHMENT_COLUMNS)
    expected = [
        # HP1-HP3 funded 3.0; S1 1.0 + S3 0.6 fill 1.6; vacant 1.4; S7 agency 0.5 of 2.1; 1.4 of 3.0 vacant
        ("TA", 3.0, 1.6, 1.6, 0.5, 1.4, 100 * 0.5 / 2.1, 100 * 1.4 / 3.0),
        # HP4 + HP7 funded 1.5; S5 fills 0.5; HP4 vacant though agency covers it; S8 (no post) is employed too
        ("TB", 1.5, 0.5, 1.5, 1.0, 1.0, 40.0, 40.0),
    ]
    assert [r[0] for r in got] == [r[0] for r in expected]
    for g, e in zip(got, expected):
        assert g[1:] == pytest.approx(e[1:])
    assert (frame["funded_fte"] - frame["filled_fte"] - frame["vacancy_fte"]).abs().max() < 1e-9
    assert rows(staff.team_establishment(db, AS_AT, Scope(("TB",))), ("team",)) == [("TB",)]
    assert_establishment_agrees(db, frame, AS_AT)


def assert_establishment_agrees(db, frame, as_at):
    """Each team's agency and vacancy percentages are the indicators' by-team values at a month end."""
    month = Period(as_at.replace(day=1), as_at)
    mine = frame.set_index("team")
    checked = 0
    for indicator_id, column in (("sw_agency_rate_pct", "agency_pct"), ("sw_vacancy_rate_pct", "vacancy_pct")):
        for r in compute(db, REGISTRY[indicator_id], [month], SETTINGS, by_team=True).itertuples():
            assert mine.loc[r.team, column] == pytest.approx(r.value, nan_ok=True), (indicator_id, r.team)
            checked += 1
    assert checked >= 2 * len(frame) - 2


CASELOAD_COLUMNS = ("person_id", "team", "status", "allocated_since", "last_visit", "next_visit_due", "visit_overdue")


def test_worker_caseload_lists_each_child_with_status_and_visits(db):
    frame = staff.worker_caseload(db, AS_AT, SETTINGS, "W1")
    assert list(frame.columns) == list(CASELOAD_COLUMNS)
    assert rows(frame, CASELOAD_COLUMNS) == [
        # team TB: W5's newer allocation; on a plan since 1 Jan, never seen: due 10 working days later
        ("C5", "TB", "child protection plan", D("2021-02-01"), None, D("2021-01-15"), True),
        # long-term foster care: 91 days after 31 May is 30 Aug; the unseen visit of 1 Aug does not count
        ("C6", "TA", "in care", D("2019-01-01"), D("2021-05-31"), D("2021-08-30"), True),
        # 10th working day after 16 Aug, skipping the bank holiday: in time
        ("C2", "TB", "child protection plan", D("2021-06-01"), D("2021-08-16"), D("2021-08-31"), False),
        # a plan too new to be judged: due on its 10th working day
        ("C7", "TB", "child protection plan", D("2021-08-20"), None, D("2021-09-06"), False),
        # in care and on a plan: in care wins, the CLA visit of 10 Aug (not the CP visit of 27 Aug), 42 days
        ("C1", "TA", "in care", D("2021-01-10"), D("2021-08-10"), D("2021-09-21"), False),
        # in need: no statutory visit
        ("C3", "TA", "child in need", D("2021-03-01"), None, None, False),
    ]                                                    # C4: allocation ended on the date


def test_worker_caseload_follows_the_scope_by_the_childs_team(db):
    frame = staff.worker_caseload(db, AS_AT, SETTINGS, "W1", Scope(("TA",)))
    assert frame["person_id"].tolist() == ["C6", "C1", "C3"]
    assert staff.worker_caseload(db, AS_AT, SETTINGS, "W1", Scope(("NOBODY",))).empty


def test_worker_caseload_new_placement_and_no_status(db):
    frame = staff.worker_caseload(db, AS_AT, SETTINGS, "W7").set_index("person_id")
    assert len(frame) == 11
    # placed 28 Aug and never seen: in time, due on 3 Sep (the 7th day of the placement)
    assert rows(frame.loc[["F7_2"]], CASELOAD_COLUMNS[2:]) == [
        ("in care", D("2021-01-01"), None, D("2021-09-03"), False)]
    assert rows(frame.loc[["F7_1"]], CASELOAD_COLUMNS[2:]) == [
        ("in care", D("2021-01-01"), D("2021-08-20"), D("2021-10-01"), False)]
    # allocated, but neither in care, on a plan nor in need: no status, nothing due
    assert rows(frame.loc[["F7_3"]], CASELOAD_COLUMNS[2:]) == [(None, D("2021-01-01"), None, None, False)]
    # F5_1's only referral was NFA: not in need, so no status either
    assert pd.isna(staff.worker_caseload(db, AS_AT, SETTINGS, "W5").set_index("person_id").loc["F5_1", "status"])


TIMELINESS_COLUMNS = ("indicator", "who", "numerator", "denominator", "value")


def test_visit_timeliness_for_the_worker_and_the_scope(db):
    frame = staff.visit_timeliness(db, AUGUST, SETTINGS, EVERYTHING, "W1")
    assert list(frame.columns) == list(TIMELINESS_COLUMNS)
    assert rows(frame, TIMELINESS_COLUMNS) == [
        ("cla_visits_in_timescale_pct", "worker", 1, 2, 50.0),    # C1 in time, C6 not
        ("cla_visits_in_timescale_pct", "team", 3, 4, 75.0),      # and W7's F7_1 and F7_2, both in time
        ("cp_visits_in_timescale_pct", "worker", 2, 2, 100.0),    # C1, C2 (C5 is W5's; C7 not judged yet)
        ("cp_visits_in_timescale_pct", "team", 2, 3, pytest.approx(200 / 3)),
    ]
    assert rows(staff.visit_timeliness(db, AUGUST, SETTINGS, Scope(("TB",)), "W1"), TIMELINESS_COLUMNS) == [
        ("cla_visits_in_timescale_pct", "worker", 0, 0, None),    # no child in care in TB
        ("cla_visits_in_timescale_pct", "team", 0, 0, None),
        ("cp_visits_in_timescale_pct", "worker", 1, 1, 100.0),    # C2
        ("cp_visits_in_timescale_pct", "team", 1, 2, 50.0),       # and C5
    ]
    assert rows(staff.visit_timeliness(db, AUGUST, SETTINGS, Scope(("TA",))), TIMELINESS_COLUMNS) == [
        ("cla_visits_in_timescale_pct", "team", 3, 4, 75.0),
        ("cp_visits_in_timescale_pct", "team", 1, 1, 100.0),      # C1
    ]


def test_none_when_a_table_is_absent(tmp_path):
    without = {name: rows_ for name, rows_ in TABLES.items()
               if name not in ("hr_posts", "hr_supervision", "ssd_cp_visits")}
    db = db_of(tmp_path, without)
    assert staff.team_staff(db, AS_AT, SETTINGS) is None                # no hr_supervision
    assert staff.team_establishment(db, AS_AT) is None                  # no hr_posts
    assert staff.worker_caseload(db, AS_AT, SETTINGS, "W1") is None     # no ssd_cp_visits
    # the CP visit indicator is unavailable: only the CLA one is given
    assert staff.visit_timeliness(db, AUGUST, SETTINGS, EVERYTHING, "W1")["indicator"].unique().tolist() == [
        "cla_visits_in_timescale_pct"]
    no_allocations = {k: v for k, v in TABLES.items() if k != "ssd_involvements"}
    db = db_of(tmp_path / "other", no_allocations)
    assert staff.visit_timeliness(db, AUGUST, SETTINGS, EVERYTHING, "W1") is None
    assert staff.worker_caseload(db, AS_AT, SETTINGS, "W1") is None
    assert staff.team_staff(db, AS_AT, SETTINGS) is None


# ---------------------------------------------------------------- the demo

@pytest.fixture(scope="module")
def demo(demo_root):
    snapshot = Store(demo_root).latest_usable()
    db = SnapshotDB(snapshot, materialise_up_to=2_000_000)
    yield db, snapshot.as_at
    db.close()


def test_demo_cases_are_the_children_allocated_to_each_teams_workers(demo):
    db, as_at = demo
    frame = staff.team_staff(db, as_at, SETTINGS)
    assert len(frame) > 50 and frame["cases"].sum() > 1000
    open_allocations = db.query("SELECT worker_id, person_id FROM allocations WHERE start_date <= $d "
                                "AND (end_date IS NULL OR end_date > $d)", {"d": as_at})
    team_of_worker = frame.dropna(subset=["worker_id"]).set_index("worker_id")["team"]
    allocated = open_allocations.assign(team=open_allocations["worker_id"].map(team_of_worker)).dropna(subset=["team"])
    caseload = compute(db, REGISTRY["sw_avg_caseload"], [Period(as_at.replace(day=1), as_at)], SETTINGS,
                       by_team=True).set_index("team")["numerator"]
    cases = frame.groupby("team")["cases"].sum()
    for team in frame["team"].unique():
        assert cases[team] == (allocated["team"] == team).sum(), team
        assert cases[team] == caseload.get(team, 0), team
        listed = sum(len(staff.worker_caseload(db, as_at, SETTINGS, w))
                     for w in frame.loc[(frame["team"] == team) & (frame["cases"] > 0), "worker_id"])
        assert listed == cases[team], team       # no child is held twice by one worker in the demo
    assert (frame["above_threshold"] == (frame["cases_per_fte"] > SETTINGS.standard("caseload_threshold"))).all()


def test_demo_supervision_agrees_with_the_indicator(demo):
    db, as_at = demo
    frame = staff.team_staff(db, as_at, SETTINGS)
    indicator = compute(db, REGISTRY["sw_supervision_in_timescale_pct"], [Period(as_at.replace(day=1), as_at)],
                        SETTINGS, by_team=True)
    overdue = frame.groupby("team")["supervision_overdue"].sum()
    assert overdue.sum() > 0
    for r in indicator.itertuples():
        assert overdue[r.team] == r.denominator - r.numerator, r.team


def test_demo_establishment_agrees_with_the_indicators(demo):
    db, as_at = demo
    frame = staff.team_establishment(db, as_at)
    assert len(frame) >= 5 and frame["vacancy_fte"].sum() > 0 and frame["agency_fte"].sum() > 0
    assert_establishment_agrees(db, frame, as_at)
    for team in frame["team"]:
        assert staff.team_establishment(db, as_at, Scope((team,)))["team"].tolist() == [team]


def test_demo_team_scope_gives_the_teams_own_rows(demo):
    db, as_at = demo
    everyone = staff.team_staff(db, as_at, SETTINGS)
    for team in everyone["team"].unique():
        scoped = staff.team_staff(db, as_at, SETTINGS, Scope((team,)))
        pd.testing.assert_frame_equal(scoped, everyone[everyone["team"] == team].reset_index(drop=True))


def test_demo_worker_timeliness_counts_the_engines_unit_rows(demo):
    db, as_at = demo
    month = Period(as_at.replace(day=1), as_at)
    frame = staff.team_staff(db, as_at, SETTINGS)
    busiest = frame.sort_values(["cases", "staff_id"], ascending=[False, True]).drop_duplicates("team").head(4)
    assert len(busiest) == 4
    for worker, team in zip(busiest["worker_id"], busiest["team"]):
        for scope in (EVERYTHING, Scope((team,))):
            got = staff.visit_timeliness(db, month, SETTINGS, scope, worker).set_index(["indicator", "who"])
            for indicator_id in ("cla_visits_in_timescale_pct", "cp_visits_in_timescale_pct"):
                units = unit_rows(db, REGISTRY[indicator_id], [month], SETTINGS, scope)
                mine = units[units["worker_id"] == worker]
                for who, counted in (("worker", mine), ("team", units)):
                    assert tuple(got.loc[(indicator_id, who), ["numerator", "denominator"]]) \
                        == (counted["numerator"].sum(), counted["denominator"].sum()), (worker, indicator_id, who)
                if scope.teams is not None:
                    engine = compute(db, REGISTRY[indicator_id], [month], SETTINGS, scope=scope).iloc[0]
                    value = got.loc[(indicator_id, "team"), "value"]
                    assert pd.isna(value) if engine["value"] is None else value == pytest.approx(engine["value"])
    checked = staff.visit_timeliness(db, month, SETTINGS, EVERYTHING, busiest["worker_id"].iloc[0])
    assert checked.loc[checked["who"] == "worker", "denominator"].sum() > 0
