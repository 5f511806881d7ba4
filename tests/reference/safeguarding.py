"""Safeguarding indicators, the simple way: contacts to child protection."""
from __future__ import annotations

from collections import defaultdict


from .common import (CONTACT_DECISION_WORKING_DAYS, CP_VISIT_WORKING_DAYS, allocated_team, _bad_order, _months_back,
                     _open_at, _pairs, _team, _wd)



def contacts(tables, start, end):
    out = defaultdict(lambda: [0, None])
    for c in tables["ssd_contacts"]:
        if _bad_order(c["cont_contact_date"], c["cont_contact_completed_date"]):
            continue
        if c["cont_contact_date"] is not None and start <= c["cont_contact_date"] <= end:
            out[_team(c["cont_contact_team"])][0] += 1
    return _pairs(out)


def contacts_completed_1wd_pct(tables, start, end):
    out = defaultdict(lambda: [0, 0])
    for c in tables["ssd_contacts"]:
        made, done = c["cont_contact_date"], c["cont_contact_completed_date"]
        if _bad_order(made, done) or made is None or not (start <= made <= end):
            continue
        team = _team(c["cont_contact_team"])
        out[team][1] += 1
        days = _wd(made, done)
        if days is not None and days <= CONTACT_DECISION_WORKING_DAYS:
            out[team][0] += 1
    return _pairs(out)


def _good_referrals(tables):
    return [r for r in tables["ssd_cin_episodes"] if not _bad_order(r["cine_referral_date"], r["cine_close_date"])]


def rereferrals_12m_pct(tables, start, end):
    good = _good_referrals(tables)
    out = defaultdict(lambda: [0, 0])
    for r in good:
        day = r["cine_referral_date"]
        if day is None or not (start <= day <= end):
            continue
        team = _team(r["cine_referral_team"])
        out[team][1] += 1
        if r["cine_person_id"] is None:
            continue
        window_start = _months_back(day, 12)
        for other in good:
            if other["cine_referral_id"] == r["cine_referral_id"] or other["cine_person_id"] != r["cine_person_id"]:
                continue
            if other["cine_referral_date"] is not None and window_start <= other["cine_referral_date"] < day:
                out[team][0] += 1
                break
    return _pairs(out)


def s47_enquiries(tables, start, end):
    out = defaultdict(lambda: [0, None])
    for s in tables["ssd_s47_enquiry"]:
        if _bad_order(s["s47e_s47_start_date"], s["s47e_s47_end_date"]):
            continue
        if s["s47e_s47_start_date"] is not None and start <= s["s47e_s47_start_date"] <= end:
            out[_team(s["s47e_s47_completed_by_team"])][0] += 1
    return _pairs(out)


def icpc_15wd_pct(tables, start, end):
    s47_start = {}
    for s in tables["ssd_s47_enquiry"]:
        if not _bad_order(s["s47e_s47_start_date"], s["s47e_s47_end_date"]):
            s47_start[s["s47e_s47_enquiry_id"]] = s["s47e_s47_start_date"]
    out = defaultdict(lambda: [0, 0])
    for i in tables["ssd_initial_cp_conference"]:
        held = i["icpc_icpc_date"]
        if held is None or not (start <= held <= end) or i["icpc_icpc_transfer_in"] == "Y":
            continue
        if i["icpc_s47_enquiry_id"] not in s47_start:
            continue
        began = s47_start[i["icpc_s47_enquiry_id"]]
        if began is None or began > held:
            continue
        days = _wd(began, held)
        if days is None:
            continue
        team = _team(i["icpc_icpc_team"])
        out[team][1] += 1
        if days <= 15:
            out[team][0] += 1
    return _pairs(out)


def _team_at(tables, person, day):
    """The allocated team of a child at day; a row with no child id has none."""
    return "UNALLOCATED" if person is None else allocated_team(tables["ssd_involvements"], person, day)


def _children_by_team(tables, children, day):
    out = defaultdict(lambda: [0, None])
    for person in children:
        out[allocated_team(tables["ssd_involvements"], person, day)][0] += 1
    return _pairs(out)


def cin_rate_per_10k(tables, start, end):
    children = set()
    for r in _good_referrals(tables):
        if r["cine_person_id"] is None or r["cine_referral_nfa"] == "Y":
            continue
        if _open_at(r["cine_referral_date"], r["cine_close_date"], end):
            children.add(r["cine_person_id"])
    return _children_by_team(tables, children, end)


def _good_plans(tables):
    return [p for p in tables["ssd_cp_plans"]
            if not _bad_order(p["cppl_cp_plan_start_date"], p["cppl_cp_plan_end_date"])]


