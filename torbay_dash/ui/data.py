"""Cached data access for the screens: snapshots, the DuckDB connection, indicator frames, benchmarks.

Everything here is keyed on (data root, snapshot id, fingerprint) so a changed extract is never
served from a stale cache, and hands the screens small aggregate frames.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from .. import benchmarks, indicators
from ..compute import Scope, compute, unavailable_reason, unit_rows
from ..db import SnapshotDB, read_sql
from ..headlines import authority_of
from ..periods import Period
from ..settings import LocalAuthority, load_settings
from ..store import Snapshot, Store, data_root

if TYPE_CHECKING:
    from .frame import Filters


@st.cache_data(ttl=60, show_spinner=False)
def snapshot_list(root: str) -> list[Snapshot]:
    return Store(root).list()


@st.cache_resource(show_spinner=False, max_entries=8)
def snapshot_db(root: str, snapshot_id: str, fingerprint: str) -> SnapshotDB:
    return SnapshotDB(Store(root).get(snapshot_id))


@st.cache_data(show_spinner=False)
def root_settings(root: str) -> LocalAuthority:
    return load_settings(root)


def settings() -> LocalAuthority:
    return root_settings(str(data_root()))


def database(snapshot: Snapshot) -> SnapshotDB:
    fingerprint = str(sorted(snapshot.report.fingerprint.items()))
    return snapshot_db(str(data_root()), snapshot.id, fingerprint)


@st.cache_data(show_spinner=False, max_entries=2000)
def _compute(root: str, snapshot_id: str, fingerprint: str, indicator_id: str,
             periods: tuple[Period, ...], by_team: bool, teams: tuple[str, ...] | None) -> pd.DataFrame:
    db = snapshot_db(root, snapshot_id, fingerprint)
    return compute(db, indicators.get(indicator_id), list(periods), root_settings(root), by_team, Scope(teams))


def indicator_frame(filters: Filters, indicator_id: str, periods: list[Period],
                    by_team: bool = False) -> pd.DataFrame:
    """Tidy values of one indicator for the given periods within the user's scope (cached)."""
    database(filters.snapshot)  # warm the cached connection
    fingerprint = str(sorted(filters.snapshot.report.fingerprint.items()))
    return _compute(str(data_root()), filters.snapshot.id, fingerprint, indicator_id,
                    tuple(periods), by_team, filters.scope.teams)


@st.cache_data(show_spinner=False)
def team_table(root: str, snapshot_id: str, fingerprint: str) -> pd.DataFrame:
    db = snapshot_db(root, snapshot_id, fingerprint)
    if "ssd_department" not in db.tables:
        return pd.DataFrame(columns=["team_id", "team_name", "service_id", "service_name"])
    return db.query(read_sql("teams"))


def year_label(row: pd.Series) -> str:
    year = int(row["year"])
    if "September" in row["period"]:
        return f"Sept {year}"
    return f"{year - 1}-{str(year)[2:]}"


def latest_published(indicator_id: str, as_at: dt.date) -> pd.Series | None:
    """The latest published comparators for the data root's own authority and neighbour model."""
    return benchmarks.latest_before(indicator_id, as_at, **authority_of(settings()))


def references(indicator_id: str, as_at: dt.date) -> pd.DataFrame:
    """Target, England and statistical-neighbour values to draw beside an indicator, each labelled in words."""
    rows = []
    target = settings().targets.get(indicator_id)
    if target:
        rows.append({"label": "target", "value": target.value, "text": f"target {target.value:g}"})
    published = latest_published(indicator_id, as_at)
    if published is not None:
        year = year_label(published)
        for label, column in (("England", "england"), ("statistical neighbours", "neighbours")):
            if pd.notna(published[column]):
                rows.append({"label": label, "value": published[column],
                             "text": f"{label} {year}: {round(published[column], 1):g}"})
    return pd.DataFrame(rows, columns=["label", "value", "text"])


@st.cache_data(show_spinner=False, max_entries=200)
def records_behind(root: str, snapshot_id: str, fingerprint: str, indicator_id: str, period: Period,
           teams: tuple[str, ...] | None, limit: int, numerator: int | None = None) -> pd.DataFrame | None:
    db = snapshot_db(root, snapshot_id, fingerprint)
    indicator = indicators.get(indicator_id)
    if unavailable_reason(db, indicator):
        return None
    return unit_rows(db, indicator, [period], root_settings(root), Scope(teams), limit=limit, numerator=numerator)


def fingerprint_of(snapshot: Snapshot) -> str:
    return str(sorted(snapshot.report.fingerprint.items()))


def cache_key(filters: Filters) -> tuple[str, str, str]:
    return str(data_root()), filters.snapshot.id, fingerprint_of(filters.snapshot)


def registered(*ids: str) -> bool:
    return all(i in indicators.REGISTRY for i in ids)


def previous_snapshot(filters: Filters) -> Snapshot | None:
    earlier = [s for s in snapshot_list(str(data_root())) if s.usable and s.as_at < filters.as_at]
    return max(earlier, key=lambda s: s.as_at) if earlier else None
