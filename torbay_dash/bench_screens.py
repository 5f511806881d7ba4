"""The indicator store in the performance record: its build at each scale, and every screen's questions
answered from it and live, side by side (each scale in fresh processes, so each peak memory is its own).

Printed as Markdown tables for the README's "Performance" section; never asserted in tests.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCREENS = ("Overview: every headline tile (49 indicators, 36 months, SPC, benchmarks)",
           "Overview: a team switch (the same for one team)",
           "Overview: a service",
           "Area page: team bars (every indicator by team, last 12 months)",
           "Highlight report (every priority)",
           "Team page: the busiest team beside its service and the authority",
           "Team page: the busiest team's children now (every list)",
           "Overview: teams at a glance (every team's lists)",
           "Team page: the busiest team's staff",
           "Practice Week pack for the busiest team (managers')")


def machine() -> str:
    """The machine in one line: cores, memory, Python."""
    try:
        kib = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        memory = "unknown memory"
    return f"{os.cpu_count()} cores, {memory}, Python {sys.version.split()[0]}"


def _child(code: str, timeout: float | None = None) -> tuple[float, float, str]:
    """Run Python code in a fresh process: (seconds, its peak RSS in MiB, its stdout)."""
    code += "\nimport resource\nprint('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "child failed")
    lines = done.stdout.strip().splitlines()
    return seconds, float(lines[-1].split()[1]), "\n".join(lines[:-1])


def screen_timings(root: str) -> dict:
    """Each screen's questions on the latest snapshot under `root`, from the store and live: seconds."""
    from . import benchmarks, figures, headlines, indicators, practice_week, report, staff, team_children, team_profile
    from .compute import Scope, compute_many
    from .db import SnapshotDB
    from .periods import preset_period
    from .settings import load_settings
    from .store import Store

    snapshot = Store(root).latest_usable()
    settings = load_settings(root)
    benchmarks.preload()  # read once per process by the app: not part of any screen
    stored, live = SnapshotDB(snapshot), SnapshotDB(snapshot)
    started = time.perf_counter()
    loaded = figures.load_into(stored, settings)
    opened = time.perf_counter() - started
    if loaded is None:  # not built yet, or by other code: build it (not timed here)
        loaded = figures.ensure(stored, settings)
    teams = stored.query("SELECT dept_team_id AS team, dept_team_parent_id AS service FROM ssd_department")
    team = teams["team"].iloc[0]
    service = tuple(sorted(teams[teams["service"] == teams["service"].iloc[0]]["team"]))
    busiest = stored.query("SELECT team FROM allocations WHERE end_date IS NULL GROUP BY team "
                           "ORDER BY count(*) DESC, team LIMIT 1")["team"].iloc[0]
    busiest_service = tuple(sorted(stored.query(
        "SELECT d.dept_team_id AS team FROM ssd_department AS d JOIN ssd_department AS b "
        "ON b.dept_team_parent_id = d.dept_team_parent_id WHERE b.dept_team_id = $team", {"team": busiest})["team"]))
    department = stored.query("SELECT dept_team_id AS team_id, dept_team_name AS team_name, "
                              "dept_team_parent_id AS service_id, dept_team_parent_name AS service_name "
                              "FROM ssd_department")
    ids = list(indicators.REGISTRY)
    year = preset_period("Last 12 months", snapshot.as_at)
    questions = [
        lambda db: headlines.headlines(db, settings, ids),
        lambda db: headlines.headlines(db, settings, ids, teams=[team]),
        lambda db: headlines.headlines(db, settings, ids, teams=list(service)),
        lambda db: compute_many(db, ids, [year], settings, by_team=True, scope=Scope()),
        lambda db: report.build(db, settings),
        lambda db: team_profile.compare(db, settings, snapshot.as_at, (busiest,), busiest_service),
        lambda db: team_children.children_now(db, snapshot.as_at, settings, Scope((busiest,))),
        lambda db: team_children.children_now(db, snapshot.as_at, settings),
        lambda db: staff.team_staff(db, snapshot.as_at, settings, Scope((busiest,))),
        lambda db: practice_week.build(db, settings, snapshot.as_at, Scope((busiest,)), busiest, "managers",
                                       1, department),
    ]
    timings = {}
    for name, question in zip(SCREENS, questions):
        timings[name] = {}
        for source, db in (("store", stored), ("live", live)):
            started = time.perf_counter()
            question(db)
            timings[name][source] = time.perf_counter() - started
    rows = sum(_rows(snapshot.table_path(t)) for t in snapshot.tables)
    return {"rows": rows, "open_store": opened, "store_rows": loaded.rows, "screens": timings}


def _rows(path: Path) -> int:
    import pyarrow.parquet as pq
    return pq.ParquetFile(path).metadata.num_rows


def bench_store(scales: list[float], reference: bool = True) -> None:
    """For each scale: generate the latest snapshot, build its store, time the screens and the pandas reference."""
    if not scales:
        return
    print(f"\nIndicator store and screens ({machine()}; each step in its own process)\n")
    builds, screens, references = [], [], []
    for scale in sorted(scales):
        with tempfile.TemporaryDirectory() as root:
            generated, _, _ = _child("from torbay_dash.synth import generate\n"
                                     f"generate({root!r}, scale={scale!r}, snapshots='latest')")
            build_s, build_peak, out = _child(
                "import time\nfrom torbay_dash import figures\nfrom torbay_dash.db import SnapshotDB\n"
                "from torbay_dash.settings import load_settings\nfrom torbay_dash.store import Store\n"
                f"db = SnapshotDB(Store({root!r}).latest_usable())\nstarted = time.perf_counter()\n"
                f"store = figures.ensure(db, load_settings({root!r}))\n"
                "print('BUILT', time.perf_counter() - started, store.rows)")
            _, seconds, rows = out.split()
            _, _, timed = _child(f"import json\nfrom torbay_dash.bench_screens import screen_timings\n"
                                 f"print(json.dumps(screen_timings({root!r})))")
            timed = json.loads(timed)
            builds.append((scale, timed["rows"], generated, float(seconds), int(rows), build_peak, timed["open_store"]))
            screens.append((scale, timed["screens"]))
            if reference:
                references.append((scale, _reference(root)))
    print("| Scale | Snapshot rows | Generate s | Store build s | Store rows | Build peak MiB | Open store s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for scale, rows, generated, seconds, stored, peak, opened in builds:
        print(f"| {scale:g} | {rows:,} | {generated:.0f} | {seconds:.1f} | {stored:,} | {peak:.0f} | {opened:.2f} |")
    print("\n| Scale | Screen | From the store s | Live s | Live / store |")
    print("|---:|---|---:|---:|---:|")
    for scale, timings in screens:
        for name, t in timings.items():
            print(f"| {scale:g} | {name} | {t['store']:.2f} | {t['live']:.2f} | {t['live'] / t['store']:.0f}× |")
    for scale, lines in references:
        print(f"\npandas reference at scale {scale:g} (same Parquet, same period)\n")
        print(lines)


def _reference(root: str) -> str:
    """The pandas reference's table for the latest snapshot under `root` (bench_reference), in its own process."""
    _, _, out = _child("from torbay_dash.bench_reference import run_reference\n"
                       "from torbay_dash.settings import load_settings\nfrom torbay_dash.store import Store\n"
                       f"run_reference(Store({root!r}).latest_usable(), load_settings({root!r}))")
    return out
