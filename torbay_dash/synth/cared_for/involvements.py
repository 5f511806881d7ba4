"""Allocated social workers for cared-for children (rows of ``ssd_involvements``).

A cared-for team first; the Permanence team from an adoption decision; the care leavers
team from 16. Workers change now and then within a team (less often from mid-2020), and
the worker is picked from the team's staff on the day.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .calibration import WORKER_CHANGE_REASONS
from .helpers import _choice, _d
from .journeys import _Arrays, _Journeys


def _involvements(sim: _Journeys, a: _Arrays, leavers) -> pd.DataFrame:
    """Allocated social workers: a cared-for team, Permanence for adoption plans, care leavers from 16."""
    ctx = sim.ctx
    rng = ctx.rng("cared_for/involvements")
    leaver_ids = {p.i for p in leavers}
    rows = []   # period, team, start, end (None = open), last_of_case, reason-at-team-change
    for p in sim.periods:
        end = p.exit_day
        if p.i in leaver_ids:
            end = p.b21
        stop = end if end is not None and end <= ctx.end_day else None
        last_day = stop if stop is not None else ctx.end_day + 1
        spells = []
        entry = max(p.entry, ctx.start_day - 200)   # allocations before the history are not kept
        if p.short_break:
            spells.append((p.team, p.entry, last_day))
        elif p.adopt is not None and p.adopt.get("adm") is not None:
            adm = max(p.adopt["adm"], entry)
            if adm > entry:
                spells.append((p.team, entry, adm))
            spells.append((sim.perm_team, adm, last_day))
        else:
            b16 = max(p.b16, entry)
            if b16 < last_day:
                if b16 > entry:
                    spells.append((p.team, entry, b16))
                spells.append((sim.cl_team, b16, last_day))
            else:
                spells.append((p.team, entry, last_day))
        spells = [s for s in spells if s[1] < s[2] and s[1] <= ctx.end_day]
        for k, (team, s, e) in enumerate(spells):
            final = k == len(spells) - 1
            e = min(e, ctx.end_day + 1)
            t = s
            while t < e:
                mean = 240 if t < _d("2020-06-01") else 330
                seg_end = t + max(14, int(rng.exponential(mean)))
                if seg_end >= e:
                    still_open = e > ctx.end_day
                    rows.append((p.i, team, t, None if still_open else e,
                                 None if (final or still_open) else "TEAM_TRANSFER"))
                    break
                rows.append((p.i, team, t, seg_end, _choice(rng, WORKER_CHANGE_REASONS)))
                t = seg_end
    frame = pd.DataFrame(rows, columns=["period", "team", "start", "end", "reason"])
    frame.loc[frame["end"].isna(), "reason"] = None
    pick_day = np.maximum(frame["start"].to_numpy(dtype=np.int64), ctx.start_day)
    frame["worker"] = ctx.workers.pick(frame["team"].to_numpy(dtype=object), pick_day, rng) \
        if ctx.workers is not None and len(frame) else None
    return frame
