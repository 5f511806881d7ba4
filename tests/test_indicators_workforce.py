"""The workforce indicators against hand-built rows.

Each fixture row says in its comment what the indicator must do with it. Unless stated, the
period is June 2021, so `to` is 2021-06-30: the turnover window is (2020-06-30, 2021-06-30],
the supervision standard (30 days) reaches back to 2021-05-31 (excluded), and June 2021 has
22 working days (the spring bank holiday was 31 May).
"""
import re

import pytest

from conftest import SHARED
from snapshots import by_team_figures, evaluate, figures
from test_indicators_safeguarding import compute_with, rows_of, with_standard
from torbay_dash.indicators import REGISTRY

JUNE = ("2021-06-01", "2021-06-30")
JUNE_WORKING_DAYS = 22

WORKFORCE_IDS = ["sw_fte", "sw_agency_rate_pct", "sw_vacancy_rate_pct", "sw_turnover_rate_pct", "sw_avg_caseload",
                 "sw_starters", "sw_leavers", "sw_supervision_in_timescale_pct", "sw_absence_rate_pct",
                 "cla_3plus_social_workers_pct"]


def test_every_workforce_indicator_is_registered_in_the_handbooks_order():
    assert [i for i, ind in REGISTRY.items() if ind.area == "workforce"] == WORKFORCE_IDS
    spec = SHARED / "spec" / "INDICATORS.md"
    if spec.is_file():
        section = spec.read_text().split("## Workforce")[1].split("\n## ")[0]
        ids = [i for cell in re.findall(r"^\|\s*(`[^|]*)\|", section, flags=re.M) for i in re.findall(r"`(\w+)`", cell)]
        assert ids == WORKFORCE_IDS


@pytest.mark.parametrize("indicator_id", WORKFORCE_IDS)
def test_entries_are_complete(indicator_id):
    ind = REGISTRY[indicator_id]
    assert ind.title and ind.definition and ind.team_rule and ind.numerator_label and ind.tables
    assert (ind.denominator_label != "") == (ind.unit in ("percent", "mean"))


# --- helpers ------------------------------------------------------------------------------

def staff(sid, start, end=None, etype="permanent", fte=1.0, team="T1", post=None, prof="", sw="Y"):
    """An hr_staff spell; prof defaults to W<number of the staff id>, None for no professional."""
    return {"staff_id": sid, "professional_id": ("W" + sid[1:]) if prof == "" else prof, "post_id": post,
            "team_id": team, "role": "Social worker", "is_qualified_sw": sw, "employment_type": etype,
            "fte": fte, "start_date": start, "end_date": end}


def post(pid, team, fte=1.0, start="2010-01-01", end=None, sw="Y"):
    return {"post_id": pid, "team_id": team, "role": "Social worker", "is_social_worker_post": sw, "fte": fte,
            "start_date": start, "end_date": end}


def case(iid, worker, start, end=None, role="ALLOCATED_SW", person=None, team="T1"):
    return {"invo_involvements_id": iid, "invo_professional_id": worker, "invo_professional_role_id": role,
            "invo_professional_team": team, "invo_person_id": person or f"P{iid}",
            "invo_involvement_start_date": start, "invo_involvement_end_date": end}


def approx_teams(frame):
    return {team: (pytest.approx(n), None if d is None else pytest.approx(d))
            for team, (n, d) in by_team_figures(frame).items()}


# --- the establishment: who is in post, posts, leavers and starters ------------------------

