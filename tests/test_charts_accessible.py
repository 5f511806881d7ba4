"""Every chart builder's chart is accessible (WCAG 2.2 AA) as a Vega-Lite spec, checked without a browser.

- a top-level description: one plain sentence with every number rounded as shown (Vega puts it on
  the chart's container as its aria-label, instead of "Vega visualization"); `description=` overrides it;
- every data mark has its own screen-reader label (a description channel or mark description, whose
  texts carry no unrounded number), or is hidden from screen readers (aria: false);
- series colours reach 3:1 on white (after any opacity), chart text 4.5:1;
- the two stacked charts name every segment in text, not by colour alone;
- every field is typed: pytest.ini turns Altair's "I don't know how to infer vegalite type" into an error.

The frames are small and hand-built, in the shapes the UI passes (see torbay_dash/ui/).
"""
from __future__ import annotations

import configparser
import inspect
import json
import re
import warnings
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from torbay_dash import charts, indicators
from torbay_dash.charts.stacked import _category_words
from torbay_dash.spc import xmr

MONTHS = pd.date_range("2020-03-01", periods=17, freq="MS")
UNROUNDED = re.compile(r"\d\.\d{2,}")   # 84.75, 85.1063829787: more decimals than the dashboard shows


def monthly(values, numerators=None, denominators=None) -> pd.DataFrame:
    """An indicator frame month by month (from, to, numerator, denominator, value), as compute returns."""
    values = list(values)
    ends = MONTHS[:len(values)] + pd.offsets.MonthEnd(0)
    return pd.DataFrame({"from": MONTHS[:len(values)].date, "to": ends.date,
                         "numerator": numerators if numerators is not None else [round(v * 2) for v in values],
                         "denominator": denominators if denominators is not None else [200.0] * len(values),
                         "value": values})


def counts(values) -> pd.DataFrame:
    return monthly(values, numerators=list(values), denominators=[None] * len(values))


PCT = indicators.get("assessments_45wd_pct")
RAW = [84.7512038523 - i * 0.37 for i in range(17)]     # what the audit heard read out: unrounded

TEAMS = pd.DataFrame({"team": ["T1", "T2", "T3"], "team_name": ["Team one", "Team two", "Team three"],
                      "numerator": [40.0, 9.0, 3.0], "denominator": [47.0, 11.0, 7.0]}).assign(
    value=lambda f: 100 * f["numerator"] / f["denominator"])              # 85.1063829787...
TEAM_LISTS = pd.DataFrame({"team": ["T1", "T2", "T3"], "team_name": ["Team one", "Team two", "Team three"],
                           "overdue": [9, 0, 14], "listed": [20, 3, 31]})
REFERENCES = pd.DataFrame({"label": ["target", "England", "statistical neighbours"], "value": [85.0, 82.1234, 83.64],
                           "text": ["target 85", "England 2020-21: 82.1", "statistical neighbours 2020-21: 83.64"]})
FLOW = pd.DataFrame({"step": [1, 2, 3], "stage": ["contacts", "referrals", "assessments"],
                     "this_period": [1200, 400, 380], "year_before": [1100, 420, 360]})
CP_SUMMARY = pd.DataFrame({  # queries.cp_plans_by_category_and_length: category codes as the extract has them
    "category": ["EMO", "MUL", "NEG", "NEG", "NEG", "Not recorded", "PHY", "SAB"],
    "length_band": ["under 3 months", "2 years or more", "3 to 6 months", "6 to 12 months", "under 3 months",
                    "under 3 months", "6 to 12 months", "1 to 2 years"],
    "children": [18, 1, 22, 12, 30, 2, 4, 2]})
PLACEMENTS = ["Our own foster carers", "Independent fostering agencies", "Children's homes and residential",
              "Placed with parents", "Placed for adoption", "A kind the chart does not know"]
MIX = pd.DataFrame([(end, kind, n) for end in (MONTHS[:4] + pd.offsets.MonthEnd(0)).date
                    for kind, n in zip(PLACEMENTS, [120, 80, 30, 12, 3, 1])],
                   columns=["period_to", "placement", "children"])
STARTERS = pd.DataFrame([(m, s, v) for m in MONTHS[:6] for s, v in [("starters", 3), ("leavers", 2)]],
                        columns=["month", "series", "value"])
