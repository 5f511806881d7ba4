"""A pandas reference for three indicators: a yardstick for the engine's speed and a check on its figures.

Why: "DuckDB is fast" means little without a baseline a reader knows, so the benchmark
times the engine against plain pandas over the same Parquet files. The pandas code is
written from the handbook (../shared/spec/INDICATORS.md) and the data contract, not
translated from the SQL, so when both give the same numerator and denominator each
checks the other. It covers one indicator of each shape:

- `contacts`, a count of events in the period;
- `assessments_45wd_pct`, a working-day percentage;
- `cla_count`, a stock of children at the period end.

Rows are left out as the engine's snapshot views leave them out (db.py), by the contract's
rules: a value present but unreadable, a date before 1900 or after the as-at date (except
the dates the contract lets lie in the future), a repeat of an id already seen (the first
row in the file wins), an end before its start. Only the columns an indicator or those
rules need are read, so it runs on the demo at scale 100. Working days come from
torbay_dash.calendar, the one list of bank holidays; DuckDB is not used on the pandas path.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import contract
from .calendar import FIRST_DAY, calendar_frame
from .periods import Period, add_months
from .settings import LocalAuthority
from .store import Snapshot

REFERENCE_IDS: tuple[str, ...] = ("contacts", "assessments_45wd_pct", "cla_count")

EARLIEST_DATE = pd.Timestamp(contract.EARLIEST_DATE)
ISO_DATE = r"\d{4}-\d{2}-\d{2}([ T].*)?"
UK_DATE = r"\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?"
LOCAL_TIME_ZONE = "Europe/London"  # a timestamp with a zone is a date in England's local time
ASSESSMENT_WORKING_DAYS = 45
SHORT_BREAK_STATUSES = ("V3", "V4")

Figures = tuple[float, float | None]  # (numerator, denominator); a count has no denominator


class TableNotServed(LookupError):
    """The snapshot does not serve a table an indicator needs (absent or quarantined)."""


# --- reading a contract table ---------------------------------------------------------------

def _dates_from_text(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text dates as the contract allows them: (dates, unreadable).

    YYYY-MM-DD (a time after it must read as a time) or DD/MM/YYYY (with an optional time);
    blank text is no date; any other present value is unreadable, never guessed.
    """
    trimmed = text.astype("string").str.strip()
    blank = trimmed.isna() | (trimmed == "")
    iso = trimmed.str.fullmatch(ISO_DATE).fillna(False).astype(bool) & ~blank
    uk = trimmed.str.fullmatch(UK_DATE).fillna(False).astype(bool) & ~blank
    dates = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    if iso.any():
        iso_text = trimmed[iso]
        day = pd.to_datetime(iso_text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        has_time = iso_text.str.len() > 10
        time_reads = pd.to_datetime(iso_text.where(has_time), format="ISO8601", errors="coerce", utc=True).notna()
        dates[iso] = day.where(~has_time | time_reads).astype("datetime64[s]")
    if uk.any():
        day_text = trimmed[uk].str.split(" ").str[0]
        dates[uk] = pd.to_datetime(day_text, format="%d/%m/%Y", errors="coerce").astype("datetime64[s]")
    return dates, ~blank & dates.isna()


def _contract_dates(values: pd.Series, source_type: pa.DataType) -> tuple[pd.Series, pd.Series]:
    """A date column of any source type as dates (datetime64, midnight): (dates, unreadable)."""
    if pa.types.is_date(source_type):
        dates = values.astype("datetime64[s]")
    elif pa.types.is_timestamp(source_type):
        if values.dt.tz is not None:
            values = values.dt.tz_convert(LOCAL_TIME_ZONE).dt.tz_localize(None)
        dates = values.dt.floor("D").astype("datetime64[s]")
    else:  # text, or anything else read as its text
        return _dates_from_text(values.astype("string"))
    return dates, pd.Series(False, index=values.index)


def _float_ids(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Ids stored as floating-point numbers (12.0 from a spreadsheet): (as text, unreadable).

    12.0 is '12' (rounded to the nearest whole number, a half to even, as the views cast it);
    a NaN, an infinity or a number too big for a 64-bit id is unreadable. A null is no id.
    """
    numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    present = values.notna().to_numpy()  # Arrow-backed: a stored NaN is present, a null is not
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(numbers) & (np.abs(numbers) < 2.0 ** 63)
    text = pd.Series(pd.NA, index=values.index, dtype="string")
    text[whole] = np.rint(numbers[whole]).astype("int64").astype(str)
    return text, pd.Series(present & ~whole, index=values.index)


def read_contract_rows(snapshot: Snapshot, table_name: str, columns: list[str]) -> pd.DataFrame:
    """The rows of a table that indicators may count, with `columns` as contract types.

    Reads the table's key, its date columns (any of them can make a row bad) and ids stored
    as floats (which can be unreadable) besides `columns`, and nothing else. Dates come back
    as datetime64 at midnight; ids, codes and flags as text. The tables read here carry no
    number columns, so number casts are not needed.
    """
    if table_name not in snapshot.tables:
        why = snapshot.quarantined.get(table_name, "absent from this snapshot")
        raise TableNotServed(f"{table_name} is not served: {why}")
    table = contract.TABLES[table_name]
    path = snapshot.table_path(table_name)
    schema = pq.read_schema(path)
    source_types = {name: schema.field(name).type for name in schema.names}
    types = {c.name: c.type for c in table.columns}
    if any(types[c] in (contract.NUMBER, contract.INTEGER) for c in columns):
        raise NotImplementedError("number columns are not read by this reference")
    checked = [c.name for c in table.columns
               if c.type == contract.DATE or (c.type == contract.ID and pa.types.is_floating(source_types[c.name]))]
    wanted = list(dict.fromkeys([table.key, *columns, *checked]))
    # Dates as datetime64, not Python objects: fast at scale.
    raw = pd.read_parquet(path, columns=wanted, to_pandas_kwargs={"date_as_object": False})
    float_ids = [name for name in wanted if types[name] == contract.ID and pa.types.is_floating(source_types[name])]
    if float_ids:  # Arrow-backed, so a stored NaN (unreadable) is not a null (no id)
        raw[float_ids] = pd.read_parquet(path, columns=float_ids, dtype_backend="pyarrow")

    typed = pd.DataFrame(index=raw.index)
    bad = pd.Series(False, index=raw.index)
    for name in wanted:
        if types[name] == contract.DATE:
            dates, unreadable = _contract_dates(raw[name], source_types[name])
            may_be_future = (table_name, name) in contract.FUTURE_DATES  # e.g. a review's due date
            too_late = False if may_be_future else dates > pd.Timestamp(snapshot.as_at)
            bad |= unreadable | (dates < EARLIEST_DATE) | too_late
            typed[name] = dates
        elif types[name] == contract.ID and pa.types.is_floating(source_types[name]):
            typed[name], unreadable = _float_ids(raw[name])
            bad |= unreadable
        elif pa.types.is_boolean(source_types[name]):  # flags: True/False are 'Y'/'N'
            typed[name] = raw[name].map({True: "Y", False: "N"}).astype("string")
        else:
            typed[name] = raw[name].astype("string")

    # Bad rows are left out before the first-row-wins rule, as the engine's views do; a repeat is
    # judged on the key as stored (12.0 and 12.4 are two ids even though both read as '12').
    kept_raw_key = raw.loc[~bad, table.key]
    typed = typed[~bad]
    repeated = kept_raw_key.duplicated(keep="first") & kept_raw_key.notna()
    typed = typed[~repeated.to_numpy()]
    for check in contract.DATE_ORDER_CHECKS:
        if check.table == table_name:
            typed = typed[~(typed[check.end] < typed[check.start])]  # a missing date is no breach
    return typed[list(dict.fromkeys([table.key, *columns]))].reset_index(drop=True)


# --- working days --------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _working_day_index() -> np.ndarray:
    """Running count of working days, one entry per day from calendar.FIRST_DAY."""
    return calendar_frame()["wd_index"].to_numpy()


def working_days(start: pd.Series, end: pd.Series) -> pd.Series:
    """wd(start, end) row by row: working days d with start < d <= end; NaN when a date is missing."""
    index = _working_day_index()
    first = np.datetime64(FIRST_DAY, "D")
    start_days = start.to_numpy(dtype="datetime64[D]")
    end_days = end.to_numpy(dtype="datetime64[D]")
    known = ~np.isnat(start_days) & ~np.isnat(end_days)
    start_pos = np.where(known, (start_days - first).astype("int64"), 0)
    end_pos = np.where(known, (end_days - first).astype("int64"), 0)
    known &= (start_pos >= 0) & (end_pos >= 0) & (start_pos < len(index)) & (end_pos < len(index))
    result = np.full(len(start_days), np.nan)
    result[known] = index[end_pos[known]] - index[start_pos[known]]
    return pd.Series(result, index=start.index)


# --- the three indicators ------------------------------------------------------------------

def _between(dates: pd.Series, period: Period) -> pd.Series:
    return (dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))


def contacts(snapshot: Snapshot, period: Period) -> Figures:
    """Contacts with cont_contact_date in the period, whatever their outcome."""
    rows = read_contract_rows(snapshot, "ssd_contacts", ["cont_contact_date"])
    return float(_between(rows["cont_contact_date"], period).sum()), None


def assessments_within_45_working_days(snapshot: Snapshot, period: Period) -> Figures:
    """Of assessments authorised in the period (with a start date), those with wd(start, authorised) <= 45."""
    rows = read_contract_rows(snapshot, "ssd_cin_assessments",
                              ["cina_assessment_start_date", "cina_assessment_auth_date"])
    authorised = rows[_between(rows["cina_assessment_auth_date"], period)]
    days = working_days(authorised["cina_assessment_start_date"], authorised["cina_assessment_auth_date"])
    counted = days.notna()
    return float((days[counted] <= ASSESSMENT_WORKING_DAYS).sum()), float(counted.sum())


def children_looked_after(snapshot: Snapshot, period: Period) -> Figures:
    """Distinct children with a CLA episode open at the period end, less those on a short break then.

    Open at D: start <= D and (ceased null or ceased > D). The legal status open at D is the
    latest-starting one (a tie: the larger id); V3 or V4 is a short break, not looked after.
    """
    at = pd.Timestamp(period.end)
    episodes = read_contract_rows(snapshot, "ssd_cla_episodes",
                                  ["clae_person_id", "clae_cla_episode_start_date", "clae_cla_episode_ceased_date"])
    ceased = episodes["clae_cla_episode_ceased_date"]
    open_at_end = ((episodes["clae_cla_episode_start_date"] <= at) & (ceased.isna() | (ceased > at))
                   & episodes["clae_person_id"].notna())
    in_care = set(episodes.loc[open_at_end, "clae_person_id"])

    statuses = read_contract_rows(snapshot, "ssd_legal_status",
                                  ["lega_person_id", "lega_legal_status", "lega_legal_status_start_date",
                                   "lega_legal_status_end_date"])
    ended = statuses["lega_legal_status_end_date"]
    open_statuses = statuses[(statuses["lega_legal_status_start_date"] <= at) & (ended.isna() | (ended > at))
                             & statuses["lega_person_id"].notna()]
    latest = (open_statuses
              .sort_values(["lega_person_id", "lega_legal_status_start_date", "lega_legal_status_id"],
                           ascending=[True, False, False], na_position="last", kind="stable")
              .drop_duplicates("lega_person_id", keep="first"))
    on_short_break = set(latest.loc[latest["lega_legal_status"].isin(SHORT_BREAK_STATUSES), "lega_person_id"])
    return float(len(in_care - on_short_break)), None


PANDAS_INDICATORS: dict[str, Callable[[Snapshot, Period], Figures]] = {
    "contacts": contacts,
    "assessments_45wd_pct": assessments_within_45_working_days,
    "cla_count": children_looked_after,
}


def pandas_figures(snapshot: Snapshot, period: Period, settings: LocalAuthority | None = None,
                   ids: tuple[str, ...] = REFERENCE_IDS) -> dict[str, Figures]:
    """id -> (numerator, denominator) by pandas alone, reading the Parquet files.

    `settings` is accepted for the benchmark's interface: none of the three takes a local standard.
    """
    return {indicator_id: PANDAS_INDICATORS[indicator_id](snapshot, period) for indicator_id in ids}


# --- the engine, and the benchmark ---------------------------------------------------------

def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def engine_figures(snapshot: Snapshot, period: Period, settings: LocalAuthority,
                   ids: tuple[str, ...] = REFERENCE_IDS) -> dict[str, Figures]:
    """id -> (numerator, denominator) from the engine: a fresh SnapshotDB and compute() per id."""
    from .compute import compute
    from .db import SnapshotDB
    from .indicators import REGISTRY

    db = SnapshotDB(snapshot)
    try:
        found = {}
        for indicator_id in ids:
            row = compute(db, REGISTRY[indicator_id], [period], settings).iloc[0]
            found[indicator_id] = (_number(row["numerator"]), _number(row["denominator"]))
        return found
    finally:
        db.close()


def twelve_months_to(as_at: dt.date) -> Period:
    """The 12 months ending on the as-at date: 2021-07-31 gives 2020-08-01 to 2021-07-31."""
    return Period(add_months(as_at, -12) + dt.timedelta(days=1), as_at)


def _timed(run: Callable[[], dict], repeats: int) -> tuple[float, float, dict]:
    """(cold seconds, best warm seconds, result): the first run, then the best of `repeats` more."""
    start = time.perf_counter()
    result = run()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        warm.append(time.perf_counter() - start)
    return cold, min(warm) if warm else cold, result


def _shown(figures: Figures) -> str:
    numerator, denominator = figures
    if numerator is None:
        return "unavailable"
    if denominator is None:
        return f"{numerator:,.0f}"
    share = f"{100 * numerator / denominator:.1f}%" if denominator else "no cases"
    return f"{share} ({numerator:,.0f} / {denominator:,.0f})"


def markdown_table(rows: list[dict]) -> str:
    """The benchmark rows as a Markdown table, ready for a README."""
    lines = ["| indicator | figure | pandas s (cold / warm) | duckdb s (cold / warm) "
             "| pandas/duckdb (cold / warm) | values equal |",
             "|---|---|---:|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {r['id']} | {r['figure']} | {r['pandas_cold_s']:.3f} / {r['pandas_warm_s']:.3f} "
                     f"| {r['duckdb_cold_s']:.3f} / {r['duckdb_warm_s']:.3f} "
                     f"| {r['ratio_cold']:.1f} / {r['ratio_warm']:.1f} | {'yes' if r['equal'] else 'NO'} |")
    return "\n".join(lines)


def run_reference(snapshot: Snapshot, settings: LocalAuthority, repeats: int = 3) -> list[dict]:
    """Time pandas against the engine on the 12 months to the as-at date; print a Markdown table.

    Per indicator, and for all three together: pandas reading the Parquet files and
    computing, against a fresh SnapshotDB plus compute(). Cold is the first run in this
    process, warm the best of `repeats` more; the ratio is how many times faster DuckDB is.
    Rows carry both sides' (numerator, denominator) and whether they are equal.
    """
    period = twelve_months_to(snapshot.as_at)
    calendar_frame()          # both sides use the working-day calendar: build it before timing
    _working_day_index()
    jobs = [(indicator_id, (indicator_id,)) for indicator_id in REFERENCE_IDS]
    jobs.append(("all three", REFERENCE_IDS))
    rows = []
    for label, ids in jobs:
        pandas_cold, pandas_warm, by_pandas = _timed(lambda: pandas_figures(snapshot, period, settings, ids), repeats)
        duckdb_cold, duckdb_warm, by_engine = _timed(lambda: engine_figures(snapshot, period, settings, ids), repeats)
        differing = [i for i in ids if by_pandas[i] != by_engine[i]]
        rows.append({
            "id": label, "ids": ids,
            "figure": _shown(by_pandas[ids[0]]) if len(ids) == 1 else "",
            "pandas": by_pandas, "duckdb": by_engine, "equal": not differing, "differing": differing,
            "pandas_cold_s": pandas_cold, "pandas_warm_s": pandas_warm,
            "duckdb_cold_s": duckdb_cold, "duckdb_warm_s": duckdb_warm,
            "ratio_cold": pandas_cold / duckdb_cold, "ratio_warm": pandas_warm / duckdb_warm,
        })
    read = sum(snapshot.report.tables.get(t, 0) for t in
               ("ssd_contacts", "ssd_cin_assessments", "ssd_cla_episodes", "ssd_legal_status"))
    print(f"pandas against DuckDB, snapshot {snapshot.id} ({read:,} rows in the four tables read), "
          f"period {period}; cold = first run in this process, warm = best of {repeats}; "
          f"ratio = pandas s / duckdb s (how many times faster DuckDB is)\n")
    print(markdown_table(rows))
    for r in rows:
        for indicator_id in r["differing"]:
            print(f"\n{indicator_id}: pandas {r['pandas'][indicator_id]} but the engine {r['duckdb'][indicator_id]}")
    return rows
