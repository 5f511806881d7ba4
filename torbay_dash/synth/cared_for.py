"""Cared-for children: journeys through care, simulated month by month, calibrated by construction.

The journeys (class ``_Journeys``) walk the months from ``ctx.start`` to ``ctx.end``:

1. **Scheduled events** of each child in care: legal status changes (police protection or
   an EPO turning into an interim care order, ICO into a full care order, a placement
   order), planned moves (placed for adoption, home on a care order, semi-independent
   living at 16+), and the end of care (home, special guardianship, child arrangements,
   18th birthday, remand ended). Adoption orders are granted by a court "quota" per
   financial year from the children placed for adoption at least ten weeks, so the
   published adoptions (11, 26, 17) come out while the pipeline stays natural.
2. **Unplanned moves**: placement breakdowns with a per-child propensity, so a few
   children move a lot; many entrants have an emergency placement first.
3. **Entries**: as many children start to be looked after as bring the stock to the month's
   target (entries = target - stock + exits). The month's exits are first matched to a
   target number of starts: planned exits slip a few weeks when there are too many, or
   come forward (and, from April 2020, settled children leave care on an order) when
   there are too few. Children with a referral open that day are preferred
   (``clae_referral_id``), a few return to care, the rest are new to the system.
4. **Placement mix**: every placement that starts in the month gets its category
   (in-house foster, agency foster, residential, other) so that the residential count and
   the in-house share at the month end equal their targets; when the month's new
   placements cannot do it, a few children are moved (step-downs from residential care,
   moves to the authority's own carers) -- the way Torbay's sufficiency strategy did it.

Then passes over the finished journeys add distances (the share placed over 20 miles is
exact at each month end), statutory visits (the compliance at each month end is exact),
reviews, health and dental checks, missing episodes, care-leaver contacts, CAMHS
provision (direct provision for an exact number of children in care at each month end)
and allocations. Short-break children (V3/V4, children with disabilities team) have
episodes and placements but never count as looked after.

Every random draw comes from a ``cared_for/...`` stream of ``ctx.rng``.
"""
from __future__ import annotations

import datetime as dt
import heapq

import numpy as np
import pandas as pd

from .. import contract
from .context import SynthContext, WorkingDays, day, from_days

# ---------------------------------------------------------------------------------------
# Calibration targets, Torbay scale: (date, value) points, linear in between, flat outside.
# Review (2021): 352 -> 307 cared-for children, visits 50% -> 78%, in-house foster 55.7% -> 63%,
# residential 42 -> 22, over 20 miles 26.2%, 5 with direct CAMHS provision.
CLA_STOCK = [("2013-04-30", 285), ("2014-03-31", 290), ("2015-03-31", 297), ("2016-03-31", 302),
             ("2017-03-31", 318), ("2018-03-31", 342), ("2019-03-31", 360), ("2019-09-30", 362),
             ("2020-03-31", 352), ("2021-03-31", 321), ("2021-07-31", 307)]
RESIDENTIAL_COUNT = [("2013-04-30", 28), ("2016-03-31", 33), ("2018-03-31", 40), ("2019-06-30", 45),
                     ("2020-03-31", 42), ("2021-03-31", 27), ("2021-07-31", 22)]
IN_HOUSE_FOSTER_PCT = [("2013-04-30", 52.0), ("2016-03-31", 54.0), ("2018-03-31", 55.5), ("2019-03-31", 56.5),
                       ("2020-03-31", 55.7), ("2021-03-31", 61.0), ("2021-07-31", 63.0)]
OVER_20_MILES_PCT = [("2013-04-30", 30.0), ("2018-03-31", 32.0), ("2019-03-31", 33.0), ("2020-03-31", 30.5),
                     ("2021-03-31", 27.5), ("2021-07-31", 26.2)]
VISITS_PCT = [("2013-04-30", 64.0), ("2016-03-31", 61.0), ("2018-03-31", 56.0), ("2019-03-31", 53.0),
              ("2020-02-29", 52.0), ("2020-03-31", 50.0), ("2021-07-31", 78.0)]
EXACT_DATES = ("2019-03-31", "2020-03-31", "2021-03-31", "2021-07-31")
# Children starting to be looked after, a year (Torbay: about 120-150).
CARE_STARTS = [("2013-04-30", 125), ("2016-03-31", 132), ("2018-03-31", 140), ("2019-03-31", 138),
               ("2020-03-31", 132), ("2020-06-30", 112), ("2021-03-31", 116), ("2021-07-31", 122)]