FTE = pd.DataFrame([(m, s, v) for m in MONTHS[:3] for s, v in [("employed FTE", 41.3333), ("agency FTE", 5.25)]],
                   columns=["month", "series", "value"])
WORKERS = pd.DataFrame({"worker": ["W1", "W2", "W3"], "team_name": ["Team one", "Team one", "Team two"],
                        "cases": [18, 25, 12], "fte": [1.0, 1.0, 0.8], "cases_per_fte": [18.0, 25.0, 15.0],
                        "above": ["within threshold", "above threshold", "within threshold"]})
VOLUME = pd.DataFrame([(m, t, n) for m in MONTHS[:4] for t, n in [("case", 21), ("thematic", 2), ("dip_sample", 1)]],
                      columns=["month", "audit_type", "audits"])
GRADES = pd.DataFrame({"month": MONTHS[:3], "value": [60.0, 66.6666667, 70.0], "low": [40.1234, 45.0, 50.0],
                       "high": [77.0, 82.0, 85.0], "n": [10, 12, 20]})
GRADE_TEAMS = pd.DataFrame({"team_name": ["Team one", "Team two"], "value": [60.0, 66.6666667],
                            "low": [40.1234, 45.0], "high": [77.0, 82.0], "n": [10, 12]})
TRIANGULATION = pd.DataFrame({"team_name": ["Team one", "Team one", "Team two"],
                              "measure": ["audits good or better", "CLA visits in timescale", "audits good or better"],
                              "value": [60.0, 88.888, 70.0], "n": [10, 45, 12]})
GROW = pd.DataFrame({"route": ["ASYE", "ASYE", "international"], "month_started": MONTHS[:3].date,
                     "people": [3, 2, 4], "still_employed": [3, 1, 2]})
NEIGHBOURS = pd.DataFrame({"la_code": [1, 2, 3], "la_name": ["Torbay", "Here", "There"],
                           "value": [12.3456, 10.0, None], "symbol": ["", "", "c"],
                           "status": ["published", "published", "suppressed"],
                           "is_authority": [True, False, False], "rank": [0, 1, 2]})

# builder name -> (args, kwargs) for each case: the UI's shapes, with unrounded numbers on purpose
CASES = {
    "trend_chart": [((monthly(RAW), PCT, monthly(RAW), REFERENCES), {}), ((monthly(RAW[:3]), PCT), {}),
                    ((counts([5, 7, None, 4]), indicators.get("referrals")), {})],
    "teams_chart": [((TEAMS, PCT), {})],
    "team_lists_chart": [((TEAM_LISTS,), {})],
    "flow_chart": [((FLOW,), {})],
    "cp_length_chart": [((CP_SUMMARY,), {})],
    "population_chart": [((counts([300, 301, 303, 302]), counts([5, 7, 3, 4]), counts([4, 6, 2, 3])), {})],
    "placement_mix_chart": [((MIX,), {})],
    "lines_chart": [((STARTERS, "social workers", ["starters", "leavers"]), {}),
                    ((FTE, "FTE at the month end", ["funded social worker FTE", "employed FTE", "agency FTE"]), {})],
    "caseload_chart": [((WORKERS, 20.0), {})],
    "audit_volume_chart": [((VOLUME, 25.0), {}), ((VOLUME, None), {})],
    "interval_chart": [((GRADES, "month", "month", "% good or better"), {"over_time": True}),
                       ((GRADE_TEAMS, "team_name", "team", "% good or better"), {})],
    "triangulation_chart": [((TRIANGULATION,), {})],
    "sparkline": [((monthly(RAW), "%"), {"title": "Assessments within 45 working days"}),
                  ((counts([3, 5, 4]), "count"), {})],
    "grow_chart": [((GROW,), {})],
    "spc_chart": [((xmr([84.7512038523 + (-1) ** i * (i % 4) for i in range(17)], x=MONTHS, target=80.0),
                    "Assessments within 45 working days", "%"), {}),
                  ((xmr([3, 5, 4, 6], x=pd.period_range("2021-01", periods=4, freq="M"), improvement="neutral"),
                    "Contacts", "contacts"), {}),
                  ((xmr([1.5, 2.25, 3.125, 2.0, 2.5]), "Example", "count", 3), {})],
    "neighbours_chart": [((NEIGHBOURS, "Social worker turnover", "%"), {}),
                         ((NEIGHBOURS, "Social worker turnover", "%", 17.23456, 8.0), {})],
}
CASE_IDS = [f"{name}-{i}" for name, cases in CASES.items() for i in range(len(cases))]
STACKED = {"cp_length_chart", "placement_mix_chart"}


