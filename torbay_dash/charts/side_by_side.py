"""Charts that set things side by side: teams, intervals, triangulation, caseloads and statistical neighbours."""
from __future__ import annotations


import altair as alt
import pandas as pd

from ..indicators import Indicator
from .style import (BLUE, GREY, NAVY, ORANGE, PURPLE, RULE_COLOUR, TEAL, TEXT_COLOUR, _accessible, _axis_title, _count,
                   _month, _nice_ceiling, _number, _sentence, _span, _team_words, _teams_sentence)

def teams_chart(frame: pd.DataFrame, indicator: Indicator, selection_name: str = "team_pick", *,
                description: str | None = None, title: str | None = None) -> alt.LayerChart:
    """Value per team, n beside each bar; clicking a bar selects that team (read as event['selection']).

    The picked bar gets a black outline (not only a change of shade); the others stay at 3:1 or more.
    """
    pick = alt.selection_point(fields=["team"], name=selection_name)
    data = frame.assign(n=frame["denominator"].fillna(frame["numerator"]),
                        label=lambda f: f["n"].map(lambda n: f"n = {n:,.0f}"))
    data["aria"] = _team_words(indicator, data)
    base = alt.Chart(data).encode(y=alt.Y("team_name:N", sort="-x", title=None,
                                          axis=alt.Axis(labelLimit=260, labelOverlap=False)))
    top = float(data["value"].max() or 0) if data["value"].notna().any() else 0.0
    room = _nice_ceiling(top * 1.2) if top > 0 else 1.0  # space for the n labels
    bars = base.mark_bar(color=BLUE, stroke="#000000").encode(
        x=alt.X("value:Q", title=_axis_title(indicator), scale=alt.Scale(domain=[0, room], nice=False)),
        opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(0.75)),
        strokeWidth=alt.when(pick, empty=False).then(alt.value(2.5)).otherwise(alt.value(0)),
        description=alt.Description("aria:N"),
        tooltip=[alt.Tooltip("team_name:N", title="team"), alt.Tooltip("value:Q", format=",.1f"),
                 alt.Tooltip("numerator:Q", format=",.0f"), alt.Tooltip("denominator:Q", format=",.0f")],
    ).add_params(pick)
    text = base.mark_text(align="left", dx=4, color=TEXT_COLOUR, aria=False).encode(x="value:Q", text="label:N")
    chart = (bars + text).properties(height=max(140, 40 * len(data)))
    default = _teams_sentence(indicator, data, "Bar chart").rstrip(".") + "; select a bar to pick that team."
    return _accessible(chart, description, default, title)


def caseload_chart(workers: pd.DataFrame, threshold: float, *, description: str | None = None,
                   title: str | None = None) -> alt.LayerChart:
    """Cases per FTE for every worker, one row of points per team, with the local threshold marked."""
    kinds = ["within threshold", "above threshold"]
    data = workers.assign(aria=[f"{w}, {t}: {_number(c)} cases per FTE ({_count(k)} cases, {_number(f)} FTE), {a}"
                                for w, t, c, k, f, a in zip(workers["worker"], workers["team_name"],
                                                            workers["cases_per_fte"], workers["cases"],
                                                            workers["fte"], workers["above"])])
    points = alt.Chart(data).mark_point(filled=True, size=60, opacity=0.85).encode(
        x=alt.X("cases_per_fte:Q", title="open cases per FTE"),
        y=alt.Y("team_name:N", title=None, axis=alt.Axis(labelLimit=260)),
        # one legend for both (with colour's legend turned off, Vega-Lite drew none at all)
        shape=alt.Shape("above:N", title=None, scale=alt.Scale(domain=kinds, range=["circle", "triangle-up"]),
                        legend=alt.Legend(orient="top")),
        color=alt.Color("above:N", title=None, scale=alt.Scale(domain=kinds, range=[BLUE, ORANGE]),
                        legend=alt.Legend(orient="top")),
        description=alt.Description("aria:N"),
        tooltip=[alt.Tooltip("worker:N"), alt.Tooltip("team_name:N", title="team"), alt.Tooltip("cases:Q"),
                 alt.Tooltip("fte:Q"), alt.Tooltip("cases_per_fte:Q", format=".1f")])
    rule_data = pd.DataFrame({"threshold": [threshold], "label": [f"threshold {threshold:g}"]})
    rule = alt.Chart(rule_data).mark_rule(strokeDash=[6, 4], color=RULE_COLOUR,
                                          description=f"threshold {threshold:g} cases per FTE").encode(x="threshold:Q")
    label = alt.Chart(rule_data).mark_text(align="left", dx=4, dy=-4, baseline="bottom", y=0, color=TEXT_COLOUR,
                                           aria=False).encode(x="threshold:Q", text="label:N")
    above = int((workers["above"] == "above threshold").sum())
    known = pd.to_numeric(workers["cases_per_fte"], errors="coerce").dropna()
    default = _sentence(
        f"Dot chart of open cases per FTE for each of {len(workers)} social workers, one row per team "
        f"({workers['team_name'].nunique()} teams)",
        f"{above} above the local threshold of {threshold:g} (triangles), the rest within it (circles)",
        f"highest {_number(known.max())}" if len(known) else "")
    chart = alt.layer(points, rule, label).properties(height=max(160, 36 * workers["team_name"].nunique()))
    return _accessible(chart, description, default, title)


