"""Plain-English narrative from fixed numbers: no snapshot, no SPC run, just the words."""
import datetime as dt
import re

import pandas as pd
import pytest

from torbay_dash import narrative
from torbay_dash.headlines import MONTH, ROLLING_YEAR, STOCK, Comparator, Headline
from torbay_dash.indicators import REGISTRY
from torbay_dash.periods import Period
from torbay_dash.settings import Milestone, Target

D = dt.date
YEAR_TO_JULY_2021 = Period(D(2020, 8, 1), D(2021, 7, 31))
YEAR_TO_JULY_2020 = Period(D(2019, 8, 1), D(2020, 7, 31))
JULY_2021 = Period(D(2021, 7, 1), D(2021, 7, 31))
JULY_2020 = Period(D(2020, 7, 1), D(2020, 7, 31))
ENGLAND_2021 = Comparator(year=2021, period="year ending 31 March", england=79.0, neighbours=81.25, authority=70.0)


def make(indicator_id, value, previous, basis=ROLLING_YEAR, numerator=None, denominator=None, variation=None,
         assurance=None, target=None, benchmark=None, unavailable=None, period=None, previous_period=None):
    indicator = REGISTRY[indicator_id]
    if period is None:
        period = YEAR_TO_JULY_2021 if basis == ROLLING_YEAR else JULY_2021
    if previous_period is None:
        previous_period = YEAR_TO_JULY_2020 if basis == ROLLING_YEAR else JULY_2020
    return Headline(indicator=indicator, basis=basis, period=period, value=value, numerator=numerator,
                    denominator=denominator, previous_period=previous_period, previous_value=previous,
                    previous_numerator=None, previous_denominator=None, series=pd.DataFrame(),
                    variation=variation, assurance=assurance, target=target, benchmark=benchmark,
                    unavailable=unavailable)


def test_the_issues_example_sentence():
    h = make("icpc_15wd_pct", 80.0, 63.0, numerator=160, denominator=200, variation="improvement_high",
             assurance="consistent_fail", target=Target(85, 5), benchmark=ENGLAND_2021)
    assert narrative.describe(h) == (
        "Initial child protection conferences within 15 working days: 80.0% in the 12 months to July 2021, "
        "up from 63.0% the year before; special-cause improvement; the 85% target is not yet met consistently; "
        "England 79.0% (2020-21), statistical neighbours 81.2% (2020-21).")


def test_issue_shape_title_value_period_change_spc_target_england():
    h = make("icpc_15wd_pct", 80.0, 63.0, denominator=200, variation="improvement_high",
             assurance="consistent_fail", target=Target(85), benchmark=ENGLAND_2021)
    shape = (r"^(?P<title>[^:]+): (?P<value>\d+\.\d%) in the 12 months to (?P<month>\w+ \d{4}), "
             r"(?P<change>up|down) from (?P<before>\d+\.\d%) the year before; (?P<spc>[^;]+); "
             r"the (?P<target>\d+%) target (?P<assurance>[^;]+); England (?P<england>\d+\.\d%)")
    found = re.match(shape, narrative.describe(h))
    assert found, narrative.describe(h)
    assert found.group("month") == "July 2021" and found.group("change") == "up"
    assert found.group("spc") == "special-cause improvement" and found.group("target") == "85%"


@pytest.mark.parametrize("value, previous, words", [
    (70.0, 75.0, "down from 75.0% the year before"),
    (80.0, 63.0, "up from 63.0% the year before"),
    (80.0, 80.04, "no change from the year before (80.0%)"),   # equal as shown
    (80.0, None, "no figure for the year before"),
])
def test_change_is_up_or_down_never_better_or_worse(value, previous, words):
    text = narrative.describe(make("assessments_45wd_pct", value, previous, denominator=100))
    assert words in text
    assert not re.search(r"\b(better|worse|improv|deteriorat|concern)", text)


def test_direction_words_come_only_from_spc():
    # a fall in a 'lower is better' measure is still only "down"; SPC's concern is said as SPC's
    text = narrative.describe(make("rereferrals_12m_pct", 18.0, 24.0, denominator=500, variation="concern_high"))
    assert "down from 24.0% the year before; special-cause concern" in text


@pytest.mark.parametrize("variation, words", [
    ("common_cause", "common-cause variation only"),
    ("improvement_low", "special-cause improvement"),
    ("concern_low", "special-cause concern"),
    ("neither_high", "unusually high (neither better nor worse)"),
    ("not_enough_points", "too few points yet to judge variation"),
])
def test_variation_in_words(variation, words):
    assert words in narrative.describe(make("contacts", 800, 700, basis=MONTH, variation=variation))


