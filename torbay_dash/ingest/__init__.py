"""Real extracts in: an SSD export (folder, zip or database) or an SSDA903 return, to a snapshot.

Every source goes the same way: read the contract's tables by name (names in any case,
columns in any order), drop identifying columns, write Parquet into a staging folder and
let the store validate and publish it (store.Store.commit). A table that fails is
quarantined by the store; nothing else is changed.
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from ..store import SOURCE_PROBLEMS, DataError, Snapshot, Store
from ..validation import Problem
from . import database, files
from .files import Unreadable, Written

SSD, SSDA903 = "ssd", "ssda903"
FORMATS = (SSD, SSDA903)


class IngestError(DataError):
    """Nothing could be published from the source; the message says why (exit status 2)."""


@dataclass
class IngestResult:
    snapshot: Snapshot                  # published (under snapshots/), held (held/) or rejected (rejected/)
    format: str                         # SSD or SSDA903
    source: str                         # what was read, with any password taken out of a URL
    tables: dict[str, int]              # contract table -> rows read
    dropped: dict[str, list[str]] = field(default_factory=dict)  # identifying columns dropped, per table
    extra: dict[str, list[str]] = field(default_factory=dict)    # other columns ignored, per table
    ignored: list[str] = field(default_factory=list)             # files or source tables not in the contract
    notes: list[Problem] = field(default_factory=list)           # problems of the source itself (e.g. 903 codes)
    read_notes: dict[str, str] = field(default_factory=dict)     # table -> how it was read ("read as Windows-1252")

    @property
    def status(self) -> str:
        """'published', 'held' (awaiting an analyst's confirmation) or 'rejected'."""
        parent = self.snapshot.path.parent.name
        return {"snapshots": "published", "held": "held"}.get(parent, "rejected")


Progress = Callable[[str, float], None]


def _no_progress(message: str, fraction: float) -> None:
    pass


@dataclass
class _Read:
    """What a reader put in the staging folder."""
    written: list[Written] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dropped: dict[str, list[str]] = field(default_factory=dict)


SSDA903_MARKERS = {"header.csv", "episodes.csv"}  # every 903 return has these two files


def looks_like_ssda903(folder: Path) -> bool:
    return SSDA903_MARKERS <= {p.name.lower() for p in folder.iterdir() if p.is_file()}


def detect(folder: Path) -> str:
    """SSDA903 when the folder holds a 903 return's header and episodes, SSD when it holds contract tables."""
    if looks_like_ssda903(folder):
        return SSDA903
    found, _, doubled = files.table_files(folder)
    if found or doubled:
        return SSD
    raise IngestError(f"{folder} holds no file named after a table of the data contract (ssd_person.csv, "
                      "ssd_contacts.csv, hr_staff.xlsx, qa_audits.parquet, ...) and no SSDA903 return "
                      "(header.csv, episodes.csv, ...)")


def _unreadable(file: str, table: str, why: str) -> Problem:
    return Problem("error", file, table, None, f"{why}; the table is left out of the figures")


def _read_ssd_folder(folder: Path, staging: Path, scratch: Path, progress: Progress) -> _Read:
    found, ignored, doubled = files.table_files(folder)
    read = _Read(ignored=ignored)
    read.problems += [_unreadable(table, table, why) for table, why in doubled]
    sizes = {item.table: max(item.path.stat().st_size, 1) for item in found}
    total, done = sum(sizes.values()) or 1, 0
    con = files.connect(scratch)
    try:
        for item in found:
            progress(f"reading {item.path.name}", done / total)
            try:
                read.written.append(files.write_table(con, item, staging, scratch))
            except Unreadable as exc:
                read.problems.append(_unreadable(item.path.name, item.table, str(exc)))
            done += sizes[item.table]
    finally:
        con.close()
    return read


def _read_database(url: str, staging: Path, progress: Progress) -> _Read:
    engine, names = database.open_database(url)
    try:
        found, ignored = database.contract_tables(names)
        if not found:
            raise IngestError(f"the database {database.safe_label(url)} holds no table named after the data "
                              f"contract (ssd_person, ssd_contacts, ...); it has {len(names)} other table(s)")
        read = _Read(ignored=ignored)
        for i, (table, name) in enumerate(found.items()):
            progress(f"reading table {name}", i / len(found))
            try:
                read.written.append(database.write_db_table(engine, table, name, staging))
            except Unreadable as exc:
                read.problems.append(_unreadable(name, table, str(exc)))
        return read
    finally:
        engine.dispose()


def _read_ssda903(folder: Path, as_at: dt.date, staging: Path, scratch: Path, progress: Progress) -> _Read:
    from .columns import plan_columns
    from .ssda903 import read_ssda903
    progress("reading the SSDA903 return", 0.0)
    returned = read_ssda903(folder, as_at)
    read = _Read(ignored=list(returned.ignored), problems=list(returned.problems), dropped=dict(returned.dropped))
    con = files.connect(scratch)
    try:
        for i, (table, frame) in enumerate(returned.tables.items()):
            progress(f"writing {table}", 0.5 + 0.5 * i / max(len(returned.tables), 1))
            plan = plan_columns(table, [str(c) for c in frame.columns])
            con.register("mapped", frame)
            try:
                rows = files.copy_columns(con, "mapped", plan, staging / f"{table}.parquet", as_text=True)
            finally:
                con.unregister("mapped")
            read.written.append(Written(table, f"{table} (from the 903 return)", rows, plan))
    finally:
        con.close()
    return read


def ingest(source: str | Path, as_at: dt.date, root: str | Path | None = None, fmt: str | None = None,
           progress: Progress | None = None) -> IngestResult:
    """Read `source`, publish it as the snapshot of `as_at` under `root`; IngestError if nothing could be read.

    The store validates what was written and decides: published, held for an analyst (a
    replacement that would lose tables or rows) or rejected. No other snapshot changes.
    """
    progress = progress or _no_progress
    if fmt is not None and fmt not in FORMATS:
        raise IngestError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if as_at > dt.date.today():
        raise IngestError(f"--as-at {as_at} is after today: an extract cannot be taken in the future")
    source_text = str(source)
    is_url = database.is_database_url(source_text)
    label = database.safe_label(source_text) if is_url else str(Path(source_text).resolve())
    if is_url and fmt == SSDA903:
        raise IngestError("an SSDA903 return is a folder of CSV files, not a database")
    path = None if is_url else Path(source_text)
    if path is not None and not path.exists():
        raise IngestError(f"{source_text} does not exist")
    store = Store(root)
    with tempfile.TemporaryDirectory(prefix="torbay-ingest-") as scratch_name:
        scratch = Path(scratch_name)
        try:
            if path is not None and path.is_file():
                if path.suffix.lower() != ".zip":
                    raise IngestError(f"{path.name} is a single file: give the folder or .zip holding the "
                                      "extract's tables, or a database URL")
                progress(f"unzipping {path.name}", 0.0)
                path = files.unzip(path, Path(tempfile.mkdtemp(dir=scratch)))
            fmt = SSD if is_url else (fmt or detect(path))
            staging = store.begin(as_at)
            try:
                if is_url:
                    read = _read_database(source_text, staging, progress)
                elif fmt == SSDA903:
                    read = _read_ssda903(path, as_at, staging, scratch, progress)
                else:
                    read = _read_ssd_folder(path, staging, scratch, progress)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        except Unreadable as exc:
            raise IngestError(str(exc)) from None
        if not read.written and not read.problems:
            shutil.rmtree(staging, ignore_errors=True)
            raise IngestError(f"{label} holds no table of the data contract")
        dropped = dict(read.dropped)
        for w in read.written:
            if w.plan.dropped:
                dropped.setdefault(w.file, []).extend(w.plan.dropped)
        extra = {w.table: w.plan.extra for w in read.written if w.plan.extra}
        notes = read.problems + [Problem("warning", w.file, w.table, c, "appears twice in the source (any case); "
                                         "the first one was read") for w in read.written for c in w.plan.repeated]
        manifest = {"source": label, "format": fmt, "ingested_by": "python -m torbay_dash ingest",
                    "identifying_columns_dropped": dropped, "extra_columns_ignored": extra,
                    "files_ignored": read.ignored, SOURCE_PROBLEMS: [asdict(p) for p in notes]}
        progress("validating", 0.95)
        snapshot = store.commit(staging, as_at, manifest)
        progress("done", 1.0)
    return IngestResult(snapshot, fmt, label, {w.table: w.rows for w in read.written}, dropped, extra,
                        read.ignored, notes, {w.table: w.note for w in read.written if w.note})
