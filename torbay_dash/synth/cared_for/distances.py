"""How far from home each placement is, and its postcode.

The share of children placed more than 20 miles away is exact at each month end: each
month's new placements are drawn far or near (agency and residential ones more often far)
until the month end's share meets its target. A placement with the same carers as an
earlier one (a copy) keeps that one's distance and postcode.
"""
from __future__ import annotations

import numpy as np

from .calibration import (FAR_AREAS, FAR_WEIGHT, FOSTER_TYPES, IFA_PROVIDER_WEIGHT, MID_AREAS, NEAR_AREAS,
                          OVER_20_MILES_PCT)
from .helpers import _curve
from .journeys import _Arrays, _Journeys


def _distances(sim: _Journeys, a: _Arrays):
    """Miles from home for each placement: the share over 20 miles is exact at each month end."""
    rng = sim.ctx.rng("cared_for/distances")
    n = len(a.pl_start)
    known = rng.random(n) >= 0.03
    far = np.zeros(n, dtype=bool)
    done = np.zeros(n, dtype=bool)
    weight = np.array([FAR_WEIGHT.get(t, 0.2) for t in a.pl_type]) \
        * np.where(np.isin(a.pl_prov, ["PR4", "PR5", "PR2"]) & np.isin(a.pl_type, FOSTER_TYPES), IFA_PROVIDER_WEIGHT, 1)
    weight = np.minimum(weight, 0.95)
    target = _curve(OVER_20_MILES_PCT, sim.me) / 100
    link = a.pl_copy.copy()

    def resolve_copies():
        while True:
            c = np.flatnonzero((link >= 0) & ~done)
            c = c[done[link[c]]]
            if not len(c):
                return
            src = link[c]
            known[c], far[c], done[c] = known[src], far[src], True

    for mi, (_, pls) in enumerate(sim.month_cla):
        resolve_copies()
        new = pls[~done[pls]]
        link[new] = -1          # a copy of a placement not yet decided is decided on its own
        fixed = pls[done[pls]]
        want = int(round(target[mi] * known[pls].sum()))
        have = int((known[fixed] & far[fixed]).sum())
        cand = new[known[new]]
        f = int(np.clip(want - have, 0, len(cand)))
        if f:
            w = weight[cand]
            far[rng.choice(cand, f, replace=False, p=w / w.sum())] = True
        done[new] = True
    resolve_copies()
    rest = np.flatnonzero(~done)
    link[rest] = -1
    far[rest] = rng.random(len(rest)) < weight[rest]
    done[rest] = True
    # miles and postcodes
    near_miles = np.where(a.pl_type == "P1", rng.uniform(0, 4, n),
                          np.where(a.pl_prov == "PR1", np.minimum(rng.gamma(2.0, 2.8, n), 19.9),
                                   rng.uniform(1, 19.9, n)))
    far_miles = np.minimum(20.5 + rng.gamma(1.6, 22, n), 260)
    miles = np.round(np.where(far, far_miles, near_miles), 1)
    # copies keep the same carers' address
    src = np.arange(n)
    while (link[src] >= 0).any():
        src = np.where(link[src] >= 0, link[src], src)
    miles = miles[src]
    distance = np.where(known, miles, np.nan)
    areas = np.where(miles > 20, rng.choice(FAR_AREAS, n),
                     np.where(miles > 8, rng.choice(MID_AREAS, n), rng.choice(NEAR_AREAS, n)))
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
    code = np.char.add(np.char.add(np.char.add(areas.astype(str), " "), rng.integers(1, 10, n).astype(str)),
                       np.char.add(rng.choice(letters, n), rng.choice(letters, n))).astype(object)
    code = code[src]
    code[(rng.random(n) < 0.1) | (~known & (rng.random(n) < 0.7)) | (a.pl_type == "P1")] = None
    return distance, code
