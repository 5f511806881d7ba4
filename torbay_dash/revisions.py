"""What changed since the last snapshot: past months that a newer extract tells differently.

Real extracts disagree about the recent past (late recording, corrections, a system
migration); a leader should see which figures moved before they are quoted again.
"""
from __future__ import annotations

import pandas as pd

from .compute import EVERYTHING, Scope, compute_many
from .db import SnapshotDB
from .periods import Period
from .settings import LocalAuthority

REVISION_COLUMNS = ["id", "from", "to", "value_before", "value_now", "numerator_before", "numerator_now",
                    "denominator_before", "denominator_now"]


def _differs(before: pd.Series, now: pd.Series) -> pd.Series:
    """True where two numeric columns differ, counting a figure that appears or disappears as a change."""
    both_missing = before.isna() & now.isna()
    equal = (before - now).abs().fillna(1.0) < 1e-9
    return ~(both_missing | equal)


def revised_figures(now: SnapshotDB, before: SnapshotDB, ids: list[str], periods: list[Period],
                    settings: LocalAuthority, scope: Scope = EVERYTHING) -> pd.DataFrame:
    """Each (indicator, period) whose numerator, denominator or value differs between the two extracts.

    Both are computed in DuckDB for the same periods (those the older extract could see);
    indicators unavailable in either extract are left out.
    """
    old = compute_many(before, ids, periods, settings, scope=scope)
    new = compute_many(now, ids, periods, settings, scope=scope)
    old = old[old["unavailable"].isna()]
    new = new[new["unavailable"].isna()]
    merged = old.merge(new, on=["id", "from", "to"], suffixes=("_before", "_now"))
    changed = (_differs(merged["numerator_before"], merged["numerator_now"])
               | _differs(merged["denominator_before"].astype("float64"), merged["denominator_now"].astype("float64"))
               | _differs(merged["value_before"].astype("float64"), merged["value_now"].astype("float64")))
    return merged.loc[changed, REVISION_COLUMNS].reset_index(drop=True)
