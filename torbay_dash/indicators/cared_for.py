"""Cared-for children (children looked after) indicators."""
from . import ALLOCATED_TEAM, COUNT, Indicator

SHORT_BREAKS_NOTE = ("Children on short breaks (legal status V3 or V4 open at the date) are never "
                     "counted as looked after.")

INDICATORS = [
    Indicator(
        id="cla_count",
        title="Children looked after",
        area="cared_for", unit=COUNT, direction=None, kind="stock",
        tables=("ssd_cla_episodes", "ssd_legal_status"),
        definition="Distinct children with a CLA episode open at the period end (start on or before "
                   "it, and no end or an end after it; an episode ending on the date is not open). "
                   + SHORT_BREAKS_NOTE,
        team_rule="The child's allocated team at the period end (open ALLOCATED_SW involvement).",
        team_source=ALLOCATED_TEAM,
        source="SSDA903",
        uses=("cla_at_period_end",),
        numerator_label="children looked after",
    ),
]