ESTABLISHMENT = {
    "hr_posts": [
        post("HP1", "T1"),                           # held by S1: not vacant (0 of 1.0)
        post("HP2", "T1"),                           # covered by agency S2 only: vacant (1.0 of 1.0)
        post("HP3", "T2"),                           # held by S4 after a team move: not vacant
        post("HP4", "T2", fte=0.5),                  # no holder: vacant (0.5 of 0.5)
        post("HP5", "T1", end="2021-06-30"),         # closes on `to`: not open; its holder S16 counts as unposted
        post("HP6", "T1", sw="N"),                   # not a social-worker post: never counted
        post("HP7", "T2", fte=0.5),                  # over-filled by S12 (1.0): vacancy 0, not -0.5; 1.0 of 1.0
    ],
    "hr_staff": [
        staff("S1", "2015-01-01", post="HP1"),                                   # employed, in post, T1
        staff("S2", "2021-01-01", etype="agency", post="HP2"),                   # agency covering vacant HP2, T1
        staff("S3", "2016-01-01", "2021-03-01", prof="W3"),                      # moves team on 1 March:
        staff("S4", "2021-03-01", team="T2", post="HP3", prof="W3"),             #   not a leaver, not a starter
        staff("S5", "2017-01-01", "2021-06-15", fte=0.5),                        # part-time leaver (0.5 FTE), T1
        staff("S6", "2018-01-01", "2021-06-10", team="T2", prof="W6"),           # leaves and returns 7 days later:
        staff("S7", "2021-06-17", team="T2", prof="W6"),                         #   not a leaver, not a starter
        staff("S8", "2018-01-01", "2021-06-05", team="T2", prof="W8"),           # leaves; returns 8 days later:
        staff("S9", "2021-06-13", team="T2", prof="W8"),                         #   a leaver and a starter
        staff("S10", "2020-01-01", "2021-06-07", etype="agency", prof="W10"),    # agency, converts: not a leaver;
        staff("S11", "2021-06-08", prof="W10"),                                  #   the permanent spell is a starter
        staff("S12", "2019-01-01", team="T2", post="HP7"),                       # employed, holds HP7, no cases
        staff("S13", "2019-01-01", "2021-06-30"),                                # ends on `to`: a leaver, not in post
        staff("S14", "2020-01-01", etype="fixed_term", fte=0.8),                 # employed (fixed term), no post_id
        staff("S15", "2018-01-01", sw="N"),                                      # not a qualified social worker
        staff("S16", "2021-06-20", team="T2", post="HP5"),                       # new starter; post closing on `to`
        staff("S17", "2020-03-01", "2020-06-30"),                                # left exactly 12 months before `to`:
                                                                                 #   outside the turnover window
        staff("S18", "2020-04-01", "2020-07-01"),                                # left the day after: inside it
        staff("S19", "2019-01-01", "2021-05-20", team="T2", prof=None),          # no professional id: a leaver in May
        staff("S20", "2021-02-01", etype="agency", fte=0.5, team="T2"),          # agency not covering a post
        staff("S21", "2019-01-01", etype="contractor"),                          # unknown employment type: left out
    ],
    "ssd_involvements": [
        case("1", "W1", "2021-01-01"),                        # S1's cases: 3 open at `to`
        case("2", "W1", "2021-02-01"),
        case("3", "W1", "2021-06-30"),                        #   starts on `to`: open
        case("4", "W1", "2021-01-01", "2021-06-30"),          #   ends on `to`: not open
        case("5", "W1", "2021-01-01", role="IRO"),            #   not an allocation
        case("6", "W2", "2021-02-01"),                        # agency S2: 2 cases
        case("7", "W2", "2021-03-01"),
        case("8", "W3", "2021-03-01", team="T2"),             # S4 (W3): 4 cases
        case("9", "W3", "2021-03-01", team="T2"),
        case("10", "W3", "2021-03-01", team="T2"),
        case("11", "W3", "2021-03-01", team="T2"),
        case("12", "W14", "2021-01-01"),                      # S14 (0.8 FTE): 2 cases
        case("13", "W14", "2021-01-01"),
        case("14", "W5", "2021-01-01"),                       # S5 left on 15 June: not in post, not counted
        case("15", None, "2021-01-01"),                       # no professional
    ],
}
# Employed in post at `to`: S1, S11, S14 (T1: 2.8 FTE); S4, S7, S9, S12, S16 (T2: 5.0 FTE).
# Agency in post at `to`: S2 (T1, 1.0), S20 (T2, 0.5).


