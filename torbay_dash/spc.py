"""Making Data Count XmR charts: limits, special-cause rules and the two icons leaders read.

The behaviour follows the NHS-R Community's NHSRplotthedots (the reference the NHS uses),
so a chart here says what the same data would say in an NHS board pack. Where this module
chooses differently (short series, missing months, a series that never moves, rebase dates
that fall between points) the choice is written where it is made.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# 3 / d2 for moving ranges of two points (d2 = 1.128): the distance from the mean to a limit
LIMIT_FACTOR = 2.66
# two thirds of the way to a limit ("2 sigma"): where "near a limit" starts for the 2-of-3 rule
NEAR_LIMIT_FACTOR = 2 * LIMIT_FACTOR / 3
# a moving range this many times the mean moving range is a one-off jump, not routine variation
SCREEN_FACTOR = 3.267
TWO_IN_THREE_WINDOW = 3
IMPROVEMENT_DIRECTIONS = ("increase", "decrease", "neutral")
RULES = ("outside_limits", "trend", "two_in_three", "shift")  # in order of precedence
POINT_TYPES = ("common_cause", "special_cause_improvement", "special_cause_concern", "special_cause_neither")
VARIATION_ICONS = ("common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low",
                   "neither_high", "neither_low", "not_enough_points")
ASSURANCE_ICONS = ("consistent_pass", "consistent_fail", "inconsistent")
MIN_FIXED_BASELINE = 12

POINT_TYPE_WORDS = {
    "common_cause": "common cause",
    "special_cause_improvement": "special cause: improvement",
    "special_cause_concern": "special cause: concern",
    "special_cause_neither": "special cause: neither better nor worse",
}

VARIATION_TEXT = {
    "common_cause": "Common cause variation: the latest month is within the normal ups and downs; "
                    "there is no sign of real change.",
    "improvement_high": "Special cause improvement: the latest month is part of a real rise, not noise.",
    "improvement_low": "Special cause improvement: the latest month is part of a real fall, not noise.",
    "concern_high": "Special cause concern: the latest month is part of a real rise, in the wrong direction.",
    "concern_low": "Special cause concern: the latest month is part of a real fall, in the wrong direction.",
    "neither_high": "Special cause variation: the latest month is part of a real rise, not noise "
                    "(for this measure higher is neither better nor worse).",
    "neither_low": "Special cause variation: the latest month is part of a real fall, not noise "
                   "(for this measure lower is neither better nor worse).",
}

ASSURANCE_TEXT = {
    "consistent_pass": "Consistently meeting the target: the target lies outside the normal range, on the good "
                       "side, so every month should meet it unless something changes.",
    "consistent_fail": "Consistently missing the target: the target lies outside the normal range, on the wrong "
                       "side, so it will not be met unless the way the work is done changes.",
    "inconsistent": "Hit and miss: the target lies inside the normal range, so some months will meet it and "
                    "some will not, by chance alone.",
}


@dataclass(frozen=True)
class SpcResult:
    """An XmR chart's points and the two icons, with the settings needed to explain them in words.

    `points` has one row per point: x, y, segment (1, 2, ... a new one at each rebase), mean,
    upl, lpl, upper_2sigma, lower_2sigma (NaN where a segment is too short for limits),
    special_cause, rule (the highest-precedence rule the point breaks, or None), point_type
    and side ('high'/'low' for a special-cause point, else None).
    """
    points: pd.DataFrame
    variation: str
    assurance: str | None
    limits_shown: bool
    improvement: str = "increase"
    target: float | None = None
    min_points_for_limits: int = 13
    trend_points: int = 7
    shift_points: int = 7

    @property
    def latest_segment_points(self) -> int:
        """Observed points since the series began or was last rebased: what the limits rest on."""
        if self.points.empty:
            return 0
        latest = self.points[self.points["segment"] == self.points["segment"].max()]
        return int(latest["y"].notna().sum())

    @property
    def variation_text(self) -> str:
        if self.variation == "not_enough_points":
            have = self.latest_segment_points
            return (f"Not enough data yet: limits need at least {self.min_points_for_limits} months since the "
                    f"series began or was last restarted, and there {'is' if have == 1 else 'are'} {have}, "
                    "so no signal is claimed.")
        return VARIATION_TEXT[self.variation]

    @property
    def assurance_text(self) -> str:
        if self.assurance is not None:
            return ASSURANCE_TEXT[self.assurance]
        if self.target is None:
            return "No target is set, so there is no view on whether one will be met."
        if self.improvement == "neutral":
            return "Neither higher nor lower is better for this measure, so the target is not judged as met or missed."
        return "Not enough data yet to say whether the target will be met reliably."


def xmr(values: Sequence[float], x: Sequence | None = None, *, improvement: str = "increase",
        target: float | None = None, screen_outliers: bool = True, fix_after_n_points: int | None = None,
        rebase: Sequence = (), trend_points: int = 7, shift_points: int = 7,
        min_points_for_limits: int = 13) -> SpcResult:
    """An XmR (individuals) chart of `values` in the order of `x`, judged by the Making Data Count rules.

    Missing values (None/NaN) stay as rows, so a gap is seen as a gap: they are left out of
    the mean, a moving range that touches one is not used (it is not a month-to-month
    change), and a run (trend, shift, 2 of 3) cannot pass through one.

    `rebase` holds x values where the process changed (e.g. a system migration): the first
    point at or after each starts a new segment with its own mean and limits.
    `fix_after_n_points` (12 or more) fixes each segment's mean and limits on its first n
    observed points, so later points are judged against that baseline.
    A segment with fewer than `min_points_for_limits` observed points gets its mean but no
    limits and no special-cause claims; if that is the latest segment the variation icon is
    'not_enough_points' and there is no assurance icon.
    """
    _check_options(improvement, fix_after_n_points, trend_points, shift_points, min_points_for_limits)
    frame = _ordered_points(values, x)
    frame["segment"] = _segment_numbers(frame["x"], rebase)
    parts = [_judge_segment(part.reset_index(drop=True), improvement, screen_outliers, fix_after_n_points,
                            trend_points, shift_points, min_points_for_limits)
             for _, part in frame.groupby("segment", sort=True)]
    points = pd.concat(parts, ignore_index=True) if parts else _empty_points(frame)
    latest = _latest_observed(points)
    limits_shown = latest is not None and bool(np.isfinite(latest["upl"]) and np.isfinite(latest["lpl"]))
    variation = _variation_icon(latest, improvement) if limits_shown else "not_enough_points"
    assurance = _assurance_icon(latest, improvement, target) if limits_shown else None
    return SpcResult(points=points, variation=variation, assurance=assurance, limits_shown=limits_shown,
                     improvement=improvement, target=target, min_points_for_limits=min_points_for_limits,
                     trend_points=trend_points, shift_points=shift_points)


def _check_options(improvement: str, fix_after_n_points: int | None, trend_points: int, shift_points: int,
                   min_points_for_limits: int) -> None:
    """Refuse settings that would silently give limits nobody should trust."""
    if improvement not in IMPROVEMENT_DIRECTIONS:
        raise ValueError(f"improvement must be one of {IMPROVEMENT_DIRECTIONS}, not {improvement!r}")
    if fix_after_n_points is not None and fix_after_n_points < MIN_FIXED_BASELINE:
        raise ValueError(f"fix_after_n_points must be at least {MIN_FIXED_BASELINE}: "
                         "a shorter baseline gives limits too unstable to fix")
    for name, length in (("trend_points", trend_points), ("shift_points", shift_points)):
        if length < 2:
            raise ValueError(f"{name} must be at least 2")
    if min_points_for_limits < 2:
        raise ValueError("min_points_for_limits must be at least 2: limits need a moving range")


def _ordered_points(values: Sequence[float], x: Sequence | None) -> pd.DataFrame:
    """Values as floats (missing → NaN) beside their x, sorted by x; one point per x."""
    y = pd.to_numeric(pd.Series(list(values), dtype=object), errors="raise").astype(float).to_numpy()
    if x is None:
        x_values = pd.Series(np.arange(len(y)))
    else:
        x_values = pd.Series(list(x)) if not isinstance(x, (pd.Series, pd.Index)) else pd.Series(x.to_numpy())
        if x_values.dtype == object and len(x_values) and x_values.map(_is_date_like).all():
            x_values = pd.to_datetime(x_values)
    if len(x_values) != len(y):
        raise ValueError(f"x has {len(x_values)} values but there are {len(y)} values")
    if x_values.duplicated().any():
        raise ValueError(f"x must not repeat: {list(x_values[x_values.duplicated()].unique())[:5]}")
    frame = pd.DataFrame({"x": x_values.to_numpy(), "y": y})
    return frame.sort_values("x", kind="stable").reset_index(drop=True)


def _is_date_like(value: Any) -> bool:
    return isinstance(value, (dt.date, pd.Timestamp))


def _segment_numbers(x: pd.Series, rebase: Sequence) -> np.ndarray:
    """1 for every point, plus one more from the first point at or after each rebase value.

    The reference only rebases at an x that matches exactly; taking the first point at or
    after the date gives the same answer then, and still works when the change date falls
    between two points (a migration on 1 June, points dated at month ends).
    """
    starts = np.zeros(len(x), dtype=int)
    for when in _as_x_type(list(rebase), x):
        later = np.flatnonzero((x >= when).to_numpy())
        if later.size and later[0] > 0:
            starts[later[0]] = 1
    return 1 + np.cumsum(starts)


def _as_x_type(rebase: list, x: pd.Series) -> list:
    """Rebase values in x's own type, so a date string can rebase a series of timestamps."""
    if not rebase:
        return []
    if pd.api.types.is_datetime64_any_dtype(x):
        return list(pd.to_datetime(rebase))
    if isinstance(x.dtype, pd.PeriodDtype):
        return [pd.Period(value, freq=x.dtype.freq) for value in rebase]
    return rebase


