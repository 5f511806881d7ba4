"""Charts over time: an indicator's trend with its rolling year and references, lines of several series,
the overview's sparklines and the SPC chart."""
from __future__ import annotations


import altair as alt
import pandas as pd

from ..indicators import PERCENT, Indicator
from ..spc import POINT_TYPE_WORDS, SpcResult
from .style import (BLUE, NAVY, ORANGE, PURPLE, RULE_COLOUR, _accessible, _axis_title, _decimals, _long_month, _month,
                   _number, _palette, _point_words, _rounded_words, _sentence, _span, _value, _x_words)

REFERENCE_DASH = {"target": [6, 4], "England": [2, 2], "statistical neighbours": [8, 3, 2, 3]}


def trend_chart(monthly: pd.DataFrame, indicator: Indicator, rolling: pd.DataFrame | None = None,
                references: pd.DataFrame | None = None, *, description: str | None = None,
                title: str | None = None) -> alt.LayerChart:
    """Monthly values as points, the rolling 12 months as a line, and dashed reference lines.

    `references` has columns label ('target', 'England', ...), value and text (what the
    line's label says, e.g. 'England 2020-21: 83.0'). Each series differs by mark and
    dash as well as colour, and every line is labelled in words.
    """
    layers = []
    # percentages are not forced to start at 0: a change of a few points must be visible
    y_scale = alt.Scale(zero=False, nice=True) if indicator.unit == PERCENT else alt.Scale(zero=True)
    y = alt.Y("value:Q", title=indicator.unit_label, scale=y_scale)
    x = alt.X("yearmonth(month):T", title="month", axis=alt.Axis(format="%b %Y"))
    tooltip = [alt.Tooltip("series:N"), alt.Tooltip("from:T"), alt.Tooltip("to:T"),
               alt.Tooltip("value:Q", format=",.1f"), alt.Tooltip("numerator:Q", format=",.0f"),
               alt.Tooltip("denominator:Q", format=",.0f")]
    month_data = monthly.assign(month=pd.to_datetime(monthly["to"]).dt.to_period("M").dt.to_timestamp(),
                                series="month by month")
    month_data["aria"] = [_point_words(indicator, m, v, k, d, prefix="single month, ") for m, v, k, d in
                          zip(month_data["month"], month_data["value"], month_data["numerator"],
                              month_data["denominator"])]
    points = alt.Chart(month_data).encode(x=x, y=y)
    layers.append(points.mark_line(strokeWidth=1, color=BLUE, aria=False))
    layers.append(points.mark_point(filled=True, size=45, color=BLUE, opacity=1).encode(
        tooltip=tooltip, description=alt.Description("aria:N")))
    known = month_data.dropna(subset=["value"])
    parts = [f"Chart of {_axis_title(indicator)} by month, {_span(month_data['month'])}: single months as points"
             + (", the rolling 12 months as a thick line" if rolling is not None and not rolling.empty else "")]
    if len(known):
        parts.append(f"latest month {_value(indicator, known['value'].iloc[-1])} "
                     f"({_long_month(known['month'].iloc[-1])})")
    if rolling is not None and not rolling.empty:
        roll_data = rolling.assign(month=pd.to_datetime(rolling["to"]).dt.to_period("M").dt.to_timestamp(),
                                   series="rolling 12 months")
        roll_known = roll_data.dropna(subset=["value"])
        roll_words = (f"rolling 12 months, {_span(roll_data['month'])}, latest "
                      f"{_value(indicator, roll_known['value'].iloc[-1])}" if len(roll_known)
                      else "rolling 12 months, no values")
        layers.append(alt.Chart(roll_data).mark_line(strokeWidth=3, color=NAVY, description=roll_words).encode(
            x=x, y=y, tooltip=tooltip))
        last = roll_data.tail(1).assign(text="rolling 12 months")
        layers.append(alt.Chart(last).mark_text(align="left", dx=6, color=NAVY, aria=False).encode(
            x=x, y=y, text="text:N"))
        parts.append(roll_words.replace("rolling 12 months, " + _span(roll_data["month"]) + ", ", "rolling 12 months "))
    if references is not None and not references.empty:
        labels = [label for label in REFERENCE_DASH if label in set(references["label"])]
        refs = references.assign(line=references["text"], aria=references["text"].map(_rounded_words))
        layers.append(alt.Chart(refs).mark_rule(color=RULE_COLOUR, strokeWidth=1.5).encode(
            y="value:Q",
            strokeDash=alt.StrokeDash("line:N", title=None,
                                      legend=alt.Legend(orient="top", symbolStrokeWidth=2, labelLimit=0,
                                                        direction="horizontal"),
                                      scale=alt.Scale(domain=[refs.loc[refs["label"] == lab, "line"].iloc[0]
                                                              for lab in labels],
                                                      range=[REFERENCE_DASH[lab] for lab in labels])),
            description=alt.Description("aria:N"),
            tooltip=[alt.Tooltip("line:N", title="reference")]))
        parts.append("dashed reference lines: " + ", ".join(refs["aria"]))
    return _accessible(alt.layer(*layers).properties(height=320), description, _sentence(*parts), title)


