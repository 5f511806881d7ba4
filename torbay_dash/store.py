"""The snapshot catalogue: list snapshots, validate them, publish atomically, pick the latest good one.

A data root holds ``snapshots/<YYYY-MM-DD>/<table>.parquet`` plus ``manifest.json``. A
snapshot is usable when every table it holds can be read and meets the contract; the
app and CLI serve the latest usable one, so a bad extract never replaces a good one.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import contract
from .casting import SESSION_SETUP, quote_identifier, quote_literal, unreadable_condition

DATA_ROOT_ENV = "TORBAY_DASH_DATA"
REPO_DATA_ROOT = Path(__file__).resolve().parents[1] / "data"
SNAPSHOT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MANIFEST = "manifest.json"
VALIDATION = "validation.json"
# Share of a table's rows that may carry unreadable values or duplicate ids before the
# snapshot is refused. Below it the rows are reported and left out of indicators.
MAX_BAD_ROW_SHARE = 0.01
ROW_EXAMPLES = 5
# Bump when validation rules change, so cached reports of old snapshots are redone.
VALIDATOR_VERSION = 3
STALE_STAGING_SECONDS = 3600  # a staging folder untouched this long belongs to a writer that died
HOW_TO_LOAD = ("build the demo data with `python -m torbay_dash demo`, or put a snapshot folder of "
               "Parquet tables at <data root>/snapshots/<YYYY-MM-DD>/ (see README, 'Data layout')")


class DataError(Exception):
    """Data that cannot be used, with a message a person can act on."""


@dataclass
class Problem:
    severity: str  # 'error' makes the snapshot unusable; 'warning' is reported only
    file: str
    table: str
    column: str | None
    message: str
    rows: list[int] = field(default_factory=list)  # 1-based row numbers in the file (the first few)
    n_rows: int = 0                                  # how many rows are affected in all

    def __str__(self) -> str:
        where = f"{self.file}: table {self.table}"
        if self.column:
            where += f", column {self.column}"
        rows = ""
        if self.rows:
            more = " and more" if self.n_rows > len(self.rows) else ""
            rows = f" (rows {', '.join(map(str, self.rows))}{more})"
        return f"{where}: {self.message}{rows}"


@dataclass
class ValidationReport:
    usable: bool
    tables: dict[str, int]  # table -> row count, for tables that could be read
    problems: list[Problem]
    fingerprint: dict[str, list[int]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def to_json(self) -> dict:
        return {"validator": VALIDATOR_VERSION, "schema_version": contract.SCHEMA_VERSION,
                "usable": self.usable, "tables": self.tables, "fingerprint": self.fingerprint,
                "problems": [asdict(p) for p in self.problems]}

    @classmethod
    def from_json(cls, data: dict) -> "ValidationReport":
        return cls(data["usable"], data["tables"], [Problem(**p) for p in data["problems"]],
                   data.get("fingerprint", {}))


@dataclass
class Snapshot:
    as_at: dt.date
    path: Path
    manifest: dict
    report: ValidationReport

    @property
    def id(self) -> str:
        return self.as_at.isoformat()

    @property
    def usable(self) -> bool:
        return self.report.usable

    @property
    def synthetic(self) -> bool:
        return bool(self.manifest.get("synthetic", False))

    def table_path(self, table: str) -> Path:
        return self.path / f"{table}.parquet"

    @property
    def tables(self) -> list[str]:
        return sorted(self.report.tables)


def data_root(explicit: str | os.PathLike | None = None) -> Path:
    """The data root: an explicit path, else $TORBAY_DASH_DATA, else the repository's data/."""
    if explicit:
        return Path(explicit)
    if os.environ.get(DATA_ROOT_ENV):
        return Path(os.environ[DATA_ROOT_ENV])
    return REPO_DATA_ROOT


def is_project_root(root: str | os.PathLike) -> bool:
    """Is this the repository's own data root (where first run may build the demo data)?"""
    return Path(root).resolve() == REPO_DATA_ROOT.resolve()


