"""XmR charts against the numbers the NHS-R reference (NHSRplotthedots) gives for the same data.

Most rule tests add a short tail to a fixed baseline so the limits are known by hand:
BASELINE repeats −10, 10, 30, 10, so its mean is 10 and every moving range is 20. Fixed on
those 12 points, the limits are 10 ± 2.66 × 20 (−43.2 to 63.2) and a point is "near a
limit" beyond 10 ± 35.47 (below −25.47 or above 45.47). The baseline breaks no rule and
ends on the mean, so no run can start in it: only the tail can break a rule.
"""
import math

import numpy as np
import pandas as pd
import pytest

from torbay_dash.charts import spc_chart
from torbay_dash.spc import ASSURANCE_TEXT, VARIATION_TEXT, SpcResult, xmr

BASELINE = [-10, 10, 30, 10] * 3
NEAR_HIGH, NEAR_LOW = 50, -30          # inside the limits, beyond the 2-sigma lines
ABOVE, BELOW = 15, 5                   # inside, not near, on either side of the mean 10

# set.seed(123); rnorm(48) in R: the reference's own test data, written out
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
    -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
    0.49785048, -1.96661716, 0.70135590, -0.47279141, -1.06782371, -0.21797491, -1.02600445, -0.72889123,
    -0.62503927, -1.68669331, 0.83778704, 0.15337312, -1.13813694, 1.25381492, 0.42646422, -0.29507148,
    0.89512566, 0.87813349, 0.82158108, 0.68864025, 0.55391765, -0.06191171, -0.30596266, -0.38047100,
    -0.69470698, -0.20791728, -1.26539635, 2.16895597, 1.20796200, -1.12310858, -0.40288484, -0.46665535,
]


def judge(tail, **options) -> pd.DataFrame:
    """The tail's points, judged against the baseline's fixed limits."""
    result = xmr(BASELINE + list(tail), fix_after_n_points=12, **options)
    return result.points.iloc[len(BASELINE):].reset_index(drop=True)


def rules(tail, **options) -> list:
    return judge(tail, **options)["rule"].tolist()


def first(result: SpcResult, column: str) -> float:
    return float(result.points[column].iloc[0])


# --- limits ------------------------------------------------------------------------------

ISSUE_SERIES = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


def test_issue_series_screened_limits():
    # moving ranges 1,1,1,8,9 then twelve 1s: mean 32/17; 8 and 9 are ≥ 3.267 × that, so dropped → 1
    result = xmr(ISSUE_SERIES)
    assert round(first(result, "mean"), 3) == 1.944
    assert round(first(result, "upl"), 3) == 4.604
    assert round(first(result, "lpl"), 3) == -0.716
    assert result.limits_shown


def test_issue_series_unscreened_limits():
    result = xmr(ISSUE_SERIES, screen_outliers=False)
    assert round(first(result, "mean"), 3) == 1.944
    assert round(first(result, "upl"), 3) == 6.952
    assert round(first(result, "lpl"), 3) == -3.063


def test_issue_series_flags_the_spike_only():
    points = xmr(ISSUE_SERIES).points
    assert points["rule"].tolist() == [None] * 4 + ["outside_limits"] + [None] * 13
    assert points.loc[4, "point_type"] == "special_cause_improvement"


def test_reference_snapshot_limits():
    # the reference's ptd_spc_standard snapshot: rnorm(20), then y[15] = 10 with and without screening
    y = RNORM_123[:20]
    plain = xmr(y)
    assert first(plain, "mean") == pytest.approx(0.1416238, abs=1e-7)
    assert first(plain, "lpl") == pytest.approx(-3.01138, abs=1e-5)
    assert first(plain, "upl") == pytest.approx(3.294627, abs=1e-6)

    spiked = y[:14] + [10] + y[15:]
    screened, unscreened = xmr(spiked), xmr(spiked, screen_outliers=False)
    assert first(screened, "mean") == pytest.approx(0.6694159, abs=1e-7)
    assert first(screened, "lpl") == pytest.approx(-2.383666, abs=1e-6)
    assert first(screened, "upl") == pytest.approx(3.722497, abs=1e-6)
    assert first(unscreened, "lpl") == pytest.approx(-4.596625, abs=1e-6)
    assert first(unscreened, "upl") == pytest.approx(5.935457, abs=1e-6)
    assert first(unscreened, "upl") - first(unscreened, "lpl") > first(screened, "upl") - first(screened, "lpl")


