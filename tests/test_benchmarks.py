"""Published benchmarks from the whole DfE LAIT dataset: the mapping onto our indicators, the
figures for any authority, its region and statistical neighbours, and the neighbours chart."""
import dataclasses
import datetime as dt
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

from torbay_dash import benchmarks
from torbay_dash.benchmarks import COMPARABLE, NOT_COMPARABLE, NOT_LIKE_FOR_LIKE
from torbay_dash.indicators import RATE_PER_10K, REGISTRY

ROOT = Path(__file__).resolve().parents[1]
EXTRACT = ROOT / "data" / "benchmarks" / "benchmarks_england_torbay.csv"
TORBAY_NEIGHBOURS = ROOT / "data" / "benchmarks" / "torbay_statistical_neighbours.csv"
TORBAY, PLYMOUTH, CAMDEN = 880, 879, 202


# ---------------------------------------------------------------- the mapping

def test_mapping_names_only_real_indicators_and_accounts_for_every_one():
    assert set(COMPARABLE) <= set(REGISTRY)
    assert set(NOT_COMPARABLE) <= set(REGISTRY)
    assert not set(COMPARABLE) & set(NOT_COMPARABLE)
    # every indicator is either mapped or has a stated reason why not
    assert set(COMPARABLE) | set(NOT_COMPARABLE) == set(REGISTRY)
    assert all(reason.strip() for reason in NOT_COMPARABLE.values())


def test_everything_the_old_extract_covered_is_still_mapped():
    old = {"cin_rate_per_10k", "cp_rate_per_10k", "rereferrals_12m_pct", "assessments_45wd_pct", "icpc_15wd_pct",
           "cp_second_subsequent_pct", "cla_rate_per_10k", "cla_3plus_placements_pct",
           "cla_long_term_stability_pct", "cla_placed_20mi_pct", "cla_health_assessment_pct",
           "cla_dental_check_pct", "sw_agency_rate_pct", "sw_turnover_rate_pct", "sw_vacancy_rate_pct",
           "sw_avg_caseload"}
    assert old <= set(COMPARABLE)
    assert len(COMPARABLE) > len(old)


def test_every_mapped_measure_exists_in_lait_and_its_dictionary():
    measures = benchmarks.lait_measures()
    dictionary = benchmarks.dictionary()
    for indicator_id, comparable in COMPARABLE.items():
        assert comparable.measure in measures, indicator_id
        assert comparable.measure in dictionary.index, indicator_id
        assert benchmarks.measure_title(comparable.measure) != comparable.measure


def test_every_mapping_says_how_the_dfe_definition_differs():
    for indicator_id, comparable in COMPARABLE.items():
        assert comparable.note.strip(), indicator_id
        assert "DfE" in comparable.note, indicator_id
        assert comparable.note.startswith(NOT_LIKE_FOR_LIKE) == (not comparable.like_for_like), indicator_id


def test_the_20_miles_difference_is_said():
    note = COMPARABLE["cla_placed_20mi_pct"].note
    assert note.startswith("Not like for like") and "AND outside" in note
    assert not COMPARABLE["cla_placed_20mi_pct"].like_for_like


def test_units_agree_so_a_rate_is_never_compared_with_a_count():
    dictionary = benchmarks.dictionary()
    for indicator_id, comparable in COMPARABLE.items():
        ours = REGISTRY[indicator_id].unit
        assert comparable.unit == ours, indicator_id
        axis = str(dictionary.loc[comparable.measure, "y_axis_name"])
        assert ("per 10,000" in axis) == (ours == RATE_PER_10K), (indicator_id, axis)
        assert not axis.lower().startswith("number"), (indicator_id, axis)


def test_periods_agree_with_the_dfe_year_type():
    dictionary = benchmarks.dictionary()
    for indicator_id, comparable in COMPARABLE.items():
        workforce_census = "Sept" in str(dictionary.loc[comparable.measure, "Year_Type"])
        assert ("September" in comparable.period) == workforce_census, indicator_id
        assert "March" in comparable.period or "September" in comparable.period


