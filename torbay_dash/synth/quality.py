"""Quality assurance (local audit log): case, thematic and dip-sample audits, grades, moderation, actions.

The audit programme starts a year before the first snapshot from a low base. Case audits
run at 8-12 a month through 2019-20, dip in the first lockdown, and average 15 a month
from February to July 2021 (the review: "averaging 15 per month as opposed to the target
of 25") -- that six-month total is fixed by construction. Thematic audits come quarterly
and dip samples every other month, both more often once the QA framework is
restructured in 2021. Grades improve slowly (about 45% good or better in 2019 to 55% in
2021); about a third of case audits are moderated, agreeing about three times in four.

Each audit is of a real case where the case modules have produced one: a child with an
allocated-worker involvement (or an open referral, CP plan or care episode) on the audit
date, with that case's team and worker. Auditors are team managers and the principal
social worker from the HR extract, never the audited team's own manager when another is
in post.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..calendar import bank_holidays
from ..contract import ALLOCATED_SW
from .context import SynthContext, day, from_days, to_days

LOG_START = dt.date(2018, 4, 1)               # the audit log begins here
TARGET_WINDOW = (dt.date(2021, 2, 1), dt.date(2021, 7, 31), 15.0)   # case audits a month, by construction
WINDOW_PROFILE = np.array([13, 14, 15, 15, 16, 17], dtype=float)    # the months of the window, rising
# (first month, last month, low, high): case audits a month (uniform in low..high) outside the window
CASE_RATE = [("2018-04", "2019-03", 5, 9), ("2019-04", "2020-03", 8, 12), ("2020-04", "2020-06", 4, 7),
             ("2020-07", "2020-10", 9, 13), ("2020-11", "2021-01", 8, 11), ("2021-08", "2099-12", 18, 24)]
FRAMEWORK_RESTRUCTURE = dt.date(2021, 2, 1)   # more thematic audits and dip samples from here

CASE_THEMES = ["Child's voice", "Planning", "Management oversight", "Risk assessment", "Assessment quality",
               "Supervision"]
THEMATIC_THEMES = ["Neglect", "Child exploitation", "Domestic abuse", "Pre-birth assessment",
                   "Permanence planning", "Transitions to adulthood", "Child's voice", "Management oversight"]
DIP_THEMES = ["Visits in timescale", "Chronologies", "Plans up to date", "Supervision recording",
              "Case summaries", "Management oversight"]
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
# share of case audits whose final grade is good or better, and of inadequate among the rest, over time
GOOD_OR_BETTER = [("2018-04-01", 0.38), ("2019-04-01", 0.44), ("2020-04-01", 0.49), ("2021-07-31", 0.55)]
INADEQUATE_OF_REST = [("2018-04-01", 0.32), ("2021-07-31", 0.20)]
CHILD_VOICE = [("2018-04-01", 0.52), ("2021-07-31", 0.76)]
ON_TIME = [("2018-04-01", 0.55), ("2021-07-31", 0.72)]   # share of actions completed by their due date
NEVER_DONE = 0.2                                          # share of late actions never marked complete
MODERATED = {"case": 0.34, "thematic": 0.2, "dip_sample": 0.0}
AGREE = 0.75

AUDITOR_ROLES = ("Team manager", "Principal social worker")
CASEHOLDING_ROLES = ("mash", "assessment", "safeguarding", "disabled", "cared_for", "care_leavers")
OPEN_END = 10 ** 9


def _new_ids(ctx: SynthContext, prefix: str, n: int) -> np.ndarray:
    """ctx.ids.new, also for no rows at all."""
    return ctx.ids.new(prefix, n).astype(object) if n else np.array([], dtype=object)


def _path(points):
    xs = np.array([day(dt.date.fromisoformat(d)) for d, _ in points], dtype=float)
    ys = np.array([v for _, v in points], dtype=float)
    return lambda d: np.interp(np.asarray(d, dtype=float), xs, ys)


def _month_days(month: np.datetime64) -> tuple[int, int]:
    first = int((month.astype("datetime64[D]") - np.datetime64("1970-01-01")).astype(np.int64))
    last = int(((month + 1).astype("datetime64[D]") - np.datetime64("1970-01-01")).astype(np.int64)) - 1
    return first, last


def _working_days(first: int, last: int, holidays: np.ndarray) -> np.ndarray:
    days = np.arange(first, last + 1)
    return days[np.is_busday(from_days(days), holidays=holidays)]


def _scaled(ctx: SynthContext, rng: np.random.Generator, count: float) -> int:
    """A Torbay-sized count at this chunk's scale, rounded at random so the mean is right."""
    x = count * ctx.scale
    return int(np.floor(x) + (rng.random() < x - np.floor(x)))


