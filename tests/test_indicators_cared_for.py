"""The cared-for indicators against hand-built rows.

Each fixture row says in its comment what the indicator must do with it. Unless stated, the
period is March 2021, so `to` is 2021-03-31: 12 months before is 2020-03-31, 24 months
2019-03-31, 30 months 2018-09-30.
"""
import re

import pandas as pd
import pytest

from conftest import SHARED
from snapshots import by_team_figures, evaluate, figures
from test_indicators_safeguarding import allocation, rows_of
from torbay_dash.indicators import REGISTRY

POPULATION_2021 = 25450.0  # data/local_authority.toml, the year containing the period end
MARCH = ("2021-03-01", "2021-03-31")

CARED_FOR_IDS = ["cla_count", "cla_rate_per_10k", "cla_starts", "cla_ceased", "cla_in_house_foster_pct",
                 "cla_residential_count", "cla_placed_20mi_pct", "cla_3plus_placements_pct",
                 "cla_long_term_stability_pct", "cla_visits_in_timescale_pct", "cla_reviews_on_time_pct",
                 "cla_health_assessment_pct", "cla_dental_check_pct", "cla_missing_pct", "cla_camhs_direct",
                 "care_leavers_in_touch_pct", "care_leavers_suitable_accom_pct", "care_leavers_eet_pct",
                 "adoption_entry_to_placement_days"]


def test_every_cared_for_indicator_is_registered_in_the_handbooks_order():
    assert [i for i, ind in REGISTRY.items() if ind.area == "cared_for"] == CARED_FOR_IDS
    spec = SHARED / "spec" / "INDICATORS.md"
    if spec.is_file():
        section = spec.read_text().split("## Cared-for children")[1].split("\n## ")[0]
        assert re.findall(r"^\|\s*`(\w+)`", section, flags=re.M) == CARED_FOR_IDS


@pytest.mark.parametrize("indicator_id", CARED_FOR_IDS)
def test_entries_are_complete(indicator_id):
    ind = REGISTRY[indicator_id]
    assert ind.title and ind.definition and ind.team_rule and ind.numerator_label and ind.tables
    assert (ind.denominator_label != "") == (ind.unit in ("percent", "mean"))


# --- helpers ------------------------------------------------------------------------------

def episode(eid, person, start, ceased=None, cla=None, placement=None, entered=None):
    return {"clae_cla_episode_id": eid, "clae_person_id": person, "clae_cla_id": cla or "C" + eid,
            "clae_cla_placement_id": placement, "clae_cla_episode_start_date": start,
            "clae_cla_episode_ceased_date": ceased, "clae_entered_care_date": entered or start}


def placement(pid, person, start, end=None, typ="U2", provider="PR4", distance=5.0):
    return {"clap_cla_placement_id": pid, "clap_person_id": person, "clap_cla_placement_start_date": start,
            "clap_cla_placement_end_date": end, "clap_cla_placement_type": typ,
            "clap_cla_placement_provider": provider, "clap_cla_placement_distance": distance}


def status(lid, person, code, start, end=None):
    return {"lega_legal_status_id": lid, "lega_person_id": person, "lega_legal_status": code,
            "lega_legal_status_start_date": start, "lega_legal_status_end_date": end}


def person(pid, dob):
    return {"pers_person_id": pid, "pers_dob": dob}


# --- population and placements at the period end -------------------------------------------

