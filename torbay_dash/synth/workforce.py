"""Workforce (HR extract): posts, staff spells, absence, supervision, and ssd_professionals.

STUB: a fixed set of permanent workers per team, so the case modules can allocate cases.
The real simulation replaces it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .context import SynthContext, WorkerPool

WORKERS_PER_TEAM = {"mash": 8, "assessment": 10, "safeguarding": 12, "disabled": 6, "cared_for": 9,
                    "care_leavers": 7, "iro": 6}


def simulate(ctx: SynthContext) -> dict[str, pd.DataFrame]:
    rows = []
    for team in ctx.teams.itertuples():
        n = max(1, ctx.n(WORKERS_PER_TEAM[team.role]))
        for pid in ctx.ids.new("W", n):
            rows.append({"professional_id": pid, "team_id": team.dept_team_id,
                         "start_day": ctx.start_day - 3650, "end_day": 10 ** 9})
    spells = pd.DataFrame(rows)
    ctx.workers = WorkerPool(spells)
    return {}