def _case_counts(ctx: SynthContext, rng: np.random.Generator, months: list[np.datetime64]) -> dict:
    """Case audits per month; the calibration window's total is exact."""
    w_from, w_to, per_month = TARGET_WINDOW
    in_window = [m for m in months if np.datetime64(w_from, "M") <= m <= np.datetime64(w_to, "M")]
    counts = {}
    if in_window:
        total = ctx.n(per_month * len(in_window))
        profile = WINDOW_PROFILE[:len(in_window)] if len(in_window) <= len(WINDOW_PROFILE) \
            else np.full(len(in_window), per_month)
        profile = profile * (1 + rng.normal(0, 0.06, len(profile)))
        raw = total * profile / profile.sum()
        base = np.floor(raw).astype(int)
        extra = np.argsort(-(raw - base), kind="stable")[:total - base.sum()]
        base[extra] += 1
        counts.update(dict(zip(in_window, base)))
    for m in months:
        if m in counts:
            continue
        text = str(m)
        low, high = next(((lo, hi) for a, b, lo, hi in CASE_RATE if a <= text <= b), (8, 12))
        counts[m] = _scaled(ctx, rng, int(rng.integers(low, high + 1)))
    return counts


def _schedule(ctx: SynthContext, rng: np.random.Generator) -> pd.DataFrame:
    """audit_type, theme and day of every audit."""
    holidays = np.array(sorted(bank_holidays()), dtype="datetime64[D]")
    start = max(LOG_START, ctx.start)
    months = list(np.arange(np.datetime64(start, "M"), np.datetime64(ctx.end, "M") + 1))
    counts = _case_counts(ctx, rng, months)
    rows = []
    restructure = np.datetime64(FRAMEWORK_RESTRUCTURE, "M")
    thematic_i = dip_i = 0
    for i, month in enumerate(months):
        first, last = _month_days(month)
        first, last = max(first, day(start)), min(last, ctx.end_day)
        wdays = _working_days(first, last, holidays)
        if len(wdays) == 0:
            continue
        theme = CASE_THEMES[i % len(CASE_THEMES)]         # the month's focus for case audits
        for d in np.sort(rng.choice(wdays, counts[month])):
            rows.append(("case", theme, int(d)))
        calendar_month = int(str(month)[5:7])
        after = month >= restructure
        if calendar_month % (2 if after else 3) == 0:      # thematic: quarterly, then every other month
            theme = THEMATIC_THEMES[thematic_i % len(THEMATIC_THEMES)]
            thematic_i += 1
            begin = int(rng.choice(wdays))
            window = wdays[(wdays >= begin) & (wdays <= begin + 7)]
            for _ in range(_scaled(ctx, rng, int(rng.integers(6, 11)))):
                rows.append(("thematic", theme, int(rng.choice(window))))
        if month >= np.datetime64("2019-10", "M") and (after or calendar_month % 2 == 0):
            theme = DIP_THEMES[dip_i % len(DIP_THEMES)]
            dip_i += 1
            begin = int(rng.choice(wdays))
            window = wdays[(wdays >= begin) & (wdays <= begin + 4)]
            low, high = (6, 10) if after else (4, 6)
            for _ in range(_scaled(ctx, rng, int(rng.integers(low, high + 1)))):
                rows.append(("dip_sample", theme, int(rng.choice(window))))
    frame = pd.DataFrame(rows, columns=["audit_type", "theme", "_day"])
    return frame.sort_values("_day", kind="stable").reset_index(drop=True)