def public_builders() -> set[str]:
    return {name for name, f in inspect.getmembers(charts, inspect.isfunction)
            if f.__module__.startswith(charts.__name__) and not name.startswith("_")
            and (name.endswith("_chart") or name == "sparkline")}


def build(name: str, index: int = 0, **extra):
    args, kwargs = CASES[name][index]
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="I don't know how to infer vegalite type", category=UserWarning)
        return getattr(charts, name)(*args, **{**kwargs, **extra})


def spec_of(case_id: str) -> dict:
    name, index = case_id.rsplit("-", 1)
    return build(name, int(index)).to_dict()


# ---------------------------------------------------------------- walking a spec

def units(spec) -> list[dict]:
    """Every unit spec (a dict with a mark), however deep in layers and concatenations."""
    found = []
    if isinstance(spec, dict):
        if "mark" in spec:
            found.append(spec)
        for key, value in spec.items():
            if key not in ("datasets", "data", "config"):
                found += units(value)
    elif isinstance(spec, list):
        for value in spec:
            found += units(value)
    return found


def mark_of(unit: dict) -> dict:
    return unit["mark"] if isinstance(unit["mark"], dict) else {"type": unit["mark"]}


def rows(spec: dict) -> list[dict]:
    return [row for data in spec.get("datasets", {}).values() for row in data]


SECONDARY = {"x2", "y2", "theta2", "radius2", "latitude2", "longitude2"}  # typed by their primary channel


def fields_without_type(spec: dict) -> list:
    """Every encoding channel that names a field but not its type (Altair would infer it, or warn)."""
    found = []
    for unit in units(spec):
        for channel, definition in unit.get("encoding", {}).items():
            for d in definition if isinstance(definition, list) else [definition]:
                if (isinstance(d, dict) and "field" in d and "type" not in d and "aggregate" not in d
                        and channel not in SECONDARY):
                    found.append(f"{channel}: {d['field']}")
    return found


# ---------------------------------------------------------------- WCAG contrast

NAMED = {"white": "#ffffff", "black": "#000000"}


def luminance(colour: str) -> float:
    colour = NAMED.get(colour.lower(), colour).lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str = "#ffffff") -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def on_white(colour: str, opacity: float = 1.0) -> str:
    """The colour seen when drawn at `opacity` over white."""
    colour = NAMED.get(colour.lower(), colour).lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    rgb = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 * (1 - opacity) + c * opacity):02x}" for c in rgb)


def is_white(colour) -> bool:
    return isinstance(colour, str) and NAMED.get(colour.lower(), colour.lower()) in ("#ffffff", "#fff")


def lowest_opacity(unit: dict) -> float:
    mark, encoding = mark_of(unit), unit.get("encoding", {})
    found = [mark.get("opacity", 1.0)]
    opacity = encoding.get("opacity", {})
    found += [opacity["value"]] if "value" in opacity else []
    conditions = opacity.get("condition", [])
    found += [c["value"] for c in (conditions if isinstance(conditions, list) else [conditions]) if "value" in c]
    found += [v for v in opacity.get("scale", {}).get("range", []) if isinstance(v, (int, float))]
    return min(float(v) for v in found if isinstance(v, (int, float)))


def series_colours(unit: dict) -> list[tuple[str, str]]:
    """(where, colour) for every colour a mark or its colour channels use; white only where it is
    the background (segment separators, the inside of an outlined bar)."""
    found = []
    mark, encoding = mark_of(unit), unit.get("encoding", {})
    for key in ("color", "fill", "stroke"):
        value = mark.get(key)
        if isinstance(value, str) and not (key == "stroke" and is_white(value)):
            found.append((f"mark.{key}", value))
    for channel in ("color", "fill", "stroke"):
        definition = encoding.get(channel, {})
        if isinstance(definition.get("value"), str):
            found.append((f"{channel}.value", definition["value"]))
        for i, value in enumerate(definition.get("scale", {}).get("range", [])):
            outlined = (channel == "fill" and is_white(value)
                        and "stroke" in encoding and "range" in encoding["stroke"].get("scale", {}))
            if isinstance(value, str) and not outlined:
                found.append((f"{channel}.scale.range[{i}]", value))
    return found


