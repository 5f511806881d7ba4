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
                                  tooltip=[alt.Tooltip("team_name:N", title="team"), alt.Tooltip("value:Q", format=",.1f"),
                                           alt.Tooltip("numerator:Q", format=",.0f"),
                                           alt.Tooltip("denominator:Q", format=",.0f")])
    text = base.mark_text(align="left", dx=4).encode(x="value:Q", text="label:N")
    return (bars + text).properties(height=max(120, 28 * len(data)))


REFERENCE_DASH = {"target": [6, 4], "England": [2, 2], "statistical neighbours": [8, 3, 2, 3]}


def trend_chart(monthly: pd.DataFrame, indicator: Indicator, rolling: pd.DataFrame | None = None,
                references: pd.DataFrame | None = None) -> alt.LayerChart:
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
    points = alt.Chart(month_data).mark_line(point=alt.OverlayMarkDef(filled=True, size=45), strokeWidth=1,
                                             opacity=0.7).encode(x=x, y=y, tooltip=tooltip,
                                                                 color=alt.value("#1f5fa6"))
    layers.append(points)
    if rolling is not None and not rolling.empty:
        roll_data = rolling.assign(month=pd.to_datetime(rolling["to"]).dt.to_period("M").dt.to_timestamp(),
                                   series="rolling 12 months")
        layers.append(alt.Chart(roll_data).mark_line(strokeWidth=3, color="#0b2e59").encode(
            x=x, y=y, tooltip=tooltip))
        last = roll_data.tail(1).assign(text="rolling 12 months")
        layers.append(alt.Chart(last).mark_text(align="left", dx=6, color="#0b2e59").encode(
            x=x, y=y, text="text:N"))
    if references is not None and not references.empty:
        labels = [label for label in REFERENCE_DASH if label in set(references["label"])]
        refs = references.assign(line=references["text"])
        layers.append(alt.Chart(refs).mark_rule(color="#444", strokeWidth=1.5).encode(
            y="value:Q",
            strokeDash=alt.StrokeDash("line:N", title=None, legend=alt.Legend(orient="top", symbolStrokeWidth=2, labelLimit=0,
                                                                       direction="horizontal"),
                                      scale=alt.Scale(domain=[refs.loc[refs["label"] == lab, "line"].iloc[0]
                                                              for lab in labels],
                                                      range=[REFERENCE_DASH[lab] for lab in labels])),
            tooltip=[alt.Tooltip("line:N", title="reference")]))
    return alt.layer(*layers).properties(height=320)


