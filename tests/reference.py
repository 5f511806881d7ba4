"""Independent, deliberately simple pure-Python versions of the indicator definitions.

They read the same rows as the SQL but share none of its code: loops over dicts, the
definition text followed word by word. Differential tests compare the two.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from torbay_dash.calendar import is_working_day, working_days_between


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


# --- Cared-for children -------------------------------------------------------------------

SHORT_BREAK_CODES = ("V3", "V4")
FOSTER_CODES = ("U1", "U2", "U3", "U4", "U5", "U6")
RESIDENTIAL_CODES = ("K1", "K2", "R1", "S1")


def _status_on(tables, person, day):
    """The legal status in force on day: the latest-starting open one, ties the larger id."""
    best = None
    for l in tables["ssd_legal_status"]:
        if l["lega_person_id"] != person or _bad_order(l["lega_legal_status_start_date"], l["lega_legal_status_end_date"]):
            continue
        if _open_at(l["lega_legal_status_start_date"], l["lega_legal_status_end_date"], day):
            key = (l["lega_legal_status_start_date"], l["lega_legal_status_id"])
            if best is None or key > best[0]:
                best = (key, l["lega_legal_status"])
    return best[1] if best else None


def _good_episodes(tables):
    return [e for e in tables["ssd_cla_episodes"]
            if not _bad_order(e["clae_cla_episode_start_date"], e["clae_cla_episode_ceased_date"])]


def _cla_at(tables, day):
    """{child: their open episode (latest start, then the larger id)}, short breaks left out."""
    chosen = {}
    for e in _good_episodes(tables):
        person = e["clae_person_id"]
        if person is None or not _open_at(e["clae_cla_episode_start_date"], e["clae_cla_episode_ceased_date"], day):
            continue
        key = (e["clae_cla_episode_start_date"], e["clae_cla_episode_id"])
        if person not in chosen or key > chosen[person][0]:
            chosen[person] = (key, e)
    return {p: e for p, (_, e) in chosen.items() if _status_on(tables, p, day) not in SHORT_BREAK_CODES}


def _placement_of(tables, episode):
    for pl in tables.get("ssd_cla_placement", []):
        if pl["clap_cla_placement_id"] == episode["clae_cla_placement_id"] and not _bad_order(
                pl["clap_cla_placement_start_date"], pl["clap_cla_placement_end_date"]):
            return pl
    return None


def _stock_share(tables, end, in_cohort, counts):
    """{team: (numerator, denominator)} over children looked after at end."""
    out = defaultdict(lambda: [0, 0])
    for person, episode in _cla_at(tables, end).items():
        if not in_cohort(person, episode):
            continue
        team = allocated_team(tables["ssd_involvements"], person, end)
        out[team][1] += 1
        if counts(person, episode):
            out[team][0] += 1
    return _pairs(out)


def _stock_count(tables, end, counts):
    out = defaultdict(lambda: [0, None])
    for person, episode in _cla_at(tables, end).items():
        if counts(person, episode):
            out[allocated_team(tables["ssd_involvements"], person, end)][0] += 1
    return _pairs(out)


def cla_rate_per_10k(tables, start, end):
    return cla_count(tables, start, end)


def _periods_of_care(tables):
    """{cla_id: dict(person, entered, ceased (None unless every episode ceased), last_start)}."""
    groups = defaultdict(list)
    for e in _good_episodes(tables):
        if e["clae_cla_id"] is not None and e["clae_cla_episode_start_date"] is not None:
            groups[e["clae_cla_id"]].append(e)
    out = {}
    for cla_id, eps in groups.items():
        first = min(eps, key=lambda e: (e["clae_cla_episode_start_date"], e["clae_cla_episode_id"]))
        entered = [e["clae_entered_care_date"] for e in eps if e["clae_entered_care_date"] is not None]
        ceased = None
        last_start = None
        if all(e["clae_cla_episode_ceased_date"] is not None for e in eps):
            last = max(eps, key=lambda e: (e["clae_cla_episode_ceased_date"], e["clae_cla_episode_start_date"],
                                           e["clae_cla_episode_id"]))
            ceased, last_start = last["clae_cla_episode_ceased_date"], last["clae_cla_episode_start_date"]
        out[cla_id] = {"person": first["clae_person_id"], "entered": min(entered) if entered else None,
                       "ceased": ceased, "last_start": last_start}
    return out


def _team_on(tables, person, day):
    return _team_at(tables, person, day)


def cla_starts(tables, start, end):
    out = defaultdict(lambda: [0, None])
    for poc in _periods_of_care(tables).values():
        day = poc["entered"]
        if day is None or not (start <= day <= end):
            continue
        if _status_on(tables, poc["person"], day) in SHORT_BREAK_CODES:
            continue
        out[_team_on(tables, poc["person"], day)][0] += 1
    return _pairs(out)


def cla_ceased(tables, start, end):
    out = defaultdict(lambda: [0, None])
    for poc in _periods_of_care(tables).values():
        day = poc["ceased"]
        if day is None or not (start <= day <= end):
            continue
        if _status_on(tables, poc["person"], poc["last_start"]) in SHORT_BREAK_CODES:
            continue
        out[_team_on(tables, poc["person"], day)][0] += 1
    return _pairs(out)


def cla_in_house_foster_pct(tables, start, end):
    def counts(person, episode):
        pl = _placement_of(tables, episode)
        return pl is not None and pl["clap_cla_placement_type"] in FOSTER_CODES and pl["clap_cla_placement_provider"] == "PR1"
    return _stock_share(tables, end, lambda p, e: True, counts)


def cla_residential_count(tables, start, end):
    def counts(person, episode):
        pl = _placement_of(tables, episode)
        return pl is not None and pl["clap_cla_placement_type"] in RESIDENTIAL_CODES
    return _stock_count(tables, end, counts)


def cla_placed_20mi_pct(tables, start, end):
    def known(person, episode):
        pl = _placement_of(tables, episode)
        return pl is not None and pl["clap_cla_placement_distance"] is not None
    return _stock_share(tables, end, known, lambda p, e: _placement_of(tables, e)["clap_cla_placement_distance"] > 20)


def cla_3plus_placements_pct(tables, start, end):
    first_day = _months_back(end, 12) + dt.timedelta(days=1)
    days = [first_day + dt.timedelta(days=k) for k in range((end - first_day).days + 1)]

    def counts(person, episode):
        ids = set()
        for pl in tables["ssd_cla_placement"]:
            s, e = pl["clap_cla_placement_start_date"], pl["clap_cla_placement_end_date"]
            if pl["clap_person_id"] != person or _bad_order(s, e) or s is None:
                continue
            if any(_open_at(s, e, d) for d in days):
                ids.add(pl["clap_cla_placement_id"])
        return len(ids) >= 3
    return _stock_share(tables, end, lambda p, e: True, counts)


def _dob(tables, person):
    for p in tables["ssd_person"]:
        if p["pers_person_id"] == person:
            return p["pers_dob"]
    return None


def _age(dob, day):
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def cla_long_term_stability_pct(tables, start, end):
    def in_cohort(person, episode):
        dob = _dob(tables, person)
        entered = episode["clae_entered_care_date"]
        return (dob is not None and _age(dob, end) < 16 and entered is not None
                and entered <= _months_back(end, 30))

    def counts(person, episode):
        pl = _placement_of(tables, episode)
        return pl is not None and pl["clap_cla_placement_start_date"] is not None and \
            pl["clap_cla_placement_start_date"] <= _months_back(end, 24)
    return _stock_share(tables, end, in_cohort, counts)


def cla_visits_in_timescale_pct(tables, start, end):
    def counts(person, episode):
        pl = _placement_of(tables, episode)
        placed = pl["clap_cla_placement_start_date"] if pl else None
        if placed is not None and (end - placed).days < 7:
            return True
        interval = 91 if (placed is not None and pl["clap_cla_placement_type"] in ("U1", "U4")
                          and (end - placed).days > 365) else 42
        for v in tables["ssd_cla_visits"]:
            if v["clav_person_id"] == person and v["clav_cla_visit_seen"] == "Y" and v["clav_cla_visit_date"] \
                    and v["clav_cla_visit_date"] <= end and (end - v["clav_cla_visit_date"]).days <= interval:
                return True
        return False
    return _stock_share(tables, end, lambda p, e: True, counts)


def cla_reviews_on_time_pct(tables, start, end):
    person_of = {cla_id: poc["person"] for cla_id, poc in _periods_of_care(tables).items()}
    out = defaultdict(lambda: [0, 0])
    for r in tables["ssd_cla_reviews"]:
        held, due = r["clar_cla_review_date"], r["clar_cla_review_due_date"]
        if held is None or due is None or not (start <= held <= end) or r["clar_cla_review_cancelled"] == "Y":
            continue
        team = _team_at(tables, person_of.get(r["clar_cla_id"]), held)
        out[team][1] += 1
        if held <= due:
            out[team][0] += 1
    return _pairs(out)


def _health_check(tables, end, check):
    year_before = _months_back(end, 12)

    def in_cohort(person, episode):
        return episode["clae_entered_care_date"] is not None and episode["clae_entered_care_date"] <= year_before

    def counts(person, episode):
        return any(h["clah_person_id"] == person and (h["clah_health_check_type"] or "").lower() == check
                   and h["clah_health_check_status"] == "Completed" and h["clah_health_check_date"] is not None
                   and year_before < h["clah_health_check_date"] <= end for h in tables["ssd_cla_health"])
    return _stock_share(tables, end, in_cohort, counts)


def cla_health_assessment_pct(tables, start, end):
    return _health_check(tables, end, "health assessment")


def cla_dental_check_pct(tables, start, end):
    return _health_check(tables, end, "dental check")


def cla_missing_pct(tables, start, end):
    days = [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]
    episodes_of = defaultdict(list)
    for e in _good_episodes(tables):
        if e["clae_person_id"] is None:
            continue
        if any(_open_at(e["clae_cla_episode_start_date"], e["clae_cla_episode_ceased_date"], d) for d in days):
            episodes_of[e["clae_person_id"]].append(e)
    out = defaultdict(lambda: [0, 0])
    for person, eps in episodes_of.items():
        if any(_open_at(e["clae_cla_episode_start_date"], e["clae_cla_episode_ceased_date"], end) for e in eps):
            day = end
        else:
            day = max(e["clae_cla_episode_ceased_date"] for e in eps) - dt.timedelta(days=1)
        if _status_on(tables, person, day) in SHORT_BREAK_CODES:
            continue
        team = allocated_team(tables["ssd_involvements"], person, day)
        out[team][1] += 1
        if any(m["miss_person_id"] == person and m["miss_missing_episode_type"] == "M"
               and m["miss_missing_episode_start_date"] is not None
               and start <= m["miss_missing_episode_start_date"] <= end
               and not _bad_order(m["miss_missing_episode_start_date"], m["miss_missing_episode_end_date"])
               for m in tables["ssd_missing"]):
            out[team][0] += 1
    return _pairs(out)


def cla_camhs_direct(tables, start, end):
    def counts(person, episode):
        return any(c["person_id"] == person and c["provision_type"] == "direct" and not _bad_order(
            c["start_date"], c["end_date"]) and _open_at(c["start_date"], c["end_date"], end)
            for c in tables["local_camhs"])
    return _stock_count(tables, end, counts)


def _id_key(ident):
    return (ident.isdigit(), int(ident) if ident.isdigit() else 0, ident)


def _care_leavers(tables, end):
    """{person: their row}: the latest contact on or before end, then the larger id; aged 17-21."""
    best = {}
    for row in tables["ssd_care_leavers"]:
        person, contact = row["clea_person_id"], row["clea_care_leaver_latest_contact"]
        if person is None or (contact is not None and contact > end):
            continue
        key = (contact is not None, contact or dt.date.min, _id_key(row["clea_table_id"]))
        if person not in best or key > best[person][0]:
            best[person] = (key, row)
    cohort = {}
    for person, (_, row) in best.items():
        dob = _dob(tables, person)
        if dob is not None and 17 <= _age(dob, end) <= 21:
            cohort[person] = row
    return cohort


def _care_leaver_share(tables, end, counts):
    out = defaultdict(lambda: [0, 0])
    for row in _care_leavers(tables, end).values():
        team = _team(row["clea_care_leaver_allocated_team"])
        out[team][1] += 1
        if counts(row):
            out[team][0] += 1
    return _pairs(out)


def care_leavers_in_touch_pct(tables, start, end):
    return _care_leaver_share(tables, end, lambda r: r["clea_care_leaver_in_touch"] == "YES")


def care_leavers_suitable_accom_pct(tables, start, end):
    return _care_leaver_share(tables, end, lambda r: r["clea_care_leaver_accom_suitable"] == "Y")


def care_leavers_eet_pct(tables, start, end):
    return _care_leaver_share(tables, end, lambda r: (r["clea_care_leaver_activity"] or "")[:1] in ("F", "P")
                              and r["clea_care_leaver_activity"] != "")


def adoption_entry_to_placement_days(tables, start, end):
    """{team: (sum of days, number of adoptions)}."""
    entered = {cla_id: poc["entered"] for cla_id, poc in _periods_of_care(tables).items()}
    window_start = _months_back(end, 36)
    out = defaultdict(lambda: [0, 0])
    for m in tables["ssd_permanence"]:
        order, placed = m["perm_permanence_order_date"], m["perm_placed_for_adoption_date"]
        if m["perm_permanence_order_type"] != "Adoption" or order is None or not (window_start < order <= end):
            continue
        began = entered.get(m["perm_cla_id"])
        if placed is None or began is None or placed < began:
            continue
        team = _team_at(tables, m["perm_person_id"], order)
        out[team][0] += (placed - began).days
        out[team][1] += 1
    return _pairs(out)


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


# --- Quality assurance --------------------------------------------------------------------
GRADES = ("inadequate", "requires_improvement", "good", "outstanding")


def _first_of_each_id(rows, key):
    """Rows as the snapshot views keep them: of rows sharing an id, the first; rows with no id all stay."""
    seen, kept = set(), []
    for row in rows:
        if row[key] is not None:
            if row[key] in seen:
                continue
            seen.add(row[key])
        kept.append(row)
    return kept


def _case_audits_dated(tables, start, end):
    return [a for a in _first_of_each_id(tables["qa_audits"], "audit_id")
            if a["audit_type"] == "case" and a["audit_date"] is not None and start <= a["audit_date"] <= end]


def _grades_recognised(audit):
    return all(audit[column] is None or audit[column] in GRADES for column in ("grade", "moderated_grade"))


def audits_completed(tables, start, end):
    out = defaultdict(lambda: [0, None])
    for a in _case_audits_dated(tables, start, end):
        out[_team(a["team_id"])][0] += 1
    return _pairs(out)


def audits_good_or_better_pct(tables, start, end):
    out = defaultdict(lambda: [0, 0])
    for a in _case_audits_dated(tables, start, end):
        final = a["moderated_grade"] if a["moderated_grade"] is not None else a["grade"]
        if final is None or not _grades_recognised(a):
            continue
        out[_team(a["team_id"])][1] += 1
        if final in ("good", "outstanding"):
            out[_team(a["team_id"])][0] += 1
    return _pairs(out)


def audit_moderation_agreement_pct(tables, start, end):
    out = defaultdict(lambda: [0, 0])
    for a in _case_audits_dated(tables, start, end):
        if a["moderated_grade"] is None or a["grade"] is None or not _grades_recognised(a):
            continue
        out[_team(a["team_id"])][1] += 1
        if a["moderated_grade"] == a["grade"]:
            out[_team(a["team_id"])][0] += 1
    return _pairs(out)


def audit_actions_on_time_pct(tables, start, end):
    team_of_audit = {a["audit_id"]: a["team_id"] for a in _first_of_each_id(tables["qa_audits"], "audit_id")
                     if a["audit_id"] is not None}
    out = defaultdict(lambda: [0, 0])
    for x in _first_of_each_id(tables["qa_actions"], "action_id"):
        due, done = x["due_date"], x["completed_date"]
        if due is None or not (start <= due <= end) or _bad_order(x["raised_date"], done):
            continue
        team = _team(team_of_audit.get(x["audit_id"]))
        out[team][1] += 1
        if done is not None and done <= due:
            out[team][0] += 1
    return _pairs(out)
