"""The state the journey simulation works on, and the primitives that change it.

``_Period`` is one period of care; ``_JourneyState`` holds every period and placement
(placements column-wise), the month grid with its targets, the referrals children may
come into care from, and the low-level changes (a new placement, a new episode, an
exit). The behaviour is added by the mixins in the sibling modules and put together in
``journeys._Journeys``.
"""
from __future__ import annotations

import heapq

import numpy as np

from ..context import SynthContext, WorkingDays
from .calibration import (ADOPTIONS, CARE_STARTS, CLA_STOCK, EXACT_DATES, IN_HOUSE_FOSTER_PCT,
                          PLACEMENT_CHANGE_REASONS, RESIDENTIAL_COUNT)
from .helpers import _choice, _curve, _d, _days, _months_after


class _Period:
    """One period of care (clae_cla_id): its episodes, placements and legal statuses."""
    __slots__ = ("i", "person", "dob", "b14", "b16", "b17", "b18", "b21", "entry", "pathway", "exit_day",
                 "exit_reason", "changes", "ls", "pl", "ls_code", "last_day", "sched", "instab", "referral",
                 "need", "short_break", "team", "adopt", "perm", "initial", "seq")

    def __init__(self, i, person, dob, entry, referral, need, short_break=False):
        self.i, self.person, self.dob, self.entry = i, person, int(dob), int(entry)
        self.b14, self.b16, self.b17, self.b18, self.b21 = (_months_after(dob, 12 * y) for y in (14, 16, 17, 18, 21))
        self.referral, self.need, self.short_break = referral, need, short_break
        self.pathway = None
        self.exit_day = None
        self.exit_reason = None
        self.changes: list[list] = []   # [start day, RNE, legal status, placement index]
        self.ls: list[list] = []        # [start day, legal status]
        self.pl = -1
        self.ls_code = None
        self.last_day = int(entry)
        self.sched: list = []
        self.instab = 1.0
        self.team = None
        self.adopt: dict | None = None
        self.perm = None                # (order type, order day) for SGO / CAO
        self.initial = False
        self.seq = 0

    def age(self, d: int) -> float:
        return (d - self.dob) / 365.25


