"""One month of the journeys: scheduled events, exits matched to the target, unplanned moves.

Each month the exits are first matched to the month's stock and starts targets: planned
exits slip a few weeks when there are too many, or come forward (and, from April 2020,
settled children leave care on an order) when there are too few. Adoption orders are
granted to a court quota per financial year. Unplanned moves follow each child's
propensity. Then entries bring the stock to its target and the placement mix is set.
"""
from __future__ import annotations

import heapq

import numpy as np

from .calibration import (FLEXIBLE_EXITS, IFA, INH, MOVE_RATE, OTH, PERMANENCE_DRIVE_FROM,
                          PERMANENCE_DRIVE_RATE, RES, SETTLED_FACTOR)
from .helpers import _d, _pick
from .journey_state import _JourneyState


class _MonthlyFlow(_JourneyState):
    """The month loop and the exits, adoption orders and moves within a month."""

    def run(self):
        self._initial_stock()
        self._close_pending()
        for mi in range(len(self.me)):
            self._month(mi)
        return self

    def _month(self, mi: int):
        ms, me = int(self.ms[mi]), int(self.me[mi])
        target, starts = int(self.stock_target[mi]), int(self.starts_target[mi])
        # exits beyond what the month's stock and starts need: planned ones slip a few weeks
        surplus = self._exits_due(me) + int(self.adopt_quota[mi]) - (len(self.active) + starts - target)
        if surplus > 0:
            self._postpone_exits(surplus, me)
        for p in list(self.active.values()):
            self._run_schedule(p, ms, me)
        self._adoption_orders(mi, ms, me)
        # exits fall short: permanence for settled children (from 2020), planned exits come forward
        short = len(self.active) + starts - target
        if short > 0:
            short -= self._permanence_drive(short, ms, me)
        if short > 0:
            self._bring_forward_exits(short, ms, me)
        self._random_moves(ms, me)
        need = target - len(self.active)
        for _ in range(8):
            if need <= 0:
                break
            need -= self._enter_batch(ms, me, need)
        self._compose(self.res_target[mi], self.inh_pct[mi], ms, me, corrective=True)
        self._close_pending()
        act = list(self.active.values())
        self.month_cla.append((np.array([p.i for p in act], dtype=np.int64),
                               np.array([p.pl for p in act], dtype=np.int64)))

    def _exits_due(self, me: int) -> int:
        return sum(any(kind == "exit" and d <= me for d, _, kind, _ in p.sched) for p in self.active.values())

    def _postpone_exits(self, k: int, me: int):
        rng = self.rng
        due = [p for p in self.active.values()
               if any(kind == "exit" and payload in FLEXIBLE_EXITS and d <= me for d, _, kind, payload in p.sched)]
        for p in _pick(rng, due, k):
            p.sched = [(me + int(rng.integers(1, 46)) if kind == "exit" and payload in FLEXIBLE_EXITS and d <= me
                        else d, seq, kind, payload) for d, seq, kind, payload in p.sched]
            heapq.heapify(p.sched)

    def _adoption_orders(self, mi: int, ms: int, me: int):
        quota = int(self.adopt_quota[mi])
        if quota <= 0:
            return
        ready = [p for p in self.adopt_queue if p.exit_day is None and p.adopt["placed"] + 70 <= me]
        ready.sort(key=lambda p: p.adopt["placed"])
        done = 0
        for p in ready:
            if done >= quota:
                break
            d = self._day_after(p, max(ms, p.adopt["placed"] + 70), me)
            if d is None:
                continue
            p.adopt["order"] = d
            self._exit(p, d, "E11" if self.rng.random() < 0.7 else "E12")
            done += 1
        self.adopt_queue = [p for p in self.adopt_queue if p.exit_day is None]
        if done < quota and mi + 1 < len(self.adopt_quota) and self.fy[mi + 1] == self.fy[mi]:
            self.adopt_quota[mi + 1] += quota - done   # the court backlog carries over

    def _bring_forward_exits(self, k: int, ms: int, me: int):
        cands = []
        for p in self.active.values():
            for d, _, kind, payload in p.sched:
                if kind == "exit" and payload in FLEXIBLE_EXITS and d <= me + 120 and p.last_day < me:
                    cands.append((d, p.i, payload))
                    break
        cands.sort()
        for _, i, payload in cands[:k]:
            p = self.periods[i]
            d = self._day_after(p, ms, me)
            self._exit(p, d, self._exit_code(p, d, payload))

    def _permanence_drive(self, k: int, ms: int, me: int) -> int:
        """From April 2020, children settled with family leave care on an order (the review's
        "major improvements in securing permanency"): SGOs to connected carers, care orders discharged."""
        if me < PERMANENCE_DRIVE_FROM:
            return 0
        rng = self.rng
        done = 0
        for p in list(self.active.values()):
            if done >= k:
                break
            typ = self.pl_type[p.pl]
            # orders usually conclude within one to two and a half years of coming into care
            if p.pathway not in ("remain", "sgo", "home") or not 365 <= me - p.entry < 900 or p.age(me) >= 16:
                continue
            if typ in ("U1", "U2", "U3", "P1"):
                rate = PERMANENCE_DRIVE_RATE
            elif typ in ("U4", "U6") and self.pl_prov[p.pl] == "PR1" and p.age(me) < 14:
                rate = PERMANENCE_DRIVE_RATE / 4     # special guardianship to their foster carers
            else:
                continue
            if rng.random() >= rate:
                continue
            d = self._day_after(p, ms, me)
            if d is None:
                continue
            if typ == "P1":
                self._exit(p, d, "E4A")
            else:
                p.perm = ("Special Guardianship Order", d)
                self._exit(p, d, "E45")
            done += 1
        return done

    def _random_moves(self, ms: int, me: int):
        rng = self.rng
        act = list(self.active.values())
        u = rng.random(len(act))
        era = 0.8 if me >= _d("2020-04-01") else 1.4 if me >= _d("2019-04-01") else 1.0
        for p, x in zip(act, u):
            pl = p.pl
            if self.pl_locked[pl] or self.pl_cat[pl] is None:
                continue
            typ, cat = self.pl_type[pl], self.pl_cat[pl]
            age = p.age(me)
            months_in = (me - self.pl_start[pl]) / 30.4
            h = MOVE_RATE * p.instab * era
            h *= 0.6 if age < 5 else 0.8 if age < 10 else 1.3 if age < 16 else 1.1
            h *= {INH: 0.9, IFA: 1.1, RES: 1.3, OTH: 0.6}[cat] * (0.3 if typ == "P1" else 1.0)
            h *= 1.8 if months_in < 3 else 1.0 if months_in < 12 else 0.7 if months_in < 24 else SETTLED_FACTOR
            if x < h:
                d = self._day_after(p, ms, me)
                if d is not None:
                    self._change(p, d, pl=self._placement(p, d))
            elif (p.pathway == "remain" and typ in ("U3", "U6") and months_in > 12 and x < h + 0.012):
                d = self._day_after(p, ms, me)   # the placement is made long-term: same carers
                if d is not None:
                    new = self._placement(p, d, cat, "U1" if typ == "U3" else "U4", self.pl_prov[pl], copy=pl)
                    self._change(p, d, pl=new, same_carer=True, reason="PLACE")