def teams_chart(frame: pd.DataFrame, indicator: Indicator, selection_name: str = "team_pick") -> alt.Chart:
    """Value per team, n beside each bar; clicking a bar selects that team (read as event['selection'])."""
    pick = alt.selection_point(fields=["team"], name=selection_name)
    data = frame.assign(n=frame["denominator"].fillna(frame["numerator"]),
                        label=lambda f: f["n"].map(lambda n: f"n = {n:,.0f}"))
    base = alt.Chart(data).encode(y=alt.Y("team_name:N", sort="-x", title=None,
                                          axis=alt.Axis(labelLimit=260, labelOverlap=False)))
    room = float(data["value"].max() or 0) * 1.2 or 1.0  # space for the n labels
    bars = base.mark_bar().encode(
        x=alt.X("value:Q", title=_axis_title(indicator), scale=alt.Scale(domain=[0, room], nice=False)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        tooltip=[alt.Tooltip("team_name:N", title="team"), alt.Tooltip("value:Q", format=",.1f"),
                 alt.Tooltip("numerator:Q", format=",.0f"), alt.Tooltip("denominator:Q", format=",.0f")],
    ).add_params(pick)
    text = base.mark_text(align="left", dx=4).encode(x="value:Q", text="label:N")
    return (bars + text).properties(height=max(140, 40 * len(data)))


def flow_chart(flow: pd.DataFrame) -> alt.Chart:
    """Each stage's volume this period beside the same period a year before, labelled with the numbers."""
    long = flow.melt(id_vars=["step", "stage"], value_vars=["this_period", "year_before"],
                     var_name="period", value_name="n")
    long["period"] = long["period"].map({"this_period": "this period", "year_before": "a year before"})
    base = alt.Chart(long).encode(
        y=alt.Y("stage:N", sort=flow.sort_values("step")["stage"].tolist(), title=None),
        yOffset=alt.YOffset("period:N", sort=["this period", "a year before"]))
    bars = base.mark_bar().encode(
        x=alt.X("n:Q", title="number in the period"),
        color=alt.Color("period:N", sort=["this period", "a year before"],
                        scale=alt.Scale(range=["#1f5fa6", "#b9c9de"]), legend=alt.Legend(orient="top", title=None)),
        tooltip=["stage", "period", alt.Tooltip("n:Q", format=",")])
    text = base.mark_text(align="left", dx=3).encode(x="n:Q", text=alt.Text("n:Q", format=","))
    return (bars + text).properties(height=360)


def cp_length_chart(summary: pd.DataFrame) -> alt.Chart:
    """Children on plans by length of plan, stacked by category, with the total printed on each bar."""
    order = ["under 3 months", "3 to 6 months", "6 to 12 months", "1 to 2 years", "2 years or more"]
    bars = alt.Chart(summary).mark_bar().encode(
        x=alt.X("length_band:N", sort=order, title="time on the plan", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(children):Q", title="children"),
        color=alt.Color("category:N", title="category"),
        tooltip=[alt.Tooltip("length_band:N", title="time on the plan"), alt.Tooltip("category:N"),
                 alt.Tooltip("children:Q")])
    totals = alt.Chart(summary).mark_text(dy=-6).encode(
        x=alt.X("length_band:N", sort=order), y="sum(children):Q", text="sum(children):Q")
    return (bars + totals).properties(height=260)


def population_chart(in_care: pd.DataFrame, starts: pd.DataFrame, ended: pd.DataFrame) -> alt.VConcatChart:
    """Children in care at each month end above the starts and endings that moved it."""
    month = alt.X("yearmonth(month):T", title="month", axis=alt.Axis(format="%b %Y"))
    stock = in_care.assign(month=pd.to_datetime(in_care["from"]))
    line = alt.Chart(stock).mark_line(point=alt.OverlayMarkDef(filled=True, size=40), color="#0b2e59").encode(
        x=month, y=alt.Y("value:Q", title="children in care at the month end", scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("to:T", title="month end"), alt.Tooltip("value:Q", title="children in care")])
    flows = pd.concat([starts.assign(movement="came into care"), ended.assign(movement="left care")])
    flows = flows.assign(month=pd.to_datetime(flows["from"]))
    bars = alt.Chart(flows).mark_bar().encode(
        x=month, xOffset=alt.XOffset("movement:N"),
        y=alt.Y("value:Q", title="periods of care"),
        color=alt.Color("movement:N", scale=alt.Scale(domain=["came into care", "left care"],
                                                      range=["#c1502e", "#1f5fa6"]),
                        legend=alt.Legend(orient="top", title=None)),
        tooltip=[alt.Tooltip("movement:N"), alt.Tooltip("from:T", title="month"), alt.Tooltip("value:Q")])
    return alt.vconcat(line.properties(height=220), bars.properties(height=180)).resolve_scale(x="shared")


def placement_mix_chart(mix: pd.DataFrame) -> alt.Chart:
    """Children in care at each month end, stacked by kind of placement (hover for the numbers)."""
    data = mix.assign(month=pd.to_datetime(mix["period_to"]).dt.to_period("M").dt.to_timestamp())
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("yearmonth(month):T", title="month end", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("children:Q", title="children in care", stack="zero"),
        color=alt.Color("placement:N", title="placement", legend=alt.Legend(orient="right", labelLimit=0)),
        order=alt.Order("placement:N"),
        tooltip=[alt.Tooltip("period_to:T", title="month end"), alt.Tooltip("placement:N"),
                 alt.Tooltip("children:Q")]).properties(height=320)


def lines_chart(long: pd.DataFrame, y_title: str, order: list[str]) -> alt.Chart:
    """Several monthly series (columns month, series, value): each line has its own dash and point shape."""
    dashes = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4]]
    data = long.assign(month=pd.to_datetime(long["month"]))
    return alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("yearmonth(month):T", title="month", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("value:Q", title=y_title),
        color=alt.Color("series:N", sort=order, legend=alt.Legend(orient="top", title=None, labelLimit=0)),
        strokeDash=alt.StrokeDash("series:N", sort=order, legend=None,
                                  scale=alt.Scale(domain=order, range=dashes[:len(order)])),
        shape=alt.Shape("series:N", sort=order, legend=None),
        tooltip=[alt.Tooltip("series:N"), alt.Tooltip("yearmonth(month):T", title="month"),
                 alt.Tooltip("value:Q", format=",.1f")]).properties(height=300)