def _days(series: pd.Series, default: int) -> np.ndarray:
    values = pd.to_datetime(series).to_numpy(dtype="datetime64[D]")
    out = np.full(len(values), default, dtype=np.int64)
    ok = ~np.isnat(values)
    out[ok] = to_days(values[ok])
    return out


def _cases(ctx: SynthContext) -> pd.DataFrame:
    """Cases that could be audited: person, team, worker, start and end (exclusive) day."""
    tables = ctx.tables or {}
    columns = ["person_id", "team_id", "worker_id", "start", "end"]
    invo = tables.get("ssd_involvements")
    if invo is not None and len(invo):
        invo = invo[invo["invo_professional_role_id"] == ALLOCATED_SW]
        invo = invo[invo["invo_involvement_start_date"].notna() & invo["invo_person_id"].notna()]
        if len(invo):
            return pd.DataFrame({"person_id": invo["invo_person_id"].to_numpy(object),
                                 "team_id": invo["invo_professional_team"].to_numpy(object),
                                 "worker_id": invo["invo_professional_id"].to_numpy(object),
                                 "start": _days(invo["invo_involvement_start_date"], 0),
                                 "end": _days(invo["invo_involvement_end_date"], OPEN_END)})
    frames = []
    sources = [("ssd_cin_episodes", "cine_person_id", "cine_referral_date", "cine_close_date",
                "cine_referral_team", "cine_referral_worker_id"),
               ("ssd_cp_plans", "cppl_person_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date", None, None),
               ("ssd_cla_episodes", "clae_person_id", "clae_cla_episode_start_date",
                "clae_cla_episode_ceased_date", None, None)]
    for name, person, start, end, team, worker in sources:
        t = tables.get(name)
        if t is None or not len(t):
            continue
        if name == "ssd_cin_episodes" and "cine_referral_nfa" in t:
            t = t[t["cine_referral_nfa"] != "Y"]
        t = t[t[start].notna() & t[person].notna()]
        frames.append(pd.DataFrame({"person_id": t[person].to_numpy(object),
                                    "team_id": t[team].to_numpy(object) if team else None,
                                    "worker_id": t[worker].to_numpy(object) if worker else None,
                                    "start": _days(t[start], 0), "end": _days(t[end], OPEN_END)}))
    if frames:
        return pd.concat(frames, ignore_index=True)
    # no case tables yet: children known to the service, each open for a couple of years
    people = ctx.people.frame() if ctx.people is not None else pd.DataFrame()
    if not len(people):
        return pd.DataFrame(columns=columns)
    rng = ctx.rng("quality/fallback_cases")
    first = people["_anchor_day"].to_numpy(np.int64)
    return pd.DataFrame({"person_id": people["pers_person_id"].to_numpy(object), "team_id": None,
                         "worker_id": None, "start": first,
                         "end": first + rng.integers(60, 900, len(first))})


