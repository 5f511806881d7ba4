"""Figures a newer extract revised: late recording and corrections, against hand-built rows."""
import datetime as dt

from snapshots import write_tables
from torbay_dash.db import SnapshotDB
from torbay_dash.periods import months
from torbay_dash.revisions import revised_figures
from torbay_dash.settings import load_settings
from torbay_dash.store import load_snapshot

JUNE_PERIODS = months(dt.date(2021, 4, 1), dt.date(2021, 6, 30))


def referral(rid, day, person="P1"):
    return {"cine_referral_id": rid, "cine_person_id": person, "cine_referral_date": day, "cine_referral_team": "T1"}


def db_of(folder, referrals):
    return SnapshotDB(load_snapshot(write_tables(folder, {"ssd_cin_episodes": referrals}), cache=False))


def test_a_late_recorded_referral_revises_its_month_and_only_that_month(tmp_path):
    june = db_of(tmp_path / "2021-06-30", [referral("R1", "2021-04-10"),     # April: in both extracts
                                           referral("R2", "2021-05-12")])    # May: in both
    july = db_of(tmp_path / "2021-07-31", [referral("R1", "2021-04-10"),
                                           referral("R2", "2021-05-12"),
                                           referral("R3", "2021-05-20"),     # May, recorded late: May revised 1 -> 2
                                           referral("R4", "2021-07-02")])    # July: after the older extract, not compared
    revised = revised_figures(july, june, ["referrals"], JUNE_PERIODS, load_settings())
    assert revised[["to", "value_before", "value_now"]].values.tolist() == [[dt.date(2021, 5, 31), 1.0, 2.0]]


def test_identical_extracts_revise_nothing_and_absent_tables_are_left_out(tmp_path):
    rows = [referral("R1", "2021-04-10")]
    first, second = db_of(tmp_path / "a" / "2021-06-30", rows), db_of(tmp_path / "b" / "2021-07-31", rows)
    assert revised_figures(second, first, ["referrals", "cla_count"], JUNE_PERIODS, load_settings()).empty