def caseload_chart(workers: pd.DataFrame, threshold: float) -> alt.LayerChart:
    """Cases per FTE for every worker, one row of points per team, with the local threshold marked."""
    points = alt.Chart(workers).mark_point(filled=True, size=60, opacity=0.75).encode(
        x=alt.X("cases_per_fte:Q", title="open cases per FTE"),
        y=alt.Y("team_name:N", title=None, axis=alt.Axis(labelLimit=260)),
        shape=alt.Shape("above:N", title=None, scale=alt.Scale(domain=["within threshold", "above threshold"],
                                                              range=["circle", "triangle-up"]),
                        legend=alt.Legend(orient="top")),
        color=alt.Color("above:N", legend=None, scale=alt.Scale(domain=["within threshold", "above threshold"],
                                                                range=["#1f5fa6", "#c1502e"])),
        tooltip=[alt.Tooltip("worker:N"), alt.Tooltip("team_name:N", title="team"), alt.Tooltip("cases:Q"),
                 alt.Tooltip("fte:Q"), alt.Tooltip("cases_per_fte:Q", format=".1f")])
    rule_data = pd.DataFrame({"threshold": [threshold], "label": [f"threshold {threshold:g}"]})
    rule = alt.Chart(rule_data).mark_rule(strokeDash=[6, 4], color="#333").encode(x="threshold:Q")
    label = alt.Chart(rule_data).mark_text(align="left", dx=4, dy=-4, baseline="bottom", y=0).encode(
        x="threshold:Q", text="label:N")
    return alt.layer(points, rule, label).properties(height=max(160, 36 * workers["team_name"].nunique()))


AUDIT_TYPE_WORDS = {"case": "case audits", "thematic": "thematic audits", "dip_sample": "dip samples"}


