"""The safeguarding indicators in DuckDB agree with simple pure-Python versions on messy generated data."""
import datetime as dt

import pytest

import reference
from random_tables import random_tables
from snapshots import generated_snapshot
from torbay_dash.compute import compute
from torbay_dash.indicators import PERCENT, RATE_PER_10K, REGISTRY
from torbay_dash.periods import financial_year, months
from torbay_dash.settings import load_settings

IDS = ["contacts", "contacts_completed_1wd_pct", "rereferrals_12m_pct", "s47_enquiries", "icpc_15wd_pct",
       "cin_rate_per_10k", "cp_plans_open", "cp_rate_per_10k", "cp_second_subsequent_pct",
       "cp_plans_2yrs_plus_pct", "cp_visits_in_timescale_pct", "cp_reviews_on_time_pct", "cse_identified",
       "pre_proceedings_16wk_pct"]
PERIODS = months(dt.date(2019, 6, 1), dt.date(2022, 3, 31))


@pytest.fixture(scope="module", params=[1, 2, 3, 4])
def generated(request, tmp_path_factory):
    return generated_snapshot(random_tables(seed=request.param), tmp_path_factory.mktemp(f"sg{request.param}"))


def _as_pairs(frame):
    def clean(x):
        return None if x is None or x != x else int(x)
    return {(r.to, r.team): (clean(r.numerator), clean(r.denominator)) for r in frame.itertuples()}


def test_the_reference_follows_the_local_standards():
    settings = load_settings()
    assert settings.standard("contact_decision_working_days") == reference.CONTACT_DECISION_WORKING_DAYS
    assert settings.standard("cp_visit_working_days") == reference.CP_VISIT_WORKING_DAYS


@pytest.mark.parametrize("indicator_id", IDS)
def test_by_team_and_overall_agree(generated, indicator_id):
    tables, db = generated
    indicator = REGISTRY[indicator_id]
    settings = load_settings()
    expected_teams, expected_overall = {}, {}
    for p in PERIODS:
        by_team = getattr(reference, indicator_id)(tables, p.start, p.end)
        numerator, denominator = reference.overall(by_team)
        if indicator.distinct_people:
            numerator, denominator = reference.cse_identified_overall(tables, p.start, p.end)
        if indicator.unit == PERCENT:
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
    # the data exercises the indicator: enough events, and for percentages both outcomes
    assert sum(n for n, _ in expected_overall.values()) > 20
    if indicator.unit == PERCENT:
        assert sum(d - n for n, d in expected_overall.values()) > 10


def test_cse_over_financial_years_counts_a_child_once_overall(generated):
    """Over longer periods some child is assessed by two teams: the teams' sum exceeds the overall count."""
    tables, db = generated
    years = [financial_year(dt.date(y, 4, 1)) for y in (2019, 2020, 2021)]
    settings = load_settings()
    got_teams = _as_pairs(compute(db, REGISTRY["cse_identified"], years, settings, by_team=True))
    got_overall = _as_pairs(compute(db, REGISTRY["cse_identified"], years, settings))
    differs = 0
    for p in years:
        by_team = reference.cse_identified(tables, p.start, p.end)
        overall = reference.cse_identified_overall(tables, p.start, p.end)
        assert {team: got_teams[(p.end, team)] for (end, team) in got_teams if end == p.end} == by_team
        assert got_overall[(p.end, None)] == overall
        differs += reference.overall(by_team)[0] > overall[0]
    assert differs > 0
