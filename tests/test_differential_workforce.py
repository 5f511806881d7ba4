"""The workforce indicators in DuckDB agree with simple pure-Python versions on messy generated data."""
import datetime as dt

import pytest

import reference
from random_tables import random_tables
from snapshots import generated_snapshot
from torbay_dash.compute import compute
from torbay_dash.indicators import MEAN, PERCENT, REGISTRY
from torbay_dash.periods import months
from torbay_dash.settings import load_settings

IDS = ["sw_fte", "sw_agency_rate_pct", "sw_vacancy_rate_pct", "sw_turnover_rate_pct", "sw_avg_caseload",
       "sw_starters", "sw_leavers", "sw_supervision_in_timescale_pct", "sw_absence_rate_pct",
       "cla_3plus_social_workers_pct"]
PERIODS = months(dt.date(2019, 6, 1), dt.date(2022, 3, 31))


def test_the_reference_follows_the_local_standard():
    assert load_settings().standard("supervision_days") == reference.SUPERVISION_DAYS


@pytest.fixture(scope="module", params=[1, 2, 3, 4])
def generated(request, tmp_path_factory):
    return generated_snapshot(random_tables(seed=request.param), tmp_path_factory.mktemp(f"wf{request.param}"))


def _clean(x):
    return None if x is None or x != x else round(float(x), 6)


def _as_pairs(frame):
    return {(r.to, r.team): (_clean(r.numerator), _clean(r.denominator)) for r in frame.itertuples()}


@pytest.mark.parametrize("indicator_id", IDS)
def test_by_team_and_overall_agree(generated, indicator_id):
    tables, db = generated
    indicator = REGISTRY[indicator_id]
    settings = load_settings()
    expected_teams, expected_overall = {}, {}
    for p in PERIODS:
        by_team = getattr(reference, indicator_id)(tables, p.start, p.end)
        numerator, denominator = reference.overall(by_team)
        if indicator.unit in (PERCENT, MEAN):
            denominator = denominator or 0
        expected_teams.update({(p.end, team): (_clean(n), _clean(d)) for team, (n, d) in by_team.items()})
        expected_overall[(p.end, None)] = (_clean(numerator), _clean(denominator))
    got_teams = _as_pairs(compute(db, indicator, PERIODS, settings, by_team=True))
    got_overall = _as_pairs(compute(db, indicator, PERIODS, settings))
    assert got_teams == expected_teams
    assert got_overall == expected_overall
    # the data exercises the indicator: enough units, and for percentages both outcomes (children with 3
    # allocated workers in a year are rarer: the generated involvements are shared with the other areas)
    assert sum(n for n, _ in expected_overall.values()) > (5 if indicator_id == "cla_3plus_social_workers_pct" else 20)
    if indicator.unit == PERCENT:
        assert sum(d - n for n, d in expected_overall.values()) > 10