def test_two_sigma_lines_are_two_thirds_of_the_way_to_the_limits():
    point = judge([ABOVE]).iloc[0]
    assert point["upl"] == pytest.approx(63.2)
    assert point["lpl"] == pytest.approx(-43.2)
    assert point["upper_2sigma"] == pytest.approx(10 + 2 * 53.2 / 3)
    assert point["lower_2sigma"] == pytest.approx(10 - 2 * 53.2 / 3)


def test_series_that_never_moves_has_limits_on_the_mean():
    # the reference screens out every zero moving range and is left with no limits; here they sit on the mean
    result = xmr([5] * 15)
    assert result.limits_shown
    assert first(result, "upl") == first(result, "lpl") == 5
    assert not result.points["special_cause"].any()
    assert result.variation == "common_cause"


def test_points_are_ordered_by_x():
    result = xmr([3, 1, 2], x=[2021, 2019, 2020], min_points_for_limits=2)
    assert result.points["x"].tolist() == [2019, 2020, 2021]
    assert result.points["y"].tolist() == [1, 2, 3]


# --- outside the limits --------------------------------------------------------------------

def test_point_beyond_a_limit_is_special_cause():
    points = judge([70, -50])
    assert points["rule"].tolist() == ["outside_limits", "outside_limits"]
    assert points["side"].tolist() == ["high", "low"]
    assert points["point_type"].tolist() == ["special_cause_improvement", "special_cause_concern"]


def test_point_exactly_on_a_limit_is_inside():
    upl = judge([ABOVE]).loc[0, "upl"]
    assert rules([upl]) == [None]


# --- trend ---------------------------------------------------------------------------------

def test_trend_of_seven_rising_marks_every_point_of_the_run():
    # the reference's ptd_seven_point_trend(1:7), shifted into the limits
    points = judge([7, 8, 9, 10, 11, 12, 13])
    assert points["rule"].tolist() == ["trend"] * 7
    assert set(points["point_type"]) == {"special_cause_improvement"}
    assert set(points["side"]) == {"high"}


def test_six_rising_is_not_a_trend():
    assert rules([7, 8, 9, 10, 11, 12]) == [None] * 6


def test_equal_values_break_a_trend():
    # the reference's c(1:3, 3:6): seven points but one step is flat
    assert rules([7, 8, 9, 9, 10, 11, 12]) == [None] * 7


def test_trend_inside_a_longer_series_marks_only_the_run():
    # the reference's c(2, 1:7, 3) and c(2, 7:1, 3)
    assert rules([8, 7, 8, 9, 10, 11, 12, 13, 9]) == [None] + ["trend"] * 7 + [None]
    assert rules([8, 13, 12, 11, 10, 9, 8, 7, 9]) == [None] + ["trend"] * 7 + [None]


def test_falling_trend_is_concern_when_higher_is_better_and_improvement_when_lower_is():
    falling = [13, 12, 11, 10, 9, 8, 7]
    assert set(judge(falling)["point_type"]) == {"special_cause_concern"}
    assert set(judge(falling, improvement="decrease")["point_type"]) == {"special_cause_improvement"}
    assert set(judge(falling)["side"]) == {"low"}


def test_trend_takes_its_direction_not_its_side_of_the_mean():
    # seven rising points all below the mean and near the lower limit: a trend up, so improvement
    points = judge([-40, -38, -36, -34, -32, -30, -28])
    assert points["rule"].tolist() == ["trend"] * 7
    assert set(points["side"]) == {"high"}
    assert set(points["point_type"]) == {"special_cause_improvement"}


def test_point_shared_by_a_rise_and_a_fall_takes_the_later_run():
    points = judge([4, 6, 8, 10, 12, 14, 16, 14, 12, 10, 8, 6, 4])
    assert points["rule"].tolist() == ["trend"] * 13
    assert points["side"].tolist() == ["high"] * 6 + ["low"] * 7


def test_trend_length_is_configurable():
    assert rules([7, 8, 9, 10, 11], trend_points=5) == ["trend"] * 5
    assert rules([7, 8, 9, 10, 11, 12, 13], trend_points=8) == [None] * 7


# --- two of three near a limit ------------------------------------------------------------