STOCK_TABLES = {
    "ssd_cla_episodes": [
        episode("E1", "P1", "2020-01-01", placement="PL1"),              # looked after; own foster carer, 5 miles
        episode("E2", "P2", "2019-01-01", placement="PL2"),              # looked after; children's home, 35 miles
        episode("E3", "P3", "2020-06-01", placement="PL3"),              # short break (V3): never looked after
        episode("E4", "P4", "2020-01-01", "2021-03-31", placement="PL4"),  # ceases on `to`: not looked after
        episode("E5", "P5", "2020-05-01", placement="PL5"),              # own foster carer, distance unknown
        episode("E6", "P6", "2020-05-01", placement="PL6"),              # agency foster carer, exactly 20 miles
        episode("E7", "P7", "2020-05-01"),                               # no placement named: not known
        episode("E8", "P8", "2020-05-01", placement="PL8"),              # residential care home (PR1), 20.5 miles
    ],
    "ssd_cla_placement": [
        placement("PL1", "P1", "2020-01-01", typ="U1", provider="PR1", distance=5.0),
        placement("PL2", "P2", "2019-01-01", typ="K2", provider="PR4", distance=35.0),
        placement("PL3", "P3", "2020-06-01", typ="K1", provider="PR1", distance=40.0),
        placement("PL4", "P4", "2020-01-01", "2021-03-31", typ="U1", provider="PR1"),
        placement("PL5", "P5", "2020-05-01", typ="U4", provider="PR1", distance=None),
        placement("PL6", "P6", "2020-05-01", typ="U2", provider="PR4", distance=20.0),
        placement("PL8", "P8", "2020-05-01", typ="R1", provider="PR1", distance=20.5),
    ],
    "ssd_legal_status": [
        status("L1", "P1", "C2", "2020-01-01"),
        status("L3", "P3", "V3", "2020-06-01"),                          # the short break
    ],
    "ssd_involvements": [
        allocation("1", "P1", "T1", "2020-01-01"),
        allocation("2", "P2", "T1", "2019-01-01", "2021-03-15"),         # P2 moves team in the period:
        allocation("3", "P2", "T2", "2021-03-15"),                       #   T2 at `to`
        allocation("4", "P5", "T2", "2020-05-01"),
    ],
}


def test_cla_rate(tmp_path):
    got = figures(evaluate(tmp_path, STOCK_TABLES, "cla_rate_per_10k", *MARCH))
    assert got[:2] == (6, POPULATION_2021)  # P1, P2, P5, P6, P7, P8
    assert got[2] == pytest.approx(6 / POPULATION_2021 * 10000)


def test_in_house_foster(tmp_path):
    got = figures(evaluate(tmp_path / "a", STOCK_TABLES, "cla_in_house_foster_pct", *MARCH))
    assert got[:2] == (2, 6)  # P1, P5 of P1, P2, P5, P6, P7, P8
    teams = by_team_figures(evaluate(tmp_path / "b", STOCK_TABLES, "cla_in_house_foster_pct", *MARCH, by_team=True))
    assert teams == {"T1": (1, 1), "T2": (1, 2), "UNALLOCATED": (0, 3)}


def test_residential_count(tmp_path):
    assert figures(evaluate(tmp_path, STOCK_TABLES, "cla_residential_count", *MARCH)) == (2, None, 2)  # P2, P8


def test_placed_over_20_miles(tmp_path):
    # known distances: P1 (5), P2 (35), P6 (exactly 20: not more), P8 (20.5); P5 unknown, P7 no placement
    assert figures(evaluate(tmp_path, STOCK_TABLES, "cla_placed_20mi_pct", *MARCH)) == (2, 4, 50.0)


def test_placement_drill_down(tmp_path):
    rows = rows_of(tmp_path, STOCK_TABLES, "cla_placed_20mi_pct", *MARCH).set_index("person_id")
    assert rows.loc["P2", "placement_type"] == "K2" and rows.loc["P2", "placement_distance"] == 35.0
    assert rows.loc["P2", "team"] == "T2"


# --- starts and endings -------------------------------------------------------------------

