"""Workforce (HR extract): posts, staff spells, absence, supervision, and ssd_professionals.

The social-work establishment is simulated month by month from the start of the event
history to a few months after the last snapshot. Each month: posts open (the
establishment grows, and the 2020 restructure re-establishes vacant posts), fixed-term
contracts are renewed, employed social workers leave, a few move team, agency locums
come and go, newly qualified (ASYE) cohorts, international recruits, agency workers
converting to permanent and experienced hires fill vacant posts, and agency cover is
bought to the level the agency-share path asks for.

Calibration is by construction, so it holds for every seed:

- employed social-worker FTE follows ``posts x (1 - vacancy rate)`` (vacancies are held
  back for the cohorts that are about to arrive);
- agency FTE is set each month end to ``employed x a / (1 - a)``, so the agency rate is
  the path ``a`` (34.4% at 2021-06-30);
- leaver FTE is chosen month by month, and in the last month of each calibration window
  it is solved so that leavers in the 12 months / employed FTE at the window end is the
  review's turnover figure (37.8% at 2020-06-30, 27.0% at 2021-06-30).

Team moves, fixed-term renewals and agency conversions end a spell without a leaver (an
employed spell for the same professional starts on the same or the next day).
Family support workers, personal advisers and business support (not social workers)
are simulated post by post with a simpler renewal process.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..calendar import bank_holidays
from .context import SynthContext, WorkerPool, day, from_days

OPEN_END = 10 ** 9          # end_day of an open spell in the WorkerPool
HORIZON_MONTHS = 5          # simulate staffing this many months past the last snapshot
RESERVE_MONTHS = 3          # vacancies are held for a cohort this many months ahead

# Case-holding social-worker posts per team at Torbay scale (the establishment in April 2019).
CASEHOLDING_POSTS = {"mash": 5, "assessment": 8, "safeguarding": 10, "disabled": 5, "cared_for": 6,
                     "care_leavers": 9, "iro": 0}
IRO_POSTS = 8               # reviewing officers and CP chairs in the 'iro' team
# Non-social-worker posts per team: (role, count)
SUPPORT_POSTS = {"mash": [("Business support officer", 3)],
                 "assessment": [("Family support worker", 1), ("Business support officer", 2)],
                 "safeguarding": [("Family support worker", 3), ("Business support officer", 2)],
                 "disabled": [("Family support worker", 3), ("Business support officer", 2)],
                 "cared_for": [("Family support worker", 2), ("Business support officer", 2)],
                 "care_leavers": [("Personal adviser", 6), ("Business support officer", 2)],
                 "iro": [("Business support officer", 2)]}
NEW_SUPPORT_ROLES = {"Family support worker": 0.45, "Personal adviser": 0.2, "Business support officer": 0.35}

TEAM_MANAGER, IRO, PSW = "Team manager", "Independent reviewing officer", "Principal social worker"
PRACTICE_MANAGER, ADVANCED = "Practice manager", "Advanced practitioner"
SW, SENIOR_SW = "Social worker", "Senior social worker"
CASEHOLDING_ROLES = (SW, SENIOR_SW, ADVANCED, PRACTICE_MANAGER)
MANAGER_ROLES = (TEAM_MANAGER, PSW)
SENIOR_ROLES = (TEAM_MANAGER, PSW, IRO, PRACTICE_MANAGER)

# Paths (date, value), interpolated linearly by day and flat outside.
VACANCY = [("2013-05-01", 0.15), ("2015-06-30", 0.20), ("2017-06-30", 0.28), ("2018-09-30", 0.33),
           ("2019-09-30", 0.37), ("2020-03-31", 0.375), ("2020-09-30", 0.425), ("2021-01-31", 0.39),
           ("2021-06-30", 0.30), ("2021-09-30", 0.245), ("2022-03-31", 0.22)]
AGENCY = [("2013-05-01", 0.20), ("2016-03-31", 0.30), ("2018-03-31", 0.38), ("2019-09-30", 0.428),
          ("2020-03-31", 0.44), ("2020-09-30", 0.438), ("2021-01-31", 0.41), ("2021-06-30", 0.344),
          ("2021-09-30", 0.312), ("2022-03-31", 0.28)]
ESTABLISHMENT = [("2013-05-01", 0.94), ("2019-04-01", 1.0), ("2020-03-31", 1.0), ("2020-09-30", 1.08),
                 ("2021-03-31", 1.15), ("2022-03-31", 1.16)]   # case-holding posts relative to 2019
TURNOVER = [("2013-05-01", 0.20), ("2016-03-31", 0.28), ("2019-06-30", 0.33), ("2021-06-30", 0.27),
            ("2021-12-31", 0.22)]                               # annual, outside the calibrated windows
TURNOVER_TARGETS = [(dt.date(2020, 6, 30), 0.378), (dt.date(2021, 6, 30), 0.270)]
SEASON = np.array([0.9, 0.8, 1.1, 0.9, 0.9, 1.0, 1.0, 1.3, 1.2, 0.9, 0.8, 1.0])   # leavers by calendar month
SEASON = SEASON / SEASON.mean()

# Scheduled starters: ASYE cohorts (date, Torbay-scale size) and international recruits.
ASYE_INTAKES = [("2013-09-02", 5), ("2014-09-01", 5), ("2015-09-01", 6), ("2016-09-05", 6),
                ("2017-09-04", 8), ("2018-09-03", 10), ("2019-09-02", 16), ("2020-09-01", 16),
                ("2021-07-05", 16)]
INTERNATIONAL_ARRIVALS = [("2021-03-01", 4), ("2021-04-26", 4), ("2021-06-01", 4)]
CONVERSIONS = [("2013-05-01", 0.1), ("2019-12-31", 0.2), ("2020-01-01", 0.4), ("2020-12-31", 0.4),
               ("2021-01-01", 1.0), ("2021-06-30", 1.0), ("2021-07-01", 3.0)]   # expected per month
RESTRUCTURE = ("2020-10-01", 24)      # vacant posts closed and re-established in the new structure
FY_POSTS_ADDED = (dt.date(2020, 4, 1), dt.date(2021, 3, 31), 67)   # posts opened in 2020-21

LEAVING_REASONS = {"Resignation - joined another local authority": 0.30, "Resignation - left social work": 0.09,
                   "Moved to agency work": 0.14, "Relocation": 0.10, "Retirement": 0.07, "Career break": 0.05,
                   "Personal reasons": 0.13, "Promotion elsewhere": 0.08, "Dismissal": 0.04}
AGENCY_REASONS = {"End of assignment": 0.7, "Moved to another authority": 0.2, "Personal reasons": 0.1}
PART_TIME = np.array([0.5, 0.6, 0.7, 0.8, 0.9])

FIRST_NAMES = ["Amy", "Ben", "Chloe", "Dan", "Emma", "Faye", "Gemma", "Hannah", "Isaac", "Jade", "Kate", "Liam",
               "Megan", "Nathan", "Olivia", "Priya", "Rachel", "Sam", "Tom", "Uma", "Vicky", "Will", "Zoe",
               "Adebayo", "Chipo", "Lerato", "Thandi", "Grace", "Helen", "Joanne", "Karen", "Lucy", "Mark",
               "Nicola", "Paul", "Sarah", "Steve", "Claire", "Rebecca", "Julie"]
SURNAMES = ["Ashworth", "Bennett", "Carter", "Dawson", "Ellis", "Fletcher", "Gardner", "Harvey", "Ingram",
            "Jennings", "Kerr", "Lawson", "Marsh", "Norris", "Osborne", "Pearce", "Quinn", "Rowe", "Sutton",
            "Tucker", "Underwood", "Vaughan", "Walsh", "Yates", "Moyo", "Dube", "Okafor", "Nkosi", "Baker",
            "Coombes", "Hext", "Luscombe", "Pengelly", "Trewin", "Vosper", "Widdicombe", "Hooper", "Skinner"]


def _new_ids(ctx: SynthContext, prefix: str, n: int) -> np.ndarray:
    """ctx.ids.new, also for no rows at all."""
    return ctx.ids.new(prefix, n).astype(object) if n else np.array([], dtype=object)


def _path(points):
    xs = np.array([day(dt.date.fromisoformat(d)) for d, _ in points], dtype=float)
    ys = np.array([v for _, v in points], dtype=float)
    return lambda d: float(np.interp(d, xs, ys))


class _Post:
    __slots__ = ("team", "role", "fte", "sw", "caseholding", "open", "close", "holder", "cover", "free")

    def __init__(self, team, role, fte, sw, caseholding, open_day, free_day):
        self.team, self.role, self.fte, self.sw, self.caseholding = team, role, fte, sw, caseholding
        self.open, self.close, self.holder, self.cover, self.free = open_day, None, None, None, free_day


class _Spell:
    __slots__ = ("prof", "post", "team", "role", "sw", "etype", "fte", "start", "end", "reason",
                 "asye", "intl", "conv", "planned_end")

    def __init__(self, prof, post, team, role, sw, etype, fte, start, asye=False, intl=False, conv=False,
                 planned_end=None):
        self.prof, self.post, self.team, self.role, self.sw = prof, post, team, role, sw
        self.etype, self.fte, self.start, self.end, self.reason = etype, fte, start, None, None
        self.asye, self.intl, self.conv, self.planned_end = asye, intl, conv, planned_end

    @property
    def caseholding(self) -> bool:
        return self.role in CASEHOLDING_ROLES


class _Workforce:
    """The month-by-month simulation of the social-work establishment."""

    def __init__(self, ctx: SynthContext):
        self.ctx = ctx
        self.rng = ctx.rng("workforce/staffing")
        self.posts: list[_Post] = []
        self.spells: list[_Spell] = []
        self.n_prof = 0
        self.employed: list[_Spell] = []     # active employed social-worker spells
        self.agency: list[_Spell] = []       # active agency social-worker spells
        self.to_agency: list[tuple[int, int]] = []   # (professional, leave day) of leavers who went agency
        self.vacancy, self.agency_share = _path(VACANCY), _path(AGENCY)
        self.growth, self.turnover = _path(ESTABLISHMENT), _path(TURNOVER)
        self.conversion_rate = _path(CONVERSIONS)
        teams = ctx.teams
        self.team_role = dict(zip(teams["dept_team_id"], teams["role"]))
        self.ch_teams = [t for t, r in self.team_role.items() if r != "iro"]
        self.ch_weight = np.array([CASEHOLDING_POSTS[self.team_role[t]] for t in self.ch_teams], dtype=float)
        self.ch_weight /= self.ch_weight.sum()
        self.fixed_fte = 0.0                 # managers, IROs, PSW: not growing with the establishment
        self.base_ch_fte = 0.0
        self.opened_in_fy = 0                # social-worker posts opened in the financial year of FY_POSTS_ADDED
        self.log: list[dict] = []

    # -- helpers ---------------------------------------------------------------------------------
    def new_prof(self) -> int:
        self.n_prof += 1
        return self.n_prof - 1

    def part_time_fte(self, share: float) -> float:
        return 1.0 if self.rng.random() >= share else float(self.rng.choice(PART_TIME))

    def caseholding_role(self) -> str:
        u = self.rng.random()
        return SW if u < 0.62 else SENIOR_SW if u < 0.94 else ADVANCED

    def open_post(self, team, role, open_day, fte=None) -> _Post:
        caseholding = role in CASEHOLDING_ROLES
        post = _Post(team, role, fte if fte is not None else self.part_time_fte(0.12), True, caseholding,
                     open_day, open_day)
        self.posts.append(post)
        fy_from, fy_to, _ = FY_POSTS_ADDED
        if day(fy_from) <= open_day <= day(fy_to):
            self.opened_in_fy += 1
        return post

    def start_spell(self, post, team, role, etype, fte, start, prof=None, **flags) -> _Spell:
        spell = _Spell(self.new_prof() if prof is None else prof, post, team, role, True, etype, fte, start, **flags)
        self.spells.append(spell)
        (self.agency if etype == "agency" else self.employed).append(spell)
        if post is not None:
            if etype == "agency":
                post.cover = spell
            else:
                post.holder = spell
        return spell

    def end_spell(self, spell: _Spell, end: int, reason: str):
        assert end > spell.start
        spell.end, spell.reason = end, reason
        (self.agency if spell.etype == "agency" else self.employed).remove(spell)
        post = spell.post
        if post is not None:
            if post.holder is spell:
                post.holder = None
            if post.cover is spell:
                post.cover = None
            post.free = max(post.free, end)

    def pick_reason(self, table: dict) -> str:
        keys = list(table)
        p = np.array(list(table.values()))
        return keys[self.rng.choice(len(keys), p=p / p.sum())]

    def day_in(self, lo: int, hi: int) -> int:
        return int(self.rng.integers(lo, hi + 1))

    @staticmethod
    def fte_of(spells) -> float:
        return float(sum(s.fte for s in spells))

    def open_fte(self) -> float:
        return float(sum(p.fte for p in self.posts if p.close is None))

    def vacant_posts(self, last: int, caseholding=None, uncovered=False) -> list[_Post]:
        out = []
        for p in self.posts:
            if p.close is not None or p.holder is not None or p.free > last:
                continue
            if caseholding is not None and p.caseholding != caseholding:
                continue
            if uncovered and p.cover is not None:
                continue
            if p.cover is not None and p.cover.start + 1 > last:
                continue
            out.append(p)
        return out

    def earliest(self, post: _Post, first: int) -> int:
        lo = max(first, post.free)
        if post.cover is not None:
            lo = max(lo, post.cover.start + 1)
        return lo

    def weighted_post(self, posts: list[_Post]) -> _Post:
        w = np.array([4.0 if p.role in MANAGER_ROLES + (IRO,) else 1.0 for p in posts])
        return posts[self.rng.choice(len(posts), p=w / w.sum())]

    def hire(self, post: _Post, first: int, last: int, etype=None, role=None, prof=None, **flags) -> _Spell:
        d = self.day_in(self.earliest(post, first), last)
        if post.cover is not None:
            self.end_spell(post.cover, d, "End of assignment")
        if etype is None:
            etype = "fixed_term" if self.rng.random() < 0.13 else "permanent"
        planned = d + int(self.rng.integers(180, 548)) if etype == "fixed_term" else None
        return self.start_spell(post, post.team, role or post.role, etype, post.fte, d, prof=prof,
                                planned_end=planned, **flags)

    # -- the simulation ---------------------------------------------------------------------------
    def initial_state(self):
        ctx, rng = self.ctx, self.rng
        s0 = ctx.start_day
        for team, role in self.team_role.items():
            if role == "iro":
                roles = [TEAM_MANAGER, PSW] + [IRO] * max(1, ctx.n(IRO_POSTS))
            else:
                n = max(2, ctx.n(CASEHOLDING_POSTS[role] * self.growth(s0)))
                extra = [PRACTICE_MANAGER] if n >= 6 else []
                roles = [TEAM_MANAGER] + extra + [self.caseholding_role() for _ in range(n - len(extra))]
            for r in roles:
                opened = s0 - int(rng.integers(60, 4000))
                post = self.open_post(team, r, opened, fte=1.0 if r in MANAGER_ROLES else None)
                if r in CASEHOLDING_ROLES:
                    self.base_ch_fte += post.fte
                else:
                    self.fixed_fte += post.fte
        self.base_ch_fte /= self.growth(s0)
        # employed holders: managers first, then posts at random, to the vacancy path
        goal = self.open_fte() * (1 - self.vacancy(s0))
        order = sorted(range(len(self.posts)), key=lambda i: (self.posts[i].role not in MANAGER_ROLES + (IRO,),
                                                              rng.random()))
        filled = 0.0
        for i in order:
            post = self.posts[i]
            if filled >= goal - 0.3:
                post.free = s0 - int(rng.integers(0, 150))
                continue
            tenure = int(min(rng.exponential(5 * 365), 25 * 365)) + 1
            start = s0 - tenure
            post.open = min(post.open, start - int(rng.integers(0, 1500)))
            etype = "fixed_term" if rng.random() < 0.1 else "permanent"
            planned = s0 + int(rng.integers(20, 365)) if etype == "fixed_term" else None
            self.start_spell(post, post.team, post.role, etype, post.fte, start, planned_end=planned)
            filled += post.fte
        # agency: cover vacancies, then over establishment
        a = self.agency_share(s0)
        goal_a = filled * a / (1 - a)
        vacant = [p for p in self.posts if p.holder is None]
        rng.shuffle(vacant)
        vacant.sort(key=lambda p: p.role not in MANAGER_ROLES)
        have = 0.0
        while have < goal_a - 0.3:
            start = s0 - int(min(rng.exponential(240), 1500)) - 1
            if vacant and rng.random() < 0.8:
                post = vacant.pop(0)
                post.free = min(post.free, start)
                post.open = min(post.open, start)
                self.start_spell(post, post.team, post.role, "agency", 1.0, start)
            else:
                team = self.understaffed_team()
                self.start_spell(None, team, self.caseholding_role(), "agency", 1.0, start)
            have += 1.0

    def understaffed_team(self) -> str:
        ratios = []
        for team in self.ch_teams:
            posts = sum(p.fte for p in self.posts if p.team == team and p.caseholding and p.close is None)
            staff = sum(s.fte for s in self.employed + self.agency if s.team == team and s.caseholding)
            ratios.append(staff / max(posts, 0.5) + 0.15 * self.rng.random())
        return self.ch_teams[int(np.argmin(ratios))]

    def plan_arrivals(self):
        """Start days of every ASYE and international starter, drawn up front so vacancies can be held for them.

        An ASYE cohort starts over a few weeks around its intake date (registration with
        Social Work England sets each one's first day); international recruits arrive in groups.
        """
        rng = self.ctx.rng("workforce/arrivals")
        arrivals = []
        for table, kind in ((ASYE_INTAKES, "asye"), (INTERNATIONAL_ARRIVALS, "intl")):
            for date, size in table:
                d = day(dt.date.fromisoformat(date))
                for _ in range(self.ctx.n(size)):
                    if kind == "asye":
                        offset = int(rng.choice([-21, 0, 0, 0, 0, 0, 7, 14, 28, 42, 63])) + int(rng.integers(0, 5))
                    else:
                        offset = int(rng.integers(0, 14))
                    arrivals.append((d + offset, kind))
        self.arrivals = sorted(arrivals)

    def arriving(self, first: int, last: int, kind: str) -> list[int]:
        return [d for d, k in self.arrivals if k == kind and first <= d <= last]

    def reserve(self, month_end: int) -> float:
        """Vacancies held back for the starters arriving in the next few months."""
        ahead = (np.array([d for d, _ in self.arrivals] or [0]) - month_end) / 30.44
        weight = np.clip((RESERVE_MONTHS + 0.5 - ahead) / RESERVE_MONTHS, 0, 1) * (ahead > 0)
        return float(weight.sum())

    def employed_goal(self, last: int) -> float:
        return self.open_fte() * (1 - self.vacancy(last))

    def run(self):
        ctx, rng = self.ctx, self.rng
        self.initial_state()
        self.plan_arrivals()
        first_month = np.datetime64(ctx.start, "M")
        last_month = np.datetime64(ctx.end, "M") + HORIZON_MONTHS
        windows = [(day(d), day(_months_before(d, 12)), target) for d, target in TURNOVER_TARGETS]
        leavers_in_window = {w: 0.0 for w in range(len(windows))}
        carry = 0.0
        restructure_day = day(dt.date.fromisoformat(RESTRUCTURE[0]))
        for month in np.arange(first_month, last_month + 1):
            first = max(ctx.start_day, int((month.astype("datetime64[D]") - np.datetime64("1970-01-01")).astype(int)))
            last = int(((month + 1).astype("datetime64[D]") - np.datetime64("1970-01-01")).astype(int)) - 1
            calendar_month = int(str(month)[5:7])

            # 1. the establishment grows; the restructure re-establishes vacant posts
            goal_posts = self.fixed_fte + self.base_ch_fte * self.growth(last)
            while self.open_fte() < goal_posts - 0.5:
                team = self.ch_teams[rng.choice(len(self.ch_teams), p=self.ch_weight)]
                self.open_post(team, self.caseholding_role(), self.day_in(first, last))
            if first <= restructure_day <= last:
                self.restructure(restructure_day, ctx.n(RESTRUCTURE[1]))

            # 2. fixed-term contracts due this month are renewed or made permanent (not leavers)
            for spell in [s for s in self.employed if s.planned_end is not None and s.planned_end <= last]:
                d = max(spell.planned_end, spell.start + 1, first)
                permanent = rng.random() < 0.5
                post = spell.post
                self.end_spell(spell, d, "Made permanent" if permanent else "Contract renewed")
                self.start_spell(post, spell.team, spell.role, "permanent" if permanent else "fixed_term",
                                 spell.fte, d, prof=spell.prof,
                                 planned_end=None if permanent else d + int(rng.integers(180, 548)))

            # scheduled starters this month (ASYE cohort, international recruits, conversions)
            asye = self.arriving(first, last, "asye")
            intl = self.arriving(first, last, "intl")
            n_conv = int(rng.poisson(self.conversion_rate(last) * ctx.scale))
            sched_fte = float(len(asye) + len(intl) + n_conv)

            # 3. employed social workers leave: leaver FTE by construction
            window = next((w for w, (end, begin, _) in enumerate(windows) if begin < last <= end), None)
            e_now = self.fte_of(self.employed)
            goal = self.employed_goal(last) - self.reserve(last)
            if window is not None and last == windows[window][0]:
                target = windows[window][2]
                so_far = leavers_in_window[window]
                want = target * goal - so_far
                if e_now - want + sched_fte > goal:
                    want = (target * (e_now + sched_fte) - so_far) / (1 + target)
                want = max(want, 0.0)
            elif window is not None:
                # spread what the window still needs over its remaining months
                end_day, begin_day, target = windows[window]
                d_goal = self.open_fte() * (1 - self.vacancy(end_day)) - self.reserve(end_day)
                months_left = [(calendar_month - 1 + k) % 12 for k in range(_months_between(last, end_day) + 1)]
                share = SEASON[calendar_month - 1] / SEASON[months_left].sum()
                want = max(0.0, (target * d_goal - leavers_in_window[window]) * share)
            else:
                want = self.turnover(last) / 12 * e_now * SEASON[calendar_month - 1] + carry
            left = self.leave(first, last, want)
            if window is not None:
                leavers_in_window[window] += left
                carry = 0.0 if last == windows[window][0] else want - left
            else:
                carry = want - left

            # 4. a few team moves (same FTE, new post in another team)
            self.moves(first, last)

            # 5. agency locums come and go
            for spell in [s for s in self.agency if s.start < first]:
                if rng.random() < 0.045:
                    self.end_spell(spell, self.day_in(max(first, spell.start + 1), last),
                                   self.pick_reason(AGENCY_REASONS))

            # 6. employed starters
            self.cohort(asye, last, asye=True)
            self.cohort(intl, last, intl=True)
            self.convert(n_conv, first, last)
            goal = self.employed_goal(last) - self.reserve(last)
            while self.fte_of(self.employed) < goal - 0.3:
                vacant = self.vacant_posts(last)
                if not vacant:
                    break
                self.hire(self.weighted_post(vacant), first, last)

            # 7. agency cover to the agency-share path
            e_end = self.fte_of(self.employed)
            a = self.agency_share(last)
            goal_a = e_end * a / (1 - a)
            while self.fte_of(self.agency) < goal_a - 0.3:
                self.add_agency(first, last, min(1.0, max(0.5, round(goal_a - self.fte_of(self.agency), 1))))
            excess = [s for s in self.agency if s.start + 1 <= last]
            rng.shuffle(excess)
            excess.sort(key=lambda s: s.post is not None)
            for spell in excess:
                over = self.fte_of(self.agency) - goal_a
                if over <= 0.3:
                    break
                if spell.fte <= over + 0.3:
                    self.end_spell(spell, self.day_in(max(first, spell.start + 1), last), "End of assignment")

            # 8. every case-holding team keeps someone to hold its cases
            for team in self.ch_teams:
                if not any(s.team == team and s.caseholding for s in self.employed + self.agency):
                    self.start_spell(None, team, SW, "agency", 1.0, first)
            self.log.append({"month": str(month), "employed": self.fte_of(self.employed),
                             "agency": self.fte_of(self.agency), "posts": self.open_fte()})

    def restructure(self, when: int, n: int):
        """Close vacant case-holding posts and re-establish them in the new structure; agency cover moves with them."""
        rng = self.rng
        candidates = [p for p in self.posts if p.close is None and p.caseholding and p.holder is None
                      and p.free <= when and (p.cover is None or p.cover.start < when)]
        rng.shuffle(candidates)
        for post in candidates[:n]:
            post.close = when
            team = self.ch_teams[rng.choice(len(self.ch_teams), p=self.ch_weight)]
            new = self.open_post(team, post.role, when, fte=post.fte)
            cover = post.cover
            if cover is not None:
                self.end_spell(cover, when, "Internal move")
                self.start_spell(new, team, new.role, "agency", min(cover.fte, new.fte), when, prof=cover.prof)

    def leave(self, first: int, last: int, want: float) -> float:
        """End employed spells (started before this month) whose FTE adds up to about `want`."""
        rng = self.rng
        candidates = [s for s in self.employed if s.start < first]
        chosen, remaining = [], want
        for i in rng.permutation(len(candidates)):
            if remaining < 0.25:
                break
            if candidates[i].fte <= remaining + 0.25:
                chosen.append(candidates[i])
                remaining -= candidates[i].fte
        rest = [s for s in candidates if s not in chosen]
        if remaining >= 0.25 and rest:
            # the one that brings the total nearest to `want`
            best = min(rest, key=lambda s: abs(remaining - s.fte))
            if abs(remaining - best.fte) < remaining:
                chosen.append(best)
                remaining -= best.fte
        for spell in chosen:
            if spell.etype == "fixed_term" and rng.random() < 0.6:
                reason = "End of fixed-term contract"
            else:
                reason = self.pick_reason(LEAVING_REASONS)
            d = self.day_in(max(first, spell.start + 1), last)
            if spell.planned_end is not None and first <= spell.planned_end <= last:
                d = max(spell.planned_end, spell.start + 1)
            self.end_spell(spell, d, reason)
            if reason == "Moved to agency work":
                self.to_agency.append((spell.prof, d))
        return want - remaining

    def moves(self, first: int, last: int):
        rng = self.rng
        for spell in [s for s in self.employed if s.caseholding and s.start < first]:
            if rng.random() >= 0.005:
                continue
            options = [p for p in self.vacant_posts(last, caseholding=True)
                       if p.team != spell.team and p.fte == spell.fte]
            if not options:
                continue
            post = options[rng.integers(len(options))]
            d = self.day_in(max(self.earliest(post, first), spell.start + 1), last)
            if post.cover is not None:
                self.end_spell(post.cover, d, "End of assignment")
            self.end_spell(spell, d, "Internal move")
            self.start_spell(post, post.team, post.role if post.role != PRACTICE_MANAGER else spell.role,
                             spell.etype, spell.fte, d, prof=spell.prof, planned_end=spell.planned_end)

    def cohort(self, days: list[int], last: int, asye=False, intl=False):
        """ASYE or international starters: full-time social workers in vacant case-holding posts."""
        rng = self.rng
        for d0 in days:
            posts = [p for p in self.vacant_posts(last, caseholding=True)
                     if p.role in (SW, SENIOR_SW) and self.earliest(p, d0) <= last
                     and self.team_role[p.team] not in ("mash",)]
            if not posts:
                posts = [p for p in self.vacant_posts(last, caseholding=True) if self.earliest(p, d0) <= last]
            if not posts:
                team = self.ch_teams[rng.choice(len(self.ch_teams), p=self.ch_weight)]
                posts = [self.open_post(team, SW, d0, fte=1.0)]
            full = [p for p in posts if p.fte == 1.0]
            post = (full or posts)[rng.integers(len(full or posts))]
            post.fte = 1.0
            self.hire(post, d0, last, etype="permanent", role=SW, asye=asye, intl=intl)

    def convert(self, n: int, first: int, last: int):
        """Agency workers who have been here a while take permanent posts (their agency spell ends the day before)."""
        rng = self.rng
        candidates = [s for s in self.agency if s.caseholding and s.start < first - 90]
        rng.shuffle(candidates)
        for spell in candidates[:n]:
            if spell.post is not None and spell.post.holder is None and spell.post.close is None:
                post = spell.post
            else:
                options = [p for p in self.vacant_posts(last, caseholding=True) if p.cover is None]
                same = [p for p in options if p.team == spell.team]
                options = same or options
                if not options:
                    continue
                post = options[rng.integers(len(options))]
            lo = max(first + 1, post.free, spell.start + 2)   # the agency spell ends this month too
            if lo > last:
                continue
            d = self.day_in(lo, last)
            self.end_spell(spell, d - 1, "Converted to permanent")
            if post.cover is not None:
                self.end_spell(post.cover, max(d, post.cover.start + 1), "End of assignment")
            post.free = min(post.free, d)
            self.start_spell(post, post.team, post.role, "permanent", post.fte, d, prof=spell.prof, conv=True)

    def add_agency(self, first: int, last: int, fte: float):
        rng = self.rng
        uncovered = [p for p in self.vacant_posts(last, uncovered=True)]
        prof = None
        if self.to_agency and rng.random() < 0.5:
            back = [i for i, (_, left) in enumerate(self.to_agency) if left + 21 <= last]
            if back:
                prof, left = self.to_agency.pop(back[0])
                first = max(first, left + 21)
        if uncovered and rng.random() < 0.75:
            post = self.weighted_post(uncovered)
            d = self.day_in(max(first, post.free), last)
            self.start_spell(post, post.team, post.role, "agency", min(fte, post.fte), d, prof=prof)
        else:
            team = self.understaffed_team()
            self.start_spell(None, team, self.caseholding_role(), "agency", fte, self.day_in(first, last), prof=prof)


def _months_between(first_day: int, last_day: int) -> int:
    """Whole calendar months from the month of one day to the month of another."""
    a, b = from_days([first_day, last_day]).astype("datetime64[M]").astype(np.int64)
    return int(b - a)


def _months_before(d: dt.date, months: int) -> dt.date:
    """D minus calendar months (the last day of a shorter month when the day does not exist)."""
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    for dd in range(d.day, 27, -1):
        try:
            return dt.date(y, m, dd)
        except ValueError:
            continue
    return dt.date(y, m, min(d.day, 28))


def _support_staff(ctx: SynthContext, wf: _Workforce):
    """Non-social-worker posts, each a chain of holders with gaps, some covered by agency temps."""
    rng = ctx.rng("workforce/support")
    s0, horizon = ctx.start_day, _horizon(ctx)
    fy_from, fy_to, fy_total = FY_POSTS_ADDED
    plan = []
    for team, role in wf.team_role.items():
        for post_role, count in SUPPORT_POSTS[role]:
            for _ in range(max(1, ctx.n(count))):
                plan.append((team, post_role, None))
    added = max(0, ctx.n(fy_total) - wf.opened_in_fy)
    roles = list(NEW_SUPPORT_ROLES)
    p = np.array(list(NEW_SUPPORT_ROLES.values()))
    for _ in range(added):
        post_role = roles[rng.choice(len(roles), p=p)]
        if post_role == "Personal adviser":
            team = next(t for t, r in wf.team_role.items() if r == "care_leavers")
        else:
            team = wf.ch_teams[rng.choice(len(wf.ch_teams), p=wf.ch_weight)]
        plan.append((team, post_role, int(rng.integers(day(fy_from), day(fy_to) + 1))))
    for team, post_role, opened in plan:
        fte = 1.0 if rng.random() > 0.25 else float(rng.choice(PART_TIME))
        post = _Post(team, post_role, fte, False, False, opened if opened is not None else s0, None)
        wf.posts.append(post)
        if opened is None:
            start = s0 - int(min(rng.exponential(5 * 365), 20 * 365)) - 1
            post.open = start - int(rng.integers(0, 1500))
            cursor = start if rng.random() > 0.08 else s0 + int(rng.exponential(60))
        else:
            cursor = opened + int(rng.exponential(45))
        while cursor < horizon:
            agency = rng.random() < 0.06
            etype = "agency" if agency else ("fixed_term" if rng.random() < 0.15 else "permanent")
            length = int(rng.exponential(0.6 * 365 if agency else 5 * 365)) + 30
            if etype == "fixed_term":
                length = int(rng.integers(180, 548))
            prof = wf.new_prof() if post_role != "Business support officer" else None
            spell = _Spell(prof, post, team, post_role, False, etype, fte, cursor)
            wf.spells.append(spell)
            end = cursor + length
            if etype == "fixed_term" and end < horizon and rng.random() < 0.5:
                spell.end, spell.reason = end, "Made permanent"
                spell2 = _Spell(prof, post, team, post_role, False, "permanent", fte, end)
                wf.spells.append(spell2)
                spell, cursor = spell2, end
                end = cursor + int(rng.exponential(5 * 365)) + 30
            if end >= horizon:
                break
            spell.end = end
            spell.reason = (wf.pick_reason(AGENCY_REASONS) if agency else
                            "End of fixed-term contract" if etype == "fixed_term" and rng.random() < 0.6 else
                            wf.pick_reason(LEAVING_REASONS))
            cursor = end + int(rng.exponential(50)) + 1


def _horizon(ctx: SynthContext) -> int:
    month = np.datetime64(ctx.end, "M") + HORIZON_MONTHS + 1
    return int((month.astype("datetime64[D]") - np.datetime64("1970-01-01")).astype(int)) - 1


def _dates(days: np.ndarray) -> np.ndarray:
    """int days with -1 for null as datetime64[D] with NaT."""
    days = np.asarray(days, dtype=np.int64)
    out = from_days(np.where(days < 0, 0, days))
    out[days < 0] = np.datetime64("NaT")
    return out


def _flag(values) -> np.ndarray:
    return np.where(np.asarray(values, dtype=bool), "Y", "N").astype(object)


def _holidays() -> np.ndarray:
    return np.array(sorted(bank_holidays()), dtype="datetime64[D]")


def _supervision(ctx: SynthContext, staff: pd.DataFrame) -> pd.DataFrame:
    """Roughly monthly supervision for social workers, family support workers and personal advisers, with gaps.

    Regularity improves over time; senior staff (team managers, IROs, practice managers) are
    supervised less regularly, as the review found.
    """
    rng = ctx.rng("workforce/supervision")
    staff = staff[staff["role"] != "Business support officer"]
    lo = np.maximum(staff["_start"].to_numpy() + rng.integers(10, 35, len(staff)), ctx.start_day)
    hi = np.minimum(np.where(staff["_end"].to_numpy() < 0, OPEN_END, staff["_end"].to_numpy()) - 1, ctx.end_day)
    n = np.maximum(0, (hi - lo) // 30 + 1)
    rows = np.repeat(np.arange(len(staff)), n)
    k = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    days = np.maximum(np.repeat(lo, n) + 30 * k + rng.integers(-4, 5, len(rows)), np.repeat(lo, n))
    days = np.busday_offset(from_days(days), 0, roll="forward", holidays=_holidays())
    days = (days - np.datetime64("1970-01-01")).astype(np.int64)
    keep = days <= np.repeat(hi, n)
    regular = np.interp(days, [day(dt.date(2013, 5, 1)), day(dt.date(2019, 4, 1)), day(dt.date(2020, 3, 20)),
                               day(dt.date(2020, 7, 1)), day(dt.date(2021, 3, 31))], [0.68, 0.75, 0.80, 0.80, 0.90])
    covid = (days >= day(dt.date(2020, 3, 23))) & (days < day(dt.date(2020, 7, 1)))
    regular = regular - 0.12 * covid
    role = staff["role"].to_numpy()[rows]
    senior = np.isin(role, SENIOR_ROLES)
    regular = np.where(senior, regular - 0.25, regular)
    agency = staff["employment_type"].to_numpy()[rows] == "agency"
    regular = np.where(agency, regular - 0.05, regular)
    keep &= rng.random(len(rows)) < regular
    rows, days = rows[keep], days[keep]
    order = np.lexsort((rows, days))
    rows, days = rows[order], days[order]
    return pd.DataFrame({"supervision_id": _new_ids(ctx, "SUP", len(rows)),
                         "staff_id": staff["staff_id"].to_numpy()[rows],
                         "supervision_date": from_days(days), "_anchor": from_days(days), "_lag": 0})


def _absence(ctx: SynthContext, staff: pd.DataFrame) -> pd.DataFrame:
    """Sickness absence of employed staff: short episodes (1-5 working days) and some long-term ones."""
    rng = ctx.rng("workforce/absence")
    staff = staff[staff["employment_type"] != "agency"]
    lo = np.maximum(staff["_start"].to_numpy(), ctx.start_day)
    end = staff["_end"].to_numpy()
    hi = np.minimum(np.where(end < 0, OPEN_END, end) - 1, ctx.end_day)
    years = np.maximum(hi - lo, 0) / 365.25
    frames = []
    hol = _holidays()
    for kind, rate, sizes in (("short", 2.0, None), ("long", 0.07, None)):
        n = rng.poisson(rate * years)
        rows = np.repeat(np.arange(len(staff)), n)
        span = np.repeat(np.maximum(hi - lo, 0) + 1, n)
        start = np.repeat(lo, n) + np.floor(rng.random(len(rows)) * span).astype(np.int64)
        if kind == "short":
            length = np.minimum(rng.geometric(0.42, len(rows)), 5)
        else:
            length = np.minimum(20 + rng.geometric(1 / 40, len(rows)), 130)
        covid = (start >= day(dt.date(2020, 3, 23))) & (start < day(dt.date(2020, 7, 1)))
        keep = ~covid | (rng.random(len(rows)) < 0.9) | (kind == "long")
        start_d = np.busday_offset(from_days(start), 0, roll="forward", holidays=hol)
        end_d = np.busday_offset(start_d, length - 1, roll="forward", holidays=hol)
        start_i = (start_d - np.datetime64("1970-01-01")).astype(np.int64)
        end_i = (end_d - np.datetime64("1970-01-01")).astype(np.int64)
        spell_end = np.repeat(np.where(end < 0, OPEN_END, end), n)
        keep &= start_i <= np.repeat(hi, n)
        end_i = np.minimum(end_i, spell_end - 1)
        days_lost = np.busday_count(from_days(start_i), from_days(end_i + 1), holidays=hol)
        keep &= days_lost > 0
        frames.append(pd.DataFrame({"_row": rows[keep], "_start": start_i[keep], "_end": end_i[keep],
                                    "_days": days_lost[keep]}))
    ab = pd.concat(frames, ignore_index=True).sort_values(["_start", "_row"], kind="stable")
    fte = staff["fte"].to_numpy()[ab["_row"].to_numpy()]
    return pd.DataFrame({"absence_id": _new_ids(ctx, "ABS", len(ab)),
                         "staff_id": staff["staff_id"].to_numpy()[ab["_row"].to_numpy()],
                         "start_date": from_days(ab["_start"]), "end_date": from_days(ab["_end"]),
                         "working_days_lost": np.round(ab["_days"].to_numpy() * fte, 1),
                         "_anchor": from_days(ab["_start"]), "_lag": 0})


def _names(ctx: SynthContext, n: int) -> np.ndarray:
    rng = ctx.rng("workforce/names")
    first = np.array(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)]
    return np.char.add(np.char.add(first, " "), last).astype(object)


def simulate(ctx: SynthContext) -> dict[str, pd.DataFrame]:
    wf = _Workforce(ctx)
    wf.run()
    _support_staff(ctx, wf)

    # posts, in order of opening
    post_index = {id(p): i for i, p in enumerate(wf.posts)}
    post_order = sorted(range(len(wf.posts)), key=lambda i: (wf.posts[i].open, i))
    post_ids = np.empty(len(wf.posts), dtype=object)
    post_ids[post_order] = _new_ids(ctx, "HP", len(wf.posts))
    posts = pd.DataFrame({
        "post_id": post_ids[post_order],
        "team_id": [wf.posts[i].team for i in post_order],
        "role": [wf.posts[i].role for i in post_order],
        "is_social_worker_post": _flag([wf.posts[i].sw for i in post_order]),
        "fte": [float(wf.posts[i].fte) for i in post_order],
        "start_date": _dates([wf.posts[i].open for i in post_order]),
        "end_date": _dates([-1 if wf.posts[i].close is None else wf.posts[i].close for i in post_order]),
    })
    posts["_anchor"] = posts["start_date"]
    posts["_lag"] = 0

    # professionals: ids in order of first appearance
    spells = wf.spells
    order = sorted(range(len(spells)), key=lambda i: (spells[i].start, i))
    prof_first: dict[int, int] = {}
    for i in order:
        if spells[i].prof is not None and spells[i].prof not in prof_first:
            prof_first[spells[i].prof] = len(prof_first)
    prof_ids = _new_ids(ctx, "W", len(prof_first))
    prof_id_of = {p: prof_ids[k] for p, k in prof_first.items()}

    staff_ids = _new_ids(ctx, "HS", len(spells))
    s = [spells[i] for i in order]
    staff = pd.DataFrame({
        "staff_id": staff_ids,
        "professional_id": np.array([prof_id_of.get(x.prof) if x.prof is not None else None for x in s], dtype=object),
        "post_id": np.array([post_ids[post_index[id(x.post)]] if x.post is not None else None for x in s],
                            dtype=object),
        "team_id": [x.team for x in s],
        "role": [x.role for x in s],
        "is_qualified_sw": _flag([x.sw for x in s]),
        "employment_type": [x.etype for x in s],
        "fte": [float(x.fte) for x in s],
        "start_date": _dates([x.start for x in s]),
        "end_date": _dates([-1 if x.end is None else x.end for x in s]),
        "leaving_reason": np.array([x.reason for x in s], dtype=object),
        "is_asye": _flag([x.asye for x in s]),
        "is_international_recruit": _flag([x.intl for x in s]),
        "converted_from_agency": _flag([x.conv for x in s]),
    })
    staff["_anchor"] = staff["start_date"]
    staff["_lag"] = 0
    work = staff.assign(_start=[x.start for x in s], _end=[-1 if x.end is None else x.end for x in s])

    # the people who can hold cases, for the safeguarding and cared-for modules
    holders = work[work["role"].isin(CASEHOLDING_ROLES) & work["professional_id"].notna()
                   & work["team_id"].isin(wf.ch_teams)]
    ctx.workers = WorkerPool(pd.DataFrame({
        "professional_id": holders["professional_id"].to_numpy(), "team_id": holders["team_id"].to_numpy(),
        "start_day": holders["_start"].to_numpy(np.int64),
        "end_day": np.where(holders["_end"].to_numpy() < 0, OPEN_END, holders["_end"].to_numpy()).astype(np.int64)}))

    # ssd_professionals: one row per professional, described by their latest spell
    with_prof = work[work["professional_id"].notna()]
    latest = with_prof.drop_duplicates("professional_id", keep="last")
    first_start = with_prof.groupby("professional_id", sort=False)["_start"].min()
    latest = latest.sort_values("professional_id")
    professionals = pd.DataFrame({
        "prof_professional_id": latest["professional_id"].to_numpy(),
        "prof_staff_id": latest["staff_id"].to_numpy(),
        "prof_professional_name": _names(ctx, len(latest)),
        "prof_professional_job_title": latest["role"].to_numpy(),
        "prof_professional_department": latest["team_id"].to_numpy(),
        "prof_agency_worker_flag": _flag(latest["employment_type"].to_numpy() == "agency"),
        "prof_full_time_equivalency": latest["fte"].to_numpy(float),
        "_anchor": from_days(first_start.loc[latest["professional_id"]].to_numpy()),
        "_lag": 0,
    })

    return {"hr_posts": posts.reset_index(drop=True), "hr_staff": staff, "hr_absence": _absence(ctx, work),
            "hr_supervision": _supervision(ctx, work), "ssd_professionals": professionals}
