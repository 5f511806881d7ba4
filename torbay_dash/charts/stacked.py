"""Charts of parts and pairs: the safeguarding flow, plans by length and category, children in care with
their starts and endings, the placement mix, audit volume and growing our own."""
from __future__ import annotations


import altair as alt
import pandas as pd

from .. import codes
from .style import (BLUE, GREY, LABEL_GAP_PX, NAVY, ORANGE, PLOT_MARGIN_PX, PURPLE, RULE_COLOUR, TEXT_COLOUR,
                   _accessible, _count, _filled_or_outlined, _long_month, _missing, _month, _nice_ceiling, _palette,
                   _sentence, _span, _spread)

def flow_chart(flow: pd.DataFrame, *, description: str | None = None, title: str | None = None) -> alt.LayerChart:
    """Each stage's volume this period beside the same period a year before, labelled with the numbers.

    This period is a filled bar, a year before an outlined one, so the two differ by more than colour.
    """
    periods = ["this period", "a year before"]
    long = flow.melt(id_vars=["step", "stage"], value_vars=["this_period", "year_before"],
                     var_name="period", value_name="n")
    long["period"] = long["period"].map({"this_period": "this period", "year_before": "a year before"})
    long["aria"] = [f"{s}, {p}: {_count(n)}" for s, p, n in zip(long["stage"], long["period"], long["n"])]
    stages = flow.sort_values("step")["stage"].tolist()
    base = alt.Chart(long).encode(
        y=alt.Y("stage:N", sort=stages, title=None),
        yOffset=alt.YOffset("period:N", sort=periods))
    legend = alt.Legend(orient="top", title=None)
    bars = base.mark_bar(strokeWidth=2).encode(
        x=alt.X("n:Q", title="number in the period"),
        **_filled_or_outlined("period:N", periods, [BLUE, GREY], [True, False], legend),
        description=alt.Description("aria:N"),
        tooltip=["stage:N", "period:N", alt.Tooltip("n:Q", format=",")])
    text = base.mark_text(align="left", dx=4, color=TEXT_COLOUR, aria=False).encode(
        x="n:Q", text=alt.Text("n:Q", format=","))
    ordered = flow.sort_values("step")
    figures = ", ".join(f"{s} {_count(a)} ({_count(b)} a year before)"
                        for s, a, b in zip(ordered["stage"], ordered["this_period"], ordered["year_before"]))
    default = _sentence("Bar chart of the number at each stage this period (filled bars) beside the same period "
                        "a year before (outlined bars)", figures)
    return _accessible((bars + text).properties(height=360), description, default, title)


CP_LENGTH_ORDER = ["under 3 months", "3 to 6 months", "6 to 12 months", "1 to 2 years", "2 years or more"]


CP_CATEGORY_ORDER = ["NEG", "EMO", "PHY", "SAB", "MUL"]  # stacked from the bottom in this order, in words


def _category_words(category) -> str:
    """A CP category in words ('NEG' -> 'Neglect'), as every screen shows it; words stay as they are."""
    if _missing(category) or str(category).strip().casefold() == codes.NOT_RECORDED:
        return codes.NOT_RECORDED
    return codes.describe_value(codes.rule_for("category"), category)


def _stacked(frame: pd.DataFrame, along: str, by: str, value: str, order: list) -> pd.DataFrame:
    """Segments stacked in `order` from the bottom: bottom, top and middle of each, and its bar's total."""
    data = frame.groupby([along, by], as_index=False, sort=False)[value].sum()
    rank = {k: i for i, k in enumerate(order)}
    data = data.assign(_rank=data[by].map(rank)).sort_values([along, "_rank"], kind="stable")
    data["top"] = data.groupby(along, sort=False)[value].cumsum().astype("float64")
    data["bottom"] = data["top"] - data[value]
    data["middle"] = (data["top"] + data["bottom"]) / 2
    data["total"] = data.groupby(along, sort=False)[value].transform("sum")
    return data.drop(columns="_rank").reset_index(drop=True)


def _stack_order(values: pd.Series, known: list) -> list:
    present = list(dict.fromkeys(values.dropna().astype(str)))
    return [k for k in known if k in present] + sorted(k for k in present if k not in known)