def _fingerprint(folder: Path) -> dict[str, list[int]]:
    out = {}
    for f in sorted(folder.glob("*.parquet")):
        st = f.stat()
        out[f.name] = [st.st_size, st.st_mtime_ns]
    return out


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _validate_table(con: duckdb.DuckDBPyConnection, path: Path, table: contract.Table) -> tuple[int | None, list[Problem]]:
    """Check one Parquet file against its contract table; returns (row count, problems)."""
    name = path.name
    problems: list[Problem] = []
    source = f"read_parquet({quote_literal(str(path))}, file_row_number = true)"
    try:
        schema = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        n_rows = con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
    except duckdb.Error as exc:
        first_line = str(exc).strip().splitlines()[0][:200]
        return None, [Problem("error", name, table.name, None,
                              f"the file cannot be read as Parquet ({first_line}); re-export it")]
    source_types = {row[0]: row[1] for row in schema}

    missing = [c for c in table.column_names if c not in source_types]
    for col in missing:
        problems.append(Problem("error", name, table.name, col, "required column is missing"))
    for col in sorted(contract.IDENTIFYING_COLUMNS & set(source_types)):
        problems.append(Problem("error", name, table.name, col,
                                "identifying column must not be in a snapshot; remove it (ingest drops it)"))
    if missing or n_rows == 0:
        return n_rows, problems

    limit = max(1, int(n_rows * MAX_BAD_ROW_SHARE))
    key = quote_identifier(table.key)
    # One scan counts every kind of bad row; row numbers are fetched only for what is found.
    unreadable = {}
    for col in table.columns:
        condition = unreadable_condition(col.name, col.type, source_types[col.name])
        if condition:
            unreadable[col.name] = condition
    counts = [f"count(*) FILTER (WHERE {cond})" for cond in unreadable.values()]
    counts.append(f"count(*) FILTER (WHERE {key} IS NULL)")
    # Hashing every column makes this one scan decode every value, so a damaged
    # data page is found here rather than by a user's query later.
    counts.extend(f"max(hash({quote_identifier(c)}))" for c in source_types if c != "file_row_number")
    try:
        found = con.execute(f"SELECT {', '.join(counts)} FROM {source}").fetchone()
    except duckdb.Error as exc:
        first_line = str(exc).strip().splitlines()[0][:200]
        return None, problems + [Problem("error", name, table.name, None,
                                         f"the file is damaged: its values cannot be read ({first_line}); "
                                         "re-export it")]
    found = found[:len(unreadable) + 1]
    duplicated = con.execute(
        f"SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM {source} WHERE {key} IS NOT NULL "
        f"GROUP BY {key} HAVING count(*) > 1)").fetchone()[0]

    def examples(condition: str) -> list[int]:
        rows = con.execute(f"SELECT file_row_number + 1 FROM {source} WHERE {condition} "
                           f"ORDER BY 1 LIMIT {ROW_EXAMPLES}").fetchall()
        return [r[0] for r in rows]

    def report(n_bad: int, column: str, message: str, condition: str) -> None:
        if n_bad:
            severity = "error" if n_bad > limit else "warning"
            problems.append(Problem(severity, name, table.name, column, message, examples(condition), int(n_bad)))

    for (column, condition), n_bad in zip(unreadable.items(), found[:-1]):
        col_type = table.column(column).type
        report(n_bad, column, f"{n_bad} value(s) cannot be read as {col_type}", condition)
    report(int(duplicated), table.key, f"{int(duplicated)} row(s) share an id that should be unique",
           f"{key} IN (SELECT {key} FROM {source} GROUP BY {key} HAVING count(*) > 1)")
    report(found[-1], table.key, f"{found[-1]} row(s) have no id", f"{key} IS NULL")
    return n_rows, problems


def validate_folder(folder: Path) -> ValidationReport:
    """Validate every contract table present in a snapshot folder."""
    problems: list[Problem] = []
    tables: dict[str, int] = {}
    con = duckdb.connect()
    con.execute(SESSION_SETUP)
    try:
        files = sorted(folder.glob("*.parquet"))
        if not files:
            problems.append(Problem("error", folder.name, "-", None, "the folder holds no Parquet tables"))
        for path in files:
            table = contract.TABLES.get(path.stem)
            if table is None:
                problems.append(Problem("warning", path.name, path.stem, None,
                                        "not a table of the data contract; ignored"))
                continue
            n_rows, found = _validate_table(con, path, table)
            problems.extend(found)
            if n_rows is not None:
                tables[table.name] = n_rows
    finally:
        con.close()
    usable = not any(p.severity == "error" for p in problems)
    return ValidationReport(usable, tables, problems, _fingerprint(folder))


def load_snapshot(folder: Path, *, cache: bool = True) -> Snapshot:
    """A snapshot folder with its validation, reusing validation.json while the files are unchanged."""
    folder = Path(folder)
    manifest = _read_json(folder / MANIFEST)
    try:  # named by its as-at date; a loose folder may say it in its manifest
        as_at = dt.date.fromisoformat(folder.name if SNAPSHOT_NAME.match(folder.name) else str(manifest.get("as_at")))
    except ValueError:
        as_at = dt.date.today()
    report = None
    cached = _read_json(folder / VALIDATION) if cache else {}
    current = (VALIDATOR_VERSION, contract.SCHEMA_VERSION, _fingerprint(folder))
    if cached and (cached.get("validator"), cached.get("schema_version"), cached.get("fingerprint")) == current:
        try:
            report = ValidationReport.from_json(cached)
        except (KeyError, TypeError):
            report = None
    if report is None:
        report = validate_folder(folder)
        if cache:
            try:
                partial = folder / f".{VALIDATION}.{uuid.uuid4().hex[:8]}"
                partial.write_text(json.dumps(report.to_json(), indent=1))
                os.replace(partial, folder / VALIDATION)
            except OSError:
                pass  # a read-only data root still validates, just every time
    return Snapshot(as_at, folder, manifest, report)


