"""A team's indicators beside its service and the authority: the table a Practice Week visit starts from.

Each figure is a `headlines.Headline` for the team's scope, so the value, period and n are the Overview's
own. Small teams give small n: shares carry a 95% Wilson interval, a difference from the authority is
claimed only when the intervals are apart, and SPC is read only where the team's months carry enough
events (MIN_MONTHLY_N) for a month-to-month signal to mean something. No Streamlit here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from . import narrative
from .headlines import Headline, headlines
from .indicators import PERCENT, REGISTRY
from .report import FTE_BASED
from .settings import LocalAuthority
from .stats import compare_to_rest, wilson_interval

# The indicators a team is read by, in the order a visitor reads them; the area pages hold the rest.
TEAM_INDICATORS = [
    "assessments_45wd_pct", "cp_visits_in_timescale_pct", "cp_reviews_on_time_pct", "cp_plans_2yrs_plus_pct",
    "cla_count", "cla_visits_in_timescale_pct", "cla_reviews_on_time_pct", "cla_3plus_placements_pct",
    "cla_3plus_social_workers_pct", "cla_health_assessment_pct", "care_leavers_in_touch_pct",
    "sw_fte", "sw_agency_rate_pct", "sw_vacancy_rate_pct", "sw_avg_caseload", "sw_supervision_in_timescale_pct",
    "audits_completed", "audits_good_or_better_pct", "audit_actions_on_time_pct",
]
# SPC on a team's months is read only when the median month has at least this many events or children:
# below it one child moves the figure by more than the limits can tell from noise.
MIN_MONTHLY_N = 10
COLUMNS = ["id", "indicator", "period", "team", "team_n", "team_interval", "service", "authority",
           "against_authority", "spc", "team_value", "service_value", "authority_value", "unavailable"]


def ids_for(registry=REGISTRY) -> list[str]:
    return [i for i in TEAM_INDICATORS if i in registry]


def monthly_n(h: Headline) -> float | None:
    """The median number each month of the team's series rests on (denominators, or counts for counts)."""
    if h.series is None or h.series.empty:
        return None
    column = "denominator" if h.indicator.unit == PERCENT or h.series["denominator"].notna().any() else "numerator"
    values = pd.to_numeric(h.series[column], errors="coerce").dropna()
    return float(values.median()) if len(values) else None


def interval(h: Headline) -> tuple[float, float] | None:
    """95% Wilson interval of a share of children or events, in percent; None for other units, shares of FTE
    (not counts of independent trials) or no n."""
    if h.indicator.unit != PERCENT or h.id in FTE_BASED or h.numerator is None or not h.denominator:
        return None
    low_high = wilson_interval(int(round(h.numerator)), int(round(h.denominator)))
    return None if low_high is None else (100 * low_high[0], 100 * low_high[1])


def spc_applies(h: Headline) -> bool:
    """Whether the scope's months carry enough for SPC to tell a signal from one child's difference."""
    n = monthly_n(h)
    return not h.unavailable and n is not None and n >= MIN_MONTHLY_N


def without_spc(h: Headline) -> Headline:
    """The headline with its SPC reading dropped where the months are too small to read (see spc_applies)."""
    return h if spc_applies(h) else replace(h, spc=None, variation=None, assurance=None)


def spc_reading(h: Headline) -> str:
    """The SPC reading in words, or why it is not read for this team."""
    if h.unavailable:
        return "unavailable"
    if not spc_applies(h):
        n = monthly_n(h)
        return f"not read: too few each month (median {0 if n is None else n:g}, fewer than {MIN_MONTHLY_N})"
    return narrative.variation_words(h.variation)


def against(team: Headline, authority: Headline) -> str:
    """'higher', 'lower' or 'no clear difference' than the authority (shares: intervals apart), in words."""
    if team.value is None or authority.value is None:
        return ""
    mine, theirs = interval(team), interval(authority)
    if mine is None or theirs is None:
        return ""  # counts, means and shares of FTE: no interval to tell a difference from noise
    side = compare_to_rest(mine, theirs)
    if side == "no clear difference" or team.indicator.direction is None:
        return side
    better = (side == "higher") == (team.indicator.direction == "higher")
    return f"{side} ({'better' if better else 'worse'})"


def _shown(h: Headline) -> str:
    """The value as the dashboard writes it; 'none in the period' where a share has nothing to count."""
    if h.unavailable:
        return "unavailable"
    if h.value is None and h.indicator.unit == PERCENT and not h.denominator:
        return "none in the period"
    return narrative.format_value(h.indicator, h.value)


def compare(db, settings: LocalAuthority, as_at: dt.date, team_ids: tuple[str, ...], service_ids: tuple[str, ...],
            ids: list[str] | None = None) -> pd.DataFrame:
    """One row per indicator: the scope's (a team's, or a service's) value with n and interval, its service's
    and the authority's, the reading against the authority, and SPC where the team's monthly n allows."""
    ids = ids or ids_for()
    mine = headlines(db, settings, ids, as_at, team_ids)
    service = headlines(db, settings, ids, as_at, service_ids)
    everyone = headlines(db, settings, ids, as_at, None)
    rows = []
    for indicator_id in ids:
        h, s, a = mine[indicator_id], service[indicator_id], everyone[indicator_id]
        low_high = interval(h)
        rows.append({
            "id": indicator_id, "indicator": h.indicator.title,
            "period": narrative.period_words(h.basis, h.period),
            "team": _shown(h),
            "team_n": None if h.denominator is None else int(round(h.denominator)),
            # counts, means and shares of FTE have no interval here: said, not left blank ('not recorded')
            "team_interval": "no interval" if low_high is None else f"{low_high[0]:.0f}% to {low_high[1]:.0f}%",
            "service": _shown(s), "authority": _shown(a),
            "against_authority": against(h, a), "spc": spc_reading(h),
            "team_value": h.value, "service_value": s.value, "authority_value": a.value,
            "unavailable": h.unavailable})
    return pd.DataFrame(rows, columns=COLUMNS)
