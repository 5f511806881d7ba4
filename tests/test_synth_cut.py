"""Snapshots cut from truth tables behave like real extracts (hand-built rows, expected outcome in comments)."""
import datetime as dt

import numpy as np
import pandas as pd

from torbay_dash.synth import cut, migration
from torbay_dash.synth.context import SynthConfig, SynthContext, day

D = np.datetime64


def _truth(rows):
    frame = pd.DataFrame(rows)
    for col in frame:
        if col.endswith("_date") or col == "_anchor":
            frame[col] = pd.to_datetime(frame[col])
    return cut.normalise("ssd_cin_episodes", frame)


REFERRALS = _truth([
    # anchored on its referral date, recorded at once, closed before the cut: fully visible
    {"cine_referral_id": "R1", "cine_referral_date": "2021-01-04", "cine_close_date": "2021-03-01",
     "cine_close_reason": "RC1", "_anchor": "2021-01-04", "_lag": 0},
    # closes after the cut: visible, close date and close reason null (still open then)
    {"cine_referral_id": "R2", "cine_referral_date": "2021-05-04", "cine_close_date": "2021-09-01",
     "cine_close_reason": "RC2", "_anchor": "2021-05-04", "_lag": 0},
    # referred before the cut but recorded 30 days late: not in the snapshot yet
    {"cine_referral_id": "R3", "cine_referral_date": "2021-07-20", "_anchor": "2021-07-20", "_lag": 30},
    # closed 10 days before the cut but the closure was recorded 20 days late: still open here
    {"cine_referral_id": "R4", "cine_referral_date": "2020-01-06", "cine_close_date": "2021-07-21",
     "cine_close_reason": "RC3", "_anchor": "2020-01-06", "_lag": 20},
    # referred after the cut: absent
    {"cine_referral_id": "R5", "cine_referral_date": "2021-08-02", "_anchor": "2021-08-02", "_lag": 0},
])


def test_cut_shows_what_was_recorded_by_the_as_at_date():
    snap = cut.cut_table("ssd_cin_episodes", REFERRALS, day(dt.date(2021, 7, 31))).set_index("cine_referral_id")
    assert list(snap.index) == ["R1", "R2", "R4"]
    assert snap.loc["R1", "cine_close_reason"] == "RC1"
    assert pd.isna(snap.loc["R2", "cine_close_date"]) and pd.isna(snap.loc["R2", "cine_close_reason"])
    assert pd.isna(snap.loc["R4", "cine_close_date"]) and pd.isna(snap.loc["R4", "cine_close_reason"])


def test_a_later_cut_catches_up():
    snap = cut.cut_table("ssd_cin_episodes", REFERRALS, day(dt.date(2021, 9, 30))).set_index("cine_referral_id")
    assert list(snap.index) == ["R1", "R2", "R3", "R4", "R5"]
    assert snap.loc["R4", "cine_close_reason"] == "RC3"


def test_planned_dates_are_kept_even_in_the_future():
    truth = cut.normalise("ssd_cp_reviews", pd.DataFrame([
        # scheduled in June for 1 September; held then: the due date shows, the held date does not
        {"cppr_cp_review_id": "V1", "cppr_cp_review_due": pd.Timestamp("2021-09-01"),
         "cppr_cp_review_date": pd.Timestamp("2021-09-01"), "_anchor": pd.Timestamp("2021-06-01"), "_lag": 0}]))
    snap = cut.cut_table("ssd_cp_reviews", truth, day(dt.date(2021, 7, 31)))
    assert snap.loc[0, "cppr_cp_review_due"] == pd.Timestamp("2021-09-01")
    assert pd.isna(snap.loc[0, "cppr_cp_review_date"])


def test_arrow_types_follow_the_contract():
    table = cut.to_arrow("ssd_cin_episodes", cut.cut_table("ssd_cin_episodes", REFERRALS, day(dt.date(2021, 7, 31))))
    assert str(table.schema.field("cine_referral_date").type) == "date32[day]"
    assert str(table.schema.field("cine_referral_id").type) == "string"


def _cla_tables():
    def ts(s):
        return pd.Timestamp(s) if s else pd.NaT
    people = [f"C{i}" for i in range(50)]
    episodes = pd.DataFrame({
        "clae_cla_episode_id": [f"E{i}" for i in range(50)], "clae_person_id": people,
        "clae_cla_id": [f"P{i}" for i in range(50)], "clae_cla_placement_id": [f"PL{i}" for i in range(50)],
        # 40 in care at 30 June 2021; 10 left in May
        "clae_cla_episode_start_date": [ts("2020-01-01")] * 50,
        "clae_cla_episode_ceased_date": [pd.NaT] * 40 + [ts("2021-05-01")] * 10})
    placements = pd.DataFrame({
        "clap_cla_placement_id": [f"PL{i}" for i in range(50)], "clap_person_id": people,
        "clap_cla_placement_start_date": [ts("2020-01-01")] * 50,
        "clap_cla_placement_end_date": [pd.NaT] * 40 + [ts("2021-05-01")] * 10})
    person = pd.DataFrame({"pers_person_id": people})
    return {"ssd_cla_episodes": episodes, "ssd_cla_placement": placements, "ssd_person": person}


def test_migration_duplicates_children_in_care_and_drops_placements():
    tables = _cla_tables()
    done = migration.apply(SynthContext(SynthConfig()), tables, pd.Timestamp("2021-06-30"))
    # 12% of the 40 children in care (5) arrive twice; 6% (2) lose their current placement
    assert done == {"children_migrated_twice": 5, "children_missing_current_placement": 2}
    episodes = tables["ssd_cla_episodes"]
    open_now = episodes["clae_cla_episode_ceased_date"].isna()
    assert episodes.loc[open_now, "clae_person_id"].nunique() == 45
    assert episodes["clae_cla_episode_id"].is_unique
    copies = episodes[episodes["clae_person_id"].str.startswith("CM")]
    assert set(copies["clae_cla_placement_id"]) <= set(tables["ssd_cla_placement"]["clap_cla_placement_id"])
    assert len(tables["ssd_cla_placement"]) == 50 + 5 - 2
    assert len(tables["ssd_person"]) == 55