def lines_chart(long: pd.DataFrame, y_title: str, order: list[str], *, description: str | None = None,
                title: str | None = None) -> alt.LayerChart:
    """Several monthly series (columns month, series, value): each line has its own dash and point shape."""
    dashes = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4]]
    data = long.assign(month=pd.to_datetime(long["month"]))
    decimals = _decimals(data["value"])
    series = list(order) + [s for s in dict.fromkeys(data["series"]) if s not in order]
    data["aria"] = [f"{s}, {_month(m)}: {_number(v, decimals)}" for s, m, v in
                    zip(data["series"], data["month"], data["value"])]
    summary = {}
    for name in series:
        part = data[data["series"] == name].dropna(subset=["value"]).sort_values("month")
        summary[name] = (f"{name}: latest {_number(part['value'].iloc[-1], decimals)} "
                         f"({_month(part['month'].iloc[-1])})" if len(part) else f"{name}: no values")
    data["line_aria"] = data["series"].map(lambda s: f"line of {summary.get(s, s)}")
    colour = alt.Color("series:N", sort=series, scale=alt.Scale(domain=series, range=_palette(len(series))),
                       legend=alt.Legend(orient="top", title=None, labelLimit=0))
    dash = alt.StrokeDash("series:N", sort=series, legend=None,
                          scale=alt.Scale(domain=series, range=[dashes[i % len(dashes)] for i in range(len(series))]))
    base = alt.Chart(data).encode(
        x=alt.X("yearmonth(month):T", title="month", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("value:Q", title=y_title), color=colour)
    lines = base.mark_line().encode(strokeDash=dash, description=alt.Description("line_aria:N"))
    points = base.mark_point(filled=True, size=45, opacity=1).encode(
        shape=alt.Shape("series:N", sort=series, legend=alt.Legend(orient="top", title=None, labelLimit=0)),
        description=alt.Description("aria:N"),
        tooltip=[alt.Tooltip("series:N"), alt.Tooltip("yearmonth(month):T", title="month"),
                 alt.Tooltip("value:Q", format=",.1f")])
    default = _sentence(f"Line chart of {y_title} by month, {_span(data['month'])}, one line per series "
                        "(each with its own colour, dash and point shape)", "; ".join(summary.values()))
    return _accessible(alt.layer(lines, points).properties(height=300), description, default, title)


def sparkline(series: pd.DataFrame, unit: str, *, title: str | None = None,
              description: str | None = None) -> alt.LayerChart:
    """A small line of the monthly series with its last point marked: the shape of the trend, not the detail.

    Its marks are hidden from screen readers; the description says what the shape shows
    (first and latest values, lowest and highest). Pass the indicator's `title` so it is named.
    """
    data = series.assign(month=pd.to_datetime(series["to"]), value=series["value"].astype("float64")).dropna(
        subset=["value"])
    base = alt.Chart(data).encode(
        x=alt.X("month:T", axis=None),
        y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("month:T", title="to", format="%b %Y"), alt.Tooltip("value:Q", format=",.1f", title=unit)])
    line = base.mark_line(color=BLUE, strokeWidth=1.5, aria=False)
    last = base.transform_window(rank="rank()", sort=[alt.SortField("month", order="descending")]).transform_filter(
        "datum.rank == 1").mark_point(filled=True, size=40, color=NAVY, opacity=1, aria=False)
    name = f"{title} ({unit})" if title else f"the monthly values ({unit})"
    if len(data):
        ordered = data.sort_values("month")
        decimals = 0 if unit == "count" and _decimals(ordered["value"]) == 0 else 1
        first, latest = ordered.iloc[0], ordered.iloc[-1]
        default = _sentence(
            f"Small line chart of {name}, {_span(ordered['month'])}",
            f"from {_number(first['value'], decimals)} in {_month(first['month'])} to "
            f"{_number(latest['value'], decimals)} in {_month(latest['month'])}",
            f"lowest {_number(ordered['value'].min(), decimals)}, highest {_number(ordered['value'].max(), decimals)}")
    else:
        default = _sentence(f"Small line chart of {name}: no values")
    return _accessible(alt.layer(line, last).properties(height=48), description, default)


