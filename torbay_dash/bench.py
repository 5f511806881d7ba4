"""Benchmarks: time the demo generator and the indicators, print timings and ratios (never asserted in tests)."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import indicators
from .bench_screens import bench_store
from .compute import compute_many
from .db import SnapshotDB
from .periods import Period, months
from .settings import load_settings
from .store import Store
from .validation import validate_folder
from .synth import generate


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def _generate_in_child(scale: float) -> tuple[float, float]:
    """Generate in a fresh process so its peak memory is its own: (seconds, peak MiB)."""
    code = ("import resource, sys, tempfile, time; from torbay_dash.synth import generate\n"
            "start = time.perf_counter()\n"
            "with tempfile.TemporaryDirectory() as root:\n"
            f"    generate(root, scale={scale!r}, snapshots='latest')\n"
            "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    seconds, peak = out.split()
    return float(seconds), float(peak)


def _in_child(code: str) -> tuple[float, float]:
    """Run Python code in a fresh process: (seconds, that process's peak RSS in MiB)."""
    code += "\nimport resource\nprint('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "child failed")
    peak = float(done.stdout.strip().splitlines()[-1].split()[1])
    return seconds, peak


def _csv_extract(scale: float, folder: Path) -> tuple[int, int]:
    """The demo's latest snapshot at a scale, exported as one CSV per table: (rows, bytes)."""
    code = ("import duckdb, pathlib, tempfile; from torbay_dash.synth import generate\n"
            "with tempfile.TemporaryDirectory() as root:\n"
            f"    snap = generate(root, scale={scale!r}, snapshots='latest')[-1]\n"
            "    con = duckdb.connect()\n"
            "    for f in snap.path.glob('*.parquet'):\n"
            f"        con.execute(f\"COPY (SELECT * FROM read_parquet('{{f}}')) TO "
            f"'{folder}/{{f.stem}}.csv' (HEADER)\")\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    files = list(folder.glob("*.csv"))
    rows = sum(max(sum(1 for _ in open(f, "rb")) - 1, 0) for f in files)
    return rows, sum(f.stat().st_size for f in files)


def bench_ingest(scales: list[float]) -> None:
    """Ingest of a CSV folder against reading the same files with pandas alone, each in its own process.

    Peak memory is each process's own (DuckDB's memory limit and spilling keep ingest's bounded).
    """
    if not scales:
        return
    print("\nIngest of the demo's latest snapshot exported as CSV (each run in its own process)")
    print(f"{'scale':>6} {'rows':>12} {'MB':>8} {'ingest s':>9} {'rows/s':>10} {'peak MiB':>9} "
          f"{'pandas s':>9} {'pandas MiB':>11} {'ingest/pandas':>14}")
    for scale in sorted(scales):
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            (work / "csv").mkdir()
            rows, size = _csv_extract(scale, work / "csv")
            ingest_s, ingest_peak = _in_child(
                "from torbay_dash.cli import main\n"
                f"assert main(['ingest', '{work / 'csv'}', '--as-at', '2021-07-31', '--data', '{work / 'data'}']) == 0")
            pandas_s, pandas_peak = _in_child(
                "import pandas as pd, pathlib\n"
                f"for f in sorted(pathlib.Path('{work / 'csv'}').glob('*.csv')):\n"
                "    pd.read_csv(f, dtype=str, keep_default_na=False)")
            print(f"{scale:>6g} {rows:>12,} {size / 1e6:>8.0f} {ingest_s:>9.1f} {rows / ingest_s:>10,.0f} "
                  f"{ingest_peak:>9.0f} {pandas_s:>9.1f} {pandas_peak:>11.0f} {ingest_s / pandas_s:>14.2f}")
    print("  ingest = read, drop identifying columns, write Parquet, validate and publish; "
          "pandas = only read the files into memory")


def run(scales: list[float], monthly: bool = False, ingest_scales: list[float] = (),
        store_scales: list[float] = ()) -> None:
    print("Demo generator, latest snapshot only (each run in its own process)")
    print(f"{'scale':>8} {'seconds':>9} {'s per unit scale':>17} {'peak RSS MiB':>13}")
    base = None
    for scale in scales:
        seconds, peak = _generate_in_child(scale)
        per_unit = seconds / scale
        base = base or per_unit
        print(f"{scale:>8g} {seconds:>9.2f} {per_unit:>17.2f} {peak:>13.0f}   ratio to first: {per_unit / base:.2f}")
    with tempfile.TemporaryDirectory() as root:
        if monthly:
            snapshots, seconds = _timed(lambda: generate(root, scale=1, snapshots="monthly"))
            print(f"\nAll {len(snapshots)} monthly snapshots at scale 1: {seconds:.2f} s "
                  f"({seconds / len(snapshots):.2f} s per snapshot; target under 30 s in all)")
        else:
            snapshots = generate(root, scale=1, snapshots="latest")
        latest = snapshots[-1]
        _, validating = _timed(lambda: validate_folder(latest.path, latest.as_at))
        listed, listing = _timed(lambda: Store(root).list())
        print(f"\nValidation of the scale-1 snapshot ({len(latest.tables)} tables, form and content): "
              f"{validating * 1000:.0f} ms; listing {len(listed)} snapshot(s) from cached verdicts: "
              f"{listing * 1000:.0f} ms")
        db = SnapshotDB(latest)
        settings = load_settings()
        ids = list(indicators.REGISTRY)
        as_at = snapshots[-1].as_at
        one = [Period(dt.date(as_at.year - 1, as_at.month, 1), as_at)]
        series = months(dt.date(2019, 4, 1), as_at)
        _, single = _timed(lambda: compute_many(db, ids, one, settings))
        _, monthly_series = _timed(lambda: compute_many(db, ids, series, settings))
        _, by_team = _timed(lambda: compute_many(db, ids, one, settings, by_team=True))
        print(f"\nIndicators on the scale-1 snapshot ({len(ids)} indicators)")
        print(f"  one period:              {single * 1000:8.0f} ms")
        print(f"  {len(series)} monthly periods:      {monthly_series * 1000:8.0f} ms "
              f"(ratio to one period: {monthly_series / single:.1f})")
        print(f"  one period by team:      {by_team * 1000:8.0f} ms")
        from . import headlines, report
        _, overview = _timed(lambda: headlines.headlines(db, settings, ids, as_at))
        built, report_build = _timed(lambda: report.build(db, settings))
        _, report_html = _timed(lambda: report.to_html(built))
        _, report_pdf = _timed(lambda: report.to_pdf(built))
        print(f"\nLeadership overview and report ({len(ids)} indicators, 36 months each, SPC)")
        print(f"  headlines:               {overview * 1000:8.0f} ms (ratio to one period: {overview / single:.1f})")
        print(f"  highlight report build:  {report_build * 1000:8.0f} ms")
        print(f"  report as HTML (charts): {report_html * 1000:8.0f} ms")
        print(f"  report as PDF (reusing): {report_pdf * 1000:8.0f} ms")
    bench_ingest(list(ingest_scales))
    bench_store(list(store_scales))
