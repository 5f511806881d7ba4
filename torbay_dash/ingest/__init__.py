"""Real extracts in: an SSD export (folder, zip or database) or an SSDA903 return, to a snapshot.

Every source goes the same way: read the contract's tables by name (names in any case,
columns in any order), drop identifying columns, write Parquet into a staging folder and
let the store validate and publish it (store.Store.commit). A table that fails is
quarantined by the store; nothing else is changed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..store import DataError, Snapshot
from ..validation import Problem

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

    @property
    def status(self) -> str:
        """'published', 'held' (awaiting an analyst's confirmation) or 'rejected'."""
        parent = self.snapshot.path.parent.name
        return {"snapshots": "published", "held": "held"}.get(parent, "rejected")


def ingest(source: str | Path, as_at: dt.date, root: str | Path | None = None, fmt: str | None = None,
           progress: Callable[[str, float], None] | None = None) -> IngestResult:
    """Read `source`, publish it as the snapshot of `as_at` under `root`; IngestError if nothing could be."""
    raise NotImplementedError  # being written