def _pick_cases(ctx: SynthContext, rng: np.random.Generator, cases: pd.DataFrame, days: np.ndarray) -> pd.DataFrame:
    """One open case per audit (a different child within each batch where possible), with its team and worker."""
    n = len(days)
    person = np.full(n, None, dtype=object)
    team = np.full(n, None, dtype=object)
    worker = np.full(n, None, dtype=object)
    if len(cases):
        starts, ends = cases["start"].to_numpy(np.int64), cases["end"].to_numpy(np.int64)
        c_person = cases["person_id"].to_numpy(object)
        c_team, c_worker = cases["team_id"].to_numpy(object), cases["worker_id"].to_numpy(object)
        used: set = set()
        for i in range(n):
            open_rows = np.flatnonzero((starts <= days[i]) & (ends > days[i]))
            if not len(open_rows):
                continue
            for _ in range(3):        # avoid auditing the same child twice in a short while
                j = open_rows[rng.integers(len(open_rows))]
                if c_person[j] not in used:
                    break
            used.add(c_person[j])
            if len(used) > 200:
                used.clear()
            person[i], team[i], worker[i] = c_person[j], c_team[j], c_worker[j]
    teams = ctx.teams
    holding = teams.loc[teams["role"].isin(CASEHOLDING_ROLES), "dept_team_id"].to_numpy(object) \
        if teams is not None else np.array([], dtype=object)
    missing = pd.isna(team) & ~pd.isna(person)
    if missing.any() and len(holding):
        team[missing] = holding[rng.integers(0, len(holding), missing.sum())]
    need = pd.isna(worker) & ~pd.isna(team)
    if need.any() and ctx.workers is not None:
        worker[need] = ctx.workers.pick(team[need], days[need], rng)
    return pd.DataFrame({"person_id": person, "team_id": team, "worker_id": worker})


def _auditors(ctx: SynthContext, rng: np.random.Generator, days: np.ndarray, teams: np.ndarray) -> np.ndarray:
    staff = (ctx.tables or {}).get("hr_staff")
    out = np.full(len(days), None, dtype=object)
    if staff is None or not len(staff):
        return out
    staff = staff[staff["role"].isin(AUDITOR_ROLES) & staff["professional_id"].notna()]
    if not len(staff):
        return out
    ids = staff["professional_id"].to_numpy(object)
    own = staff["team_id"].to_numpy(object)
    starts, ends = _days(staff["start_date"], 0), _days(staff["end_date"], OPEN_END)
    psw = (staff["role"] == "Principal social worker").to_numpy()
    for i, d in enumerate(days):
        in_post = (starts <= d) & (ends > d)
        choice = np.flatnonzero(in_post & (own != teams[i]))
        if not len(choice):
            choice = np.flatnonzero(in_post)
        if not len(choice):
            continue
        weight = np.where(psw[choice], 3.0, 1.0)     # the principal social worker audits more than most
        out[i] = ids[choice[rng.choice(len(choice), p=weight / weight.sum())]]
    return out


def _exactly(rng: np.random.Generator, rows: np.ndarray, share: float) -> np.ndarray:
    """A random subset of `rows` of exactly round(share x len) rows."""
    return rng.permutation(rows)[:int(round(share * len(rows)))]


def _grades(rng: np.random.Generator, days: np.ndarray, types: np.ndarray):
    """grade, moderated_grade (final = moderated when present) and child_voice_evident.

    The share graded good or better is set exactly within each audit type and half-year,
    so the improvement shows at any seed; moderation and agreement counts are exact too.
    """
    n = len(days)
    good, inadequate = _path(GOOD_OR_BETTER), _path(INADEQUATE_OF_REST)
    final = np.full(n, 2)
    half = from_days(days).astype("datetime64[M]").astype(np.int64) // 6
    groups = pd.Series(np.arange(n)).groupby([types, half], sort=True).indices
    for rows in groups.values():
        rows = np.asarray(rows)
        better = _exactly(rng, rows, float(good(days[rows]).mean()))
        final[better] = np.where(rng.random(len(better)) < 0.1, 0, 1)
        rest = np.setdiff1d(rows, better)
        final[rest] = np.where(rng.random(len(rest)) < inadequate(days[rest]), 3, 2)
    moderated = np.zeros(n, dtype=bool)
    disagree = np.zeros(n, dtype=bool)
    for kind, share in MODERATED.items():
        chosen = _exactly(rng, np.flatnonzero(types == kind), share)
        moderated[chosen] = True
        disagree[_exactly(rng, chosen, 1 - AGREE)] = True
    # where moderation disagreed, the auditor's own grade was one step off (more often too generous)
    step = np.where(rng.random(n) < 0.65, -1, 1)
    original = np.where(disagree, np.clip(final + step, 0, 3), final)
    original = np.where(disagree & (original == final), final - step, original)
    graded = types != "dip_sample"
    grade = np.where(graded, np.array(GRADES, dtype=object)[original], None)
    moderated_grade = np.where(graded & moderated, np.array(GRADES, dtype=object)[final], None)
    voice_p = _path(CHILD_VOICE)(days) + np.where(final <= 1, 0.12, np.where(final == 3, -0.25, -0.05))
    voice = np.where(rng.random(n) < voice_p, "Y", "N").astype(object)
    return grade, moderated_grade, voice, np.where(graded, final, 2)


