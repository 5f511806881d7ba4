"""What every part of the demo generator shares: seeded random streams, ids, dates, teams, people, workers.

The generator simulates each child's journey first and cuts snapshots afterwards. Each
area module (safeguarding, cared_for, workforce, quality) receives one SynthContext and
returns *truth* tables: every row that will ever be recorded, with contract columns plus
two meta columns the snapshot cutter reads:

- ``_anchor``: the date the row comes into existence (it appears in snapshots on or after
  this date, plus its recording lag). Null means "always there".
- ``_lag``: whole days between an event and its recording (0 for most rows). A date
  column whose value + lag is after a snapshot's as-at date is shown as null there.

Randomness comes only from ``ctx.rng(name)``: one independent stream per name, derived
from the seed, so adding a stream never changes another module's output.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..calendar import FIRST_DAY, calendar_frame

EPOCH = np.datetime64("1970-01-01", "D")


@dataclass(frozen=True)
class SynthConfig:
    seed: int = 42
    scale: float = 1.0                                # 1 = Torbay; each chunk simulates at most one Torbay
    first_snapshot: dt.date = dt.date(2019, 4, 30)
    last_snapshot: dt.date = dt.date(2021, 7, 31)
    history_years: int = 6                            # event history before the first snapshot
    defect_share: float = 0.002                       # share of rows given a real-extract defect
    late_share: float = 0.04                          # share of rows recorded late
    migration_date: dt.date = dt.date(2021, 6, 30)    # the snapshot with the migration defect

    @property
    def history_start(self) -> dt.date:
        return self.first_snapshot.replace(year=self.first_snapshot.year - self.history_years) + dt.timedelta(days=1)


def to_days(dates) -> np.ndarray:
    """Dates (date, datetime64 or Series, no nulls) as int64 days since 1970-01-01."""
    return (np.asarray(dates, dtype="datetime64[D]") - EPOCH).astype(np.int64)


def from_days(days) -> np.ndarray:
    """int64 days since 1970-01-01 as datetime64[D]."""
    return EPOCH + np.asarray(days, dtype=np.int64).astype("timedelta64[D]")


def day(date: dt.date) -> int:
    return int((np.datetime64(date, "D") - EPOCH).astype(np.int64))


@dataclass
class IdFactory:
    """Unique, pseudonymous text ids per prefix; a chunk prefix keeps chunks apart."""
    chunk: str = ""
    _next: dict[str, int] = field(default_factory=dict)

    def new(self, prefix: str, n: int) -> np.ndarray:
        start = self._next.get(prefix, 1)
        self._next[prefix] = start + n
        if n == 0:
            return np.array([], dtype=str)
        numbers = np.arange(start, start + n)
        return np.char.add(f"{prefix}{self.chunk}", np.char.zfill(numbers.astype(str), 6))


class SynthContext:
    """Shared state for one chunk of the simulation."""

    def __init__(self, config: SynthConfig, chunk: int = 0, chunk_scale: float = 1.0):
        self.config = config
        self.chunk = chunk
        self.scale = chunk_scale
        self.ids = IdFactory(chunk=f"{chunk:02d}" if chunk else "")
        self.start = config.history_start
        self.end = config.last_snapshot
        self.start_day = day(self.start)
        self.end_day = day(self.end)
        self.tables: dict[str, pd.DataFrame] = {}   # truth tables produced so far, by contract name
        self.teams: pd.DataFrame | None = None      # set by org.build_teams
        self.people = None                          # set by people.PersonRegistry
        self.workers = None                         # set by the workforce module (WorkerPool)

    def rng(self, name: str) -> np.random.Generator:
        """An independent random stream for `name`, fixed by (seed, chunk, name)."""
        digest = hashlib.sha256(f"{self.config.seed}/{self.chunk}/{name}".encode()).digest()
        return np.random.default_rng(int.from_bytes(digest[:8], "little"))

    def n(self, torbay_count: float) -> int:
        """A Torbay-sized count scaled to this chunk."""
        return int(round(torbay_count * self.scale))

    def team_ids(self, role: str) -> list[str]:
        """Team ids of a role ('mash', 'assessment', 'safeguarding', 'cared_for', 'care_leavers', 'disabled')."""
        return self.teams.loc[self.teams["role"] == role, "dept_team_id"].tolist()


class WorkerPool:
    """Who could hold a case: staff spells by team, so a case gets a worker in post in its team that day."""

    def __init__(self, spells: pd.DataFrame):
        # spells: professional_id, team_id, start_day, end_day (end exclusive; a large number when open)
        self._by_team = {team: (g["professional_id"].to_numpy(), g["start_day"].to_numpy(), g["end_day"].to_numpy())
                         for team, g in spells.groupby("team_id")}

    def pick(self, team_ids, days, rng: np.random.Generator) -> np.ndarray:
        """A professional id in post in each (team, day); None where the team had nobody."""
        team_ids = np.asarray(team_ids, dtype=object)
        days = np.asarray(days, dtype=np.int64)
        out = np.full(len(days), None, dtype=object)
        for team in pd.unique(team_ids):
            if team not in self._by_team:
                continue
            ids, starts, ends = self._by_team[team]
            rows = np.flatnonzero(team_ids == team)
            for block in np.array_split(rows, max(1, len(rows) // 20000 + 1)):
                in_post = (starts[None, :] <= days[block, None]) & (ends[None, :] > days[block, None])
                counts = in_post.sum(axis=1)
                choice = np.floor(rng.random(len(block)) * np.maximum(counts, 1)).astype(np.int64)
                # index of the choice-th True in each row
                cum = np.cumsum(in_post, axis=1)
                idx = np.argmax(cum > choice[:, None], axis=1)
                picked = ids[idx].astype(object)
                picked[counts == 0] = None
                out[block] = picked
        return out


class WorkingDays:
    """Working-day arithmetic over the project calendar's running index: wd(S, E) = idx(E) - idx(S)."""

    def __init__(self):
        frame = calendar_frame()
        self.first = day(FIRST_DAY)
        self.index = frame["wd_index"].to_numpy(np.int64)
        self.working = frame["is_working_day"].to_numpy(bool)
        self.days = self.first + np.flatnonzero(self.working)  # the working day with index j is days[j - 1]

    def idx(self, days) -> np.ndarray:
        return self.index[np.asarray(days, dtype=np.int64) - self.first]

    def is_working(self, days) -> np.ndarray:
        return self.working[np.asarray(days, dtype=np.int64) - self.first]

    def add(self, days, k):
        """The k-th working day after `days` (k = 0: that day if working, else the next working day)."""
        scalar = np.ndim(days) == 0
        days = np.atleast_1d(np.asarray(days, dtype=np.int64))
        k = np.broadcast_to(np.asarray(k, dtype=np.int64), days.shape)
        k = np.where((k == 0) & ~self.is_working(days), 1, k)
        out = self.days[self.idx(days) + k - 1]
        return int(out[0]) if scalar else out

    def on_or_before(self, days) -> np.ndarray:
        """The last working day on or before `days`."""
        return self.days[self.idx(days) - 1]

    def wd(self, start, end) -> np.ndarray:
        return self.idx(end) - self.idx(start)
