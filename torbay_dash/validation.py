"""Is a snapshot folder's content worth serving? Form and content checks per table, with reasons.

Each table is checked for form (the file reads in full, the contract's columns, no
identifying columns) and content (dates in the contract's forms and a plausible window,
the values a row is counted by present, no end before its start, few unreadable or
repeated rows). A table that fails is quarantined: its reasons name file, table, column
and rows. The store (store.py) keeps the verdicts, compares snapshots and decides what
is served.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from . import contract
from .casting import (SESSION_SETUP, cast_expression, implausible_condition, latest_plausible, month_first_condition,
                      quote_identifier, quote_literal, unreadable_condition)

# Share of a table's rows that may carry unreadable or implausible values, an end before
# their start, or a repeated or missing id before the table is quarantined. Below it the
# rows are reported and left out of indicators.
MAX_BAD_ROW_SHARE = 0.01
# Rows the contract says to leave out (an end before its start, a missing key date, a date that
# cannot be right) quarantine a table only past the share AND this many: a handful of such rows is
# what every extract has, and in a small table a share says nothing.
MIN_LEFT_OUT_ROWS = 10
ROW_EXAMPLES = 5
# Bump when validation rules change, so cached reports of old snapshots are redone.
VALIDATOR_VERSION = 4


FOLDER = "-"  # Problem.table for a problem of the whole snapshot rather than one table


@dataclass
class Problem:
    severity: str  # 'error' quarantines its table (refuses the snapshot if table is FOLDER); 'warning': reported
    file: str
    table: str
    column: str | None
    message: str
    rows: list[int] = field(default_factory=list)  # 1-based row numbers in the file (the first few)
    n_rows: int = 0                                  # how many rows are affected in all

    def __str__(self) -> str:
        where = f"{self.file}: table {self.table}" if self.table != FOLDER else self.file
        if self.column:
            where += f", column {self.column}"
        rows = ""
        if self.rows:
            more = " and more" if self.n_rows > len(self.rows) else ""
            rows = f" (rows {', '.join(map(str, self.rows))}{more})"
        return f"{where}: {self.message}{rows}"


def quarantined_tables(problems: list[Problem]) -> dict[str, str]:
    """Table -> why it is not served, from the errors about it."""
    reasons: dict[str, list[str]] = {}
    for p in problems:
        if p.severity == "error" and p.table in contract.TABLES:
            reasons.setdefault(p.table, []).append(p.message if not p.column else f"{p.column}: {p.message}")
    return {table: "; ".join(found) for table, found in sorted(reasons.items())}


def servable(tables: dict[str, int], problems: list[Problem]) -> bool:
    """Some table can be served, and the folder is sound.

    An empty table on its own is a real zero (nothing to count); emptied against the snapshot
    before, it is quarantined (see _compare), so an extract of emptied tables serves nothing.
    """
    quarantined = quarantined_tables(problems)
    return (any(t not in quarantined for t in tables)
            and not any(p.severity == "error" and p.table == FOLDER for p in problems))


@dataclass
class ValidationReport:
    """What the content of a snapshot folder is worth: the tables read, and every problem found."""
    tables: dict[str, int]  # table -> row count, for tables that could be read
    problems: list[Problem]
    fingerprint: dict[str, str] = field(default_factory=dict)  # file name -> content hash

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def quarantined(self) -> dict[str, str]:
        return quarantined_tables(self.problems)

    @property
    def usable(self) -> bool:
        """On its content alone: some table can be served and nothing is wrong with the folder as a whole."""
        return servable(self.tables, self.problems)

    def to_json(self) -> dict:
        return {"validator": VALIDATOR_VERSION, "schema_version": contract.SCHEMA_VERSION,
                "tables": self.tables, "fingerprint": self.fingerprint,
                "problems": [asdict(p) for p in self.problems]}

    @classmethod
    def from_json(cls, data: dict) -> "ValidationReport":
        """A cached report; TypeError (or KeyError) when it is not of the shape written, so it is redone."""
        tables, problems = data["tables"], data["problems"]
        if not (isinstance(tables, dict) and all(isinstance(n, int) for n in tables.values())
                and isinstance(problems, list)):
            raise TypeError("not a validation report")
        report = cls(tables, [Problem(**p) for p in problems], data.get("fingerprint", {}))
        if not all(isinstance(p.message, str) and isinstance(p.rows, list) for p in report.problems):
            raise TypeError("not a validation report")
        return report



_HASHES: dict[tuple, str] = {}  # (path, size, mtime, ctime, inode) -> content hash, so each version is read once


def content_hash(path: Path) -> str:
    """A hash of the file's bytes. Memoised on its stat, whose change time moves on any write
    (even one that puts the size and modified time back), so a cached validation is never trusted
    for content it did not see."""
    st = path.stat()
    memo = (str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    if memo not in _HASHES:
        digest = hashlib.blake2b(digest_size=16)
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        _HASHES[memo] = digest.hexdigest()
    return _HASHES[memo]



def inside(path: Path, root: Path) -> tuple[Path | None, str | None]:
    """The real path behind `path`, followed only while it stays inside `root`; else (None, why)."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, "is a link that loops or leads nowhere; ignored"
    if not real.is_relative_to(root.resolve()):
        return None, "is a link to a place outside the data root; not followed"
    return real, None


