"""Reporting periods: calendar months, quarters, financial years and the sidebar presets."""
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


PRESETS = ("Last 12 months", "Last financial year", "Last quarter", "Custom")


def last_complete_month_end(as_at: dt.date) -> dt.date:
    return as_at if as_at == month_end(as_at) else as_at.replace(day=1) - dt.timedelta(days=1)


def preset_period(preset: str, as_at: dt.date) -> Period:
    """The period a sidebar preset names, relative to the snapshot's as-at date.

    Presets end at a complete month (or quarter, or year) on or before the as-at date, so a
    part-recorded month is never compared with whole ones.
    """
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