CAMHS_DIRECT = [("2013-04-30", 14), ("2018-03-31", 12), ("2019-03-31", 10), ("2020-03-31", 8), ("2021-07-31", 5)]
# First-week visits after a move, and reviews held late, drift with the visiting culture.
FIRST_WEEK_VISIT = [("2013-04-30", 0.7), ("2019-03-31", 0.6), ("2020-03-31", 0.6), ("2021-07-31", 0.9)]
REVIEW_LATE = [("2013-04-30", 0.13), ("2019-03-31", 0.15), ("2020-03-31", 0.16), ("2021-03-31", 0.07)]
# Adoption orders by financial year (year ending 31 March): published 11, 26, 17.
ADOPTIONS = {2014: 14, 2015: 17, 2016: 18, 2017: 15, 2018: 14, 2019: 11, 2020: 26, 2021: 17, 2022: 16}
SHORT_BREAK_AGREEMENTS = 18          # V4 agreements open at any time
SHORT_BREAK_V3_CHILDREN = 6          # children a year with individually recorded short stays (V3)
DENTAL_CLOSED = (day(dt.date(2020, 3, 23)), day(dt.date(2021, 5, 31)))   # COVID: dentists closed

# Ages (completed years) of children starting to be looked after, and of the stock at the start.
ENTRY_AGES = [((0, 0), 0.20), ((1, 4), 0.15), ((5, 9), 0.16), ((10, 15), 0.36), ((16, 17), 0.13)]
STOCK_AGES = [((0, 0), 0.05), ((1, 4), 0.14), ((5, 9), 0.20), ((10, 15), 0.39), ((16, 17), 0.22)]
MOVE_RATE = 0.036                    # unplanned moves a month, before the child's propensity
INSTABILITY_SHAPE = 0.4              # gamma shape of that propensity: a few children move a lot
INSTABILITY_CAP = 6.0
SETTLED_FACTOR = 0.45                # moves of children two years or more in their placement, relatively
EMERGENCY_FIRST_PLACEMENT = 0.4      # entrants whose first placement is an emergency one
FLEXIBLE_EXITS = ("home", "sgo", "cao", "short", "early")   # exits whose timing may move a little
PERMANENCE_DRIVE_FROM = day(dt.date(2020, 4, 1))
PERMANENCE_DRIVE_RATE = 0.06         # a month, for children settled with family or at home on an order
NEED_CODES = {"N1": 0.64, "N2": 0.03, "N3": 0.03, "N4": 0.09, "N5": 0.13, "N6": 0.03, "N7": 0.01, "N8": 0.04}

# Placement categories the mix is steered by.
INH, IFA, RES, OTH = 0, 1, 2, 3
FOSTER_TYPES = ("U1", "U2", "U3", "U4", "U5", "U6")
LONG_TERM_TYPES = ("U1", "U4")
# Chance that a placement starting on a category is more than 20 miles from home.
FAR_WEIGHT = {"U1": 0.08, "U2": 0.1, "U3": 0.08, "U4": 0.15, "U5": 0.15, "U6": 0.15, "K1": 0.8, "K2": 0.6,
              "R1": 0.6, "S1": 0.7, "P1": 0.02, "H5": 0.12, "A5": 0.25, "A6": 0.35, "Z1": 0.2}
IFA_PROVIDER_WEIGHT = 3.0            # agency foster carers are further afield than the authority's own
PLACEMENT_CHANGE_REASONS = {"CREQB": 0.24, "CREQO": 0.14, "CARPL": 0.2, "CHILD": 0.08, "ALLEG": 0.04,
                            "STAND": 0.04, "APPRR": 0.03, "CLOSE": 0.05, "LAREQ": 0.08, "OTHER": 0.1}
WORKER_CHANGE_REASONS = {"WORKER_LEFT": 0.6, "CASELOAD": 0.4}
# Postcode areas (made-up inward codes): near home, within 20 miles, further away.
NEAR_AREAS = ["TQ1", "TQ2", "TQ3", "TQ4", "TQ5"]
MID_AREAS = ["TQ6", "TQ9", "TQ12", "TQ13", "TQ14", "EX7"]
FAR_AREAS = ["EX1", "EX4", "EX16", "EX32", "PL1", "PL6", "PL19", "TA1", "TA6", "BS5", "BS16", "BA2",
             "DT1", "BH8", "GL1", "TR1", "SN2", "B23", "M14", "CF24"]

# Care leavers: 903 IN_TOUCH (when not "YES"), accommodation and activity codes.
NOT_IN_TOUCH = {"NO": 0.5, "REFU": 0.3, "NREQ": 0.15, "RHOM": 0.05}
ACCOMMODATION = {"B": 0.14, "D": 0.2, "E": 0.12, "K": 0.05, "R": 0.12, "S": 0.25, "T": 0.04, "U": 0.02,
                 "V": 0.01, "W": 0.02, "X": 0.03}
ACTIVITY_EET = {"F1": 0.08, "P1": 0.02, "F2": 0.38, "P2": 0.08, "F4": 0.32, "P4": 0.12}
ACTIVITY_NEET = {"G4": 0.2, "G5": 0.65, "G6": 0.15}