def table_files(folder: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """The Parquet files of a snapshot folder that may be read, and problems with the others."""
    files, problems = [], []
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        return [], [Problem("error", folder.name, FOLDER, None, f"the folder cannot be read ({exc.strerror})")]
    for entry in entries:
        if entry.name.startswith(".") or not entry.name.endswith(".parquet"):
            continue
        real, why = inside(entry, root)
        if real is not None and not real.is_file():
            why = "is not a file; ignored"
        if why:
            known = entry.stem in contract.TABLES
            problems.append(Problem("error" if known else "warning", entry.name,
                                    entry.stem if known else FOLDER, None, why))
            continue
        files.append(entry)
    return files, problems


def content_fingerprint(files: list[Path]) -> dict[str, str]:
    return {f.name: content_hash(f) for f in files}


def _shape(value: str) -> str:
    """A value's form without its content: digits as 9 and letters as A (never shows a child's data)."""
    return "".join("9" if c.isdigit() else "A" if c.isalpha() else c for c in value[:24])


def _validate_table(con: duckdb.DuckDBPyConnection, path: Path, table: contract.Table,
                    as_at: dt.date) -> tuple[int | None, list[Problem]]:
    """Check one Parquet file against its contract table, form and content; returns (row count, problems)."""
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
    for col in sorted(c for c in source_types if contract.is_identifying(c)):
        problems.append(Problem("error", name, table.name, col,
                                "identifying column must not be in a snapshot; remove it (ingest drops it)"))
    if missing or n_rows == 0:
        return n_rows, problems

    limit = max(1, int(n_rows * MAX_BAD_ROW_SHARE))
    left_out_limit = max(MIN_LEFT_OUT_ROWS, limit)
    key = quote_identifier(table.key)
    # Every kind of bad row, as (column, message, condition, allowance); one scan counts them all.
    checks: list[tuple[str, str, str, int]] = []
    casts = {}
    for col in table.columns:
        source_type = source_types[col.name]
        casts[col.name] = cast_expression(col.name, col.type, source_type)
        if condition := unreadable_condition(col.name, col.type, source_type):
            checks.append((col.name, f"cannot be read as {col.type}", condition, limit))
        if condition := month_first_condition(col.name, source_type) if col.type == contract.DATE else None:
            checks.append((col.name, "read only as month/day/year (US order): the column's dates of day 12 or "
                           "less cannot be trusted; write dates as YYYY-MM-DD or DD/MM/YYYY", condition, limit))
        latest = latest_plausible(table.name, col.name, as_at)
        if condition := implausible_condition(col.name, col.type, source_type, latest):
            when = f"before 1900 or after the as-at date {as_at}" if latest else "before 1900"
            checks.append((col.name, f"are dates {when}", condition, left_out_limit))
    for col in contract.REQUIRED_VALUES.get(table.name, ()):
        checks.append((col, "are empty where a value is needed to count the row",
                       f"({quote_identifier(col)} IS NULL OR TRIM(CAST({quote_identifier(col)} AS VARCHAR)) = '')",
                       left_out_limit))
    for pair in (c for c in contract.DATE_ORDER_CHECKS if c.table == table.name):
        checks.append((pair.end, f"end before they start ({pair.end} before {pair.start})",
                       f"coalesce(({casts[pair.end]}) < ({casts[pair.start]}), false)", left_out_limit))
    checks.append((table.key, "have no id", f"{key} IS NULL", limit))
    repeat = f"row_number() OVER (PARTITION BY {key} ORDER BY file_row_number) > 1 AND {key} IS NOT NULL"
    # Hashing every column makes this one scan decode every value, so a damaged
    # data page is found here rather than by a user's query later.
    counts = [f"count(*) FILTER (WHERE {check[2]})" for check in checks]
    counts.extend(f"max(hash({quote_identifier(c)}))" for c in source_types if c != "file_row_number")
    try:
        found = con.execute(f"SELECT {', '.join(counts)} FROM {source}").fetchone()[:len(checks)]
        repeats = con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source} QUALIFY {repeat})").fetchone()
    except duckdb.Error as exc:
        first_line = str(exc).strip().splitlines()[0][:200]
        return None, problems + [Problem("error", name, table.name, None,
                                         f"the file is damaged: its values cannot be read ({first_line}); "
                                         "re-export it")]

    def rows_where(condition: str) -> list[int]:
        rows = con.execute(f"SELECT file_row_number + 1 FROM {source} WHERE {condition} "
                           f"ORDER BY 1 LIMIT {ROW_EXAMPLES}").fetchall()
        return [r[0] for r in rows]

    for (column, message, condition, allowance), n_bad in zip(checks, found):
        if not n_bad:
            continue
        if n_bad == n_rows > allowance and message.startswith("are empty"):
            problems.append(Problem("error", name, table.name, column,
                                    "is empty in every row: the table's rows cannot be counted, "
                                    "so its figures would read 0", [], int(n_bad)))
            continue
        text = f"{n_bad} of {n_rows} row(s) {message}"
        if "cannot be read as date" in message:
            first = con.execute(f"SELECT CAST({quote_identifier(column)} AS VARCHAR) FROM {source} "
                                f"WHERE {condition} ORDER BY file_row_number LIMIT 1").fetchone()[0]
            text += f" (a value shaped {_shape(str(first))!r}; the contract's forms are YYYY-MM-DD and DD/MM/YYYY)"
        severity = "error" if n_bad > allowance else "warning"
        if severity == "warning":
            text += "; left out of the figures"
        problems.append(Problem(severity, name, table.name, column, text, rows_where(condition), int(n_bad)))
    n_repeats = int(repeats[0]) if repeats else 0
    if n_repeats:
        rows = con.execute(f"SELECT n FROM (SELECT file_row_number + 1 AS n FROM {source} QUALIFY {repeat}) "
                           f"ORDER BY 1 LIMIT {ROW_EXAMPLES}").fetchall()
        problems.append(Problem("error" if n_repeats > limit else "warning", name, table.name, table.key,
                                f"{n_repeats} row(s) repeat an id already seen; the first row counts",
                                [r[0] for r in rows], n_repeats))
    return n_rows, problems


def validate_folder(folder: Path, as_at: dt.date | None = None, root: Path | None = None) -> ValidationReport:
    """Validate every contract table in a snapshot folder; links are followed only inside `root`."""
    as_at = as_at or dt.date.today()
    files, problems = table_files(folder, root or folder)
    tables: dict[str, int] = {}
    if not files and not problems:
        problems.append(Problem("error", folder.name, FOLDER, None, "the folder holds no Parquet tables"))
    con = duckdb.connect()
    con.execute(SESSION_SETUP)
    try:
        for path in files:
            table = contract.TABLES.get(path.stem)
            if table is None:
                problems.append(Problem("warning", path.name, path.stem, None,
                                        "not a table of the data contract; ignored"))
                continue
            n_rows, found = _validate_table(con, path, table, as_at)
            problems.extend(found)
            if n_rows is not None:
                tables[table.name] = n_rows
    finally:
        con.close()
    return ValidationReport(tables, problems, content_fingerprint(files))
