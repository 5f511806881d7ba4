"""The June 2021 system migration: a business-critical defect in the numbers of cared-for children.

In the snapshot taken at the migration date, a batch of children in care was migrated
twice, arriving again under new person ids with copies of their episodes, placements and
legal statuses (so the count of children looked after jumps), and another batch lost
its current placement rows. The next snapshot is correct again.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .context import SynthContext

DUPLICATED_SHARE = 0.12
MISSING_PLACEMENT_SHARE = 0.06


def _open_at(start: pd.Series, end: pd.Series, as_at: pd.Timestamp) -> np.ndarray:
    return ((start <= as_at) & (end.isna() | (end > as_at))).to_numpy(dtype=bool)


def apply(ctx: SynthContext, cut: dict[str, pd.DataFrame], as_at: pd.Timestamp) -> dict[str, int]:
    """Damage the cut tables of the migration snapshot in place; returns what was done."""
    episodes = cut.get("ssd_cla_episodes")
    if episodes is None or episodes.empty:
        return {}
    rng = ctx.rng("migration")
    in_care = pd.unique(episodes.loc[_open_at(episodes["clae_cla_episode_start_date"],
                                              episodes["clae_cla_episode_ceased_date"], as_at), "clae_person_id"])
    in_care = np.sort(np.asarray(in_care.dropna() if hasattr(in_care, "dropna") else in_care, dtype=object))
    rng.shuffle(in_care)
    n_dup = int(round(len(in_care) * DUPLICATED_SHARE))
    n_missing = int(round(len(in_care) * MISSING_PLACEMENT_SHARE))
    duplicated, lost = set(in_care[:n_dup]), set(in_care[n_dup:n_dup + n_missing])

    new_person = dict(zip(sorted(duplicated), ctx.ids.new("CM", len(duplicated))))
    copies = {
        "ssd_person": ("pers_person_id", None),
        "ssd_cla_episodes": ("clae_person_id", "clae_cla_episode_id"),
        "ssd_cla_placement": ("clap_person_id", "clap_cla_placement_id"),
        "ssd_legal_status": ("lega_person_id", "lega_legal_status_id"),
    }
    placement_map = {}
    for table, (person_col, key) in copies.items():
        frame = cut.get(table)
        if frame is None:
            continue
        rows = frame[frame[person_col].isin(duplicated)].copy()
        rows[person_col] = rows[person_col].map(new_person)
        if key:
            new_ids = ctx.ids.new("MIG", len(rows))
            if table == "ssd_cla_placement":
                placement_map = dict(zip(rows[key], new_ids))
            rows[key] = new_ids
        cut[table] = pd.concat([frame, rows], ignore_index=True)
    episodes = cut["ssd_cla_episodes"]
    copied = episodes["clae_person_id"].isin(set(new_person.values()))
    episodes.loc[copied, "clae_cla_placement_id"] = episodes.loc[copied, "clae_cla_placement_id"].map(placement_map)

    placements = cut.get("ssd_cla_placement")
    if placements is not None:
        open_now = _open_at(placements["clap_cla_placement_start_date"], placements["clap_cla_placement_end_date"], as_at)
        drop = open_now & placements["clap_person_id"].isin(lost).to_numpy()
        cut["ssd_cla_placement"] = placements.loc[~drop].reset_index(drop=True)
    return {"children_migrated_twice": len(duplicated), "children_missing_current_placement": len(lost)}
