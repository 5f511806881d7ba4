"""Workforce indicators, the simple way: staff spells, agency, vacancies, turnover, caseloads."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from torbay_dash.calendar import is_working_day

from .cared_for import _stock_share
from .common import _bad_order, _months_back, _open_at, _pairs, _team



# --- Workforce --------------------------------------------------------------------------
SUPERVISION_DAYS = 30
EMPLOYED = ("permanent", "fixed_term")


def _person_key(row):
    return ("professional", row["professional_id"]) if row["professional_id"] is not None else ("staff", row["staff_id"])


def _social_worker_spells(tables):
    return [s for s in tables["hr_staff"]
            if s["is_qualified_sw"] == "Y" and s["start_date"] is not None and s["fte"] is not None
            and s["employment_type"] in EMPLOYED + ("agency",) and not _bad_order(s["start_date"], s["end_date"])]


def _in_post(tables, day, employed_only=False):
    return [s for s in _social_worker_spells(tables) if _open_at(s["start_date"], s["end_date"], day)
            and (not employed_only or s["employment_type"] in EMPLOYED)]


def _other_employed_spells(tables, spell):
    """Employed spells (any role) of the same person as `spell`, other than itself."""
    return [o for o in tables["hr_staff"]
            if o["employment_type"] in EMPLOYED and o["start_date"] is not None
            and not _bad_order(o["start_date"], o["end_date"])
            and o["staff_id"] != spell["staff_id"] and _person_key(o) == _person_key(spell)]


def _left_the_authority(tables, spell):
    end = spell["end_date"]
    for o in _other_employed_spells(tables, spell):
        if o["start_date"] <= end + dt.timedelta(days=7) and (o["end_date"] is None or o["end_date"] > end):
            return False
    return True


def _joined_the_authority(tables, spell):
    start = spell["start_date"]
    for o in _other_employed_spells(tables, spell):
        earlier = o["start_date"] < start or (o["start_date"] == start and o["staff_id"] < spell["staff_id"])
        if earlier and (o["end_date"] is None or o["end_date"] >= start - dt.timedelta(days=7)):
            return False
    return True


def _leavers_between(tables, first, last):
    """Employed social-worker spells ending in [first, last] whose holder left the authority."""
    return [s for s in _social_worker_spells(tables) if s["employment_type"] in EMPLOYED and s["end_date"] is not None
            and first <= s["end_date"] <= last and _left_the_authority(tables, s)]


def sw_fte(tables, start, end):
    out = defaultdict(lambda: [0.0, None])
    for s in _in_post(tables, end, employed_only=True):
        out[_team(s["team_id"])][0] += s["fte"]
    return _pairs(out)


def sw_agency_rate_pct(tables, start, end):
    out = defaultdict(lambda: [0.0, 0.0])
    for s in _in_post(tables, end):
        team = _team(s["team_id"])
        out[team][1] += s["fte"]
        if s["employment_type"] == "agency":
            out[team][0] += s["fte"]
    return _pairs(out)


def sw_vacancy_rate_pct(tables, start, end):
    out = defaultdict(lambda: [0.0, 0.0])
    employed = _in_post(tables, end, employed_only=True)
    open_posts = [p for p in tables["hr_posts"] if p["is_social_worker_post"] == "Y" and p["fte"] is not None
                  and not _bad_order(p["start_date"], p["end_date"]) and _open_at(p["start_date"], p["end_date"], end)]
    for p in open_posts:
        held = sum(s["fte"] for s in employed if s["post_id"] == p["post_id"])
        vacancy = max(p["fte"] - held, 0.0)
        out[_team(p["team_id"])][0] += vacancy
        out[_team(p["team_id"])][1] += vacancy + held
    open_ids = {p["post_id"] for p in open_posts}
    for s in employed:
        if s["post_id"] not in open_ids:
            out[_team(s["team_id"])][1] += s["fte"]
    return _pairs(out)


def sw_turnover_rate_pct(tables, start, end):
    out = defaultdict(lambda: [0.0, 0.0])
    for s in _leavers_between(tables, _months_back(end, 12) + dt.timedelta(days=1), end):
        out[_team(s["team_id"])][0] += s["fte"]
    for s in _in_post(tables, end, employed_only=True):
        out[_team(s["team_id"])][1] += s["fte"]
    return _pairs(out)


def sw_avg_caseload(tables, start, end):
    workers = defaultdict(list)
    for s in _in_post(tables, end):
        if s["professional_id"] is not None:
            workers[s["professional_id"]].append(s)
    out = defaultdict(lambda: [0, 0.0])
    for prof, spells in workers.items():
        cases = sum(1 for i in tables["ssd_involvements"]
                    if i.get("invo_professional_id") == prof and i["invo_professional_role_id"] == "ALLOCATED_SW"
                    and not _bad_order(i["invo_involvement_start_date"], i["invo_involvement_end_date"])
                    and _open_at(i["invo_involvement_start_date"], i["invo_involvement_end_date"], end))
        if cases == 0:
            continue
        latest = max(spells, key=lambda s: (s["start_date"], s["staff_id"]))
        out[_team(latest["team_id"])][0] += cases
        out[_team(latest["team_id"])][1] += sum(s["fte"] for s in spells)
    return _pairs(out)


def sw_starters(tables, start, end):
    out = defaultdict(lambda: [0, None])
    for s in _social_worker_spells(tables):
        if s["employment_type"] in EMPLOYED and start <= s["start_date"] <= end and _joined_the_authority(tables, s):
            out[_team(s["team_id"])][0] += 1
    return _pairs(out)


def sw_leavers(tables, start, end):
    out = defaultdict(lambda: [0, None])
    for s in _leavers_between(tables, start, end):
        out[_team(s["team_id"])][0] += 1
    return _pairs(out)


def sw_supervision_in_timescale_pct(tables, start, end):
    since = end - dt.timedelta(days=SUPERVISION_DAYS)
    out = defaultdict(lambda: [0, 0])
    for s in _in_post(tables, end):
        if not s["start_date"] < since:
            continue
        team = _team(s["team_id"])
        out[team][1] += 1
        if any(v["staff_id"] == s["staff_id"] and v["supervision_date"] is not None
               and since < v["supervision_date"] <= end for v in tables["hr_supervision"]):
            out[team][0] += 1
    return _pairs(out)


def _working_days_in(first, last):
    """Working days d with first <= d <= last."""
    return sum(1 for k in range((last - first).days + 1) if is_working_day(first + dt.timedelta(days=k)))


def sw_absence_rate_pct(tables, start, end):
    employed = {s["staff_id"]: s for s in _social_worker_spells(tables) if s["employment_type"] in EMPLOYED}
    out = defaultdict(lambda: [0.0, 0.0])
    for a in tables["hr_absence"]:
        spell = employed.get(a["staff_id"])
        s, e, lost = a["start_date"], a["end_date"], a["working_days_lost"]
        if spell is None or s is None or lost is None or _bad_order(s, e):
            continue
        whole = _working_days_in(s, e) if e is not None else 0
        if e is None or whole == 0:
            share = 1.0 if start <= s <= end else 0.0
        elif s <= end and e >= start:
            share = _working_days_in(max(s, start), min(e, end)) / whole
        else:
            share = 0.0
        if share > 0:
            out[_team(spell["team_id"])][0] += lost * share
    days = _working_days_in(start, end)
    for spell in _in_post(tables, end, employed_only=True):
        out[_team(spell["team_id"])][1] += spell["fte"] * days
    return _pairs(out)


def cla_3plus_social_workers_pct(tables, start, end):
    first_day = _months_back(end, 12) + dt.timedelta(days=1)
    days = [first_day + dt.timedelta(days=k) for k in range((end - first_day).days + 1)]

    def counts(person, episode):
        workers = set()
        for i in tables["ssd_involvements"]:
            s, e = i["invo_involvement_start_date"], i["invo_involvement_end_date"]
            if i["invo_person_id"] != person or i["invo_professional_role_id"] != "ALLOCATED_SW" or s is None \
                    or _bad_order(s, e) or i.get("invo_professional_id") is None:
                continue
            if any(_open_at(s, e, d) for d in days):
                workers.add(i["invo_professional_id"])
        return len(workers) >= 3
    return _stock_share(tables, end, lambda p, e: True, counts)