SPC_POINT_STYLE = {  # shape and colour both carry the meaning, so neither is the only signal
    "common cause": ("circle", "#767676"),                        # grey, 4.5:1 on white
    "special cause: improvement": ("triangle-up", BLUE),
    "special cause: concern": ("diamond", ORANGE),
    "special cause: neither better nor worse": ("square", PURPLE),
}


SPC_LINE_COLOUR = "#7a8aa0"     # the series line joining the points: 3.5:1


SPC_TARGET_COLOUR = "#2a7f62"   # 4.9:1


def _spc_rule_words(result: SpcResult) -> dict[str, str]:
    return {"outside_limits": "beyond a process limit",
            "trend": f"{result.trend_points} or more rising (or falling) in a row",
            "two_in_three": "2 of 3 near a process limit, on one side",
            "shift": f"{result.shift_points} or more in a row on one side of the mean"}


def spc_chart(result: SpcResult, title: str, unit_label: str, target: float | None = None, *,
              description: str | None = None) -> alt.LayerChart:
    """An XmR chart: the series, its mean (solid) and process limits (dashed) per segment, and the target.

    Special-cause points differ by shape as well as colour and are named in the legend;
    each point's tooltip says why it was flagged. Lines break at a rebase and at a missing
    month. Without enough points for limits, the subtitle says so instead of drawing them.
    `target` defaults to the one the result was judged against.
    """
    target = result.target if target is None else target
    data = result.points.copy()
    if isinstance(data["x"].dtype, pd.PeriodDtype):
        data["x"] = data["x"].dt.to_timestamp()
    temporal = pd.api.types.is_datetime64_any_dtype(data["x"])
    x_type = "T" if temporal else ("Q" if pd.api.types.is_numeric_dtype(data["x"]) else "O")
    x_title = "month" if temporal else None
    x_axis = alt.Axis(format="%b %Y") if temporal else alt.Undefined
    x = alt.X(f"x:{x_type}", title=x_title, axis=x_axis)
    y_scale = alt.Scale(zero=False, nice=True)
    unit = unit_label if unit_label.strip() == "%" else f" {unit_label}"
    data["point"] = data["point_type"].map(POINT_TYPE_WORDS)
    data["reason"] = data["rule"].map(_spc_rule_words(result)).fillna("none: within normal variation")
    # a new piece of line at each segment and after each missing month
    data["piece"] = data["segment"].astype(str) + "-" + data["y"].isna().cumsum().astype(str)
    data["aria"] = [f"{_x_words(v)}: {_number(y)}{unit}, {p}" + ("" if r.startswith("none") else f" ({r})")
                    for v, y, p, r in zip(data["x"], data["y"], data["point"], data["reason"])]
    observed = data[data["y"].notna()]

    tooltip = [alt.Tooltip(f"x:{x_type}", title=x_title or "point", **({"format": "%b %Y"} if temporal else {})),
               alt.Tooltip("y:Q", title="value", format=",.1f"), alt.Tooltip("point:N", title="point type"),
               alt.Tooltip("reason:N", title="rule")]
    series = alt.Chart(observed).mark_line(color=SPC_LINE_COLOUR, strokeWidth=1.5, aria=False).encode(
        x=x, y=alt.Y("y:Q", title=unit_label, scale=y_scale), detail=alt.Detail("piece:N"))

    lines = data.melt(id_vars=["x", "segment"], value_vars=["mean", "upl", "lpl"], var_name="which",
                      value_name="level").dropna(subset=["level"])
    lines["line"] = lines["which"].map({"mean": "mean", "upl": "process limits", "lpl": "process limits"})
    lines["label"] = lines["which"].map({"mean": "mean", "upl": "upper process limit", "lpl": "lower process limit"})
    lines["aria"] = [f"{lab} {_number(v)}{unit}" + (f", segment {s}" if data["segment"].nunique() > 1 else "")
                     for lab, v, s in zip(lines["label"], lines["level"], lines["segment"])]
    line_order = ["mean", "process limits"]
    levels = alt.Chart(lines).mark_line(color=RULE_COLOUR, strokeWidth=1.2).encode(
        x=x, y=alt.Y("level:Q", scale=y_scale),
        detail=[alt.Detail("segment:N"), alt.Detail("which:N")],
        strokeDash=alt.StrokeDash("line:N", title=None, sort=line_order,
                                  scale=alt.Scale(domain=line_order, range=[[1, 0], [6, 4]]),
                                  legend=alt.Legend(orient="top", symbolStrokeWidth=2)),
        description=alt.Description("aria:N"),
        tooltip=[alt.Tooltip("label:N", title="line"), alt.Tooltip("level:Q", title="value", format=",.2f")])
    layers = [levels, series]

    if target is not None:
        rule = pd.DataFrame({"target": [target], "label": [f"target {target:g}"]})
        layers.append(alt.Chart(rule).mark_rule(strokeDash=[2, 2], color=SPC_TARGET_COLOUR, strokeWidth=1.5,
                                                description=f"target {target:g}").encode(
            y=alt.Y("target:Q", scale=y_scale), tooltip=[alt.Tooltip("label:N", title="target")]))
        layers.append(alt.Chart(rule).mark_text(align="left", dx=4, dy=-6, color=SPC_TARGET_COLOUR, aria=False).encode(
            y="target:Q", x=alt.value(0), text="label:N"))

    kinds = (["common cause", "special cause: neither better nor worse"] if result.improvement == "neutral"
             else ["common cause", "special cause: improvement", "special cause: concern"])
    legend = alt.Legend(orient="top", title=None, labelLimit=0)
    layers.append(alt.Chart(observed).mark_point(filled=True, size=70, opacity=1).encode(
        x=x, y="y:Q",
        shape=alt.Shape("point:N", sort=kinds, legend=legend,
                        scale=alt.Scale(domain=kinds, range=[SPC_POINT_STYLE[k][0] for k in kinds])),
        color=alt.Color("point:N", sort=kinds, legend=legend,
                        scale=alt.Scale(domain=kinds, range=[SPC_POINT_STYLE[k][1] for k in kinds])),
        description=alt.Description("aria:N"),
        tooltip=tooltip))

    heading = alt.TitleParams(title, subtitle=[] if result.limits_shown else [result.variation_text], anchor="start")
    span = _span(observed["x"]) if temporal else f"{len(observed)} points"
    parts = [f"SPC (XmR) chart of {title} ({unit_label}), {span}"]
    if len(observed):
        parts.append(f"latest {_number(observed['y'].iloc[-1])}{unit} ({_x_words(observed['x'].iloc[-1])})")
    latest = data[data["segment"] == data["segment"].max()]
    mean = latest["mean"].dropna()
    if len(mean):
        parts.append(f"mean {_number(mean.iloc[-1])}{unit}")
    upl, lpl = latest["upl"].dropna(), latest["lpl"].dropna()
    if len(upl) and len(lpl):
        parts.append(f"process limits {_number(lpl.iloc[-1])} to {_number(upl.iloc[-1])}")
    special = int(observed["special_cause"].fillna(False).astype(bool).sum()) if "special_cause" in observed else 0
    parts.append(f"{special} special-cause point{'s' if special != 1 else ''}")
    if target is not None:
        parts.append(f"target {target:g}")
    words = result.variation_text.rstrip(".")
    parts.append(words[:1].lower() + words[1:])
    return _accessible(alt.layer(*layers).properties(title=heading, height=300), description, _sentence(*parts))