INTERVAL_COLOUR = "#5e7fa8"  # the 95% interval: 4.1:1 on white, 3.3:1 against the navy point on it


def interval_chart(frame: pd.DataFrame, category: str, category_title: str, value_title: str,
                   over_time: bool = False, *, description: str | None = None,
                   title: str | None = None) -> alt.LayerChart:
    """Shares with their 95% intervals: a point for the share, a bar for the interval, n printed beside it.

    `frame` has the category column, value, low, high (all %) and n. Months run along the x
    axis (`over_time`), teams down the y axis, so a wide interval is seen before the point.
    """
    data = frame.assign(label=frame["n"].map(lambda n: f"n = {n:,.0f}"))
    names = [(_month(c) if over_time else str(c)) for c in data[category]]
    data["aria"] = [f"{c}: {_number(v)}% (95% interval {_number(lo)}% to {_number(hi)}%, n = {_count(n)})"
                    for c, v, lo, hi, n in zip(names, data["value"], data["low"], data["high"], data["n"])]
    value_scale = alt.Scale(domain=[0, 100])
    tooltip = [alt.Tooltip(f"{category}:{'T' if over_time else 'N'}", title=category_title),
               alt.Tooltip("value:Q", format=".1f", title="share %"), alt.Tooltip("low:Q", format=".1f"),
               alt.Tooltip("high:Q", format=".1f"), alt.Tooltip("n:Q")]
    if over_time:
        cat = alt.X(f"yearmonth({category}):T", title=category_title, axis=alt.Axis(format="%b %Y"))
        base = alt.Chart(data).encode(x=cat, tooltip=tooltip)
        interval = base.mark_rule(strokeWidth=3, color=INTERVAL_COLOUR, aria=False).encode(
            y=alt.Y("low:Q", title=value_title, scale=value_scale), y2="high:Q")
        point = base.mark_point(filled=True, size=60, color=NAVY, opacity=1).encode(
            y="value:Q", description=alt.Description("aria:N"))
        text = base.mark_text(dy=-10, fontSize=9, color=TEXT_COLOUR, aria=False).encode(y="high:Q", text="label:N")
        height = 260
    else:
        cat = alt.Y(f"{category}:N", title=None, axis=alt.Axis(labelLimit=260))
        base = alt.Chart(data).encode(y=cat, tooltip=tooltip)
        interval = base.mark_rule(strokeWidth=3, color=INTERVAL_COLOUR, aria=False).encode(
            x=alt.X("low:Q", title=value_title, scale=value_scale), x2="high:Q")
        point = base.mark_point(filled=True, size=70, color=NAVY, opacity=1).encode(
            x="value:Q", description=alt.Description("aria:N"))
        text = base.mark_text(align="left", dx=6, fontSize=10, color=TEXT_COLOUR, aria=False).encode(
            x="high:Q", text="label:N")
        height = max(140, 30 * len(data))
    what = f"by {category_title}" + (f", {_span(data[category])}" if over_time else f", {len(data)} {category_title}s")
    known = data.dropna(subset=["value"]).sort_values("value")
    parts = [f"Chart of {value_title} {what}: each point is the share, the bar through it its 95% interval, "
             + "with n beside it"]
    if len(known) > 1:
        lo, hi = known.iloc[0], known.iloc[-1]
        lo_name = _month(lo[category]) if over_time else lo[category]
        hi_name = _month(hi[category]) if over_time else hi[category]
        parts.append(f"lowest {lo_name} {_number(lo['value'])}% (n = {_count(lo['n'])}), "
                     f"highest {hi_name} {_number(hi['value'])}% (n = {_count(hi['n'])})")
    return _accessible(alt.layer(interval, point, text).properties(height=height), description,
                       _sentence(*parts), title)


