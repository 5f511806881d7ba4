"""The indicator store: every indicator's sums for the months a leader looks at, built once per snapshot.

The Overview, the team bars, SPC, the what-changed list and the highlight report ask the same
questions of a snapshot again and again: each indicator for each of the last 36 months, and the
12 months to each of those month ends, overall, for a team or for a service. Answered from the unit
rows, that is some sixty DuckDB queries per screen; answered from this store, a lookup in a table of a
few thousand rows.

The store holds sums (numerator, denominator, unit rows, distinct children), not values: values are
finished by compute.finish with the settings in force, exactly as the live path does, so only what the
SQL itself reads (the indicator code and the standards it binds) decides whether a store is current.
A store written by other code or for other standards is rebuilt, never served. Anything it does not
hold (a custom period, a quarter, a set of teams that is not one team or one service) is computed live.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from .compute import EVERYTHING, Scope, query_params, unavailable_reason, units_sql, value_of
from .db import SnapshotDB, read_sql
from .indicators import COUNT, FTE, RATE_PER_10K, REGISTRY, Indicator
from .periods import Period, add_months, last_complete_month_end, months, periods_frame, rolling_periods
from .settings import LocalAuthority

# Beside the snapshot's tables, in a folder the validator does not read as one (a Parquet file at the top
# would be taken for an unknown table and change the snapshot's fingerprint).
DERIVED = "derived"
STORE_FILE = "indicator_store.parquet"
META_FILE = "indicator_store.json"
MONTHS_HELD = 36
COLUMNS = ["id", "basis", "period_from", "period_to", "level", "team", "service",
           "numerator", "denominator", "units", "people", "value"]
MONTH, ROLLING_YEAR = "month", "rolling_year"
SUM_COLUMNS = ["period_from", "period_to", "team", "numerator", "denominator"]
# What the stored sums depend on besides the snapshot: the code that turns tables into unit rows.
_CODE = Path(__file__).parent
CODE_FILES = ("compute.py", "db.py", "casting.py", "contract.py", "calendar.py", "periods.py", "figures.py",
              "indicators/*.py", "sql/**/*.sql", "codelists/*")

Progress = Callable[[int, int, str], None]  # (done, total, what)


def code_version() -> str:
    """A hash of the indicator code and the bank-holiday calendar: a store built by other code is not served."""
    import holidays
    digest = hashlib.blake2b(digest_size=10)
    digest.update(f"holidays {holidays.__version__}".encode())
    for pattern in CODE_FILES:
        for path in sorted(_CODE.glob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(_CODE)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def standards_used(settings: LocalAuthority) -> dict:
    """The local standards the indicators' SQL binds (e.g. the visit interval): the only settings sums depend on."""
    names = sorted({name for indicator in REGISTRY.values() for name in indicator.params})
    return {name: settings.standard(name) for name in names}


def stamp_of(snapshot_key: str, settings: LocalAuthority) -> dict:
    """What a store must match to be served for this snapshot and settings."""
    return {"code": code_version(), "snapshot": snapshot_key,
            "standards": json.dumps(standards_used(settings), sort_keys=True, default=str)}


def held_periods(as_at: dt.date) -> dict[str, list[Period]]:
    """The calendar months of the 36 months to the last complete month, and the 12 months to each month end."""
    end = last_complete_month_end(as_at)
    span = Period(add_months(end, -(MONTHS_HELD - 1)).replace(day=1), end)
    return {MONTH: months(span.start, span.end), ROLLING_YEAR: rolling_periods(span)}


