"""Headlines: the overview's and the report's figures agree with compute.compute for the same period."""
import dataclasses
import datetime as dt

import pandas as pd
import pytest

from torbay_dash import headlines as hl
from torbay_dash import narrative
from torbay_dash.compute import Scope, compute
from torbay_dash.db import SnapshotDB
from torbay_dash.indicators import REGISTRY
from torbay_dash.periods import Period, months, rolling_periods, shows_rolling_year
from torbay_dash.settings import load_settings
from torbay_dash.store import Store

D = dt.date
AS_AT = D(2021, 7, 31)
JULY_2021 = Period(D(2021, 7, 1), D(2021, 7, 31))
JULY_2020 = Period(D(2020, 7, 1), D(2020, 7, 31))
YEAR_TO_JULY_2021 = Period(D(2020, 8, 1), D(2021, 7, 31))
YEAR_TO_JULY_2020 = Period(D(2019, 8, 1), D(2020, 7, 31))
IDS = ["referrals", "assessments_45wd_pct", "cla_count", "cin_rate_per_10k", "icpc_15wd_pct"]


@pytest.fixture(scope="module")
def db(service_root):
    return SnapshotDB(Store(service_root).latest_usable())


@pytest.fixture(scope="module")
def settings(service_root):
    return load_settings(service_root)


@pytest.fixture(scope="module")
def figures(db, settings):
    return hl.headlines(db, settings, IDS, AS_AT)


def _row(db, settings, indicator_id, period, scope=Scope()):
    return compute(db, REGISTRY[indicator_id], [period], settings, scope=scope).iloc[0]


def _same(a, b):
    return (a is None and pd.isna(b)) or a == pytest.approx(b)


@pytest.mark.parametrize("indicator_id, now, before", [
    ("referrals", JULY_2021, JULY_2020),                       # a monthly count
    ("assessments_45wd_pct", YEAR_TO_JULY_2021, YEAR_TO_JULY_2020),  # an annual-style rate: rolling 12 months
    ("cla_count", JULY_2021, JULY_2020),                       # a stock at the month end
    ("cin_rate_per_10k", JULY_2021, JULY_2020),                # a rate per 10,000 at the month end
])
def test_latest_and_year_earlier_match_compute(db, settings, figures, indicator_id, now, before):
    h = figures[indicator_id]
    assert h.period == now and h.previous_period == before
    row, old = _row(db, settings, indicator_id, now), _row(db, settings, indicator_id, before)
    assert _same(h.value, row["value"]) and _same(h.numerator, row["numerator"])
    assert _same(h.denominator, row["denominator"])
    assert _same(h.previous_value, old["value"])


def test_headline_order_basis_and_improvement(figures):
    assert list(figures) == IDS
    assert [figures[i].basis for i in IDS] == [hl.MONTH, hl.ROLLING_YEAR, hl.STOCK, hl.STOCK, hl.ROLLING_YEAR]
    assert figures["assessments_45wd_pct"].improvement == "increase"
    assert figures["referrals"].improvement == "neutral"
    assert hl.IMPROVEMENT["lower"] == "decrease"


def test_series_is_36_single_months_ending_at_as_at_with_spc(figures, db, settings):
    h = figures["assessments_45wd_pct"]
    assert len(h.series) == 36 and h.series["to"].iloc[-1] == AS_AT
    # SPC reads single months, not rolling years (overlapping years would make every drift look real)
    assert h.series["from"].iloc[-1] == D(2021, 7, 1)
    assert h.spc is not None and len(h.spc.points) == 36
    assert h.variation == h.spc.variation and h.assurance == h.spc.assurance
    assert h.target == settings.targets["assessments_45wd_pct"]
    expected = compute(db, REGISTRY["assessments_45wd_pct"], months(D(2021, 5, 1), AS_AT), settings)["value"].tolist()
    assert h.series["value"].tail(3).tolist() == pytest.approx(expected, nan_ok=True)
    # while the value a leader reads is the 12 months to July 2021
    assert h.period == YEAR_TO_JULY_2021
    counts = figures["referrals"].series
    assert counts["from"].iloc[0] == D(2018, 8, 1) and counts["to"].iloc[-1] == AS_AT


def test_unavailable_indicator_says_why(figures):
    h = figures["icpc_15wd_pct"]
    assert h.unavailable and "absent" in h.unavailable and h.value is None and h.spc is None
    assert h.benchmark is not None and h.benchmark.england is not None       # comparators still shown
    assert "not available on this snapshot" in narrative.describe(h)


def test_team_filter_matches_compute_with_scope(db, settings):
    h = hl.headline(db, settings, "referrals", AS_AT, teams=["T_MASH"])
    for period, (_, point) in zip(months(D(2021, 1, 1), AS_AT), h.series.tail(7).iterrows()):
        assert _same(point["numerator"], _row(db, settings, "referrals", period, Scope(("T_MASH",)))["numerator"])
    assert h.teams == ("T_MASH",)


def test_one_compute_many_call_per_series_shape(db, settings, monkeypatch):
    calls = []
    real = hl.compute_many

    def counting(db_, ids, periods, settings_, **kwargs):
        calls.append(list(ids))
        return real(db_, ids, periods, settings_, **kwargs)
    monkeypatch.setattr(hl, "compute_many", counting)
    hl.headlines(db, settings, IDS, AS_AT, length=24)
    # every indicator month by month in one call; the two rolling years of the annual rates in another
    assert sorted(map(sorted, calls)) == [["assessments_45wd_pct", "cin_rate_per_10k", "cla_count", "icpc_15wd_pct",
                                          "referrals"], ["assessments_45wd_pct", "icpc_15wd_pct"]]


def test_rebase_only_when_configured(db, settings):
    plain = hl.headline(db, settings, "cla_count", AS_AT)
    assert plain.spc.points["segment"].nunique() == 1
    migrated = dataclasses.replace(settings, spc_rebase=(D(2021, 6, 14),))
    rebased = hl.headline(db, migrated, "cla_count", AS_AT)
    segments = rebased.spc.points.set_index("x")["segment"]
    assert segments[pd.Timestamp("2021-05-31")] == 1 and segments[pd.Timestamp("2021-06-30")] == 2


def test_as_at_mid_month_means_the_last_complete_month(db, settings):
    assert hl.headline(db, settings, "cla_count", D(2021, 8, 15)).period == JULY_2021


def test_bad_arguments(db, settings):
    with pytest.raises(ValueError, match="24 to 36"):
        hl.headlines(db, settings, ["cla_count"], AS_AT, length=12)
    with pytest.raises(KeyError, match="no_such_indicator"):
        hl.headlines(db, settings, ["no_such_indicator"], AS_AT)


def test_rolling_year_rule_lives_in_periods():
    assert shows_rolling_year(REGISTRY["icpc_15wd_pct"]) and not shows_rolling_year(REGISTRY["cla_count"])
    assert not shows_rolling_year(REGISTRY["contacts"])
    assert rolling_periods(JULY_2021) == [YEAR_TO_JULY_2021]


def test_demo_tells_the_reviews_conference_story(demo_root):
    """On the demo data, the issue's example: conferences within 15 days about 80%, up from the 60s."""
    db = SnapshotDB(Store(demo_root).get("2021-07-31"))
    h = hl.headline(db, load_settings(demo_root), "icpc_15wd_pct", AS_AT)
    assert h.value == pytest.approx(80, abs=3) and h.previous_value < h.value
    text = narrative.describe(h)
    assert text.startswith("Initial child protection conferences within 15 working days: ")
    assert "in the 12 months to July 2021, up from" in text and "the 85% target" in text and "England" in text
