"""Weekly extracts: a data root whose snapshots are a week apart, not month ends.

Hand-built weekly snapshots (expected outcomes in the rows' comments) and a small weekly demo root cut from
the simulation check the store, the indicator store, the "Last 4 weeks" preset, revisions and the Overview's
week-on-week wording.
"""
import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from snapshots import publish, small_service
from torbay_dash import figures
from torbay_dash.compute import compute, live_sums
from torbay_dash.db import SnapshotDB
from torbay_dash.headlines import headline
from torbay_dash.indicators import REGISTRY
from torbay_dash.periods import (PRESETS, Period, change_label, is_weekly, months, preset_period, weeks)
from torbay_dash.revisions import revised_figures
from torbay_dash.settings import load_settings
from torbay_dash.store import Store
from torbay_dash.synth import generate
from torbay_dash.synth.context import SynthConfig
from torbay_dash.synth.generate import snapshot_dates
from torbay_dash.ui.overview import period_label, revision_periods

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
D = dt.date


# --- periods -----------------------------------------------------------------------------------------------

def test_last_4_weeks_is_offered_after_last_quarter_and_ends_at_the_extract():
    assert PRESETS.index("Last 4 weeks") == PRESETS.index("Last quarter") + 1
    assert PRESETS[-1] == "Custom"
    # a Saturday extract mid-month: the 28 days to it, not the last complete month
    assert preset_period("Last 4 weeks", D(2021, 7, 24)) == Period(D(2021, 6, 27), D(2021, 7, 24))
    assert preset_period("Last 4 weeks", D(2021, 3, 1)) == Period(D(2021, 2, 2), D(2021, 3, 1))  # across February
    # the month presets still end at the last complete month
    assert preset_period("Last quarter", D(2021, 7, 24)).end == D(2021, 6, 30)


def test_weeks_are_whole_seven_day_periods_ending_at_the_end_newest_last():
    assert weeks(D(2021, 7, 4), D(2021, 7, 31)) == [
        Period(D(2021, 7, 4), D(2021, 7, 10)), Period(D(2021, 7, 11), D(2021, 7, 17)),
        Period(D(2021, 7, 18), D(2021, 7, 24)), Period(D(2021, 7, 25), D(2021, 7, 31))]
    # a part week at the start (1 to 3 July) is left out
    assert weeks(D(2021, 7, 1), D(2021, 7, 31))[0] == Period(D(2021, 7, 4), D(2021, 7, 10))
    assert weeks(D(2021, 7, 26), D(2021, 7, 31)) == []                  # not a whole week
    assert weeks(D(2021, 7, 25), D(2021, 7, 31)) == [Period(D(2021, 7, 25), D(2021, 7, 31))]


def test_is_weekly_reads_the_latest_two_snapshots():
    assert is_weekly([D(2021, 7, 31), D(2021, 7, 24)])                      # order does not matter
    assert is_weekly([D(2021, 5, 31), D(2021, 6, 30), D(2021, 7, 21), D(2021, 7, 31)])  # 10 days: a late load
    assert not is_weekly([D(2021, 7, 10), D(2021, 7, 17), D(2021, 7, 31)])  # weekly once, now 14 days
    assert not is_weekly([D(2021, 6, 30), D(2021, 7, 31)])                  # monthly
    assert not is_weekly([D(2021, 7, 31)]) and not is_weekly([])            # nothing to compare
    assert not is_weekly([D(2021, 7, 31), D(2021, 7, 31)])                  # one date twice is one snapshot


def test_change_label_words_a_week_a_month_or_the_date():
    assert change_label(D(2021, 7, 24), D(2021, 7, 31)) == "since last week (24 July 2021)"
    assert change_label(D(2021, 6, 30), D(2021, 7, 31)) == "since last month (30 June 2021)"
    assert change_label(D(2021, 1, 31), D(2021, 2, 28)) == "since last month (31 January 2021)"
    assert change_label(D(2021, 4, 30), D(2021, 7, 31)) == "since the snapshot of 30 April 2021"  # a gap
    assert change_label(D(2021, 7, 3), D(2021, 7, 31)) == "since the snapshot of 03 July 2021"   # same month


def test_revision_periods_monthly_as_before_weekly_adds_the_four_weeks():
    june = D(2021, 6, 30)
    assert revision_periods(june, weekly=False) == [months(D(2020, 7, 1), june)]
    whole, four = revision_periods(D(2021, 7, 24), weekly=True)
    assert whole == months(D(2020, 7, 1), june)                     # whole months only: held in the store
    assert four == weeks(D(2021, 6, 27), D(2021, 7, 24)) and len(four) == 4
    assert period_label(D(2021, 6, 1), june) == "2021-06"
    assert period_label(D(2021, 7, 18), D(2021, 7, 24)) == "week to 24 Jul 2021"