# ---------------------------------------------------------------- the tests

def test_every_public_builder_has_a_case():
    assert public_builders() == set(CASES), "add a small frame for each new chart builder"


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_description_is_one_plain_sentence_with_rounded_numbers(case_id):
    description = spec_of(case_id).get("description")
    assert isinstance(description, str) and description.strip(), "no top-level description: 'Vega visualization'"
    assert description != "Vega visualization"
    assert description[0].isupper() and description.endswith("."), description
    assert not re.search(r"\.\s+[A-Z]", description), f"more than one sentence: {description}"
    assert not UNROUNDED.search(description), f"unrounded number in: {description}"
    assert "nan" not in description.lower().split(), description
    assert 40 <= len(description) <= 700, description


@pytest.mark.parametrize("name", sorted(CASES))
def test_description_can_be_given(name):
    spec = build(name, description="A chart said in my own words.").to_dict()
    assert spec["description"] == "A chart said in my own words."


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_every_mark_is_labelled_with_rounded_numbers_or_hidden(case_id):
    spec = spec_of(case_id)
    label_fields = set()
    for unit in units(spec):
        mark, encoding = mark_of(unit), unit.get("encoding", {})
        if mark.get("aria") is False:
            continue
        described = encoding.get("description") or mark.get("description")
        assert described, f"a {mark['type']} layer would be read with Vega-Lite's raw field values"
        if "field" in encoding.get("description", {}):
            label_fields.add(encoding["description"]["field"])
        if isinstance(mark.get("description"), str):
            assert not UNROUNDED.search(mark["description"]), mark["description"]
    labels = [str(row[f]) for row in rows(spec) for f in label_fields if f in row]
    assert labels or not label_fields
    assert not [t for t in labels if UNROUNDED.search(t)], "unrounded numbers in the marks' screen-reader labels"


def test_points_are_read_as_displayed():
    spec = build("trend_chart").to_dict()
    labels = {row["aria"] for row in rows(spec) if "aria" in row}
    assert "single month, Mar 2020: 84.8% (170 of 200)" in labels   # not 84.7512038523, not 'Mar 01, 2020'
    spec = build("teams_chart").to_dict()
    assert "Team one: 85.1% (40 of 47)" in {row.get("aria") for row in rows(spec)}
    spec = build("spc_chart").to_dict()
    assert "Mar 2020: 84.8%, common cause" in {row.get("aria") for row in rows(spec)}


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_series_colours_reach_3_to_1_on_white(case_id):
    spec = spec_of(case_id)
    failing = []
    for colour in spec["config"]["range"]["category"]:
        if contrast(colour) < 3:
            failing.append(("config.range.category", colour))
    for unit in units(spec):
        opacity = lowest_opacity(unit)
        for where, colour in series_colours(unit):
            if mark_of(unit)["type"] == "text":
                continue  # text is held to 4.5:1 below
            if contrast(on_white(colour, opacity)) < 3:
                failing.append((f"{mark_of(unit)['type']} {where} at opacity {opacity}", colour))
    assert not failing, failing


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_text_reaches_4_5_to_1(case_id):
    spec = spec_of(case_id)
    config = spec["config"]
    for part, keys in {"axis": ("labelColor", "titleColor"), "legend": ("labelColor", "titleColor"),
                       "title": ("color", "subtitleColor"), "header": ("labelColor", "titleColor"),
                       "text": ("color",)}.items():
        for key in keys:
            assert contrast(config[part][key]) >= 4.5, (part, key, config[part][key])
    bar_colours = [colour for unit in units(spec) if mark_of(unit)["type"] == "bar"
                   for _, colour in series_colours(unit)]
    for unit in units(spec):
        mark = mark_of(unit)
        for key in ("labelColor", "titleColor"):      # an axis or legend that sets its own colour
            for channel in unit.get("encoding", {}).values():
                for guide in ("axis", "legend"):
                    if isinstance(channel, dict) and isinstance(channel.get(guide), dict) and key in channel[guide]:
                        assert contrast(channel[guide][key]) >= 4.5, (guide, key)
        if mark["type"] != "text":
            continue
        colours = [c for _, c in series_colours(unit)] or [config["text"]["color"]]
        for colour in colours:
            if is_white(colour):   # inside a bar: every bar colour must then be 4.5:1 against white text
                assert bar_colours and all(contrast(c) >= 4.5 for c in bar_colours), bar_colours
            else:
                assert contrast(on_white(colour, mark.get("opacity", 1.0))) >= 4.5, colour


