"""Altair chart builders: tidy frame in, chart out. No Streamlit here."""
from __future__ import annotations

import altair as alt
import pandas as pd

from .indicators import PERCENT, Indicator
from .settings import Target


def _axis_title(indicator: Indicator) -> str:
    return f"{indicator.title} ({indicator.unit_label})"


def series_chart(frame: pd.DataFrame, indicator: Indicator, target: Target | None = None) -> alt.Chart:
    """A monthly series (one row per month) as a line with points, the target as a dashed rule with its label.

    Points carry a tooltip with the period, value and n, so nothing depends on colour alone.
    """
    data = frame.assign(month=pd.to_datetime(frame["from"]), n=frame["denominator"].fillna(frame["numerator"]))
    y = alt.Y("value:Q", title=_axis_title(indicator),
              scale=alt.Scale(domain=[0, 100]) if indicator.unit == PERCENT else alt.Undefined)
    tooltip = [alt.Tooltip("from:T", title="from"), alt.Tooltip("to:T", title="to"),
               alt.Tooltip("value:Q", format=",.1f"), alt.Tooltip("numerator:Q", format=",.0f"),
               alt.Tooltip("denominator:Q", format=",.0f")]
    line = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(filled=True, size=50)).encode(
        x=alt.X("yearmonth(month):T", title="month", axis=alt.Axis(format="%b %Y")), y=y, tooltip=tooltip)
    layers = [line]
    if target is not None:
        rule = pd.DataFrame({"target": [target.value], "label": [f"target {target.value:g}"]})
        layers.append(alt.Chart(rule).mark_rule(strokeDash=[6, 4], color="#555").encode(y="target:Q"))
        layers.append(alt.Chart(rule).mark_text(align="left", dx=4, dy=-6, color="#333").encode(
            y="target:Q", x=alt.value(0), text="label:N"))
    return alt.layer(*layers).properties(height=260)


def team_bar_chart(frame: pd.DataFrame, indicator: Indicator) -> alt.Chart:
    """Value per team with n printed beside each bar, so a small team's figure is read as small."""
    data = frame.assign(n=frame["denominator"].fillna(frame["numerator"]),
                        label=lambda f: f["n"].map(lambda n: f"n = {n:,.0f}"))
    base = alt.Chart(data).encode(y=alt.Y("team_name:N", sort="-x", title=None))
    bars = base.mark_bar().encode(x=alt.X("value:Q", title=_axis_title(indicator)),
                                  tooltip=["team_name", alt.Tooltip("value:Q", format=",.1f"), "numerator", "denominator"])
    text = base.mark_text(align="left", dx=4).encode(x="value:Q", text="label:N")
    return (bars + text).properties(height=max(120, 28 * len(data)))