@pytest.mark.parametrize("tail, expected", [
    # the reference's ptd_part_of_two_in_three cases: only the near points are marked
    ([NEAR_HIGH, ABOVE, NEAR_HIGH], ["two_in_three", None, "two_in_three"]),
    ([ABOVE, NEAR_HIGH, NEAR_HIGH], [None, "two_in_three", "two_in_three"]),
    ([NEAR_HIGH, NEAR_HIGH, ABOVE], ["two_in_three", "two_in_three", None]),
    ([NEAR_HIGH, ABOVE, ABOVE, NEAR_HIGH], [None, None, None, None]),
    ([NEAR_HIGH, ABOVE, ABOVE, NEAR_HIGH, NEAR_HIGH], [None, None, None, "two_in_three", "two_in_three"]),
])
def test_two_of_three_near_a_limit(tail, expected):
    assert rules(tail) == expected


def test_two_of_three_needs_all_three_on_one_side_of_the_mean():
    assert rules([NEAR_HIGH, BELOW, NEAR_HIGH]) == [None, None, None]
    # the reference's test: two points near opposite limits, one after the other
    assert rules([NEAR_HIGH, NEAR_LOW]) == [None, None]
    dtf = [1, -1] * 8
    dtf[14], dtf[15] = 5.5, -5.5
    assert xmr(dtf).points["point_type"].tolist()[-2:] == ["common_cause", "common_cause"]


def test_two_of_three_low_is_concern_when_higher_is_better():
    points = judge([NEAR_LOW, BELOW, NEAR_LOW])
    assert points["rule"].tolist() == ["two_in_three", None, "two_in_three"]
    assert points.loc[0, "point_type"] == "special_cause_concern"
    assert points.loc[0, "side"] == "low"


def test_a_point_beyond_the_limit_does_not_count_as_near_it():
    # as in the reference: "near" means between the 2-sigma line and the limit
    assert rules([70, NEAR_HIGH, ABOVE]) == ["outside_limits", None, None]


def test_a_point_on_the_two_sigma_line_is_not_near():
    line = judge([ABOVE]).loc[0, "upper_2sigma"]
    assert rules([line, ABOVE, line]) == [None, None, None]


# --- shift ---------------------------------------------------------------------------------

def test_seven_on_one_side_of_the_mean_marks_every_point():
    points = judge([ABOVE] * 7)
    assert points["rule"].tolist() == ["shift"] * 7
    assert set(points["point_type"]) == {"special_cause_improvement"}
    assert set(judge([BELOW] * 7)["point_type"]) == {"special_cause_concern"}


def test_six_on_one_side_is_not_a_shift():
    # the reference's c(rep(1, 6), -1)
    assert rules([ABOVE] * 6 + [BELOW]) == [None] * 7


def test_a_longer_shift_marks_all_its_points():
    # the reference's c(rep(1, 8), -1): all eight points, not the one after
    assert rules([ABOVE] * 8 + [BELOW]) == ["shift"] * 8 + [None]


def test_a_point_on_the_mean_breaks_a_shift():
    assert rules([ABOVE] * 4 + [10] + [ABOVE] * 4) == [None] * 9


def test_shift_length_is_configurable():
    assert rules([ABOVE] * 5, shift_points=5) == ["shift"] * 5
    assert rules([ABOVE] * 7, shift_points=8) == [None] * 7


# --- precedence ----------------------------------------------------------------------------

def test_outside_the_limits_comes_before_trend():
    assert rules([-10, 0, 10, 20, 30, 40, 70]) == ["trend"] * 6 + ["outside_limits"]


def test_trend_comes_before_two_of_three_and_shift():
    # rising, below the mean, and the first points near the lower limit: every point is 'trend'
    assert rules([-40, -38, -36, -34, -32, -30, -28]) == ["trend"] * 7


def test_two_of_three_comes_before_shift():
    tail = [ABOVE, ABOVE, NEAR_HIGH, ABOVE, NEAR_HIGH, ABOVE, ABOVE]
    assert rules(tail) == ["shift", "shift", "two_in_three", "shift", "two_in_three", "shift", "shift"]


def test_special_cause_column_matches_rule():
    points = judge([ABOVE] * 7 + [70])
    assert (points["special_cause"] == points["rule"].notna()).all()


# --- direction and icons -------------------------------------------------------------------

def test_neutral_direction_marks_special_cause_as_neither():
    points = judge([70, -50], improvement="neutral")
    assert points["point_type"].tolist() == ["special_cause_neither", "special_cause_neither"]
    assert points["side"].tolist() == ["high", "low"]