def cp_length_chart(summary: pd.DataFrame, *, description: str | None = None,
                    title: str | None = None) -> alt.LayerChart:
    """Children on plans by length of plan, stacked by category, with the total printed on each bar.

    Categories are said in words ('NEG' -> 'Neglect'). Every segment is named beside its bar
    ("58 Neglect"), in its own colour (4.5:1 or more on white), level with the segment and in the
    order of the stack, instead of a legend; segments are split by white lines, so colour is not
    the only signal.
    """
    order = CP_LENGTH_ORDER + sorted(set(summary["length_band"].astype(str)) - set(CP_LENGTH_ORDER))
    summary = summary.assign(category=summary["category"].map(_category_words))
    known = [_category_words(c) for c in CP_CATEGORY_ORDER]
    categories = _stack_order(summary["category"], known + [codes.NOT_RECORDED])
    colours = dict(zip(categories, _palette(len(categories))))
    data = _stacked(summary, "length_band", "category", "children", categories)
    height = 300
    top = _nice_ceiling(float(data["total"].max()) * 1.1) if len(data) else 1.0
    gap = LABEL_GAP_PX * top / (height - PLOT_MARGIN_PX)  # one line of label text, in children
    data["label_at"] = 0.0
    for _, rows in data.groupby("length_band", sort=False):
        data.loc[rows.index, "label_at"] = _spread(rows["middle"].tolist(), gap, 0.0, top)
    data["label"] = [f"{n:,} {c}" for c, n in zip(data["category"], data["children"])]  # a cut name keeps its count
    data["aria"] = [f"{c}, {b} on the plan: {_count(n)} of {_count(t)} children"
                    for c, b, n, t in zip(data["category"], data["length_band"], data["children"], data["total"])]
    x = alt.X("length_band:N", sort=order, title="time on the plan", axis=alt.Axis(labelAngle=0))
    y_scale = alt.Scale(domain=[0, top], nice=False)
    # every segment is named beside it, in its colour: the labels are the legend
    colour = alt.Color("category:N", title="category", legend=None,
                       scale=alt.Scale(domain=categories, range=[colours[c] for c in categories]))
    # the bar takes the left of its band (0.05 to 0.35), its labels the rest
    bars = alt.Chart(data).mark_bar(stroke="white", strokeWidth=1, width=alt.RelativeBandSize(0.3),
                                    xOffset=alt.expr("-bandwidth('x') * 0.3")).encode(
        x=x, y=alt.Y("top:Q", title="children", scale=y_scale), y2="bottom:Q", color=colour,
        description=alt.Description("aria:N"),
        tooltip=[alt.Tooltip("length_band:N", title="time on the plan"), alt.Tooltip("category:N"),
                 alt.Tooltip("children:Q"), alt.Tooltip("total:Q", title="all children at this length")])
    labels = alt.Chart(data).mark_text(align="left", fontSize=11, aria=False,
                                       dx=alt.expr("bandwidth('x') * -0.15 + 4"),
                                       limit=alt.expr("bandwidth('x') * 0.7 - 8")).encode(
        x=x, y=alt.Y("label_at:Q", scale=y_scale), text="label:N", color=colour)
    totals = data.drop_duplicates("length_band")
    total_text = alt.Chart(totals).mark_text(dy=-7, dx=alt.expr("-bandwidth('x') * 0.3"), color=TEXT_COLOUR,
                                             aria=False).encode(
        x=x, y=alt.Y("total:Q", scale=y_scale), text=alt.Text("total:Q", format=","))
    bands = data.drop_duplicates("length_band").set_index("length_band")["total"].reindex(order).dropna()
    by_category = data.groupby("category", sort=False)["children"].sum().reindex(categories)
    default = _sentence(
        f"Stacked bar chart of the {_count(bands.sum())} children on child protection plans by time on the plan: "
        + ", ".join(f"{b} {_count(t)}" for b, t in bands.items()),
        "each bar split by category, stacked from the bottom: "
        + ", ".join(f"{c} {_count(n)}" for c, n in by_category.items()))
    return _accessible(alt.layer(bars, labels, total_text).properties(height=height), description, default, title)


