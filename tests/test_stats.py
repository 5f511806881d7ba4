"""Wilson intervals and audit sample sizes, against figures worked by hand and published."""
import pytest

from torbay_dash import stats


def pct(interval):
    return tuple(round(100 * bound, 1) for bound in interval)


@pytest.mark.parametrize("successes, n, expected", [
    (0, 10, (0.0, 27.8)),     # the issue: 0 of 10 is not "0%", it is anywhere up to 27.8%
    (17, 20, (64.0, 94.8)),   # the issue
    (5, 25, (8.9, 39.1)),     # DESIGN.md: 5 of 25 is 8.9%-39.1%, not "20%"
    (10, 10, (72.2, 100.0)),  # all good: mirror image of 0/10
    (1, 2, (9.5, 90.5)),      # 50% of 2 says almost nothing
    (100, 200, (43.1, 56.9)), # 50% of 200 says a lot
])
def test_wilson_interval_matches_worked_figures(successes, n, expected):
    assert pct(stats.wilson_interval(successes, n)) == expected


def test_wilson_interval_without_cases_is_none_and_rejects_impossible_counts():
    assert stats.wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        stats.wilson_interval(11, 10)


def test_a_wider_confidence_gives_a_wider_interval():
    low95, high95 = stats.wilson_interval(5, 25, 0.95)
    low99, high99 = stats.wilson_interval(5, 25, 0.99)
    assert low99 < low95 and high99 > high95


def test_teams_are_compared_only_when_intervals_are_apart():
    small_team = stats.wilson_interval(1, 2)        # 9.5%-90.5%
    big_rest = stats.wilson_interval(100, 200)      # 43.1%-56.9%
    assert stats.compare_to_rest(small_team, big_rest) == "no clear difference"
    assert stats.compare_to_rest(stats.wilson_interval(45, 50), big_rest) == "higher"
    assert stats.compare_to_rest(stats.wilson_interval(5, 50), big_rest) == "lower"
    assert stats.compare_to_rest(None, big_rest) == "no clear difference"
    assert stats.intervals_overlap((0.1, 0.2), (0.2, 0.3))   # touching counts as overlapping


@pytest.mark.parametrize("population, expected, margin, confidence, n", [
    (400, 0.7, 0.05, 0.95, 179),    # the worked example
    (400, 0.5, 0.05, 0.95, 197),    # the most cautious expectation needs more
    (1_000_000, 0.5, 0.05, 0.95, 384),  # n0 = 384.15; the correction for a million takes it to 383.99
    (30, 0.5, 0.05, 0.95, 28),      # a small team: nearly everyone
    (5, 0.5, 0.01, 0.95, 5),        # never more than the population
])
def test_sample_size_with_finite_population_correction(population, expected, margin, confidence, n):
    assert stats.sample_size(population, expected, margin, confidence) == n


def test_sample_size_edges():
    assert stats.sample_size(0) == 0
    with pytest.raises(ValueError):
        stats.sample_size(100, margin=0)
    with pytest.raises(ValueError):
        stats.sample_size(100, expected=1.5)


def test_margin_of_error_is_the_inverse_of_sample_size():
    n = stats.sample_size(400, 0.7, 0.05)
    assert stats.margin_of_error(n, 400, 0.7) <= 0.05 < stats.margin_of_error(n - 1, 400, 0.7)
    assert stats.margin_of_error(400, 400) == 0.0
    assert stats.margin_of_error(0, 400) is None