def audit_volume_chart(volume: pd.DataFrame, target: float | None) -> alt.VConcatChart:
    """Case audits per month as labelled bars against the target; thematic audits and dip samples apart below.

    `volume` has columns month, audit_type ('case', 'thematic', 'dip_sample') and audits.
    """
    data = volume.assign(month=pd.to_datetime(volume["month"]),
                         kind=volume["audit_type"].map(AUDIT_TYPE_WORDS))
    x = alt.X("yearmonth(month):T", title="month", axis=alt.Axis(format="%b %Y"))
    tooltip = [alt.Tooltip("kind:N", title="audits"), alt.Tooltip("yearmonth(month):T", title="month"),
               alt.Tooltip("audits:Q")]
    case = data[data["audit_type"] == "case"]
    base = alt.Chart(case).encode(x=x, y=alt.Y("audits:Q", title="case audits completed"), tooltip=tooltip)
    layers = [base.mark_bar(color="#1f5fa6"), base.mark_text(dy=-6, fontSize=10).encode(text="audits:Q")]
    if target is not None:
        rule = pd.DataFrame({"target": [target], "label": [f"target {target:g} a month"]})
        layers.append(alt.Chart(rule).mark_rule(strokeDash=[6, 4], color="#333").encode(y="target:Q"))
        layers.append(alt.Chart(rule).mark_text(align="left", dx=4, dy=-6, color="#333").encode(
            y="target:Q", x=alt.value(0), text="label:N"))
    others = data[data["audit_type"] != "case"]
    order = ["thematic audits", "dip samples"]
    other_chart = alt.Chart(others).mark_line(point=alt.OverlayMarkDef(filled=True, size=50)).encode(
        x=x, y=alt.Y("audits:Q", title="thematic and dip-sample audits"),
        color=alt.Color("kind:N", sort=order, legend=alt.Legend(orient="top", title=None),
                        scale=alt.Scale(domain=order, range=["#6a3d9a", "#c1502e"])),
        shape=alt.Shape("kind:N", sort=order, legend=None, scale=alt.Scale(domain=order, range=["square", "triangle-up"])),
        strokeDash=alt.StrokeDash("kind:N", sort=order, legend=None, scale=alt.Scale(domain=order, range=[[1, 0], [6, 3]])),
        tooltip=tooltip)
    return alt.vconcat(alt.layer(*layers).properties(height=240), other_chart.properties(height=140))


def interval_chart(frame: pd.DataFrame, category: str, category_title: str, value_title: str,
                   over_time: bool = False) -> alt.LayerChart:
    """Shares with their 95% intervals: a point for the share, a bar for the interval, n printed beside it.

    `frame` has the category column, value, low, high (all %) and n. Months run along the x
    axis (`over_time`), teams down the y axis, so a wide interval is seen before the point.
    """
    data = frame.assign(label=frame["n"].map(lambda n: f"n = {n:,.0f}"))
    value_scale = alt.Scale(domain=[0, 100])
    tooltip = [alt.Tooltip(f"{category}:{'T' if over_time else 'N'}", title=category_title),
               alt.Tooltip("value:Q", format=".1f", title="share %"), alt.Tooltip("low:Q", format=".1f"),
               alt.Tooltip("high:Q", format=".1f"), alt.Tooltip("n:Q")]
    if over_time:
        cat = alt.X(f"yearmonth({category}):T", title=category_title, axis=alt.Axis(format="%b %Y"))
        base = alt.Chart(data).encode(x=cat, tooltip=tooltip)
        interval = base.mark_rule(strokeWidth=3, color="#9db4d0").encode(
            y=alt.Y("low:Q", title=value_title, scale=value_scale), y2="high:Q")
        point = base.mark_point(filled=True, size=60, color="#0b2e59").encode(y="value:Q")
        text = base.mark_text(dy=-10, fontSize=9, color="#333").encode(y="high:Q", text="label:N")
        height = 260
    else:
        cat = alt.Y(f"{category}:N", title=None, axis=alt.Axis(labelLimit=260))
        base = alt.Chart(data).encode(y=cat, tooltip=tooltip)
        interval = base.mark_rule(strokeWidth=3, color="#9db4d0").encode(
            x=alt.X("low:Q", title=value_title, scale=value_scale), x2="high:Q")
        point = base.mark_point(filled=True, size=70, color="#0b2e59").encode(x="value:Q")
        text = base.mark_text(align="left", dx=6, fontSize=10, color="#333").encode(x="high:Q", text="label:N")
        height = max(140, 30 * len(data))
    return alt.layer(interval, point, text).properties(height=height)


