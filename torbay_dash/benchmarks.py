"""Published comparators (England, statistical neighbours, the authority's own return) for our indicators.

The DfE publishes annual figures; our indicators are computed for any period. A
comparator is shown with its year and period so a leader compares like with like, and
where the DfE's definition differs from ours the difference is said.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

BENCHMARKS_FILE = Path(__file__).resolve().parents[1] / "data" / "benchmarks" / "benchmarks_england_torbay.csv"
SOURCE = "DfE LAIT data (local-authority-interactive-tool @ 2e30e395)"


@dataclass(frozen=True)
class Comparable:
    measure: str      # the benchmark file's indicator name
    note: str = ""    # how the published definition differs from ours, if it does


# Our indicator id -> the published measure it can be compared with.
COMPARABLE = {
    "cin_rate_per_10k": Comparable("cin_rate_per_10k", "DfE: children in need at 31 March."),
    "cp_rate_per_10k": Comparable("cpp_rate_per_10k", "DfE: children on a plan at 31 March."),
    "rereferrals_12m_pct": Comparable("rereferral_12m_pct", "DfE: year ending 31 March."),
    "assessments_45wd_pct": Comparable("assessments_45wd_pct", "DfE: year ending 31 March."),
    "icpc_15wd_pct": Comparable("icpc_15wd_pct", "DfE: year ending 31 March."),
    "cp_second_subsequent_pct": Comparable("cpp_second_subsequent_pct", "DfE: year ending 31 March."),
    "cla_rate_per_10k": Comparable("cla_rate_per_10k", "DfE: at 31 March."),
    "cla_3plus_placements_pct": Comparable("cla_3plus_placements_pct", "DfE: year ending 31 March."),
    "cla_long_term_stability_pct": Comparable("cla_long_term_stability_pct", "DfE: at 31 March."),
    "cla_placed_20mi_pct": Comparable(
        "cla_placed_20mi_outside_la_pct",
        "Not like for like: the DfE counts children placed over 20 miles from home AND outside the "
        "authority; ours counts all placed over 20 miles with a known distance."),
    "cla_health_assessment_pct": Comparable("cla_health_assessment_pct", "DfE: year ending 31 March."),
    "cla_dental_check_pct": Comparable("cla_dental_check_pct", "DfE: year ending 31 March."),
    "sw_agency_rate_pct": Comparable("sw_agency_rate_fte_pct", "DfE workforce census: at 30 September."),
    "sw_turnover_rate_pct": Comparable("sw_turnover_rate_fte_pct", "DfE workforce census: year to 30 September."),
    "sw_vacancy_rate_pct": Comparable("sw_vacancy_rate_fte_pct", "DfE workforce census: at 30 September."),
    "sw_avg_caseload": Comparable("sw_avg_caseload_fte", "DfE workforce census: at 30 September."),
}


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    return pd.read_csv(BENCHMARKS_FILE)


def published(indicator_id: str) -> pd.DataFrame:
    """Every published year for one indicator: year, period, england, south_west, authority, neighbours, note.

    Empty when no comparable measure is published.
    """
    comparable = COMPARABLE.get(indicator_id)
    columns = ["year", "period", "england", "region", "authority", "neighbours", "note"]
    if comparable is None:
        return pd.DataFrame(columns=columns)
    rows = _table()[_table()["indicator"] == comparable.measure]
    return pd.DataFrame({
        "year": rows["year"].astype(int), "period": rows["period"], "england": rows["england"],
        "region": rows["south_west"], "authority": rows["torbay"], "neighbours": rows["torbay_sn2025_mean"],
        "note": comparable.note}).sort_values("year").reset_index(drop=True)


def latest_before(indicator_id: str, day: dt.date) -> pd.Series | None:
    """The latest published year whose reference date (31 March, or 30 September) is on or before `day`."""
    years = published(indicator_id)
    if years.empty:
        return None
    def reference_date(row) -> dt.date:
        month, dom = (9, 30) if "September" in row["period"] else (3, 31)
        return dt.date(int(row["year"]), month, dom)
    eligible = years[[reference_date(r) <= day for _, r in years.iterrows()]]
    return eligible.iloc[-1] if len(eligible) else None
