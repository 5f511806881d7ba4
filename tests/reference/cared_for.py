"""Cared-for indicators, the simple way: children looked after, placements, duties, care leavers."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict


from .common import allocated_team, _bad_order, cla_count, _months_back, _open_at, _pairs, _team
from .safeguarding import _team_at



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
