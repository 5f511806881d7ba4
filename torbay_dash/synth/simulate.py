"""Run every area's simulation for one chunk and gather the truth tables."""
from __future__ import annotations

import pandas as pd

from . import allocations, cared_for, org, quality, safeguarding, workforce
from .context import SynthConfig, SynthContext
from .people import PersonRegistry

AREAS = (workforce, safeguarding, cared_for, quality)
RECONCILE_BEFORE = quality  # audits pick cases' allocated workers, so allocations settle first


def simulate_chunk(config: SynthConfig, chunk: int = 0, chunk_scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Truth tables (contract columns plus _anchor and _lag) for one Torbay-sized chunk."""
    ctx = SynthContext(config, chunk, chunk_scale)
    teams = org.build_teams(ctx)
    ctx.people = PersonRegistry(ctx)
    tables: dict[str, pd.DataFrame] = {}
    ctx.tables = tables
    for area in AREAS:
        if area is RECONCILE_BEFORE:
            allocations.reconcile(ctx, tables)
        for name, frame in area.simulate(ctx).items():
            # several areas add rows to ssd_involvements; the rest own their tables
            tables[name] = pd.concat([tables[name], frame], ignore_index=True) if name in tables else frame
    tables["ssd_department"] = teams.drop(columns=["role"]).assign(_anchor=pd.NaT, _lag=0)
    tables["ssd_person"] = ctx.people.table()
    return tables