def _segment_limits(y: np.ndarray, fix_after_n_points: int | None, screen_outliers: bool) -> tuple[float, float]:
    """The mean and the mean moving range of a segment's baseline.

    Screening drops moving ranges of 3.267 × their mean or more (one-off jumps) and takes
    the mean of the rest. If every moving range is zero there is nothing to screen: the
    reference would drop them all and leave no limits; here the limits sit on the mean.
    """
    baseline = y
    if fix_after_n_points is not None:
        observed_positions = np.flatnonzero(~np.isnan(y))
        if observed_positions.size > fix_after_n_points:
            baseline = y[:observed_positions[fix_after_n_points - 1] + 1]
    if np.isnan(baseline).all():
        return float("nan"), float("nan")
    mean = float(np.nanmean(baseline))
    moving_ranges = np.abs(np.diff(baseline))
    moving_ranges = moving_ranges[~np.isnan(moving_ranges)]  # a range that touches a missing month is no range
    if moving_ranges.size == 0:
        return mean, float("nan")
    mean_moving_range = float(moving_ranges.mean())
    if screen_outliers and mean_moving_range > 0:
        mean_moving_range = float(moving_ranges[moving_ranges < SCREEN_FACTOR * mean_moving_range].mean())
    return mean, mean_moving_range


