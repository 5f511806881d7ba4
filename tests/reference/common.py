"""What every area's reference shares: rows in a bad order, open at a date, the allocated team, the
foundation indicators and the working-day helpers."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from torbay_dash.calendar import working_days_between


def _bad_order(start, end) -> bool:
    return start is not None and end is not None and end < start


def _open_at(start, end, day) -> bool:
    return start is not None and start <= day and (end is None or end > day)


def allocated_team(involvements, person, day):
    """The ALLOCATED_SW involvement open at day: latest start, then the larger id."""
    best = None
    for row in involvements:
        if row["invo_person_id"] != person or row["invo_professional_role_id"] != "ALLOCATED_SW":
            continue
        if _bad_order(row["invo_involvement_start_date"], row["invo_involvement_end_date"]):
            continue
        if not _open_at(row["invo_involvement_start_date"], row["invo_involvement_end_date"], day):
            continue
        ident = row["invo_involvements_id"]
        key = (row["invo_involvement_start_date"], ident.isdigit(), int(ident) if ident.isdigit() else 0, ident)
        if best is None or key > best[0]:
            best = (key, row["invo_professional_team"])
    return best[1] if best else "UNALLOCATED"


def referrals(tables, start, end):
    """{team: (numerator, denominator)} and the overall pair."""
    out = defaultdict(lambda: [0, None])
    for r in tables["ssd_cin_episodes"]:
        if _bad_order(r["cine_referral_date"], r["cine_close_date"]):
            continue
        if r["cine_referral_date"] and start <= r["cine_referral_date"] <= end:
            out[r["cine_referral_team"] or "UNALLOCATED"][0] += 1
    return {k: tuple(v) for k, v in out.items()}


def assessments_45wd_pct(tables, start, end):
    out = defaultdict(lambda: [0, 0])
    for a in tables["ssd_cin_assessments"]:
        s, auth = a["cina_assessment_start_date"], a["cina_assessment_auth_date"]
        if s is None or auth is None or _bad_order(s, auth) or not (start <= auth <= end):
            continue
        team = a["cina_assessment_team"] or "UNALLOCATED"
        out[team][1] += 1
        if working_days_between(s, auth) <= 45:
            out[team][0] += 1
    return {k: tuple(v) for k, v in out.items()}


def cla_count(tables, start, end):
    latest_status = {}
    for l in tables["ssd_legal_status"]:
        if _bad_order(l["lega_legal_status_start_date"], l["lega_legal_status_end_date"]):
            continue
        if _open_at(l["lega_legal_status_start_date"], l["lega_legal_status_end_date"], end):
            key = (l["lega_legal_status_start_date"], l["lega_legal_status_id"])
            person = l["lega_person_id"]
            if person not in latest_status or key > latest_status[person][0]:
                latest_status[person] = (key, l["lega_legal_status"])
    on_short_breaks = {p for p, (_, status) in latest_status.items() if status in ("V3", "V4")}
    children = set()
    for e in tables["ssd_cla_episodes"]:
        if _bad_order(e["clae_cla_episode_start_date"], e["clae_cla_episode_ceased_date"]):
            continue
        if _open_at(e["clae_cla_episode_start_date"], e["clae_cla_episode_ceased_date"], end):
            if e["clae_person_id"] not in on_short_breaks:
                children.add(e["clae_person_id"])
    out = defaultdict(lambda: [0, None])
    for person in children:
        out[allocated_team(tables["ssd_involvements"], person, end)][0] += 1
    return {k: tuple(v) for k, v in out.items()}


def overall(by_team: dict) -> tuple:
    numerator = sum(v[0] for v in by_team.values())
    denominators = [v[1] for v in by_team.values() if v[1] is not None]
    return numerator, (sum(denominators) if denominators else None)


# --- Safeguarding -------------------------------------------------------------------------
# The local standards these follow (data/local_authority.toml [standards]); the
# differential tests check the settings still hold them.
CONTACT_DECISION_WORKING_DAYS = 1
CP_VISIT_WORKING_DAYS = 10


def _team(value):
    return value or "UNALLOCATED"


def _months_back(day, k):
    """The same day k calendar months earlier, or the month's last day when it is shorter."""
    year, month = day.year, day.month - k
    while month < 1:
        month += 12
        year -= 1
    last = 31
    while True:
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            last -= 1


def _wd(start, end):
    """wd(start, end), or None when a date is missing or outside the calendar."""
    if start is None or end is None:
        return None
    try:
        return working_days_between(start, end)
    except ValueError:
        return None


def _pairs(out):
    return {k: tuple(v) for k, v in out.items()}
