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
    return {"ssd_cin_episodes": referrals, "ssd_cin_assessments": assessments, "ssd_cla_episodes": episodes,
            "ssd_legal_status": statuses, "ssd_involvements": unique}