def _open_plans(tables, day):
    return [p for p in _good_plans(tables) if p["cppl_person_id"] is not None
            and _open_at(p["cppl_cp_plan_start_date"], p["cppl_cp_plan_end_date"], day)]


def cp_plans_open(tables, start, end):
    return _children_by_team(tables, {p["cppl_person_id"] for p in _open_plans(tables, end)}, end)


def cp_rate_per_10k(tables, start, end):
    return cp_plans_open(tables, start, end)


def cp_second_subsequent_pct(tables, start, end):
    plans = _good_plans(tables)
    out = defaultdict(lambda: [0, 0])
    for p in plans:
        began, person = p["cppl_cp_plan_start_date"], p["cppl_person_id"]
        if began is None or not (start <= began <= end):
            continue
        team = _team_at(tables, person, began)
        out[team][1] += 1
        if person is None:
            continue
        if any(o["cppl_person_id"] == person and o["cppl_cp_plan_start_date"] is not None
               and o["cppl_cp_plan_start_date"] < began for o in plans):
            out[team][0] += 1
    return _pairs(out)


def cp_plans_2yrs_plus_pct(tables, start, end):
    cutoff = _months_back(end, 24)
    out = defaultdict(lambda: [0, 0])
    for p in _open_plans(tables, end):
        team = allocated_team(tables["ssd_involvements"], p["cppl_person_id"], end)
        out[team][1] += 1
        if p["cppl_cp_plan_start_date"] <= cutoff:
            out[team][0] += 1
    return _pairs(out)


def cp_visits_in_timescale_pct(tables, start, end):
    standard = CP_VISIT_WORKING_DAYS
    cohort = set()
    for p in _open_plans(tables, end):
        days = _wd(p["cppl_cp_plan_start_date"], end)
        if days is not None and days > standard:
            cohort.add(p["cppl_person_id"])
    visits_of = defaultdict(list)
    for v in tables["ssd_cp_visits"]:
        visits_of[v["cppv_person_id"]].append(v)
    out = defaultdict(lambda: [0, 0])
    for person in cohort:
        team = allocated_team(tables["ssd_involvements"], person, end)
        out[team][1] += 1
        for v in visits_of[person]:
            if v["cppv_cp_visit_seen"] != "Y" or v["cppv_cp_visit_date"] is None or v["cppv_cp_visit_date"] > end:
                continue
            days = _wd(v["cppv_cp_visit_date"], end)
            if days is not None and days <= standard:
                out[team][0] += 1
                break
    return _pairs(out)


def cp_reviews_on_time_pct(tables, start, end):
    out = defaultdict(lambda: [0, 0])
    for r in tables["ssd_cp_reviews"]:
        held, due = r["cppr_cp_review_date"], r["cppr_cp_review_due"]
        if held is None or due is None or not (start <= held <= end):
            continue
        team = _team_at(tables, r["cppr_person_id"], held)
        out[team][1] += 1
        if held <= due:
            out[team][0] += 1
    return _pairs(out)


def _cse_pairs(tables, start, end):
    """(child, team) for assessments authorised in the period whose factors hold "6A"."""
    with_6a = set()
    for f in tables["ssd_assessment_factors"]:
        if f["cinf_assessment_factors_json"] is not None and '"6A"' in f["cinf_assessment_factors_json"]:
            with_6a.add(f["cinf_assessment_id"])
    pairs = set()
    for a in tables["ssd_cin_assessments"]:
        s, auth = a["cina_assessment_start_date"], a["cina_assessment_auth_date"]
        if _bad_order(s, auth) or auth is None or not (start <= auth <= end) or a["cina_person_id"] is None:
            continue
        if a["cina_assessment_id"] in with_6a:
            pairs.add((a["cina_person_id"], _team(a["cina_assessment_team"])))
    return pairs


def cse_identified(tables, start, end):
    out = defaultdict(lambda: [0, None])
    for _, team in _cse_pairs(tables, start, end):
        out[team][0] += 1
    return _pairs(out)


def cse_identified_overall(tables, start, end):
    """Distinct children: a child counted by two teams is one child overall."""
    return len({person for person, _ in _cse_pairs(tables, start, end)}), None


def pre_proceedings_16wk_pct(tables, start, end):
    out = defaultdict(lambda: [0, 0])
    for x in tables["ssd_pre_proceedings"]:
        meeting, outcome = x["prep_initial_pre_pro_meeting_date"], x["prep_agree_stepdown_issue_date"]
        if outcome is None or not (start <= outcome <= end) or meeting is None or outcome < meeting:
            continue
        team = _team_at(tables, x["prep_person_id"], outcome)
        out[team][1] += 1
        if (outcome - meeting).days <= 112:
            out[team][0] += 1
    return _pairs(out)
