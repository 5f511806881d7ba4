"""Plain-English sentences from a headline's numbers, for the overview and the board's highlight report.

    Initial child protection conferences within 15 working days: 80.0% in the 12 months to
    July 2021, up from 63.0% the year before; special-cause improvement; the 85% target is
    not yet met consistently; England 79.0% (2020-21).

A change from the year before is only "up" or "down": whether it is better or worse is
said by SPC, and only when SPC finds special cause. Missing pieces (no target, no
published comparator, too few points) are left out or said plainly, never guessed.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from .headlines import MONTH, ROLLING_YEAR, STOCK, Comparator, Headline
from .indicators import FTE, MEAN, PERCENT, RATE_PER_10K, Indicator
from .periods import Period
from .settings import Milestone, Target

SMALL_N = 30          # below this many cases a share or mean is shown with its n
SUPPRESSED = "c"      # disclosure control: the DfE's mark for a suppressed figure

VARIATION_WORDS = {
    "common_cause": "common-cause variation only",
    "improvement_high": "special-cause improvement",
    "improvement_low": "special-cause improvement",
    "concern_high": "special-cause concern",
    "concern_low": "special-cause concern",
    "neither_high": "special-cause variation, unusually high (neither better nor worse)",
    "neither_low": "special-cause variation, unusually low (neither better nor worse)",
    "not_enough_points": "too few points yet to judge variation",
}
ASSURANCE_WORDS = {
    "consistent_pass": "is met consistently",
    "consistent_fail": "is not yet met consistently",
    "inconsistent": "is hit and miss",
}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def format_value(indicator: Indicator, value) -> str:
    """As the dashboard shows it (ui.format_value): % to one decimal, rates and means to one, counts whole."""
    if _missing(value):
        return "no data"
    if indicator.unit == PERCENT:
        return f"{value:.1f}%"
    if indicator.unit in (RATE_PER_10K, MEAN, FTE):
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def format_level(indicator: Indicator, value: float) -> str:
    """A target or milestone: 85%, 25, 20.5."""
    text = f"{value:,.10g}"
    return text + "%" if indicator.unit == PERCENT else text


def month_words(day: dt.date) -> str:
    return f"{day:%B %Y}"


def period_words(basis: str, period: Period | None) -> str:
    """'in the 12 months to July 2021', 'in July 2021' or 'at the end of July 2021'."""
    if period is None:
        return ""
    if basis == ROLLING_YEAR:
        return f"in the 12 months to {month_words(period.end)}"
    if basis == STOCK:
        return f"at the end of {month_words(period.end)}"
    if basis == MONTH and period.start.day == 1 and period.start.month == period.end.month:
        return f"in {month_words(period.end)}"
    return f"from {period.start:%-d %B %Y} to {period.end:%-d %B %Y}"


def year_label(comparator: Comparator) -> str:
    """A published year in the DfE's own terms: 2020-21 (year ending 31 March), March 2021, Sept 2020."""
    year, period = comparator.year, comparator.period.lower()
    if "september" in period:
        return f"year to Sept {year}" if period.startswith("year") else f"Sept {year}"
    if period.startswith("at"):
        return f"March {year}"
    return f"{year - 1}-{year % 100:02d}"


def small_n(indicator: Indicator, denominator, hidden: bool = False) -> str:
    """'(n = 12)' when a share or mean rests on fewer than SMALL_N cases, else ''."""
    if indicator.unit not in (PERCENT, MEAN) or _missing(denominator) or denominator >= SMALL_N:
        return ""
    return f"(n = {SUPPRESSED})" if hidden else f"(n = {denominator:,.0f})"


def change_words(indicator: Indicator, value, previous, hidden_previous: bool = False) -> str:
    """'up from 63.0% the year before', 'down from …', 'no change from the year before' — never better or worse."""
    if hidden_previous:
        return f"{SUPPRESSED} the year before"
    if _missing(previous):
        return "no figure for the year before"
    shown_now, shown_before = format_value(indicator, value), format_value(indicator, previous)
    if _missing(value):
        return f"{shown_before} the year before"
    if shown_now == shown_before:
        return f"no change from the year before ({shown_before})"
    direction = "up" if value > previous else "down"
    return f"{direction} from {shown_before} the year before"


