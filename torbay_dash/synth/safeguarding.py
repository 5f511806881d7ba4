"""Safeguarding journeys: contact -> referral -> assessment -> S47 -> ICPC -> CP plan.

One journey per referral, simulated stage by stage over arrays (no loop per child):

1. **Contacts** arrive day by day from 2013-05-01 to 2021-07-31: fewer at weekends, on
   bank holidays and in school holidays (August, Christmas), markedly fewer in the first
   COVID lockdown (April-June 2020), and more from August 2020 than in 2019-20. The MASH
   records a decision (`cont_contact_completed_date`); about one contact in five becomes a
   referral.
2. **Journeys** are drawn for every referral: NFA at the front door, or an assessment,
   perhaps an S47 enquiry, an initial conference (ICPC), a child protection plan with its
   reviews, visits and sometimes pre-proceedings; then the case closes.
3. **Children** are given to referrals month by month, because a re-referral or a second
   plan needs a child whose earlier case has closed: re-referrals re-use children
   referred in the last twelve months, second plans children whose earlier plan ended.
4. **Allocations**: an assessment team worker from the referral; a safeguarding (or
   disabilities) team worker once the case is open to CIN or CP, with worker changes.

The review's figures are reached by construction: each timeliness indicator marks an
exact share of the events of each month as on time (`_quota`), made exact on the
indicator's own date within the review's windows (`_fix_share`); re-referrals and second
plans are exact shares of each month's referrals and plan starts (as far as the pools
of earlier children allow); children identified at risk of sexual exploitation are an
exact number per month. Stage choices (S47, ICPC, plan) are stratified the same way, so
stocks and volumes carry little noise. Every random draw comes from a `safeguarding/...`
stream; rows are numbered in the order they come into existence.

Truth rows keep dates after the last snapshot (a plan ending in 2022); rows that would
come into existence after it (visits, reviews, allocations) are left out.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from dateutil.easter import easter

from ..contract import ALLOCATED_SW, TABLES
from .context import EPOCH, SynthContext, WorkingDays, day, from_days

NA = -1  # "no date" in the int day arrays below (every real day here is positive)
_MONTH0 = np.datetime64("1970-01", "M")

# ---------------------------------------------------------------------------------------
# Calibration: (month, value) points, linear in between, flat outside.
# "Before" is 2019-04..2020-03, "now" 2020-08..2021-07 (INDICATORS.md, issue 3).

# Contacts a year at scale 1 (before weekly, seasonal and COVID effects).
CONTACTS_PER_YEAR = [("2013-05", 8800), ("2016-04", 9300), ("2018-04", 9800), ("2020-02", 10100),
                     ("2020-08", 11500), ("2021-07", 11300)]
# Share of contacts that become referrals.
REFERRAL_SHARE = [("2013-05", 0.23), ("2018-04", 0.215), ("2021-07", 0.21)]
# MASH contacts completed within 1 working day, by contact month: 86% -> 97%.
CONTACT_1WD = [("2013-05", 0.78), ("2018-04", 0.84), ("2019-03", 0.86), ("2020-03", 0.86),
               ("2021-03", 0.97), ("2021-07", 0.97)]
# Assessments within 45 working days, by start month (authorised some 6 weeks later):
# 69.8% (2018-19), 76.6% (2019-20), 80.0% (2020-21), then better.
ASSESSMENT_45WD = [("2013-05", 0.75), ("2017-06", 0.72), ("2018-01", 0.698), ("2018-12", 0.698),
                   ("2019-02", 0.766), ("2020-01", 0.766), ("2020-02", 0.80), ("2021-01", 0.80),
                   ("2021-05", 0.86)]
# ICPCs within 15 working days of the strategy discussion, by S47 start month: 63% -> 80%.
ICPC_15WD = [("2013-05", 0.70), ("2018-12", 0.70), ("2019-02", 0.63), ("2020-02", 0.63),
             ("2020-06", 0.80), ("2021-07", 0.80)]
# Within the review's own windows the share is made exact on the defining date (_fix_share).
ASSESSMENT_WINDOWS = [("2019-04-01", "2020-03-31", 0.766), ("2020-04-01", "2021-03-31", 0.80)]
ICPC_WINDOWS = [("2019-04-01", "2020-03-31", 0.63), ("2020-08-01", "2021-07-31", 0.80)]
# Referrals within 12 months of an earlier referral, by referral month (financial years).
REREFERRAL = [("2013-05", 0.24), ("2018-03", 0.24), ("2018-04", 0.264), ("2019-03", 0.264),
              ("2019-04", 0.222), ("2020-03", 0.222), ("2020-04", 0.245), ("2021-03", 0.245),
              ("2021-04", 0.25)]
# Second or subsequent CP plans, by plan start month (financial years).
SECOND_PLAN = [("2013-05", 0.25), ("2018-03", 0.25), ("2018-04", 0.316), ("2019-03", 0.316),
               ("2019-04", 0.284), ("2020-03", 0.284), ("2020-04", 0.241), ("2021-03", 0.241),
               ("2021-04", 0.30)]
# Children identified at risk of sexual exploitation (factor 6A), per window at scale 1:
# (first month, last month, distinct children). Each window is spread evenly over its months.
CSE_CHILDREN = [("2013-05", "2019-03", 40 * 71 / 12), ("2019-04", "2020-03", 47),
                ("2020-04", "2020-07", 36), ("2020-08", "2021-07", 182)]
# S47 enquiries that lead to an initial conference; CP conferences on time; visits on time.
S47_TO_ICPC = [("2013-05", 0.28), ("2019-09", 0.28), ("2020-06", 0.32), ("2021-07", 0.31)]
REVIEW_ON_TIME = [("2013-05", 0.90), ("2019-09", 0.92), ("2021-03", 0.97)]
VISIT_ON_TIME = [("2013-05", 0.84), ("2019-09", 0.82), ("2020-04", 0.80), ("2021-03", 0.92)]
PRE_PROCEEDINGS_16WK = [("2013-05", 0.45), ("2019-06", 0.50), ("2020-03", 0.55), ("2020-11", 0.80)]
# How long cases stay open after the assessment (CIN) and after a CP plan (step down), in
# days; longer from 2020 (COVID slowed step-down and closure).
CIN_DAYS = [("2013-05", 280), ("2019-06", 290), ("2020-06", 345), ("2021-07", 345)]
STEPDOWN_DAYS = [("2013-05", 130), ("2019-06", 130), ("2020-06", 160), ("2021-07", 160)]
# A CP plan ends at review k with probability END_AT_REVIEW[k-1] x this factor (by start).
PLAN_END_FACTOR = [("2013-05", 1.0), ("2019-06", 1.0), ("2020-03", 0.80), ("2021-07", 0.85)]
END_AT_REVIEW = [0.24, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90]

# ---------------------------------------------------------------------------------------
# Codes

# CIN census referral sources: (code, weight in term time, weight in school holidays)
SOURCES = [("1A", 2.0, 2.4), ("1B", 1.0, 1.2), ("1C", 1.0, 1.2), ("1D", 1.5, 1.8), ("2A", 18.0, 4.0),
           ("2B", 2.0, 1.0), ("3A", 4.0, 4.0), ("3B", 2.0, 2.0), ("3C", 4.0, 4.5), ("3D", 2.0, 2.5),
           ("3E", 1.0, 1.0), ("3F", 1.0, 1.0), ("4", 2.0, 2.4), ("5A", 4.0, 4.5), ("5B", 2.0, 2.2),
           ("5C", 2.5, 2.8), ("5D", 1.0, 1.0), ("6", 28.0, 32.0), ("7", 1.5, 1.5), ("8", 3.0, 3.3),
           ("9", 1.5, 1.8), ("10", 1.0, 1.2)]
# Contact outcomes other than a referral, with weights.
CONTACT_OUTCOMES = [('["nfa"]', 0.42), ('["information_advice"]', 0.24), ('["early_help"]', 0.30),
                    ('["early_help","information_advice"]', 0.04)]
NEED_CODES = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"]
NEED_CIN = [0.50, 0.03, 0.03, 0.12, 0.20, 0.04, 0.01, 0.03, 0.04]
NEED_NFA = [0.20, 0.02, 0.02, 0.12, 0.16, 0.03, 0.01, 0.02, 0.42]
NEED_CP = [0.86, 0.0, 0.01, 0.04, 0.07, 0.0, 0.0, 0.02, 0.0]
CP_CATEGORIES = ["NEG", "EMO", "PHY", "SAB", "MUL"]
CP_CATEGORY_SHARES = [0.48, 0.36, 0.08, 0.04, 0.04]
# Assessment factors: CIN census factor codes and the share of assessments recording each.
# The data contract reads 6A as child sexual exploitation; only cse_assessments sets it.
FACTORS = [("1A", 0.02), ("1B", 0.11), ("1C", 0.03), ("2A", 0.04), ("2B", 0.11), ("2C", 0.03),
           ("3A", 0.24), ("3B", 0.13), ("3C", 0.05), ("4A", 0.10), ("4B", 0.28), ("4C", 0.04),
           ("5A", 0.05), ("5B", 0.04), ("5C", 0.01), ("6A", 0.0), ("7A", 0.03), ("8B", 0.01),
           ("9A", 0.004), ("10A", 0.03), ("12A", 0.004), ("14A", 0.03), ("15A", 0.04), ("16A", 0.02),
           ("17A", 0.03), ("18B", 0.03), ("19B", 0.02), ("20", 0.01), ("21", 0.10), ("22A", 0.02),
           ("24A", 0.02)]
# Completed years of age when first seen (more babies and teenagers than middle years).
AGE_WEIGHTS = np.array([16, 5, 5, 5, 5, 4.5, 4.5, 4.5, 4.5, 4.5, 6, 6, 6, 6, 6, 6, 6, 3.5])
AGE_WEIGHTS_CP = np.array([28, 7, 7, 7, 7, 5, 5, 5, 5, 5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 1.5, 1.0])
# Where a child of a first referral comes from: referred more than 12 months ago,
# contacted before but never referred, or new to children's services.
FIRST_REFERRAL_FROM = {"returning": 0.25, "contacted": 0.20}
CHANGE_REASONS = ["WORKER_LEFT", "CASELOAD", "TEAM_TRANSFER"]


# ---------------------------------------------------------------------------------------
# Dates

def _m(text: str) -> int:
    """'2019-04' as a month number (months since 1970-01)."""
    return int((np.datetime64(text, "M") - _MONTH0).astype(np.int64))


def _month(days) -> np.ndarray:
    return (from_days(days).astype("datetime64[M]") - _MONTH0).astype(np.int64)


def _month_start(months) -> np.ndarray:
    m = _MONTH0 + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    return (m.astype("datetime64[D]") - EPOCH).astype(np.int64)


def _curve(points, months) -> np.ndarray:
    return np.interp(np.asarray(months, dtype=float), [_m(a) for a, _ in points], [v for _, v in points])


def _add_months(days, k) -> np.ndarray:
    """Calendar months later, the day clipped to the month's end (2020-01-31 + 1 -> 2020-02-29)."""
    d = from_days(days)
    mon = d.astype("datetime64[M]")
    dom = (d - mon.astype("datetime64[D]")).astype(np.int64)
    target = mon + np.asarray(k, dtype=np.int64).astype("timedelta64[M]")
    first = (target.astype("datetime64[D]") - EPOCH).astype(np.int64)
    after = ((target + 1).astype("datetime64[D]") - EPOCH).astype(np.int64)
    return np.minimum(first + dom, after - 1)