def _judge_segment(part: pd.DataFrame, improvement: str, screen_outliers: bool, fix_after_n_points: int | None,
                   trend_points: int, shift_points: int, min_points_for_limits: int) -> pd.DataFrame:
    """Limits for one segment, then each point's rule and type against them."""
    y = part["y"].to_numpy()
    mean, mean_moving_range = _segment_limits(y, fix_after_n_points, screen_outliers)
    enough = int((~np.isnan(y)).sum()) >= min_points_for_limits and np.isfinite(mean_moving_range)
    spread = mean_moving_range if enough else float("nan")
    part = part.assign(mean=mean, upl=mean + LIMIT_FACTOR * spread, lpl=mean - LIMIT_FACTOR * spread,
                       upper_2sigma=mean + NEAR_LIMIT_FACTOR * spread, lower_2sigma=mean - NEAR_LIMIT_FACTOR * spread)
    if enough:
        rule, side = _special_causes(y, mean, part["upl"].to_numpy(), part["lpl"].to_numpy(),
                                     part["upper_2sigma"].to_numpy(), part["lower_2sigma"].to_numpy(),
                                     trend_points, shift_points)
    else:
        rule, side = [None] * len(part), np.zeros(len(part), dtype=int)
    part["special_cause"] = [r is not None for r in rule]
    part["rule"] = pd.Series(rule, dtype=object)
    part["point_type"] = [_point_type(r, s, improvement) for r, s in zip(rule, side)]
    part["side"] = pd.Series([None if r is None else ("high" if s > 0 else "low") for r, s in zip(rule, side)],
                             dtype=object)
    return part