def test_the_demo_default_stays_monthly_and_weekly_is_every_seven_days():
    assert len(snapshot_dates(SynthConfig())) == 28
    dates = snapshot_dates(SynthConfig(first_snapshot=D(2021, 6, 26)), "weekly")
    assert dates == [D(2021, 6, 26), D(2021, 7, 3), D(2021, 7, 10), D(2021, 7, 17), D(2021, 7, 24), D(2021, 7, 31)]


# --- hand-built weekly snapshots ---------------------------------------------------------------------------

def referral(rid, day, team="T_MASH"):
    return {"cine_referral_id": rid, "cine_person_id": "P1", "cine_referral_date": day, "cine_referral_team": team}


# Referrals each weekly extract holds. "Last 4 weeks" of the 31 July extract is 4 to 31 July.
JULY_17 = [
    referral("W1", "2021-06-20"),   # before the 4 weeks to 31 July: not counted
    referral("W2", "2021-07-04"),   # the first day of the 4 weeks: counted
    referral("W3", "2021-07-12"),   # counted
]
JULY_24 = JULY_17 + [
    referral("W4", "2021-07-20"),   # counted; in the week to 24 July in both later extracts
]
JULY_31 = JULY_24 + [
    referral("W5", "2021-07-22"),   # recorded late (after 24 July): revises the week to 24 July, 1 -> 2, and July
    referral("W6", "2021-07-31"),   # the extract's own day: counted (the preset reads up to the extract)
]
HAND_COUNT_4_WEEKS = 5              # W2, W3, W4, W5, W6


def weekly_tables(referrals):
    return {**small_service(), "ssd_cin_episodes": referrals}


@pytest.fixture(scope="module")
def weekly_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("weekly") / "data"
    for as_at, rows in (("2021-07-17", JULY_17), ("2021-07-24", JULY_24), ("2021-07-31", JULY_31)):
        snapshot = publish(root, as_at, weekly_tables(rows), synthetic=True)
        assert snapshot.usable and snapshot.path.parent.name == "snapshots", snapshot.reasons
    shutil.copy(ROOT / "data" / "local_authority.toml", root / "local_authority.toml")
    return root


def test_weekly_snapshots_are_listed_served_and_none_quarantined(weekly_root):
    store = Store(weekly_root)
    listed = store.list()
    assert [s.id for s in listed] == ["2021-07-17", "2021-07-24", "2021-07-31"]
    assert all(s.usable and not s.quarantined for s in listed)
    assert store.latest_usable().id == "2021-07-31"
    assert is_weekly([s.as_at for s in listed])