def test_every_mapped_measure_has_published_years_for_torbay():
    for indicator_id in COMPARABLE:
        years = benchmarks.published(indicator_id, TORBAY)
        assert not years.empty, indicator_id
        assert years["year"].is_monotonic_increasing and years["year"].is_unique
        assert years["england"].notna().all(), indicator_id


# ---------------------------------------------------------------- figures: Torbay against the shipped extract

def test_torbay_figures_match_the_shipped_extract():
    """The extract (England, South West, Torbay, mean of Torbay's 2025 neighbours) was made independently."""
    extract = pd.read_csv(EXTRACT)
    by_measure = {c.measure: i for i, c in COMPARABLE.items()}
    assert set(extract["lait_code"]) <= set(by_measure)
    checked = 0
    for code, rows in extract.groupby("lait_code"):
        ours = benchmarks.published(by_measure[code], TORBAY, "2025").set_index("year")
        for _, row in rows.iterrows():
            mine = ours.loc[int(row["year"])]
            assert mine["england"] == row["england"], (code, row["year"])
            assert mine["region"] == row["south_west"] and mine["region_name"] == "South West", (code, row["year"])
            assert mine["authority"] == row["torbay"], (code, row["year"])
            # the extract rounds the mean to 1 decimal place
            assert abs(mine["neighbours"] - row["torbay_sn2025_mean"]) <= 0.05 + 1e-9, (code, row["year"])
            march = "September" not in str(row["period"])
            assert benchmarks.reference_date(mine.name, mine["period"]).month == (3 if march else 9)
            checked += 1
    assert checked == len(extract) == 112


def test_the_extract_notes_a_mean_from_9_of_10_neighbours_and_so_do_we():
    extract = pd.read_csv(EXTRACT)
    nine = extract[extract["notes"].fillna("").str.contains("9 of 10")]
    assert len(nine)
    for _, row in nine.iterrows():
        indicator_id = next(i for i, c in COMPARABLE.items() if c.measure == row["lait_code"])
        years = benchmarks.published(indicator_id, TORBAY).set_index("year")
        assert years.loc[int(row["year"]), "neighbours_n"] == 9


def test_published_values_for_icpc_timeliness():
    years = benchmarks.published("icpc_15wd_pct", TORBAY).set_index("year")
    # Torbay 2020-21: 87.7 (published); England 83.0
    assert years.loc[2021, "authority"] == 87.7 and years.loc[2021, "england"] == 83.0
    assert years.loc[2021, "period"] == "year ending 31 March"
    assert list(benchmarks.published("icpc_15wd_pct").columns) == benchmarks.PUBLISHED_COLUMNS


def test_the_configured_authority_is_the_default(monkeypatch):
    from torbay_dash.settings import load_settings
    settings = load_settings()
    assert settings.code == TORBAY and settings.neighbour_model == "2025"
    pd.testing.assert_frame_equal(benchmarks.published("cla_rate_per_10k"),
                                  benchmarks.published("cla_rate_per_10k", TORBAY, "2025"))

    class Plymouth:
        code, neighbour_model = PLYMOUTH, "2021"
    monkeypatch.setattr(benchmarks, "_settings", lambda: Plymouth)
    pd.testing.assert_frame_equal(benchmarks.published("cla_rate_per_10k"),
                                  benchmarks.published("cla_rate_per_10k", PLYMOUTH, "2021"))


# ---------------------------------------------------------------- other authorities, regions and neighbours

def test_torbay_neighbours_match_the_dfe_models():
    shipped = pd.read_csv(TORBAY_NEIGHBOURS)
    for model, words in (("2025", "May 2025"), ("2021", "April 2021")):
        expected = shipped[shipped["model"].str.contains(words)].sort_values("rank")
        ours = benchmarks.neighbours(TORBAY, model)
        assert list(ours.columns) == benchmarks.NEIGHBOUR_COLUMNS
        assert ours["rank"].tolist() == list(range(1, 11))
        assert ours["la_code"].tolist() == expected["la_code"].tolist()
        assert ours["la_name"].tolist() == expected["la_name"].tolist()


