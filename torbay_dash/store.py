"""The snapshot catalogue: list snapshots, keep their verdicts, publish atomically, pick the latest good one.

A data root holds ``snapshots/<YYYY-MM-DD>/<table>.parquet`` plus ``manifest.json``. Each
table's form and content is checked by validation.py, its verdict cached in
``validation.json`` against a hash of the file's bytes; here each snapshot is also compared
with the one before (a table that collapsed is quarantined). Indicators needing a
quarantined table say unavailable, with the reason, and the rest is served. A snapshot is
refused only when nothing usable is left, and the app and CLI serve the latest usable one
dated no later than today, so a bad extract never replaces a good one.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import contract
from .validation import (FOLDER, VALIDATOR_VERSION, Problem, ValidationReport, content_fingerprint, inside,
                         quarantined_tables, servable, table_files, validate_folder)

DATA_ROOT_ENV = "TORBAY_DASH_DATA"
REPO_DATA_ROOT = Path(__file__).resolve().parents[1] / "data"
SNAPSHOT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MANIFEST = "manifest.json"
VALIDATION = "validation.json"
HELD = "held"          # <root>/held/<date>-<id>/: a replacement that lost tables or rows, awaiting an analyst
REJECTED = "rejected"  # <root>/rejected/<date>-<id>/: an extract refused outright, kept for inspection
HELD_REASONS = "held.json"
SOURCE_PROBLEMS = "source_problems"  # manifest key: Problem dicts found by ingest in the source
# A table that held rows in the previous snapshot and now holds none, or that held at least
# MANY_ROWS and now fewer than COLLAPSE_SHARE of them, is quarantined: the tables hold history,
# so an extract that lost rows is not a real fall.
MANY_ROWS = 20
COLLAPSE_SHARE = 0.5
STALE_STAGING_SECONDS = 3600  # a staging folder untouched this long belongs to a writer that died
HOW_TO_LOAD = ("build the demo data with `python -m torbay_dash demo`, or put a snapshot folder of "
               "Parquet tables at <data root>/snapshots/<YYYY-MM-DD>/ (see README, 'Data layout')")


class DataError(Exception):
    """Data that cannot be used, with a message a person can act on."""



@dataclass
class Snapshot:
    """One extract: its validated content, plus what was found against the calendar and the snapshot before it."""
    as_at: dt.date
    path: Path
    manifest: dict
    report: ValidationReport
    compared: list[Problem] = field(default_factory=list)  # found against other snapshots or today; not cached
    held_because: list[str] = field(default_factory=list)   # why publish held it for an analyst to confirm
    from_source: list[Problem] = field(default_factory=list)  # found by ingest in the source (manifest)

    @property
    def id(self) -> str:
        return self.as_at.isoformat()

    @property
    def problems(self) -> list[Problem]:
        return self.report.problems + self.from_source + self.compared

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def quarantined(self) -> dict[str, str]:
        """Tables held back from the figures, each with its reason."""
        return quarantined_tables(self.problems)

    @property
    def tables(self) -> list[str]:
        """The tables served: read, and not quarantined."""
        quarantined = self.quarantined
        return sorted(t for t in self.report.tables if t not in quarantined)

    @property
    def usable(self) -> bool:
        """Something can be served and nothing is wrong with the snapshot as a whole."""
        return servable(self.report.tables, self.problems)

    @property
    def reasons(self) -> list[str]:
        """Why it is not served, or what is held back from it, in words."""
        found = [str(p) for p in self.errors]
        if not self.usable and not any(p.table == FOLDER for p in self.errors):
            found.append("no table can be served: every one is missing, unreadable or quarantined")
        return found

    @property
    def synthetic(self) -> bool:
        return bool(self.manifest.get("synthetic", False))

    @property
    def key(self) -> str:
        """Changes whenever the content or the tables served change: what caches of its figures key on."""
        return str(sorted(self.report.fingerprint.items())) + "|" + ",".join(self.tables)

    def table_path(self, table: str) -> Path:
        return self.path / f"{table}.parquet"


@dataclass
class Refusal:
    """An extract, or an entry of the snapshots folder, that is not served, and why."""
    what: str
    as_at: dt.date | None
    reasons: list[str]


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



def _read_json(path: Path) -> dict:
    """A JSON object from a file, or {} when it is missing, unreadable or not an object."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}



