"""STUB: replaced by the real simulation of this area."""
from __future__ import annotations

import pandas as pd

from .context import SynthContext


def simulate(ctx: SynthContext) -> dict[str, pd.DataFrame]:
    return {}
