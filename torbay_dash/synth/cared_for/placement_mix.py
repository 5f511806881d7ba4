"""The placement mix: each new placement's category, type and provider.

Every placement that starts in a month gets its category (in-house foster, agency
foster, residential, other) so that the residential count and the in-house share at the
month end equal their targets; when the month's new placements cannot do it, a few
children are moved (step-downs from residential care, moves to the authority's own
carers) -- the way Torbay's sufficiency strategy did it. Placements not seen at a month
end take a natural category; then each gets a 903 type and provider.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .calibration import IFA, INH, OTH, RES
from .helpers import _choice, _pick
from .journey_state import _JourneyState, _Period


class _Moves(NamedTuple):
    """Children who may be moved to correct the mix, their weights, and for their new placement
    the change reason recorded (a fixed code, or chances to draw one) and the categories it may not take."""
    children: list
    weights: list
    reason: str | dict
    forbid: set | tuple

    def draw_reason(self, rng: np.random.Generator) -> str:
        return self.reason if isinstance(self.reason, str) else _choice(rng, self.reason)


class _PlacementMix(_JourneyState):
    """Categories steered to the month end's targets, corrective moves, then type and provider."""

    def _weights(self, p: _Period, d: int) -> np.ndarray:
        """Natural chances of each category (INH, IFA, RES, OTH) for a new placement."""
        age = p.age(d)
        if p.pathway == "adopt" or age < 10:
            w = np.array([0.72, 0.22, 0.0, 0.06 if p.ls_code in ("C1", "C2") else 0.01])
        elif age < 16:
            w = np.array([0.55, 0.25, 0.15, 0.05])
        else:
            w = np.array([0.35, 0.15, 0.12, 0.38])
        if p.ls_code in ("J1", "J2") and age >= 12:
            w[RES] += 0.1
        return w

    def _corrective(self, p: _Period, ms: int, me: int, reason: str, forbid=(), require=None) -> bool:
        d = self._day_after(p, ms, me)
        if d is None:
            return False
        pl = self._placement(p, d)
        self._change(p, d, pl=pl, reason=reason)
        self.rules[pl] = (set(forbid), require)
        return True

    def _compose(self, res_target: float, inh_pct: float, ms: int, me: int, corrective: bool):
        """Give this month's new placements categories so that the month end meets the targets."""
        rng = self.rng
        act = list(self.active.values())
        cat = self.pl_cat
        free = [p for p in act if cat[p.pl] is None]
        fixed = [p for p in act if cat[p.pl] is not None]

        def movable(p):
            return not self.pl_locked[p.pl] and p.last_day < me

        def longest_placed(children):
            return [1 + (me - self.pl_start[p.pl]) / 365 for p in children]

        # residential: exact count; step-downs when too many, moves from foster care when too few
        need = int(res_target) - sum(cat[p.pl] == RES for p in fixed)
        elig = [p for p in free if self._weights(p, me)[RES] > 0 and RES not in self.rules.get(p.pl, ((), None))[0]]
        step_downs = [p for p in fixed if cat[p.pl] == RES and movable(p)]
        to_residential = [p for p in fixed if cat[p.pl] in (INH, IFA) and movable(p) and p.age(me) >= 11
                          and p.pathway != "adopt"]
        self._steer(RES, need, elig, free, ms, me, corrective,
                    out=_Moves(step_downs, longest_placed(step_downs), {"CARPL": 0.8, "LAREQ": 0.2}, {RES}),
                    into=_Moves(to_residential, [p.instab * (2 if cat[p.pl] == IFA else 1) for p in to_residential],
                                {"CREQB": 0.6, "CHILD": 0.2, "ALLEG": 0.2}, ()))
        remaining = [p for p in free if cat[p.pl] is None]
        for p in remaining:
            self.rules.setdefault(p.pl, (set(), None))[0].add(RES)
        # in-house foster: exact share of the children looked after at the month end
        target = int(round(inh_pct / 100 * len(act)))
        need = target - sum(cat[p.pl] == INH for p in act)
        elig = [p for p in remaining if INH not in self.rules[p.pl][0]]
        from_in_house = [p for p in act if cat[p.pl] == INH and movable(p)]
        to_in_house = [p for p in act if cat[p.pl] == IFA and movable(p)]
        self._steer(INH, need, elig, remaining, ms, me, corrective,
                    out=_Moves(from_in_house, [p.instab * (1.5 if p.age(me) >= 10 else 1) for p in from_in_house],
                               {"CREQB": 0.4, "CREQO": 0.3, "ALLEG": 0.1, "STAND": 0.1, "APPRR": 0.1}, {INH, RES}),
                    into=_Moves(to_in_house, longest_placed(to_in_house), "LAREQ", {RES}))
        for p in remaining:
            if cat[p.pl] is None:
                w = self._weights(p, me)[[IFA, OTH]]
                cat[p.pl] = OTH if rng.random() < w[1] / w.sum() else IFA

    def _steer(self, code: int, need: int, elig: list, new: list, ms: int, me: int, corrective: bool,
               out: _Moves, into: _Moves):
        """Give `need` of the eligible new placements category `code`. When corrective and they cannot
        meet the target, children are moved: out of `code` when there are too many (their new placement
        may not take it), into it when the eligible ones are too few. Moved children join `new`."""
        rng = self.rng
        required = []
        if corrective and need < 0:
            for p in _pick(rng, out.children, -need, out.weights):
                if self._corrective(p, ms, me, out.draw_reason(rng), forbid=out.forbid):
                    new.append(p)
            need = 0
        elif corrective and need > len(elig):
            for p in _pick(rng, into.children, need - len(elig), into.weights):
                if self._corrective(p, ms, me, into.draw_reason(rng), forbid=into.forbid, require=code):
                    new.append(p)
                    required.append(p)
        need = max(0, need)
        rest = [p for p in elig if p not in required]
        chosen = required[:need] + _pick(rng, rest, need - len(required[:need]),
                                         [self._weights(p, me)[code] for p in rest])
        for p in chosen:
            self.pl_cat[p.pl] = code

    def _close_pending(self):
        """Categories for placements not seen at a month end, then type and provider for all new ones."""
        rng = self.rng
        for pl in self.pending:
            p = self.periods[self.pl_period[pl]]
            if self.pl_cat[pl] is None:
                w = self._weights(p, self.pl_start[pl])
                forbid, _ = self.rules.get(pl, (set(), None))
                for c in forbid:
                    w[c] = 0
                if w.sum() == 0:
                    w[IFA] = 1
                self.pl_cat[pl] = int(rng.choice(4, p=w / w.sum()))
            self._fill(pl, p)
        self.pending = []
        self.rules = {}

    def _fill(self, pl: int, p: _Period):
        rng = self.rng
        d, cat = self.pl_start[pl], self.pl_cat[pl]
        age = p.age(d)
        long_term = p.pathway == "remain" and rng.random() < (0.6 if d - p.entry >= 180 else 0.12)
        ffa = p.pathway == "adopt" and age < 2 and rng.random() < 0.3
        if cat == INH:
            if rng.random() < 0.28:
                typ = "U1" if long_term else "U2" if ffa else "U3"
            else:
                typ = "U4" if long_term else "U5" if ffa else "U6"
            prov = "PR1"
        elif cat == IFA:
            typ = "U4" if long_term else "U5" if ffa else "U6"
            prov = _choice(rng, {"PR4": 0.72, "PR5": 0.2, "PR2": 0.08})
        elif cat == RES:
            if age >= 12 and rng.random() < 0.06:
                typ, prov = "K1", _choice(rng, {"PR2": 0.85, "PR3": 0.15})
            else:
                typ = _choice(rng, {"K2": 0.8, "S1": 0.12, "R1": 0.08})
                prov = _choice(rng, {"K2": {"PR4": 0.75, "PR1": 0.1, "PR5": 0.1, "PR2": 0.05},
                                     "S1": {"PR4": 0.6, "PR5": 0.3, "PR3": 0.1},
                                     "R1": {"PR4": 0.6, "PR5": 0.2, "PR3": 0.2}}[typ])
        else:
            if age >= 16:
                typ, prov = "H5", _choice(rng, {"PR4": 0.6, "PR1": 0.25, "PR5": 0.15})
            elif p.ls_code in ("C1", "C2") and rng.random() < 0.7:
                typ, prov = "P1", "PR0"
            else:
                typ, prov = "Z1", _choice(rng, {"PR0": 0.5, "PR3": 0.5})
        self.pl_type[pl], self.pl_prov[pl] = typ, prov

