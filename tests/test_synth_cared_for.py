"""The cared-for children part of the demo generator (issue 3): shape, integrity, determinism, calibration.

The calibration checks compute each indicator from the truth tables with small, deliberately
simple pandas code that follows INDICATORS.md ("open at D": start <= D and (end null or
end > D)); the recording lag (_lag) is ignored.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from torbay_dash import contract
from torbay_dash.synth import cared_for, org, safeguarding, workforce
from torbay_dash.synth.context import SynthConfig, SynthContext
from torbay_dash.synth.people import PersonRegistry

TABLES = ["ssd_cla_episodes", "ssd_cla_placement", "ssd_legal_status", "ssd_cla_reviews", "ssd_cla_visits",
          "ssd_cla_health", "ssd_missing", "ssd_care_leavers", "ssd_permanence", "local_camhs", "ssd_involvements"]
BEFORE, NOW = pd.Timestamp("2020-03-31"), pd.Timestamp("2021-07-31")


def build(seed: int = 42, with_safeguarding: bool = True, referrals: pd.DataFrame | None = None):
    """A context as simulate.py builds it (teams, people, workforce, safeguarding), then this area."""
    ctx = SynthContext(SynthConfig(seed=seed))
    org.build_teams(ctx)
    ctx.people = PersonRegistry(ctx)
    ctx.tables = {}
    ctx.tables.update(workforce.simulate(ctx))
    if with_safeguarding:
        ctx.tables.update(safeguarding.simulate(ctx))
    if referrals is not None:
        ctx.tables["ssd_cin_episodes"] = referrals(ctx)
    return ctx, cared_for.simulate(ctx)


@pytest.fixture(scope="module")
def built():
    return build()


@pytest.fixture(scope="module")
def truth(built):
    return built[1]


@pytest.fixture(scope="module")
def dob(built):
    people = built[0].people.table()
    return people.set_index("pers_person_id")["pers_dob"]


# ---------------------------------------------------------------------------------------
# Deliberately simple indicator code (INDICATORS.md, "Cared-for children")
def open_at(frame: pd.DataFrame, start: str, end: str, d) -> pd.DataFrame:
    d = pd.Timestamp(d)
    return frame[(frame[start] <= d) & (frame[end].isna() | (frame[end] > d))]


def cla_at(t: dict, d) -> pd.DataFrame:
    """One row per child looked after at d: the open episode (latest start) and its placement."""
    ep = open_at(t["ssd_cla_episodes"], "clae_cla_episode_start_date", "clae_cla_episode_ceased_date", d)
    ep = ep.sort_values(["clae_cla_episode_start_date", "clae_cla_episode_id"]).drop_duplicates(
        "clae_person_id", keep="last")
    ls = open_at(t["ssd_legal_status"], "lega_legal_status_start_date", "lega_legal_status_end_date", d)
    ls = ls.sort_values(["lega_legal_status_start_date", "lega_legal_status_id"]).drop_duplicates(
        "lega_person_id", keep="last")
    short_break = set(ls.loc[ls["lega_legal_status"].isin(["V3", "V4"]), "lega_person_id"])
    ep = ep[~ep["clae_person_id"].isin(short_break)]
    pl = t["ssd_cla_placement"].drop(columns=["_anchor", "_lag"]).set_index("clap_cla_placement_id")
    return ep.join(pl, on="clae_cla_placement_id")


def pct(numerator, denominator) -> float:
    return 100.0 * numerator / denominator


def in_house_foster_pct(t, d):
    c = cla_at(t, d)
    foster = c["clap_cla_placement_type"].isin(["U1", "U2", "U3", "U4", "U5", "U6"])
    return pct((foster & (c["clap_cla_placement_provider"] == "PR1")).sum(), len(c))


def residential_count(t, d):
    return int(cla_at(t, d)["clap_cla_placement_type"].isin(["K1", "K2", "R1", "S1"]).sum())


def placed_20mi_pct(t, d):
    c = cla_at(t, d)
    known = c[c["clap_cla_placement_distance"].notna()]
    return pct((known["clap_cla_placement_distance"] > 20).sum(), len(known))


def visits_pct(t, d):
    d = pd.Timestamp(d)
    c = cla_at(t, d)
    visits = t["ssd_cla_visits"]
    visits = visits[(visits["clav_cla_visit_seen"] == "Y") & (visits["clav_cla_visit_date"] <= d)]
    last = visits.groupby("clav_person_id")["clav_cla_visit_date"].max()
    start = c["clap_cla_placement_start_date"]
    long_term = c["clap_cla_placement_type"].isin(["U1", "U4"]) & ((d - start).dt.days > 365)
    interval = np.where(long_term, 91, 42)
    since = (d - c["clae_person_id"].map(last)).dt.days
    ok = ((d - start).dt.days <= 7) | (since <= interval)
    return pct(ok.sum(), len(c))


def camhs_direct(t, d):
    c = cla_at(t, d)
    camhs = open_at(t["local_camhs"], "start_date", "end_date", d)
    direct = set(camhs.loc[camhs["provision_type"] == "direct", "person_id"])
    return int(c["clae_person_id"].isin(direct).sum())


def months_before(d, n):
    return pd.Timestamp(d) - pd.DateOffset(months=n)


def three_plus_placements_pct(t, d):
    d = pd.Timestamp(d)
    c = cla_at(t, d)
    pl = t["ssd_cla_placement"]
    window_start = months_before(d, 12) + pd.Timedelta(days=1)
    overlap = pl[(pl["clap_cla_placement_start_date"] <= d)
                 & (pl["clap_cla_placement_end_date"].isna() | (pl["clap_cla_placement_end_date"] >= window_start))]
    n = overlap.groupby("clap_person_id")["clap_cla_placement_id"].nunique()
    return pct((c["clae_person_id"].map(n).fillna(0) >= 3).sum(), len(c))


def age_at(born: pd.Series, d) -> pd.Series:
    """Completed years at d."""
    d = pd.Timestamp(d)
    return d.year - born.dt.year - ((born.dt.month > d.month) | ((born.dt.month == d.month) & (born.dt.day > d.day)))


def long_term_stability_pct(t, dob, d):
    d = pd.Timestamp(d)
    c = cla_at(t, d)
    c = c[(c["clae_entered_care_date"] <= months_before(d, 30)) & (age_at(c["clae_person_id"].map(dob), d) < 16)]
    return pct((c["clap_cla_placement_start_date"] <= months_before(d, 24)).sum(), len(c))


def check_pct(t, d, kind):
    d = pd.Timestamp(d)
    c = cla_at(t, d)
    c = c[c["clae_entered_care_date"] <= months_before(d, 12)]
    h = t["ssd_cla_health"]
    h = h[(h["clah_health_check_type"].str.lower() == kind.lower()) & (h["clah_health_check_status"] == "Completed")
          & (h["clah_health_check_date"] > months_before(d, 12)) & (h["clah_health_check_date"] <= d)]
    return pct(c["clae_person_id"].isin(set(h["clah_person_id"])).sum(), len(c))


def care_starts(t, first, last):
    ep = t["ssd_cla_episodes"].drop_duplicates("clae_cla_id")
    ep = ep[~ep["clae_cla_id"].isin(short_break_periods(t))]
    return int(ep["clae_entered_care_date"].between(pd.Timestamp(first), pd.Timestamp(last)).sum())


def short_break_periods(t) -> set:
    ep = t["ssd_cla_episodes"]
    ls = t["ssd_legal_status"]
    sb_people = set(ls.loc[ls["lega_legal_status"].isin(["V3", "V4"]), "lega_person_id"])
    return set(ep.loc[ep["clae_person_id"].isin(sb_people), "clae_cla_id"])


def adoptions(t, first, last):
    pm = t["ssd_permanence"]
    pm = pm[pm["perm_permanence_order_type"] == "Adoption"]
    return int(pm["perm_permanence_order_date"].between(pd.Timestamp(first), pd.Timestamp(last)).sum())


# ---------------------------------------------------------------------------------------
def test_tables_have_exactly_the_contract_columns(truth):
    assert set(truth) == set(TABLES)
    for name, frame in truth.items():
        assert list(frame.columns) == contract.TABLES[name].column_names + ["_anchor", "_lag"], name
        assert len(frame) > 0, name
        assert (frame["_lag"] == 0).all(), name
        for col in contract.TABLES[name].columns:
            if col.type == contract.DATE:
                assert pd.api.types.is_datetime64_any_dtype(frame[col.name]), (name, col.name)
            if col.type == contract.FLAG:
                assert frame[col.name].dropna().isin(["Y", "N"]).all(), (name, col.name)
        assert pd.api.types.is_datetime64_any_dtype(frame["_anchor"]), name


def test_keys_unique_and_no_end_before_start(truth):
    for name, frame in truth.items():
        key = contract.TABLES[name].key
        assert frame[key].notna().all() and frame[key].is_unique, name
    for check in contract.DATE_ORDER_CHECKS:
        if check.table in truth:
            f = truth[check.table]
            assert not (f[check.end] < f[check.start]).any(), check.table


def test_rows_appear_no_later_than_their_dates(truth):
    """A row's anchor is when it comes into existence: never after the event it records."""
    pairs = {"ssd_cla_episodes": "clae_cla_episode_start_date", "ssd_cla_placement": "clap_cla_placement_start_date",
             "ssd_cla_visits": "clav_cla_visit_date", "ssd_care_leavers": "clea_care_leaver_latest_contact",
             "local_camhs": "referral_date", "ssd_involvements": "invo_involvement_start_date"}
    for name, col in pairs.items():
        f = truth[name]
        assert (f["_anchor"] == f[col]).all(), name
    rv = truth["ssd_cla_reviews"]
    assert (rv["_anchor"] <= rv["clar_cla_review_due_date"]).all()
    held = rv[rv["clar_cla_review_date"].notna()]
    assert (held["_anchor"] < held["clar_cla_review_date"]).all()