@pytest.mark.parametrize("last, improvement, icon", [
    (70, "increase", "improvement_high"),
    (-50, "increase", "concern_low"),
    (-50, "decrease", "improvement_low"),
    (70, "decrease", "concern_high"),
    (70, "neutral", "neither_high"),
    (-50, "neutral", "neither_low"),
    (ABOVE, "increase", "common_cause"),
])
def test_variation_icon_from_the_last_point(last, improvement, icon):
    result = xmr(BASELINE + [last], fix_after_n_points=12, improvement=improvement)
    assert result.variation == icon


def test_reference_icon_cases():
    # the reference's ptd_get_icons test: rnorm(24), then the last 12 moved up by 5 or down by 5
    level = RNORM_123[:24]
    assert xmr(level).variation == "common_cause"
    assert xmr(level, target=0.5).assurance == "inconsistent"

    up = RNORM_123[:12] + [v + 5 for v in RNORM_123[24:36]]
    assert (xmr(up, target=-3).variation, xmr(up, target=-3).assurance) == ("improvement_high", "consistent_pass")
    down_is_good = xmr(up, target=-3, improvement="decrease")
    assert (down_is_good.variation, down_is_good.assurance) == ("concern_high", "consistent_fail")

    down = RNORM_123[:12] + [v - 5 for v in RNORM_123[36:48]]
    assert (xmr(down, target=3).variation, xmr(down, target=3).assurance) == ("concern_low", "consistent_fail")
    down_is_good = xmr(down, target=3, improvement="decrease")
    assert (down_is_good.variation, down_is_good.assurance) == ("improvement_low", "consistent_pass")
    neutral = xmr(down, target=3, improvement="neutral")
    assert (neutral.variation, neutral.assurance) == ("neither_low", None)


def test_variation_text_in_plain_words():
    assert (xmr(BASELINE + [70], fix_after_n_points=12).variation_text
            == "Special cause improvement: the latest month is part of a real rise, not noise.")
    for icon, text in VARIATION_TEXT.items():
        assert text.startswith("Common cause" if icon == "common_cause" else "Special cause")
        assert "sigma" not in text and "UCL" not in text


# --- assurance -----------------------------------------------------------------------------

@pytest.mark.parametrize("target, improvement, assurance", [
    # the reference's cases: target above the upper limit, below the lower, between them
    (70, "increase", "consistent_fail"),
    (-50, "increase", "consistent_pass"),
    (10, "increase", "inconsistent"),
    (70, "decrease", "consistent_pass"),
    (-50, "decrease", "consistent_fail"),
    (10, "decrease", "inconsistent"),
    (70, "neutral", None),
    (None, "increase", None),
])
def test_assurance_from_target_against_the_limits(target, improvement, assurance):
    result = xmr(BASELINE + [ABOVE], fix_after_n_points=12, target=target, improvement=improvement)
    assert result.assurance == assurance


def test_target_exactly_on_a_limit_is_hit_and_miss():
    result = xmr(BASELINE + [ABOVE], fix_after_n_points=12)
    upl, lpl = first(result, "upl"), first(result, "lpl")
    assert xmr(BASELINE + [ABOVE], fix_after_n_points=12, target=upl).assurance == "inconsistent"
    assert xmr(BASELINE + [ABOVE], fix_after_n_points=12, target=lpl).assurance == "inconsistent"


def test_assurance_uses_the_latest_segment():
    # the old process (limits −43.2 to 63.2) never reaches a target of 100; the new one, around 200, always does
    values = BASELINE + [v + 190 for v in BASELINE] + [200]
    result = xmr(values, target=100, rebase=[12])
    assert result.assurance == "consistent_pass"
    assert xmr(BASELINE, target=100, min_points_for_limits=12).assurance == "consistent_fail"


def test_assurance_text_says_why_there_is_no_icon():
    assert xmr(BASELINE + [ABOVE], fix_after_n_points=12, target=10).assurance_text == ASSURANCE_TEXT["inconsistent"]
    assert "No target" in xmr(BASELINE + [ABOVE]).assurance_text
    assert "Neither" in xmr(BASELINE + [ABOVE], target=10, improvement="neutral").assurance_text
    assert "Not enough data" in xmr([1, 2, 3], target=10).assurance_text


# --- fixed baseline ------------------------------------------------------------------------

def test_fixed_baseline_uses_only_the_first_n_points():
    values = BASELINE + [80, 90, 100]
    fixed = xmr(values, fix_after_n_points=12)
    assert first(fixed, "mean") == 10
    assert first(fixed, "upl") == pytest.approx(63.2)
    assert fixed.points["rule"].tolist()[-3:] == ["outside_limits"] * 3
    assert first(xmr(values), "mean") != first(fixed, "mean")  # the reference's "it changes the calculations"


