"""Starting a period of care and planning its journey, then carrying the plan out.

A child coming into care gets a pathway (adoption, home, special guardianship, child
arrangements, remain, short stay), a legal status, a first placement and a schedule of
events: legal status changes (protection -> interim care order -> full care order, or
placement order), planned moves (placed for adoption, home on a care order,
semi-independent living at 16+) and the end of care with its 903 reason code.
"""
from __future__ import annotations

import heapq

import numpy as np

from .calibration import (EMERGENCY_FIRST_PLACEMENT, ENTRY_PATHWAYS, IFA, INH, INSTABILITY_CAP, INSTABILITY_SHAPE,
                          LONG_TERM_TYPES, NEED_CODES, OTH, RES)
from .helpers import _by_age, _choice, _d
from .journey_state import _JourneyState, _Period


class _CarePlans(_JourneyState):
    """Entry into care, the planned journey, and the handling of each scheduled event."""

    # -- starting a period ---------------------------------------------------------------
    def _start(self, person, dob, d: int, referral=None, need=None) -> _Period:
        rng = self.rng
        p = _Period(len(self.periods), person, dob, d, referral, need or _choice(rng, NEED_CODES))
        self.periods.append(p)
        self.active[p.i] = p
        self.in_use.add(person)
        age = p.age(d)
        p.instab = min(float(rng.gamma(INSTABILITY_SHAPE, 1 / INSTABILITY_SHAPE)), INSTABILITY_CAP)
        p.team = self.cf_teams[int(rng.integers(0, len(self.cf_teams)))]
        p.pathway = self._pathway(age)
        ls = self._entry_legal_status(p, age)
        pl = self._placement(p, d)
        p.pl, p.ls_code = pl, ls
        p.ls.append([d, ls])
        p.changes.append([d, "S", ls, pl])
        self._plan(p, d, age, ls)
        return p

    def _pathway(self, age: float) -> str:
        return _choice(self.rng, _by_age(ENTRY_PATHWAYS, age))

    def _entry_legal_status(self, p: _Period, age: float) -> str:
        rng = self.rng
        if p.pathway == "short" and age >= 12 and rng.random() < 0.6:
            return "J1" if rng.random() < 0.5 else "J2"
        if p.pathway == "adopt":
            return _choice(rng, {"C1": 0.45, "L2": 0.2, "V2": 0.25, "L1": 0.1})
        if age < 10:
            return _choice(rng, {"C1": 0.4, "V2": 0.35, "L1": 0.15, "L2": 0.1})
        return _choice(rng, {"V2": 0.6, "C1": 0.25, "L1": 0.15})

    def _plan(self, p: _Period, d: int, age: float, ls: str):
        """Schedule the journey: legal status changes, planned moves, the end of care."""
        rng = self.rng
        U = lambda lo, hi: int(rng.integers(lo, hi + 1))  # noqa: E731
        self._schedule(p, p.b18, "exit", "18")
        # legal status: protection -> ICO or s20; ICO -> full care order; s20 -> ICO sometimes
        t, code = d, ls
        if code in ("L1", "L2"):
            t += U(2, 8)
            code = "C1" if p.pathway == "adopt" or rng.random() < 0.7 else "V2"
            self._schedule(p, t, "ls", code)
        if code == "V2" and (p.pathway == "adopt" or (p.pathway == "remain" and rng.random() < 0.6)
                             or (p.pathway == "home" and rng.random() < 0.1)):
            t += U(10, 60) if p.pathway == "adopt" else U(30, 240)
            code = "C1"
            self._schedule(p, t, "ls", code)
        if code == "C1" and p.pathway != "adopt":
            self._schedule(p, t + U(150, 300), "ls", "C2")
        if p.pathway == "home":
            dur = int(np.clip(rng.lognormal(np.log(180), 1.1), 5, 4000))
            end = d + dur
            if end < p.b18:
                self._schedule(p, end, "exit", "home")
                if dur > 300 and rng.random() < 0.3:
                    self._schedule(p, end - U(60, min(240, dur - 60)), "p1")
        elif p.pathway in ("sgo", "cao"):
            end = d + (U(250, 1000) if p.pathway == "sgo" else U(200, 900))
            if end < p.b18:
                self._schedule(p, end, "exit", p.pathway)
        elif p.pathway == "short":
            self._schedule(p, min(d + U(3, 90), p.b18 - 1), "exit", "short")
        elif p.pathway == "remain":
            self._plan_sixteen_plus(p, d)
        elif p.pathway == "adopt":
            self._plan_adoption(p, d)
        if rng.random() < EMERGENCY_FIRST_PLACEMENT:   # an emergency placement first, then the planned one
            self._schedule(p, d + U(4, 45), "free", "CARPL")
            if rng.random() < 0.4:                      # ... and a short-term one before that
                self._schedule(p, d + U(60, 300), "free", "CARPL")

    def _plan_sixteen_plus(self, p: _Period, d: int):
        rng = self.rng
        if rng.random() < 0.15 and p.b16 + 180 < p.b18 - 30 and p.b16 + 180 > d:
            self._schedule(p, int(rng.integers(p.b16 + 180, p.b18 - 30)), "exit", "early")
        if rng.random() < 0.35 and p.b17 + 180 > max(d, p.b16 + 180):
            self._schedule(p, int(rng.integers(max(d + 1, p.b16 + 180), p.b17 + 181)), "h5")

    def _plan_adoption(self, p: _Period, d: int):
        rng = self.rng
        U = lambda lo, hi: int(rng.integers(lo, hi + 1))  # noqa: E731
        adm = d + U(60, 200)
        po = adm + U(60, 200)
        p.adopt = {"adm": adm, "po": po, "matched": None, "placed": None, "order": None, "failed": None}
        self._schedule(p, po, "po")
        if rng.random() < 0.1:     # the plan changes before a match is found
            self._schedule(p, po + U(90, 300), "adopt_fail")
        else:
            self._schedule(p, po + U(20, 240), "place_adopt")

    # -- running the schedule ------------------------------------------------------------
    def _run_schedule(self, p: _Period, ms: int, me: int):
        while p.sched and p.sched[0][0] <= me and p.exit_day is None:
            d, seq, kind, payload = heapq.heappop(p.sched)
            d = max(d, ms, p.last_day + 1)
            if d > me:
                heapq.heappush(p.sched, (d, seq, kind, payload))
                return
            self._handle(p, d, kind, payload)

    def _handle(self, p: _Period, d: int, kind: str, payload):
        rng = self.rng
        if kind == "exit":
            if payload == "18" or p.pathway != "adopt" or p.adopt is None or p.adopt.get("failed"):
                self._exit(p, d, self._exit_code(p, d, payload))
        elif kind == "ls":
            if payload != p.ls_code and not (p.ls_code == "E1" and payload in ("C1", "C2")):
                self._change(p, d, ls=payload)
        elif kind == "free":
            if not self.pl_locked[p.pl]:
                self._change(p, d, pl=self._placement(p, d), reason=payload)
        elif kind == "p1":
            if p.ls_code in ("C1", "C2") and not self.pl_locked[p.pl]:
                self._change(p, d, pl=self._placement(p, d, OTH, "P1", "PR0"), reason="CARPL")
        elif kind == "h5":
            if self.pl_type[p.pl] not in LONG_TERM_TYPES and not self.pl_locked[p.pl] and p.age(d) >= 16:
                prov = _choice(rng, {"PR4": 0.6, "PR1": 0.25, "PR5": 0.15})
                self._change(p, d, pl=self._placement(p, d, OTH, "H5", prov), reason="CARPL")
        elif kind == "po":
            self._change(p, d, ls="E1")
            p.adopt["po"] = d
        elif kind == "adopt_fail":
            p.adopt["failed"] = d
            self._change(p, d, ls="C2")
            if rng.random() < 0.4:
                p.pathway = "sgo"
                end = d + int(rng.integers(120, 500))
                if end < p.b18:
                    self._schedule(p, end, "exit", "sgo")
            else:
                p.pathway = "remain"
        elif kind == "place_adopt":
            current = self.pl_type[p.pl]
            same = current in ("U2", "U5") or (self.pl_cat[p.pl] == INH and rng.random() < 0.2)
            prov = _choice(rng, {"PR1": 0.55, "PR2": 0.25, "PR5": 0.2})
            pl = self._placement(p, d, OTH, "A5" if same else "A6", prov, locked=True, copy=p.pl if same else -1)
            self._change(p, d, pl=pl, same_carer=same, reason="CARPL")
            p.adopt["placed"] = d
            p.adopt["matched"] = max(p.adopt["po"], d - int(rng.integers(7, 46)))
            self._schedule(p, d + 70, "adopt_ready")
        elif kind == "adopt_ready":
            self.adopt_queue.append(p)

    def _exit_code(self, p: _Period, d: int, kind: str) -> str:
        rng = self.rng
        typ, cat = self.pl_type[p.pl], self.pl_cat[p.pl]
        connected = typ in ("U1", "U2", "U3")
        if kind == "home":
            return _choice(rng, {"E4A": 0.9, "E13": 0.1} if typ == "P1" else
                           {"E4A": 0.62, "E4B": 0.1, "E13": 0.2, "E8": 0.08})
        if kind == "sgo":
            code = _choice(rng, {"E45": 0.8, "E46": 0.2} if connected else {"E45": 0.35, "E46": 0.65})
            p.perm = ("Special Guardianship Order", d)
            return code
        if kind == "cao":
            p.perm = ("Child Arrangements Order", d)
            if d < _d("2014-04-22"):
                return "E41"
            return _choice(rng, {"E47": 0.6, "E48": 0.4} if connected else {"E47": 0.2, "E48": 0.8})
        if kind == "early":
            return _choice(rng, {"E5": 0.5, "E6": 0.3, "E4B": 0.2})
        if kind == "short":
            if p.ls_code in ("J1", "J2", "J3"):
                return _choice(rng, {"E14": 0.75, "E9": 0.2, "E8": 0.05})
            return _choice(rng, {"E8": 0.35, "E3": 0.25, "E4B": 0.3, "E16": 0.1})
        # 18th birthday
        if cat in (INH, IFA):
            return _choice(rng, {"E17": 0.35, "E5": 0.3, "E6": 0.1, "E8": 0.1, "E4A": 0.15})
        if cat == RES:
            return _choice(rng, {"E5": 0.4, "E6": 0.15, "E7": 0.1, "E8": 0.15, "E4A": 0.2})
        if typ == "P1":
            return "E4A"
        return _choice(rng, {"E5": 0.5, "E6": 0.25, "E8": 0.15, "E4A": 0.1})
