"""Evaluate indicators: unit rows from the registry's SQL, then tidy aggregate frames.

Every indicator's SQL returns one row per counted unit for each period in `periods`.
Wrapped here with its team rule and the user's team scope, the same rows give the
headline figure (summed in DuckDB), the team breakdown and the drill-down list.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .contract import UNALLOCATED
from .db import SnapshotDB, read_sql
from .indicators import ALLOCATED_TEAM, COUNT, FTE, MEAN, PERCENT, RATE_PER_10K, REGISTRY, Indicator
from .periods import Period, periods_frame
from .settings import LocalAuthority

TIDY_COLUMNS = ["id", "from", "to", "team", "numerator", "denominator", "value", "unavailable"]


@dataclass(frozen=True)
class Scope:
    """What a user may see: None means every team."""
    teams: tuple[str, ...] | None = None


EVERYTHING = Scope()


def unavailable_reason(db: SnapshotDB, indicator: Indicator, by_team: bool = False) -> str | None:
    """Why an indicator cannot be computed on this snapshot, or None when it can."""
    quarantined = [f"{t} (quarantined: {db.quarantined[t]})" for t in indicator.tables if t in db.quarantined]
    if quarantined:
        return f"needs table {', '.join(quarantined)}"
    missing = [t for t in indicator.tables if t not in db.tables]
    if missing:
        return f"needs table {', '.join(missing)}, absent from this snapshot"
    if by_team and indicator.team_source == ALLOCATED_TEAM and "ssd_involvements" not in db.tables:
        why = "quarantined" if "ssd_involvements" in db.quarantined else "absent from this snapshot"
        return f"team breakdown needs table ssd_involvements, {why}"
    return None


def units_sql(indicator: Indicator, teams_needed: bool = True) -> str:
    """WITH clauses ending in `scoped`: unit rows with their team, within the user's scope.

    Without `teams_needed` (a figure for every team together) a child's allocated team is not looked up:
    it changes no sum, and on a large snapshot the lookup is most of a stock indicator's time.
    """
    ctes = [f"{name} AS (\n{read_sql('shared/' + name)}\n)" for name in indicator.uses]
    ctes.append(f"units AS (\n{read_sql(indicator.sql_name)}\n)")
    if indicator.team_source == ALLOCATED_TEAM and not teams_needed:
        ctes.append("teamed AS (SELECT *, CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS worker_id "
                    "FROM units)")
    elif indicator.team_source == ALLOCATED_TEAM:
        ctes.append(f"teamed AS (\n{read_sql('team_allocated')}\n)")
    else:
        ctes.append(f"teamed AS (SELECT * REPLACE (coalesce(team, '{UNALLOCATED}') AS team) FROM units)")
    ctes.append("scoped AS (SELECT * FROM teamed "
                "WHERE coalesce(list_contains(CAST($teams AS VARCHAR[]), team), true))")
    return "WITH " + ",\n".join(ctes)


def query_params(indicator: Indicator, settings: LocalAuthority, scope: Scope) -> dict:
    params = {name: settings.standard(name) for name in indicator.params}
    params["teams"] = list(scope.teams) if scope.teams is not None else None
    return params


def unit_rows(db: SnapshotDB, indicator: Indicator, periods: list[Period], settings: LocalAuthority,
              scope: Scope = EVERYTHING, limit: int | None = None, numerator: int | None = None) -> pd.DataFrame:
    """The rows behind an indicator: one per event or child, with team, numerator and details.

    Rows that miss the standard (numerator 0 of a percentage) come first: they are the
    ones a team manager asks about. `numerator` keeps only rows with that numerator
    (1: the children counted, e.g. placed over 20 miles; 0: those missing a standard).
    """
    order = "numerator ASC, period_from, team, unit_id" if indicator.unit == PERCENT else "period_from, team, unit_id"
    where = "" if numerator is None else f"WHERE numerator = {int(numerator)} "
    sql = units_sql(indicator) + f"\nSELECT * FROM scoped {where}ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return db.query(sql, query_params(indicator, settings, scope), {"periods": periods_frame(periods)})


def value_of(unit: str, numerator, denominator):
    if unit in (COUNT, FTE):
        return numerator
    if denominator is None or pd.isna(denominator) or denominator == 0:
        return None
    if unit == PERCENT:
        return 100.0 * numerator / denominator
    if unit == RATE_PER_10K:
        return 10000.0 * numerator / denominator
    if unit == MEAN:
        return numerator / denominator
    raise ValueError(f"unknown unit {unit}")


def compute(db: SnapshotDB, indicator: Indicator, periods: list[Period], settings: LocalAuthority,
            by_team: bool = False, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """Tidy frame (id, from, to, team, numerator, denominator, value, unavailable) for one indicator.

    When the snapshot's indicator store (figures.py) holds every period asked for, at this scope, the
    sums come from it; otherwise from the unit rows. Both give the same frame (a differential test).
    """
    reason = unavailable_reason(db, indicator, by_team)
    if reason:
        return pd.DataFrame([{"id": indicator.id, "from": p.start, "to": p.end, "team": None,
                              "numerator": None, "denominator": None, "value": None,
                              "unavailable": reason} for p in periods], columns=TIDY_COLUMNS)
    stored = db.figures.sums(indicator, periods, by_team, scope) if db.figures is not None else None
    frame = stored if stored is not None else live_sums(db, indicator, periods, settings, by_team, scope)
    return finish(frame, indicator, settings)


def live_sums(db: SnapshotDB, indicator: Indicator, periods: list[Period], settings: LocalAuthority,
              by_team: bool = False, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """Numerator and denominator sums (period_from, period_to, team, numerator, denominator) from the unit rows."""
    if by_team:
        aggregate = read_sql("aggregate_by_team")
    else:
        aggregate = read_sql("aggregate_overall_people" if indicator.distinct_people else "aggregate_overall")
    teams_needed = by_team or scope.teams is not None
    return db.query(units_sql(indicator, teams_needed) + "\n" + aggregate,
                    query_params(indicator, settings, scope), {"periods": periods_frame(periods)})


def _dates(column: pd.Series) -> list:
    """Python dates, whether DuckDB gave timestamps or the store gave dates."""
    if column.dtype == object and all(isinstance(v, dt.date) for v in column):
        return list(column)
    return list(pd.to_datetime(column).dt.date)


def finish(sums: pd.DataFrame, indicator: Indicator, settings: LocalAuthority) -> pd.DataFrame:
    """The tidy frame from the sums: dates, population denominators of rates, and values.

    Built from lists in one go: the Overview finishes some sixty of these per screen."""
    ends = _dates(sums["period_to"])
    numerators = [float("nan") if pd.isna(v) else float(v) for v in sums["numerator"]]
    if indicator.unit in (COUNT, FTE):
        denominators = [None] * len(ends)
    elif indicator.unit == RATE_PER_10K:
        denominators = [float(settings.population_for_year(end.year) or 0) for end in ends]
    else:
        denominators = [float("nan") if pd.isna(v) else float(v) for v in sums["denominator"]]
    return pd.DataFrame({
        "id": indicator.id, "from": _dates(sums["period_from"]), "to": ends, "team": list(sums["team"]),
        "numerator": pd.Series(numerators, dtype="float64"),
        "denominator": pd.Series(denominators, dtype="object" if indicator.unit in (COUNT, FTE) else "float64"),
        "value": [value_of(indicator.unit, n, d) for n, d in zip(numerators, denominators)],
        "unavailable": None}, columns=TIDY_COLUMNS)


def compute_many(db: SnapshotDB, ids: list[str], periods: list[Period], settings: LocalAuthority,
                 by_team: bool = False, scope: Scope = EVERYTHING) -> pd.DataFrame:
    frames = [compute(db, REGISTRY[i], periods, settings, by_team, scope) for i in ids]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TIDY_COLUMNS)