class IndicatorStore:
    """The sums of one snapshot's indicators, answering compute()'s questions it holds the answer to.

    The overall rows are indexed at once; a team's or a service's when first asked for, so a store of all
    England's teams (millions of rows) opens in seconds and each screen reads only its scope. Dates are
    held as day numbers, not Python objects.
    """

    def __init__(self, sums: pd.DataFrame, periods: list[Period], service_teams: dict[str, tuple[str, ...]]):
        self.periods = set(periods)
        self.service_of_teams = {frozenset(teams): service for service, teams in service_teams.items()}
        self.rows = len(sums)
        sums = sums.assign(period_from=_days(sums["period_from"]), period_to=_days(sums["period_to"]))
        self._ids = set(sums["id"].unique())
        self._overall = self._index(sums[sums["level"] == "all"])
        self._by_name = {level: sums[sums["level"] == level].set_index(column).sort_index()
                         for level, column in (("team", "team"), ("service", "service"))}
        self._scoped: dict[tuple[str, str], dict] = {}
        self._teams_by_id: dict[str, pd.DataFrame] | None = None

    @staticmethod
    def _index(rows: pd.DataFrame) -> dict[str, dict[tuple, tuple]]:
        """id -> {(from, to) in days: (numerator, denominator, units, people)}: a lookup is a few dictionary reads."""
        cells: dict[str, dict[tuple, tuple]] = {}
        for i, start, end, n, d, units, people in zip(rows["id"], rows["period_from"], rows["period_to"],
                                                      rows["numerator"], rows["denominator"], rows["units"],
                                                      rows["people"]):
            cells.setdefault(i, {})[(int(start), int(end))] = (_number(n), _number(d), int(units), int(people))
        return cells

    def _cells(self, level: str, name: str | None) -> dict[str, dict[tuple, tuple]]:
        if level == "all":
            return self._overall
        if (level, name) not in self._scoped:
            frame = self._by_name[level]
            found = frame.loc[[name]] if name in frame.index else frame.iloc[:0]
            self._scoped[(level, name)] = self._index(found)
        return self._scoped[(level, name)]

    def _by_team(self, indicator_id: str) -> pd.DataFrame:
        if self._teams_by_id is None:
            self._teams_by_id = {i: rows for i, rows in self._by_name["team"].groupby("id", sort=False)}
        return self._teams_by_id.get(indicator_id, self._by_name["team"].iloc[:0])

    def sums(self, indicator: Indicator, periods: list[Period], by_team: bool = False,
             scope: Scope = EVERYTHING) -> pd.DataFrame | None:
        """The sums compute() would get from the unit rows, or None when the store does not hold them."""
        if not periods or any(p not in self.periods for p in periods) or indicator.id not in self._ids:
            return None
        asked = {(_day(p.start), _day(p.end)): (p.start, p.end) for p in periods}
        keys = sorted(asked)
        if by_team:  # as aggregate_by_team.sql: a row for each period and team with unit rows
            rows = self._by_team(indicator.id)
            rows = rows[rows["units"] > 0]
            if scope.teams is not None:
                rows = rows[rows.index.isin(scope.teams)]
            found = [(asked[(int(f), int(t))], team, n, d) for team, f, t, n, d in
                     zip(rows.index, rows["period_from"], rows["period_to"], rows["numerator"], rows["denominator"])
                     if (int(f), int(t)) in asked]
            found.sort(key=lambda row: (row[0], row[1]))
            return pd.DataFrame([(dates[0], dates[1], team, _number(n), _number(d)) for dates, team, n, d in found],
                                columns=SUM_COLUMNS)
        if scope.teams is None:
            cells = self._cells("all", None)
        elif len(scope.teams) == 1:
            cells = self._cells("team", scope.teams[0])
        elif frozenset(scope.teams) in self.service_of_teams:
            cells = self._cells("service", self.service_of_teams[frozenset(scope.teams)])
        else:
            return None
        cells = cells.get(indicator.id, {})
        rows = []
        for key in keys:
            (start, end), (numerator, denominator, units, people) = asked[key], cells.get(key, (None, None, 0, 0))
            if indicator.distinct_people:  # as aggregate_overall_people.sql: each child once, no denominator
                rows.append((start, end, None, people, None))
            else:  # as aggregate_overall.sql: nothing counted is 0 of 0
                rows.append((start, end, None, numerator or 0, denominator if units else 0))
        return pd.DataFrame(rows, columns=SUM_COLUMNS)


_EPOCH = dt.date(1970, 1, 1)


def _day(day: dt.date) -> int:
    return (day - _EPOCH).days


def _days(column: pd.Series) -> np.ndarray:
    """Dates as day numbers since 1970, without a Python object per row."""
    return pd.to_datetime(column).to_numpy().astype("datetime64[D]").astype("int64")


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _team_map(db: SnapshotDB) -> pd.DataFrame:
    if "ssd_department" not in db.tables:
        return pd.DataFrame({"team_id": pd.Series(dtype="str"), "service_id": pd.Series(dtype="str")})
    return db.query(read_sql("teams"))[["team_id", "service_id"]]


def build(db: SnapshotDB, settings: LocalAuthority, progress: Progress | None = None) -> pd.DataFrame:
    """Every available indicator's sums for the held periods: one DuckDB query per indicator."""
    held = held_periods(db.snapshot.as_at)
    periods = held[MONTH] + held[ROLLING_YEAR]
    basis = {(p.start, p.end): MONTH for p in held[MONTH]}
    basis.update({(p.start, p.end): ROLLING_YEAR for p in held[ROLLING_YEAR] if (p.start, p.end) not in basis})
    teams = _team_map(db)
    sql_tail = read_sql("figures_sums")
    frames = []
    ids = list(REGISTRY)
    for done, indicator_id in enumerate(ids):
        indicator = REGISTRY[indicator_id]
        if progress:
            progress(done, len(ids), indicator.title)
        if unavailable_reason(db, indicator):
            continue
        frame = db.query(units_sql(indicator) + "\n" + sql_tail, query_params(indicator, settings, EVERYTHING),
                         {"periods": periods_frame(periods), "store_teams": teams})
        frame = frame[~((frame["level"] == "service") & frame["service"].isna())]
        frame.insert(0, "id", indicator_id)
        frames.append(frame)
    if progress:
        progress(len(ids), len(ids), "done")
    sums = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    sums["period_from"] = pd.to_datetime(sums["period_from"]).dt.date
    sums["period_to"] = pd.to_datetime(sums["period_to"]).dt.date
    sums["basis"] = [basis[(f, t)] for f, t in zip(sums["period_from"], sums["period_to"])]
    sums["value"] = [_indicative_value(REGISTRY[i], n, d, u, p, t, settings) for i, n, d, u, p, t in
                     zip(sums["id"], sums["numerator"], sums["denominator"], sums["units"], sums["people"],
                         sums["period_to"])]
    return sums[COLUMNS]