def population_chart(in_care: pd.DataFrame, starts: pd.DataFrame, ended: pd.DataFrame, *,
                     description: str | None = None) -> alt.VConcatChart:
    """Children in care at each month end above the starts and endings that moved it."""
    month = alt.X("yearmonth(month):T", title="month", axis=alt.Axis(format="%b %Y"))
    stock = in_care.assign(month=pd.to_datetime(in_care["from"]))
    stock["aria"] = [f"{_month(m)}: {_count(v)} children in care at the month end"
                     for m, v in zip(stock["month"], stock["value"])]
    stock_base = alt.Chart(stock).encode(
        x=month, y=alt.Y("value:Q", title="children in care at the month end", scale=alt.Scale(zero=False)))
    line = alt.layer(
        stock_base.mark_line(color=NAVY, aria=False),
        stock_base.mark_point(filled=True, size=40, color=NAVY, opacity=1).encode(
            description=alt.Description("aria:N"),
            tooltip=[alt.Tooltip("to:T", title="month end"), alt.Tooltip("value:Q", title="children in care")]))
    movements = ["came into care", "left care"]
    flows = pd.concat([starts.assign(movement="came into care"), ended.assign(movement="left care")])
    flows = flows.assign(month=pd.to_datetime(flows["from"]))
    flows["aria"] = [f"{_month(m)}: {_count(v)} {k}"
                     for m, v, k in zip(flows["month"], flows["value"], flows["movement"])]
    legend = alt.Legend(orient="top", title=None)
    bars = alt.Chart(flows).mark_bar(strokeWidth=2).encode(
        x=month, xOffset=alt.XOffset("movement:N", sort=movements),
        y=alt.Y("value:Q", title="periods of care"),
        **_filled_or_outlined("movement:N", movements, [ORANGE, BLUE], [True, False], legend),
        description=alt.Description("aria:N"),
        tooltip=[alt.Tooltip("movement:N"), alt.Tooltip("from:T", title="month"), alt.Tooltip("value:Q")])
    known = stock.dropna(subset=["value"])
    parts = [f"Line chart of children in care at each month end, {_span(stock['month'])}"]
    if len(known):
        parts.append(f"from {_count(known['value'].iloc[0])} to {_count(known['value'].iloc[-1])}")
    parts.append(f"below it, bars of the periods of care that began each month ({_count(starts['value'].sum())} "
                 f"in all, filled bars) and ended ({_count(ended['value'].sum())} in all, outlined bars)")
    chart = alt.vconcat(
        line.properties(height=220, title=alt.TitleParams("Children in care at each month end", anchor="start",
                                                          fontSize=13)),
        bars.properties(height=180, title=alt.TitleParams("Periods of care begun and ended each month",
                                                          anchor="start", fontSize=13)),
    ).resolve_scale(x="shared").resolve_legend(fill="independent", stroke="independent")
    return _accessible(chart, description, _sentence(*parts))


PLACEMENT_ORDER = ["Our own foster carers", "Independent fostering agencies", "Family and friends foster care",
                   "Children's homes and residential", "Placed with parents",
                   "Independent and semi-independent living", "Placed for adoption", "Other", "No placement recorded"]


