"""Contract tables from files: CSV as real tools write it, Excel workbooks and Parquet.

CSV is streamed by DuckDB straight into Parquet, so an England-sized extract is read in
bounded memory. Every value is kept as text (the snapshot views cast it, and the validator
names the rows it cannot read): the text NULL and empty cells are null, dates stay in the
form they came in (YYYY-MM-DD with or without a time, or DD/MM/YYYY, never guessed as US).
"""
from __future__ import annotations

import codecs
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from .. import contract
from ..casting import quote_identifier, quote_literal
from .columns import ColumnPlan, plan_columns

READERS = (".csv", ".xlsx", ".parquet")
NULL_TEXT = ("", "NULL")
MEMORY_LIMIT = "2GB"  # DuckDB spills to disk past this, so memory stays bounded however big the extract


class Unreadable(Exception):
    """A source table that cannot be read; the message says why in plain words."""


@dataclass
class TableFile:
    table: str
    path: Path


@dataclass
class Written:
    """One contract table written to staging."""
    table: str
    file: str
    rows: int
    plan: ColumnPlan
    note: str = ""  # e.g. "read as Windows-1252"


def table_files(folder: Path) -> tuple[list[TableFile], list[str], list[tuple[str, str]]]:
    """Files named after contract tables (any case), files ignored, and (table, why) for tables given twice."""
    by_table: dict[str, list[Path]] = {}
    ignored = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        table = path.stem.strip().lower()
        if path.suffix.lower() in READERS and table in contract.TABLES:
            by_table.setdefault(table, []).append(path)
        else:
            ignored.append(path.name)
    found, doubled = [], []
    for table, paths in sorted(by_table.items()):
        if len(paths) > 1:
            doubled.append((table, f"given by {len(paths)} files ({', '.join(p.name for p in paths)}); "
                                   "none was read: keep one"))
        else:
            found.append(TableFile(table, paths[0]))
    return found, ignored, doubled


def unzip(archive: Path, into: Path) -> Path:
    """Extract a zip's files (folders inside it flattened, nothing written outside `into`)."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            for member in zipped.infolist():
                name = Path(member.filename.replace("\\", "/")).name
                if member.is_dir() or not name or name.startswith(".") or "__MACOSX" in member.filename:
                    continue
                target = into / name
                if target.exists():
                    raise Unreadable(f"{archive.name} holds two files named {name}")
                with zipped.open(member) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise Unreadable(f"{archive.name} cannot be opened as a zip file ({exc})") from None
    return into


def connect(scratch: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = {quote_literal(str(scratch))}")
    con.execute("SET preserve_insertion_order = true")  # row n in the snapshot is data row n of the file
    return con


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


DELIMITERS = (",", ";", "\t", "|")


def delimiter(path: Path) -> str:
    """The header line's delimiter: the one it holds most of (a comma when it holds none).

    Said, not sniffed from the rows: a sniffer that finds a malformed row can choose to skip
    lines or read the header as one column, and a table read wrong must fail, not load."""
    with open(path, "rb") as f:
        header = f.readline(1 << 16).decode("latin-1")
    return max(DELIMITERS, key=lambda d: (header.count(d), d == ","))


def _csv_source(path: Path) -> str:
    nulls = ", ".join(quote_literal(n) for n in NULL_TEXT)
    return (f"read_csv({quote_literal(str(path))}, all_varchar = true, header = true, skip = 0, "
            f"delim = {quote_literal(delimiter(path))}, quote = '\"', escape = '\"', strict_mode = true, "
            f"nullstr = [{nulls}], encoding = 'utf-8')")


def to_utf8(path: Path, scratch: Path) -> Path:
    """A UTF-8 copy of a Windows-1252 file (the bytes it leaves undefined read as Latin-1), streamed."""
    target = scratch / f"{path.stem}.utf8.csv"
    with open(path, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        decoder = codecs.getincrementaldecoder("cp1252")(errors="strict")
        for block in iter(lambda: src.read(1 << 20), b""):
            try:
                dst.write(decoder.decode(block))
            except UnicodeDecodeError:
                dst.write(block.decode("latin-1"))
                decoder.reset()
    return target


def _columns(con: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]


def copy_columns(con: duckdb.DuckDBPyConnection, source: str, plan: ColumnPlan, target: Path,
          as_text: bool) -> int:
    """Write the planned columns, renamed to the contract's names, to Parquet; returns rows written."""
    selects = []
    for column, src in plan.selected.items():
        value = quote_identifier(src)
        if as_text:
            value = f"NULLIF(TRIM(CAST({value} AS VARCHAR)), '')"
        selects.append(f"{value} AS {quote_identifier(column)}")
    if not selects:
        selects = ["NULL AS no_contract_column"]
    result = con.execute(f"COPY (SELECT {', '.join(selects)} FROM {source}) TO {quote_literal(str(target))} "
                         "(FORMAT parquet, COMPRESSION zstd)").fetchone()
    return int(result[0]) if result else 0