def triangulation_chart(frame: pd.DataFrame) -> alt.Chart:
    """Each team's audit grades beside its timeliness: one row per team, a shape and colour per measure.

    `frame` has team_name, measure, value (%) and n; measures with no value are left out.
    """
    data = frame.dropna(subset=["value"])
    order = list(dict.fromkeys(frame["measure"]))
    shapes = ["diamond", "circle", "square", "triangle-up", "cross"]
    colours = ["#c1502e", "#1f5fa6", "#2a9d8f", "#6a3d9a", "#555555"]
    return alt.Chart(data).mark_point(filled=True, size=90, opacity=0.85).encode(
        x=alt.X("value:Q", title="% (each measure's own definition)", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("team_name:N", title=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("measure:N", sort=order, scale=alt.Scale(domain=order, range=colours[:len(order)]),
                        legend=alt.Legend(orient="top", title=None, labelLimit=0, columns=2)),
        shape=alt.Shape("measure:N", sort=order, scale=alt.Scale(domain=order, range=shapes[:len(order)]),
                        legend=None),
        tooltip=[alt.Tooltip("team_name:N", title="team"), alt.Tooltip("measure:N"),
                 alt.Tooltip("value:Q", format=".1f"), alt.Tooltip("n:Q")],
    ).properties(height=max(160, 34 * data["team_name"].nunique()))


def sparkline(series: pd.DataFrame, unit: str) -> alt.LayerChart:
    """A small line of the monthly series with its last point marked: the shape of the trend, not the detail."""
    data = series.assign(month=pd.to_datetime(series["to"]), value=series["value"].astype("float64")).dropna(
        subset=["value"])
    base = alt.Chart(data).encode(
        x=alt.X("month:T", axis=None),
        y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("month:T", title="to", format="%b %Y"), alt.Tooltip("value:Q", format=",.1f", title=unit)])
    line = base.mark_line(color="#1f5fa6", strokeWidth=1.5)
    last = base.transform_window(rank="rank()", sort=[alt.SortField("month", order="descending")]).transform_filter(
        "datum.rank == 1").mark_point(filled=True, size=40, color="#0b2e59")
    return alt.layer(line, last).properties(height=48)


def grow_chart(frame: pd.DataFrame) -> alt.Chart:
    """People who joined by each route, and how many are still employed, labelled with the numbers."""
    totals = frame.groupby("route", as_index=False)[["people", "still_employed"]].sum()
    long = totals.melt(id_vars="route", var_name="measure", value_name="n")
    long["measure"] = long["measure"].map({"people": "joined", "still_employed": "still employed"})
    base = alt.Chart(long).encode(y=alt.Y("route:N", title=None, axis=alt.Axis(labelLimit=260)),
                                  yOffset=alt.YOffset("measure:N", sort=["joined", "still employed"]))
    bars = base.mark_bar().encode(
        x=alt.X("n:Q", title="people"),
        color=alt.Color("measure:N", sort=["joined", "still employed"],
                        scale=alt.Scale(range=["#1f5fa6", "#b9c9de"]), legend=alt.Legend(orient="top", title=None)),
        tooltip=["route", "measure", "n"])
    return (bars + base.mark_text(align="left", dx=3).encode(x="n:Q", text="n:Q")).properties(height=200)


from .spc import POINT_TYPE_WORDS, SpcResult  # noqa: E402  (the SPC chart's vocabulary lives with the rules)

SPC_POINT_STYLE = {  # shape and colour both carry the meaning, so neither is the only signal
    "common cause": ("circle", "#8c8c8c"),
    "special cause: improvement": ("triangle-up", "#1f5fa6"),
    "special cause: concern": ("diamond", "#e07b00"),
    "special cause: neither better nor worse": ("square", "#6a3d9a"),
}


def _spc_rule_words(result: SpcResult) -> dict[str, str]:
    return {"outside_limits": "beyond a process limit",
            "trend": f"{result.trend_points} or more rising (or falling) in a row",
            "two_in_three": "2 of 3 near a process limit, on one side",
            "shift": f"{result.shift_points} or more in a row on one side of the mean"}


def spc_chart(result: SpcResult, title: str, unit_label: str, target: float | None = None) -> alt.LayerChart:
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
    data["point"] = data["point_type"].map(POINT_TYPE_WORDS)
    data["reason"] = data["rule"].map(_spc_rule_words(result)).fillna("none: within normal variation")
    # a new piece of line at each segment and after each missing month
    data["piece"] = data["segment"].astype(str) + "-" + data["y"].isna().cumsum().astype(str)
    observed = data[data["y"].notna()]

    tooltip = [alt.Tooltip(f"x:{x_type}", title=x_title or "point", **({"format": "%b %Y"} if temporal else {})),
               alt.Tooltip("y:Q", title="value", format=",.1f"), alt.Tooltip("point:N", title="point type"),
               alt.Tooltip("reason:N", title="rule")]
    series = alt.Chart(observed).mark_line(color="#7a8aa0", strokeWidth=1.5).encode(
        x=x, y=alt.Y("y:Q", title=unit_label, scale=y_scale), detail=alt.Detail("piece:N"))

    lines = data.melt(id_vars=["x", "segment"], value_vars=["mean", "upl", "lpl"], var_name="which",
                      value_name="level").dropna(subset=["level"])
    lines["line"] = lines["which"].map({"mean": "mean", "upl": "process limits", "lpl": "process limits"})
    lines["label"] = lines["which"].map({"mean": "mean", "upl": "upper process limit", "lpl": "lower process limit"})
    line_order = ["mean", "process limits"]
    levels = alt.Chart(lines).mark_line(color="#333333", strokeWidth=1.2).encode(
        x=x, y=alt.Y("level:Q", scale=y_scale),
        detail=[alt.Detail("segment:N"), alt.Detail("which:N")],
        strokeDash=alt.StrokeDash("line:N", title=None, sort=line_order,
                                  scale=alt.Scale(domain=line_order, range=[[1, 0], [6, 4]]),
                                  legend=alt.Legend(orient="top", symbolStrokeWidth=2)),
        tooltip=[alt.Tooltip("label:N", title="line"), alt.Tooltip("level:Q", title="value", format=",.2f")])
    layers = [levels, series]

    if target is not None:
        rule = pd.DataFrame({"target": [target], "label": [f"target {target:g}"]})
        layers.append(alt.Chart(rule).mark_rule(strokeDash=[2, 2], color="#2a7f62", strokeWidth=1.5).encode(
            y=alt.Y("target:Q", scale=y_scale), tooltip=[alt.Tooltip("label:N", title="target")]))
        layers.append(alt.Chart(rule).mark_text(align="left", dx=4, dy=-6, color="#2a7f62").encode(
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
        tooltip=tooltip))

    heading = alt.TitleParams(title, subtitle=[] if result.limits_shown else [result.variation_text], anchor="start")
    return alt.layer(*layers).properties(title=heading, height=300)


NEIGHBOUR_COLOURS = {"this authority": "#0b2e59", "statistical neighbour": "#9fb3cc"}
NEIGHBOUR_RULE_DASH = {"England": [6, 3], "neighbours' mean": [8, 3, 2, 3]}


def _first_number(frame: pd.DataFrame, column: str) -> float | None:
    if column not in frame.columns:
        return None
    known = pd.to_numeric(frame[column], errors="coerce").dropna()
    return float(known.iloc[0]) if len(known) else None


def neighbours_chart(frame: pd.DataFrame, title: str, unit_label: str, england: float | None = None,
                     neighbours_mean: float | None = None) -> alt.LayerChart:
    """The authority against its statistical neighbours for one year: one horizontal bar each, largest first.

    `frame` is benchmarks.neighbour_values(...): la_name, value, is_authority, rank, and status,
    england and neighbours_mean when present (used unless `england` / `neighbours_mean` are given;
    without either, the mean is that of the neighbours' figures in the frame). The authority's bar
    differs by colour, a black outline and its label ("Torbay (this authority)"), so colour is never
    the only signal; a figure that is not published is written in words where its bar would be.
    England (dashed) and the neighbours' mean (dot-dash) are rules, each labelled with its value.
    """
    data = frame.copy()
    data["value"] = pd.to_numeric(data["value"], errors="coerce").astype("float64")
    mine = data["is_authority"].astype(bool)
    statuses = data["status"] if "status" in data.columns else pd.Series("not published", index=data.index)
    data["who"] = mine.map({True: "this authority", False: "statistical neighbour"})
    data["label"] = [f"{name} (this authority)" if me else str(name) for name, me in zip(data["la_name"], mine)]
    data["text"] = [f"{v:,.1f}" if pd.notna(v) else str(s or "not published") for v, s in zip(data["value"], statuses)]
    data["x"] = data["value"].fillna(0.0)
    order = data.sort_values(["value", "rank"], ascending=[False, True], na_position="last")["label"].tolist()

    others = data.loc[~mine, "value"]
    england = england if england is not None else _first_number(data, "england")
    if neighbours_mean is None:
        neighbours_mean = _first_number(data, "neighbours_mean")
        if neighbours_mean is None and others.notna().any():
            neighbours_mean = float(others.mean())
    rules = []
    if england is not None and pd.notna(england):
        rules.append({"line": "England", "level": float(england), "text": f"England {england:,.1f}"})
    if neighbours_mean is not None and pd.notna(neighbours_mean):
        rules.append({"line": "neighbours' mean", "level": float(neighbours_mean),
                      "text": f"neighbours' mean {neighbours_mean:,.1f} ({int(others.notna().sum())} of "
                              f"{len(others)})"})
    rules = pd.DataFrame(rules, columns=["line", "level", "text"]).sort_values("level")
    # the lower line's label sits to its left, the higher one's to its right, so they do not overlap
    rules["align"] = ["right" if i == 0 and len(rules) > 1 else "left" for i in range(len(rules))]

    height = max(180, 26 * len(data))
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    x = alt.X("x:Q", title=unit_label, scale=alt.Scale(zero=True, nice=True))
    tooltip = [alt.Tooltip("la_name:N", title="authority"), alt.Tooltip("value:Q", format=",.1f"),
               alt.Tooltip("status:N" if "status" in data.columns else "text:N", title="status"),
               alt.Tooltip("rank:Q", title="neighbour rank (0: this authority)")]
    bars = alt.Chart(data).mark_bar(stroke="#000000").encode(
        y=y, x=x,
        color=alt.Color("who:N", title=None, scale=alt.Scale(domain=list(NEIGHBOUR_COLOURS),
                                                             range=list(NEIGHBOUR_COLOURS.values())),
                        legend=alt.Legend(orient="top")),
        strokeWidth=alt.StrokeWidth("who:N", scale=alt.Scale(domain=list(NEIGHBOUR_COLOURS), range=[2, 0]),
                                    legend=None),
        tooltip=tooltip)
    values = alt.Chart(data).mark_text(align="left", dx=4, color="#222222").encode(
        y=y, x="x:Q", text="text:N", tooltip=tooltip)
    layers = [bars, values]
    if not rules.empty:
        dash = alt.StrokeDash("line:N", legend=None, scale=alt.Scale(domain=list(NEIGHBOUR_RULE_DASH),
                                                                     range=list(NEIGHBOUR_RULE_DASH.values())))
        layers.append(alt.Chart(rules).mark_rule(color="#333333", strokeWidth=1.5).encode(
            x="level:Q", strokeDash=dash, tooltip=[alt.Tooltip("line:N"), alt.Tooltip("level:Q", format=",.2f")]))
        for align, part in rules.groupby("align"):
            layers.append(alt.Chart(part).mark_text(align=align, dx=4 if align == "left" else -4, dy=-6,
                                                    baseline="bottom", color="#333333").encode(
                x="level:Q", y=alt.value(0), text="text:N"))
    heading = alt.TitleParams(title, subtitle=["England: dashed line; statistical neighbours' mean: dot-dash line"],
                              anchor="start", offset=18)
    return alt.layer(*layers).properties(title=heading, height=height)
