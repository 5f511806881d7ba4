"""Cached data access for the screens: snapshots, the DuckDB connection, indicator frames, benchmarks.

Everything here is keyed on (data root, snapshot id, fingerprint) so a changed extract, or changed
settings, is never served from a stale cache, and hands the screens small aggregate frames.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from .. import benchmarks, figures, indicators
from ..compute import Scope, compute, unavailable_reason, unit_rows
from ..db import SnapshotDB, read_sql
from ..headlines import authority_of
from ..periods import Period
from ..settings import PROJECT_SETTINGS, SETTINGS_FILE, LocalAuthority, load_settings
from ..store import DataError, Refusal, Snapshot, Store, data_root

if TYPE_CHECKING:
    from .frame import Filters

# Once per server process, in the background: the first Overview then finds the published figures in memory.
threading.Thread(target=benchmarks.preload, name="preload-benchmarks", daemon=True).start()


@st.cache_data(ttl=60, show_spinner=False)
def snapshot_list(root: str) -> list[Snapshot]:
    return Store(root).list()


@st.cache_data(ttl=60, show_spinner=False)
def refusals(root: str) -> list[Refusal]:
    return Store(root).refusals()


# Snapshots of up to this many rows (about six Torbays) are held as typed tables in memory: each of the
# eight connections kept costs up to a few hundred MB, and every live query is faster. Larger ones are read
# through views over their Parquet.
MATERIALISE_UP_TO = 2_000_000


@st.cache_resource(show_spinner=False, max_entries=8)
def snapshot_db(root: str, snapshot_id: str, fingerprint: str) -> SnapshotDB:
    """One connection per snapshot and settings, with its indicator store attached when one is current on disk."""
    db = SnapshotDB(Store(root).get(snapshot_id), materialise_up_to=MATERIALISE_UP_TO)
    in_force = root_settings(root)
    if in_force is not None:
        figures.load_into(db, in_force)
    return db


def prepare_figures(snapshot: Snapshot) -> None:
    """Attach the snapshot's indicator store, building it first, with a progress bar, when there is none.

    Built at publish it is already there; a snapshot published by other means, or figures code that has
    changed since, costs one build of a few seconds, said on screen rather than a blank wait. When the build
    fails the figures are computed directly, which is slower but the same.
    """
    db = database(snapshot)
    in_force = settings()
    if db.figures is not None or in_force is None:
        return
    bar = st.progress(0.0, text=f"Preparing the figures of the {snapshot.as_at:%d %B %Y} snapshot…")

    def show(done: int, total: int, what: str) -> None:
        bar.progress(done / max(total, 1), text=f"Preparing the figures of the {snapshot.as_at:%d %B %Y} snapshot "
                                                 f"(done once per extract): {done} of {total} indicators")
    try:
        figures.ensure(db, in_force, progress=show)
    except Exception as exc:  # the screens still work, computing each figure from the tables
        st.caption(f"The indicator store could not be built ({type(exc).__name__}: {exc}); figures are computed "
                   "directly, more slowly.")
    finally:
        bar.empty()


@dataclass(frozen=True)
class SettingsInForce:
    """The settings the figures use; when the data root's file is invalid, why, and what stands in for it."""
    settings: LocalAuthority | None  # None only when no settings can be loaded at all: then no figures are drawn
    problem: str | None = None    # the DataError's message: the file and what is wrong with it
    fallback: str | None = None   # the settings used instead, in words


# Root -> the last settings that loaded for it in this process: an invalid edit falls back to these.
_LAST_LOADED: dict[str, LocalAuthority] = {}


def _settings_stamp(root: str) -> tuple:
    """Changes whenever a settings file that may apply to the root is written, so an edit is read at once."""
    stamps = []
    for path in (Path(root) / SETTINGS_FILE, PROJECT_SETTINGS):
        try:
            found = path.stat()
            stamps.append((found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


@st.cache_data(show_spinner=False, max_entries=64)
def _settings_in_force(root: str, stamp: tuple) -> SettingsInForce:
    try:
        loaded = load_settings(root)
    except DataError as exc:
        if root in _LAST_LOADED:
            return SettingsInForce(_LAST_LOADED[root], str(exc), "the last settings that loaded for this data root")
        try:
            return SettingsInForce(load_settings(), str(exc), f"the project's own settings ({PROJECT_SETTINGS})")
        except DataError:  # the project's own file is the invalid one, or invalid too
            return SettingsInForce(None, str(exc))
    _LAST_LOADED[root] = loaded
    return SettingsInForce(loaded)


def settings_in_force(root: str | None = None) -> SettingsInForce:
    """The data root's settings, or a stand-in with the reason when its file is invalid: never an exception.

    Screens call `settings()` freely: `frame.page` stops a screen first when there are none at all."""
    root = root or str(data_root())
    return _settings_in_force(root, _settings_stamp(root))


def root_settings(root: str) -> LocalAuthority:
    return settings_in_force(root).settings


def settings() -> LocalAuthority:
    return root_settings(str(data_root()))


def database(snapshot: Snapshot) -> SnapshotDB:
    return snapshot_db(str(data_root()), snapshot.id, fingerprint_of(snapshot))


@st.cache_data(show_spinner=False, max_entries=2000)
def _compute(root: str, snapshot_id: str, fingerprint: str, indicator_id: str,
             periods: tuple[Period, ...], by_team: bool, teams: tuple[str, ...] | None) -> pd.DataFrame:
    db = snapshot_db(root, snapshot_id, fingerprint)
    return compute(db, indicators.get(indicator_id), list(periods), root_settings(root), by_team, Scope(teams))


def indicator_frame(filters: Filters, indicator_id: str, periods: list[Period],
                    by_team: bool = False) -> pd.DataFrame:
    """Tidy values of one indicator for the given periods within the user's scope (cached)."""
    database(filters.snapshot)  # warm the cached connection
    return _compute(*cache_key(filters), indicator_id, tuple(periods), by_team, filters.scope.teams)


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
    """What a snapshot's cached figures depend on: its content and tables served, and the settings in force
    (the population behind rates, targets, standards), so neither a new extract nor an edited settings file
    is answered from figures cached before it."""
    in_force = repr(settings_in_force().settings).encode()
    return f"{snapshot.key}|settings {hashlib.blake2b(in_force, digest_size=8).hexdigest()}"


def cache_key(filters: Filters) -> tuple[str, str, str]:
    return str(data_root()), filters.snapshot.id, fingerprint_of(filters.snapshot)


def registered(*ids: str) -> bool:
    return all(i in indicators.REGISTRY for i in ids)


def previous_snapshot(filters: Filters) -> Snapshot | None:
    earlier = [s for s in snapshot_list(str(data_root())) if s.usable and s.as_at < filters.as_at]
    return max(earlier, key=lambda s: s.as_at) if earlier else None
