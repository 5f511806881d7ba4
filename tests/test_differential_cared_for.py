"""The cared-for indicators in DuckDB agree with simple pure-Python versions on messy generated data."""
import datetime as dt

import pytest

import reference
from random_tables import random_tables
from snapshots import generated_snapshot
from torbay_dash.compute import compute
from torbay_dash.indicators import MEAN, PERCENT, RATE_PER_10K, REGISTRY
from torbay_dash.periods import months
from torbay_dash.settings import load_settings

IDS = ["cla_rate_per_10k", "cla_starts", "cla_ceased", "cla_in_house_foster_pct", "cla_residential_count",
       "cla_placed_20mi_pct", "cla_3plus_placements_pct", "cla_long_term_stability_pct",
       "cla_visits_in_timescale_pct", "cla_reviews_on_time_pct", "cla_health_assessment_pct",
       "cla_dental_check_pct", "cla_missing_pct", "cla_camhs_direct", "care_leavers_in_touch_pct",
       "care_leavers_suitable_accom_pct", "care_leavers_eet_pct", "adoption_entry_to_placement_days"]
PERIODS = months(dt.date(2019, 6, 1), dt.date(2022, 3, 31))


@pytest.fixture(scope="module", params=[1, 2, 3, 4])
def generated(request, tmp_path_factory):
    return generated_snapshot(random_tables(seed=request.param), tmp_path_factory.mktemp(f"cf{request.param}"))


def _as_pairs(frame):
    def clean(x):
        return None if x is None or x != x else int(x)
    return {(r.to, r.team): (clean(r.numerator), clean(r.denominator)) for r in frame.itertuples()}


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
        if indicator.unit == RATE_PER_10K:  # the population of the year containing the period end
            population = settings.population_for_year(p.end.year)
            by_team = {team: (n, population) for team, (n, _) in by_team.items()}
            denominator = population
        expected_teams.update({(p.end, team): pair for team, pair in by_team.items()})
        expected_overall[(p.end, None)] = (numerator, denominator)
    got_teams = _as_pairs(compute(db, indicator, PERIODS, settings, by_team=True))
    got_overall = _as_pairs(compute(db, indicator, PERIODS, settings))
    assert got_teams == expected_teams
    assert got_overall == expected_overall
    # the data exercises the indicator: enough units, and for percentages both outcomes
    assert sum(n for n, _ in expected_overall.values()) > 20
    if indicator.unit == PERCENT:
        assert sum(d - n for n, d in expected_overall.values()) > 10