_EPOCH_DATE = dt.date(1970, 1, 1)
NO_DAY = -(10 ** 9)


# ---------------------------------------------------------------------------------------
# Small helpers
def _d(text: str) -> int:
    return day(dt.date.fromisoformat(text))


def _curve(points, days) -> np.ndarray:
    xs = np.array([_d(d) for d, _ in points], dtype=np.float64)
    ys = np.array([v for _, v in points], dtype=np.float64)
    return np.interp(np.asarray(days, dtype=np.float64), xs, ys)


def _months_after(d: int, months: int) -> int:
    """The same day `months` calendar months later (clipped to the month's last day)."""
    x = _EPOCH_DATE + dt.timedelta(days=int(d))
    m = x.month - 1 + months
    year, month = x.year + m // 12, m % 12 + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return (dt.date(year, month, min(x.day, last)) - _EPOCH_DATE).days


def _num(values) -> np.ndarray:
    """Numbers with None / NaN for null, as float64."""
    if isinstance(values, np.ndarray) and values.dtype != object:
        return np.array(values, dtype=np.float64)
    return np.array(pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce"), dtype=np.float64)


def _dates(values) -> np.ndarray:
    """int days with NO_DAY / None / NaN for null -> datetime64[D] with NaT."""
    a = _num(values)
    a[a <= NO_DAY / 2] = np.nan
    out = np.full(a.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    ok = ~np.isnan(a)
    out[ok] = from_days(a[ok].astype(np.int64))
    return out


def _choice(rng: np.random.Generator, table: dict, n: int | None = None):
    keys = list(table)
    p = np.array(list(table.values()), dtype=np.float64)
    if n is None:
        return keys[int(rng.choice(len(keys), p=p / p.sum()))]
    return np.array(keys, dtype=object)[rng.choice(len(keys), n, p=p / p.sum())]


def _pick(rng: np.random.Generator, items: list, k: int, weights=None) -> list:
    """k distinct items, weighted."""
    k = min(k, len(items))
    if k <= 0:
        return []
    w = np.ones(len(items)) if weights is None else np.asarray(weights, dtype=np.float64) + 1e-9
    idx = rng.choice(len(items), size=k, replace=False, p=w / w.sum())
    return [items[i] for i in sorted(idx)]


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


# ---------------------------------------------------------------------------------------
class _Journeys:
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
        rng = self.rng
        if age < 1:
            table = {"adopt": 0.55, "home": 0.18, "sgo": 0.18, "cao": 0.04, "remain": 0.05}
        elif age < 5:
            table = {"adopt": 0.33, "home": 0.29, "sgo": 0.19, "cao": 0.05, "remain": 0.14}
        elif age < 10:
            table = {"home": 0.5, "sgo": 0.15, "cao": 0.05, "remain": 0.3}
        elif age < 14:
            table = {"home": 0.55, "sgo": 0.04, "cao": 0.03, "remain": 0.3, "short": 0.08}
        elif age < 16:
            table = {"home": 0.55, "remain": 0.27, "short": 0.18}
        else:
            table = {"home": 0.4, "remain": 0.35, "short": 0.25}
        return _choice(rng, table)

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

    # -- the stock at the start of the history ---------------------------------------------
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
        if age < 1:
            table = {"home": 0.3, "sgo": 0.25, "cao": 0.05, "remain": 0.1, "adopt": 0.3}
        elif age < 5:
            table = {"home": 0.3, "sgo": 0.25, "cao": 0.05, "remain": 0.25, "adopt": 0.15}
        elif age < 10:
            table = {"home": 0.3, "sgo": 0.15, "cao": 0.05, "remain": 0.5}
        elif age < 16:
            table = {"home": 0.3, "sgo": 0.03, "remain": 0.62, "short": 0.05}
        else:
            table = {"home": 0.15, "remain": 0.8, "short": 0.05}
        p.pathway = _choice(rng, table)
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

    # -- one month -----------------------------------------------------------------------
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

    # -- entries -------------------------------------------------------------------------
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

    # -- the placement mix -----------------------------------------------------------------
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

        # residential: exact count
        need = int(res_target) - sum(cat[p.pl] == RES for p in fixed)
        elig = [p for p in free if self._weights(p, me)[RES] > 0 and RES not in self.rules.get(p.pl, ((), None))[0]]
        required = []
        if corrective and need < 0:
            cands = [p for p in fixed if cat[p.pl] == RES and movable(p)]
            w = [1 + (me - self.pl_start[p.pl]) / 365 for p in cands]
            for p in _pick(rng, cands, -need, w):
                if self._corrective(p, ms, me, _choice(rng, {"CARPL": 0.8, "LAREQ": 0.2}), forbid={RES}):
                    free.append(p)
            need = 0
        elif corrective and need > len(elig):
            cands = [p for p in fixed if cat[p.pl] in (INH, IFA) and movable(p) and p.age(me) >= 11
                     and p.pathway != "adopt"]
            w = [p.instab * (2 if cat[p.pl] == IFA else 1) for p in cands]
            for p in _pick(rng, cands, need - len(elig), w):
                if self._corrective(p, ms, me, _choice(rng, {"CREQB": 0.6, "CHILD": 0.2, "ALLEG": 0.2}), require=RES):
                    free.append(p)
                    required.append(p)
        need = max(0, need)
        rest = [p for p in elig if p not in required]
        chosen = required[:need] + _pick(rng, rest, need - len(required[:need]),
                                         [self._weights(p, me)[RES] for p in rest])
        for p in chosen:
            cat[p.pl] = RES
        remaining = [p for p in free if cat[p.pl] is None]
        for p in remaining:
            self.rules.setdefault(p.pl, (set(), None))[0].add(RES)
        # in-house foster: exact share of the children looked after at the month end
        target = int(round(inh_pct / 100 * len(act)))
        need = target - sum(cat[p.pl] == INH for p in act)
        elig = [p for p in remaining if INH not in self.rules[p.pl][0]]
        required = []
        if corrective and need < 0:
            cands = [p for p in act if cat[p.pl] == INH and movable(p)]
            w = [p.instab * (1.5 if p.age(me) >= 10 else 1) for p in cands]
            for p in _pick(rng, cands, -need, w):
                if self._corrective(p, ms, me, _choice(rng, {"CREQB": 0.4, "CREQO": 0.3, "ALLEG": 0.1, "STAND": 0.1,
                                                             "APPRR": 0.1}), forbid={INH, RES}):
                    remaining.append(p)
            need = 0
        elif corrective and need > len(elig):
            cands = [p for p in act if cat[p.pl] == IFA and movable(p)]
            w = [1 + (me - self.pl_start[p.pl]) / 365 for p in cands]
            for p in _pick(rng, cands, need - len(elig), w):
                if self._corrective(p, ms, me, "LAREQ", forbid={RES}, require=INH):
                    remaining.append(p)
                    required.append(p)
        need = max(0, need)
        rest = [p for p in elig if p not in required]
        chosen = required[:need] + _pick(rng, rest, need - len(required[:need]),
                                         [self._weights(p, me)[INH] for p in rest])
        for p in chosen:
            cat[p.pl] = INH
        for p in remaining:
            if cat[p.pl] is None:
                w = self._weights(p, me)[[IFA, OTH]]
                cat[p.pl] = OTH if rng.random() < w[1] / w.sum() else IFA

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

    # -- short breaks (never "looked after") ------------------------------------------------
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


def _days(series: pd.Series) -> np.ndarray:
    values = pd.to_datetime(series).to_numpy(dtype="datetime64[D]")
    out = (values - np.datetime64("1970-01-01")).astype(np.float64)
    out[np.isnat(values)] = np.nan
    return out


def _dobs(ctx: SynthContext, ids) -> np.ndarray:
    """Dates of birth of children just added to the registry (its last frame), else by lookup."""
    frames = getattr(ctx.people, "_frames", None)
    if frames:
        last = frames[-1]
        if len(last) == len(ids) and (last["pers_person_id"].to_numpy() == np.asarray(ids)).all():
            return last["_dob_day"].to_numpy(dtype=np.int64)
    return np.asarray(ctx.people.dob_days(ids), dtype=np.int64)


# ---------------------------------------------------------------------------------------
# Passes over the finished journeys
class _Arrays:
    """The journeys as arrays: periods and placements."""

    def __init__(self, sim: _Journeys):
        ps = sim.periods
        self.n = len(ps)
        self.entry = np.array([p.entry for p in ps], dtype=np.int64)
        self.exit = np.array([p.exit_day if p.exit_day is not None else NO_DAY for p in ps], dtype=np.int64)
        self.open = self.exit == NO_DAY
        self.end = np.where(self.open, 10 ** 9, self.exit)     # exclusive end, "never" when open
        self.dob = np.array([p.dob for p in ps], dtype=np.int64)
        self.sb = np.array([p.short_break for p in ps], dtype=bool)
        self.initial = np.array([p.initial for p in ps], dtype=bool)
        self.person = np.array([p.person for p in ps], dtype=object)
        self.pl_period = np.array(sim.pl_period, dtype=np.int64)
        self.pl_start = np.array(sim.pl_start, dtype=np.int64)
        self.pl_end = np.array([NO_DAY if e is None else e for e in sim.pl_end], dtype=np.int64)
        self.pl_type = np.array(sim.pl_type, dtype=object)
        self.pl_cat = np.array(sim.pl_cat, dtype=np.int64)
        self.pl_prov = np.array(sim.pl_prov, dtype=object)
        self.pl_copy = np.array(sim.pl_copy, dtype=np.int64)


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


def _care_leavers(sim: _Journeys, a: _Arrays):
    """Which periods make a care leaver: left care at 16+ after 13 weeks in care since 14."""
    out = []
    for p in sim.periods:
        if p.short_break or p.exit_day is None or p.exit_day < p.b16:
            continue
        if p.exit_reason in ("E11", "E12", "E41", "E45", "E46", "E47", "E48"):
            continue
        if p.exit_day - max(p.entry, p.b14) < 91:
            continue
        out.append(p)
    return out


def _leaver_contacts(sim: _Journeys, leavers) -> pd.DataFrame:
    ctx = sim.ctx
    rng = ctx.rng("cared_for/care_leavers")
    rows = []
    for p in leavers:
        first = p.exit_day + int(rng.integers(7, 41))
        last = min(p.b21, ctx.end_day)
        if first > last:
            continue
        days = first + np.cumsum(np.r_[0, rng.integers(28, 85, 80)])
        days = days[days <= last]
        k = len(days)
        touch_rate = 0.97 if rng.random() < 0.88 else 0.6
        touch = np.where(rng.random(k) < touch_rate, "YES", _choice(rng, NOT_IN_TOUCH, k))
        # accommodation and activity: persistent, with occasional changes
        eet_rate = 0.7 if rng.random() < 0.7 else 0.3
        acc = _choice(rng, ACCOMMODATION, 1)[0]
        act = _choice(rng, ACTIVITY_EET if rng.random() < eet_rate else ACTIVITY_NEET, 1)[0]
        suitable = "Y" if rng.random() < 0.95 else "N"
        for j in range(k):
            if rng.random() < 0.12:
                acc = _choice(rng, ACCOMMODATION, 1)[0]
                suitable = "Y" if rng.random() < (0.95 if acc not in ("U", "V", "W") else 0.1) else "N"
            if rng.random() < 0.15:
                act = _choice(rng, ACTIVITY_EET if rng.random() < eet_rate else ACTIVITY_NEET, 1)[0]
            t = touch[j]
            rows.append((p.i, int(days[j]), "RELEVANT" if days[j] < p.b18 else "FORMER_RELEVANT", t,
                         acc if t == "YES" else None, suitable if t == "YES" else None, act if t == "YES" else None))
    return pd.DataFrame(rows, columns=["period", "day", "eligibility", "in_touch", "accommodation", "suitable",
                                       "activity"])


def _camhs(sim: _Journeys, a: _Arrays) -> pd.DataFrame:
    """CAMHS for children in care: consultation mostly; direct provision for an exact number at each month end."""
    ctx = sim.ctx
    rng = ctx.rng("cared_for/camhs")
    target = np.round(_curve(CAMHS_DIRECT, sim.me) * ctx.scale)
    person_of = a.person
    rows = []                      # [period, referral, start, end (None = open), type]
    open_direct: dict[int, list] = {}
    for mi, (per, _) in enumerate(sim.month_cla):
        ms, me = int(sim.ms[mi]), int(sim.me[mi])
        # ends already planned
        for i in [i for i, r in open_direct.items() if r[3] is not None and r[3] <= me]:
            del open_direct[i]
        in_care = set(per.tolist())
        counted = [i for i, r in open_direct.items() if r[0] in in_care]
        gap = int(target[mi]) - len(counted)
        if gap > 0:
            age = (me - a.dob[per]) / 365.25
            have = {r[0] for r in open_direct.values()}
            cand = [int(i) for i, g in zip(per, age) if g >= 4 and int(i) not in have]
            for i in _pick(rng, cand, gap):
                lo = max(ms, int(a.entry[i]) + 1)
                if lo > me:
                    continue
                s = int(rng.integers(lo, me + 1))
                e = s + int(rng.integers(90, 541))
                row = [i, s - int(rng.integers(30, 240)), s, e if e <= ctx.end_day else None, "direct"]
                rows.append(row)
                open_direct[len(rows) - 1] = row
        elif gap < 0:
            older = [j for j in counted if rows[j][2] < ms]
            for j in _pick(rng, older, -gap):
                rows[j][3] = int(rng.integers(ms, me + 1))
                del open_direct[j]
        # consultation: CAMHS advice to carers and workers
        k = rng.poisson(3.0 * ctx.scale)
        older = per[(me - a.dob[per]) / 365.25 >= 3]
        if k and len(older):
            for i in rng.choice(older, min(k, len(older)), replace=False):
                lo = max(ms, int(a.entry[i]) + 1)
                if lo > me:
                    continue
                s = int(rng.integers(lo, me + 1))
                e = s + int(rng.integers(42, 366))
                e = e if e <= ctx.end_day else None
                rows.append([int(i), s - int(rng.integers(14, 120)), s, e, "consultation"])
    # referrals for direct work still waiting at the end (a long waiting list in 2021)
    per = sim.month_cla[-1][0] if sim.month_cla else np.zeros(0, dtype=np.int64)
    for i in _pick(rng, per.tolist(), int(round(12 * ctx.scale))):
        rows.append([int(i), ctx.end_day - int(rng.integers(10, 300)), None, None, "direct"])
    frame = pd.DataFrame(rows, columns=["period", "referral", "start", "end", "type"])
    frame["person"] = person_of[frame["period"].to_numpy(dtype=np.int64)] if len(frame) else []
    return frame


def _involvements(sim: _Journeys, a: _Arrays, leavers) -> pd.DataFrame:
    """Allocated social workers: a cared-for team, Permanence for adoption plans, care leavers from 16."""
    ctx = sim.ctx
    rng = ctx.rng("cared_for/involvements")
    leaver_ids = {p.i for p in leavers}
    rows = []   # period, team, start, end (None = open), last_of_case, reason-at-team-change
    for p in sim.periods:
        end = p.exit_day
        if p.i in leaver_ids:
            end = p.b21
        stop = end if end is not None and end <= ctx.end_day else None
        last_day = stop if stop is not None else ctx.end_day + 1
        spells = []
        entry = max(p.entry, ctx.start_day - 200)   # allocations before the history are not kept
        if p.short_break:
            spells.append((p.team, p.entry, last_day))
        elif p.adopt is not None and p.adopt.get("adm") is not None:
            adm = max(p.adopt["adm"], entry)
            if adm > entry:
                spells.append((p.team, entry, adm))
            spells.append((sim.perm_team, adm, last_day))
        else:
            b16 = max(p.b16, entry)
            if b16 < last_day:
                if b16 > entry:
                    spells.append((p.team, entry, b16))
                spells.append((sim.cl_team, b16, last_day))
            else:
                spells.append((p.team, entry, last_day))
        spells = [s for s in spells if s[1] < s[2] and s[1] <= ctx.end_day]
        for k, (team, s, e) in enumerate(spells):
            final = k == len(spells) - 1
            e = min(e, ctx.end_day + 1)
            t = s
            while t < e:
                mean = 240 if t < _d("2020-06-01") else 330
                seg_end = t + max(14, int(rng.exponential(mean)))
                if seg_end >= e:
                    still_open = e > ctx.end_day
                    rows.append((p.i, team, t, None if still_open else e,
                                 None if (final or still_open) else "TEAM_TRANSFER"))
                    break
                rows.append((p.i, team, t, seg_end, _choice(rng, WORKER_CHANGE_REASONS)))
                t = seg_end
    frame = pd.DataFrame(rows, columns=["period", "team", "start", "end", "reason"])
    frame.loc[frame["end"].isna(), "reason"] = None
    pick_day = np.maximum(frame["start"].to_numpy(dtype=np.int64), ctx.start_day)
    frame["worker"] = ctx.workers.pick(frame["team"].to_numpy(dtype=object), pick_day, rng) \
        if ctx.workers is not None and len(frame) else None
    return frame


# ---------------------------------------------------------------------------------------
def _frame(name: str, columns: dict, anchor) -> pd.DataFrame:
    n = len(anchor)
    data = {}
    for col in contract.TABLES[name].column_names:
        value = columns.get(col)
        if value is None:
            data[col] = pd.Series([None] * n, dtype=object)
        elif contract.TABLES[name].column(col).type == contract.DATE:
            data[col] = pd.Series(_dates(value))
        elif contract.TABLES[name].column(col).type == contract.NUMBER:
            data[col] = pd.Series(np.asarray(value, dtype=np.float64))
        else:
            data[col] = pd.Series(np.asarray(value, dtype=object))
    frame = pd.DataFrame(data)
    frame["_anchor"] = pd.Series(_dates(anchor))
    frame["_lag"] = 0
    return frame


def simulate(ctx: SynthContext) -> dict[str, pd.DataFrame]:
    sim = _Journeys(ctx).run()
    sim.short_breaks()
    a = _Arrays(sim)
    ids = ctx.ids
    cla_id = ids.new("CLA", a.n).astype(object)
    person = a.person
    tables: dict[str, pd.DataFrame] = {}

    # episodes
    ep = [(p.i, c[0], c[1], c[2], c[3], (p.changes[k + 1][0] if k + 1 < len(p.changes) else p.exit_day),
           ("X1" if k + 1 < len(p.changes) else p.exit_reason))
          for p in sim.periods for k, c in enumerate(p.changes)]
    ep = pd.DataFrame(ep, columns=["period", "start", "rne", "ls", "pl", "end", "rec"])
    epi = ep["period"].to_numpy(dtype=np.int64)
    pl_id = ids.new("CLP", len(a.pl_start)).astype(object)
    need = np.array([p.need for p in sim.periods], dtype=object)
    referral = np.array([p.referral for p in sim.periods], dtype=object)
    tables["ssd_cla_episodes"] = _frame("ssd_cla_episodes", {
        "clae_cla_episode_id": ids.new("CLE", len(ep)), "clae_person_id": person[epi], "clae_cla_id": cla_id[epi],
        "clae_cla_placement_id": pl_id[ep["pl"].to_numpy(dtype=np.int64)],
        "clae_cla_episode_start_date": ep["start"].to_numpy(), "clae_cla_episode_start_reason": ep["rne"].to_numpy(),
        "clae_cla_primary_need_code": need[epi], "clae_cla_episode_ceased_date": ep["end"].to_numpy(dtype=object),
        "clae_cla_episode_ceased_reason": ep["rec"].to_numpy(dtype=object), "clae_entered_care_date": a.entry[epi],
        "clae_referral_id": referral[epi]}, ep["start"].to_numpy())

    # placements
    distance, postcode = _distances(sim, a)
    tables["ssd_cla_placement"] = _frame("ssd_cla_placement", {
        "clap_cla_placement_id": pl_id, "clap_cla_id": cla_id[a.pl_period], "clap_person_id": person[a.pl_period],
        "clap_cla_placement_start_date": a.pl_start, "clap_cla_placement_end_date": a.pl_end,
        "clap_cla_placement_type": a.pl_type, "clap_cla_placement_provider": a.pl_prov,
        "clap_cla_placement_postcode": postcode, "clap_cla_placement_distance": distance,
        "clap_cla_placement_change_reason": np.array(sim.pl_reason, dtype=object)}, a.pl_start)

    # legal statuses
    ls = [(p.i, s[0], s[1], (p.ls[k + 1][0] if k + 1 < len(p.ls) else p.exit_day))
          for p in sim.periods for k, s in enumerate(p.ls)]
    ls = pd.DataFrame(ls, columns=["period", "start", "code", "end"])
    lsi = ls["period"].to_numpy(dtype=np.int64)
    tables["ssd_legal_status"] = _frame("ssd_legal_status", {
        "lega_legal_status_id": ids.new("LEG", len(ls)), "lega_person_id": person[lsi],
        "lega_legal_status": ls["code"].to_numpy(), "lega_legal_status_start_date": ls["start"].to_numpy(),
        "lega_legal_status_end_date": ls["end"].to_numpy(dtype=object)}, ls["start"].to_numpy())

    # reviews
    rv = _reviews(sim, a)
    rvi = rv["period"].to_numpy(dtype=np.int64)
    tables["ssd_cla_reviews"] = _frame("ssd_cla_reviews", {
        "clar_cla_review_id": ids.new("CLR", len(rv)), "clar_cla_id": cla_id[rvi],
        "clar_cla_review_due_date": rv["due"].to_numpy(), "clar_cla_review_date": rv["held"].to_numpy(dtype=object),
        "clar_cla_review_cancelled": rv["cancelled"].to_numpy(dtype=object)}, rv["anchor"].to_numpy())

    # visits
    vs = _visits(sim, a)
    vsi = vs["period"].to_numpy(dtype=np.int64)
    tables["ssd_cla_visits"] = _frame("ssd_cla_visits", {
        "clav_cla_visit_id": ids.new("CLV", len(vs)), "clav_cla_id": cla_id[vsi], "clav_person_id": person[vsi],
        "clav_cla_visit_date": vs["day"].to_numpy(), "clav_cla_visit_seen": vs["seen"].to_numpy(),
        "clav_cla_visit_seen_alone": vs["alone"].to_numpy()}, vs["day"].to_numpy())

    # health and dental checks
    hc = _health(sim, a)
    tables["ssd_cla_health"] = _frame("ssd_cla_health", {
        "clah_health_check_id": ids.new("CLH", len(hc)), "clah_person_id": hc["person"].to_numpy(dtype=object),
        "clah_health_check_type": hc["kind"].to_numpy(), "clah_health_check_date": hc["day"].to_numpy(),
        "clah_health_check_status": hc["status"].to_numpy()}, hc["day"].to_numpy())

    # missing
    ms = _missing(sim, a)
    msi = ms["period"].to_numpy(dtype=np.int64)
    tables["ssd_missing"] = _frame("ssd_missing", {
        "miss_table_id": ids.new("MIS", len(ms)), "miss_person_id": person[msi],
        "miss_missing_episode_start_date": ms["start"].to_numpy(),
        "miss_missing_episode_end_date": ms["end"].to_numpy(),
        "miss_missing_episode_type": ms["type"].to_numpy(), "miss_missing_rhi_offered": ms["offered"].to_numpy(),
        "miss_missing_rhi_accepted": ms["accepted"].to_numpy()}, ms["start"].to_numpy())

    # allocations, then care leavers (their worker is the allocated one at the contact)
    leavers = _care_leavers(sim, a)
    inv = _involvements(sim, a, leavers)
    invi = inv["period"].to_numpy(dtype=np.int64)
    inv_ids = ids.new("INV", len(inv)).astype(object)
    tables["ssd_involvements"] = _frame("ssd_involvements", {
        "invo_involvements_id": inv_ids, "invo_professional_id": inv["worker"].to_numpy(dtype=object),
        "invo_professional_role_id": np.full(len(inv), contract.ALLOCATED_SW, dtype=object),
        "invo_professional_team": inv["team"].to_numpy(dtype=object), "invo_person_id": person[invi],
        "invo_referral_id": referral[invi], "invo_involvement_start_date": inv["start"].to_numpy(),
        "invo_involvement_end_date": inv["end"].to_numpy(dtype=object),
        "invo_worker_change_reason": inv["reason"].to_numpy(dtype=object)}, inv["start"].to_numpy())

    cl = _leaver_contacts(sim, leavers)
    if len(cl) and len(inv):
        lookup = inv[["period", "start", "team", "worker"]].sort_values("start", kind="stable")
        found = pd.merge_asof(cl.reset_index().sort_values("day", kind="stable"), lookup, left_on="day",
                              right_on="start", by="period", direction="backward").set_index("index").sort_index()
        team, worker = found["team"].to_numpy(dtype=object), found["worker"].to_numpy(dtype=object)
    else:
        team = np.full(len(cl), sim.cl_team, dtype=object)
        worker = np.full(len(cl), None, dtype=object)
    cli = cl["period"].to_numpy(dtype=np.int64)
    tables["ssd_care_leavers"] = _frame("ssd_care_leavers", {
        "clea_table_id": ids.new("CLL", len(cl)), "clea_person_id": person[cli],
        "clea_care_leaver_eligibility": cl["eligibility"].to_numpy(),
        "clea_care_leaver_in_touch": cl["in_touch"].to_numpy(),
        "clea_care_leaver_latest_contact": cl["day"].to_numpy(),
        "clea_care_leaver_accommodation": cl["accommodation"].to_numpy(dtype=object),
        "clea_care_leaver_accom_suitable": cl["suitable"].to_numpy(dtype=object),
        "clea_care_leaver_activity": cl["activity"].to_numpy(dtype=object),
        "clea_care_leaver_allocated_team": team, "clea_care_leaver_worker_id": worker}, cl["day"].to_numpy())

    # permanence: adoption plans (from the decision), special guardianship and child arrangements orders
    pm = []
    for p in sim.periods:
        if p.adopt is not None:
            ad = p.adopt
            pm.append((p.i, ad["adm"], ad["po"] if ad["po"] <= (p.exit_day or 10 ** 9) else None, ad["matched"],
                       ad["placed"], ad["order"], "Adoption" if ad["order"] is not None else None, ad["adm"]))
        elif p.perm is not None:
            pm.append((p.i, None, None, None, None, p.perm[1], p.perm[0], p.perm[1]))
    pm = pd.DataFrame(pm, columns=["period", "adm", "po", "matched", "placed", "order", "type", "anchor"])
    # a decision or order dated after the end of the history has not happened yet
    pm = pm[pm["anchor"] <= ctx.end_day]
    pmi = pm["period"].to_numpy(dtype=np.int64)
    future = lambda col: np.where(_num(pm[col]) > ctx.end_day, np.nan, _num(pm[col]))  # noqa: E731
    tables["ssd_permanence"] = _frame("ssd_permanence", {
        "perm_table_id": ids.new("PRM", len(pm)), "perm_person_id": person[pmi], "perm_cla_id": cla_id[pmi],
        "perm_adm_decision_date": future("adm"), "perm_placement_order_date": future("po"),
        "perm_matched_date": future("matched"), "perm_placed_for_adoption_date": future("placed"),
        "perm_permanence_order_date": future("order"), "perm_permanence_order_type": pm["type"].to_numpy(dtype=object)},
        pm["anchor"].to_numpy())

    # CAMHS
    cm = _camhs(sim, a)
    tables["local_camhs"] = _frame("local_camhs", {
        "camhs_id": ids.new("CAMHS", len(cm)), "person_id": cm["person"].to_numpy(dtype=object),
        "referral_date": cm["referral"].to_numpy(dtype=object), "start_date": cm["start"].to_numpy(dtype=object),
        "end_date": cm["end"].to_numpy(dtype=object), "provision_type": cm["type"].to_numpy()},
        cm["referral"].to_numpy())
    return tables
