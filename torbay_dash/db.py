"""DuckDB over one snapshot: a view per contract table, a working-day calendar, a cursor per query.

The views cast every column to its contract type and leave out rows that break the
contract's date order (an end before its start); the data-quality page counts those
from the raw files. A DuckDB connection is not thread-safe, so every query runs on its
own cursor.
"""
from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from . import contract
from .calendar import calendar_frame
from .casting import (SESSION_SETUP, cast_expression, implausible_condition, latest_plausible, quote_identifier,
                      quote_literal, unreadable_condition)
from .store import Snapshot

SQL_DIR = Path(__file__).parent / "sql"


def read_sql(name: str) -> str:
    """The text of sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text()


def with_shared(fragments: list[str], name: str) -> str:
    """sql/<name>.sql preceded by shared fragments (sql/shared/<f>.sql) as CTEs of the same names."""
    ctes = ",\n".join(f"{f} AS (\n{read_sql('shared/' + f)}\n)" for f in fragments)
    body = "\n".join(line for line in read_sql(name).splitlines() if not line.lstrip().startswith("--"))
    if body.lstrip().upper().startswith("WITH"):
        return f"WITH {ctes},\n{body.lstrip()[4:]}"
    return f"WITH {ctes}\n{body}"


def total_rows(snapshot: Snapshot) -> int:
    """Rows in the snapshot's served tables, from the Parquet footers (nothing is read)."""
    return sum(pq.ParquetFile(snapshot.table_path(name)).metadata.num_rows for name in snapshot.tables)


def _view_sql(table: contract.Table, path: Path, source_types: dict[str, str], as_at: dt.date) -> str:
    """A table's view: contract columns cast to contract types, bad rows left out.

    Bad rows are those with a value that cannot be read (an unreadable end date must not
    make an episode look open), a date that cannot be right (before 1900, or after the
    as-at date where only the past is known), an end before its start, or a repeat of an id
    already seen (the first row in the file wins). The validation report lists them all.
    """
    columns = ",\n  ".join(
        f"{cast_expression(c.name, c.type, source_types[c.name])} AS {quote_identifier(c.name)}"
        for c in table.columns)
    unreadable = [cond for c in table.columns
                  for cond in (unreadable_condition(c.name, c.type, source_types[c.name]),
                               implausible_condition(c.name, c.type, source_types[c.name],
                                                     latest_plausible(table.name, c.name, as_at)))
                  if cond]
    order_checks = [f"NOT coalesce({quote_identifier(c.end)} < {quote_identifier(c.start)}, false)"
                    for c in contract.DATE_ORDER_CHECKS if c.table == table.name]
    key = quote_identifier(table.key)
    raw = f"read_parquet({quote_literal(str(path))}, file_row_number = true)"
    readable = f"WHERE NOT ({' OR '.join(unreadable)})" if unreadable else ""
    where = f"WHERE {' AND '.join(order_checks)}" if order_checks else ""
    return (f"SELECT * EXCLUDE (file_row_number) FROM (\n"
            f"SELECT\n  {columns},\n  file_row_number\nFROM {raw}\n{readable}\n"
            f"QUALIFY {key} IS NULL OR row_number() OVER (PARTITION BY {key} ORDER BY file_row_number) = 1\n"
            f") {where}")


class SnapshotDB:
    """Views over one snapshot's tables; absent tables are known, not errors.

    With `materialise_up_to` rows or fewer in all, the typed tables are built once in memory instead of
    views that cast the Parquet on every query (a Torbay-sized snapshot: well under a second, tens of MB);
    a larger one keeps the views, so memory stays bounded whatever the size.
    """

    def __init__(self, snapshot: Snapshot, materialise_up_to: int = 0):
        self.snapshot = snapshot
        self.figures = None  # figures.IndicatorStore once attached: compute() reads its sums where it can
        self._con = duckdb.connect()
        self._con.execute(SESSION_SETUP)
        self._lock = threading.Lock()
        self._con.register("calendar_frame", calendar_frame())
        self._con.execute("CREATE TABLE calendar AS SELECT CAST(d AS DATE) AS d, is_working_day, "
                          "wd_index FROM calendar_frame")
        self._con.unregister("calendar_frame")
        self._con.execute(read_sql("calendar_macros"))
        self.tables: set[str] = set()
        self.materialised = 0 < total_rows(snapshot) <= materialise_up_to
        for name in snapshot.tables:
            table = contract.TABLES[name]
            path = snapshot.table_path(name)
            source_types = {r[0]: r[1] for r in self._con.execute(
                f"DESCRIBE SELECT * FROM read_parquet({quote_literal(str(path))})").fetchall()}
            self._con.execute(f"CREATE {'TABLE' if self.materialised else 'VIEW'} {quote_identifier(name)} AS "
                              f"{_view_sql(table, path, source_types, snapshot.as_at)}")
            self.tables.add(name)
        if "ssd_involvements" in self.tables:
            self._con.execute(read_sql("allocations"))
        else:  # no allocations known: every child is UNALLOCATED
            self._con.execute(read_sql("allocations_empty"))

    @property
    def absent_tables(self) -> set[str]:
        """Tables not served: absent from the snapshot or quarantined."""
        return set(contract.TABLES) - self.tables

    @property
    def quarantined(self) -> dict[str, str]:
        return self.snapshot.quarantined

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            cur = self._con.cursor()
        cur.execute(SESSION_SETUP)
        return cur

    def query(self, sql: str, params: dict | list | None = None,
              frames: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
        """Run one query on a fresh cursor; `frames` are registered on that cursor only."""
        cur = self.cursor()
        try:
            for name, frame in (frames or {}).items():
                cur.register(name, frame)
            return cur.execute(sql, params or {}).df()
        finally:
            cur.close()

    def close(self) -> None:
        self._con.close()
