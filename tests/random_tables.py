"""Seeded random tables for differential tests: messy on purpose (nulls, overlaps, ties, bad rows)."""
from __future__ import annotations

import datetime as dt
import random

START = dt.date(2019, 1, 1)
TEAMS = ["T1", "T2", "T3", None]


def _day(rng: random.Random, span: int = 1200) -> dt.date:
    return START + dt.timedelta(days=rng.randrange(span))


def _maybe(rng: random.Random, value, p_null: float = 0.1):
    return None if rng.random() < p_null else value


def random_tables(seed: int, n_children: int = 150) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    people = [f"P{i}" for i in range(n_children)]
    referrals, assessments, episodes, statuses, involvements = [], [], [], [], []
    for i in range(n_children * 2):
        person = rng.choice(people)
        date = _maybe(rng, _day(rng), 0.05)
        close = _maybe(rng, date and date + dt.timedelta(days=rng.randrange(-20, 400)), 0.4)
        referrals.append({"cine_referral_id": f"R{i}", "cine_person_id": person, "cine_referral_date": date,
                          "cine_close_date": close, "cine_referral_team": rng.choice(TEAMS),
                          "cine_referral_nfa": rng.choice(["Y", "N", None])})
        start = _maybe(rng, _day(rng), 0.05)
        auth = _maybe(rng, start and start + dt.timedelta(days=rng.randrange(-5, 90)), 0.15)
        assessments.append({"cina_assessment_id": f"A{i}", "cina_person_id": person,
                            "cina_assessment_start_date": start, "cina_assessment_auth_date": auth,
                            "cina_assessment_team": rng.choice(TEAMS)})
    for i, person in enumerate(people):
        cursor = _day(rng, 600)
        for j in range(rng.randrange(0, 4)):
            length = rng.randrange(-10, 500)
            ceased = _maybe(rng, cursor + dt.timedelta(days=length), 0.3)
            episodes.append({"clae_cla_episode_id": f"E{i}_{j}", "clae_person_id": person, "clae_cla_id": f"C{i}",
                             "clae_cla_episode_start_date": cursor, "clae_cla_episode_ceased_date": ceased,
                             "clae_entered_care_date": cursor})
            if ceased is None:
                if rng.random() < 0.8:
                    break
                ceased = cursor + dt.timedelta(days=rng.randrange(30, 300))
            # usually a gap before the next episode; sometimes an overlap (a recording error)
            cursor = max(cursor, ceased) + dt.timedelta(days=rng.randrange(-90, 60))
        for j in range(rng.randrange(0, 3)):
            s = _day(rng)
            statuses.append({"lega_legal_status_id": f"L{i}_{j}", "lega_person_id": person,
                             "lega_legal_status": rng.choice(["C2", "C2", "E1", "V3", "V4", "J2"]),
                             "lega_legal_status_start_date": s,
                             "lega_legal_status_end_date": _maybe(rng, s + dt.timedelta(days=rng.randrange(1, 500)), 0.5)})
        for j in range(rng.randrange(0, 4)):
            s = _day(rng)
            involvements.append({"invo_involvements_id": str(rng.randrange(1, 10 ** 6)) if rng.random() < 0.9 else f"X{i}_{j}",
                                 "invo_person_id": person,
                                 "invo_professional_role_id": rng.choice(["ALLOCATED_SW", "ALLOCATED_SW", "IRO"]),
                                 "invo_professional_team": rng.choice(TEAMS[:3]),
                                 "invo_involvement_start_date": s if rng.random() < 0.8 else START + dt.timedelta(days=300),
                                 "invo_involvement_end_date": _maybe(rng, s + dt.timedelta(days=rng.randrange(1, 400)), 0.5)})
    # keep ids unique so the snapshot validates
    seen, unique = set(), []
    for row in involvements:
        if row["invo_involvements_id"] not in seen:
            seen.add(row["invo_involvements_id"])
            unique.append(row)
    tables = {"ssd_cin_episodes": referrals, "ssd_cin_assessments": assessments, "ssd_cla_episodes": episodes,
              "ssd_legal_status": statuses, "ssd_involvements": unique}
    tables.update(_safeguarding_tables(seed, people, assessments))
    tables.update(_cared_for_tables(seed, people, episodes))
    tables.update(_workforce_tables(seed, unique))
    return tables