def test_employed_fte(tmp_path):
    assert figures(evaluate(tmp_path / "a", ESTABLISHMENT, "sw_fte", *JUNE))[0] == pytest.approx(7.8)
    teams = approx_teams(evaluate(tmp_path / "b", ESTABLISHMENT, "sw_fte", *JUNE, by_team=True))
    assert teams == {"T1": (2.8, None), "T2": (5.0, None)}


def test_agency_rate(tmp_path):
    n, d, v = figures(evaluate(tmp_path / "a", ESTABLISHMENT, "sw_agency_rate_pct", *JUNE))
    assert (n, d) == (pytest.approx(1.5), pytest.approx(9.3))
    assert v == pytest.approx(100 * 1.5 / 9.3)
    teams = approx_teams(evaluate(tmp_path / "b", ESTABLISHMENT, "sw_agency_rate_pct", *JUNE, by_team=True))
    assert teams == {"T1": (1.0, 3.8), "T2": (0.5, 5.5)}


def test_vacancy_rate(tmp_path):
    # vacancy: HP2 1.0 (agency cover does not fill it) + HP4 0.5; employed 7.8 (S14 and S7, S9, S11, S16
    # hold no open social-worker post but count in full)
    n, d, v = figures(evaluate(tmp_path / "a", ESTABLISHMENT, "sw_vacancy_rate_pct", *JUNE))
    assert (n, d) == (pytest.approx(1.5), pytest.approx(1.5 + 7.8))
    assert v == pytest.approx(100 * 1.5 / 9.3)
    teams = approx_teams(evaluate(tmp_path / "b", ESTABLISHMENT, "sw_vacancy_rate_pct", *JUNE, by_team=True))
    # T1: HP1 (0/1), HP2 (1/1), S11 (0/1), S14 (0/0.8); T2: HP3 (0/1), HP4 (0.5/0.5), HP7 (0/1), S7, S9, S16
    assert teams == {"T1": (1.0, 3.8), "T2": (0.5, 5.5)}


def test_turnover(tmp_path):
    # leavers in (2020-06-30, 2021-06-30]: S5 0.5, S13 1.0, S18 1.0 (T1); S8 1.0, S19 1.0 (T2).
    # Not: S3 (move), S6 (back in 7 days), S10 (agency), S17 (on the window's excluded first day).
    n, d, v = figures(evaluate(tmp_path / "a", ESTABLISHMENT, "sw_turnover_rate_pct", *JUNE))
    assert (n, d) == (pytest.approx(4.5), pytest.approx(7.8))
    assert v == pytest.approx(100 * 4.5 / 7.8)
    teams = approx_teams(evaluate(tmp_path / "b", ESTABLISHMENT, "sw_turnover_rate_pct", *JUNE, by_team=True))
    assert teams == {"T1": (2.5, 2.8), "T2": (2.0, 5.0)}


def test_turnover_looks_back_12_months_whatever_the_period_start(tmp_path):
    n, d, _ = figures(evaluate(tmp_path, ESTABLISHMENT, "sw_turnover_rate_pct", "2021-06-30", "2021-06-30"))
    assert (n, d) == (pytest.approx(4.5), pytest.approx(7.8))


def test_leavers(tmp_path):
    # June: S5, S13 (T1), S8 (T2); not S6 (returned within 7 days), not S10 (agency)
    assert figures(evaluate(tmp_path / "a", ESTABLISHMENT, "sw_leavers", *JUNE)) == (3, None, 3)
    teams = by_team_figures(evaluate(tmp_path / "b", ESTABLISHMENT, "sw_leavers", *JUNE, by_team=True))
    assert teams == {"T1": (2, None), "T2": (1, None)}
    rows = rows_of(tmp_path / "c", ESTABLISHMENT, "sw_leavers", *JUNE)
    assert sorted(rows["unit_id"]) == ["S13", "S5", "S8"]


