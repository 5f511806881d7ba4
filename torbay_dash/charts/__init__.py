"""Altair chart builders: tidy frame in, chart out. No Streamlit here.

Modules: `style` (palette, words, the accessible finish), `over_time`, `side_by_side`, `stacked`.

Every builder returns a chart that is accessible on its own (WCAG 2.2 AA):

- a top-level ``description`` (one plain sentence: what is shown, over what, the latest or
  key figures, rounded as displayed). Vega puts it on the chart's container as its
  ``aria-label`` (role ``graphics-document``), so it replaces the default "Vega
  visualization". Each builder takes an optional ``description=`` keyword to override it;
- every data mark carries its own screen-reader label (the Vega-Lite ``description``
  channel, built here from rounded numbers: 1 decimal for values, whole counts, months as
  "Mar 2021"); lines joining labelled points, and text that repeats a label, are
  ``aria=False`` so they are not read twice;
- chart text (axis, legend, title and mark text) in ``TEXT_COLOUR`` (15.9:1 on white), and
  every series colour from ``PALETTE``, each at least 4.5:1 on white (so white text inside
  a bar segment is also 4.5:1);
- colour is never the only signal: each stacked segment is named in words beside its bar
  (in its colour, in stack order, instead of a legend), series differ by shape, dash or
  outline as well, and pairs of bars are filled and outlined.

The config is set on the returned chart, so a chart cannot be layered or concatenated
again by a caller (Altair refuses sub-charts with a config); ``.properties(...)`` still works.
"""

from .over_time import lines_chart, sparkline, spc_chart, trend_chart
from .side_by_side import (caseload_chart, interval_chart, neighbours_chart, team_lists_chart, teams_chart,
                           triangulation_chart)
from .stacked import (AUDIT_TYPE_WORDS, audit_volume_chart, cp_length_chart, flow_chart, grow_chart,
                      placement_mix_chart, population_chart)
from .style import PALETTE, TEXT_COLOUR

__all__ = ["AUDIT_TYPE_WORDS", "PALETTE", "TEXT_COLOUR", "audit_volume_chart", "caseload_chart", "cp_length_chart",
           "flow_chart", "grow_chart", "interval_chart", "lines_chart", "neighbours_chart", "placement_mix_chart",
           "population_chart", "sparkline", "spc_chart", "team_lists_chart", "teams_chart", "trend_chart",
           "triangulation_chart"]
