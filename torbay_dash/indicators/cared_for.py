"""Cared-for children (children looked after) indicators."""
from . import ALLOCATED_TEAM, ALLOCATED_TEAM_RULE, COUNT, Indicator

SHORT_BREAKS_NOTE = ("Children on short breaks (legal status V3 or V4 open at the date) are never "
                     "counted as looked after; where a child has more than one legal status open at the "
                     "date (a recording error), the latest-starting one decides.")

INDICATORS = [
    Indicator(
        id="cla_count",
        title="Children looked after",
        area="cared_for", unit=COUNT, direction=None, kind="stock",
        tables=("ssd_cla_episodes", "ssd_legal_status"),
        definition="Distinct children with a CLA episode open at the period end (start on or before "
                   "it, and no end or an end after it; an episode ending on the date is not open). "
                   + SHORT_BREAKS_NOTE,
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="SSDA903",
        uses=("cla_at_period_end",),
        numerator_label="children looked after",
    ),
]