def test_last_4_weeks_equals_the_hand_count_with_and_without_the_indicator_store(weekly_root, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(weekly_root, root)  # the store writes beside the snapshot: not into the module's root
    settings = load_settings(root)
    snapshot = Store(root).get("2021-07-31")
    period = preset_period("Last 4 weeks", snapshot.as_at)
    referrals = REGISTRY["referrals"]
    db = SnapshotDB(snapshot)
    live = compute(db, referrals, [period], settings)
    store = figures.ensure(db, settings)
    assert period not in store.periods                 # not a month the store holds
    assert store.sums(referrals, [period]) is None     # so compute falls back to the unit rows
    stored = compute(db, referrals, [period], settings)
    assert live["value"].tolist() == stored["value"].tolist() == [HAND_COUNT_4_WEEKS]
    # each week: 4-10 July W2; 11-17 W3; 18-24 W4, W5; 25-31 W6
    by_week = compute(db, referrals, weeks(period.start, period.end), settings)
    assert by_week["value"].tolist() == [1, 1, 2, 1]
    # whole months still come from the store and agree with the unit rows
    june = [Period(D(2021, 6, 1), D(2021, 6, 30))]
    assert store.sums(referrals, june) is not None
    assert (compute(db, referrals, june, settings)["value"].tolist()
            == live_sums(db, referrals, june, settings)["numerator"].tolist() == [1])   # W1
    db.close()


def test_headlines_read_calendar_months_up_to_the_last_complete_one(weekly_root):
    db = SnapshotDB(Store(weekly_root).get("2021-07-24"))
    h = headline(db, load_settings(weekly_root), "referrals", length=24)
    assert h.period == Period(D(2021, 6, 1), D(2021, 6, 30))    # July is not complete on 24 July
    assert h.value == 1                                          # W1
    assert list(h.series["to"])[-2:] == [D(2021, 5, 31), D(2021, 6, 30)]
    db.close()


def test_revisions_between_the_last_two_weekly_snapshots(weekly_root):
    store, settings = Store(weekly_root), load_settings(weekly_root)
    now, before = SnapshotDB(store.get("2021-07-31")), SnapshotDB(store.get("2021-07-24"))
    whole, four = revision_periods(before.snapshot.as_at, weekly=True)
    assert revised_figures(now, before, ["referrals"], whole, settings).empty   # no whole month changed
    revised = revised_figures(now, before, ["referrals"], four, settings)
    assert revised[["to", "value_before", "value_now"]].values.tolist() == [[D(2021, 7, 24), 1.0, 2.0]]  # W5
    now.close(), before.close()


def overview(root, use_data_root, **query) -> AppTest:
    use_data_root(root)
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    return at


def test_overview_compares_with_last_weeks_snapshot(weekly_root, use_data_root, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(weekly_root, root)
    at = overview(root, use_data_root, period="Last 4 weeks")
    text = " ".join(m.value for m in at.markdown)
    assert "**Moved by special cause since last week (24 July 2021)**" in text
    assert "the 4 weeks to 24 July 2021, 24 July 2021 snapshot against 31 July 2021" in text
    revised = next(df.value for df in at.dataframe if "value before" in df.value.columns)
    referrals = revised[revised["indicator"] == "Referrals"]
    assert referrals[["period", "value before", "value now"]].values.tolist() == [["week to 24 Jul 2021", 1, 2]]
    # an earlier snapshot compares with the week before it
    at = overview(root, use_data_root, as_at="2021-07-24")
    assert any("since last week (17 July 2021)" in m.value for m in at.markdown)
    assert any("newest complete month is June 2021" in c.value for c in at.caption)   # July is not over


# --- a weekly demo root cut from the simulation ------------------------------------------------------------

@pytest.fixture(scope="module")
def weekly_demo(tmp_path_factory):
    """Six weekly snapshots, 26 June to 31 July 2021, of a small simulated authority."""
    root = tmp_path_factory.mktemp("weekly_demo") / "data"
    published = generate(root, snapshots="weekly", config=SynthConfig(scale=0.2, first_snapshot=D(2021, 6, 26)))
    assert [s.id for s in published][-2:] == ["2021-07-24", "2021-07-31"]
    shutil.copy(ROOT / "data" / "local_authority.toml", root / "local_authority.toml")
    return root


def test_weekly_demo_last_4_weeks_matches_a_count_of_the_extract(weekly_demo, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(weekly_demo, root)
    store = Store(root)
    assert all(s.usable and not s.quarantined for s in store.list())
    snapshot = store.latest_usable()
    settings = load_settings(root)
    db = SnapshotDB(snapshot)
    figures.ensure(db, settings)
    period = preset_period("Last 4 weeks", snapshot.as_at)
    rows = pd.read_parquet(snapshot.table_path("ssd_cin_episodes"))
    dates = pd.to_datetime(rows["cine_referral_date"]).dt.date
    closed_before = pd.to_datetime(rows["cine_close_date"]) < pd.to_datetime(rows["cine_referral_date"])
    # every row dated in the 4 weeks, less those the view leaves out: a close before the referral (an
    # injected defect), and the repeat of an id (the first row wins)
    in_period = rows[(dates >= period.start) & (dates <= period.end) & ~closed_before]
    by_hand = in_period["cine_referral_id"].nunique()
    assert by_hand > 0
    assert compute(db, REGISTRY["referrals"], [period], settings)["value"].tolist() == [by_hand]
    db.close()


def test_weekly_demo_overview_reads_week_on_week(weekly_demo, use_data_root, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(weekly_demo, root)
    at = overview(root, use_data_root, period="Last 4 weeks")
    assert any(m.value == "**Moved by special cause since last week (24 July 2021)**" for m in at.markdown)
    assert any("newest complete month is July 2021" in c.value for c in at.caption)   # 31 July ends it


@pytest.mark.parametrize("page", ["views/safeguarding.py", "views/cared_for.py", "views/workforce.py",
                                  "views/quality.py", "views/data_quality.py"])
def test_every_area_page_draws_over_the_last_4_weeks(weekly_root, use_data_root, tmp_path, page):
    root = tmp_path / "data"
    shutil.copytree(weekly_root, root)
    use_data_root(root)
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["period"] = "Last 4 weeks"
    at = at.run().switch_page(page).run()
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    assert any("04 Jul 2021 to 31 Jul 2021" in c.value for c in at.caption)   # the sidebar's period