def _dates(days) -> np.ndarray:
    """int days (NA = null) as datetime64[D]."""
    days = np.asarray(days, dtype=np.int64)
    out = from_days(np.where(days == NA, 0, days))
    out[days == NA] = np.datetime64("NaT")
    return out


def _flag(condition, valid=None) -> np.ndarray:
    out = np.where(condition, "Y", "N").astype(object)
    if valid is not None:
        out[~np.asarray(valid, dtype=bool)] = None
    return out


# ---------------------------------------------------------------------------------------
# Random helpers

def _quota(rng: np.random.Generator, groups, p, among=None) -> np.ndarray:
    """True for a random set of events in each group, as many as the sum of p over the group.

    Stratified rather than independent draws, so a share comes out as set rather than
    give or take its binomial noise. Groups are taken in order (months: chronologically)
    and their running total is rounded, from one random offset, so any run of
    consecutive groups gets its expected count give or take one, without bias. With `among` (a mask), only those
    events take part and the result covers all events.
    """
    if among is not None:
        among = np.asarray(among, dtype=bool)
        out = np.zeros(len(among), dtype=bool)
        out[among] = _quota(rng, np.asarray(groups)[among], np.broadcast_to(p, among.shape)[among])
        return out
    groups = np.asarray(groups)
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=bool)
    keys, inverse = np.unique(groups, return_inverse=True)
    expected = np.bincount(inverse, weights=np.broadcast_to(p, (n,)))
    edges = np.floor(np.cumsum(expected) + rng.random())
    target = np.diff(edges, prepend=0).astype(np.int64)    # floor(0 + offset) = 0 before the first group
    order = np.lexsort((rng.random(n), inverse))
    sorted_groups = inverse[order]
    starts = np.searchsorted(sorted_groups, np.arange(len(keys)))
    rank = np.arange(n) - starts[sorted_groups]
    out = np.zeros(n, dtype=bool)
    out[order] = rank < target[sorted_groups]
    return out