FLOW_TABLES = {
    "ssd_cla_episodes": [
        episode("K1", "Q1", "2021-03-05", cla="K1"),                                  # starts in the period (T1)
        episode("K2a", "Q2", "2020-01-01", "2021-03-10", cla="K2"),                    # a move within the period
        episode("K2b", "Q2", "2021-03-10", "2021-03-31", cla="K2", entered="2020-01-01"),  # last episode ceases on `to`: ceased
        episode("K3a", "Q3", "2020-01-01", "2021-03-15", cla="K3"),                    # ceases in the period, but
        episode("K3b", "Q3", "2021-03-15", cla="K3", entered="2020-01-01"),            #   another episode follows: not ceased
        episode("K4", "Q4", "2021-03-10", "2021-03-12", cla="K4"),                    # a short break (V3): neither
        episode("K5", "Q5", "2021-02-28", "2021-03-20", cla="K5"),                    # started before, ceased in the period
        episode("K6a", "Q6", "2021-03-31", cla="K6"),                                 # entered-care dates disagree:
        episode("K6b", "Q6", "2021-04-02", cla="K6", entered="2021-04-02"),           #   the earliest (31 March) counts: a start
        episode("K7a", "Q7", "2020-01-01", "2021-03-20", cla="K7"),                    # the period of care goes on
        episode("K7b", "Q7", "2021-03-25", "2021-04-05", cla="K7", entered="2020-01-01"),  #   after `to`: not ceased in March
        episode("K8a", "Q8", "2021-03-02", "2021-03-09", cla="K8a"),                  # one child, two periods of care:
        episode("K8b", "Q8", "2021-03-20", cla="K8b"),                                #   two starts, one ending
    ],
    "ssd_legal_status": [status("LK4", "Q4", "V3", "2021-03-10", "2021-03-12")],
    "ssd_involvements": [
        allocation("1", "Q1", "T1", "2021-03-05"),                # opens on the entered-care date: open then
        allocation("2", "Q2", "T1", "2020-01-01", "2021-03-31"),  # ends on the ceased date: not open then
        allocation("3", "Q5", "T2", "2021-01-01"),
    ],
}


def test_cla_starts(tmp_path):
    assert figures(evaluate(tmp_path / "a", FLOW_TABLES, "cla_starts", *MARCH)) == (4, None, 4)  # K1, K6, K8a, K8b
    teams = by_team_figures(evaluate(tmp_path / "b", FLOW_TABLES, "cla_starts", *MARCH, by_team=True))
    assert teams == {"T1": (1, None), "UNALLOCATED": (3, None)}


def test_cla_ceased(tmp_path):
    assert figures(evaluate(tmp_path / "a", FLOW_TABLES, "cla_ceased", *MARCH)) == (3, None, 3)  # K2, K5, K8a
    teams = by_team_figures(evaluate(tmp_path / "b", FLOW_TABLES, "cla_ceased", *MARCH, by_team=True))
    assert teams == {"T2": (1, None), "UNALLOCATED": (2, None)}
    rows = rows_of(tmp_path / "c", FLOW_TABLES, "cla_ceased", *MARCH).set_index("unit_id")
    assert sorted(rows.index) == ["K2", "K5", "K8a"]
    assert str(rows.loc["K2", "entered_care_date"])[:10] == "2020-01-01"


# --- stability ----------------------------------------------------------------------------
# The 12 months ending 2021-03-31 are [2020-04-01, 2021-03-31].

PLACEMENTS_TABLES = {
    "ssd_cla_episodes": [episode(f"EQ{i}", f"Q{i}", "2019-01-01") for i in (1, 2, 3, 5)]
    + [episode("EQ4", "Q4", "2019-01-01", "2021-03-31")],                    # Q4 ceases on `to`: out
    "ssd_cla_placement": [
        placement("A1", "Q1", "2019-01-01", "2020-04-01"),   # ends on the window's first day: not open in it
        placement("B1", "Q1", "2020-04-01", "2020-06-01"),   # counted
        placement("C1", "Q1", "2020-06-01"),                 # counted: Q1 has 2, not 3+
        placement("A2", "Q2", "2019-01-01", "2020-04-02"),   # open on 2020-04-01: counted
        placement("B2", "Q2", "2020-04-02", "2020-05-01"),   # counted
        placement("C2", "Q2", "2020-05-01"),                 # counted: Q2 has 3
        placement("A3", "Q3", "2021-03-31"),                 # starts on `to`: counted
        placement("B3", "Q3", "2021-01-01", "2021-03-31"),   # counted
        placement("C3", "Q3", "2020-12-01", "2021-01-01"),   # counted: Q3 has 3
        placement("D3", "Q3", "2020-11-01", "2020-11-01"),   # starts and ends the same day: never open
        placement("A4", "Q4", "2020-05-01"), placement("B4", "Q4", "2020-06-01"), placement("C4", "Q4", "2020-07-01"),
        placement("A5", "Q5", "2019-01-01"),                 # counted
        placement("B5", "Q5", "2021-04-01"),                 # starts after `to`: Q5 has 1
    ],
    "ssd_legal_status": [],
}


