"""English working days, for timeliness measured in working days.

Statutory timescales (assessments in 45 working days, ICPCs in 15) count Monday to
Friday less England and Wales bank holidays. The calendar carries a running index of
working days, so wd(S, E) -- working days d with S < d <= E -- is one subtraction,
in Python and in SQL alike.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import pandas as pd

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)


@lru_cache(maxsize=1)
def bank_holidays() -> frozenset[dt.date]:
    """England and Wales bank holidays, one-off days (2022-09-19, 2023-05-08) included."""
    years = range(FIRST_DAY.year, LAST_DAY.year + 1)
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=years))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


@lru_cache(maxsize=1)
def calendar_frame() -> pd.DataFrame:
    """One row per day: d, is_working_day, wd_index (working days from FIRST_DAY to d inclusive)."""
    days = pd.date_range(FIRST_DAY, LAST_DAY, freq="D")
    hols = pd.to_datetime(sorted(bank_holidays()))
    working = (days.day_of_week < 5) & ~days.isin(hols)
    return pd.DataFrame({
        "d": days.date,
        "is_working_day": working,
        "wd_index": working.cumsum().astype("int64"),
    })


@lru_cache(maxsize=1)
def _index() -> dict[dt.date, int]:
    frame = calendar_frame()
    return dict(zip(frame["d"], frame["wd_index"]))


def working_days_between(start: dt.date, end: dt.date) -> int:
    """wd(start, end): working days d with start < d <= end (negative when end < start)."""
    index = _index()
    try:
        return index[end] - index[start]
    except KeyError as missing:
        raise ValueError(f"date {missing.args[0]} is outside the calendar "
                         f"({FIRST_DAY}..{LAST_DAY})") from None


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The working day d with wd(start, d) == days (days >= 1): when a standard of `days` working days falls due."""
    if days < 1:
        raise ValueError("add_working_days counts forward from 1 working day")
    index = _index()
    if start not in index:
        raise ValueError(f"date {start} is outside the calendar ({FIRST_DAY}..{LAST_DAY})")
    target = index[start] + days
    day = start + dt.timedelta(days=days)  # working days are never more than calendar days
    while index[day] < target or not is_working_day(day):
        day += dt.timedelta(days=1)
    return day
