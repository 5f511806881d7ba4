"""Reporting periods: calendar months, quarters, financial years, weeks and the sidebar presets."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    def __str__(self) -> str:
        return f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"


def month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later (or earlier), clamped to the month's last day: 2020-02-29 - 12 -> 2019-02-28."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    first = dt.date(year, month0 + 1, 1)
    return first.replace(day=min(day.day, month_end(first).day))


def months(start: dt.date, end: dt.date) -> list[Period]:
    """Calendar months overlapping start..end, clipped to it."""
    out, cursor = [], start.replace(day=1)
    while cursor <= end:
        out.append(Period(max(cursor, start), min(month_end(cursor), end)))
        cursor = month_end(cursor) + dt.timedelta(days=1)
    return out


def chart_months(period: Period) -> list[Period]:
    """The calendar months a chart over `period` shows, the first one whole: a period that starts mid-month
    ("Last 4 weeks", a custom range) would otherwise open with a few days drawn as if a month, and look like a fall.
    The last month ends at the period's end, as the extract does."""
    return months(period.start.replace(day=1), period.end)


def quarters(start: dt.date, end: dt.date) -> list[Period]:
    """Calendar quarters overlapping start..end, clipped to it."""
    out, cursor = [], dt.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    while cursor <= end:
        q_end = month_end(add_months(cursor, 2))
        out.append(Period(max(cursor, start), min(q_end, end)))
        cursor = q_end + dt.timedelta(days=1)
    return out


def financial_year(day: dt.date) -> Period:
    """The April-to-March year containing `day`."""
    first = dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)
    return Period(first, dt.date(first.year + 1, 3, 31))


def weeks(start: dt.date, end: dt.date) -> list[Period]:
    """Whole 7-day periods ending at `end`, newest last, none starting before `start`.

    A week is counted back from the day of the extract rather than from a Monday, so the newest
    week holds everything recorded up to the snapshot; a part week at the start is left out,
    since it would read as a fall beside whole ones.
    """
    out, last = [], end
    while last - dt.timedelta(days=6) >= start:
        out.append(Period(last - dt.timedelta(days=6), last))
        last -= dt.timedelta(days=7)
    return out[::-1]


WEEKLY_GAP_DAYS = (1, 10)  # snapshots this many days apart are a weekly series (a late or early load still counts)


def _weekly_gap(before: dt.date, after: dt.date) -> bool:
    return WEEKLY_GAP_DAYS[0] <= (after - before).days <= WEEKLY_GAP_DAYS[1]


def is_weekly(as_at_dates) -> bool:
    """Does the council load weekly? True when the latest two snapshots are 1 to 10 days apart."""
    latest = sorted(set(as_at_dates))[-2:]
    return len(latest) == 2 and _weekly_gap(*latest)


def change_label(before_as_at: dt.date, after_as_at: dt.date) -> str:
    """How a comparison of two snapshots reads: 'since last week (17 July 2021)', 'since last month (...)',
    or 'since the snapshot of ...' when they are neither a week nor a calendar month apart."""
    when = f"{before_as_at:%d %B %Y}"
    if _weekly_gap(before_as_at, after_as_at):
        return f"since last week ({when})"
    last_month = add_months(after_as_at.replace(day=1), -1)
    if before_as_at.replace(day=1) == last_month and (after_as_at - before_as_at).days <= 31:
        return f"since last month ({when})"
    return f"since the snapshot of {when}"


PRESETS = ("Last 12 months", "Last financial year", "Last quarter", "Last 4 weeks", "Custom")
WEEKS_PRESET = "Last 4 weeks"


def last_complete_month_end(as_at: dt.date) -> dt.date:
    return as_at if as_at == month_end(as_at) else as_at.replace(day=1) - dt.timedelta(days=1)


def preset_period(preset: str, as_at: dt.date) -> Period:
    """The period a sidebar preset names, relative to the snapshot's as-at date.

    The month presets end at a complete month (or quarter, or year) on or before the as-at date, so a
    part-recorded month is never compared with whole ones. "Last 4 weeks" is the 28 days ending at the
    as-at date itself: a council loading weekly reads its figures up to the extract, and four whole weeks
    are compared with four whole weeks, never with a month.
    """
    if preset == WEEKS_PRESET:
        return Period(as_at - dt.timedelta(days=27), as_at)
    end = last_complete_month_end(as_at)
    if preset == "Last 12 months":
        return Period(add_months(end, -12) + dt.timedelta(days=1), end)
    if preset == "Last financial year":
        year = financial_year(end)
        return year if year.end <= as_at else financial_year(year.start - dt.timedelta(days=1))
    if preset == "Last quarter":
        while end.month % 3:
            end = end.replace(day=1) - dt.timedelta(days=1)
        return Period(add_months(end, -2).replace(day=1), end)
    raise ValueError(f"unknown preset {preset!r}")


def periods_frame(periods: list[Period]) -> pd.DataFrame:
    """The `periods` relation that indicator SQL joins to."""
    return pd.DataFrame({
        "period_from": pd.to_datetime([p.start for p in periods]).date,
        "period_to": pd.to_datetime([p.end for p in periods]).date,
    }).astype({"period_from": "date32[pyarrow]", "period_to": "date32[pyarrow]"})


def rolling_periods(period: Period) -> list[Period]:
    """For each month of the period, the 12 months ending with it."""
    return [Period(add_months(m.end, -12) + dt.timedelta(days=1), m.end) for m in months(period.start, period.end)]


def shows_rolling_year(indicator) -> bool:
    """Rates over events (published as annual figures) are read over a rolling year as well as by month."""
    from .indicators import PERCENT
    return indicator.kind == "flow" and indicator.unit == PERCENT
