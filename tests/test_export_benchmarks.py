"""CSV exports cannot run formulas; published comparators map onto our ids with their year."""
import datetime as dt
import io

import pandas as pd

from torbay_dash.benchmarks import COMPARABLE, latest_before, published
from torbay_dash.export import safe_csv
from torbay_dash.indicators import REGISTRY


def test_formula_cells_are_neutralised():
    frame = pd.DataFrame({"child": ["C1", "=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "ok-dash"],
                          "days": [1, 2, 3, -4, 5, 6]})
    text = safe_csv(frame).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text))
    assert back["child"].tolist() == ["C1", "'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", "ok-dash"]
    assert back["days"].tolist() == [1, 2, 3, -4, 5, 6]  # numbers stay numbers, negative ones too


def test_published_values_for_icpc_timeliness():
    years = published("icpc_15wd_pct").set_index("year")
    # Torbay 2020-21: 87.7 (published); England 83.0
    assert years.loc[2021, "authority"] == 87.7 and years.loc[2021, "england"] == 83.0
    assert "31 March" in years.loc[2021, "period"]


def test_latest_year_before_a_date():
    assert latest_before("icpc_15wd_pct", dt.date(2021, 7, 31))["year"] == 2021
    assert latest_before("icpc_15wd_pct", dt.date(2021, 3, 30))["year"] == 2020
    assert latest_before("sw_agency_rate_pct", dt.date(2021, 7, 31))["year"] == 2020  # at 30 September
    assert latest_before("contacts", dt.date(2021, 7, 31)) is None


def test_the_20_miles_difference_is_said():
    assert "Not like for like" in COMPARABLE["cla_placed_20mi_pct"].note


def test_comparators_name_real_indicators_or_ones_the_handbook_promises():
    import re
    from conftest import SHARED
    spec = SHARED / "spec" / "INDICATORS.md"
    ids = set(re.findall(r"`(\w+)`", spec.read_text())) if spec.exists() else set(REGISTRY)
    assert set(COMPARABLE) <= ids | set(REGISTRY)
    for comparable in COMPARABLE.values():
        assert not published_measure_missing(comparable.measure)


def published_measure_missing(measure: str) -> bool:
    from torbay_dash.benchmarks import lait_measures
    return measure not in lait_measures()