def test_the_palette_is_dark_enough_for_white_text_and_for_graphics():
    assert len(set(charts.PALETTE)) == len(charts.PALETTE) >= 5
    assert all(contrast(c) >= 4.5 for c in charts.PALETTE), [(c, round(contrast(c), 2)) for c in charts.PALETTE]
    assert contrast(charts.TEXT_COLOUR) >= 4.5
    assert contrast("#b9c9de") < 3   # the audit's failing light blue, as this check sees it


CP_WORDS = {"Neglect", "Emotional abuse", "Physical abuse", "Sexual abuse", "Multiple categories", "not recorded"}


@pytest.mark.parametrize("name, kinds", [
    ("cp_length_chart", CP_WORDS),
    ("placement_mix_chart", set(PLACEMENTS)),
])
def test_stacked_charts_name_every_segment_in_text(name, kinds):
    spec = build(name).to_dict()
    text_units = [u for u in units(spec) if mark_of(u)["type"] == "text"]
    assert text_units, "a stacked chart needs a text layer: colour must not be the only signal"
    texts = {str(row[u["encoding"]["text"]["field"]]) for u in text_units for row in rows(spec)
             if u["encoding"]["text"].get("field") in row}
    for kind in kinds:
        assert any(kind in t for t in texts), f"{kind} is named nowhere in the chart's text"
    bars = [u for u in units(spec) if mark_of(u)["type"] == "bar"]
    assert bars and all(mark_of(u).get("stroke") == "white" for u in bars), "segments split by white lines"


def test_cp_categories_are_said_in_words_not_codes():
    spec = build("cp_length_chart").to_dict()
    assert "Neglect 64" in spec["description"] and "not recorded 2" in spec["description"]
    assert "Neglect, under 3 months on the plan: 30 of 50 children" in {row.get("aria") for row in rows(spec)}
    drawn = json.dumps({k: v for k, v in spec.items() if k != "datasets"}) + json.dumps(
        [{k: v for k, v in row.items() if k != "category_code"} for row in rows(spec)])
    assert not re.search(r"\b(NEG|EMO|PHY|SAB|MUL)\b", drawn), "a raw category code reaches the screen"
    # the UI may pass the words already: the same chart
    worded = charts.cp_length_chart(CP_SUMMARY.assign(category=CP_SUMMARY["category"].map(_category_words)))
    assert worded.to_dict()["description"] == spec["description"]


def test_sparkline_has_an_accessible_name_and_hides_its_marks():
    spec = build("sparkline").to_dict()
    assert spec["description"].startswith("Small line chart of Assessments within 45 working days (%)")
    assert "from 84.8 in Mar 2020 to 78.8 in Jul 2021" in spec["description"]
    assert all(mark_of(u).get("aria") is False for u in units(spec))


def test_teams_chart_keeps_its_selection_and_outlines_the_pick():
    spec = build("teams_chart").to_dict()
    bars = next(u for u in units(spec) if mark_of(u)["type"] == "bar")
    params = spec.get("params", []) + bars.get("params", [])   # Altair lifts a layer's params to the top
    assert [p["name"] for p in params] == ["team_pick"]         # the UI reads event["selection"]["team_pick"]
    condition = bars["encoding"]["strokeWidth"]["condition"]
    assert [c["empty"] for c in (condition if isinstance(condition, list) else [condition])] == [False]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_every_field_is_typed(case_id):
    assert fields_without_type(spec_of(case_id)) == []


def test_pytest_ini_still_turns_untyped_fields_into_errors():
    ini = configparser.ConfigParser()
    ini.read(Path(__file__).resolve().parents[1] / "pytest.ini")
    filters = [line.strip() for line in ini["pytest"]["filterwarnings"].splitlines() if line.strip()]
    assert "error:I don't know how to infer vegalite type:UserWarning" in filters
    # and the filter holds in this session: an untyped field Altair cannot infer (DuckDB's DECIMAL comes
    # back as Python Decimals) is an error, not a warning
    import altair as alt
    decimals = pd.DataFrame({"x": [Decimal("1.5"), Decimal("2.25")]})
    with pytest.raises(UserWarning, match="I don't know how to infer vegalite type"):
        alt.Chart(decimals).mark_point().encode(x="x").to_dict()