def _special_causes(y: np.ndarray, mean: float, upl: np.ndarray, lpl: np.ndarray, upper_2sigma: np.ndarray,
                    lower_2sigma: np.ndarray, trend_points: int, shift_points: int) -> tuple[list, np.ndarray]:
    """Each point's highest-precedence rule and the side (+1 high, -1 low) that rule points to.

    Comparisons are strict, as in the reference: a point on a limit is inside it, a point
    on the mean is on neither side (so it breaks a shift), and an equal neighbour breaks a
    trend. A missing month counts as on neither side and breaks every run.
    """
    n = len(y)
    with np.errstate(invalid="ignore"):
        outside = (y > upl) | (y < lpl)
        near = ~outside & ((y > upper_2sigma) | (y < lower_2sigma))
        relative_to_mean = np.nan_to_num(np.sign(y - mean)).astype(int)
        steps = np.sign(np.diff(y))  # NaN next to a missing month

    trend_side = np.zeros(n, dtype=int)
    for end in range(trend_points - 1, n):
        window = steps[end - trend_points + 1:end]
        for direction in (1, -1):
            if np.all(window == direction):
                # a point shared by a rise then a fall takes the later run's direction, as the reference does
                trend_side[end - trend_points + 1:end + 1] = direction

    two_in_three = np.zeros(n, dtype=bool)
    for start in range(n - TWO_IN_THREE_WINDOW + 1):
        window = slice(start, start + TWO_IN_THREE_WINDOW)
        # all three on one side of the mean, and at least two of them near (not beyond) a limit
        if abs(relative_to_mean[window].sum()) == TWO_IN_THREE_WINDOW and near[window].sum() >= 2:
            two_in_three[window] |= near[window]  # only the near points are flagged, not the third

    shift = np.zeros(n, dtype=bool)
    for end in range(shift_points - 1, n):
        window = relative_to_mean[end - shift_points + 1:end + 1]
        if window[0] != 0 and np.all(window == window[0]):
            shift[end - shift_points + 1:end + 1] = True

    rules: list[str | None] = []
    sides = np.zeros(n, dtype=int)
    for i in range(n):
        if outside[i]:
            rules.append("outside_limits")
            sides[i] = relative_to_mean[i]
        elif trend_side[i]:
            rules.append("trend")
            sides[i] = trend_side[i]
        elif two_in_three[i]:
            rules.append("two_in_three")
            sides[i] = relative_to_mean[i]
        elif shift[i]:
            rules.append("shift")
            sides[i] = relative_to_mean[i]
        else:
            rules.append(None)
    return rules, sides


def _point_type(rule: str | None, side: int, improvement: str) -> str:
    """Improvement or concern depends on which way is better; with neither better, it is just a signal."""
    if rule is None:
        return "common_cause"
    if improvement == "neutral":
        return "special_cause_neither"
    better = 1 if improvement == "increase" else -1
    return "special_cause_improvement" if side == better else "special_cause_concern"


def _latest_observed(points: pd.DataFrame) -> pd.Series | None:
    """The last point with a value: a trailing missing month says nothing about variation."""
    observed = points[points["y"].notna()]
    return None if observed.empty else observed.iloc[-1]


def _variation_icon(latest: pd.Series, improvement: str) -> str:
    """The icon names which way is good, as the reference does: improvement for 'decrease' is '_low'."""
    point_type = latest["point_type"]
    if point_type == "common_cause":
        return "common_cause"
    if point_type == "special_cause_neither":
        return f"neither_{latest['side']}"
    good, bad = ("high", "low") if improvement == "increase" else ("low", "high")
    return f"improvement_{good}" if point_type == "special_cause_improvement" else f"concern_{bad}"


def _assurance_icon(latest: pd.Series, improvement: str, target: float | None) -> str | None:
    """Where the target sits against the latest limits; strict, so a target on a limit is hit and miss."""
    if target is None or improvement == "neutral":
        return None
    if target > latest["upl"]:
        return "consistent_fail" if improvement == "increase" else "consistent_pass"
    if target < latest["lpl"]:
        return "consistent_pass" if improvement == "increase" else "consistent_fail"
    return "inconsistent"


def _empty_points(frame: pd.DataFrame) -> pd.DataFrame:
    columns = ["mean", "upl", "lpl", "upper_2sigma", "lower_2sigma"]
    empty = frame.assign(**{column: pd.Series(dtype=float) for column in columns})
    return empty.assign(special_cause=pd.Series(dtype=bool), rule=pd.Series(dtype=object),
                        point_type=pd.Series(dtype=object), side=pd.Series(dtype=object))