def placement_mix_chart(mix: pd.DataFrame, *, description: str | None = None,
                        title: str | None = None) -> alt.LayerChart:
    """Children in care at each month end, stacked by kind of placement (hover for the numbers).

    Each kind is named beside the last month's bar, in the order of the stack and in its own
    colour (4.5:1 or more on white), instead of a legend; segments are split by white lines and
    each one tall enough carries its count, so colour is not the only signal.
    """
    data = mix.assign(month=pd.to_datetime(mix["period_to"]).dt.to_period("M").dt.to_timestamp(),
                      placement=mix["placement"].astype(str))
    kinds = _stack_order(data["placement"], PLACEMENT_ORDER)
    colours = dict(zip(kinds, _palette(len(kinds))))
    stacked = _stacked(data, "month", "placement", "children", kinds)
    height = 320
    top = _nice_ceiling(float(stacked["total"].max())) if len(stacked) else 1.0
    px_per_child = (height - PLOT_MARGIN_PX) / top
    months_shown = stacked["month"].nunique()
    stacked["inside"] = [f"{n:,}" if n * px_per_child >= 13 and months_shown <= 24 else ""
                         for n in stacked["children"]]
    stacked["aria"] = [f"{p}, {_month(m)}: {_count(n)} of {_count(t)} children in care"
                       for p, m, n, t in zip(stacked["placement"], stacked["month"], stacked["children"],
                                             stacked["total"])]
    y_scale = alt.Scale(domain=[0, top], nice=False)
    x = alt.X("yearmonth(month):T", title="month end", axis=alt.Axis(format="%b %Y"))
    colour = alt.Color("placement:N", title="placement", legend=None,
                       scale=alt.Scale(domain=kinds, range=[colours[k] for k in kinds]))
    bars = alt.Chart(stacked).mark_bar(stroke="white", strokeWidth=1).encode(
        x=x, y=alt.Y("top:Q", title="children in care", scale=y_scale), y2="bottom:Q", color=colour,
        description=alt.Description("aria:N"),
        tooltip=[alt.Tooltip("period_to:T", title="month end"), alt.Tooltip("placement:N"),
                 alt.Tooltip("children:Q"), alt.Tooltip("total:Q", title="all children in care")])
    x_mid = alt.X("yearmonth(month):T", bandPosition=0.5)
    inside = alt.Chart(stacked).mark_text(color="white", fontSize=10, aria=False).encode(
        x=x_mid, y=alt.Y("middle:Q", scale=y_scale), text="inside:N")
    # the names, beside the last month's bar, at the middle of each segment, spread so they do not overlap
    last_month = stacked["month"].max() if len(stacked) else None
    last = stacked[stacked["month"] == last_month].set_index("placement").reindex(kinds)
    last_total = float(last["total"].dropna().iloc[0]) if last["total"].notna().any() else 0.0
    centres, running = [], 0.0
    for kind in kinds:
        n = last.loc[kind, "children"]
        n = 0.0 if _missing(n) else float(n)
        centres.append(running + n / 2)
        running += n
    names = pd.DataFrame({"placement": kinds, "month": last_month,
                          "at": _spread(centres, LABEL_GAP_PX / px_per_child, 0.0, top),
                          "name": [f"{k} {_count(0 if _missing(last.loc[k, 'children']) else last.loc[k, 'children'])}"
                                   for k in kinds]})
    labels = alt.Chart(names).mark_text(align="left", dx=6, fontSize=11, aria=False).encode(
        x=alt.X("yearmonth(month):T", bandPosition=1), y=alt.Y("at:Q", scale=y_scale), text="name:N", color=colour)
    default = _sentence(
        f"Stacked bar chart of children in care at each month end, {_span(stacked['month'])}, split by kind of "
        "placement, stacked from the bottom in the order listed",
        (f"at {_long_month(last_month)}: {_count(last_total)} in all, "
         + ", ".join(f"{k} {_count(0 if _missing(last.loc[k, 'children']) else last.loc[k, 'children'])}"
                     for k in kinds)) if last_month is not None else "no children")
    return _accessible(alt.layer(bars, inside, labels).properties(height=height), description, default, title)


AUDIT_TYPE_WORDS = {"case": "case audits", "thematic": "thematic audits", "dip_sample": "dip samples"}