def test_episodes_of_a_period_do_not_overlap_and_point_to_their_placement(truth):
    ep = truth["ssd_cla_episodes"].sort_values(["clae_cla_id", "clae_cla_episode_start_date"])
    same = ep["clae_cla_id"].eq(ep["clae_cla_id"].shift())
    prev_end = ep["clae_cla_episode_ceased_date"].shift()
    assert prev_end[same].notna().all()
    assert (ep["clae_cla_episode_start_date"][same] >= prev_end[same]).all()
    assert (ep.groupby("clae_cla_id")["clae_entered_care_date"].nunique() == 1).all()
    first = ep[~same]
    # children already in care when the history starts show only their episode open then
    new = first["clae_entered_care_date"] >= pd.Timestamp("2013-05-01")
    assert (first.loc[new, "clae_cla_episode_start_reason"] == "S").all()
    assert first.loc[new, "clae_cla_episode_start_date"].eq(first.loc[new, "clae_entered_care_date"]).all()
    assert first["clae_cla_episode_start_date"].ge(first["clae_entered_care_date"]).all()
    assert (first.loc[~new, "clae_cla_episode_start_date"] < pd.Timestamp("2013-05-01")).all()
    assert set(ep.loc[same, "clae_cla_episode_start_reason"]) <= {"P", "L", "T", "B", "U"}
    assert ep.loc[same.shift(-1, fill_value=False), "clae_cla_episode_ceased_reason"].eq("X1").all()
    pl = truth["ssd_cla_placement"].drop(columns=["_anchor", "_lag"]).set_index("clap_cla_placement_id")
    joined = ep.join(pl, on="clae_cla_placement_id")
    assert joined["clap_cla_id"].eq(joined["clae_cla_id"]).all()
    assert (joined["clap_cla_placement_start_date"] <= joined["clae_cla_episode_start_date"]).all()
    # a child is in one period of care at a time
    periods = ep.drop_duplicates("clae_cla_id", keep="last").sort_values(["clae_person_id", "clae_entered_care_date"])
    again = periods["clae_person_id"].eq(periods["clae_person_id"].shift())
    before = periods["clae_cla_episode_ceased_date"].shift()
    assert before[again].notna().all()
    assert (periods["clae_entered_care_date"][again] >= before[again]).all()