def test_three_or_more_placements(tmp_path):
    assert figures(evaluate(tmp_path, PLACEMENTS_TABLES, "cla_3plus_placements_pct", *MARCH)) == (2, 4, 50.0)
    rows = rows_of(tmp_path / "b", PLACEMENTS_TABLES, "cla_3plus_placements_pct", *MARCH).set_index("person_id")
    assert rows["placements_in_12_months"].to_dict() == {"Q1": 2, "Q2": 3, "Q3": 3, "Q5": 1}


STABILITY_TABLES = {
    "ssd_cla_episodes": [
        episode("ES1", "S1", "2019-03-31", entered="2018-09-30", placement="PS1"),  # in care exactly 30 months
        episode("ES2", "S2", "2019-03-31", entered="2018-10-01", placement="PS2"),  # 30 months less a day: out
        episode("ES3", "S3", "2018-01-01", placement="PS3"),                         # turns 16 on `to`: out
        episode("ES4", "S4", "2018-01-01", placement="PS4"),                         # 15 until tomorrow: in
        episode("ES5", "S5", "2018-01-01", placement="PS5"),                         # no date of birth: out
        episode("ES6", "S6", "2018-01-01"),                                          # no placement known: in, not stable
    ],
    "ssd_cla_placement": [
        placement("PS1", "S1", "2019-03-31"),   # exactly 24 months: stable
        placement("PS2", "S2", "2019-03-31"),
        placement("PS3", "S3", "2018-01-01"),
        placement("PS4", "S4", "2019-04-01"),   # 24 months less a day: not stable
        placement("PS5", "S5", "2018-01-01"),
    ],
    "ssd_person": [person("S1", "2010-01-01"), person("S2", "2010-01-01"), person("S3", "2005-03-31"),
                   person("S4", "2005-04-01"), person("S6", "2012-06-01")],
    "ssd_legal_status": [],
}


def test_long_term_stability(tmp_path):
    got = figures(evaluate(tmp_path, STABILITY_TABLES, "cla_long_term_stability_pct", *MARCH))
    assert got[:2] == (1, 3)  # S1 of S1, S4, S6
    assert got[2] == pytest.approx(100 / 3)


# --- statutory visits ---------------------------------------------------------------------

def cla_visit(vid, who, date, seen="Y"):
    return {"clav_cla_visit_id": vid, "clav_person_id": who, "clav_cla_visit_date": date, "clav_cla_visit_seen": seen}


VISIT_TABLES = {
    "ssd_cla_episodes": [episode(f"EV{i}", f"V{i}", "2019-01-01", placement=f"PV{i}") for i in range(1, 8)]
    + [episode("EV8", "V8", "2019-01-01")],
    "ssd_cla_placement": [
        placement("PV1", "V1", "2020-03-30", typ="U1"),  # long-term fostering 366 days: 91-day interval
        placement("PV2", "V2", "2020-03-31", typ="U4"),  # long-term fostering exactly 365 days: 42 days
        placement("PV3", "V3", "2019-01-01", typ="U2"),  # not long-term fostering: 42 days
        placement("PV4", "V4", "2021-03-25", typ="K2"),  # started 6 days before `to`: new, in time
        placement("PV5", "V5", "2021-03-24", typ="K2"),  # started 7 days before: not new
        placement("PV6", "V6", "2019-01-01", typ="U3"),
        placement("PV7", "V7", "2021-03-30", typ="U6"),
    ],
    "ssd_cla_visits": [
        cla_visit("W1", "V1", "2020-12-30"),             # 91 days before `to`: in time (interval 91)
        cla_visit("W2", "V2", "2021-01-30"),             # 60 days: late (interval 42), 18 days overdue
        cla_visit("W3", "V3", "2021-02-17"),             # exactly 42 days: in time
        cla_visit("W6a", "V6", "2021-03-30", seen="N"),  # not seen: does not count
        cla_visit("W6b", "V6", "2021-04-01"),            # after `to`: does not count; V6 late
        cla_visit("W8", "V8", "2021-02-17"),             # no placement known, 42 days: in time
    ],                                                   # V5: never visited, late
    "ssd_legal_status": [status("LV7", "V7", "V4", "2021-03-30")],  # V7 on a short break: out
}


