"""Command line: python -m torbay_dash {metrics, ingest, snapshots, confirm, demo, bench}.

`metrics` and `ingest` are contracts used by tests outside this repository: their arguments,
`metrics`' JSON keys and the exit status 2 with one line on stderr when nothing could be
done must not change.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys

import duckdb
import pandas as pd

from . import indicators
from .calendar import FIRST_DAY, LAST_DAY
from .compute import compute_many
from .db import SnapshotDB
from .export import csv_text
from .periods import Period, months, quarters
from .settings import load_settings
from .store import HELD, DataError, Store, data_root, open_data
from .synth import ensure_demo_data, generate, needs_first_run
from .synth.context import SynthConfig


class UsageError(Exception):
    """Bad arguments: exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one clear line instead of usage text
        raise UsageError(f"{self.prog}: {message}")


def _date(text: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None
    if not FIRST_DAY <= value <= LAST_DAY:
        raise argparse.ArgumentTypeError(f"{text} is outside the calendar ({FIRST_DAY}..{LAST_DAY})")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m torbay_dash", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    metrics = sub.add_parser("metrics", help="compute indicators for a period")
    metrics.add_argument("--data", help="a snapshot folder or a data root (default: the project's data root)")
    metrics.add_argument("--from", dest="start", type=_date, required=True, help="period start, YYYY-MM-DD")
    metrics.add_argument("--to", dest="end", type=_date, required=True, help="period end, YYYY-MM-DD, inclusive")
    metrics.add_argument("--by", choices=["team"], help="break down by team")
    metrics.add_argument("--ids", help="comma-separated indicator ids (default: all)")
    metrics.add_argument("--series", choices=["month", "quarter"],
                         help="one row per month or quarter in the period instead of one for the whole")
    metrics.add_argument("--format", choices=["json", "csv"], default="json")

    ingest = sub.add_parser("ingest", help="load an extract (SSD folder, .zip or database URL, or an SSDA903 "
                                             "return) as the snapshot of a date")
    ingest.add_argument("source", help="a folder or .zip of files named after the contract's tables, a database "
                                       "URL (sqlite:///path.db, mssql+pyodbc://...), or a folder holding an "
                                       "SSDA903 return")
    ingest.add_argument("--as-at", dest="as_at", type=_date, required=True,
                        help="the date the extract was taken, YYYY-MM-DD")
    ingest.add_argument("--data", help="data root to publish into (default: the project's data root)")
    ingest.add_argument("--format", dest="fmt", choices=["ssd", "ssda903"],
                        help="the source's layout (default: detected)")

    snapshots = sub.add_parser("snapshots", help="list snapshots and what is wrong with them")
    snapshots.add_argument("--data", help="data root (default: the project's data root)")

    confirm = sub.add_parser("confirm", help="replace a snapshot by an extract held because it lost tables or rows")
    confirm.add_argument("held", help="the held extract's folder name under held/ (listed by `snapshots`)")
    confirm.add_argument("--data", help="data root (default: the project's data root)")

    demo = sub.add_parser("demo", help="generate the synthetic demo data (no real child involved)")
    demo.add_argument("--out", help="data root to write into (default: the project's data root)")
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--scale", type=_positive, default=1.0, help="1 = Torbay; 300 is about England")
    demo.add_argument("--snapshots", choices=["monthly", "weekly", "latest"], default="monthly",
                      help="a snapshot at each month end 2019-04-30..2021-07-31, one every 7 days back from the last, "
                           "or only the last")
    demo.add_argument("--defect-share", type=float, default=SynthConfig.defect_share,
                      help="share of rows given a real-extract defect (end before start, missing team, "
                           "duplicated id); 0 for none")

    bench = sub.add_parser("bench", help="time the demo generator and the indicators; prints timings and ratios")
    bench.add_argument("--scales", default="1,2,4", help="comma-separated scales for the generator (latest snapshot)")
    bench.add_argument("--monthly", action="store_true", help="also time all monthly snapshots at scale 1")
    bench.add_argument("--ingest-scales", default="1,10",
                       help="comma-separated scales of the CSV extract to time ingest on (1,10,100 for the record); "
                            "'' for none")
    bench.add_argument("--store-scales", default="1",
                       help="comma-separated scales to build the indicator store at and time every screen from it and "
                            "live, with the pandas reference (1,10,100,300 for the record; 300 is about all of "
                            "England); '' for none")
    bench.add_argument("--browser", action="store_true",
                       help="also start the app on loopback and time its pages in Chromium, with concurrent sessions")
    bench.add_argument("--sessions", type=int, default=25, help="concurrent browser sessions for --browser")
    return parser


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _number(value):
    """JSON-friendly numbers: whole floats as ints, NaN as null."""
    if value is None:
        return None
    value = float(value)
    if math.isnan(value):
        return None
    return int(value) if value.is_integer() else value


def _records(frame, by_team: bool) -> list[dict]:
    out = []
    for row in frame.itertuples(index=False):
        record = {"id": row.id, "from": str(row[1]), "to": str(row[2])}
        if by_team:
            record["team"] = row.team
        record.update(numerator=_number(row.numerator), denominator=_number(row.denominator),
                      value=_number(row.value))
        if row.unavailable:
            record["unavailable"] = row.unavailable
        out.append(record)
    return out


def run_metrics(args) -> int:
    if args.end < args.start:
        raise UsageError(f"--to {args.end} is before --from {args.start}")
    ids = [i.strip() for i in args.ids.split(",") if i.strip()] if args.ids is not None else list(indicators.REGISTRY)
    if not ids:
        raise UsageError("--ids names no indicator")
    unknown = [i for i in ids if i not in indicators.REGISTRY]
    if unknown:
        raise UsageError(f"unknown indicator id(s): {', '.join(unknown)}")
    if args.data is None and needs_first_run():
        ensure_demo_data(progress=lambda message: print(message, file=sys.stderr))
    snapshot = open_data(args.data)
    if args.end > snapshot.as_at:
        raise UsageError(f"--to {args.end} is after the snapshot's as-at date {snapshot.as_at}; "
                         "figures after it are not known")
    settings = load_settings(data_root(args.data))
    whole = Period(args.start, args.end)
    periods = {None: [whole], "month": months(args.start, args.end),
               "quarter": quarters(args.start, args.end)}[args.series]
    db = SnapshotDB(snapshot)
    try:
        frame = compute_many(db, ids, periods, settings, by_team=args.by == "team")
    finally:
        db.close()
    records = _records(frame, by_team=args.by == "team")
    if args.format == "json":
        json.dump(records, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        fields = ["id", "from", "to"] + (["team"] if args.by else []) + \
                 ["numerator", "denominator", "value", "unavailable"]
        # object dtype keeps whole numbers whole (8, not 8.0) next to blanks
        sys.stdout.write(csv_text(pd.DataFrame(records, columns=fields, dtype=object)))
    return 0


def run_ingest(args) -> int:
    from .ingest import ingest
    from .ingest.summary import summary_lines, terminal_progress
    try:
        result = ingest(args.source, args.as_at, args.data, args.fmt, progress=terminal_progress(sys.stderr))
    except DataError:
        raise
    except Exception as exc:  # whatever broke, nothing was published: exit 2, one line
        raise DataError(f"nothing published: the extract could not be loaded ({type(exc).__name__}: "
                        f"{str(exc).strip().splitlines()[0][:300] if str(exc).strip() else 'no detail'})") from None
    failures = []
    if result.status == "published":
        from .rules import check
        failures = check(result.snapshot)
    for line in summary_lines(result, failures):
        print(line)
    if result.status == "published":
        prepare_figures([result.snapshot], args.data)
    if result.status != "published":
        reasons = result.snapshot.held_because or result.snapshot.reasons or ["no table could be served"]
        where = f"{result.status} ({result.snapshot.path})"
        hint = (f"; to use it anyway: python -m torbay_dash confirm {result.snapshot.path.name} --data "
                f"{result.snapshot.path.parent.parent}" if result.status == "held" else "")
        raise DataError(f"nothing published: the extract was {where}: {reasons[0]}{hint}")
    return 0


def run_snapshots(args) -> int:
    store = Store(args.data)
    listed = store.list()
    if not listed:
        print(f"no snapshots in {store.snapshots_dir}")
    for snap in listed:
        status = "usable" if snap.usable else "NOT USABLE"
        kind = "synthetic" if snap.synthetic else "extract"
        held_back = snap.quarantined
        quarantined = f", {len(held_back)} quarantined ({', '.join(held_back)})" if held_back else ""
        print(f"{snap.id}  {status:10}  {kind:9}  {len(snap.tables)} tables served{quarantined}")
        for problem in snap.problems:
            print(f"    {problem.severity}: {problem}")
    for held in store.held():
        print(f"held for an analyst to confirm: {HELD}/{held.path.name} "
              f"(python -m torbay_dash confirm {held.path.name} --data {store.root})")
        for reason in held.held_because:
            print(f"    {reason}")
    for refusal in store.refusals():
        if refusal.what.startswith("snapshots/"):
            print(f"not a snapshot: {refusal.what}: {'; '.join(refusal.reasons)}")
    return 0


def run_confirm(args) -> int:
    """Swap in an extract held because it would lose tables or rows against the snapshot it replaces."""
    snapshot = Store(args.data).confirm(args.held)
    if snapshot.path.parent.name != "snapshots":
        raise DataError(f"{args.held} was not swapped in: {'; '.join(snapshot.reasons[:3])}")
    print(f"snapshot {snapshot.id} replaced by {args.held}: {len(snapshot.tables)} tables served")
    return 0


def prepare_figures(snapshots: list, root) -> None:
    """Build the indicator stores the screens open on; a failure only makes the first screen slower."""
    from . import figures
    try:
        figures.prepare(snapshots, load_settings(data_root(root)), say=print)
    except Exception as exc:  # the figures are still computed live: say so, do not fail the load
        print(f"warning: the indicator store was not built ({type(exc).__name__}: {exc}); "
              "the screens compute the figures directly until it is")


def run_demo(args) -> int:
    if not 0 <= args.defect_share <= 0.05:
        raise UsageError("--defect-share must be between 0 and 0.05: real extracts have a few defects, not many")
    config = SynthConfig(seed=args.seed, scale=args.scale, defect_share=args.defect_share)
    published = generate(args.out, snapshots=args.snapshots, progress=print, config=config)
    prepare_figures(published[-2:], args.out)
    print(f"{len(published)} snapshot(s) in {Store(args.out).snapshots_dir}, "
          f"{published[0].id} to {published[-1].id}")
    return 0


def run_bench(args) -> int:
    from .bench import run
    scales = [_positive(s) for s in args.scales.split(",") if s.strip()]
    ingest_scales = [_positive(s) for s in args.ingest_scales.split(",") if s.strip()]
    store_scales = [_positive(s) for s in args.store_scales.split(",") if s.strip()]
    run(scales, monthly=args.monthly, ingest_scales=ingest_scales, store_scales=store_scales)
    if args.browser:
        from .bench_browser import run_browser
        run_browser(sessions=args.sessions)
    return 0


COMMANDS = {"metrics": run_metrics, "ingest": run_ingest, "snapshots": run_snapshots, "confirm": run_confirm,
            "demo": run_demo, "bench": run_bench}


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except argparse.ArgumentTypeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (UsageError, DataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"error: the data could not be read: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback for a user; the message says what broke
        print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
