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
