"""Care leavers: who qualifies, and their contacts up to 21 (in touch, accommodation, activity).

A period makes a care leaver when the child left care at 16 or over, not on a permanence
order, after 13 weeks in care since 14. Their accommodation and activity persist from one
contact to the next, with occasional changes.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .calibration import ACCOMMODATION, ACTIVITY_EET, ACTIVITY_NEET, NOT_IN_TOUCH
from .helpers import _choice
from .journeys import _Arrays, _Journeys


def _care_leavers(sim: _Journeys, a: _Arrays):
    """Which periods make a care leaver: left care at 16+ after 13 weeks in care since 14."""
    out = []
    for p in sim.periods:
        if p.short_break or p.exit_day is None or p.exit_day < p.b16:
            continue
        if p.exit_reason in ("E11", "E12", "E41", "E45", "E46", "E47", "E48"):
            continue
        if p.exit_day - max(p.entry, p.b14) < 91:
            continue
        out.append(p)
    return out


def _leaver_contacts(sim: _Journeys, leavers) -> pd.DataFrame:
    ctx = sim.ctx
    rng = ctx.rng("cared_for/care_leavers")
    rows = []
    for p in leavers:
        first = p.exit_day + int(rng.integers(7, 41))
        last = min(p.b21, ctx.end_day)
        if first > last:
            continue
        days = first + np.cumsum(np.r_[0, rng.integers(28, 85, 80)])
        days = days[days <= last]
        k = len(days)
        touch_rate = 0.97 if rng.random() < 0.88 else 0.6
        touch = np.where(rng.random(k) < touch_rate, "YES", _choice(rng, NOT_IN_TOUCH, k))
        # accommodation and activity: persistent, with occasional changes
        eet_rate = 0.7 if rng.random() < 0.7 else 0.3
        acc = _choice(rng, ACCOMMODATION, 1)[0]
        act = _choice(rng, ACTIVITY_EET if rng.random() < eet_rate else ACTIVITY_NEET, 1)[0]
        suitable = "Y" if rng.random() < 0.95 else "N"
        for j in range(k):
            if rng.random() < 0.12:
                acc = _choice(rng, ACCOMMODATION, 1)[0]
                suitable = "Y" if rng.random() < (0.95 if acc not in ("U", "V", "W") else 0.1) else "N"
            if rng.random() < 0.15:
                act = _choice(rng, ACTIVITY_EET if rng.random() < eet_rate else ACTIVITY_NEET, 1)[0]
            t = touch[j]
            rows.append((p.i, int(days[j]), "RELEVANT" if days[j] < p.b18 else "FORMER_RELEVANT", t,
                         acc if t == "YES" else None, suitable if t == "YES" else None, act if t == "YES" else None))
    return pd.DataFrame(rows, columns=["period", "day", "eligibility", "in_touch", "accommodation", "suitable",
                                       "activity"])