def test_starters(tmp_path):
    # June: S9 (returned after 8 days), S11 (agency converting to permanent), S16 (new); not S7 (back in 7 days)
    rows = rows_of(tmp_path / "a", ESTABLISHMENT, "sw_starters", *JUNE)
    assert sorted(rows["unit_id"]) == ["S11", "S16", "S9"]
    teams = by_team_figures(evaluate(tmp_path / "b", ESTABLISHMENT, "sw_starters", *JUNE, by_team=True))
    assert teams == {"T1": (1, None), "T2": (2, None)}


def test_a_team_move_is_neither_a_starter_nor_a_leaver(tmp_path):
    march = ("2021-03-01", "2021-03-31")      # S3 ends and S4 starts on 1 March
    assert figures(evaluate(tmp_path / "a", ESTABLISHMENT, "sw_starters", *march))[0] == 0
    assert figures(evaluate(tmp_path / "b", ESTABLISHMENT, "sw_leavers", *march))[0] == 0


def test_caseload(tmp_path):
    # W1 3 cases (1.0), W2 agency 2 (1.0), W3 4 (1.0), W14 2 (0.8); S12 holds none: out of the denominator
    n, d, v = figures(evaluate(tmp_path / "a", ESTABLISHMENT, "sw_avg_caseload", *JUNE))
    assert (n, d) == (11, pytest.approx(3.8))
    assert v == pytest.approx(11 / 3.8)
    teams = approx_teams(evaluate(tmp_path / "b", ESTABLISHMENT, "sw_avg_caseload", *JUNE, by_team=True))
    assert teams == {"T1": (7, 2.8), "T2": (4, 1.0)}


@pytest.mark.parametrize("indicator_id", ["sw_agency_rate_pct", "sw_vacancy_rate_pct", "sw_turnover_rate_pct",
                                          "sw_avg_caseload", "sw_supervision_in_timescale_pct",
                                          "sw_absence_rate_pct"])
def test_a_denominator_of_zero_gives_no_value(tmp_path, indicator_id):
    tables = {**ESTABLISHMENT, "hr_supervision": [], "hr_absence": []}
    n, d, v = figures(evaluate(tmp_path, tables, indicator_id, "2009-01-01", "2009-01-31"))   # no post, nobody in post
    assert (n, d, v) == (0, 0, None)


def test_fte_with_nobody_in_post_is_zero(tmp_path):
    assert figures(evaluate(tmp_path, ESTABLISHMENT, "sw_fte", "2010-01-01", "2010-01-31"))[0] == 0


# --- supervision ------------------------------------------------------------------------------

SUPERVISION = {
    "hr_staff": [
        staff("A1", "2020-01-01"),                                    # supervised 29 days before `to`: counted
        staff("A2", "2020-01-01"),                                    # supervised exactly 30 days before: not
        staff("A3", "2020-01-01", etype="agency", team="T2"),         # agency, supervised on `to`: counted
        staff("A4", "2021-05-31", team="T2"),                         # in post exactly 30 days: left out
        staff("A5", "2021-05-30", team="T2"),                         # in post 31 days, never supervised: not
        staff("A6", "2020-01-01", "2021-06-30"),                      # ends on `to`: not in post, left out
        staff("A7", "2020-01-01", sw="N"),                            # not a social worker: left out
        staff("A8", "2020-01-01", team="T2"),                         # supervised only after `to`: not
    ],
    "hr_supervision": [
        {"supervision_id": "V1", "staff_id": "A1", "supervision_date": "2021-06-01"},
        {"supervision_id": "V2", "staff_id": "A2", "supervision_date": "2021-05-31"},
        {"supervision_id": "V3", "staff_id": "A3", "supervision_date": "2021-06-30"},
        {"supervision_id": "V4", "staff_id": "A4", "supervision_date": "2021-06-15"},
        {"supervision_id": "V6", "staff_id": "A6", "supervision_date": "2021-06-15"},
        {"supervision_id": "V7", "staff_id": "A7", "supervision_date": "2021-06-15"},
        {"supervision_id": "V8", "staff_id": "A8", "supervision_date": "2021-07-02"},
    ],
}


