"""Short-break children (V3 individual stays, V4 agreements; children with disabilities team).

They have episodes and placements but never count as looked after, so they are simulated
after the journeys, from their own random stream, and never enter the month-end stock.
"""
from __future__ import annotations

from .calibration import INH, RES, SHORT_BREAK_AGREEMENTS, SHORT_BREAK_V3_CHILDREN
from .helpers import _dobs, _months_after
from .journey_state import _JourneyState, _Period


class _ShortBreaks(_JourneyState):
    """Short-break agreements kept at their target number, and a few children with short stays."""

    def short_breaks(self):
        ctx = self.ctx
        rng = ctx.rng("cared_for/short_breaks")
        target = SHORT_BREAK_AGREEMENTS * ctx.scale
        open_ends: list[int] = []
        for mi in range(len(self.me)):
            ms, me = int(self.ms[mi]), int(self.me[mi])
            open_ends = [e for e in open_ends if e > me]
            n = int(round(target)) if mi == 0 else max(0, int(round(target - len(open_ends))))
            n += int(mi > 0 and rng.random() < 0.25 * ctx.scale)   # turnover keeps starts going
            v3 = int(rng.poisson(SHORT_BREAK_V3_CHILDREN * ctx.scale / 12))
            if n + v3 == 0:
                continue
            days = rng.integers(ms, me + 1, n + v3)
            if mi == 0:    # agreements already running when the history starts
                days[:n] -= rng.integers(0, 600, n)
            ages = rng.integers(5, 16, n + v3)
            ids = ctx.people.add(days, ages)
            dobs = _dobs(ctx, ids)
            for j in range(n + v3):
                if j < n:
                    start = int(days[j])
                    end = min(start + int(rng.integers(180, 901)), _months_after(int(dobs[j]), 216) - 1)
                    end = max(end, start + 30)
                    open_ends.append(end)
                    self._short_break(ids[j], dobs[j], start, end, "V4", rng)
                else:
                    d = int(days[j])
                    for _ in range(int(rng.integers(3, 9))):
                        if d > ctx.end_day:
                            break
                        self._short_break(ids[j], dobs[j], d, d + int(rng.integers(2, 8)), "V3", rng)
                        d += int(rng.integers(20, 61))

    def _short_break(self, person, dob, start: int, end: int, code: str, rng) -> _Period:
        p = _Period(len(self.periods), person, dob, start, None, "N2", short_break=True)
        self.periods.append(p)
        p.pathway, p.team = "short_break", self.dis_team
        typ = "U6" if code == "V3" or rng.random() < 0.7 else "K2"
        pl = self._placement(p, start, INH if typ == "U6" else RES, typ, "PR1")
        p.pl, p.ls_code = pl, code
        p.ls.append([start, code])
        p.changes.append([start, "S", code, pl])
        if end <= self.ctx.end_day:
            p.exit_day, p.exit_reason = end, ("E4A" if code == "V3" else "E8")
            self.pl_end[pl] = end
        return p