FLAGS = ["Y", "N", None]
FACTOR_TEXTS = [('["6A"]', 6), ('["3A","6A"]', 4), ('[ "6A" , "21"]', 1), ('["16A"]', 2), ('["3A"]', 3),
                ('["21"]', 2), ("[]", 1), ('["6A", "4B"', 1), ("not json 6A", 1), (None, 1)]


def _days(rng: random.Random, day: dt.date | None, low: int, high: int) -> dt.date | None:
    return None if day is None else day + dt.timedelta(days=rng.randrange(low, high))


def _safeguarding_tables(seed: int, people: list[str], assessments: list[dict]) -> dict[str, list[dict]]:
    """Contacts to pre-proceedings, from their own stream so the tables above stay as they were."""
    rng = random.Random(f"safeguarding-{seed}")
    n = len(people)
    contacts = []
    for i in range(n * 3):
        made = _maybe(rng, _day(rng), 0.03)
        # mostly within a few days (weekends and bank holidays in between); some never decided,
        # a few decided "before" they were made (bad rows)
        done = _maybe(rng, _days(rng, made, 0, 7) if rng.random() < 0.95 else _days(rng, made, -3, 0), 0.12)
        contacts.append({"cont_contact_id": f"K{i}", "cont_person_id": _maybe(rng, rng.choice(people), 0.03),
                         "cont_contact_date": made, "cont_contact_completed_date": done,
                         "cont_contact_team": rng.choice(TEAMS)})
    s47s = []
    for i in range(n):
        start = _maybe(rng, _day(rng), 0.05)
        s47s.append({"s47e_s47_enquiry_id": f"S{i}", "s47e_person_id": rng.choice(people),
                     "s47e_s47_start_date": start, "s47e_s47_end_date": _maybe(rng, _days(rng, start, -5, 60), 0.3),
                     "s47e_s47_completed_by_team": rng.choice(TEAMS)})
    icpcs = []
    for i in range(n * 2):
        link = rng.random()
        s47 = rng.choice(s47s)
        s47_id = s47["s47e_s47_enquiry_id"] if link < 0.85 else (f"S_MISSING{i}" if link < 0.93 else None)
        held = _days(rng, s47["s47e_s47_start_date"] or _day(rng), -4, 45)   # sometimes before its S47
        icpcs.append({"icpc_icpc_id": f"I{i}", "icpc_s47_enquiry_id": s47_id, "icpc_person_id": s47["s47e_person_id"],
                      "icpc_icpc_transfer_in": rng.choice(["N", "N", "N", "Y", None]),
                      "icpc_icpc_date": _maybe(rng, held, 0.05), "icpc_icpc_team": rng.choice(TEAMS)})
    plans, reviews, visits = [], [], []
    for i, person in enumerate(people):
        cursor = START + dt.timedelta(days=rng.randrange(-900, 1100))
        for j in range(rng.randrange(0, 5)):
            end = _maybe(rng, cursor + dt.timedelta(days=rng.randrange(-15, 900)), 0.35)
            plan_id = f"CP{i}_{j}"
            owner = _maybe(rng, person, 0.04)
            plans.append({"cppl_cp_plan_id": plan_id, "cppl_person_id": owner, "cppl_cp_plan_start_date": cursor,
                          "cppl_cp_plan_end_date": end})
            last = min(end or START + dt.timedelta(days=1300), START + dt.timedelta(days=1300))
            due, k = cursor + dt.timedelta(days=91), 0
            while due <= last:
                reviews.append({"cppr_cp_review_id": f"RV{i}_{j}_{k}", "cppr_person_id": owner,
                                "cppr_cp_plan_id": plan_id, "cppr_cp_review_due": _maybe(rng, due, 0.05),
                                "cppr_cp_review_date": _maybe(rng, _days(rng, due, -10, 12), 0.05)})
                due, k = due + dt.timedelta(days=182), k + 1
            day, k = cursor + dt.timedelta(days=rng.randrange(0, 10)), 0
            while day <= last:
                visits.append({"cppv_cp_visit_id": f"V{i}_{j}_{k}", "cppv_person_id": person,
                               "cppv_cp_plan_id": plan_id, "cppv_cp_visit_date": day,
                               "cppv_cp_visit_seen": rng.choice(["Y", "Y", "Y", "Y", "N", None])})
                day, k = day + dt.timedelta(days=rng.randrange(1, 22)), k + 1
            if end is None:
                break
            # usually a later plan after a gap; sometimes the same day or an overlap (recording errors)
            if rng.random() > 0.1:
                cursor = max(cursor, end) + dt.timedelta(days=rng.randrange(-60, 300))
    texts, weights = zip(*FACTOR_TEXTS)
    factors = []
    for a in assessments:
        for _ in range(rng.choice([0, 1, 1, 1, 1, 1, 2])):
            factors.append({"cinf_table_id": f"F{len(factors)}", "cinf_assessment_id": a["cina_assessment_id"],
                            "cinf_assessment_factors_json": rng.choices(texts, weights)[0]})
    factors.append({"cinf_table_id": f"F{len(factors)}", "cinf_assessment_id": "A_NONE",
                    "cinf_assessment_factors_json": '["6A"]'})
    pre = []
    for i in range(n // 2):
        meeting = _maybe(rng, _day(rng), 0.08)
        gap = rng.choice([rng.randrange(-5, 200), rng.randrange(110, 115)])
        pre.append({"prep_table_id": f"X{i}", "prep_person_id": _maybe(rng, rng.choice(people), 0.03),
                    "prep_initial_pre_pro_meeting_date": meeting,
                    "prep_agree_stepdown_issue_date": _maybe(rng, _days(rng, meeting or _day(rng), gap, gap + 1), 0.15),
                    "prep_pre_pro_outcome": rng.choice(["stepdown", "proceedings_issued", None])})
    return {"ssd_contacts": contacts, "ssd_s47_enquiry": s47s, "ssd_initial_cp_conference": icpcs,
            "ssd_cp_plans": plans, "ssd_cp_reviews": reviews, "ssd_cp_visits": visits,
            "ssd_assessment_factors": factors, "ssd_pre_proceedings": pre}


PLACEMENT_TYPES = ["U1", "U1", "U2", "U3", "U4", "U4", "U5", "U6", "K1", "K2", "K2", "R1", "S1", "P1", "H5", "Z1"]
PROVIDERS = ["PR1", "PR1", "PR1", "PR0", "PR2", "PR3", "PR4", "PR5", None]


def _cared_for_tables(seed: int, people: list[str], episodes: list[dict]) -> dict[str, list[dict]]:
    """Placements to CAMHS, from their own stream so every table above stays as it was.

    The episodes' period-of-care ids, entered-care dates and placement ids are rewritten here:
    no earlier indicator reads them.
    """
    rng = random.Random(f"cared-for-{seed}")
    far = START + dt.timedelta(days=1300)
    placements, visits, reviews, health, missing, camhs = [], [], [], [], [], []
    by_person: dict[str, list[dict]] = {}
    for e in episodes:
        by_person.setdefault(e["clae_person_id"], []).append(e)
    for i, person in enumerate(people):
        eps = by_person.get(person, [])
        k, entered = 0, None
        for j, e in enumerate(eps):
            # a new period of care, usually after a gap; otherwise a change within the same one
            if j == 0 or rng.random() < 0.4:
                k += 1
                entered = e["clae_cla_episode_start_date"]
                if rng.random() < 0.4:     # in care long before its first episode in the extract
                    entered = entered - dt.timedelta(days=rng.randrange(0, 1500))
            e["clae_cla_id"] = f"C{i}_{k}"
            # the entered-care date, mostly the period of care's first day; sometimes missing or off
            e["clae_entered_care_date"] = rng.choice([entered] * 8 + [None, e["clae_cla_episode_start_date"]])
            pid = f"PL{i}_{j}"
            start = e["clae_cla_episode_start_date"]
            end = e["clae_cla_episode_ceased_date"]
            # mostly the episode's own start; sometimes much earlier or later (never after its end)
            placed = start if rng.random() < 0.7 else start + dt.timedelta(days=rng.randrange(-800, 800))
            if end is not None and placed > end:
                placed = end
            placements.append({"clap_cla_placement_id": pid, "clap_cla_id": e["clae_cla_id"], "clap_person_id": person,
                               "clap_cla_placement_start_date": placed,
                               "clap_cla_placement_end_date": end,
                               "clap_cla_placement_type": rng.choice(PLACEMENT_TYPES),
                               "clap_cla_placement_provider": rng.choice(PROVIDERS),
                               "clap_cla_placement_distance": rng.choice([None, 20.0, 20.5, 3.0, 7.5, 15.0, 35.0, 60.0])})
            link = rng.random()
            e["clae_cla_placement_id"] = pid if link < 0.9 else (None if link < 0.95 else f"PL_MISSING{i}_{j}")
            # extra short placements of the same child: moves the episodes do not show
            for m in range(rng.choice([0, 0, 1, 2, 3])):
                s = start + dt.timedelta(days=rng.randrange(0, 500))
                placements.append({"clap_cla_placement_id": f"PX{i}_{j}_{m}", "clap_cla_id": e["clae_cla_id"],
                                   "clap_person_id": person, "clap_cla_placement_start_date": s,
                                   "clap_cla_placement_end_date": _maybe(rng, s + dt.timedelta(days=rng.randrange(0, 200)), 0.1),
                                   "clap_cla_placement_type": rng.choice(PLACEMENT_TYPES),
                                   "clap_cla_placement_provider": rng.choice(PROVIDERS),
                                   "clap_cla_placement_distance": None})
        if not eps:
            continue
        first = min(e["clae_cla_episode_start_date"] for e in eps)
        day, m = first + dt.timedelta(days=rng.randrange(-20, 20)), 0
        while day <= far:
            visits.append({"clav_cla_visit_id": f"CV{i}_{m}", "clav_cla_id": None, "clav_person_id": person,
                           "clav_cla_visit_date": day, "clav_cla_visit_seen": rng.choice(["Y", "Y", "Y", "Y", "N", None])})
            day, m = day + dt.timedelta(days=rng.choice([rng.randrange(1, 50), rng.randrange(40, 100)])), m + 1
        day, m = first + dt.timedelta(days=rng.randrange(0, 60)), 0
        while day <= far:
            health.append({"clah_health_check_id": f"H{i}_{m}", "clah_person_id": person,
                           "clah_health_check_type": rng.choice(["Health Assessment", "health assessment",
                                                                 "Dental Check", "DENTAL CHECK", "Optician"]),
                           "clah_health_check_date": day,
                           "clah_health_check_status": rng.choice(["Completed", "Completed", "Completed", "Refused",
                                                                   "Not Completed", None])})
            day, m = day + dt.timedelta(days=rng.randrange(60, 400)), m + 1
        for m in range(rng.choice([0, 1, 2, 4, 6])):
            s = _day(rng)
            missing.append({"miss_table_id": f"M{i}_{m}", "miss_person_id": person, "miss_missing_episode_start_date": s,
                            "miss_missing_episode_end_date": _maybe(rng, s + dt.timedelta(days=rng.randrange(-2, 10)), 0.2),
                            "miss_missing_episode_type": rng.choice(["M", "M", "A", None])})
        for m in range(rng.choice([0, 0, 0, 1, 2])):
            s = _day(rng)
            camhs.append({"camhs_id": f"MH{i}_{m}", "person_id": person, "referral_date": s - dt.timedelta(days=30),
                          "start_date": s, "end_date": _maybe(rng, s + dt.timedelta(days=rng.randrange(0, 500)), 0.3),
                          "provision_type": rng.choice(["direct", "direct", "consultation", None])})
    cla_ids = sorted({e["clae_cla_id"] for e in episodes})
    for n, cla_id in enumerate(cla_ids):
        held = None
        due = START + dt.timedelta(days=rng.randrange(0, 200))
        m = 0
        while due <= far and rng.random() < 0.9:
            held = _maybe(rng, due + dt.timedelta(days=rng.randrange(-10, 12)), 0.05)
            reviews.append({"clar_cla_review_id": f"CR{n}_{m}", "clar_cla_id": cla_id if rng.random() < 0.95 else "C_NONE",
                            "clar_cla_review_due_date": _maybe(rng, due, 0.05), "clar_cla_review_date": held,
                            "clar_cla_review_cancelled": rng.choice(["N", "N", "N", "Y", None])})
            due, m = due + dt.timedelta(days=rng.randrange(90, 200)), m + 1
    persons = []
    for person in people:
        if rng.random() < 0.05:
            continue                       # not in ssd_person
        draw = rng.random()
        if draw < 0.04:
            dob = None
        elif draw < 0.1:                   # a leap-day birthday
            dob = dt.date(rng.choice([2000, 2004, 2008, 2012, 2016]), 2, 29)
        else:
            dob = dt.date(1997, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 24))
        persons.append({"pers_person_id": person, "pers_sex": rng.choice(["F", "M"]), "pers_dob": dob})
    leavers = []
    for n, person in enumerate(rng.sample(people, len(people) // 2)):
        contact = START + dt.timedelta(days=rng.randrange(-200, 200))
        for m in range(rng.randrange(1, 8)):
            ident = str(rng.randrange(1, 10 ** 6)) if rng.random() < 0.9 else f"CL{n}_{m}"
            touch = rng.choice(["YES", "YES", "YES", "NO", "REFU", "NREQ", None])
            leavers.append({"clea_table_id": ident, "clea_person_id": _maybe(rng, person, 0.03),
                            "clea_care_leaver_in_touch": touch,
                            "clea_care_leaver_latest_contact": _maybe(rng, contact, 0.08),
                            "clea_care_leaver_accom_suitable": rng.choice(["Y", "Y", "N", None]),
                            "clea_care_leaver_activity": rng.choice(["F1", "F2", "P4", "G5", "G6", "f2", None]),
                            "clea_care_leaver_allocated_team": rng.choice(TEAMS)})
            if rng.random() > 0.15:        # sometimes two rows share a contact date: the larger id wins
                contact = contact + dt.timedelta(days=rng.randrange(20, 200))
    seen, unique_leavers = set(), []
    for row in leavers:
        if row["clea_table_id"] not in seen:
            seen.add(row["clea_table_id"])
            unique_leavers.append(row)
    permanence = []
    for n in range(len(people) // 2):
        cla_id = rng.choice(cla_ids + ["C_NONE"])
        order = START + dt.timedelta(days=rng.randrange(-700, 1300))
        permanence.append({"perm_table_id": f"PM{n}", "perm_person_id": rng.choice(people), "perm_cla_id": cla_id,
                           "perm_placed_for_adoption_date": _maybe(rng, order - dt.timedelta(days=rng.randrange(30, 900)), 0.1),
                           "perm_permanence_order_date": _maybe(rng, order, 0.05),
                           "perm_permanence_order_type": rng.choice(["Adoption", "Adoption", "Adoption",
                                                                     "Special Guardianship Order",
                                                                     "Child Arrangements Order"])})
    return {"ssd_cla_placement": placements, "ssd_cla_visits": visits, "ssd_cla_reviews": reviews,
            "ssd_cla_health": health, "ssd_missing": missing, "local_camhs": camhs, "ssd_person": persons,
            "ssd_care_leavers": unique_leavers, "ssd_permanence": permanence}


EMPLOYMENT_TYPES = ["permanent", "permanent", "permanent", "fixed_term", "agency", "agency", "contractor", None]


def _workforce_tables(seed: int, involvements: list[dict]) -> dict[str, list[dict]]:
    """Posts, staff spells, absence and supervision, from their own stream so every table above stays as it was.

    Each existing involvement is given a professional (invo_professional_id, which no earlier
    indicator reads); no involvement is added or removed.
    """
    rng = random.Random(f"workforce-{seed}")
    far = START + dt.timedelta(days=1300)
    posts = []
    for i in range(40):
        s = START + dt.timedelta(days=rng.randrange(-400, 1000))
        posts.append({"post_id": f"HP{i}", "team_id": rng.choice(TEAMS), "role": "Social worker",
                      "is_social_worker_post": rng.choice(["Y", "Y", "Y", "Y", "N", None]),
                      "fte": rng.choice([1.0, 1.0, 1.0, 0.5, 0.8, None]), "start_date": _maybe(rng, s, 0.03),
                      "end_date": _maybe(rng, s + dt.timedelta(days=rng.randrange(-10, 900)), 0.6)})
    post_ids = [p["post_id"] for p in posts] + [None] * 10 + ["HP_MISSING"]
    staff = []
    professionals = [f"W{i}" for i in range(100)]
    for prof in professionals:
        cursor = START + dt.timedelta(days=rng.randrange(-500, 900))
        for j in range(rng.choice([1, 1, 2, 2, 3, 4])):
            end = _maybe(rng, cursor + dt.timedelta(days=rng.randrange(-5, 500)), 0.3)
            staff.append({"staff_id": f"HS{len(staff)}", "professional_id": _maybe(rng, prof, 0.08),
                          "post_id": rng.choice(post_ids), "team_id": rng.choice(TEAMS), "role": "Social worker",
                          "is_qualified_sw": rng.choice(["Y"] * 8 + ["N", None]),
                          "employment_type": rng.choice(EMPLOYMENT_TYPES),
                          "fte": rng.choice([1.0, 1.0, 1.0, 0.5, 0.6, 0.8, None]),
                          "start_date": _maybe(rng, cursor, 0.02), "end_date": end})
            if end is None:
                if rng.random() < 0.7:
                    break
                end = cursor + dt.timedelta(days=rng.randrange(30, 400))
                staff[-1]["end_date"] = None if rng.random() < 0.5 else end  # sometimes two spells open at once
            # the next spell: the same day (a move), within a week, 8 days, or after a long gap or an overlap
            cursor = max(cursor, end) + dt.timedelta(days=rng.choice([0, 0, 1, 6, 7, 8, 9, rng.randrange(-30, 200)]))
    absences, supervisions = [], []
    for row in staff:
        for k in range(rng.choice([0, 1, 2, 4])):
            s = (row["start_date"] or START) + dt.timedelta(days=rng.randrange(0, 500))
            absences.append({"absence_id": f"AB{len(absences)}", "staff_id": row["staff_id"], "start_date": _maybe(rng, s, 0.03),
                             "end_date": _maybe(rng, s + dt.timedelta(days=rng.choice([0, 1, 2, 4, 13, rng.randrange(-3, 90)])), 0.08),
                             "working_days_lost": _maybe(rng, round(rng.random() * 20, 1), 0.05)})
        day = (row["start_date"] or START) + dt.timedelta(days=rng.randrange(0, 40))
        last = min(row["end_date"] or far, far)
        while day <= last:
            supervisions.append({"supervision_id": f"SV{len(supervisions)}", "staff_id": row["staff_id"],
                                 "supervision_date": _maybe(rng, day, 0.03)})
            day += dt.timedelta(days=rng.choice([28, 29, 30, 31, rng.randrange(1, 120)]))
    for row in involvements:
        row["invo_professional_id"] = _maybe(rng, rng.choice(professionals), 0.05)
    return {"hr_posts": posts, "hr_staff": staff, "hr_absence": absences, "hr_supervision": supervisions}


GRADE_CHOICES = ["outstanding", "good", "good", "good", "requires_improvement", "requires_improvement",
                 "inadequate", None, "Good", "unknown"]
AUDIT_TYPE_CHOICES = ["case"] * 7 + ["thematic", "dip_sample", "Case", None]
# days the period arithmetic can get wrong: the leap day and its neighbours, month and year ends
AWKWARD_DAYS = [dt.date(2020, 2, 28), dt.date(2020, 2, 29), dt.date(2020, 3, 1), dt.date(2019, 12, 31),
                dt.date(2020, 1, 1), dt.date(2021, 3, 31), dt.date(2021, 4, 1), dt.date(2021, 6, 30)]


def quality_tables(seed: int, n_audits: int = 800) -> dict[str, list[dict]]:
    """QA audits and actions, a stream of their own: no date, no team, unrecognised grades, moderation
    without a grade, audits of other types, repeated and missing ids, actions of audits not in the log,
    actions never completed or completed before they were raised; dates often on awkward days."""
    rng = random.Random(f"quality-{seed}")
    audits = []
    for i in range(n_audits):
        date = rng.choice(AWKWARD_DAYS) if rng.random() < 0.08 else _maybe(rng, _day(rng), 0.03)
        grade = rng.choice(GRADE_CHOICES)
        draw = rng.random()
        if draw < 0.55:
            moderated = None
        elif draw < 0.85:
            moderated = grade                       # the moderator agrees (or both are missing)
        else:
            moderated = rng.choice(GRADE_CHOICES)   # may differ, be unrecognised, or stand without a grade
        audits.append({"audit_id": f"AU{i}", "audit_type": rng.choice(AUDIT_TYPE_CHOICES), "theme": "Planning",
                       "person_id": _maybe(rng, f"P{rng.randrange(150)}", 0.05), "team_id": rng.choice(TEAMS),
                       "worker_id": f"W{rng.randrange(100)}", "auditor_id": f"M{rng.randrange(8)}",
                       "audit_date": date, "grade": grade, "moderated_grade": moderated,
                       "child_voice_evident": rng.choice(["Y", "N", None])})
    # a few repeated ids (the first row in the file wins) and missing ids, under the validation's 1% limit
    for k in rng.sample(range(1, n_audits), 5):
        audits[k]["audit_id"] = audits[k - 1]["audit_id"] if k % 2 else None
    actions = []
    for a in audits:
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            raised = _days(rng, a["audit_date"] or _day(rng), 0, 6)
            due = _maybe(rng, _days(rng, raised, 14, 64), 0.04)
            draw = rng.random()
            if draw < 0.04:
                completed = _days(rng, raised, -5, 0)             # before it was raised: a bad row
            elif draw < 0.45:
                completed = _days(rng, due or raised, -10, 1)      # by the due date
            elif draw < 0.55:
                completed = due                                   # on the due date itself
            elif draw < 0.8:
                completed = _days(rng, due or raised, 1, 30)      # late, from a day on
            else:
                completed = None                                  # never completed
            link = rng.random()
            audit_id = a["audit_id"] if link < 0.95 else ("AU_MISSING" if link < 0.98 else None)
            actions.append({"action_id": f"AC{len(actions)}", "audit_id": audit_id,
                            "raised_date": _maybe(rng, raised, 0.03), "due_date": due, "completed_date": completed})
    return {"qa_audits": audits, "qa_actions": actions}