def _actions(ctx: SynthContext, rng: np.random.Generator, audit_ids: np.ndarray, days: np.ndarray,
             final: np.ndarray) -> pd.DataFrame:
    """1-3 actions an audit (more for weaker grades), due 4-8 weeks after they are raised."""
    holidays = np.array(sorted(bank_holidays()), dtype="datetime64[D]")
    p3 = np.array([0.0, 0.1, 0.45, 0.8])[final]
    p2 = np.array([0.25, 0.45, 0.45, 0.2])[final]
    u = rng.random(len(days))
    n = np.where(u < p3, 3, np.where(u < p3 + p2, 2, 1))
    rows = np.repeat(np.arange(len(days)), n)
    raised = days[rows] + rng.integers(0, 4, len(rows))
    raised = to_days(np.busday_offset(from_days(raised), 0, roll="forward", holidays=holidays))
    due = raised + 7 * rng.integers(4, 9, len(rows))
    on_time = rng.random(len(rows)) < _path(ON_TIME)(raised)
    never = rng.random(len(rows)) < NEVER_DONE
    done_early = raised + np.floor(rng.random(len(rows)) * (due - raised - 2)).astype(np.int64) + 3
    done_late = due + 1 + rng.geometric(1 / 20, len(rows))
    completed = np.where(on_time, np.minimum(done_early, due), done_late)
    completed_dates = from_days(completed)
    completed_dates[never & ~on_time] = np.datetime64("NaT")
    return pd.DataFrame({"action_id": _new_ids(ctx, "ACT", len(rows)), "audit_id": audit_ids[rows],
                         "raised_date": from_days(raised), "due_date": from_days(due),
                         "completed_date": completed_dates, "_anchor": from_days(raised), "_lag": 0})


def simulate(ctx: SynthContext) -> dict[str, pd.DataFrame]:
    rng = ctx.rng("quality/audits")
    schedule = _schedule(ctx, rng)
    days = schedule["_day"].to_numpy(np.int64)
    types = schedule["audit_type"].to_numpy(object)
    picked = _pick_cases(ctx, ctx.rng("quality/cases"), _cases(ctx), days)
    auditors = _auditors(ctx, ctx.rng("quality/auditors"), days, picked["team_id"].to_numpy(object))
    grade, moderated, voice, final = _grades(ctx.rng("quality/grades"), days, types)
    audit_ids = _new_ids(ctx, "AUD", len(days)).astype(object)
    audits = pd.DataFrame({"audit_id": audit_ids, "audit_type": types,
                           "theme": schedule["theme"].to_numpy(object),
                           "person_id": picked["person_id"].to_numpy(object),
                           "team_id": picked["team_id"].to_numpy(object),
                           "worker_id": picked["worker_id"].to_numpy(object),
                           "auditor_id": auditors, "audit_date": from_days(days), "grade": grade,
                           "moderated_grade": moderated, "child_voice_evident": voice,
                           "_anchor": from_days(days), "_lag": 0})
    actions = _actions(ctx, ctx.rng("quality/actions"), audit_ids, days, final)
    return {"qa_audits": audits, "qa_actions": actions}