def _fix_share(rng, events, start, on_time, on_delay, late_delay, wd: WorkingDays, first: str, last: str,
               share: float) -> None:
    """Make exactly round(share x n) of the events dated in [first, last] on time, in place.

    An event is dated `on_delay` working days after `start` when on time, `late_delay`
    when late. Only events that stay inside the window are flipped, so the window keeps
    its events and disjoint windows are untouched.
    """
    a, b = day(dt.date.fromisoformat(first)), day(dt.date.fromisoformat(last))
    rows = np.flatnonzero(events)
    date_on = wd.add(start[rows], on_delay[rows])
    date_late = wd.add(start[rows], late_delay[rows])
    flag = on_time[rows]
    dated = np.where(flag, date_on, date_late)
    inside = (dated >= a) & (dated <= b)
    need = int(round(share * inside.sum())) - int((flag & inside).sum())
    if need > 0:
        candidates = np.flatnonzero(inside & ~flag & (date_on >= a))
    else:
        candidates = np.flatnonzero(inside & flag & (date_late <= b))
    k = min(abs(need), len(candidates))
    flip = rows[rng.choice(candidates, k, replace=False)] if k else rows[:0]
    on_time[flip] = ~on_time[flip]


def _choice(rng: np.random.Generator, values, weights, n: int) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    return np.asarray(values, dtype=object)[rng.choice(len(weights), n, p=weights / weights.sum())]


def _gamma_days(rng, mean, shape, n) -> np.ndarray:
    return np.maximum(1, np.round(rng.gamma(shape, np.asarray(mean, dtype=float) / shape, n))).astype(np.int64)


def _group_cumsum(values, counts) -> np.ndarray:
    """Running sums of values within consecutive groups of the given sizes."""
    cum = np.cumsum(values)
    starts = np.cumsum(counts) - counts
    return cum - np.repeat(np.r_[0, cum][starts], counts)