def triangulation_chart(frame: pd.DataFrame, *, description: str | None = None,
                        title: str | None = None) -> alt.Chart:
    """Each team's audit grades beside its timeliness: one row per team, a shape and colour per measure.

    `frame` has team_name, measure, value (%) and n; measures with no value are left out.
    """
    data = frame.dropna(subset=["value"])
    data = data.assign(aria=[f"{t}, {m}: {_number(v)}% (n = {_count(n)})"
                             for t, m, v, n in zip(data["team_name"], data["measure"], data["value"], data["n"])])
    order = list(dict.fromkeys(frame["measure"]))
    shapes = ["diamond", "circle", "square", "triangle-up", "cross"]
    colours = [ORANGE, BLUE, TEAL, PURPLE, GREY]
    chart = alt.Chart(data).mark_point(filled=True, size=90, opacity=0.85).encode(
        x=alt.X("value:Q", title="% (each measure's own definition)", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("team_name:N", title=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("measure:N", sort=order,
                        scale=alt.Scale(domain=order, range=[colours[i % len(colours)] for i in range(len(order))]),
                        legend=alt.Legend(orient="top", title=None, labelLimit=0, columns=2)),
        shape=alt.Shape("measure:N", sort=order,
                        scale=alt.Scale(domain=order, range=[shapes[i % len(shapes)] for i in range(len(order))]),
                        legend=None),
        description=alt.Description("aria:N"),
        tooltip=[alt.Tooltip("team_name:N", title="team"), alt.Tooltip("measure:N"),
                 alt.Tooltip("value:Q", format=".1f"), alt.Tooltip("n:Q")],
    ).properties(height=max(160, 34 * data["team_name"].nunique()))
    default = _sentence(f"Dot chart of {len(order)} measures, as % (each measure's own definition), for "
                        f"{data['team_name'].nunique()} teams, one row per team, each measure with its own shape "
                        f"and colour: " + ", ".join(str(m) for m in order))
    return _accessible(chart, description, default, title)


NEIGHBOUR_COLOURS = {"this authority": NAVY, "statistical neighbour": "#5e7fa8"}  # 13.6:1 and 4.1:1 on white


NEIGHBOUR_RULE_DASH = {"England": [6, 3], "neighbours' mean": [8, 3, 2, 3]}


def _first_number(frame: pd.DataFrame, column: str) -> float | None:
    if column not in frame.columns:
        return None
    known = pd.to_numeric(frame[column], errors="coerce").dropna()
    return float(known.iloc[0]) if len(known) else None


def neighbours_chart(frame: pd.DataFrame, title: str, unit_label: str, england: float | None = None,
                     neighbours_mean: float | None = None, *, description: str | None = None) -> alt.LayerChart:
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
    data["aria"] = [f"{lab}: {t}" for lab, t in zip(data["label"], data["text"])]

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
        description=alt.Description("aria:N"),
        tooltip=tooltip)
    values = alt.Chart(data).mark_text(align="left", dx=4, color=TEXT_COLOUR, aria=False).encode(
        y=y, x="x:Q", text="text:N", tooltip=tooltip)
    layers = [bars, values]
    if not rules.empty:
        dash = alt.StrokeDash("line:N", legend=None, scale=alt.Scale(domain=list(NEIGHBOUR_RULE_DASH),
                                                                     range=list(NEIGHBOUR_RULE_DASH.values())))
        layers.append(alt.Chart(rules).mark_rule(color=RULE_COLOUR, strokeWidth=1.5).encode(
            x="level:Q", strokeDash=dash, description=alt.Description("text:N"),
            tooltip=[alt.Tooltip("line:N"), alt.Tooltip("level:Q", format=",.2f")]))
        for align, part in rules.groupby("align"):
            layers.append(alt.Chart(part).mark_text(align=align, dx=4 if align == "left" else -4, dy=-6,
                                                    baseline="bottom", color=RULE_COLOUR, aria=False).encode(
                x="level:Q", y=alt.value(0), text="text:N"))
    heading = alt.TitleParams(title, subtitle=["England: dashed line; statistical neighbours' mean: dot-dash line"],
                              anchor="start", offset=18)
    parts = [f"Bar chart of {title} ({unit_label}) for {len(data)} authorities, largest first"]
    me = data[mine]
    if len(me):
        position = order.index(me["label"].iloc[0]) + 1
        parts.append(f"{me['la_name'].iloc[0]} (this authority) {me['text'].iloc[0]}, "
                     f"{position} of {len(order)}")
    parts += [str(t) for t in rules["text"]]
    return _accessible(alt.layer(*layers).properties(title=heading, height=height), description, _sentence(*parts))


def team_lists_chart(frame: pd.DataFrame, selection_name: str = "team_pick", *,
                     description: str | None = None) -> alt.LayerChart:
    """Children overdue on any list, per team (frame: team, team_name, overdue, listed); a click picks a team.

    The count is written beside each bar, so no reading depends on the bar's length or shade alone.
    """
    pick = alt.selection_point(fields=["team"], name=selection_name)
    data = frame.assign(label=[f"{o:,} overdue of {n:,} listed" for o, n in zip(frame["overdue"], frame["listed"])])
    data["aria"] = [f"{t}: {o:,} children overdue, {n:,} on the lists" for t, o, n in
                    zip(data["team_name"], data["overdue"], data["listed"])]
    base = alt.Chart(data).encode(y=alt.Y("team_name:N", sort="-x", title=None,
                                          axis=alt.Axis(labelLimit=260, labelOverlap=False)))
    top = float(data["overdue"].max() or 0) if len(data) else 0.0
    bars = base.mark_bar(color=BLUE, stroke="#000000").encode(
        x=alt.X("overdue:Q", title="children overdue on any list",
                scale=alt.Scale(domain=[0, max(1.0, top * 1.6)], nice=False)),
        opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(0.75)),
        strokeWidth=alt.when(pick, empty=False).then(alt.value(2.5)).otherwise(alt.value(0)),
        description=alt.Description("aria:N"),
        tooltip=[alt.Tooltip("team_name:N", title="team"), alt.Tooltip("overdue:Q", title="overdue"),
                 alt.Tooltip("listed:Q", title="on the lists")],
    ).add_params(pick)
    text = base.mark_text(align="left", dx=4, color=TEXT_COLOUR, aria=False).encode(x="overdue:Q", text="label:N")
    chart = (bars + text).properties(height=max(140, 40 * len(data)))
    most = data.sort_values("overdue", ascending=False).head(1)
    default = ("Bar chart of children overdue on any list by team" +
               (f"; most in {most['team_name'].iloc[0]} ({int(most['overdue'].iloc[0]):,})" if len(most) else "")
               + "; select a bar to open that team's page.")
    return _accessible(chart, description, default)