def test_supervision(tmp_path):
    assert figures(evaluate(tmp_path / "a", SUPERVISION, "sw_supervision_in_timescale_pct", *JUNE)) == (2, 5, 40.0)
    teams = by_team_figures(evaluate(tmp_path / "b", SUPERVISION, "sw_supervision_in_timescale_pct", *JUNE,
                                     by_team=True))
    assert teams == {"T1": (1, 2), "T2": (1, 3)}    # T1: A1, A2; T2: A3, A5, A8


def test_supervision_follows_the_local_standard(tmp_path):
    # 45 days: A2 (30 days before) now counts; A4 and A5 are not yet in post for more than 45 days
    got = compute_with(tmp_path, SUPERVISION, "sw_supervision_in_timescale_pct", *JUNE,
                       with_standard("supervision_days", 45))
    assert (got.iloc[0]["numerator"], got.iloc[0]["denominator"]) == (3, 4)


# --- absence ------------------------------------------------------------------------------------

ABSENCE = {
    "hr_staff": [
        staff("B1", "2020-01-01"),                                    # employed, T1, 1.0
        staff("B2", "2020-01-01", fte=0.5, team="T2"),                # employed, T2, 0.5
        staff("B3", "2020-01-01", etype="agency"),                    # agency: neither numerator nor denominator
        staff("B4", "2020-01-01", "2021-06-20", team="T2"),           # left in June: days lost count, FTE does not
        staff("B5", "2020-01-01"),                                    # employed, T1, 1.0
        staff("B6", "2020-01-01"),                                    # employed, T1, 1.0
        staff("B7", "2020-01-01", sw="N"),                            # not a social worker
    ],
    "hr_absence": [
        # 24 May - 4 June: 9 working days (31 May a bank holiday), 4 of them in June: 9 x 4/9 = 4
        {"absence_id": "X1", "staff_id": "B1", "start_date": "2021-05-24", "end_date": "2021-06-04",
         "working_days_lost": 9},
        {"absence_id": "X2", "staff_id": "B2", "start_date": "2021-06-14", "end_date": "2021-06-15",
         "working_days_lost": 1.0},                                   # 0.5 FTE for 2 days: 1.0
        {"absence_id": "X3", "staff_id": "B3", "start_date": "2021-06-14", "end_date": "2021-06-16",
         "working_days_lost": 3},                                     # agency: left out
        {"absence_id": "X4", "staff_id": "B4", "start_date": "2021-06-07", "end_date": "2021-06-08",
         "working_days_lost": 2},                                     # a leaver's absence: 2
        # 28 June - 9 July: 10 working days, 3 in June: 10 x 3/10 = 3
        {"absence_id": "X5", "staff_id": "B5", "start_date": "2021-06-28", "end_date": "2021-07-09",
         "working_days_lost": 10},
        {"absence_id": "X6", "staff_id": "B6", "start_date": "2021-06-10", "end_date": None,
         "working_days_lost": 5},                                     # no end, starts in June: 5 in full
        {"absence_id": "X7", "staff_id": "B6", "start_date": "2021-05-10", "end_date": None,
         "working_days_lost": 7},                                     # no end, started in May: not in June
        {"absence_id": "X8", "staff_id": "B7", "start_date": "2021-06-10", "end_date": "2021-06-10",
         "working_days_lost": 1},                                     # not a social worker
    ],
}


def test_absence_rate(tmp_path):
    # days lost 4 + 1 + 2 + 3 + 5 = 15; available (1 + 0.5 + 1 + 1) x 22 = 77
    n, d, v = figures(evaluate(tmp_path / "a", ABSENCE, "sw_absence_rate_pct", *JUNE))
    assert (n, d) == (pytest.approx(15), pytest.approx(3.5 * JUNE_WORKING_DAYS))
    assert v == pytest.approx(100 * 15 / 77)
    teams = approx_teams(evaluate(tmp_path / "b", ABSENCE, "sw_absence_rate_pct", *JUNE, by_team=True))
    assert teams == {"T1": (12, 66), "T2": (3, 11)}