def test_cla_visits_in_timescale(tmp_path):
    got = figures(evaluate(tmp_path, VISIT_TABLES, "cla_visits_in_timescale_pct", *MARCH))
    assert got[:2] == (4, 7)  # V1, V3, V4, V8 of V1-V6 and V8
    rows = rows_of(tmp_path / "b", VISIT_TABLES, "cla_visits_in_timescale_pct", *MARCH).set_index("person_id")
    assert rows.loc["V1", "interval_days"] == 91 and rows.loc["V2", "interval_days"] == 42
    assert rows.loc["V2", "days_overdue"] == 18 and not rows.loc["V2", "in_timescale"]
    assert rows.loc["V4", "new_placement"] and not rows.loc["V5", "new_placement"]
    assert pd.isna(rows.loc["V5", "last_seen_visit_date"])


# --- reviews ------------------------------------------------------------------------------

def cla_review(rid, cla, due, held, cancelled="N"):
    return {"clar_cla_review_id": rid, "clar_cla_id": cla, "clar_cla_review_due_date": due,
            "clar_cla_review_date": held, "clar_cla_review_cancelled": cancelled}


REVIEW_TABLES = {
    "ssd_cla_episodes": [episode("ER1", "R1", "2020-01-01", cla="CR1"), episode("ER2", "R2", "2020-01-01", cla="CR2")],
    "ssd_cla_reviews": [
        cla_review("RV1", "CR1", "2021-04-15", "2021-04-15"),          # on its due date: on time (T1 then)
        cla_review("RV2", "CR1", "2021-04-15", "2021-04-16"),          # a day late (T2: R1 moved that day)
        cla_review("RV3", "CR2", "2021-04-15", "2021-04-10", "Y"),     # cancelled: out
        cla_review("RV4", "CR2", None, "2021-04-12"),                  # no due date: out
        cla_review("RV5", "CR2", "2021-04-20", "2021-04-10", None),    # cancelled not recorded: counted, on time (T2)
        cla_review("RV6", "C_NONE", "2021-04-01", "2021-04-05"),       # no such period of care: late, UNALLOCATED
        cla_review("RV7", "CR1", "2021-04-30", "2021-05-01"),          # held after the period: out
    ],
    "ssd_involvements": [
        allocation("1", "R1", "T1", "2020-01-01", "2021-04-16"),
        allocation("2", "R1", "T2", "2021-04-16"),
        allocation("3", "R2", "T2", "2020-01-01"),
    ],
}


def test_cla_reviews_on_time(tmp_path):
    got = figures(evaluate(tmp_path / "a", REVIEW_TABLES, "cla_reviews_on_time_pct", "2021-04-01", "2021-04-30"))
    assert got == (2, 4, 50.0)  # RV1, RV5 of RV1, RV2, RV5, RV6
    teams = by_team_figures(evaluate(tmp_path / "b", REVIEW_TABLES, "cla_reviews_on_time_pct", "2021-04-01",
                                     "2021-04-30", by_team=True))
    assert teams == {"T1": (1, 1), "T2": (1, 2), "UNALLOCATED": (0, 1)}


# --- health -------------------------------------------------------------------------------

def check(hid, who, typ, date, state="Completed"):
    return {"clah_health_check_id": hid, "clah_person_id": who, "clah_health_check_type": typ,
            "clah_health_check_date": date, "clah_health_check_status": state}


