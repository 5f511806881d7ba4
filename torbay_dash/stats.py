"""Small-number statistics leaders can trust: Wilson intervals, sample sizes, overlap.

A proportion of a handful of audits moves by tens of points from one case, so every
share shown beside a decision carries its interval and n, and two teams are called
different only when their intervals do not overlap.
"""
from __future__ import annotations

import math
from statistics import NormalDist

Z95 = NormalDist().inv_cdf(0.975)   # 1.959963...


def z_for(confidence: float) -> float:
    """The two-sided normal quantile for a confidence level such as 0.95."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float] | None:
    """Wilson score interval for successes/n, as fractions; None when n is 0.

    Unlike the textbook p ± z·se it stays within 0..1 and is honest for 0/10 (0 to 27.8%).
    """
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError(f"successes ({successes}) must lie between 0 and n ({n})")
    z = z_for(confidence)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half_width = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At 0 and n the bound is exactly 0 or 1; keep it so rounding error cannot show -0.0%.
    low = 0.0 if successes == 0 else max(0.0, centre - half_width)
    high = 1.0 if successes == n else min(1.0, centre + half_width)
    return low, high


def intervals_overlap(a: tuple[float, float] | None, b: tuple[float, float] | None) -> bool:
    """True when two intervals share any value (or either is missing): no difference can be claimed."""
    if a is None or b is None:
        return True
    return a[0] <= b[1] and b[0] <= a[1]


def compare_to_rest(team: tuple[float, float] | None, rest: tuple[float, float] | None) -> str:
    """'higher', 'lower' or 'no clear difference': a team against the rest, only when intervals are apart."""
    if intervals_overlap(team, rest):
        return "no clear difference"
    return "higher" if team[0] > rest[1] else "lower"


def sample_size(population: int, expected: float = 0.5, margin: float = 0.05, confidence: float = 0.95) -> int:
    """Cases to audit so a proportion is known to ±margin, with the finite-population correction.

    n0 = z²·p(1-p)/e², then n = n0 / (1 + (n0 - 1)/N), rounded up; never more than N.
    N = 400, p = 70%, ±5%, 95% -> 179.
    """
    if population <= 0:
        return 0
    if not 0 <= expected <= 1:
        raise ValueError(f"expected proportion must be between 0 and 1, not {expected}")
    if not 0 < margin < 1:
        raise ValueError(f"margin must be between 0 and 1, not {margin}")
    z = z_for(confidence)
    infinite = z * z * expected * (1 - expected) / (margin * margin)
    finite = infinite / (1 + (infinite - 1) / population)
    return min(population, max(1, math.ceil(finite - 1e-9)))


def margin_of_error(sample: int, population: int, expected: float = 0.5, confidence: float = 0.95) -> float | None:
    """The ± a sample of `sample` cases from `population` gives (normal approximation, finite population)."""
    if sample <= 0 or population <= 0:
        return None
    if sample >= population:
        return 0.0
    z = z_for(confidence)
    correction = math.sqrt((population - sample) / (population - 1)) if population > 1 else 0.0
    return z * math.sqrt(expected * (1 - expected) / sample) * correction