def variation_words(variation: str | None) -> str:
    return VARIATION_WORDS.get(variation, "") if variation else ""


def target_words(indicator: Indicator, target: Target | None, assurance: str | None = None, value=None,
                 hidden: bool = False) -> str:
    """The target and whether SPC says it is met consistently; else the latest value against it."""
    if target is None:
        return ""
    level = format_level(indicator, target.value)
    lead = f"the {level} target" if indicator.unit == PERCENT else f"the target of {level}"
    if assurance in ASSURANCE_WORDS:
        return f"{lead} {ASSURANCE_WORDS[assurance]}"
    if hidden or _missing(value) or indicator.direction not in ("higher", "lower"):
        return f"{lead} (too few points to say whether it is met consistently)" if not hidden else lead
    gap = value - target.value if indicator.direction == "higher" else target.value - value
    if gap >= 0:
        state = "is met in the latest period"
    elif -gap <= target.tolerance:
        state = "is not met in the latest period, but within tolerance"
    else:
        state = "is not met in the latest period"
    return f"{lead} {state} (too few points to say whether consistently)"


def benchmark_words(indicator: Indicator, comparator: Comparator | None) -> str:
    """'England 79.0% (2020-21), statistical neighbours 75.3% (2020-21)'; '' when none is published."""
    if comparator is None:
        return ""
    label = year_label(comparator)
    parts = [f"{name} {format_value(indicator, figure)} ({label})"
             for name, figure in (("England", comparator.england), ("statistical neighbours", comparator.neighbours))
             if not _missing(figure)]
    return ", ".join(parts)


def trajectory_words(indicator: Indicator, milestones: Iterable[Milestone], as_at: dt.date, value=None,
                     hidden: bool = False) -> str:
    """The next milestone ('trajectory: 85% by March 2022'), and the last one passed, met or missed."""
    milestones = sorted(milestones, key=lambda m: m.by)
    if not milestones:
        return ""
    parts = []
    passed = [m for m in milestones if m.by <= as_at]
    ahead = [m for m in milestones if m.by > as_at]
    if passed:
        last = passed[-1]
        text = f"the {month_words(last.by)} milestone was {format_level(indicator, last.value)}"
        if not hidden and not _missing(value) and indicator.direction in ("higher", "lower"):
            met = value >= last.value if indicator.direction == "higher" else value <= last.value
            text += f" ({'met' if met else 'not met'} now)"
        parts.append(text)
    if ahead:
        parts.append("trajectory: " + ", then ".join(
            f"{format_level(indicator, m.value)} by {month_words(m.by)}" for m in ahead))
    return "; ".join(parts)


def describe(h: Headline, hidden: Iterable[str] = ()) -> str:
    """One sentence for a headline. `hidden` names figures to show as 'c' (disclosure control):
    'value' (the latest value and its n), 'previous' (the value a year earlier)."""
    hidden = set(hidden)
    indicator = h.indicator
    if h.unavailable:
        return f"{indicator.title}: not available on this snapshot ({h.unavailable})."
    when = period_words(h.basis, h.period)
    if "value" in hidden:
        figure = SUPPRESSED
    elif _missing(h.value):
        figure = "no data"
    else:
        figure = format_value(indicator, h.value)
    n = small_n(indicator, h.denominator, hidden="value" in hidden)
    lead = " ".join(part for part in (figure, n, when) if part)
    clauses = [f"{lead}, {change_words(indicator, h.value, h.previous_value, 'previous' in hidden)}"]
    clauses += [c for c in (variation_words(h.variation),
                            target_words(indicator, h.target, h.assurance, h.value, "value" in hidden),
                            benchmark_words(indicator, h.benchmark)) if c]
    return f"{indicator.title}: " + "; ".join(clauses) + "."


def describe_all(items: Iterable[Headline]) -> list[str]:
    return [describe(h) for h in items]

