"""Benchmarks: time the demo generator and the indicators, print timings and ratios (never asserted in tests)."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import time

from . import indicators
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


def run(scales: list[float], monthly: bool = False) -> None:
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