def test_plymouth_has_its_own_region_and_neighbours():
    theirs = benchmarks.neighbours(PLYMOUTH, "2025")
    assert theirs["la_code"].tolist()[:3] == [357, 880, 894]  # Tameside, Torbay, Telford and Wrekin
    assert theirs["la_code"].tolist() != benchmarks.neighbours(TORBAY, "2025")["la_code"].tolist()

    years = benchmarks.published("cla_rate_per_10k", PLYMOUTH).set_index("year")
    torbay = benchmarks.published("cla_rate_per_10k", TORBAY).set_index("year")
    raw = benchmarks.measure_values("LAC")
    plymouth_2025 = raw[(raw["la_code"] == PLYMOUTH) & (raw["year"] == 2025)]["value"].iloc[0]
    assert years.loc[2025, "authority"] == plymouth_2025 != torbay.loc[2025, "authority"]
    assert years.loc[2025, "region_name"] == "South West"
    assert years.loc[2025, "england"] == torbay.loc[2025, "england"]
    # the mean is of Plymouth's neighbours, by hand
    by_code = raw[raw["year"] == 2025].set_index("la_code")["value"]
    assert years.loc[2025, "neighbours"] == pytest.approx(by_code.loc[theirs["la_code"]].mean())
    assert years.loc[2025, "neighbours"] != torbay.loc[2025, "neighbours"]


def test_regions_come_from_lait_inner_and_outer_london_included():
    places = benchmarks.places().set_index("la_code")
    assert places.loc[CAMDEN, "region_name"] == "London (Inner)"
    assert places.loc[302, "region_name"] == "London (Outer)"             # Barnet
    assert places.loc[370, "region_name"] == "Yorkshire and the Humber"   # Barnsley: 'The' in its Region
    assert places.loc[benchmarks.ENGLAND, "la_name"] == "England"
    assert places[places["is_authority"]]["region_code"].notna().all()
    camden = benchmarks.published("cla_rate_per_10k", CAMDEN).set_index("year")
    inner = benchmarks.measure_values("LAC")
    inner = inner[(inner["la_code"] == 987) & (inner["year"] == 2025)]["value"].iloc[0]
    assert camden.loc[2025, "region"] == inner


def test_an_unknown_authority_or_model_is_a_clear_error():
    from torbay_dash.store import DataError
    for code in (0, 999, benchmarks.ENGLAND, 990):
        with pytest.raises(DataError, match="not an English local authority"):
            benchmarks.published("cla_rate_per_10k", code)
    with pytest.raises(ValueError, match="neighbour model"):
        benchmarks.neighbours(TORBAY, "1999")


def test_an_authority_with_no_neighbours_in_a_model_gets_no_mean():
    assert benchmarks.neighbours(942, "2021").empty     # Cumberland: created after the 2021 model
    assert len(benchmarks.neighbours(942, "2025")) == 10
    years = benchmarks.published("cla_rate_per_10k", 942, "2021")
    assert years["neighbours"].isna().all() and (years["neighbours_n"] == 0).all()


# ---------------------------------------------------------------- symbols: suppressed figures become missing

@pytest.mark.parametrize("text, value, symbol", [
    ("12.5", 12.5, ""), ("9.3699999999999992", 9.37, ""), ("-7.0000000000000007E-2", -0.07, ""),
    ("1,234", 1234.0, ""), ("0", 0.0, ""), ("12.5 [e]", 12.5, "e"),
    ("c", math.nan, "c"), ("[c]", math.nan, "c"), ("x", math.nan, "x"), ("z", math.nan, "z"),
    ("u", math.nan, "u"), ("low", math.nan, "low"), ("-", math.nan, "-"), (None, math.nan, ""),
])
def test_values_are_parsed_and_symbols_kept(text, value, symbol):
    got_value, got_symbol = benchmarks.parse_value(text)
    assert got_symbol == symbol
    assert (math.isnan(got_value) and math.isnan(value)) or got_value == pytest.approx(value)


def test_symbols_are_named_in_words():
    assert benchmarks.status("c") == "suppressed"
    assert benchmarks.status("z") == "not applicable"
    assert benchmarks.status("x") == "not available"
    assert benchmarks.status("-") == "not published"
    assert benchmarks.status("", 12.0) == "published"
    assert benchmarks.status("q") == "not published (q)"


