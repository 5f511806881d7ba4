"""Make allocated-worker spells consistent across the areas that created them.

The safeguarding and cared-for simulations each allocate their own cases. Two things
only show once both have run: a child who comes into care is handed to a cared-for team
(their CIN/CP allocation ends), and a worker who leaves or moves team hands their cases
on (the case gets a new worker in the same team from that day).
"""
from __future__ import annotations

import pandas as pd

from .context import SynthContext, to_days

CARE_ROLES = ("cared_for", "care_leavers")
MAX_HANDOVERS = 12


def _periods_of_care(episodes: pd.DataFrame) -> pd.DataFrame:
    grouped = episodes.groupby(["clae_person_id", "clae_cla_id"], dropna=True)
    periods = grouped.agg(care_start=("clae_cla_episode_start_date", "min"),
                          care_end=("clae_cla_episode_ceased_date", "max"),
                          still_open=("clae_cla_episode_ceased_date", lambda s: s.isna().any())).reset_index()
    periods.loc[periods["still_open"], "care_end"] = pd.NaT
    return periods.rename(columns={"clae_person_id": "invo_person_id"})[["invo_person_id", "care_start", "care_end"]]


def care_takes_over(ctx: SynthContext, involvements: pd.DataFrame, episodes: pd.DataFrame | None) -> pd.DataFrame:
    """End CIN/CP allocations when the child comes into care; drop those that begin while in care.

    The children with disabilities team keeps its cases (it supports disabled children in care too).
    """
    if episodes is None or episodes.empty:
        return involvements
    care_teams = set(ctx.teams.loc[ctx.teams["role"].isin(CARE_ROLES + ("disabled",)), "dept_team_id"])
    candidates = involvements[~involvements["invo_professional_team"].isin(care_teams)]
    pairs = candidates.reset_index().merge(_periods_of_care(episodes), on="invo_person_id")
    start, end = pairs["invo_involvement_start_date"], pairs["invo_involvement_end_date"]
    care_open_at_start = (pairs["care_start"] <= start) & (pairs["care_end"].isna() | (pairs["care_end"] > start))
    open_at_care_start = (start < pairs["care_start"]) & (end.isna() | (end > pairs["care_start"]))
    dropped = set(pairs.loc[care_open_at_start, "index"])
    cut_at = pairs.loc[open_at_care_start].groupby("index")["care_start"].min()
    out = involvements.copy()
    out.loc[cut_at.index, "invo_involvement_end_date"] = cut_at
    out.loc[cut_at.index, "invo_worker_change_reason"] = "TEAM_TRANSFER"
    return out.drop(index=list(dropped)).reset_index(drop=True)


def hand_on_when_workers_leave(ctx: SynthContext, involvements: pd.DataFrame,
                               staff: pd.DataFrame | None) -> pd.DataFrame:
    """Split each allocation at the day its worker's spell in post ends, giving the rest to a colleague."""
    if staff is None or staff.empty or ctx.workers is None:
        return involvements
    spells = staff.loc[staff["professional_id"].notna(), ["professional_id", "start_date", "end_date"]].rename(
        columns={"professional_id": "invo_professional_id", "start_date": "spell_start", "end_date": "spell_end"})
    rng = ctx.rng("allocations/handover")
    horizon = pd.Timestamp(ctx.end)
    frames, pending = [], involvements
    for _ in range(MAX_HANDOVERS):
        pairs = pending.reset_index().merge(spells, on="invo_professional_id")
        start = pairs["invo_involvement_start_date"]
        covering = (pairs["spell_start"] <= start) & (pairs["spell_end"].isna() | (pairs["spell_end"] > start))
        # the latest-starting spell in post when the allocation began (its end may be open: NaT)
        latest = pairs.loc[covering].sort_values(["index", "spell_start"]).drop_duplicates("index", keep="last")
        leave = latest.set_index("index")["spell_end"].dropna()
        ends = pending.loc[leave.index, "invo_involvement_end_date"]
        splits = leave[(ends.isna() | (ends > leave)) & (leave <= horizon)]
        if splits.empty:
            frames.append(pending)
            break
        kept = pending.copy()
        rest = pending.loc[splits.index].copy()
        kept.loc[splits.index, "invo_involvement_end_date"] = splits
        kept.loc[splits.index, "invo_worker_change_reason"] = "WORKER_LEFT"
        frames.append(kept)
        rest["invo_involvement_start_date"] = splits.to_numpy()
        rest["_anchor"] = splits.to_numpy()
        rest["invo_involvements_id"] = ctx.ids.new("INV", len(rest))
        rest["invo_professional_id"] = ctx.workers.pick(
            rest["invo_professional_team"].to_numpy(), to_days(rest["invo_involvement_start_date"]), rng)
        pending = rest.reset_index(drop=True)
    else:
        frames.append(pending)
    return pd.concat(frames, ignore_index=True)


def reconcile(ctx: SynthContext, tables: dict[str, pd.DataFrame]) -> None:
    """Apply both rules to ssd_involvements in place."""
    involvements = tables.get("ssd_involvements")
    if involvements is None or involvements.empty:
        return
    involvements = care_takes_over(ctx, involvements, tables.get("ssd_cla_episodes"))
    tables["ssd_involvements"] = hand_on_when_workers_leave(ctx, involvements, tables.get("hr_staff"))


