"""The cared-for truth tables: the journeys simulated, then each contract table built from them.

``simulate`` runs the journeys and the passes over them in a fixed order (ids are handed
out in that order too, so it must not change) and shapes each result to its contract
table, with the ``_anchor`` and ``_lag`` columns the snapshot cutter reads.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import contract
from ..context import SynthContext
from .camhs import _camhs
from .care_leavers import _care_leavers, _leaver_contacts
from .distances import _distances
from .helpers import _dates, _num
from .involvements import _involvements
from .journeys import _Arrays, _Journeys
from .missing import _missing
from .statutory_checks import _health, _reviews, _visits


def _frame(name: str, columns: dict, anchor) -> pd.DataFrame:
    n = len(anchor)
    data = {}
    for col in contract.TABLES[name].column_names:
        value = columns.get(col)
        if value is None:
            data[col] = pd.Series([None] * n, dtype=object)
        elif contract.TABLES[name].column(col).type == contract.DATE:
            data[col] = pd.Series(_dates(value))
        elif contract.TABLES[name].column(col).type == contract.NUMBER:
            data[col] = pd.Series(np.asarray(value, dtype=np.float64))
        else:
            data[col] = pd.Series(np.asarray(value, dtype=object))
    frame = pd.DataFrame(data)
    frame["_anchor"] = pd.Series(_dates(anchor))
    frame["_lag"] = 0
    return frame


def simulate(ctx: SynthContext) -> dict[str, pd.DataFrame]:
    sim = _Journeys(ctx).run()
    sim.short_breaks()
    a = _Arrays(sim)
    ids = ctx.ids
    cla_id = ids.new("CLA", a.n).astype(object)
    person = a.person
    tables: dict[str, pd.DataFrame] = {}

    # episodes
    ep = [(p.i, c[0], c[1], c[2], c[3], (p.changes[k + 1][0] if k + 1 < len(p.changes) else p.exit_day),
           ("X1" if k + 1 < len(p.changes) else p.exit_reason))
          for p in sim.periods for k, c in enumerate(p.changes)]
    ep = pd.DataFrame(ep, columns=["period", "start", "rne", "ls", "pl", "end", "rec"])
    epi = ep["period"].to_numpy(dtype=np.int64)
    pl_id = ids.new("CLP", len(a.pl_start)).astype(object)
    need = np.array([p.need for p in sim.periods], dtype=object)
    referral = np.array([p.referral for p in sim.periods], dtype=object)
    tables["ssd_cla_episodes"] = _frame("ssd_cla_episodes", {
        "clae_cla_episode_id": ids.new("CLE", len(ep)), "clae_person_id": person[epi], "clae_cla_id": cla_id[epi],
        "clae_cla_placement_id": pl_id[ep["pl"].to_numpy(dtype=np.int64)],
        "clae_cla_episode_start_date": ep["start"].to_numpy(), "clae_cla_episode_start_reason": ep["rne"].to_numpy(),
        "clae_cla_primary_need_code": need[epi], "clae_cla_episode_ceased_date": ep["end"].to_numpy(dtype=object),
        "clae_cla_episode_ceased_reason": ep["rec"].to_numpy(dtype=object), "clae_entered_care_date": a.entry[epi],
        "clae_referral_id": referral[epi]}, ep["start"].to_numpy())

    # placements
    distance, postcode = _distances(sim, a)
    tables["ssd_cla_placement"] = _frame("ssd_cla_placement", {
        "clap_cla_placement_id": pl_id, "clap_cla_id": cla_id[a.pl_period], "clap_person_id": person[a.pl_period],
        "clap_cla_placement_start_date": a.pl_start, "clap_cla_placement_end_date": a.pl_end,
        "clap_cla_placement_type": a.pl_type, "clap_cla_placement_provider": a.pl_prov,
        "clap_cla_placement_postcode": postcode, "clap_cla_placement_distance": distance,
        "clap_cla_placement_change_reason": np.array(sim.pl_reason, dtype=object)}, a.pl_start)

    # legal statuses
    ls = [(p.i, s[0], s[1], (p.ls[k + 1][0] if k + 1 < len(p.ls) else p.exit_day))
          for p in sim.periods for k, s in enumerate(p.ls)]
    ls = pd.DataFrame(ls, columns=["period", "start", "code", "end"])
    lsi = ls["period"].to_numpy(dtype=np.int64)
    tables["ssd_legal_status"] = _frame("ssd_legal_status", {
        "lega_legal_status_id": ids.new("LEG", len(ls)), "lega_person_id": person[lsi],
        "lega_legal_status": ls["code"].to_numpy(), "lega_legal_status_start_date": ls["start"].to_numpy(),
        "lega_legal_status_end_date": ls["end"].to_numpy(dtype=object)}, ls["start"].to_numpy())

    # reviews
    rv = _reviews(sim, a)
    rvi = rv["period"].to_numpy(dtype=np.int64)
    tables["ssd_cla_reviews"] = _frame("ssd_cla_reviews", {
        "clar_cla_review_id": ids.new("CLR", len(rv)), "clar_cla_id": cla_id[rvi],
        "clar_cla_review_due_date": rv["due"].to_numpy(), "clar_cla_review_date": rv["held"].to_numpy(dtype=object),
        "clar_cla_review_cancelled": rv["cancelled"].to_numpy(dtype=object)}, rv["anchor"].to_numpy())

    # visits
    vs = _visits(sim, a)
    vsi = vs["period"].to_numpy(dtype=np.int64)
    tables["ssd_cla_visits"] = _frame("ssd_cla_visits", {
        "clav_cla_visit_id": ids.new("CLV", len(vs)), "clav_cla_id": cla_id[vsi], "clav_person_id": person[vsi],
        "clav_cla_visit_date": vs["day"].to_numpy(), "clav_cla_visit_seen": vs["seen"].to_numpy(),
        "clav_cla_visit_seen_alone": vs["alone"].to_numpy()}, vs["day"].to_numpy())

    # health and dental checks
    hc = _health(sim, a)
    tables["ssd_cla_health"] = _frame("ssd_cla_health", {
        "clah_health_check_id": ids.new("CLH", len(hc)), "clah_person_id": hc["person"].to_numpy(dtype=object),
        "clah_health_check_type": hc["kind"].to_numpy(), "clah_health_check_date": hc["day"].to_numpy(),
        "clah_health_check_status": hc["status"].to_numpy()}, hc["day"].to_numpy())

    # missing
    ms = _missing(sim, a)
    msi = ms["period"].to_numpy(dtype=np.int64)
    tables["ssd_missing"] = _frame("ssd_missing", {
        "miss_table_id": ids.new("MIS", len(ms)), "miss_person_id": person[msi],
        "miss_missing_episode_start_date": ms["start"].to_numpy(),
        "miss_missing_episode_end_date": ms["end"].to_numpy(),
        "miss_missing_episode_type": ms["type"].to_numpy(), "miss_missing_rhi_offered": ms["offered"].to_numpy(),
        "miss_missing_rhi_accepted": ms["accepted"].to_numpy()}, ms["start"].to_numpy())

    # allocations, then care leavers (their worker is the allocated one at the contact)
    leavers = _care_leavers(sim, a)
    inv = _involvements(sim, a, leavers)
    invi = inv["period"].to_numpy(dtype=np.int64)
    inv_ids = ids.new("INV", len(inv)).astype(object)
    tables["ssd_involvements"] = _frame("ssd_involvements", {
        "invo_involvements_id": inv_ids, "invo_professional_id": inv["worker"].to_numpy(dtype=object),
        "invo_professional_role_id": np.full(len(inv), contract.ALLOCATED_SW, dtype=object),
        "invo_professional_team": inv["team"].to_numpy(dtype=object), "invo_person_id": person[invi],
        "invo_referral_id": referral[invi], "invo_involvement_start_date": inv["start"].to_numpy(),
        "invo_involvement_end_date": inv["end"].to_numpy(dtype=object),
        "invo_worker_change_reason": inv["reason"].to_numpy(dtype=object)}, inv["start"].to_numpy())

    cl = _leaver_contacts(sim, leavers)
    if len(cl) and len(inv):
        lookup = inv[["period", "start", "team", "worker"]].sort_values("start", kind="stable")
        found = pd.merge_asof(cl.reset_index().sort_values("day", kind="stable"), lookup, left_on="day",
                              right_on="start", by="period", direction="backward").set_index("index").sort_index()
        team, worker = found["team"].to_numpy(dtype=object), found["worker"].to_numpy(dtype=object)
    else:
        team = np.full(len(cl), sim.cl_team, dtype=object)
        worker = np.full(len(cl), None, dtype=object)
    cli = cl["period"].to_numpy(dtype=np.int64)
    tables["ssd_care_leavers"] = _frame("ssd_care_leavers", {
        "clea_table_id": ids.new("CLL", len(cl)), "clea_person_id": person[cli],
        "clea_care_leaver_eligibility": cl["eligibility"].to_numpy(),
        "clea_care_leaver_in_touch": cl["in_touch"].to_numpy(),
        "clea_care_leaver_latest_contact": cl["day"].to_numpy(),
        "clea_care_leaver_accommodation": cl["accommodation"].to_numpy(dtype=object),
        "clea_care_leaver_accom_suitable": cl["suitable"].to_numpy(dtype=object),
        "clea_care_leaver_activity": cl["activity"].to_numpy(dtype=object),
        "clea_care_leaver_allocated_team": team, "clea_care_leaver_worker_id": worker}, cl["day"].to_numpy())

    # permanence: adoption plans (from the decision), special guardianship and child arrangements orders
    pm = []
    for p in sim.periods:
        if p.adopt is not None:
            ad = p.adopt
            pm.append((p.i, ad["adm"], ad["po"] if ad["po"] <= (p.exit_day or 10 ** 9) else None, ad["matched"],
                       ad["placed"], ad["order"], "Adoption" if ad["order"] is not None else None, ad["adm"]))
        elif p.perm is not None:
            pm.append((p.i, None, None, None, None, p.perm[1], p.perm[0], p.perm[1]))
    pm = pd.DataFrame(pm, columns=["period", "adm", "po", "matched", "placed", "order", "type", "anchor"])
    # a decision or order dated after the end of the history has not happened yet
    pm = pm[pm["anchor"] <= ctx.end_day]
    pmi = pm["period"].to_numpy(dtype=np.int64)
    future = lambda col: np.where(_num(pm[col]) > ctx.end_day, np.nan, _num(pm[col]))  # noqa: E731
    tables["ssd_permanence"] = _frame("ssd_permanence", {
        "perm_table_id": ids.new("PRM", len(pm)), "perm_person_id": person[pmi], "perm_cla_id": cla_id[pmi],
        "perm_adm_decision_date": future("adm"), "perm_placement_order_date": future("po"),
        "perm_matched_date": future("matched"), "perm_placed_for_adoption_date": future("placed"),
        "perm_permanence_order_date": future("order"), "perm_permanence_order_type": pm["type"].to_numpy(dtype=object)},
        pm["anchor"].to_numpy())

    # CAMHS
    cm = _camhs(sim, a)
    tables["local_camhs"] = _frame("local_camhs", {
        "camhs_id": ids.new("CAMHS", len(cm)), "person_id": cm["person"].to_numpy(dtype=object),
        "referral_date": cm["referral"].to_numpy(dtype=object), "start_date": cm["start"].to_numpy(dtype=object),
        "end_date": cm["end"].to_numpy(dtype=object), "provision_type": cm["type"].to_numpy()},
        cm["referral"].to_numpy())
    return tables