def test_fixed_baseline_counts_observed_points_not_missing_months():
    values = BASELINE[:5] + [None] + BASELINE[5:] + [80]
    assert first(xmr(values, fix_after_n_points=12), "mean") == 10


def test_fixed_baseline_applies_within_each_segment():
    values = BASELINE + [80] + [v + 100 for v in BASELINE] + [200]
    result = xmr(values, fix_after_n_points=12, rebase=[13])
    means = result.points.groupby("segment")["mean"].first().tolist()
    assert means == [10, 110]
    assert result.points["rule"].iloc[[12, 25]].tolist() == ["outside_limits", "outside_limits"]


def test_fixed_baseline_shorter_than_twelve_is_refused():
    with pytest.raises(ValueError, match="at least 12"):
        xmr(BASELINE, fix_after_n_points=11)


# --- rebase --------------------------------------------------------------------------------

def test_rebase_starts_a_segment_with_its_own_limits():
    first_part, second_part = RNORM_123[:15], [v + 3 for v in RNORM_123[15:30]]
    result = xmr(first_part + second_part, rebase=[15])
    assert result.points["segment"].tolist() == [1] * 15 + [2] * 15
    for segment, part in ((1, first_part), (2, second_part)):
        alone = xmr(part).points
        rows = result.points[result.points["segment"] == segment]
        for column in ("mean", "upl", "lpl"):
            assert rows[column].iloc[0] == pytest.approx(alone[column].iloc[0])


def test_rebase_at_the_june_2021_migration_with_month_end_dates():
    months = pd.date_range("2020-01-31", periods=30, freq="ME")
    result = xmr(RNORM_123[:30], x=months, rebase=["2021-06-01"])
    starts = result.points.groupby("segment")["x"].min()
    assert starts.tolist() == [pd.Timestamp("2020-01-31"), pd.Timestamp("2021-06-30")]


def test_rebase_outside_the_series_changes_nothing():
    result = xmr(RNORM_123[:20], rebase=[-5, 0, 99])
    assert set(result.points["segment"]) == {1}


def test_runs_do_not_cross_a_rebase():
    before = BASELINE + [ABOVE] * 4    # mean 11.25: the last four are above it
    after = [ABOVE] * 3 + BASELINE     # mean 11: the first three are above it
    assert "shift" in set(xmr(before + after).points["rule"])
    assert xmr(before + after, rebase=[len(before)]).points["rule"].isna().all()


# --- short series --------------------------------------------------------------------------

def test_fewer_than_13_points_shows_no_limits_and_claims_nothing():
    result = xmr([1] * 11 + [100], target=50)
    assert not result.limits_shown
    assert result.variation == "not_enough_points"
    assert result.assurance is None
    assert not result.points["special_cause"].any()
    assert set(result.points["point_type"]) == {"common_cause"}
    assert result.points[["upl", "lpl", "upper_2sigma", "lower_2sigma"]].isna().all().all()
    assert result.points["mean"].notna().all()
    assert "13" in result.variation_text and "12" in result.variation_text


def test_thirteen_points_show_limits():
    result = xmr([1, 2] * 6 + [100])
    assert result.limits_shown
    assert result.variation == "improvement_high"


def test_minimum_points_is_configurable():
    assert xmr([1, 2, 1, 2, 1], min_points_for_limits=5).limits_shown
    assert not xmr(RNORM_123[:20], min_points_for_limits=21).limits_shown


def test_short_latest_segment_keeps_the_earlier_limits():
    result = xmr(BASELINE + [ABOVE] + [200, 210, 205], rebase=[13])
    assert not result.limits_shown
    assert result.variation == "not_enough_points"
    old = result.points[result.points["segment"] == 1]
    new = result.points[result.points["segment"] == 2]
    assert old["upl"].notna().all() and new["upl"].isna().all()
    assert new["mean"].iloc[0] == pytest.approx(205)
    assert "there are 3" in result.variation_text


def test_no_values_at_all():
    result = xmr([])
    assert result.variation == "not_enough_points" and not result.limits_shown
    assert list(result.points.columns) == ["x", "y", "segment", "mean", "upl", "lpl", "upper_2sigma",
                                           "lower_2sigma", "special_cause", "rule", "point_type", "side"]


# --- missing values ------------------------------------------------------------------------

