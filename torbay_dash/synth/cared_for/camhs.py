"""CAMHS for children in care (the local table ``local_camhs``).

Consultation (advice to carers and workers) for a few children each month; direct
provision for an exact number of children in care at each month end, as the review
quotes; and a waiting list for direct work at the end of the history.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .calibration import CAMHS_DIRECT
from .helpers import _curve, _pick
from .journeys import _Arrays, _Journeys


def _camhs(sim: _Journeys, a: _Arrays) -> pd.DataFrame:
    """CAMHS for children in care: consultation mostly; direct provision for an exact number at each month end."""
    ctx = sim.ctx
    rng = ctx.rng("cared_for/camhs")
    target = np.round(_curve(CAMHS_DIRECT, sim.me) * ctx.scale)
    person_of = a.person
    rows = []                      # [period, referral, start, end (None = open), type]
    open_direct: dict[int, list] = {}
    for mi, (per, _) in enumerate(sim.month_cla):
        ms, me = int(sim.ms[mi]), int(sim.me[mi])
        # ends already planned
        for i in [i for i, r in open_direct.items() if r[3] is not None and r[3] <= me]:
            del open_direct[i]
        in_care = set(per.tolist())
        counted = [i for i, r in open_direct.items() if r[0] in in_care]
        gap = int(target[mi]) - len(counted)
        if gap > 0:
            age = (me - a.dob[per]) / 365.25
            have = {r[0] for r in open_direct.values()}
            cand = [int(i) for i, g in zip(per, age) if g >= 4 and int(i) not in have]
            for i in _pick(rng, cand, gap):
                lo = max(ms, int(a.entry[i]) + 1)
                if lo > me:
                    continue
                s = int(rng.integers(lo, me + 1))
                e = s + int(rng.integers(90, 541))
                row = [i, s - int(rng.integers(30, 240)), s, e if e <= ctx.end_day else None, "direct"]
                rows.append(row)
                open_direct[len(rows) - 1] = row
        elif gap < 0:
            older = [j for j in counted if rows[j][2] < ms]
            for j in _pick(rng, older, -gap):
                rows[j][3] = int(rng.integers(ms, me + 1))
                del open_direct[j]
        # consultation: CAMHS advice to carers and workers
        k = rng.poisson(3.0 * ctx.scale)
        older = per[(me - a.dob[per]) / 365.25 >= 3]
        if k and len(older):
            for i in rng.choice(older, min(k, len(older)), replace=False):
                lo = max(ms, int(a.entry[i]) + 1)
                if lo > me:
                    continue
                s = int(rng.integers(lo, me + 1))
                e = s + int(rng.integers(42, 366))
                e = e if e <= ctx.end_day else None
                rows.append([int(i), s - int(rng.integers(14, 120)), s, e, "consultation"])
    # referrals for direct work still waiting at the end (a long waiting list in 2021)
    per = sim.month_cla[-1][0] if sim.month_cla else np.zeros(0, dtype=np.int64)
    for i in _pick(rng, per.tolist(), int(round(12 * ctx.scale))):
        rows.append([int(i), ctx.end_day - int(rng.integers(10, 300)), None, None, "direct"])
    frame = pd.DataFrame(rows, columns=["period", "referral", "start", "end", "type"])
    frame["person"] = person_of[frame["period"].to_numpy(dtype=np.int64)] if len(frame) else []
    return frame
