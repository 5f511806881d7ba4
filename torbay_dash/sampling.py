"""Drawing the audit sample: reproducible, stratified by team, leaving out recently audited children.

The seed is shown and reusable, so next month's panel can redraw exactly the same sample
from the same snapshot; allocation is proportional to each team's open cases so the
sample is "numerically sufficient" for the service and fair between teams.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from .periods import add_months

RECENTLY_AUDITED_MONTHS = 6


def not_recently_audited(population: pd.DataFrame, as_at: dt.date,
                         months: int = RECENTLY_AUDITED_MONTHS) -> pd.DataFrame:
    """Children whose last case audit is more than `months` calendar months before `as_at` (or never)."""
    cutoff = pd.Timestamp(add_months(as_at, -months))
    last = pd.to_datetime(population["last_case_audit"])
    return population[last.isna() | (last <= cutoff)]


def allocate(stratum_sizes: dict[str, int], sample: int) -> dict[str, int]:
    """Split `sample` across strata in proportion to their sizes (largest remainder), never above a size.

    Ties in the remainder go to the larger stratum, then to the stratum named first, so the split
    never depends on dictionary order.
    """
    total = sum(stratum_sizes.values())
    sample = min(max(sample, 0), total)
    if sample == 0:
        return {name: 0 for name in stratum_sizes}
    quotas = {name: sample * size / total for name, size in stratum_sizes.items()}
    shares = {name: min(stratum_sizes[name], math.floor(q)) for name, q in quotas.items()}
    order = sorted(stratum_sizes, key=lambda name: (-(quotas[name] - math.floor(quotas[name])),
                                                    -stratum_sizes[name], name))
    while sum(shares.values()) < sample:
        for name in order:
            if sum(shares.values()) == sample:
                break
            if shares[name] < stratum_sizes[name]:
                shares[name] += 1
    return shares


def draw(population: pd.DataFrame, sample: int, seed: int, stratum: str = "team") -> pd.DataFrame:
    """A random sample of `sample` rows, stratified by `stratum`, the same for the same rows and seed.

    Rows are put in person_id order first, so the sample does not depend on the order a
    query returned them in.
    """
    ordered = population.sort_values("person_id", kind="stable").reset_index(drop=True)
    sizes = ordered.groupby(stratum, sort=True).size().to_dict()
    shares = allocate(sizes, sample)
    rng = np.random.default_rng(seed)
    picked = []
    for name in sorted(sizes):
        rows = ordered.index[ordered[stratum] == name].to_numpy()
        picked.extend(rng.choice(rows, size=shares[name], replace=False).tolist())
    chosen = ordered.loc[sorted(picked)].copy()
    chosen["stratum_size"] = chosen[stratum].map(sizes)
    chosen["stratum_sample"] = chosen[stratum].map(shares)
    return chosen.reset_index(drop=True)