HEALTH_TABLES = {
    "ssd_cla_episodes": [
        episode("EH1", "H1", "2020-03-31"),                    # in care exactly 12 months: in the cohort
        episode("EH2", "H2", "2020-04-01"),                    # 12 months less a day: out
        episode("EH3", "H3", "2019-01-01"),
        episode("EH4", "H4", "2019-01-01"),
        episode("EH5", "H5", "2019-01-01"),
        {**episode("EH6", "H6", "2019-01-01"), "clae_entered_care_date": None},  # no entered-care date: out
    ],
    "ssd_cla_health": [
        check("X1", "H1", "Health Assessment", "2020-04-01"),              # inside the 12 months: H1 assessed
        check("X2", "H2", "Health Assessment", "2020-05-01"),
        check("X3", "H3", "health assessment", "2020-03-31"),              # exactly 12 months before: too old
        check("X4", "H4", "HEALTH ASSESSMENT", "2020-06-01", "Refused"),   # refused: does not count
        check("X5", "H4", "Dental Check", "2021-03-31"),                   # on `to`: H4's dental check counts
        check("X6", "H5", "Health Assessment", "2021-03-31"),              # on `to`: H5 assessed
        check("X7", "H5", "dental check", "2021-04-01"),                   # after `to`: does not count
    ],
    "ssd_legal_status": [],
}


def test_health_assessments(tmp_path):
    assert figures(evaluate(tmp_path, HEALTH_TABLES, "cla_health_assessment_pct", *MARCH)) == (2, 4, 50.0)  # H1, H5


def test_dental_checks(tmp_path):
    assert figures(evaluate(tmp_path, HEALTH_TABLES, "cla_dental_check_pct", *MARCH)) == (1, 4, 25.0)  # H4


# --- missing ------------------------------------------------------------------------------

def missing(mid, who, start, typ="M"):
    return {"miss_table_id": mid, "miss_person_id": who, "miss_missing_episode_start_date": start,
            "miss_missing_episode_type": typ}


MISSING_TABLES = {
    "ssd_cla_episodes": [
        episode("EM1", "M1", "2020-01-01"),                 # looked after all month; missing in it: counted
        episode("EM2", "M2", "2020-01-01", "2021-03-01"),   # ceased on the first day: not looked after in March
        episode("EM3", "M3", "2020-01-01", "2021-03-15"),   # left care on the 15th: in, team on the 14th (T1)
        episode("EM4", "M4", "2021-03-31"),                 # starts on `to`: in; missing only before the period
        episode("EM5", "M5", "2020-01-01"),                 # short break (V3): out
        episode("EM6", "M6", "2020-01-01"),                 # missing on `to`: counted
    ],
    "ssd_missing": [
        missing("N1", "M1", "2021-03-10"), missing("N2", "M2", "2021-03-05"),
        missing("N3", "M3", "2021-03-05", "A"),             # away without authorisation: not missing
        missing("N4", "M4", "2021-02-28"), missing("N5", "M5", "2021-03-05"), missing("N6", "M6", "2021-03-31"),
    ],
    "ssd_legal_status": [status("LM5", "M5", "V3", "2020-01-01")],
    "ssd_involvements": [allocation("1", "M3", "T1", "2020-01-01", "2021-03-15")],
}


def test_cla_missing(tmp_path):
    assert figures(evaluate(tmp_path / "a", MISSING_TABLES, "cla_missing_pct", *MARCH)) == (2, 4, 50.0)  # M1, M6
    teams = by_team_figures(evaluate(tmp_path / "b", MISSING_TABLES, "cla_missing_pct", *MARCH, by_team=True))
    assert teams == {"T1": (0, 1), "UNALLOCATED": (2, 3)}


# --- CAMHS --------------------------------------------------------------------------------

def camhs(cid, who, start, end=None, kind="direct"):
    return {"camhs_id": cid, "person_id": who, "start_date": start, "end_date": end, "provision_type": kind}


