"""The access log: who saw or took child-level rows, exported a report or uploaded an extract, and when.

Councils must be able to answer "who looked at this child's team list last March?", so each such event is
appended to `<root>/access_log/YYYY-MM.jsonl` (one JSON object a line, one file per UTC calendar month). The log
says what was looked at (page, filters, how many rows), never the rows themselves: `record` refuses anything in
`filters` that is not a short scalar, so a frame cannot be logged by mistake. Nothing here rewrites or truncates
a month file; `prune` only deletes whole month files once they are past the retention.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import numbers
import os
import re
from pathlib import Path

import pandas as pd

ACTIONS = ("viewed", "downloaded", "exported", "uploaded", "refused")  # refused: a request outside the user's scope
COLUMNS = ["time", "user", "role", "page", "action", "what", "filters", "rows"]
FOLDER = "access_log"
MONTH_FILE = re.compile(r"^(\d{4})-(\d{2})\.jsonl$")
MAX_TEXT = 200  # characters in any one text field or filter value: room for a description, none for a list of rows
# One event is one os.write of at most this many bytes: under Linux's PIPE_BUF (4096), so a line stays small enough
# to be written whole even where a file system is less careful than ext4 or xfs.
MAX_LINE_BYTES = 4000
FILE_MODE = 0o640  # who looked at what is itself sensitive: not readable by every account on the server


def log_folder(root: str | os.PathLike) -> Path:
    return Path(root) / FOLDER


def month_file(root: str | os.PathLike, month: dt.date) -> Path:
    """The file holding the events of `month` (any day of it)."""
    return log_folder(root) / f"{month:%Y-%m}.jsonl"


def record(root, *, user: str, role: str, page: str, action: str, what: str, filters: dict, rows: int | None,
           when: dt.datetime | None = None) -> None:
    """Append one event to the month's file, flushed to disk before returning.

    `what` is a short description ("children behind Visits in timescale"); `filters` maps names to short scalars
    (str, int, float, bool, None; dates are written as ISO text); `rows` is how many rows were shown or taken
    (None when there is no such count, e.g. an upload refused before reading). `when` must carry a time zone
    (default: now); it is stored in UTC. Raises ValueError, writing nothing, when any of this does not hold.
    """
    when = dt.datetime.now(dt.UTC) if when is None else when
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("the time of an access log entry must carry a time zone (e.g. datetime.now(datetime.UTC))")
    when = when.astimezone(dt.UTC)
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    event = {"time": when.isoformat(timespec="milliseconds"),
             "user": _short_text("user", user), "role": _short_text("role", role),
             "page": _short_text("page", page), "action": action, "what": _short_text("what", what),
             "filters": _plain_filters(filters), "rows": _row_count(rows)}
    line = (json.dumps(event, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
    if len(line) > MAX_LINE_BYTES:
        raise ValueError(f"an access log entry must stay under {MAX_LINE_BYTES} bytes; this one is {len(line)}: "
                         "describe the filters, do not list what they selected")
    _append_line(month_file(root, when.date()), line)


def _short_text(name: str, value) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{name} must be at most {MAX_TEXT} characters; it has {len(value)}")
    return value


def _plain_filters(filters) -> dict:
    """The filters as JSON scalars; anything that could carry rows (a frame, a list, a long text) is refused."""
    if not isinstance(filters, dict):
        raise ValueError(f"filters must be a dict of short values, not {type(filters).__name__}")
    plain = {}
    for key, value in filters.items():
        key = _short_text("a filter's name", key)
        if value is None or isinstance(value, (bool, str)):
            plain[key] = value
        elif isinstance(value, numbers.Integral):
            plain[key] = int(value)
        elif isinstance(value, numbers.Real) and math.isfinite(value):
            plain[key] = float(value)
        elif isinstance(value, (dt.date, dt.datetime)):
            plain[key] = value.isoformat()
        else:
            raise ValueError(f"filter {key!r} must be a short text, number, yes/no or nothing, not "
                             f"{type(value).__name__}: the access log never holds rows")
        if isinstance(plain[key], str) and len(plain[key]) > MAX_TEXT:
            raise ValueError(f"filter {key!r} must be at most {MAX_TEXT} characters; it has {len(plain[key])}")
    return plain


def _row_count(rows) -> int | None:
    if rows is None:
        return None
    if isinstance(rows, bool) or not isinstance(rows, numbers.Integral) or rows < 0:
        raise ValueError(f"rows must be a count (a whole number, 0 or more) or None, not {rows!r}")
    return int(rows)


def _append_line(path: Path, line: bytes) -> None:
    """Append one whole line, durable on return.

    Several Streamlit sessions (threads) and processes write at once. O_APPEND makes the kernel move to the end
    and write as one step, and one os.write of a short line on a local file system is not interleaved with
    another writer's (Linux holds the file's lock for the whole write), so lines never mix and no lock file is
    needed. (Not so on NFS, where O_APPEND is emulated: keep the data root on a local disk.)
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        written = os.write(fd, line)
        if written != len(line):  # only when the disk is full or the write is interrupted
            os.write(fd, b"\n")  # end the fragment, so only this line is damaged and the next starts clean
            raise OSError(f"the access log entry was cut short ({written} of {len(line)} bytes written)")
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:  # a new month file survives a crash only once its folder entry is on disk too
        _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _month_files(root) -> list[tuple[dt.date, Path]]:
    """The month files present, by the first day of their month; anything else in the folder is left alone."""
    folder = log_folder(root)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = MONTH_FILE.match(path.name)
        if match and 1 <= int(match[2]) <= 12 and path.is_file():
            found.append((dt.date(int(match[1]), int(match[2]), 1), path))
    return sorted(found)