@pytest.fixture
def tiny_lait(tmp_path, monkeypatch):
    """A LAIT file of four rows with GSS symbols, in place of the real one for one test."""
    rows = pd.DataFrame({
        "Short Desc": ["TEST"] * 5, "Data item": [None] * 5,
        "Years": ["2024", "2024", "2024", "2024 (prov)", "2024 (Rev)"],
        "LA and Regions": ["Torbay", "Plymouth", "England", "Devon", "Devon"],
        "Values": ["c", "z", "41.5", "9", "10.5"], "LA Number": [880.0, 879.0, 970.0, 878.0, 878.0],
        "Region": ["South West", "South West", "NA", "South West", "South West"]})
    path = tmp_path / "bds.parquet"
    rows.to_parquet(path)
    monkeypatch.setattr(benchmarks, "LAIT_FILE", path)
    benchmarks._measure_rows.cache_clear()
    benchmarks.places.cache_clear()
    yield
    monkeypatch.undo()
    benchmarks._measure_rows.cache_clear()
    benchmarks.places.cache_clear()


def test_gss_symbols_become_missing_with_the_symbol_kept(tiny_lait):
    values = benchmarks.measure_values("TEST").set_index("la_code")
    assert math.isnan(values.loc[880, "value"]) and values.loc[880, "symbol"] == "c"
    assert values.loc[880, "status"] == "suppressed"
    assert math.isnan(values.loc[879, "value"]) and values.loc[879, "status"] == "not applicable"
    assert values.loc[970, "value"] == 41.5 and values.loc[970, "status"] == "published"
    assert values.loc[878, "value"] == 10.5   # the revised figure, not the provisional one


def test_a_suppressed_neighbour_is_left_out_of_the_mean_and_counted():
    frame = benchmarks.neighbour_values("sw_turnover_rate_pct", 2022, TORBAY, "2025")
    others = frame[~frame["is_authority"]]
    gap = others[others["value"].isna()]
    assert gap["la_name"].tolist() == ["Gateshead"] and gap["symbol"].tolist() == ["-"]
    assert gap["status"].tolist() == ["not published"]
    row = benchmarks.published("sw_turnover_rate_pct", TORBAY).set_index("year").loc[2022]
    assert row["neighbours_n"] == 9
    assert row["neighbours"] == pytest.approx(others["value"].dropna().mean())
    assert (frame["neighbours_mean"] == row["neighbours"]).all() and (frame["england"] == row["england"]).all()


def test_a_suppressed_authority_figure_says_so_and_the_last_published_one_is_given():
    years = benchmarks.published("cp_plans_2yrs_plus_pct", TORBAY).set_index("year")
    assert math.isnan(years.loc[2020, "authority"]) and years.loc[2020, "authority_symbol"] == "-"
    found = benchmarks.comparison("cp_plans_2yrs_plus_pct", 3.0, dt.date(2020, 7, 31), TORBAY)
    assert found["year"] == 2020 and found["authority"] is None
    assert found["authority_status"] == "not published"
    assert found["authority_last_year"] == 2019 and found["authority_last"] == 0.0
    assert found["england"] == 2.1


# ---------------------------------------------------------------- dates

def test_latest_year_before_a_date():
    assert benchmarks.latest_before("icpc_15wd_pct", dt.date(2021, 3, 31))["year"] == 2021   # on the day
    assert benchmarks.latest_before("icpc_15wd_pct", dt.date(2021, 3, 30))["year"] == 2020
    assert benchmarks.latest_before("sw_agency_rate_pct", dt.date(2021, 9, 30))["year"] == 2021
    assert benchmarks.latest_before("sw_agency_rate_pct", dt.date(2021, 9, 29))["year"] == 2020
    assert benchmarks.latest_before("cla_3plus_social_workers_pct", dt.date(2030, 1, 1))["year"] == 2024
    assert benchmarks.latest_before("icpc_15wd_pct", dt.date(2015, 1, 1)) is None
    assert benchmarks.latest_before("contacts", dt.date(2021, 7, 31)) is None
    assert benchmarks.latest_before("icpc_15wd_pct", dt.date(2021, 7, 31), PLYMOUTH)["region_name"] == "South West"


# ---------------------------------------------------------------- the overview row