def load_snapshot(folder: Path, *, cache: bool = True, as_at: dt.date | None = None,
                  root: Path | None = None) -> Snapshot:
    """A snapshot folder with its validation, reusing validation.json while the files' content is unchanged.

    The as-at date is the folder's name, else its manifest's `as_at`, else today.
    """
    folder = Path(folder)
    manifest = _read_json(folder / MANIFEST)
    if as_at is None:
        try:
            as_at = dt.date.fromisoformat(folder.name if SNAPSHOT_NAME.match(folder.name)
                                          else str(manifest.get("as_at")))
        except ValueError:
            as_at = dt.date.today()
    root = root or folder
    files, _ = table_files(folder, root)
    try:
        current = (VALIDATOR_VERSION, contract.SCHEMA_VERSION, content_fingerprint(files))
    except OSError:
        current = None
    report = None
    cached = _read_json(folder / VALIDATION) if cache else {}
    seen = (cached.get("validator"), cached.get("schema_version"), cached.get("fingerprint"))
    if current and cached and seen == current:
        try:
            report = ValidationReport.from_json(cached)
        except (KeyError, TypeError):
            report = None
    if report is None:
        report = validate_folder(folder, as_at, root)
        if cache:
            try:
                partial = folder / f".{VALIDATION}.{uuid.uuid4().hex[:8]}"
                partial.write_text(json.dumps(report.to_json(), indent=1))
                os.replace(partial, folder / VALIDATION)
            except OSError:
                pass  # a read-only data root still validates, just every time
    snapshot = Snapshot(as_at, folder, manifest, report, from_source=source_problems(manifest))
    if (folder / MANIFEST).exists() and not manifest:
        snapshot.compared.append(Problem("warning", MANIFEST, FOLDER, None,
                                         "is not a JSON object; ignored (so the snapshot's source, and whether it "
                                         "is synthetic, are not known)"))
    return snapshot


def source_problems(manifest: dict) -> list[Problem]:
    """What ingest found in the source (a table that could not be read, codes outside the 903's lists),
    as written in the manifest: an error about a table quarantines it, with its reason."""
    found = manifest.get(SOURCE_PROBLEMS)
    if not isinstance(found, list):
        return []
    problems = []
    for item in found:
        try:
            problem = Problem(**item)
        except TypeError:
            continue
        if isinstance(problem.message, str) and problem.severity in ("error", "warning"):
            problems.append(problem)
    return problems


def _compare(snapshot: Snapshot, last_rows: dict[str, tuple[int, str]]) -> list[Problem]:
    """Tables that collapsed against the last snapshot serving them: lost rows are not a real fall."""
    problems = []
    for table, n in snapshot.report.tables.items():
        before = last_rows.get(table)
        if table in snapshot.quarantined or before is None:
            continue
        n_before, before_id = before
        if (n == 0 < n_before) or (n_before >= MANY_ROWS and n < n_before * COLLAPSE_SHARE):
            held = "holds no rows" if n == 0 else f"holds {n} rows"
            problems.append(Problem("error", f"{table}.parquet", table, None,
                                    f"{held} where snapshot {before_id} held {n_before}: an extract that lost "
                                    "rows, not a real fall, so its figures are not shown"))
    return problems


def _losses(current: Snapshot, new: Snapshot) -> list[str]:
    """What a replacement would lose against the snapshot it replaces: tables served, or rows."""
    lost = []
    for table in current.tables:
        if table not in new.report.tables:
            lost.append(f"table {table} is served now but absent from the new extract")
        elif table in new.quarantined:
            lost.append(f"table {table} is served now but quarantined in the new extract: {new.quarantined[table]}")
        elif new.report.tables[table] < current.report.tables[table]:
            lost.append(f"table {table} has {new.report.tables[table]} rows against {current.report.tables[table]} now")
    return lost