def _indicative_value(indicator: Indicator, numerator, denominator, units, people, to, settings) -> float | None:
    """The value with the settings of the build, for anyone reading the file; screens finish the sums afresh."""
    numerator = people if indicator.distinct_people else numerator
    if indicator.unit in (COUNT, FTE):
        denominator = None
    elif indicator.unit == RATE_PER_10K:
        denominator = settings.population_for_year(to.year)
    elif not units:
        denominator = 0
    if numerator is None or pd.isna(numerator):
        return None
    return value_of(indicator.unit, float(numerator), None if denominator is None or pd.isna(denominator)
                  else float(denominator))


def _read(folder: Path, stamp: dict) -> IndicatorStore | None:
    """The store beside a snapshot when it matches the stamp, else None (absent, stale or unreadable)."""
    try:
        meta = json.loads((folder / META_FILE).read_text())
        if {k: meta.get(k) for k in stamp} != stamp:
            return None
        sums = pd.read_parquet(folder / STORE_FILE)
    except (OSError, ValueError):
        return None
    periods = [Period(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in meta["periods"]]
    return IndicatorStore(sums, periods, {s: tuple(t) for s, t in meta["service_teams"].items()})


def _write(folder: Path, sums: pd.DataFrame, meta: dict) -> None:
    """Parquet first, then the stamp, each by an atomic rename: a reader sees an old stamp or a whole store."""
    token = uuid.uuid4().hex[:8]
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return
    partial, partial_meta = folder / f".{STORE_FILE}.{token}", folder / f".{META_FILE}.{token}"
    try:
        sums.to_parquet(partial, index=False)
        partial_meta.write_text(json.dumps(meta, indent=1))
        (folder / META_FILE).unlink(missing_ok=True)
        os.replace(partial, folder / STORE_FILE)
        os.replace(partial_meta, folder / META_FILE)
    except OSError:  # a read-only folder: the store is used in memory and built again next time
        partial.unlink(missing_ok=True)
        partial_meta.unlink(missing_ok=True)


_BUILDING = threading.Lock()


def load(db: SnapshotDB, settings: LocalAuthority) -> IndicatorStore | None:
    """The snapshot's current store if one is on disk (nothing is built)."""
    return _read(db.snapshot.path / DERIVED, stamp_of(db.snapshot.key, settings))


def load_into(db: SnapshotDB, settings: LocalAuthority) -> IndicatorStore | None:
    """Attach the current store on disk, if any, to `db`."""
    db.figures = load(db, settings)
    return db.figures


def ensure(db: SnapshotDB, settings: LocalAuthority, progress: Progress | None = None) -> IndicatorStore:
    """The snapshot's store, built and written beside it when absent or stale, and attached to `db`."""
    stamp = stamp_of(db.snapshot.key, settings)
    with _BUILDING:  # two sessions opening one snapshot build it once
        store = _read(db.snapshot.path / DERIVED, stamp)
        if store is None:
            started = time.perf_counter()
            sums = build(db, settings, progress)
            teams = _team_map(db)
            service_teams = {s: sorted(g["team_id"]) for s, g in teams.groupby("service_id")}
            periods = [p for ps in held_periods(db.snapshot.as_at).values() for p in ps]
            meta = {**stamp, "periods": [[p.start.isoformat(), p.end.isoformat()] for p in periods],
                    "service_teams": service_teams, "rows": len(sums),
                    "seconds": round(time.perf_counter() - started, 2),
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
            _write(db.snapshot.path / DERIVED, sums, meta)
            store = IndicatorStore(sums, periods, service_teams)
    db.figures = store
    return store


def prepare(snapshots: list, settings: LocalAuthority, say: Callable[[str], None] | None = None) -> None:
    """Build the stores of these snapshots (at publish: the screens then open on them at once)."""
    for snapshot in snapshots:
        started = time.perf_counter()
        db = SnapshotDB(snapshot)
        try:
            store = ensure(db, settings)
        finally:
            db.close()
        if say:
            seconds = time.perf_counter() - started
            say(f"indicator store for {snapshot.as_at}: {store.rows:,} figures in {seconds:.1f} s")
