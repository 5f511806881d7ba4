"""The children already in care when the history starts.

Their ages follow the stock's age profile and their time in care is drawn backwards from
the first day; a few young children are already placed for adoption and waiting for the
order. Each gets a pathway, legal status and current placement, and the placement mix is
then set to the first month end's targets without any moves.
"""
from __future__ import annotations

import numpy as np

from .calibration import CLA_STOCK, INSTABILITY_CAP, INSTABILITY_SHAPE, NEED_CODES, OTH, STOCK_AGES, STOCK_PATHWAYS
from .helpers import _by_age, _choice, _curve, _dobs
from .journey_state import _JourneyState, _Period


class _InitialStock(_JourneyState):
    """The stock of children looked after on the day before the history starts."""

    def _initial_stock(self):
        ctx, rng = self.ctx, self.rng
        start = ctx.start_day
        n = int(round(_curve(CLA_STOCK, [start - 1])[0] * ctx.scale))
        n_queue = int(round(6 * ctx.scale))
        bands = rng.choice(len(STOCK_AGES), n, p=[w for _, w in STOCK_AGES])
        lo = np.array([STOCK_AGES[b][0][0] for b in bands])
        hi = np.array([STOCK_AGES[b][0][1] for b in bands])
        age_s = np.minimum(lo + rng.random(n) * (hi - lo + 1), 17.45)
        queue = np.zeros(n, dtype=bool)
        young = np.flatnonzero((age_s >= 2) & (age_s < 4.5))
        queue[rng.choice(young, min(n_queue, len(young)), replace=False)] = True
        tic = np.minimum(np.maximum(age_s * 365.25 - 30, 1), rng.exponential(900, n))
        tic = np.where(queue, np.minimum(age_s * 365.25 - 30, 420 + rng.integers(0, 300, n)), tic)
        tic = np.maximum(tic, 1).astype(np.int64)
        entry = start - 1 - tic
        age_e = np.maximum(age_s - tic / 365.25 - 0.5, 0)
        persons = ctx.people.add(entry, age_e)
        dobs = _dobs(ctx, persons)
        order = np.argsort(entry, kind="stable")
        for j in order:
            self._initial_period(persons[j], dobs[j], int(entry[j]), bool(queue[j]))
        # the placement mix at the start: as the first month end's targets, with no moves
        self._compose(self.res_target[0], self.inh_pct[0], start - 1, start - 1, corrective=False)

    def _initial_period(self, person, dob, entry: int, queued: bool):
        rng, start = self.rng, self.ctx.start_day
        U = lambda lo, hi: int(rng.integers(lo, hi + 1))  # noqa: E731
        p = _Period(len(self.periods), person, dob, entry, None, _choice(rng, NEED_CODES))
        p.initial = True
        self.periods.append(p)
        self.active[p.i] = p
        self.in_use.add(person)
        p.instab = min(float(rng.gamma(INSTABILITY_SHAPE, 1 / INSTABILITY_SHAPE)), INSTABILITY_CAP)
        p.team = self.cf_teams[int(rng.integers(0, len(self.cf_teams)))]
        age = p.age(start)
        tic = start - entry
        if queued:
            placed = start - U(20, 200)
            po = placed - U(20, 150)
            entry_ok = max(min(entry, po - 150), int(dob) + 1)
            p.entry = entry_ok
            adm = entry_ok + U(60, max(61, po - entry_ok - 30))
            p.pathway = "adopt"
            p.adopt = {"adm": adm, "po": po, "matched": max(po, placed - U(7, 45)), "placed": placed,
                       "order": None, "failed": None}
            prov = _choice(rng, {"PR1": 0.55, "PR2": 0.25, "PR5": 0.2})
            pl = self._placement(p, placed, OTH, _choice(rng, {"A5": 0.3, "A6": 0.7}), prov, locked=True)
            p.pl, p.ls_code = pl, "E1"
            p.ls.append([po, "E1"])
            p.changes.append([placed, "P", "E1", pl])
            p.last_day = placed
            self._schedule(p, placed + 70, "adopt_ready")
            self._schedule(p, p.b18, "exit", "18")
            return
        p.pathway = _choice(rng, _by_age(STOCK_PATHWAYS, age))
        if p.pathway == "adopt" and tic > 250:
            p.pathway = "sgo"
        # legal status and current placement
        if p.pathway == "short" and age >= 12:
            code, ls_start = "J1", entry
        elif tic > 240:
            if tic > 9 * 365 and rng.random() < 0.3:
                code, ls_start = "D1", entry + U(200, 600)
            else:
                code = _choice(rng, {"C2": 0.72, "V2": 0.28} if age >= 10 else {"C2": 0.85, "V2": 0.15})
                ls_start = entry + U(150, min(300, tic - 1)) if code == "C2" else entry
        else:
            code, ls_start = ("C1" if p.pathway == "adopt" or rng.random() < 0.55 else "V2"), entry
        pl_start = max(entry, start - 1 - int(min(tic, rng.exponential(550))))
        ep_start = max(pl_start, ls_start)
        rne = "S" if ep_start == entry else ("P" if pl_start >= ls_start else "L")
        pl = self._placement(p, pl_start)
        p.pl, p.ls_code = pl, code
        p.ls.append([ls_start, code])
        p.changes.append([ep_start, rne, code, pl])
        p.last_day = ep_start
        self._schedule(p, p.b18, "exit", "18")
        if code == "C1" and p.pathway != "adopt":
            self._schedule(p, max(entry + U(150, 300), start), "ls", "C2")
        if p.pathway == "home":
            self._schedule(p, start + int(np.clip(rng.lognormal(np.log(150), 1.1), 3, 3000)), "exit", "home")
        elif p.pathway == "sgo":
            self._schedule(p, start + U(60, 700), "exit", "sgo")
        elif p.pathway == "cao":
            self._schedule(p, start + U(60, 600), "exit", "cao")
        elif p.pathway == "short":
            self._schedule(p, start + U(5, 60), "exit", "short")
        elif p.pathway == "remain":
            self._plan_sixteen_plus(p, start)
        elif p.pathway == "adopt":
            self._plan_adoption(p, max(entry, start - 150))
            if code == "V2":
                self._schedule(p, start + U(5, 30), "ls", "C1")
