"""The demo data tells the 2021 review's story: each calibration line of the "Synthetic Torbay" issue,
computed by the dashboard's own indicators on the latest demo snapshot.

Area issues add their lines here as their indicators land.
"""
import datetime as dt

import pytest

from torbay_dash.compute import compute
from torbay_dash.db import SnapshotDB
from torbay_dash.indicators import REGISTRY
from torbay_dash.periods import Period
from torbay_dash.settings import load_settings
from torbay_dash.store import Store

D = dt.date
BEFORE_FLOW = Period(D(2019, 4, 1), D(2020, 3, 31))
NOW_FLOW = Period(D(2020, 8, 1), D(2021, 7, 31))
FY_2020_21 = Period(D(2020, 4, 1), D(2021, 3, 31))
APR_JUL_2021 = Period(D(2021, 4, 1), D(2021, 7, 31))
BEFORE_STOCK = Period(D(2020, 3, 1), D(2020, 3, 31))
NOW_STOCK = Period(D(2021, 7, 1), D(2021, 7, 31))
JUNE_2020 = Period(D(2020, 6, 1), D(2020, 6, 30))   # workforce: the review's figures are as at 30 June
JUNE_2021 = Period(D(2021, 6, 1), D(2021, 6, 30))

# (indicator, period, target, tolerance, 'points' or 'relative')
CALIBRATION = [
    ("cla_count", BEFORE_STOCK, 352, 0.03, "relative"),
    ("cla_count", NOW_STOCK, 307, 0.03, "relative"),
    ("assessments_45wd_pct", BEFORE_FLOW, 76.6, 3, "points"),
    ("assessments_45wd_pct", FY_2020_21, 80.0, 3, "points"),
    ("contacts_completed_1wd_pct", BEFORE_FLOW, 86, 2, "points"),
    ("contacts_completed_1wd_pct", APR_JUL_2021, 97, 2, "points"),
    ("icpc_15wd_pct", BEFORE_FLOW, 63, 3, "points"),
    ("icpc_15wd_pct", NOW_FLOW, 80, 3, "points"),
    ("cse_identified", BEFORE_FLOW, 47, 0.05, "relative"),
    ("cse_identified", NOW_FLOW, 182, 0.05, "relative"),
    ("rereferrals_12m_pct", BEFORE_FLOW, 22.2, 3, "points"),
    ("rereferrals_12m_pct", FY_2020_21, 24.5, 3, "points"),
    ("cp_second_subsequent_pct", BEFORE_FLOW, 28.4, 4, "points"),
    ("cp_second_subsequent_pct", FY_2020_21, 24.1, 4, "points"),
    ("cla_visits_in_timescale_pct", BEFORE_STOCK, 50, 3, "points"),
    ("cla_visits_in_timescale_pct", NOW_STOCK, 78, 3, "points"),
    ("cla_in_house_foster_pct", BEFORE_STOCK, 55.7, 2, "points"),
    ("cla_in_house_foster_pct", NOW_STOCK, 63.0, 2, "points"),
    ("cla_residential_count", BEFORE_STOCK, 42, 2, "points"),
    ("cla_residential_count", NOW_STOCK, 22, 2, "points"),
    ("cla_placed_20mi_pct", NOW_STOCK, 26.2, 2, "points"),
    ("cla_camhs_direct", NOW_STOCK, 5, 1, "points"),
    ("sw_agency_rate_pct", JUNE_2021, 34.4, 2, "points"),
    ("sw_turnover_rate_pct", JUNE_2020, 37.8, 2, "points"),
    ("sw_turnover_rate_pct", JUNE_2021, 27.0, 2, "points"),
]


@pytest.fixture(scope="module")
def latest_db(demo_root):
    return SnapshotDB(Store(demo_root).latest_usable())


@pytest.mark.parametrize("indicator_id, period, target, tolerance, kind", CALIBRATION,
                         ids=[f"{c[0]}-{c[1].end}" for c in CALIBRATION])
def test_calibration(latest_db, indicator_id, period, target, tolerance, kind):
    value = compute(latest_db, REGISTRY[indicator_id], [period], load_settings()).iloc[0]["value"]
    allowed = target * tolerance if kind == "relative" else tolerance
    assert abs(value - target) <= allowed, f"{indicator_id} {period}: {value:.1f}, target {target} ± {allowed:g}"


def _months_in(period: Period) -> int:
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def test_more_contacts_a_month_now_than_before(latest_db):
    """"Despite increased demand": more contacts a month in 2020-08..2021-07 than in 2019-20."""
    def per_month(period):
        count = compute(latest_db, REGISTRY["contacts"], [period], load_settings()).iloc[0]["value"]
        return count / _months_in(period)
    before, now = per_month(BEFORE_FLOW), per_month(NOW_FLOW)
    assert now > before, f"contacts a month: {now:.0f} now, {before:.0f} before"


FEB_JUL_2021 = Period(D(2021, 2, 1), D(2021, 7, 31))   # the review: case audits "averaging 15 per month"


def test_case_audits_about_15_a_month_against_a_target_of_25(latest_db):
    """"Averaging 15 per month as opposed to the target of 25": February to July 2021, ±2 a month."""
    settings = load_settings()
    assert settings.targets["audits_completed"].value == 25
    count = compute(latest_db, REGISTRY["audits_completed"], [FEB_JUL_2021], settings).iloc[0]["value"]
    per_month = count / _months_in(FEB_JUL_2021)
    assert abs(per_month - 15) <= 2, f"case audits {FEB_JUL_2021}: {per_month:.1f} a month, target 15 ± 2"
