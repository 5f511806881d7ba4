"""Write the demo data: simulate in Torbay-sized chunks, cut a snapshot at each date, publish atomically."""
from __future__ import annotations

import datetime as dt
import math
import shutil
import time
from pathlib import Path
from typing import Callable

import pandas as pd
import pyarrow.parquet as pq

from .. import access
from ..periods import month_end, weeks
from ..store import Snapshot, Store
from . import cut, migration
from .context import SynthConfig, SynthContext, day
from .simulate import simulate_chunk

GENERATOR_VERSION = 1
Progress = Callable[[str], None]


def snapshot_dates(config: SynthConfig, which: str = "monthly") -> list[dt.date]:
    """Month ends from the first to the last snapshot, or only the last; 'weekly': every 7 days back from the
    last snapshot to the first (a council that loads weekly; the demo default stays monthly)."""
    if which == "latest":
        return [config.last_snapshot]
    if which == "weekly":
        return [w.end for w in weeks(config.first_snapshot - dt.timedelta(days=6), config.last_snapshot)]
    if which != "monthly":
        raise ValueError(f"snapshots must be 'monthly', 'weekly' or 'latest', not {which!r}")
    dates, cursor = [], month_end(config.first_snapshot)
    while cursor <= config.last_snapshot:
        dates.append(cursor)
        cursor = month_end(cursor + dt.timedelta(days=1))
    return dates


def _merge_parts(folder: Path) -> None:
    """Join each table's chunk files into one Parquet file, one part in memory at a time."""
    parts: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*.part*.parquet")):
        parts.setdefault(path.name.split(".part")[0], []).append(path)
    for table, paths in parts.items():
        target = folder / f"{table}.parquet"
        if len(paths) == 1:
            paths[0].rename(target)
            continue
        schema = pq.read_schema(paths[0])
        with pq.ParquetWriter(target, schema) as writer:
            for path in paths:
                writer.write_table(pq.read_table(path))
                path.unlink()


def generate(root: str | Path | None = None, seed: int = 42, scale: float = 1.0, snapshots: str = "monthly",
             progress: Progress | None = None, config: SynthConfig | None = None) -> list[Snapshot]:
    """Simulate the demo authority and publish its snapshots under `root`; returns them in date order."""
    say = progress or (lambda message: None)
    config = config or SynthConfig(seed=seed, scale=scale)
    if config.scale <= 0:
        raise ValueError("scale must be positive")
    dates = snapshot_dates(config, snapshots)
    store = Store(root)
    n_chunks = max(1, math.ceil(config.scale))
    chunk_scale = config.scale / n_chunks
    staging = {d: store.begin(d) for d in dates}
    defects: dict[dt.date, dict[str, dict[str, int]]] = {d: {} for d in dates}
    migration_report: dict[str, int] = {}
    started = time.perf_counter()
    try:
        for chunk in range(n_chunks):
            ctx = SynthContext(config, chunk, chunk_scale)
            truth = {name: cut.normalise(name, frame) for name, frame in simulate_chunk(config, chunk, chunk_scale).items()}
            cut.add_recording_lags(ctx, truth)
            cut.inject_defects(ctx, truth)
            for as_at in dates:
                tables = {name: cut.cut_table(name, frame, day(as_at)) for name, frame in truth.items()}
                if as_at == config.migration_date:
                    for kind, n in migration.apply(ctx, tables, pd.Timestamp(as_at)).items():
                        migration_report[kind] = migration_report.get(kind, 0) + n
                for name, frame in tables.items():
                    for kind, n in cut.defects_seen(name, frame).items():
                        seen = defects[as_at].setdefault(name, {})
                        seen[kind] = seen.get(kind, 0) + n
                    pq.write_table(cut.to_arrow(name, frame), staging[as_at] / f"{name}.part{chunk:05d}.parquet")
            say(f"simulated chunk {chunk + 1} of {n_chunks} and cut {len(dates)} snapshot(s) "
                f"({time.perf_counter() - started:.1f} s)")
        published = []
        for as_at in dates:
            _merge_parts(staging[as_at])
            manifest = {"source": "synthetic demo data (torbay_dash.synth)", "synthetic": True,
                        "generator": {"version": GENERATOR_VERSION, "seed": config.seed, "scale": config.scale},
                        "injected_defects": defects[as_at]}
            if as_at == config.migration_date and migration_report:
                manifest["migration_defect"] = migration_report
            # Demo data replaces demo data freely; a real extract of the same date is never replaced by it.
            current = next((s for s in store.list() if s.as_at == as_at), None)
            if current is not None and not current.synthetic:
                raise RuntimeError(f"generated snapshot {as_at} was not published: {current.path} holds "
                                   "a real extract of that date, which demo data never replaces")
            snapshot = store.commit(staging[as_at], as_at, manifest, replace=True)
            if snapshot.path.parent != store.snapshots_dir:
                raise RuntimeError(f"generated snapshot {as_at} was not published: "
                                   + "; ".join(snapshot.reasons[:3]))
            published.append(snapshot)
            say(f"published snapshot {as_at} ({len(published)} of {len(dates)})")
        say(f"published {len(published)} snapshot(s) in {time.perf_counter() - started:.1f} s")
        access.write_demo_file(store.root)  # demo mode (no sign-in, 'view as'), unless the root has its own list
        return published
    finally:
        for folder in staging.values():
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
