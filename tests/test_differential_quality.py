"""The quality-assurance indicators in DuckDB agree with simple pure-Python versions on messy generated data."""
import datetime as dt

import pytest

import reference
from random_tables import quality_tables
from snapshots import generated_snapshot
from torbay_dash.compute import compute
from torbay_dash.indicators import PERCENT, REGISTRY
from torbay_dash.periods import Period, financial_year, months, quarters
from torbay_dash.settings import load_settings

IDS = ["audits_completed", "audits_good_or_better_pct", "audit_moderation_agreement_pct",
       "audit_actions_on_time_pct"]
D = dt.date
# every month end (February 2020 ends on the leap day), quarters, financial years, and single awkward days
PERIODS = (months(D(2019, 1, 1), D(2022, 6, 30)) + quarters(D(2019, 4, 1), D(2022, 3, 31))
           + [financial_year(D(y, 4, 1)) for y in (2019, 2020, 2021)]
           + [Period(d, d) for d in (D(2020, 2, 28), D(2020, 2, 29), D(2020, 3, 1), D(2021, 6, 30))]
           + [Period(D(2020, 2, 29), D(2021, 2, 28))])


@pytest.fixture(scope="module", params=[1, 2, 3, 4])
def generated(request, tmp_path_factory):
    return generated_snapshot(quality_tables(seed=request.param), tmp_path_factory.mktemp(f"qa{request.param}"))


def _as_pairs(frame):
    def clean(x):
        return None if x is None or x != x else int(x)
    return {(start, end, team): (clean(n), clean(d)) for start, end, team, n, d
            in zip(frame["from"], frame["to"], frame["team"], frame["numerator"], frame["denominator"])}


@pytest.mark.parametrize("indicator_id", IDS)
def test_by_team_and_overall_agree(generated, indicator_id):
    tables, db = generated
    indicator = REGISTRY[indicator_id]
    settings = load_settings()
    expected_teams, expected_overall = {}, {}
    for p in PERIODS:
        by_team = getattr(reference, indicator_id)(tables, p.start, p.end)
        numerator, denominator = reference.overall(by_team)
        if indicator.unit == PERCENT:
            denominator = denominator or 0
        expected_teams.update({(p.start, p.end, team): pair for team, pair in by_team.items()})
        expected_overall[(p.start, p.end, None)] = (numerator, denominator)
    got_teams = _as_pairs(compute(db, indicator, PERIODS, settings, by_team=True))
    got_overall = _as_pairs(compute(db, indicator, PERIODS, settings))
    assert got_teams == expected_teams
    assert got_overall == expected_overall
    # the data exercises the indicator: enough units, and for percentages both outcomes
    assert sum(n for n, _ in expected_overall.values()) > 20
    if indicator.unit == PERCENT:
        assert sum(d - n for n, d in expected_overall.values()) > 10


def test_the_messy_rows_are_there(generated):
    """The generated log holds each kind of row the definitions leave out or treat specially."""
    tables, _ = generated
    audits, actions = tables["qa_audits"], tables["qa_actions"]
    assert any(a["audit_date"] is None for a in audits)
    assert any(a["audit_date"] == dt.date(2020, 2, 29) and a["audit_type"] == "case" for a in audits)
    assert any(a["grade"] is None and a["moderated_grade"] in reference.GRADES for a in audits)
    assert any(a["grade"] not in reference.GRADES + (None,) for a in audits)
    assert any(a["team_id"] is None for a in audits)
    assert any(x["completed_date"] is not None and x["raised_date"] is not None
               and x["completed_date"] < x["raised_date"] for x in actions)
    assert any(x["completed_date"] == x["due_date"] is not None for x in actions)
    assert any(x["audit_id"] == "AU_MISSING" for x in actions)
