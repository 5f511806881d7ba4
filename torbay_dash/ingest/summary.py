"""What an analyst reads after an ingest: what was published, what was dropped, what is wrong."""
from __future__ import annotations

import sys
import time
from typing import TextIO

from . import IngestResult

BAR_WIDTH = 30
SHOWN_PER_TABLE = 3


def terminal_progress(stream: TextIO = sys.stderr):
    """A progress bar redrawn in place on a terminal; nothing when the output is not a terminal, so a
    script reading stderr sees only the one line of an error."""
    interactive = stream.isatty()
    started = time.monotonic()
    last = [""]

    def show(message: str, fraction: float) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        filled = int(BAR_WIDTH * fraction)
        elapsed = time.monotonic() - started
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {fraction:4.0%}  {message} ({elapsed:.0f} s)"
        if not interactive:
            return
        stream.write("\r" + line.ljust(len(last[0])) + ("\n" if fraction >= 1 else ""))
        stream.flush()
        last[0] = line

    return show


def left_out(result: IngestResult) -> list[tuple[str, str]]:
    """(what, which) for what was read past: identifying columns, other columns, files or tables."""
    out = []
    if result.dropped:
        out.append(("identifying columns dropped (never written)",
                    "; ".join(f"{where}: {', '.join(cols)}" for where, cols in sorted(result.dropped.items()))))
    if result.extra:
        out.append(("extra columns ignored",
                    "; ".join(f"{table}: {', '.join(cols)}" for table, cols in sorted(result.extra.items()))))
    if result.ignored:
        out.append(("files or tables ignored (not in the data contract)", ", ".join(result.ignored)))
    return out


def summary_lines(result: IngestResult, failures: list | None = None) -> list[str]:
    """The summary printed by `ingest`; `failures` are the cross-table rules' (rules.check)."""
    snapshot = result.snapshot
    status = {"published": f"published as snapshot {snapshot.id}",
              "held": f"held for an analyst to confirm ({snapshot.path})",
              "rejected": f"rejected ({snapshot.path})"}[result.status]
    lines = [f"{result.format} extract from {result.source}: {status}"]
    quarantined = snapshot.quarantined
    for table, rows in sorted(result.tables.items()):
        state = f"QUARANTINED: {quarantined[table]}" if table in quarantined else "served"
        how = f" ({result.read_notes[table]})" if table in result.read_notes else ""
        lines.append(f"  {table:28} {rows:>10,} rows  {state}{how}")
    for table, reason in sorted(quarantined.items()):
        if table not in result.tables:
            lines.append(f"  {table:28} {'':>10}       NOT READ: {reason}")
    lines += [f"{what}: {details}" for what, details in left_out(result)]
    warnings = [p for p in snapshot.problems if p.severity == "warning"]
    if warnings:
        lines.append(f"{len(warnings)} warning(s):")
        shown: dict[str, int] = {}
        for problem in warnings:
            shown[problem.table] = shown.get(problem.table, 0) + 1
            if shown[problem.table] <= SHOWN_PER_TABLE:
                lines.append(f"  {problem}")
        hidden = sum(max(0, n - SHOWN_PER_TABLE) for n in shown.values())
        if hidden:
            root = snapshot.path.parent.parent
            lines.append(f"  ... and {hidden} more: python -m torbay_dash snapshots --data {root}")
    if failures:
        from ..rules import RULES
        lines.append(f"{len(failures)} cross-table rule failure(s) (see the Data quality page):")
        for failure in failures:
            rule = RULES.get(failure.rule)
            words = f"{rule.message} ({rule.severity})" if rule else failure.rule
            lines.append(f"  {failure.rule} in {failure.table}: {failure.n_rows:,} row(s): {words}")
    return lines