@pytest.mark.parametrize("assurance, words", [
    ("consistent_pass", "the 85% target is met consistently"),
    ("consistent_fail", "the 85% target is not yet met consistently"),
    ("inconsistent", "the 85% target is hit and miss"),
])
def test_target_from_assurance(assurance, words):
    text = narrative.describe(make("icpc_15wd_pct", 80.0, 63.0, denominator=200, target=Target(85, 5),
                                   assurance=assurance))
    assert words in text


def test_target_without_assurance_compares_the_latest_value_with_its_tolerance():
    within = make("icpc_15wd_pct", 82.0, 63.0, denominator=200, target=Target(85, 5), variation="not_enough_points")
    assert "the 85% target is not met in the latest period, but within tolerance" in narrative.describe(within)
    lower_is_better = make("sw_agency_rate_pct", 18.0, 30.0, basis=STOCK, denominator=100, target=Target(20, 3))
    assert "the 20% target is met in the latest period" in narrative.describe(lower_is_better)
    count = make("audits_completed", 15, 12, basis=MONTH, target=Target(25, 3), assurance="consistent_fail")
    assert "the target of 25 is not yet met consistently" in narrative.describe(count)


def test_missing_pieces_are_left_out_gracefully():
    text = narrative.describe(make("contacts", 812, None, basis=MONTH))
    assert text == "Contacts: 812 in July 2021, no figure for the year before."
    assert "target" not in text and "England" not in text
    empty = narrative.describe(make("cla_count", None, None, basis=STOCK))
    assert empty == "Children looked after: no data at the end of July 2021, no figure for the year before."
    gone = narrative.describe(make("icpc_15wd_pct", None, None, unavailable="needs table ssd_s47_enquiry"))
    assert gone == ("Initial child protection conferences within 15 working days: not available on this "
                    "snapshot (needs table ssd_s47_enquiry).")


def test_stock_reads_at_the_end_of_the_month_and_counts_are_whole():
    text = narrative.describe(make("cla_count", 307, 352, basis=STOCK, variation="improvement_low"))
    assert text.startswith("Children looked after: 307 at the end of July 2021, down from 352 the year before;")


def test_small_n_is_said_under_thirty():
    assert "50.0% (n = 12) in the 12 months" in narrative.describe(
        make("icpc_15wd_pct", 50.0, 40.0, numerator=6, denominator=12))
    assert "(n =" not in narrative.describe(make("icpc_15wd_pct", 50.0, 40.0, numerator=15, denominator=30))
    # counts and rates per 10,000 (the denominator is the population) never carry an n
    assert "(n =" not in narrative.describe(make("contacts", 12, 10, basis=MONTH))


def test_hidden_figures_show_as_c():
    h = make("icpc_15wd_pct", 60.0, 40.0, numerator=3, denominator=5)
    text = narrative.describe(h, hidden={"value", "previous"})
    assert text.startswith("Initial child protection conferences within 15 working days: c (n = c) in the 12 months")
    assert "60.0" not in text and "40.0" not in text


def test_benchmarks_carry_their_published_year():
    sept = Comparator(year=2020, period="at 30 September", england=15.4, neighbours=8.5)
    text = narrative.describe(make("sw_agency_rate_pct", 34.4, 40.0, basis=STOCK, denominator=120, benchmark=sept))
    assert text.endswith("England 15.4% (Sept 2020), statistical neighbours 8.5% (Sept 2020).")
    march = Comparator(year=2021, period="at 31 March", england=67.0, neighbours=None)
    assert narrative.benchmark_words(REGISTRY["cla_rate_per_10k"], march) == "England 67.0 (March 2021)"


def test_trajectory_words():
    icpc = REGISTRY["icpc_15wd_pct"]
    milestones = [Milestone(D(2022, 3, 31), 85.0), Milestone(D(2021, 6, 30), 75.0)]
    assert narrative.trajectory_words(icpc, milestones, D(2021, 7, 31), 80.0) == (
        "the June 2021 milestone was 75% (met now); trajectory: 85% by March 2022")
    assert narrative.trajectory_words(icpc, milestones, D(2021, 7, 31), 70.0, hidden=True) == (
        "the June 2021 milestone was 75%; trajectory: 85% by March 2022")
    assert narrative.trajectory_words(icpc, [], D(2021, 7, 31), 80.0) == ""


def test_period_words():
    assert narrative.period_words(ROLLING_YEAR, YEAR_TO_JULY_2021) == "in the 12 months to July 2021"
    assert narrative.period_words(STOCK, JULY_2021) == "at the end of July 2021"
    assert narrative.period_words(MONTH, JULY_2021) == "in July 2021"
