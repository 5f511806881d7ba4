"""Small helpers every cared-for module shares: days as ints, target curves, weighted draws.

Dates are whole days since 1970-01-01 (ints) throughout the simulation; ``NO_DAY`` marks
"none" in int arrays. The draw helpers (``_choice``, ``_pick``) consume the generator they
are given in a fixed way, so callers keep their random streams reproducible.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..context import SynthContext, day, from_days

_EPOCH_DATE = dt.date(1970, 1, 1)
NO_DAY = -(10 ** 9)


def _d(text: str) -> int:
    return day(dt.date.fromisoformat(text))


def _curve(points, days) -> np.ndarray:
    xs = np.array([_d(d) for d, _ in points], dtype=np.float64)
    ys = np.array([v for _, v in points], dtype=np.float64)
    return np.interp(np.asarray(days, dtype=np.float64), xs, ys)


def _months_after(d: int, months: int) -> int:
    """The same day `months` calendar months later (clipped to the month's last day)."""
    x = _EPOCH_DATE + dt.timedelta(days=int(d))
    m = x.month - 1 + months
    year, month = x.year + m // 12, m % 12 + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return (dt.date(year, month, min(x.day, last)) - _EPOCH_DATE).days


def _num(values) -> np.ndarray:
    """Numbers with None / NaN for null, as float64."""
    if isinstance(values, np.ndarray) and values.dtype != object:
        return np.array(values, dtype=np.float64)
    return np.array(pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce"), dtype=np.float64)


def _dates(values) -> np.ndarray:
    """int days with NO_DAY / None / NaN for null -> datetime64[D] with NaT."""
    a = _num(values)
    a[a <= NO_DAY / 2] = np.nan
    out = np.full(a.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    ok = ~np.isnan(a)
    out[ok] = from_days(a[ok].astype(np.int64))
    return out


def _choice(rng: np.random.Generator, table: dict, n: int | None = None):
    keys = list(table)
    p = np.array(list(table.values()), dtype=np.float64)
    if n is None:
        return keys[int(rng.choice(len(keys), p=p / p.sum()))]
    return np.array(keys, dtype=object)[rng.choice(len(keys), n, p=p / p.sum())]


def _by_age(bands: list, age: float) -> dict:
    """The table of the first (under this age, table) band that `age` is under; else the last band's."""
    for under, table in bands:
        if age < under:
            return table
    return bands[-1][1]


def _pick(rng: np.random.Generator, items: list, k: int, weights=None) -> list:
    """k distinct items, weighted."""
    k = min(k, len(items))
    if k <= 0:
        return []
    w = np.ones(len(items)) if weights is None else np.asarray(weights, dtype=np.float64) + 1e-9
    idx = rng.choice(len(items), size=k, replace=False, p=w / w.sum())
    return [items[i] for i in sorted(idx)]


def _days(series: pd.Series) -> np.ndarray:
    """Dates (a column) as float days since 1970, NaN for null."""
    values = pd.to_datetime(series).to_numpy(dtype="datetime64[D]")
    out = (values - np.datetime64("1970-01-01")).astype(np.float64)
    out[np.isnat(values)] = np.nan
    return out


def _dobs(ctx: SynthContext, ids) -> np.ndarray:
    """Dates of birth of children just added to the registry (its last frame), else by lookup."""
    frames = getattr(ctx.people, "_frames", None)
    if frames:
        last = frames[-1]
        if len(last) == len(ids) and (last["pers_person_id"].to_numpy() == np.asarray(ids)).all():
            return last["_dob_day"].to_numpy(dtype=np.int64)
    return np.asarray(ctx.people.dob_days(ids), dtype=np.int64)
