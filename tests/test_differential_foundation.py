"""The DuckDB indicators agree with simple pure-Python versions on messy generated data."""
import datetime as dt

import pytest

import reference
from random_tables import random_tables
from snapshots import generated_snapshot
from torbay_dash.compute import compute
from torbay_dash.indicators import REGISTRY
from torbay_dash.periods import months
from torbay_dash.settings import load_settings

IDS = ["referrals", "assessments_45wd_pct", "cla_count"]


@pytest.fixture(scope="module", params=[1, 2, 3])
def generated(request, tmp_path_factory):
    return generated_snapshot(random_tables(seed=request.param), tmp_path_factory.mktemp(f"gen{request.param}"))


def _as_pairs(frame):
    def clean(x):
        return None if x != x or x is None else int(x)
    return {(r.to, r.team): (clean(r.numerator), clean(r.denominator)) for r in frame.itertuples()}


@pytest.mark.parametrize("indicator_id", IDS)
def test_by_team_and_overall_agree(generated, indicator_id):
    tables, db = generated
    periods = months(dt.date(2019, 6, 1), dt.date(2022, 3, 31))
    settings = load_settings()
    expected_teams, expected_overall = {}, {}
    for p in periods:
        by_team = getattr(reference, indicator_id)(tables, p.start, p.end)
        expected_teams.update({(p.end, team): pair for team, pair in by_team.items()})
        numerator, denominator = reference.overall(by_team)
        if REGISTRY[indicator_id].unit == "percent":
            denominator = denominator or 0
        expected_overall[(p.end, None)] = (numerator, denominator)
    got_teams = _as_pairs(compute(db, REGISTRY[indicator_id], periods, settings, by_team=True))
    got_overall = _as_pairs(compute(db, REGISTRY[indicator_id], periods, settings))
    assert got_teams == expected_teams
    assert got_overall == expected_overall
    assert sum(n for n, _ in expected_overall.values()) > 20  # the data exercises the indicator
