"""Children starting to be looked after in a month, and who they are.

As many children start as bring the stock to the month's target. Children with a
referral open that day are preferred (more so when on a child protection plan), so the
episode carries ``clae_referral_id``; a few return to care after going home; the rest
are new to the system and added to the person registry.
"""
from __future__ import annotations

import numpy as np

from .calibration import ENTRY_AGES, NEED_CODES
from .helpers import NO_DAY, _dobs
from .journey_state import _JourneyState


class _Entries(_JourneyState):
    """Entries into care: from open referrals, returns home that break down, or new children."""

    def _enter_batch(self, ms: int, me: int, n: int) -> int:
        """Start n periods of care in the month; returns how many are still in care at its end."""
        rng, ctx = self.rng, self.ctx
        days = np.sort(rng.integers(ms, me + 1, n))
        bands = rng.choice(len(ENTRY_AGES), n, p=[w for _, w in ENTRY_AGES])
        ages = np.array([rng.integers(ENTRY_AGES[b][0][0], ENTRY_AGES[b][0][1] + 1) for b in bands])
        chosen: list = [None] * n
        for j in range(n):
            lo, hi = ENTRY_AGES[bands[j]][0]
            chosen[j] = self._from_referral(int(days[j]), lo, hi) or self._returning(int(days[j]), lo, hi)
        new = [j for j in range(n) if chosen[j] is None]
        if new:
            ids = ctx.people.add(days[new], np.where(ages[new] == 0, -0.5, ages[new]))
            dobs = _dobs(ctx, ids)
            for j, pid, dob in zip(new, ids, dobs):
                chosen[j] = (pid, int(dob), None, None)
        still = 0
        for j in range(n):
            pid, dob, referral, need = chosen[j]
            p = self._start(pid, dob, int(days[j]), referral, need)
            self._run_schedule(p, ms, me)
            still += p.exit_day is None
        return still

    def _from_referral(self, d: int, lo: int, hi: int):
        r = self.ref
        if r is None or self.rng.random() < 0.1:
            return None
        age = (d - r["dob"]) / 365.25
        rows = np.flatnonzero((r["start"] <= d) & (r["close"] > d) & (age >= lo) & (age < hi + 1) & (age >= 0))
        rows = [i for i in rows if self._free(r["person"][i], d)]
        if not rows:
            return None
        rows = np.array(rows)
        w = np.ones(len(rows))
        if self.cp is not None:
            person, start, end = self.cp
            on_plan = set(person[(start <= d) & (end > d)])
            w += 2.0 * np.array([r["person"][i] in on_plan for i in rows])
        i = int(rows[self.rng.choice(len(rows), p=w / w.sum())])
        need = r["need"][i]
        need = need if isinstance(need, str) and need in NEED_CODES else None
        self.in_use.add(r["person"][i])
        return (r["person"][i], int(r["dob"][i]), r["id"][i], need)

    def _free(self, person, d: int) -> bool:
        """Not in care now, and out of care for at least a month on day d."""
        return person not in self.in_use and self.left.get(person, NO_DAY) < d - 30

    def _returning(self, d: int, lo: int, hi: int):
        """A child who went home earlier comes back into care."""
        if self.rng.random() >= 0.08:
            return None
        pool = [p for p in self.home_leavers if p.exit_day <= d - 120 and self._free(p.person, d)
                and lo <= p.age(d) < min(hi + 1, 17)]
        if not pool:
            return None
        p = pool[int(self.rng.integers(0, len(pool)))]
        self.in_use.add(p.person)
        return (p.person, p.dob, None, p.need)

