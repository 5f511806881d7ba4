"""The numbers behind the leadership overview and the board's highlight report.

For each indicator: its latest value with the period and n (the 12 months to the as-at month
for rates over events, published as annual figures), the value a year earlier, the
single-month series SPC reads, the SPC result, the target and the published comparators.
Every figure comes from `compute.compute_many` in two calls (every month for every
indicator; two rolling years for the annual rates): all aggregation happens in DuckDB.
No Streamlit here.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from . import benchmarks
from .compute import EVERYTHING, Scope, compute_many
from .db import SnapshotDB
from .indicators import REGISTRY, Indicator
from .periods import Period, add_months, last_complete_month_end, months, rolling_periods, shows_rolling_year
from .settings import LocalAuthority, Target

# How a headline's period reads: the 12 months to a month end, one calendar month, or a month end.
ROLLING_YEAR, MONTH, STOCK = "rolling_year", "month", "stock"
IMPROVEMENT = {"higher": "increase", "lower": "decrease", None: "neutral"}
DEFAULT_MONTHS = 36
MIN_MONTHS, MAX_MONTHS = 24, 36
SERIES_COLUMNS = ["from", "to", "numerator", "denominator", "value"]


@dataclass(frozen=True)
class Comparator:
    """Published figures for the same measure: the latest year on or before the as-at date."""
    year: int
    period: str                  # e.g. "year ending 31 March" or "at 30 September"
    england: float | None = None
    region: float | None = None
    neighbours: float | None = None   # statistical neighbours' mean
    authority: float | None = None    # the authority's own published figure
    note: str = ""                    # how the published definition differs from ours


@dataclass
class Headline:
    indicator: Indicator
    basis: str                          # ROLLING_YEAR, MONTH or STOCK
    period: Period | None               # the latest period
    value: float | None
    numerator: float | None
    denominator: float | None
    previous_period: Period | None      # the same period a year earlier
    previous_value: float | None
    previous_numerator: float | None
    previous_denominator: float | None
    series: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SERIES_COLUMNS))
    improvement: str = "neutral"        # SPC direction: 'increase', 'decrease' or 'neutral'
    spc: object | None = None           # spc.SpcResult, or None when unavailable
    variation: str | None = None        # SpcResult.variation
    assurance: str | None = None        # SpcResult.assurance
    target: Target | None = None
    benchmark: Comparator | None = None
    unavailable: str | None = None      # why the indicator cannot be computed on this snapshot
    teams: tuple[str, ...] | None = None
    suppressed: tuple[str, ...] = ()    # what disclosure control hid: 'value', 'previous' (report.suppressed)

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def n(self) -> float | None:
        """The number the value rests on: the denominator of a share or mean, else None."""
        return self.denominator


def _clean(value) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def basis_of(indicator: Indicator) -> str:
    if shows_rolling_year(indicator):
        return ROLLING_YEAR
    return STOCK if indicator.kind == "stock" else MONTH


def series_periods(basis: str, as_at: dt.date, length: int) -> list[Period]:
    """`length` monthly periods ending with the month of `as_at` (a month end)."""
    span = Period(add_months(as_at, -(length - 1)).replace(day=1), as_at)
    return rolling_periods(span) if basis == ROLLING_YEAR else months(span.start, span.end)


def _comparator(indicator_id: str, as_at: dt.date, settings: LocalAuthority) -> Comparator | None:
    """Published comparators for the configured authority and its neighbour model."""
    authority = authority_of(settings)
    return _published_comparator(indicator_id, as_at, authority["authority_code"], authority["model"])


@lru_cache(maxsize=4096)
def _published_comparator(indicator_id: str, as_at: dt.date, authority_code: int | None,
                          model: str | None) -> Comparator | None:
    """The same for every team and every rerun: read once per process."""
    found = benchmarks.comparison(indicator_id, None, as_at, authority_code=authority_code, model=model)
    if found and found.get("year") is not None and "england" in found:
        return Comparator(year=int(found["year"]), period=str(found.get("period") or ""),
                          england=_clean(found.get("england")), region=_clean(found.get("region")),
                          neighbours=_clean(found.get("neighbours", found.get("neighbours_mean"))),
                          authority=_clean(found.get("authority", found.get("authority_value"))),
                          note=str(found.get("note") or ""))
    return None


def authority_of(settings: LocalAuthority) -> dict:
    """The benchmark keywords for the settings' authority (the data root's own, not the repository's)."""
    return {"authority_code": settings.code or None, "model": settings.neighbour_model}


def _spc(series: pd.DataFrame, improvement: str, target: Target | None, rebase: tuple[dt.date, ...]):
    """XmR over the monthly series. Months without a value stay as gaps; limits restart at the
    first month ending on or after each rebase date."""
    from . import spc  # imported late: the SPC rules live in their own module
    if series["value"].isna().all():
        return None
    return spc.xmr([float("nan") if v is None else float(v) for v in series["value"]],
                   [pd.Timestamp(t) for t in series["to"]], improvement=improvement,
                   target=target.value if target else None, rebase=[pd.Timestamp(d) for d in rebase])


