"""Missing and away-without-authorisation episodes of children in care, with return interviews.

Mostly teenagers (from 11), and a few children go missing often: a share of children are
prone, with a gamma-distributed rate, the rest rarely go missing.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .helpers import _months_after
from .journeys import _Arrays, _Journeys


def _missing(sim: _Journeys, a: _Arrays) -> pd.DataFrame:
    """Missing (M) and away without authorisation (A) episodes, mostly teenagers, a few children often."""
    ctx = sim.ctx
    rng = ctx.rng("cared_for/missing")
    ps = np.flatnonzero(~a.sb)
    b11 = np.array([_months_after(int(d), 132) for d in a.dob[ps]])
    lo = np.maximum(a.entry[ps], b11)
    hi = np.minimum(a.end[ps], ctx.end_day)
    span = np.maximum(hi - lo, 0)
    prone = rng.random(len(ps)) < 0.28
    rate = np.where(prone, rng.gamma(2.0, 2.2, len(ps)), 0.08)
    n = np.minimum(rng.poisson(rate * span / 365.25), 80)
    owner = np.repeat(ps, n)
    start = np.repeat(lo, n) + np.floor(rng.random(n.sum()) * np.repeat(span, n)).astype(np.int64)
    k = len(owner)
    dur = np.where(rng.random(k) < 0.3, 0, np.where(rng.random(k) < 0.8, rng.integers(1, 4, k), rng.integers(4, 31, k)))
    kind = np.where(rng.random(len(owner)) < 0.7, "M", "A").astype(object)
    offered = np.where(kind == "M", np.where(rng.random(len(owner)) < 0.85, "Y", "N"),
                       np.where(rng.random(len(owner)) < 0.2, "Y", "N")).astype(object)
    accepted = np.where(offered == "Y", np.where(rng.random(len(owner)) < 0.55, "Y", "N"), None).astype(object)
    order = np.lexsort((start, owner))
    return pd.DataFrame({"period": owner[order], "start": start[order], "end": (start + dur)[order],
                         "type": kind[order], "offered": offered[order], "accepted": accepted[order]})