CAMHS_TABLES = {
    "ssd_cla_episodes": [episode(f"EC{i}", f"C{i}", "2020-01-01") for i in (1, 2, 3, 5, 6)]
    + [episode("EC4", "C4", "2020-01-01", "2021-02-01")],
    "local_camhs": [
        camhs("H1", "C1", "2021-01-01"),                        # direct, open: counted
        camhs("H2", "C2", "2021-01-01", kind="consultation"),   # consultation: not
        camhs("H3", "C3", "2021-01-01", "2021-03-31"),          # ends on `to`: not open
        camhs("H4", "C4", "2021-01-01"),                        # no longer looked after: not
        camhs("H5a", "C5", "2021-01-01"), camhs("H5b", "C5", "2021-02-01"),  # two open rows: counted once
        camhs("H6", "C6", "2021-04-01"),                        # starts after `to`: not
    ],
    "ssd_legal_status": [],
}


def test_camhs_direct(tmp_path):
    assert figures(evaluate(tmp_path, CAMHS_TABLES, "cla_camhs_direct", *MARCH)) == (2, None, 2)  # C1, C5


# --- care leavers -------------------------------------------------------------------------

def leaver(rid, who, contact, touch="YES", suitable="Y", activity="F2", team="T1"):
    return {"clea_table_id": rid, "clea_person_id": who, "clea_care_leaver_latest_contact": contact,
            "clea_care_leaver_in_touch": touch, "clea_care_leaver_accom_suitable": suitable,
            "clea_care_leaver_activity": activity, "clea_care_leaver_allocated_team": team}


LEAVER_TABLES = {
    "ssd_care_leavers": [
        leaver("5", "L1", "2021-01-10"),                                     # L1's latest: in touch, suitable, EET
        leaver("9", "L1", "2020-06-01", "NO", None, None),                   #   an older row: ignored
        leaver("20", "L2", "2021-01-10"),                                    # aged 22: out
        leaver("10", "L3", "2021-02-01", "NO", None, "P1", team="T2"),       # same date: 10 beats 9 as numbers:
        leaver("8", "L3", "2021-02-01", team="T2"),                          #   not in touch, not suitable, EET
        leaver("11", "L4", "2021-01-10"),                                    # aged 16: out
        leaver("12", "L5", "2021-04-05", team=None),                         # dated after `to`: not yet known
        leaver("13", "L5", "2020-12-01", "REFU", "N", "f2", team=None),      #   so this row: none of the three
        leaver("14", "L6", "2021-01-10"),                                    # not in ssd_person: out
        leaver("15", "L7", None, activity="P4"),                             # no contact date, the only row: all three
    ],
    "ssd_person": [
        person("L1", "2004-03-31"),   # turns 17 on `to`: in
        person("L2", "1999-03-30"),   # 22: out
        person("L3", "1999-04-01"),   # 21 until tomorrow: in
        person("L4", "2004-04-01"),   # 16: out
        person("L5", "2002-01-01"), person("L7", "2001-06-01"),
    ],
}


@pytest.mark.parametrize("indicator_id, expected", [
    ("care_leavers_in_touch_pct", (2, 4, 50.0)),          # L1, L7 of L1, L3, L5, L7
    ("care_leavers_suitable_accom_pct", (2, 4, 50.0)),    # L1, L7
    ("care_leavers_eet_pct", (3, 4, 75.0)),               # L1 (F2), L3 (P1), L7 (P4); not f2
])
def test_care_leavers(tmp_path, indicator_id, expected):
    assert figures(evaluate(tmp_path, LEAVER_TABLES, indicator_id, *MARCH)) == expected


def test_care_leavers_by_team(tmp_path):
    teams = by_team_figures(evaluate(tmp_path, LEAVER_TABLES, "care_leavers_in_touch_pct", *MARCH, by_team=True))
    assert teams == {"T1": (2, 2), "T2": (0, 1), "UNALLOCATED": (0, 1)}


# --- adoption -----------------------------------------------------------------------------