def empty_frame() -> pd.DataFrame:
    frame = pd.DataFrame({"time": pd.Series([], dtype="datetime64[ns, UTC]"),
                          **{c: pd.Series([], dtype=object) for c in COLUMNS[1:-1]},
                          "rows": pd.Series([], dtype="Int64")})
    frame.attrs["damaged_lines"] = 0
    return frame


def read(root, since: dt.date | None = None, until: dt.date | None = None) -> pd.DataFrame:
    """The events from `since` to `until` (UTC dates, both included), newest first.

    Columns: time (UTC), user, role, page, action, what, filters ("key=value; ..."), rows. A line that cannot be
    read (cut short by a crash, edited by hand) is skipped and counted in `frame.attrs["damaged_lines"]`, so one
    bad line never hides the rest. No log yet: an empty frame with these columns.
    """
    events, damaged = [], 0
    for month, path in _month_files(root):
        if since is not None and _next_month(month) <= since or until is not None and month > until:
            continue
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle):
                if not raw.strip():
                    continue
                event = _parse(raw)
                if event is None:
                    damaged += 1
                    continue
                day = event["time"].date()
                if (since is None or day >= since) and (until is None or day <= until):
                    events.append((event["time"], month, number, event))
    if not events:
        frame = empty_frame()
        frame.attrs["damaged_lines"] = damaged
        return frame
    # newest first; events in the same millisecond keep the reverse of the order they were written in
    events.sort(key=lambda e: (e[0], e[1], e[2]), reverse=True)
    frame = pd.DataFrame([e[3] for e in events], columns=COLUMNS)
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    frame["rows"] = frame["rows"].astype("Int64")
    frame.attrs["damaged_lines"] = damaged
    return frame


def _parse(raw: bytes) -> dict | None:
    """One event from one line, or None when the line is not a whole, well-formed event."""
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or not raw.endswith(b"\n"):
            return None
        time = dt.datetime.fromisoformat(data["time"])
        if time.tzinfo is None:
            return None
        texts = [data[name] for name in ("user", "role", "page", "action", "what")]
        filters, rows = data["filters"], data["rows"]
    except (ValueError, KeyError, TypeError):
        return None
    if not all(isinstance(t, str) for t in texts) or not isinstance(filters, dict):
        return None
    if rows is not None and (isinstance(rows, bool) or not isinstance(rows, int)):
        return None
    return {"time": time.astimezone(dt.UTC), **dict(zip(("user", "role", "page", "action", "what"), texts)),
            "filters": filters_in_words(filters), "rows": rows}


def filters_in_words(filters: dict) -> str:
    """{"team": "T1", "period": "2026-11"} -> "team=T1; period=2026-11" (yes/no for true/false, "none" for null)."""
    def word(value) -> str:
        if value is None:
            return "none"
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)
    return "; ".join(f"{key}={word(value)}" for key, value in filters.items())


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _months_before(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def oldest_month_kept(retention_months: int, today: dt.date) -> dt.date:
    """The first day of the oldest month `prune` keeps on `today`: `retention_months` months before this one."""
    return _months_before(today.replace(day=1), retention_months)


def prune(root, retention_months: int, today: dt.date) -> list[Path]:
    """Delete the month files whose every entry is more than `retention_months` whole months old.

    Entries older than N whole months are removed, a month file at a time: the current month and the N months
    before it are kept, and a month's file goes on the first day of the (N+1)th month after it. With N = 2,
    September's file is kept until 30 November and removed on 1 December (its last entry, on 30 September, is
    then more than 2 months old). So an entry is kept for at least N and at most N+1 months. Months are UTC
    calendar months, as the files are. Only whole files are deleted; returns the paths removed, oldest first.
    """
    if isinstance(retention_months, bool) or not isinstance(retention_months, int) or retention_months < 1:
        raise ValueError(f"the access log retention must be a whole number of months, 1 or more, "
                         f"not {retention_months!r}")
    keep_from = oldest_month_kept(retention_months, today)
    removed = []
    for month, path in _month_files(root):
        if month < keep_from:
            path.unlink(missing_ok=True)  # another session may have pruned it a moment ago
            removed.append(path)
    return removed