class _JourneyState:
    """Periods, placements and month targets, with the primitives every journey step uses."""

    def __init__(self, ctx: SynthContext):
        self.ctx = ctx
        self.rng = ctx.rng("cared_for/journeys")
        first = np.datetime64(ctx.start, "M")
        months = np.arange(first, np.datetime64(ctx.end, "M") + 1)
        self.ms = np.maximum((months.astype("datetime64[D]") - np.datetime64("1970-01-01")).astype(np.int64),
                             ctx.start_day)
        self.me = np.minimum(((months + 1).astype("datetime64[D]") - np.datetime64("1970-01-01")).astype(np.int64) - 1,
                             ctx.end_day)
        noise = ctx.rng("cared_for/targets")
        n = len(self.me)
        s = ctx.scale
        # month-to-month wobble, none on the dates the review and the published figures quote
        wobble = ~np.isin(self.me, [_d(x) for x in EXACT_DATES])
        self.stock_target = np.maximum(0, np.round(_curve(CLA_STOCK, self.me) * s
                                                   + wobble * np.clip(noise.normal(0, 1.2, n), -2.5, 2.5) * np.sqrt(s)))
        self.res_target = np.maximum(0, np.round(_curve(RESIDENTIAL_COUNT, self.me) * s
                                                 + wobble * np.clip(noise.normal(0, 0.6, n), -1, 1) * np.sqrt(s)))
        self.inh_pct = _curve(IN_HOUSE_FOSTER_PCT, self.me) + wobble * np.clip(noise.normal(0, 0.35, n), -0.7, 0.7)
        self.adopt_quota = self._adoption_quotas(noise)
        rate = _curve(CARE_STARTS, self.me) * s / 12
        self.starts_target = np.floor(rate + noise.random(n)).astype(np.int64)   # stochastic rounding
        self.wd = WorkingDays()
        self.periods: list[_Period] = []
        self.active: dict[int, _Period] = {}
        self.in_use: set = set()                 # children in care now
        self.left: dict = {}                     # child -> the day they last left care
        # placements, column-wise
        self.pl_period: list[int] = []
        self.pl_start: list[int] = []
        self.pl_end: list = []
        self.pl_cat: list = []
        self.pl_type: list = []
        self.pl_prov: list = []
        self.pl_reason: list = []
        self.pl_copy: list[int] = []
        self.pl_locked: list[bool] = []
        self.pending: list[int] = []
        self.rules: dict[int, tuple] = {}
        self.adopt_queue: list[_Period] = []
        self.month_cla: list[tuple[np.ndarray, np.ndarray]] = []
        self.home_leavers: list[_Period] = []
        self._referrals()
        teams = ctx.teams
        cared = teams[teams["role"] == "cared_for"]
        perm = cared["dept_team_name"].str.startswith("Permanence")
        self.cf_teams = cared.loc[~perm, "dept_team_id"].tolist() or cared["dept_team_id"].tolist()
        self.perm_team = (cared.loc[perm, "dept_team_id"].tolist() or self.cf_teams)[0]
        self.cl_team = (ctx.team_ids("care_leavers") or self.cf_teams)[0]
        self.dis_team = (ctx.team_ids("disabled") or self.cf_teams)[0]

    # -- set-up --------------------------------------------------------------------------
    def _adoption_quotas(self, rng) -> np.ndarray:
        """Adoption orders a month: each financial year's total spread over its months."""
        fy = np.array([(np.datetime64(int(d), "D").astype(object).year
                        + (np.datetime64(int(d), "D").astype(object).month >= 4)) for d in self.me])
        self.fy = fy
        quota = np.zeros(len(fy), dtype=np.int64)
        for year in np.unique(fy):
            months = np.flatnonzero(fy == year)
            total = ADOPTIONS.get(int(year), 16) * self.ctx.scale * len(months) / 12
            total = int(np.floor(total) + (rng.random() < total - np.floor(total)))
            quota[months] = rng.multinomial(total, np.ones(len(months)) / len(months))
        return quota

    def _referrals(self):
        """Referrals (not NFA) from the safeguarding tables, with the child's date of birth."""
        self.ref = None
        refs = self.ctx.tables.get("ssd_cin_episodes") if self.ctx.tables else None
        if refs is None or refs.empty or self.ctx.people is None:
            return
        refs = refs[refs["cine_referral_nfa"].astype(object).ne("Y") & refs["cine_referral_date"].notna()
                    & refs["cine_person_id"].notna()]
        people = self.ctx.people.frame()
        if refs.empty or people.empty:
            return
        dob = people.drop_duplicates("pers_person_id").set_index("pers_person_id")["_dob_day"]
        refs = refs[refs["cine_person_id"].isin(dob.index)]
        start = _days(refs["cine_referral_date"])
        close = _days(refs["cine_close_date"])
        close = np.where(np.isnan(close), 1e9, close)
        self.ref = {
            "id": refs["cine_referral_id"].to_numpy(dtype=object),
            "person": refs["cine_person_id"].to_numpy(dtype=object),
            "start": start, "close": close,
            "dob": dob.loc[refs["cine_person_id"]].to_numpy(dtype=np.float64),
            "need": refs["cine_cin_primary_need_code"].to_numpy(dtype=object)
            if "cine_cin_primary_need_code" in refs else np.full(len(refs), None, dtype=object),
        }
        plans = self.ctx.tables.get("ssd_cp_plans")
        self.cp = None
        if plans is not None and not plans.empty:
            end = _days(plans["cppl_cp_plan_end_date"])
            self.cp = (plans["cppl_person_id"].to_numpy(dtype=object), _days(plans["cppl_cp_plan_start_date"]),
                       np.where(np.isnan(end), 1e9, end))

    # -- low-level changes -----------------------------------------------------------------
    def _schedule(self, p: _Period, d: int, kind: str, payload=None):
        p.seq += 1
        heapq.heappush(p.sched, (int(d), p.seq, kind, payload))

    def _placement(self, p: _Period, d: int, cat=None, typ=None, prov=None, locked=False, copy=-1) -> int:
        i = len(self.pl_start)
        self.pl_period.append(p.i)
        self.pl_start.append(int(d))
        self.pl_end.append(None)
        self.pl_cat.append(cat)
        self.pl_type.append(typ)
        self.pl_prov.append(prov)
        self.pl_reason.append(None)
        self.pl_copy.append(copy)
        self.pl_locked.append(locked)
        if cat is None:
            self.pending.append(i)
        return i

    def _change(self, p: _Period, d: int, ls=None, pl=None, same_carer=False, reason=None):
        """A new episode from day d: a legal status change, a placement change, or both."""
        d = int(d)
        assert d > p.last_day, (d, p.last_day)
        moved = pl is not None
        if moved:
            self.pl_end[p.pl] = d
            self.pl_reason[p.pl] = reason or ("PLACE" if same_carer else _choice(self.rng, PLACEMENT_CHANGE_REASONS))
            p.pl = pl
        legal = ls is not None and ls != p.ls_code
        if legal:
            p.ls.append([d, ls])
            p.ls_code = ls
        if not (moved or legal):
            return
        if moved and legal:
            rne = "U" if same_carer else "T"
        elif moved:
            rne = "B" if same_carer else "P"
        else:
            rne = "L"
        p.changes.append([d, rne, p.ls_code, p.pl])
        p.last_day = d

    def _exit(self, p: _Period, d: int, reason: str):
        d = int(d)
        assert d > p.last_day
        p.exit_day, p.exit_reason = d, reason
        self.pl_end[p.pl] = d
        p.last_day = d
        self.active.pop(p.i, None)
        self.in_use.discard(p.person)
        self.left[p.person] = d
        if reason in ("E4A", "E4B", "E13"):
            self.home_leavers.append(p)

    def _day_after(self, p: _Period, lo: int, hi: int):
        """A random day in [max(lo, last event + 1), hi], or None."""
        lo = max(lo, p.last_day + 1)
        if lo > hi:
            return None
        return int(lo + self.rng.integers(0, hi - lo + 1))