def order(oid, cla, placed, ordered, kind="Adoption"):
    return {"perm_table_id": oid, "perm_person_id": "A" + oid, "perm_cla_id": cla,
            "perm_placed_for_adoption_date": placed, "perm_permanence_order_date": ordered,
            "perm_permanence_order_type": kind}


ADOPTION_TABLES = {
    "ssd_cla_episodes": [
        episode("EA1", "A1", "2019-01-01", cla="A1"),
        episode("EA2a", "A2", "2018-09-01", cla="A2", entered="2018-09-01"),   # the earliest entered-care date
        episode("EA2b", "A2", "2018-10-01", cla="A2", entered="2018-06-01"),   #   of the period of care: 1 June
        {**episode("EA3", "A3", "2019-01-01", cla="A3"), "clae_entered_care_date": None},
    ],
    "ssd_permanence": [
        order("X1", "A1", "2019-07-01", "2021-03-31"),     # 181 days, ordered on `to`: in
        order("X2", "A2", "2019-06-01", "2018-04-01"),     # 365 days: in
        order("X3", "A1", "2019-07-01", "2018-03-31"),     # ordered exactly 3 years before `to`: out
        order("X4", "A1", "2019-07-01", "2020-01-01", "Special Guardianship Order"),  # not an adoption: out
        order("X5", "A3", "2019-07-01", "2020-01-01"),     # no entered-care date: out
        order("X6", "A1", None, "2020-01-01"),             # no placed-for-adoption date: out
        order("X7", "C_NONE", "2019-07-01", "2020-01-01"), # no such period of care: out
        order("X8", "A1", "2018-12-01", "2020-01-01"),     # placed before entering care: out
    ],
}


def test_adoption_entry_to_placement(tmp_path):
    assert figures(evaluate(tmp_path, ADOPTION_TABLES, "adoption_entry_to_placement_days", *MARCH)) == (546, 2, 273.0)


# --- nothing to count ---------------------------------------------------------------------

@pytest.mark.parametrize("indicator_id", CARED_FOR_IDS)
def test_empty_tables(tmp_path, indicator_id):
    tables = {t: [] for t in REGISTRY[indicator_id].tables}
    unit = REGISTRY[indicator_id].unit
    expected = {"count": (0, None, 0), "rate_per_10k": (0, POPULATION_2021, 0.0)}.get(unit, (0, 0, None))
    assert figures(evaluate(tmp_path, tables, indicator_id, *MARCH)) == expected


@pytest.mark.parametrize("indicator_id, tables", [
    ("cla_in_house_foster_pct", STOCK_TABLES), ("cla_placed_20mi_pct", STOCK_TABLES),
    ("cla_3plus_placements_pct", PLACEMENTS_TABLES), ("cla_long_term_stability_pct", STABILITY_TABLES),
    ("cla_visits_in_timescale_pct", VISIT_TABLES), ("cla_reviews_on_time_pct", REVIEW_TABLES),
    ("cla_health_assessment_pct", HEALTH_TABLES), ("cla_missing_pct", MISSING_TABLES),
    ("care_leavers_in_touch_pct", LEAVER_TABLES), ("adoption_entry_to_placement_days", ADOPTION_TABLES),
])
def test_a_period_with_nothing_to_count_has_no_value(tmp_path, indicator_id, tables):
    # rows exist, none in (or, for stocks, open at the end of) January 2017: a denominator of 0
    assert figures(evaluate(tmp_path, tables, indicator_id, "2017-01-01", "2017-01-31")) == (0, 0, None)


@pytest.mark.parametrize("indicator_id", CARED_FOR_IDS)
def test_drill_down_rows_carry_no_names_or_postcodes(tmp_path, indicator_id):
    tables = {t: [] for t in REGISTRY[indicator_id].tables}
    rows = rows_of(tmp_path, tables, indicator_id, *MARCH)
    assert {"period_from", "period_to", "unit_id", "person_id", "team", "numerator", "denominator"} <= set(rows)
    assert not [c for c in rows.columns if "name" in c or "postcode" in c]