def _groups_of(counts) -> tuple[np.ndarray, np.ndarray]:
    """For rows repeated counts[i] times: the owner of each row and its position within the owner."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    position = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, position


# ---------------------------------------------------------------------------------------

def simulate(ctx: SynthContext) -> dict[str, pd.DataFrame]:
    return _Safeguarding(ctx).run()


class _Safeguarding:
    def __init__(self, ctx: SynthContext):
        self.ctx = ctx
        self.wd = WorkingDays()
        self.mash = ctx.team_ids("mash")[0]
        self.assessment_teams = np.array(ctx.team_ids("assessment"), dtype=object)
        self.safeguarding_teams = np.array(ctx.team_ids("safeguarding"), dtype=object)
        disabled = ctx.team_ids("disabled")
        self.disabled_teams = np.array(disabled or ctx.team_ids("safeguarding"), dtype=object)
        self.worker_rng = ctx.rng("safeguarding/workers")

    def rng(self, name: str) -> np.random.Generator:
        return self.ctx.rng(f"safeguarding/{name}")

    def workers(self, teams, days) -> np.ndarray:
        if self.ctx.workers is None or len(days) == 0:
            return np.full(len(days), None, dtype=object)
        return self.ctx.workers.pick(teams, days, self.worker_rng)

    # -----------------------------------------------------------------------------------
    def run(self) -> dict[str, pd.DataFrame]:
        self.simulate_contacts()
        self.simulate_journeys()
        self.simulate_plans()
        self.assign_children()
        self.create_people()
        self.simulate_factors()
        self.simulate_involvements()
        return self.tables()

    # -----------------------------------------------------------------------------------
    # 1. Contacts
    def daily_contact_rate(self, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Expected contacts per day at this scale, and whether the schools are on holiday."""
        dates = from_days(days)
        weekday = (days + 3) % 7                      # 1970-01-01 was a Thursday; Monday = 0
        working = self.wd.is_working(days)
        weight = np.where(weekday >= 5, 0.12, np.where(working, 1.0, 0.15))
        month = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
        dom = (dates - dates.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
        md = month * 100 + dom
        school = np.ones(len(days))
        school[(md >= 723) & (md <= 831)] = 0.70                           # summer holidays
        school[(md >= 1221) | (md <= 103)] = 0.60                          # Christmas
        school[((md >= 1024) & (md <= 1101)) | ((md >= 214) & (md <= 220)) | ((md >= 525) & (md <= 531))] = 0.88
        for year in range(self.ctx.start.year, self.ctx.end.year + 2):
            e = day(easter(year))
            school[(days >= e - 9) & (days <= e + 5)] = 0.85                # Easter holidays
        weight = weight * school
        covid = np.ones(len(days))
        for first, last, factor in [("2020-03-23", "2020-06-30", 0.60), ("2020-07-01", "2020-07-31", 0.90),
                                    ("2021-01-05", "2021-03-07", 0.92)]:
            covid[(days >= day(dt.date.fromisoformat(first))) & (days <= day(dt.date.fromisoformat(last)))] = factor
        per_year = _curve(CONTACTS_PER_YEAR, _month(days))
        return self.ctx.scale * per_year / 365.25 * weight / weight.mean() * covid, school < 0.8

    def simulate_contacts(self):
        rng = self.rng("contacts")
        days = np.arange(self.ctx.start_day, self.ctx.end_day + 1)
        rate, school_holiday = self.daily_contact_rate(days)
        counts = rng.poisson(rate)
        cday = np.repeat(days, counts)
        n = len(cday)
        month = _month(cday)
        # sources: schools refer far less in the holidays
        holiday = np.repeat(school_holiday, counts)
        source = np.empty(n, dtype=object)
        codes = [s[0] for s in SOURCES]
        for mask, col in [(~holiday, 1), (holiday, 2)]:
            source[mask] = _choice(rng, codes, [s[col] for s in SOURCES], int(mask.sum()))
        # the MASH decision: an exact share of each month's contacts within 1 working day
        on_time = _quota(rng, month, _curve(CONTACT_1WD, month))
        delay = np.where(rng.random(n) < 0.55, 0, 1)
        late = 2 + rng.geometric(0.35, n) - 1
        completed = np.where(on_time & (delay == 0), cday, self.wd.add(cday, np.where(on_time, delay, late)))
        completed[~on_time & (rng.random(n) < 0.12)] = NA     # no decision recorded
        is_referral = _quota(rng, month, _curve(REFERRAL_SHARE, month))
        outcome = _choice(rng, [o for o, _ in CONTACT_OUTCOMES], [w for _, w in CONTACT_OUTCOMES], n)
        outcome[is_referral] = '["referral"]'
        self.contacts = {"day": cday, "source": source, "completed": completed, "outcome": outcome,
                         "is_referral": is_referral}

    # -----------------------------------------------------------------------------------
    # 2. Journeys: every date of each referral's path, before children are known
    def simulate_journeys(self):
        rng = self.rng("journeys")
        wd = self.wd
        c = self.contacts
        ref = np.flatnonzero(c["is_referral"])
        R = c["day"][ref]
        n = len(R)
        month = _month(R)
        everyone = np.ones(n, dtype=bool)
        transfer_in = _quota(rng, month, 0.003, everyone)
        nfa = _quota(rng, month, 0.08, ~transfer_in)
        assessed = ~nfa
        s47 = _quota(rng, month, 0.43, assessed & ~transfer_in)
        icpc = _quota(rng, month, _curve(S47_TO_ICPC, month), s47)
        plan = _quota(rng, month, 0.90, icpc) | transfer_in
        conference = icpc | transfer_in
        asm_nfa = _quota(rng, month, np.where(s47, 0.40, 0.52), assessed & ~conference)

        # assessment: starts within days of the referral; an exact share of each start month on time
        a_start = np.full(n, NA)
        a_start[assessed] = wd.add(R[assessed], _choice(rng, [0, 1, 2, 3, 4, 5, 7, 10],
                                                        [40, 25, 15, 8, 5, 4, 2, 1], int(assessed.sum())))
        a_on_time = np.zeros(n, dtype=bool)
        a_on_time[assessed] = _quota(rng, _month(a_start[assessed]), _curve(ASSESSMENT_45WD, _month(a_start[assessed])))
        late_duration = np.minimum(150, 45 + rng.geometric(1 / 15, n))
        on_duration = 5 + np.floor(rng.beta(2.2, 1.2, n) * 41).astype(np.int64)
        for first, last, share in ASSESSMENT_WINDOWS:
            _fix_share(rng, assessed, a_start, a_on_time, on_duration, late_duration, wd, first, last, share)
        duration = np.where(a_on_time, on_duration, late_duration)
        a_auth = np.full(n, NA)
        a_auth[assessed] = wd.add(a_start[assessed], duration[assessed])
        child_seen = rng.random(n) < 0.96

        # S47: the strategy discussion soon after the referral; ICPC an exact share on time
        s_start = np.full(n, NA)
        s_start[s47] = wd.add(R[s47], _choice(rng, [0, 1, 2, 3, 4, 6], [50, 25, 12, 7, 4, 2], int(s47.sum())))
        i_on_time = np.zeros(n, dtype=bool)
        i_on_time[icpc] = _quota(rng, _month(s_start[icpc]), _curve(ICPC_15WD, _month(s_start[icpc])))
        on_delay = 15 - np.floor(rng.beta(1.0, 2.5, n) * 11).astype(np.int64)
        late_delay = 15 + rng.geometric(1 / 6, n)
        for first, last, share in ICPC_WINDOWS:
            _fix_share(rng, icpc, s_start, i_on_time, on_delay, late_delay, wd, first, last, share)
        i_delay = np.where(i_on_time, on_delay, late_delay)
        i_date = np.full(n, NA)
        i_target = np.full(n, NA)
        i_date[icpc] = wd.add(s_start[icpc], i_delay[icpc])
        i_target[icpc] = wd.add(s_start[icpc], 15)
        # transfer-in conferences: no S47, held within 15 working days of the referral mostly
        ti_delay = np.where(rng.random(n) < 0.85, rng.integers(5, 16, n), rng.integers(16, 30, n))
        i_date[transfer_in] = wd.add(R[transfer_in], ti_delay[transfer_in])
        i_target[transfer_in] = wd.add(R[transfer_in], 15)
        s_end = np.full(n, NA)
        s_end[icpc] = wd.add(s_start[icpc], np.maximum(i_delay[icpc] - rng.integers(0, 3, n)[icpc], 0))
        other = s47 & ~icpc
        s_end[other] = wd.add(s_start[other], rng.integers(3, 26, n)[other])

        # transfer to a safeguarding team: at the conference, or soon after the assessment
        continuing = assessed & ~asm_nfa
        T = np.full(n, NA)
        T[continuing] = wd.add(a_auth[continuing], rng.integers(0, 9, n)[continuing])
        T[conference] = i_date[conference]

        self.refs = {
            "contact": ref, "day": R, "month": month, "source": c["source"][ref],
            "nfa": nfa, "assessed": assessed, "s47": s47, "icpc": icpc, "transfer_in": transfer_in,
            "plan": plan, "conference": conference, "asm_nfa": asm_nfa, "continuing": continuing,
            "a_start": a_start, "a_auth": a_auth, "child_seen": child_seen,
            "s_start": s_start, "s_end": s_end, "i_date": i_date, "i_target": i_target, "T": T,
        }

    # -----------------------------------------------------------------------------------
    # CP plans: reviews, visits, pre-proceedings, then when each case closes
    def simulate_plans(self):
        rng = self.rng("plans")
        wd, r = self.wd, self.refs
        n = len(r["day"])
        p_ref = np.flatnonzero(r["plan"])
        start = r["i_date"][p_ref]
        P = len(p_ref)
        start_month = _month(start)
        end_factor = _curve(PLAN_END_FACTOR, start_month)

        # reviews: the first 3 months after the ICPC, then every 6 months; the plan ends at one
        end = np.full(P, NA)
        alive = np.ones(P, dtype=bool)
        prev = start.copy()
        reviews = []
        for k in range(1, len(END_AT_REVIEW) + 1):
            due = _add_months(prev, 3 if k == 1 else 6)
            # some plans end between conferences (a move away, care proceedings)
            off = _quota(rng, start_month, 0.05, alive)
            end[off] = prev[off] + np.maximum(14, (rng.random(P) * (due - prev)).astype(np.int64))[off]
            alive &= ~off
            on_time = rng.random(P) < _curve(REVIEW_ON_TIME, _month(due))
            held = np.where(on_time, wd.on_or_before(due - rng.integers(0, 8, P)),
                            wd.add(due, rng.integers(1, 16, P)))
            idx = np.flatnonzero(alive)
            reviews.append((idx, prev[idx], due[idx], held[idx]))
            ends = _quota(rng, start_month, END_AT_REVIEW[k - 1] * end_factor, alive)
            if k == len(END_AT_REVIEW):
                ends = alive.copy()
            end[ends] = held[ends]
            alive &= ~ends
            prev = np.where(alive, held, prev)
        plan_index, anchor, due, held = (np.concatenate(x) for x in zip(*reviews))
        keep = anchor <= self.ctx.end_day
        order = np.lexsort((plan_index[keep], anchor[keep]))
        self.reviews = {"plan": plan_index[keep][order], "anchor": anchor[keep][order],
                        "due": due[keep][order], "held": held[keep][order]}

        # visits: every 10 working days or less, now and then late; none after the plan or the run
        last = np.minimum(end, self.ctx.end_day)
        span = np.maximum(wd.wd(start, np.maximum(last, start)), 0)
        counts = span // 3 + 2
        owner, position = _groups_of(counts)
        m = len(owner)
        gap = 10 - np.floor(rng.beta(1.0, 2.2, m) * 8).astype(np.int64)
        gap[position == 0] = rng.integers(1, 8, m)[position == 0]
        approx = start[owner] + _group_cumsum(gap, counts) * 7 // 5
        late = rng.random(m) > _curve(VISIT_ON_TIME, _month(np.minimum(approx, self.ctx.end_day)))
        gap = np.where(late & (position > 0), rng.integers(11, 19, m), gap)
        v_day = wd.days[wd.idx(start[owner]) + _group_cumsum(gap, counts) - 1]
        keep = (v_day < end[owner]) & (v_day <= self.ctx.end_day)
        owner, v_day = owner[keep], v_day[keep]
        lockdown = (v_day >= day(dt.date(2020, 3, 23))) & (v_day <= day(dt.date(2020, 6, 30)))
        seen = rng.random(len(v_day)) < np.where(lockdown, 0.82, 0.93)
        self.visits = {"plan": owner, "day": v_day, "seen": seen, "alone_u": rng.random(len(v_day))}

        # pre-proceedings for a small share of plans
        length = end - start
        pre = (rng.random(P) < 0.13) & (length >= 75)
        decision = wd.on_or_before(start + 30 + (rng.random(P) * np.clip(length - 45, 1, 300)).astype(np.int64))
        meeting = wd.add(decision, rng.integers(3, 16, P))
        within = np.zeros(P, dtype=bool)
        within[pre] = _quota(rng, _month(meeting[pre]), _curve(PRE_PROCEEDINGS_16WK, _month(meeting[pre])))
        outcome_day = np.where(within, wd.on_or_before(meeting + rng.integers(42, 113, P)),
                               wd.add(meeting + rng.integers(113, 230, P), 0))
        issued = rng.random(P) < 0.40
        pre_idx = np.flatnonzero(pre & (decision <= self.ctx.end_day))
        self.pre = {"plan": pre_idx, "decision": decision[pre_idx], "meeting": meeting[pre_idx],
                    "outcome_day": outcome_day[pre_idx], "issued": issued[pre_idx]}

        category = _choice(rng, CP_CATEGORIES, CP_CATEGORY_SHARES, P)
        latest = np.where(rng.random(P) < 0.10, _choice(rng, CP_CATEGORIES, CP_CATEGORY_SHARES, P), category)
        self.plans = {"ref": p_ref, "start": start, "end": end, "category": category, "latest": latest}

        # second or subsequent plans: an exact share of each start month
        second = _quota(rng, start_month, _curve(SECOND_PLAN, start_month))
        r["second"] = np.zeros(n, dtype=bool)
        r["second"][p_ref] = second

        # when each case closes, and why
        close = np.full(n, NA)
        close[r["nfa"]] = r["day"][r["nfa"]] + rng.integers(0, 3, n)[r["nfa"]]
        close[r["asm_nfa"]] = r["a_auth"][r["asm_nfa"]] + rng.integers(0, 8, n)[r["asm_nfa"]]
        cin = r["continuing"] & ~r["plan"]
        after = np.maximum(r["T"], r["a_auth"])
        close[cin] = after[cin] + _gamma_days(rng, _curve(CIN_DAYS, _month(after[cin])), 1.6, int(cin.sum()))
        stepdown = np.where(rng.random(P) < 0.3, 0, _gamma_days(rng, _curve(STEPDOWN_DAYS, _month(end)), 1.5, P))
        close[p_ref] = np.maximum(end + stepdown, r["a_auth"][p_ref])
        pre_outcome = outcome_day[pre_idx] + np.where(issued[pre_idx], rng.integers(0, 60, len(pre_idx)), 0)
        close[p_ref[pre_idx]] = np.maximum(close[p_ref[pre_idx]], pre_outcome)
        for col in ("a_auth", "s_end", "i_date", "T"):
            has = r[col] != NA
            close[has] = np.maximum(close[has], r[col][has])
        r["close"] = close
        r["close_reason"] = np.where(r["nfa"] | r["asm_nfa"], "RC8",
                                     _choice(rng, ["RC7", "RC5", "RC3", "RC4", "RC1"], [90, 6, 2, 1.5, 0.5], n))

    # -----------------------------------------------------------------------------------
    # 3. Children, month by month
    def assign_children(self):
        rng = self.rng("children")
        r, c = self.refs, self.contacts
        n_ref = len(r["day"])
        # contact-only contacts: a new child for some, a child seen before for the rest
        other = np.flatnonzero(~c["is_referral"])
        new_other = rng.random(len(other)) < 0.30
        co_contacts = other[new_other]
        n_co = len(co_contacts)
        size = n_co + n_ref
        first_day = np.full(size, NA)
        age0 = np.zeros(size, dtype=np.int64)
        first_day[:n_co] = c["day"][co_contacts]
        age0[:n_co] = rng.choice(18, n_co, p=AGE_WEIGHTS / AGE_WEIGHTS.sum())
        referred = np.zeros(size, dtype=bool)
        last_ref = np.full(size, NA)
        max_close = np.full(size, NA)
        had_plan = np.zeros(size, dtype=bool)
        n_children = n_co

        month = r["month"]
        rr_want = _quota(rng, month, _curve(REREFERRAL, month))
        plan, second = r["plan"], r["second"]
        source_u = rng.random(n_ref)
        child = np.full(n_ref, -1)
        cp_age = rng.choice(18, n_ref, p=AGE_WEIGHTS_CP / AGE_WEIGHTS_CP.sum())
        cin_age = rng.choice(18, n_ref, p=AGE_WEIGHTS / AGE_WEIGHTS.sum())
        bounds = np.searchsorted(month, np.arange(month.min(), month.max() + 2)) if n_ref else [0]
        self.shortfall = {"rereferral": 0, "second": 0}
        for i, m in enumerate(range(month.min() if n_ref else 0, month.max() + 1 if n_ref else 0)):
            lo, hi = bounds[i], bounds[i + 1]
            if lo == hi:
                continue
            ms = _month_start(m)
            alive = slice(0, n_children)
            # under 18 for sure by the month's end (a child's birthday is not known yet: within a year)
            age_ok = age0[alive] + 1 + (ms + 31 - first_day[alive]) / 365.25 < 18
            closed = referred[alive] & (max_close[alive] < ms) & age_ok
            recent = closed & (last_ref[alive] >= _month_start(m - 11))
            longago = closed & (last_ref[alive] < _month_start(m - 12))
            contacted = ~referred[alive] & (first_day[alive] < ms) & age_ok
            taken = np.zeros(n_children, dtype=bool)

            def take(pool, rows):
                if len(rows) == 0:
                    return rows
                candidates = np.flatnonzero(pool & ~taken)
                k = min(len(rows), len(candidates))
                picked = rng.choice(candidates, k, replace=False) if k else candidates[:0]
                taken[picked] = True
                child[rows[:k]] = picked
                return rows[k:]

            rows = np.arange(lo, hi)
            rr, pl, sp, su = rr_want[rows], plan[rows], second[rows], source_u[rows]
            hp = had_plan[alive]
            # second plans first (smallest pools), then first plans, then the rest
            left = take(recent & hp, rows[rr & pl & sp])
            left = take(longago & hp, left)
            self.shortfall["rereferral"] += len(left)  # re-referral wanted, none possible
            left2 = take(longago & hp, rows[~rr & pl & sp])
            self.shortfall["second"] += len(left) + len(left2)
            left = take(recent & ~hp, rows[rr & pl & ~sp])
            self.shortfall["rereferral"] += len(left)
            left3 = take(recent, rows[rr & ~pl])
            self.shortfall["rereferral"] += len(left3)
            first = ~rr & ~(pl & sp)
            returning = su < FIRST_REFERRAL_FROM["returning"]
            from_contacts = ~returning & (su < FIRST_REFERRAL_FROM["returning"] + FIRST_REFERRAL_FROM["contacted"])
            take(longago & ~hp, rows[first & returning & pl])
            take(longago, rows[first & returning & ~pl])
            take(contacted, rows[first & from_contacts])
            # everyone else is new to children's services
            new = rows[child[rows] == -1]
            new_idx = np.arange(n_children, n_children + len(new))
            child[new] = new_idx
            first_day[new_idx] = r["day"][new]
            age0[new_idx] = np.where(plan[new], cp_age[new], cin_age[new])
            n_children += len(new)
            # the children's state after this month's referrals
            who = child[rows]
            referred[who] = True
            last_ref[who] = r["day"][rows]
            max_close[who] = np.maximum(max_close[who], r["close"][rows])
            had_plan[who] |= plan[rows]
        r["child"] = child
        self.children = {"first_day": first_day[:n_children], "age0": age0[:n_children], "n_co": n_co}
        # the children of the other contacts: new ones, or any child seen in the 6 years before
        contact_child = np.full(len(c["day"]), -1)
        contact_child[r["contact"]] = child
        contact_child[co_contacts] = np.arange(n_co)
        repeat = other[~new_other]
        order = np.argsort(first_day[:n_children], kind="stable")
        sorted_first = first_day[:n_children][order]
        t = c["day"][repeat]
        hi = np.searchsorted(sorted_first, t, side="left")
        lo = np.searchsorted(sorted_first, t - 6 * 365, side="left")
        pick = order[np.minimum(lo + np.floor(rng.random(len(t)) * np.maximum(hi - lo, 1)).astype(np.int64),
                                n_children - 1)]
        ok = (hi > lo) & (age0[pick] + 1 + (t - first_day[pick]) / 365.25 < 18)
        contact_child[repeat[ok]] = pick[ok]
        # where no earlier child fits, a new one
        extra = repeat[~ok]
        extra_idx = np.arange(n_children, n_children + len(extra))
        self.children["first_day"] = np.concatenate([self.children["first_day"], c["day"][extra]])
        self.children["age0"] = np.concatenate([self.children["age0"],
                                                rng.choice(18, len(extra), p=AGE_WEIGHTS / AGE_WEIGHTS.sum())])
        contact_child[extra] = extra_idx
        c["child"] = contact_child

    def create_people(self):
        first_day, age0 = self.children["first_day"], self.children["age0"]
        order = np.argsort(first_day, kind="stable")
        ids = np.empty(len(first_day), dtype=object)
        self.dob = np.empty(len(first_day), dtype=np.int64)
        if len(first_day):
            ids[order] = self.ctx.people.add(first_day[order], age0[order])
            self.dob[order] = self.ctx.people.dob_days(ids[order])
        self.person_ids = ids

    def age_at(self, child, days) -> np.ndarray:
        """Completed years (close enough: 365.25-day years)."""
        return np.floor((np.asarray(days) - self.dob[child]) / 365.25).astype(np.int64)

    # -----------------------------------------------------------------------------------
    # Assessment factors, with the children at risk of sexual exploitation
    def simulate_factors(self):
        rng = self.rng("factors")
        r = self.refs
        a = np.flatnonzero(r["assessed"])
        auth = r["a_auth"][a]
        n = len(a)
        codes = [f for f, _ in FACTORS]
        share = np.array([s for _, s in FACTORS])
        # more factors on cases that go on to CIN or CP, fewer when the assessment ends in NFA
        lift = np.where(r["asm_nfa"][a], 0.7, np.where(r["conference"][a], 1.6, 1.1))
        has = rng.random((n, len(codes))) < np.minimum(share[None, :] * lift[:, None], 0.9)
        none = ~has.any(axis=1)
        has[none, codes.index("21")] = True
        # CSE: an exact number of distinct children a month, none flagged twice within 12 months
        cse = self.cse_assessments(rng, a, auth)
        has[cse, codes.index("6A")] = True
        recorded = (rng.random(n) < 0.97) | has[:, codes.index("6A")]
        text = np.full(n, "", dtype=object)
        for j, code in enumerate(codes):
            text = text + np.where(has[:, j], f'"{code}",', "")
        text = "[" + np.char.rstrip(text.astype(str), ",").astype(object) + "]"
        keep = recorded & (auth <= self.ctx.end_day)
        self.factors = {"assessment": a[keep], "auth": auth[keep], "json": text[keep]}

    def cse_assessments(self, rng, a, auth) -> np.ndarray:
        """Row numbers (into a) of assessments recording 6A."""
        r = self.refs
        child = r["child"][a]
        months = _month(auth)
        targets: dict[int, int] = {}
        for first, last, total in CSE_CHILDREN:
            span = np.arange(_m(first), _m(last) + 1)
            cum = np.round(np.cumsum(np.full(len(span), total * self.ctx.scale / len(span))))
            for mon, k in zip(span, np.diff(cum, prepend=0).astype(np.int64)):
                targets[int(mon)] = int(k)
        age = self.age_at(child, auth)
        weight = np.where(age >= 11, 1.0, np.where(age >= 8, 0.1, 0.0))
        flagged = np.full(len(self.person_ids), NA)   # when each child was last flagged
        chosen = []
        order = np.argsort(months, kind="stable")
        bounds = np.searchsorted(months[order], np.arange(months.min(), months.max() + 2)) if len(a) else [0]
        for i, mon in enumerate(range(months.min() if len(a) else 0, months.max() + 1 if len(a) else 0)):
            k = targets.get(mon, 0)
            if k == 0 or _month_start(mon) > self.ctx.end_day:
                continue
            rows = order[bounds[i]:bounds[i + 1]]
            # one assessment per child: the first authorised this month
            _, first_rows = np.unique(child[rows], return_index=True)
            rows = rows[first_rows]
            rows = rows[(flagged[child[rows]] < _month_start(mon - 12)) & (weight[rows] > 0)]
            if len(rows) == 0:
                continue
            w = weight[rows] / weight[rows].sum()
            k = min(k, len(rows))
            picked = rng.choice(rows, k, replace=False, p=w)
            flagged[child[picked]] = auth[picked]
            chosen.append(picked)
        return np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)

    # -----------------------------------------------------------------------------------
    # 4. Allocations
    def simulate_involvements(self):
        rng = self.rng("involvements")
        r = self.refs
        n = len(r["day"])
        # the front door: an assessment team holds every referral
        r["team"] = _choice(rng, self.assessment_teams, np.ones(len(self.assessment_teams)), n)
        r["worker"] = self.workers(r["team"], r["day"])
        a = np.flatnonzero(r["assessed"])
        overlap = np.where(rng.random(n) < 0.15, rng.integers(1, 11, n), 0)
        a_end = np.where(r["continuing"], np.minimum(r["T"] + overlap, r["close"]), r["close"])
        rows = [dict(ref=a, team=r["team"][a], worker=r["worker"][a], start=r["day"][a], end=a_end[a],
                     reason=np.where(r["continuing"][a], "TEAM_TRANSFER", None).astype(object))]
        # CIN and CP: a safeguarding team (children with disabilities: their own team), worker changes
        k = np.flatnonzero(r["continuing"])
        T, close = r["T"][k], r["close"][k]
        years = (close - T) / 365.25
        changes = np.minimum(rng.poisson(years * np.where(_month(T) < _m("2020-06"), 0.9, 0.6)), 3)
        owner, position = _groups_of(changes + 1)
        u = np.where(position == 0, 0.0, rng.random(len(owner)))
        order = np.lexsort((u, owner))
        owner, u = owner[order], u[order]
        seg_start = T[owner] + np.floor(u * (close[owner] - T[owner])).astype(np.int64)
        last = np.r_[owner[1:] != owner[:-1], True] if len(owner) else np.zeros(0, dtype=bool)
        seg_end = np.where(last, close[owner], np.r_[seg_start[1:], 0] if len(owner) else seg_start)
        disabled = rng.random(len(k)) < 0.06
        n_sg = len(self.safeguarding_teams)
        home_i = rng.integers(0, n_sg, len(k))
        home = np.where(disabled, _choice(rng, self.disabled_teams, np.ones(len(self.disabled_teams)), len(k)),
                        self.safeguarding_teams[home_i])
        # a team transfer moves the rest of the case to another safeguarding team
        other = self.safeguarding_teams[(home_i + 1 + rng.integers(0, max(n_sg - 1, 1), len(k))) % n_sg]
        reason = _choice(rng, CHANGE_REASONS, [55, 35, 10], len(owner))
        reason[last] = None
        reason[(reason == "TEAM_TRANSFER") & disabled[owner]] = "WORKER_LEFT"
        transfer = (reason == "TEAM_TRANSFER").astype(np.int64)
        moved = (_group_cumsum(transfer, changes + 1) - transfer) > 0   # a transfer ended an earlier segment
        team = np.where(moved, other[owner], home[owner])
        rows.append(dict(ref=k[owner], team=team, worker=self.workers(team, seg_start), start=seg_start,
                         end=seg_end, reason=reason))
        inv = {key: np.concatenate([row[key] for row in rows]) for key in rows[0]}
        order = np.lexsort((inv["ref"], inv["start"]))
        self.involvements = {key: v[order] for key, v in inv.items()}
        # the team holding the case after the front door leads conferences and plans
        first_seg = np.r_[True, owner[1:] != owner[:-1]] if len(owner) else np.zeros(0, dtype=bool)
        r["sg_team"] = np.full(n, None, dtype=object)
        r["sg_worker"] = np.full(n, None, dtype=object)
        r["sg_team"][k[owner[first_seg]]] = team[first_seg]
        r["sg_worker"][k[owner[first_seg]]] = rows[1]["worker"][first_seg]

    # -----------------------------------------------------------------------------------
    def tables(self) -> dict[str, pd.DataFrame]:
        ctx, r, c = self.ctx, self.refs, self.contacts
        pid = self.person_ids
        end_day = ctx.end_day
        out: dict[str, pd.DataFrame] = {}

        def frame(name, columns, anchor):
            columns = dict(columns)
            columns["_anchor"] = _dates(anchor)
            columns["_lag"] = np.zeros(len(anchor), dtype=np.int64)
            df = pd.DataFrame(columns).sort_values("_anchor", kind="stable", ignore_index=True)
            expected = TABLES[name].column_names + ["_anchor", "_lag"]
            out[name] = df[expected]

        def new_ids(prefix, anchor):
            """Ids numbered in the order the rows come into existence."""
            ids = np.empty(len(anchor), dtype=object)
            if len(anchor):  # IdFactory.new cannot make zero ids
                ids[np.argsort(anchor, kind="stable")] = ctx.ids.new(prefix, len(anchor))
            return ids

        n_c = len(c["day"])
        frame("ssd_contacts", {
            "cont_contact_id": new_ids("CON", c["day"]), "cont_person_id": pid[c["child"]],
            "cont_contact_date": _dates(c["day"]), "cont_contact_source_code": c["source"],
            "cont_contact_outcome_json": c["outcome"], "cont_contact_completed_date": _dates(c["completed"]),
            "cont_contact_team": np.full(n_c, self.mash, dtype=object)}, c["day"])

        n = len(r["day"])
        ref_id = new_ids("REF", r["day"])
        child_pid = pid[r["child"]]
        rng = self.rng("codes")
        need = np.where(r["plan"], _choice(rng, NEED_CODES, NEED_CP, n),
                        np.where(r["nfa"] | r["asm_nfa"], _choice(rng, NEED_CODES, NEED_NFA, n),
                                 _choice(rng, NEED_CODES, NEED_CIN, n)))
        disabled_team = np.isin(r["sg_team"], self.disabled_teams) & ~np.isin(r["sg_team"], self.safeguarding_teams)
        need = np.where(disabled_team & (rng.random(n) < 0.8), "N2", need)
        close_age = self.age_at(r["child"], r["close"])
        reason = np.where((close_age >= 17) & (r["close_reason"] == "RC7"), "RC6", r["close_reason"])
        frame("ssd_cin_episodes", {
            "cine_referral_id": ref_id, "cine_person_id": child_pid, "cine_referral_date": _dates(r["day"]),
            "cine_cin_primary_need_code": need, "cine_referral_source_code": r["source"],
            "cine_referral_nfa": _flag(r["nfa"]), "cine_close_date": _dates(r["close"]),
            "cine_close_reason": reason, "cine_referral_team": r["team"],
            "cine_referral_worker_id": r["worker"]}, r["day"])

        a = np.flatnonzero(r["assessed"])
        asm_id = np.full(n, None, dtype=object)
        asm_id[a] = new_ids("ASM", r["a_start"][a])
        frame("ssd_cin_assessments", {
            "cina_assessment_id": asm_id[a], "cina_person_id": child_pid[a], "cina_referral_id": ref_id[a],
            "cina_assessment_start_date": _dates(r["a_start"][a]),
            "cina_assessment_child_seen": _flag(r["child_seen"][a]),
            "cina_assessment_auth_date": _dates(r["a_auth"][a]),
            "cina_assessment_outcome_nfa": _flag(r["asm_nfa"][a]), "cina_assessment_team": r["team"][a],
            "cina_assessment_worker_id": r["worker"][a]}, r["a_start"][a])

        f = self.factors
        frame("ssd_assessment_factors", {
            "cinf_table_id": new_ids("ASF", f["auth"]), "cinf_assessment_id": asm_id[f["assessment"]],
            "cinf_assessment_factors_json": f["json"]}, f["auth"])

        s = np.flatnonzero(r["s47"])
        s47_id = np.full(n, None, dtype=object)
        s47_id[s] = new_ids("S47E", r["s_start"][s])
        frame("ssd_s47_enquiry", {
            "s47e_s47_enquiry_id": s47_id[s], "s47e_referral_id": ref_id[s], "s47e_person_id": child_pid[s],
            "s47e_s47_start_date": _dates(r["s_start"][s]), "s47e_s47_end_date": _dates(r["s_end"][s]),
            "s47e_s47_nfa": _flag(r["asm_nfa"][s] & ~r["icpc"][s]), "s47e_s47_completed_by_team": r["team"][s],
            "s47e_s47_completed_by_worker_id": r["worker"][s]}, r["s_start"][s])

        p = self.plans
        plan_id = new_ids("CPP", p["start"])
        ref_plan = np.full(n, None, dtype=object)
        ref_plan[p["ref"]] = plan_id
        i = np.flatnonzero(r["conference"])
        icpc_id = np.full(n, None, dtype=object)
        icpc_id[i] = new_ids("ICPC", np.where(r["transfer_in"][i], r["day"][i], r["s_start"][i]))
        frame("ssd_initial_cp_conference", {
            "icpc_icpc_id": icpc_id[i], "icpc_s47_enquiry_id": s47_id[i], "icpc_person_id": child_pid[i],
            "icpc_referral_id": ref_id[i], "icpc_cp_plan_id": ref_plan[i],
            "icpc_icpc_transfer_in": _flag(r["transfer_in"][i]), "icpc_icpc_target_date": _dates(r["i_target"][i]),
            "icpc_icpc_date": _dates(r["i_date"][i]), "icpc_icpc_outcome_cp_flag": _flag(r["plan"][i]),
            "icpc_icpc_team": r["sg_team"][i], "icpc_icpc_worker_id": r["sg_worker"][i]},
            np.where(r["transfer_in"][i], r["day"][i], r["s_start"][i]))

        frame("ssd_cp_plans", {
            "cppl_cp_plan_id": plan_id, "cppl_person_id": child_pid[p["ref"]], "cppl_referral_id": ref_id[p["ref"]],
            "cppl_icpc_id": icpc_id[p["ref"]], "cppl_cp_plan_start_date": _dates(p["start"]),
            "cppl_cp_plan_end_date": _dates(p["end"]), "cppl_cp_plan_initial_category": p["category"],
            "cppl_cp_plan_latest_category": p["latest"]}, p["start"])

        v = self.reviews
        frame("ssd_cp_reviews", {
            "cppr_cp_review_id": new_ids("CPR", v["anchor"]), "cppr_person_id": child_pid[p["ref"][v["plan"]]],
            "cppr_cp_plan_id": plan_id[v["plan"]], "cppr_cp_review_due": _dates(v["due"]),
            "cppr_cp_review_date": _dates(v["held"])}, v["anchor"])

        v = self.visits
        order = np.lexsort((v["plan"], v["day"]))
        vplan, vday, seen = v["plan"][order], v["day"][order], v["seen"][order]
        vchild = r["child"][p["ref"][vplan]]
        alone = seen & (self.age_at(vchild, vday) >= 4) & (v["alone_u"][order] < 0.72)
        frame("ssd_cp_visits", {
            "cppv_cp_visit_id": new_ids("CPV", vday), "cppv_person_id": pid[vchild],
            "cppv_cp_plan_id": plan_id[vplan], "cppv_cp_visit_date": _dates(vday),
            "cppv_cp_visit_seen": _flag(seen), "cppv_cp_visit_seen_alone": _flag(alone)}, vday)

        q = self.pre
        order = np.argsort(q["decision"], kind="stable")
        qplan = q["plan"][order]
        outcome = np.where(q["issued"][order], "proceedings_issued", "stepdown").astype(object)
        frame("ssd_pre_proceedings", {
            "prep_table_id": new_ids("PRE", q["decision"][order]), "prep_person_id": child_pid[p["ref"][qplan]],
            "prep_pre_pro_decision_date": _dates(q["decision"][order]),
            "prep_initial_pre_pro_meeting_date": _dates(q["meeting"][order]),
            "prep_pre_pro_outcome": outcome, "prep_agree_stepdown_issue_date": _dates(q["outcome_day"][order])},
            q["decision"][order])

        w = self.involvements
        keep = w["start"] <= end_day
        m = int(keep.sum())
        frame("ssd_involvements", {
            "invo_involvements_id": new_ids("INV", w["start"][keep]), "invo_professional_id": w["worker"][keep],
            "invo_professional_role_id": np.full(m, ALLOCATED_SW, dtype=object),
            "invo_professional_team": w["team"][keep], "invo_person_id": child_pid[w["ref"][keep]],
            "invo_referral_id": ref_id[w["ref"][keep]], "invo_involvement_start_date": _dates(w["start"][keep]),
            "invo_involvement_end_date": _dates(w["end"][keep]), "invo_worker_change_reason": w["reason"][keep]},
            w["start"][keep])
        return out