def headlines(db: SnapshotDB, settings: LocalAuthority, ids: list[str] | tuple[str, ...],
              as_at: dt.date | None = None, teams: list[str] | tuple[str, ...] | None = None,
              length: int = DEFAULT_MONTHS, targets: dict[str, Target] | None = None) -> dict[str, Headline]:
    """A Headline per indicator id, in the order given.

    `as_at` is a month end (any other day means its last complete month; default: the
    snapshot's). `teams` limits every figure to those teams (None: every team). The
    series is `length` months (24 to 36) ending at `as_at`. SPC limits restart at the
    dates in settings.spc_rebase (none unless configured). `targets` adds targets for
    indicators with none in settings.targets (a priority's own, say).
    """
    if not MIN_MONTHS <= length <= MAX_MONTHS:
        raise ValueError(f"series length must be {MIN_MONTHS} to {MAX_MONTHS} months, not {length}")
    unknown = [i for i in ids if i not in REGISTRY]
    if unknown:
        raise KeyError(f"unknown indicator id {', '.join(map(repr, unknown))}")
    as_at = last_complete_month_end(as_at or db.snapshot.as_at)
    scope = Scope(tuple(teams)) if teams is not None else EVERYTHING
    ids = list(dict.fromkeys(ids))

    # SPC reads single months: rolling-year points share eleven months with their neighbours, so
    # their moving ranges are small and their limits too narrow (every drift would look "real").
    month_periods = series_periods(MONTH, as_at, length)
    monthly = _by_id(compute_many(db, ids, month_periods, settings, scope=scope))
    # The value a leader reads for a rate over events is the 12 months to as_at, beside the 12 before.
    rolling_ids = [i for i in ids if basis_of(REGISTRY[i]) == ROLLING_YEAR]
    years = rolling_periods(Period(add_months(as_at, -12), as_at))
    years = [years[0], years[-1]]
    rolling = _by_id(compute_many(db, rolling_ids, years, settings, scope=scope)) if rolling_ids else {}
    return {i: _headline(REGISTRY[i], basis_of(REGISTRY[i]), monthly.get(i), month_periods, rolling.get(i), years,
                         settings, as_at, scope.teams, targets or {}) for i in ids}


def _by_id(tidy: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {i: frame.reset_index(drop=True) for i, frame in tidy.groupby("id", sort=False)}


def headline(db: SnapshotDB, settings: LocalAuthority, indicator_id: str, as_at: dt.date | None = None,
             teams=None, length: int = DEFAULT_MONTHS) -> Headline:
    return headlines(db, settings, [indicator_id], as_at, teams, length)[indicator_id]


def _headline(indicator: Indicator, basis: str, frame: pd.DataFrame | None, periods: list[Period],
              years: pd.DataFrame | None, year_periods: list[Period], settings: LocalAuthority, as_at: dt.date,
              teams, targets: dict[str, Target]) -> Headline:
    """`frame`: the monthly series (SPC, sparkline); `years`: the year before and the 12 months to as_at,
    for rates over events, whose headline value is the rolling year."""
    target = settings.targets.get(indicator.id) or targets.get(indicator.id)
    improvement = IMPROVEMENT.get(indicator.direction, "neutral")
    reason = None
    if frame is None or frame.empty:
        reason = "no figures computed"
    elif frame["unavailable"].notna().any():
        reason = str(frame["unavailable"].dropna().iloc[0])
    rolling = basis == ROLLING_YEAR
    now_period = year_periods[-1] if rolling else periods[-1]
    before_period = year_periods[0] if rolling else (periods[-13] if len(periods) > 12 else None)
    if reason:
        return Headline(indicator, basis, now_period, None, None, None, before_period,
                        None, None, None, improvement=improvement, target=target, unavailable=reason,
                        benchmark=_comparator(indicator.id, as_at, settings), teams=teams)
    series = frame[SERIES_COLUMNS].copy()
    series["value"] = [_clean(v) for v in series["value"]]
    if rolling and years is not None and len(years) == 2:
        last, year_ago = years.iloc[-1], years.iloc[0]
    else:
        last, year_ago = series.iloc[-1], (series.iloc[-13] if len(series) > 12 else None)
    spc_result = _spc(series, improvement, target, settings.spc_rebase)
    value = _clean(last["value"])
    return Headline(
        indicator=indicator, basis=basis, period=now_period, value=value,
        numerator=_clean(last["numerator"]), denominator=_clean(last["denominator"]),
        previous_period=before_period if year_ago is not None else None,
        previous_value=_clean(year_ago["value"]) if year_ago is not None else None,
        previous_numerator=_clean(year_ago["numerator"]) if year_ago is not None else None,
        previous_denominator=_clean(year_ago["denominator"]) if year_ago is not None else None,
        series=series, improvement=improvement, spc=spc_result,
        variation=getattr(spc_result, "variation", None), assurance=getattr(spc_result, "assurance", None),
        target=target, benchmark=_comparator(indicator.id, as_at, settings), teams=teams)