class Store:
    """The snapshots under one data root."""

    def __init__(self, root: str | os.PathLike | None = None):
        self.root = data_root(root)
        self.snapshots_dir = self.root / "snapshots"

    def _entries(self) -> tuple[list[tuple[Path, dt.date]], list[Refusal]]:
        """Snapshot folders with their dates, and the entries that are not snapshots, with why."""
        found, ignored = [], []
        try:
            entries = sorted(self.snapshots_dir.iterdir())
        except OSError:
            return [], []
        for entry in entries:
            if entry.name.startswith("."):
                continue  # a writer's staging or a retired snapshot
            what = f"snapshots/{entry.name}"
            try:
                as_at = dt.date.fromisoformat(entry.name) if SNAPSHOT_NAME.match(entry.name) else None
            except ValueError:
                ignored.append(Refusal(what, None, ["the folder's name is not a real date (YYYY-MM-DD); ignored"]))
                continue
            real, why = inside(entry, self.root)
            if why:
                ignored.append(Refusal(what, as_at, [why]))
            elif as_at is None:
                if real.is_dir():
                    ignored.append(Refusal(what, None, ["the folder's name is not a date (YYYY-MM-DD); ignored"]))
            elif real.is_dir():
                found.append((entry, as_at))
        return found, ignored

    def list(self) -> list[Snapshot]:
        """Every dated snapshot folder, oldest first, each validated and compared with the one before.

        A folder dated after today is listed but never served.
        """
        today = dt.date.today()
        snapshots: list[Snapshot] = []
        last_rows: dict[str, tuple[int, str]] = {}
        for folder, as_at in self._entries()[0]:
            if as_at > today:
                problem = Problem("error", folder.name, FOLDER, None,
                                  f"dated after today ({today}): a snapshot cannot be taken in the future; not served")
                snapshots.append(Snapshot(as_at, folder, {}, ValidationReport({}, [problem])))
                continue
            try:
                snapshot = load_snapshot(folder, as_at=as_at, root=self.root)
            except OSError as exc:
                problem = Problem("error", folder.name, FOLDER, None, f"the folder cannot be read ({exc})")
                snapshots.append(Snapshot(as_at, folder, {}, ValidationReport({}, [problem])))
                continue
            snapshot.compared += _compare(snapshot, last_rows)
            if snapshot.usable:
                last_rows.update({t: (snapshot.report.tables[t], snapshot.id) for t in snapshot.tables})
            snapshots.append(snapshot)
        return snapshots

    def usable(self) -> list[Snapshot]:
        return [s for s in self.list() if s.usable]

    def latest_usable(self) -> Snapshot | None:
        usable = self.usable()
        return usable[-1] if usable else None

    def get(self, as_at: str | dt.date) -> Snapshot:
        """The snapshot of that date, as list() sees it (with what comparison found)."""
        found = next((s for s in self.list() if s.id == str(as_at)), None)
        if found is None:
            raise DataError(f"no snapshot dated {as_at} in {self.snapshots_dir}")
        return found

    def _set_aside(self, kind: str) -> list[Snapshot]:
        """Extracts in held/ or rejected/, newest first."""
        folder = self.root / kind
        if not folder.is_dir():
            return []
        out = []
        for entry in sorted(folder.iterdir(), reverse=True):
            try:
                as_at = dt.date.fromisoformat(entry.name[:10])
            except ValueError:
                continue
            if entry.is_dir() and not entry.is_symlink():
                snapshot = load_snapshot(entry, as_at=as_at, root=self.root)
                reasons = _read_json(entry / HELD_REASONS).get("reasons")
                snapshot.held_because = ([str(r) for r in reasons] if isinstance(reasons, list)
                                         else ["held for confirmation (its reasons could not be read)"])
                out.append(snapshot)
        return out

    def held(self) -> list[Snapshot]:
        """Replacements held back because they would lose tables or rows; an analyst confirms or discards them."""
        return self._set_aside(HELD)

    def refusals(self) -> list[Refusal]:
        """Everything not served, with reasons: refused or future snapshots, held and rejected extracts,
        and entries of the snapshots folder that are not snapshots."""
        out = [Refusal(f"snapshot {s.id}", s.as_at, s.reasons) for s in self.list() if not s.usable]
        out += [Refusal(f"extract for {s.id} held for confirmation ({HELD}/{s.path.name})", s.as_at, s.held_because)
                for s in self.held()]
        out += [Refusal(f"extract for {s.id} rejected ({REJECTED}/{s.path.name})", s.as_at, s.reasons)
                for s in self._set_aside(REJECTED)]
        return out + self._entries()[1]

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

    def _set_aside_as(self, kind: str, staging: Path, as_at: dt.date) -> Path:
        target = self.root / kind / f"{as_at}-{uuid.uuid4().hex[:8]}"
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(target)
        return target

    def commit(self, staging: Path, as_at: dt.date, manifest: dict, replace: bool = False) -> Snapshot:
        """Validate a staged snapshot and swap it in only if it is usable and loses nothing.

        A refused snapshot moves to ``rejected/`` with its report. A replacement for a date
        already served that would lose tables or rows moves to ``held/`` until an analyst
        confirms it (``replace=True``, see confirm). The snapshot it would have replaced stays
        untouched either way.
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
            snapshot = load_snapshot(staging, as_at=as_at, root=self.root)
            if not snapshot.usable:
                rejected = self._set_aside_as(REJECTED, staging, as_at)
                return Snapshot(as_at, rejected, full_manifest, snapshot.report, from_source=snapshot.from_source)
            target = self.snapshots_dir / as_at.isoformat()
            current = next((s for s in self.list() if s.id == as_at.isoformat()), None)
            lost = _losses(current, snapshot) if current is not None and current.usable and not replace else []
            if lost:
                (staging / HELD_REASONS).write_text(json.dumps({"reasons": lost}, indent=1))
                held = self._set_aside_as(HELD, staging, as_at)
                return Snapshot(as_at, held, full_manifest, snapshot.report, held_because=lost,
                                from_source=snapshot.from_source)
            retired = None
            if target.exists():
                retired = self.snapshots_dir / f".retired-{as_at}-{uuid.uuid4().hex[:8]}"
                target.rename(retired)
            staging.rename(target)
            (target / HELD_REASONS).unlink(missing_ok=True)
            if retired:
                shutil.rmtree(retired, ignore_errors=True)
            return self.get(as_at)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)

    def confirm(self, held_name: str) -> Snapshot:
        """Swap in an extract held for confirmation (its name under held/), replacing the snapshot of its date."""
        folder = self.root / HELD / held_name
        if "/" in held_name or held_name.startswith(".") or not folder.is_dir():
            raise DataError(f"no held extract named {held_name!r} in {self.root / HELD}")
        as_at = dt.date.fromisoformat(held_name[:10])
        staging = self.begin(as_at)
        staging.rmdir()
        folder.rename(staging)
        return self.commit(staging, as_at, _read_json(staging / MANIFEST), replace=True)

    def publish(self, as_at: dt.date, tables: dict[str, pd.DataFrame], manifest: dict,
                replace: bool = False) -> Snapshot:
        """Write a snapshot's tables and commit it (see commit)."""
        staging = self.begin(as_at)
        try:
            for name, frame in tables.items():
                frame.to_parquet(staging / f"{name}.parquet", index=False)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return self.commit(staging, as_at, manifest, replace)


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
        if snapshot.as_at > dt.date.today():
            raise DataError(f"{root} is dated {snapshot.as_at}, after today: a snapshot cannot be taken in the future")
    else:
        raise DataError(f"{root} holds no snapshots yet (no snapshots/ folder and no Parquet tables); "
                        f"{HOW_TO_LOAD}")
    if not snapshot.usable:
        reasons = "; ".join(snapshot.reasons[:3])
        raise DataError(f"snapshot {snapshot.path} is not usable: {reasons}")
    return snapshot