def test_comparison_is_the_row_the_overview_shows():
    found = benchmarks.comparison("icpc_15wd_pct", 80.0, dt.date(2021, 7, 31))
    assert found["local"] == 80.0 and found["year"] == 2021 and found["period"] == "year ending 31 March"
    assert found["authority"] == 87.7 and found["authority_last"] == 87.7 and found["authority_last_year"] == 2021
    assert found["england"] == 83.0 and found["region"] == 85.6 and found["region_name"] == "South West"
    assert found["neighbours"] == pytest.approx(83.6, abs=0.05) and found["neighbours_n"] == 10
    assert found["authority_name"] == "Torbay" and found["measure"] == "CP_conf_15days"
    assert found["note"] == COMPARABLE["icpc_15wd_pct"].note and found["like_for_like"] is True
    assert "2e30e395" in found["source"]


def test_comparison_of_an_unmapped_indicator_says_why():
    found = benchmarks.comparison("cla_in_house_foster_pct", 63.0, dt.date(2021, 7, 31))
    assert found["year"] is None and found["measure"] is None and found["local"] == 63.0
    assert "any foster care" in found["note"]


def test_headlines_read_the_comparison():
    from torbay_dash.headlines import _comparator
    from torbay_dash.settings import load_settings
    settings = load_settings()
    comparator = _comparator("sw_agency_rate_pct", dt.date(2021, 7, 31), settings)
    assert comparator.year == 2020 and comparator.authority == 43.8 and comparator.england == 15.4
    assert comparator.period == "at 30 September" and comparator.neighbours == pytest.approx(8.5, abs=0.05)
    assert _comparator("contacts", dt.date(2021, 7, 31), settings) is None
    # the settings' authority, not the repository's: Plymouth's own published figure
    plymouth = _comparator("sw_agency_rate_pct", dt.date(2021, 7, 31),
                           dataclasses.replace(settings, code=879))
    assert plymouth.england == 15.4 and plymouth.authority != comparator.authority


# ---------------------------------------------------------------- the neighbours chart

def test_neighbour_values_are_the_authority_and_its_ten_neighbours():
    frame = benchmarks.neighbour_values("cla_rate_per_10k", 2025, TORBAY)
    assert list(frame.columns) == benchmarks.VALUE_COLUMNS
    assert frame["rank"].tolist() == list(range(11))
    assert frame["is_authority"].tolist() == [True] + [False] * 10
    assert frame.loc[0, "la_name"] == "Torbay" and frame.loc[0, "value"] == 114.0
    assert benchmarks.neighbour_values("contacts", 2025).empty


def _marks(spec) -> list:
    return [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]


def test_neighbours_chart_builds_with_labelled_rules():
    from torbay_dash.charts import neighbours_chart
    frame = benchmarks.neighbour_values("sw_turnover_rate_pct", 2022, TORBAY)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spec = neighbours_chart(frame, "Social worker turnover", "%").to_dict()
    assert _marks(spec).count("rule") == 1 and _marks(spec).count("text") >= 2
    datasets = [row for rows in spec["datasets"].values() for row in rows]
    labels = {row.get("label") for row in datasets}
    texts = {row.get("text") for row in datasets}
    assert "Torbay (this authority)" in labels                      # not by colour alone
    assert "not published" in texts                                 # Gateshead's gap, in words
    assert "England 17.2" in texts and any(str(t).startswith("neighbours' mean 20.8 (9 of 10)") for t in texts)


def test_neighbours_chart_without_published_comparators_still_builds():
    from torbay_dash.charts import neighbours_chart
    frame = pd.DataFrame({"la_code": [1, 2], "la_name": ["Here", "There"], "value": [10.0, None],
                          "symbol": ["", "c"], "status": ["published", "suppressed"],
                          "is_authority": [True, False], "rank": [0, 1]})
    spec = neighbours_chart(frame, "A measure", "%").to_dict()
    assert "rule" not in _marks(spec)
    texts = {row.get("text") for rows in spec["datasets"].values() for row in rows}
    assert "suppressed" in texts
    spec = neighbours_chart(frame, "A measure", "%", england=12.0, neighbours_mean=8.0).to_dict()
    assert "rule" in _marks(spec)