def test_missing_month_stays_as_a_row_and_is_left_out_of_the_mean():
    result = xmr([1, 2, 1, 2, 1, 2, None, 9, 8, 9, 8, 9, 8, 9], screen_outliers=False)
    points = result.points
    assert len(points) == 14 and math.isnan(points.loc[6, "y"])
    assert not points.loc[6, "special_cause"]
    assert first(result, "mean") == pytest.approx(69 / 13)


def test_moving_range_across_a_missing_month_is_not_used():
    # every month-to-month change is 1; bridging the gap would add a range of 7 (2 → 9)
    result = xmr([1, 2, 1, 2, 1, 2, None, 9, 8, 9, 8, 9, 8, 9], screen_outliers=False)
    assert first(result, "upl") - first(result, "mean") == pytest.approx(2.66 * 1)


def test_missing_month_breaks_a_shift_and_a_trend():
    assert rules([ABOVE] * 7) == ["shift"] * 7
    assert rules([ABOVE] * 3 + [None] + [ABOVE] * 4) == [None] * 8
    assert rules([7, 8, 9, 10, None, 11, 12, 13]) == [None] * 8


def test_trailing_missing_month_leaves_the_icon_on_the_last_value():
    result = xmr(BASELINE + [70, None], fix_after_n_points=12)
    assert result.variation == "improvement_high"


def test_pandas_missing_values_are_accepted():
    values = pd.Series([1, 2, pd.NA] * 5, dtype="Int64")
    assert xmr(values).points["y"].isna().sum() == 5


# --- bad input -----------------------------------------------------------------------------

def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="improvement"):
        xmr([1, 2], improvement="up")
    with pytest.raises(ValueError, match="repeat"):
        xmr([1, 2], x=["2021-01", "2021-01"])
    with pytest.raises(ValueError, match="x has"):
        xmr([1, 2, 3], x=[1, 2])


# --- chart ---------------------------------------------------------------------------------

def _fields_without_type(spec) -> list:
    """Every encoding that names a field but not its type (the app treats inferred types as errors)."""
    found = []
    if isinstance(spec, dict):
        if "field" in spec and "type" not in spec:
            found.append(spec["field"])
        for value in spec.values():
            found += _fields_without_type(value)
    elif isinstance(spec, list):
        for value in spec:
            found += _fields_without_type(value)
    return found


def test_chart_with_limits():
    months = pd.date_range("2020-01-01", periods=30, freq="MS")
    values = RNORM_123[:20] + [np.nan] + [v + 3 for v in RNORM_123[21:30]]
    result = xmr(values, x=months, target=0.5, rebase=["2021-06-01"], min_points_for_limits=9)
    chart = spc_chart(result, "Re-referrals", "% of referrals")
    spec = chart.to_dict()
    assert spec["title"]["text"] == "Re-referrals" and not spec["title"]["subtitle"]
    assert len(spec["layer"]) == 5  # mean and limits, the series, the target line and its label, the points
    points = spec["layer"][-1]["encoding"]
    assert points["shape"]["scale"]["range"] == ["circle", "triangle-up", "diamond"]
    assert points["shape"]["scale"]["domain"] == points["color"]["scale"]["domain"]
    assert points["color"]["scale"]["domain"] == ["common cause", "special cause: improvement",
                                                  "special cause: concern"]
    assert [t["field"] for t in points["tooltip"]] == ["x", "y", "point", "reason"]
    assert points["x"]["type"] == "temporal"
    assert set(chart.layer[0].data["line"]) == {"mean", "process limits"}
    assert _fields_without_type(spec) == []


def test_chart_without_limits():
    result = xmr([3, 5, 4, 6], x=pd.period_range("2021-01", periods=4, freq="M"), improvement="neutral")
    spec = spc_chart(result, "Contacts", "contacts", target=None).to_dict()
    assert spec["title"]["subtitle"] == [result.variation_text]
    assert len(spec["layer"]) == 3  # no target line
    assert set(spc_chart(result, "Contacts", "contacts").layer[0].data["line"]) == {"mean"}
    assert spec["layer"][-1]["encoding"]["shape"]["scale"]["domain"] == [
        "common cause", "special cause: neither better nor worse"]
    assert _fields_without_type(spec) == []


def test_chart_with_plain_numbers_on_x():
    spec = spc_chart(xmr(ISSUE_SERIES), "Example", "count", target=3).to_dict()
    assert spec["layer"][-1]["encoding"]["x"]["type"] == "quantitative"
    assert _fields_without_type(spec) == []
