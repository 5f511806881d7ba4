"""The statutory checks on children in care: visits, reviews, health and dental checks.

Visits are steered so that the compliance at each month end equals its target (with a
first-week visit after most moves); reviews follow the 20-working-day, 3-month, 6-month
cycle, held late more or less often as the service's culture drifts; health assessments
and dental checks recur, with carers who slip and the COVID closure of dentists.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .calibration import DENTAL_CLOSED, FIRST_WEEK_VISIT, LONG_TERM_TYPES, REVIEW_LATE, VISITS_PCT
from .helpers import NO_DAY, _curve, _d, _months_after
from .journeys import _Arrays, _Journeys


def _visits(sim: _Journeys, a: _Arrays) -> pd.DataFrame:
    """Statutory visits: at each month end the compliance equals its target."""
    ctx = sim.ctx
    rng = ctx.rng("cared_for/visits")
    target = _curve(VISITS_PCT, sim.me) / 100
    first_week = _curve(FIRST_WEEK_VISIT, sim.me)
    last = np.full(a.n, NO_DAY, dtype=np.int64)
    long_term = np.isin(a.pl_type, LONG_TERM_TYPES)
    out_p, out_d = [], []
    pending_p = np.zeros(0, dtype=np.int64)
    pending_d = np.zeros(0, dtype=np.int64)
    starts_order = np.argsort(a.pl_start, kind="stable")
    sorted_starts = a.pl_start[starts_order]
    for mi, (per, pls) in enumerate(sim.month_cla):
        ms, me = int(sim.ms[mi]), int(sim.me[mi])
        # a visit in the first week of each placement that starts this month
        lo, hi = np.searchsorted(sorted_starts, [ms, me + 1])
        new = starts_order[lo:hi]
        new = new[~a.sb[a.pl_period[new]]]
        go = rng.random(len(new)) < first_week[mi]
        new = new[go]
        vd = a.pl_start[new] + rng.integers(0, 7, len(new))
        p_new = a.pl_period[new]
        pl_end = np.where(a.pl_end[new] == NO_DAY, 10 ** 9, a.pl_end[new])
        ok = (vd < pl_end) & (vd < a.end[p_new]) & (vd <= ctx.end_day)
        vd, p_new = vd[ok], p_new[ok]
        out_p.append(p_new)
        out_d.append(vd)
        pending_p = np.concatenate([pending_p, p_new])
        pending_d = np.concatenate([pending_d, vd])
        now = pending_d <= me
        np.maximum.at(last, pending_p[now], pending_d[now])
        pending_p, pending_d = pending_p[~now], pending_d[~now]
        if not len(per):
            continue
        start = a.pl_start[pls]
        exempt = (me - start) <= 7
        interval = np.where(long_term[pls] & (me - start > 365), 91, 42)
        covered = exempt | (me - last[per] <= interval)
        need = int(round(target[mi] * len(per))) - int(covered.sum())
        cand = np.flatnonzero(~covered)
        if need > 0 and len(cand):
            since = np.minimum(me - np.maximum(last[per[cand]], me - 400), 400)
            w = (30 + since) * rng.random(len(cand))
            pick = cand[np.argsort(-w, kind="stable")[:need]]
            lo_day = np.maximum(ms, a.entry[per[pick]])
            vd = lo_day + np.floor(rng.random(len(pick)) * (me - lo_day + 1)).astype(np.int64)
            out_p.append(per[pick])
            out_d.append(vd)
            np.maximum.at(last, per[pick], vd)
    p_all = np.concatenate(out_p) if out_p else np.zeros(0, dtype=np.int64)
    d_all = np.concatenate(out_d) if out_d else np.zeros(0, dtype=np.int64)
    seen = np.full(len(p_all), "Y", dtype=object)
    # visits where the child was not seen (no access, child out): never count as compliant
    extra = int(len(p_all) * 0.04)
    if extra:
        ix = rng.integers(0, len(p_all), extra)
        ed = d_all[ix] - rng.integers(1, 20, extra)
        ok = ed > a.entry[p_all[ix]]
        p_all = np.concatenate([p_all, p_all[ix][ok]])
        d_all = np.concatenate([d_all, ed[ok]])
        seen = np.concatenate([seen, np.full(int(ok.sum()), "N", dtype=object)])
    order = np.lexsort((d_all, p_all))
    p_all, d_all, seen = p_all[order], d_all[order], seen[order]
    age = (d_all - a.dob[p_all]) / 365.25
    alone = np.where(seen == "N", None,
                     np.where(age < 4, "N", np.where(rng.random(len(p_all)) < 0.68, "Y", "N"))).astype(object)
    alone[(seen == "Y") & (rng.random(len(p_all)) < 0.04)] = None
    return pd.DataFrame({"period": p_all, "day": d_all, "seen": seen, "alone": alone})


def _reviews(sim: _Journeys, a: _Arrays) -> pd.DataFrame:
    """Reviews: first within 20 working days, second within 3 months, then every 6 months."""
    ctx = sim.ctx
    rng = ctx.rng("cared_for/reviews")
    xs = np.array([_d(d) for d, _ in REVIEW_LATE], dtype=np.float64)
    ys = np.array([v for _, v in REVIEW_LATE])
    rows = []
    for p in sim.periods:
        if p.short_break:
            continue
        end = p.exit_day if p.exit_day is not None else 10 ** 9
        if p.initial:
            held_prev = ctx.start_day - int(rng.integers(1, 180))
            due, scheduled, k = _months_after(held_prev, 6), held_prev, 2
        else:
            held_prev = p.entry
            due, scheduled, k = sim.wd.add(p.entry, 20), p.entry, 0
        while due < end:
            late = rng.random() < np.interp(due, xs, ys)
            if rng.random() < 0.03:   # cancelled, then held late
                rows.append((p.i, due, None, "Y", scheduled))
                late = True
            held = due + int(rng.integers(1, 46)) if late else due - int(rng.integers(0, 11))
            held = max(held, held_prev + 1)
            if held >= end:
                break
            if held > ctx.end_day:
                rows.append((p.i, due, None, None, scheduled))
                break
            rows.append((p.i, due, held, "N", scheduled))
            held_prev = scheduled = held
            due = _months_after(held, 3 if k == 0 else 6)
            k += 1
    return pd.DataFrame(rows, columns=["period", "due", "held", "cancelled", "anchor"])


def _health(sim: _Journeys, a: _Arrays) -> pd.DataFrame:
    """Health assessments (6-monthly under 5, then annual) and dental checks (annual; COVID gap)."""
    ctx = sim.ctx
    rng = ctx.rng("cared_for/health")
    closed_from, closed_to = DENTAL_CLOSED
    rows = []
    for p in sim.periods:
        if p.short_break:
            continue
        end = min(p.exit_day if p.exit_day is not None else 10 ** 9, ctx.end_day + 1)
        for kind in ("Health Assessment", "Dental Check"):
            dental = kind == "Dental Check"
            if p.initial:
                last = ctx.start_day - int(rng.integers(1, 330))
                due = last + (182 if p.age(last) < 5 and not dental else 365)
            else:
                due = p.entry + (int(rng.integers(10, 29)) if not dental else int(rng.integers(30, 120)))
            if dental and p.age(due) < 1:
                due = _months_after(p.dob, 12)
            careless = rng.random() < (0.55 if dental else 0.5)   # carers and children who often slip
            t = due
            fresh = True
            while True:
                if fresh:
                    on_time = rng.random() < (0.4 if careless else 0.92)
                    t = t - int(rng.integers(0, 40)) if on_time else t + int(rng.integers(20, 240))
                t = max(t, p.entry + 1)
                fresh = False
                if t >= end:
                    break
                if dental and closed_from <= t <= closed_to:
                    if rng.random() < 0.045:
                        rows.append((p.person, kind, t, "Completed"))
                        t, fresh = t + 365, True
                        continue
                    if rng.random() < 0.3:
                        rows.append((p.person, kind, t, "Not Completed"))
                    t += int(rng.integers(60, 121))
                    if t > closed_to:   # dentists reopen: the backlog is worked through over months
                        t = closed_to + int(rng.integers(1, 360))
                    continue
                age = p.age(t)
                if age >= 12 and rng.random() < (0.08 if not dental else 0.05):
                    rows.append((p.person, kind, t, "Refused"))
                    t += int(rng.integers(30, 150))
                    continue
                rows.append((p.person, kind, t, "Completed"))
                t += 182 if (age < 5 and not dental) else 365
                fresh = True
    return pd.DataFrame(rows, columns=["person", "kind", "day", "status"])