def _write_csv(con, item: TableFile, path: Path, target: Path, note: str) -> Written:
    plan = plan_columns(item.table, _columns(con, _csv_source(path)))
    rows = copy_columns(con, _csv_source(path), plan, target, as_text=True)
    return Written(item.table, item.path.name, rows, plan, note)


def write_csv(con, item: TableFile, target: Path, scratch: Path) -> Written:
    """UTF-8 (with or without a byte-order mark) as it is; a file that is not UTF-8 anywhere in it,
    as Windows-1252 (what Excel and SQL Server write on English Windows)."""
    try:
        return _write_csv(con, item, item.path, target, "")
    except duckdb.Error as exc:
        if "invalid unicode" not in str(exc).lower():
            raise Unreadable(f"the file cannot be read as CSV ({_first_line(exc)})") from None
    converted = to_utf8(item.path, scratch)
    try:
        return _write_csv(con, item, converted, target, "read as Windows-1252 (not UTF-8)")
    except duckdb.Error as exc:
        raise Unreadable(f"the file cannot be read as CSV ({_first_line(exc)})") from None
    finally:
        converted.unlink(missing_ok=True)


def write_xlsx(con, item: TableFile, target: Path) -> Written:
    """The first sheet of a workbook (Excel holds at most a million rows, so it fits in memory)."""
    try:
        frame = pd.read_excel(item.path, sheet_name=0, dtype=str, keep_default_na=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise Unreadable(f"the workbook cannot be read ({type(exc).__name__}: {_first_line(exc)})") from None
    frame.columns = [str(c) for c in frame.columns]
    frame = frame.replace({n: None for n in NULL_TEXT})
    plan = plan_columns(item.table, list(frame.columns))
    con.register("sheet", frame)
    try:
        rows = copy_columns(con, "sheet", plan, target, as_text=True)
    finally:
        con.unregister("sheet")
    return Written(item.table, item.path.name, rows, plan, "first sheet read")


def write_parquet(con, item: TableFile, target: Path) -> Written:
    source = f"read_parquet({quote_literal(str(item.path))})"
    try:
        plan = plan_columns(item.table, _columns(con, source))
        rows = copy_columns(con, source, plan, target, as_text=False)
    except duckdb.Error as exc:
        raise Unreadable(f"the file cannot be read as Parquet ({_first_line(exc)})") from None
    return Written(item.table, item.path.name, rows, plan)


def write_table(con, item: TableFile, staging: Path, scratch: Path) -> Written:
    """Write one source file as its contract table's Parquet in the staging folder."""
    target = staging / f"{item.table}.parquet"
    suffix = item.path.suffix.lower()
    try:
        if suffix == ".csv":
            return write_csv(con, item, target, scratch)
        if suffix == ".xlsx":
            return write_xlsx(con, item, target)
        return write_parquet(con, item, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