class Store:
    """The snapshots under one data root."""

    def __init__(self, root: str | os.PathLike | None = None):
        self.root = data_root(root)
        self.snapshots_dir = self.root / "snapshots"

    def list(self) -> list[Snapshot]:
        if not self.snapshots_dir.is_dir():
            return []
        folders = sorted(p for p in self.snapshots_dir.iterdir() if p.is_dir() and SNAPSHOT_NAME.match(p.name))
        return [load_snapshot(p) for p in folders]

    def usable(self) -> list[Snapshot]:
        return [s for s in self.list() if s.usable]

    def latest_usable(self) -> Snapshot | None:
        usable = self.usable()
        return usable[-1] if usable else None

    def get(self, as_at: str | dt.date) -> Snapshot:
        folder = self.snapshots_dir / str(as_at)
        if not folder.is_dir():
            raise DataError(f"no snapshot dated {as_at} in {self.snapshots_dir}")
        return load_snapshot(folder)

    def tidy(self) -> None:
        """Clear what an interrupted writer left: old staging folders, and a snapshot retired mid-swap."""
        if not self.snapshots_dir.is_dir():
            return
        now = time.time()
        for folder in self.snapshots_dir.glob(".incoming-*"):
            if now - folder.stat().st_mtime > STALE_STAGING_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        for folder in self.snapshots_dir.glob(".retired-*"):
            target = self.snapshots_dir / folder.name.split("-", 1)[1][:10]
            if target.exists():
                shutil.rmtree(folder, ignore_errors=True)
            else:  # the swap stopped between its two renames: put the good snapshot back
                folder.rename(target)

    def begin(self, as_at: dt.date) -> Path:
        """A private staging folder beside the snapshots, to write a new snapshot's tables into."""
        self.snapshots_dir.mkdir(parents=True, exist_ok=True)
        self.tidy()
        staging = self.snapshots_dir / f".incoming-{as_at}-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
        return staging

    def commit(self, staging: Path, as_at: dt.date, manifest: dict) -> Snapshot:
        """Validate a staged snapshot and swap it in only if it is usable.

        A refused snapshot moves to ``rejected/`` with its report; the snapshot it would
        have replaced stays untouched.
        """
        try:
            row_counts = {f.stem: pq.ParquetFile(f).metadata.num_rows for f in sorted(staging.glob("*.parquet"))}
        except (OSError, pa.ArrowInvalid):
            row_counts = {}
        full_manifest = {
            "as_at": as_at.isoformat(), "schema_version": contract.SCHEMA_VERSION,
            "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "synthetic": False, "row_counts": row_counts, **manifest}
        try:
            (staging / MANIFEST).write_text(json.dumps(full_manifest, indent=1, default=str))
            snapshot = load_snapshot(staging)
            if not snapshot.usable:
                rejected = self.root / "rejected" / f"{as_at}-{uuid.uuid4().hex[:8]}"
                rejected.parent.mkdir(parents=True, exist_ok=True)
                staging.rename(rejected)
                return Snapshot(as_at, rejected, full_manifest, snapshot.report)
            target = self.snapshots_dir / as_at.isoformat()
            retired = None
            if target.exists():
                retired = self.snapshots_dir / f".retired-{as_at}-{uuid.uuid4().hex[:8]}"
                target.rename(retired)
            staging.rename(target)
            if retired:
                shutil.rmtree(retired, ignore_errors=True)
            return load_snapshot(target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)

    def publish(self, as_at: dt.date, tables: dict[str, pd.DataFrame], manifest: dict) -> Snapshot:
        """Write a snapshot's tables and commit it (see commit)."""
        staging = self.begin(as_at)
        try:
            for name, frame in tables.items():
                frame.to_parquet(staging / f"{name}.parquet", index=False)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return self.commit(staging, as_at, manifest)


def open_data(path: str | os.PathLike | None, as_at: str | None = None) -> Snapshot:
    """The snapshot to serve for a path that is a data root or a single snapshot folder.

    Raises DataError with a readable reason when there is nothing usable.
    """
    root = data_root(path)
    if not root.exists():
        raise DataError(f"data path {root} does not exist")
    if not root.is_dir():
        raise DataError(f"data path {root} is not a folder")
    if (root / "snapshots").is_dir():
        store = Store(root)
        if as_at:
            snapshot = store.get(as_at)
        else:
            snapshot = store.latest_usable()
            if snapshot is None:
                raise DataError(f"no usable snapshot in {root}/snapshots; {HOW_TO_LOAD}")
    elif any(root.glob("*.parquet")):
        snapshot = load_snapshot(root, cache=False)
    else:
        raise DataError(f"{root} holds no snapshots yet (no snapshots/ folder and no Parquet tables); "
                        f"{HOW_TO_LOAD}")
    if not snapshot.usable:
        reasons = "; ".join(str(p) for p in snapshot.report.errors[:3])
        raise DataError(f"snapshot {snapshot.path} is not usable: {reasons}")
    return snapshot