def test_codes_are_903_codes(truth):
    pl = truth["ssd_cla_placement"]
    assert set(pl["clap_cla_placement_provider"]) <= {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"}
    assert {"U1", "U4", "U6", "K2", "P1", "H5", "A6"} <= set(pl["clap_cla_placement_type"])
    ls = set(truth["ssd_legal_status"]["lega_legal_status"])
    assert {"C1", "C2", "V2", "V3", "V4", "E1", "L1", "J1"} <= ls
    ceased = set(truth["ssd_cla_episodes"]["clae_cla_episode_ceased_reason"].dropna())
    assert {"X1", "E11", "E12", "E13", "E4A", "E45", "E46", "E48", "E17", "E8"} <= ceased
    miss = truth["ssd_missing"]
    assert set(miss["miss_missing_episode_type"]) == {"M", "A"}
    camhs = truth["local_camhs"]
    assert set(camhs["provision_type"]) == {"direct", "consultation"}
    cl = truth["ssd_care_leavers"]
    assert set(cl["clea_care_leaver_in_touch"]) <= {"YES", "NO", "DIED", "REFU", "NREQ", "RHOM"}
    assert cl["clea_care_leaver_activity"].dropna().str.match(r"^[FPG]\d$").all()
    inv = truth["ssd_involvements"]
    assert (inv["invo_professional_role_id"] == contract.ALLOCATED_SW).all()
    assert inv["invo_professional_id"].notna().mean() > 0.95


def test_short_breaks_never_count_as_looked_after(truth):
    ls = truth["ssd_legal_status"]
    sb = set(ls.loc[ls["lega_legal_status"].isin(["V3", "V4"]), "lega_person_id"])
    assert 10 <= len(open_at(ls[ls["lega_legal_status"].isin(["V3", "V4"])], "lega_legal_status_start_date",
                             "lega_legal_status_end_date", NOW)) <= 40
    assert not cla_at(truth, NOW)["clae_person_id"].isin(sb).any()
    teams = truth["ssd_involvements"]
    assert teams.loc[teams["invo_person_id"].isin(sb), "invo_professional_team"].nunique() == 1


def test_deterministic():
    a = build(7, with_safeguarding=False)[1]
    b = build(7, with_safeguarding=False)[1]
    c = build(8, with_safeguarding=False)[1]
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not a["ssd_cla_episodes"].equals(c["ssd_cla_episodes"])


def test_entrants_with_an_open_referral_are_preferred():
    def referrals(ctx):
        rng = np.random.default_rng(0)
        n = 3000
        start = pd.Timestamp("2013-05-01") + pd.to_timedelta(rng.integers(0, 3000, n), unit="D")
        ages = rng.integers(0, 17, n)
        people = ctx.people.add((start.to_numpy().astype("datetime64[D]").astype(np.int64)), ages)
        return pd.DataFrame({"cine_referral_id": [f"R{i}" for i in range(n)], "cine_person_id": people,
                             "cine_referral_date": start, "cine_cin_primary_need_code": "N1",
                             "cine_referral_nfa": "N", "cine_close_date": start + pd.Timedelta(days=300)})
    ctx, t = build(3, with_safeguarding=False, referrals=referrals)
    ep = t["ssd_cla_episodes"].drop_duplicates("clae_cla_id")
    linked = ep[ep["clae_referral_id"].notna()]
    assert len(linked) > 0.5 * (ep["clae_entered_care_date"] > pd.Timestamp("2014-01-01")).sum()
    refs = ctx.tables["ssd_cin_episodes"].set_index("cine_referral_id")
    joined = linked.join(refs, on="clae_referral_id")
    assert (joined["cine_person_id"] == joined["clae_person_id"]).all()
    assert (joined["cine_referral_date"] <= joined["clae_entered_care_date"]).all()
    assert (joined["cine_close_date"] > joined["clae_entered_care_date"]).all()


# ---------------------------------------------------------------------------------------
# Calibration (issue 3; review figures and Torbay's published ones)
def test_cla_count(truth):
    assert abs(len(cla_at(truth, BEFORE)) - 352) <= 0.03 * 352
    assert abs(len(cla_at(truth, NOW)) - 307) <= 0.03 * 307
    assert abs(len(cla_at(truth, "2019-03-31")) - 360) <= 15      # 141 per 10,000
    assert abs(len(cla_at(truth, "2021-03-31")) - 321) <= 15      # 126 per 10,000


def test_cla_visits_in_timescale(truth):
    assert abs(visits_pct(truth, BEFORE) - 50) <= 3
    assert abs(visits_pct(truth, NOW) - 78) <= 3
    # valid at every month end, improving steadily through 2020-21
    months = pd.date_range("2020-04-30", "2021-07-31", freq="ME")
    values = [visits_pct(truth, d) for d in months]
    assert all(b > a - 3 for a, b in zip(values, values[1:]))
    assert values[-1] - values[0] > 20


def test_cla_in_house_foster(truth):
    assert abs(in_house_foster_pct(truth, BEFORE) - 55.7) <= 2
    assert abs(in_house_foster_pct(truth, NOW) - 63.0) <= 2


def test_cla_residential_count(truth):
    assert abs(residential_count(truth, BEFORE) - 42) <= 2
    assert abs(residential_count(truth, NOW) - 22) <= 2


def test_cla_placed_20mi(truth):
    assert abs(placed_20mi_pct(truth, NOW) - 26.2) <= 2
    assert placed_20mi_pct(truth, BEFORE) > placed_20mi_pct(truth, NOW)


def test_cla_camhs_direct(truth):
    assert abs(camhs_direct(truth, NOW) - 5) <= 1


def test_near_torbay_published_figures(truth, dob):
    """Not calibrated exactly: Torbay published 11/16/11% (3+ placements), 64/60/66% (stability), 91/89/89%
    (health assessments) for 2019/2020/2021; ranges allow for a seed's chance."""
    for d in ("2019-03-31", "2020-03-31", "2021-03-31"):
        assert 7 <= three_plus_placements_pct(truth, d) <= 21, d
        assert 52 <= long_term_stability_pct(truth, dob, d) <= 75, d
        assert 84 <= check_pct(truth, d, "Health Assessment") <= 95, d
    assert 75 <= check_pct(truth, "2020-03-31", "Dental Check") <= 94      # published 86
    assert check_pct(truth, "2021-03-31", "Dental Check") <= 15          # dentists closed (COVID)
    for first, last in (("2018-04-01", "2019-03-31"), ("2019-04-01", "2020-03-31"), ("2020-04-01", "2021-03-31")):
        assert 110 <= care_starts(truth, first, last) <= 160, first
    assert abs(adoptions(truth, "2018-04-01", "2019-03-31") - 11) <= 3
    assert abs(adoptions(truth, "2019-04-01", "2020-03-31") - 26) <= 4
    assert abs(adoptions(truth, "2020-04-01", "2021-03-31") - 17) <= 3