def test_absence_spanning_the_period_start_counts_its_share_in_each_period(tmp_path):
    may = figures(evaluate(tmp_path / "a", {**ABSENCE, "hr_absence": ABSENCE["hr_absence"][:1]},
                           "sw_absence_rate_pct", "2021-05-01", "2021-05-31"))
    assert may[0] == pytest.approx(5)        # 24-28 May: 5 of its 9 working days


# --- children looked after with 3 or more social workers ------------------------------------

def episode(eid, person, start, ceased=None):
    return {"clae_cla_episode_id": eid, "clae_person_id": person, "clae_cla_id": "C" + eid,
            "clae_cla_episode_start_date": start, "clae_cla_episode_ceased_date": ceased,
            "clae_entered_care_date": start}


def alloc(iid, person, worker, start, end=None, team="T1", role="ALLOCATED_SW"):
    return case(iid, worker, start, end, role=role, person=person, team=team)


STABILITY = {
    "ssd_cla_episodes": [
        episode("E1", "P1", "2019-01-01"),                # 3 workers in the window: counted, T2
        episode("E2", "P2", "2019-01-01"),                # 2 in the window (W1 ended on its first day): not, T1
        episode("E3", "P3", "2019-01-01"),                # W1 twice and W2: 2 distinct, not; unallocated at `to`
        episode("E4", "P4", "2019-01-01", "2021-06-30"),  # ceases on `to`: not looked after
        episode("E5", "P5", "2019-01-01"),                # 4 workers, the last from `to`: counted, T1
    ],
    "ssd_legal_status": [
        {"lega_legal_status_id": "L1", "lega_person_id": "P1", "lega_legal_status": "C2",
         "lega_legal_status_start_date": "2019-01-01"},
    ],
    "ssd_involvements": [
        alloc("1", "P1", "W1", "2019-01-01", "2020-08-01"),
        alloc("2", "P1", "W2", "2020-08-01", "2021-01-01"),
        alloc("3", "P1", "W3", "2021-01-01", team="T2"),
        alloc("4", "P2", "W1", "2019-01-01", "2020-07-01"),    # window starts 2020-07-01: not open that day
        alloc("5", "P2", "W2", "2020-07-01", "2021-02-01"),
        alloc("6", "P2", "W3", "2021-02-01"),
        alloc("7", "P3", "W1", "2020-09-01", "2020-10-01"),
        alloc("8", "P3", "W1", "2020-11-01", "2021-01-01"),
        alloc("9", "P3", "W2", "2021-01-01", "2021-05-01"),
        alloc("10", "P3", None, "2021-05-01", "2021-06-01"),   # no professional: not a known worker
        alloc("11", "P3", "W9", "2021-01-01", role="IRO"),     # not an allocated social worker
        alloc("12", "P4", "W1", "2020-09-01", "2020-10-01"),
        alloc("13", "P4", "W2", "2020-10-01", "2020-11-01"),
        alloc("14", "P4", "W3", "2020-11-01"),
        alloc("15", "P5", "W1", "2020-10-01", "2021-01-01"),
        alloc("16", "P5", "W2", "2021-01-01", "2021-03-01"),
        alloc("17", "P5", "W3", "2021-03-01", "2021-06-30"),
        alloc("18", "P5", "W4", "2021-06-30"),
    ],
}


def test_children_with_3_or_more_social_workers(tmp_path):
    assert figures(evaluate(tmp_path / "a", STABILITY, "cla_3plus_social_workers_pct", *JUNE)) == (2, 4, 50.0)
    teams = by_team_figures(evaluate(tmp_path / "b", STABILITY, "cla_3plus_social_workers_pct", *JUNE,
                                     by_team=True))
    assert teams == {"T1": (1, 2), "T2": (1, 1), "UNALLOCATED": (0, 1)}