def audit_volume_chart(volume: pd.DataFrame, target: float | None, *,
                       description: str | None = None) -> alt.VConcatChart:
    """Case audits per month as labelled bars against the target; thematic audits and dip samples apart below.

    `volume` has columns month, audit_type ('case', 'thematic', 'dip_sample') and audits.
    """
    data = volume.assign(month=pd.to_datetime(volume["month"]),
                         kind=volume["audit_type"].map(AUDIT_TYPE_WORDS))
    data["aria"] = [f"{k}, {_month(m)}: {_count(n)}" for m, n, k in zip(data["month"], data["audits"], data["kind"])]
    x = alt.X("yearmonth(month):T", title="month", axis=alt.Axis(format="%b %Y"))
    tooltip = [alt.Tooltip("kind:N", title="audits"), alt.Tooltip("yearmonth(month):T", title="month"),
               alt.Tooltip("audits:Q")]
    case = data[data["audit_type"] == "case"]
    base = alt.Chart(case).encode(x=x, y=alt.Y("audits:Q", title="case audits completed"), tooltip=tooltip)
    layers = [base.mark_bar(color=BLUE).encode(description=alt.Description("aria:N")),
              base.mark_text(dy=-6, fontSize=10, color=TEXT_COLOUR, aria=False).encode(text="audits:Q")]
    if target is not None:
        rule = pd.DataFrame({"target": [target], "label": [f"target {target:g} a month"]})
        layers.append(alt.Chart(rule).mark_rule(strokeDash=[6, 4], color=RULE_COLOUR,
                                                description=f"target {target:g} a month").encode(y="target:Q"))
        layers.append(alt.Chart(rule).mark_text(align="left", dx=4, dy=-6, color=TEXT_COLOUR, aria=False).encode(
            y="target:Q", x=alt.value(0), text="label:N"))
    others = data[data["audit_type"] != "case"]
    order = ["thematic audits", "dip samples"]
    other_base = alt.Chart(others).encode(
        x=x, y=alt.Y("audits:Q", title="thematic and dip-sample audits"),
        color=alt.Color("kind:N", sort=order, legend=alt.Legend(orient="top", title=None),
                        scale=alt.Scale(domain=order, range=[PURPLE, ORANGE])))
    other_chart = alt.layer(
        other_base.mark_line(aria=False).encode(
            strokeDash=alt.StrokeDash("kind:N", sort=order, legend=None,
                                      scale=alt.Scale(domain=order, range=[[1, 0], [6, 3]]))),
        other_base.mark_point(filled=True, size=50, opacity=1).encode(
            shape=alt.Shape("kind:N", sort=order, legend=None,
                            scale=alt.Scale(domain=order, range=["square", "triangle-up"])),
            description=alt.Description("aria:N"), tooltip=tooltip))
    months_met = int((case["audits"] >= target).sum()) if target is not None else None
    parts = [f"Bar chart of case audits completed each month, {_span(case['month'])}: "
             + f"{_count(case['audits'].sum())} in all"]
    if target is not None:
        parts.append(f"the target of {target:g} a month was met in {months_met} of {len(case)} months")
    thematic = others.loc[others["audit_type"] == "thematic", "audits"].sum()
    dips = others.loc[others["audit_type"] == "dip_sample", "audits"].sum()
    parts.append(f"below it, a line chart of thematic audits ({_count(thematic)} in all) and dip samples "
                 f"({_count(dips)} in all)")
    chart = alt.vconcat(
        alt.layer(*layers).properties(height=240, title=alt.TitleParams("Case audits each month", anchor="start",
                                                                        fontSize=13)),
        other_chart.properties(height=140, title=alt.TitleParams("Thematic audits and dip samples each month",
                                                                 anchor="start", fontSize=13)))
    return _accessible(chart, description, _sentence(*parts))


def grow_chart(frame: pd.DataFrame, *, description: str | None = None, title: str | None = None) -> alt.LayerChart:
    """People who joined by each route, and how many are still employed, labelled with the numbers.

    Joined is an outlined bar, still employed a filled one, so the two differ by more than colour.
    """
    measures = ["joined", "still employed"]
    totals = frame.groupby("route", as_index=False)[["people", "still_employed"]].sum()
    long = totals.melt(id_vars="route", var_name="measure", value_name="n")
    long["measure"] = long["measure"].map({"people": "joined", "still_employed": "still employed"})
    long["aria"] = [f"{r}, {m}: {_count(n)}" for r, m, n in zip(long["route"], long["measure"], long["n"])]
    base = alt.Chart(long).encode(y=alt.Y("route:N", title=None, axis=alt.Axis(labelLimit=260)),
                                  yOffset=alt.YOffset("measure:N", sort=measures))
    legend = alt.Legend(orient="top", title=None)
    bars = base.mark_bar(strokeWidth=2).encode(
        x=alt.X("n:Q", title="people", axis=alt.Axis(tickMinStep=1, format=",d")),
        **_filled_or_outlined("measure:N", measures, [GREY, BLUE], [False, True], legend),
        description=alt.Description("aria:N"),
        tooltip=["route:N", "measure:N", "n:Q"])
    text = base.mark_text(align="left", dx=4, color=TEXT_COLOUR, aria=False).encode(x="n:Q", text="n:Q")
    default = _sentence("Bar chart of people who joined by each route (outlined bars) and how many are still "
                        "employed (filled bars)",
                        ", ".join(f"{r} {_count(p)} joined, {_count(s)} still employed"
                                  for r, p, s in zip(totals["route"], totals["people"], totals["still_employed"])))
    return _accessible((bars + text).properties(height=200), description, default, title)
