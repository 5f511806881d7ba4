"""Words, not codes: no page shows a raw code (EMO, U3, PR1, requires_improvement, UNALLOCATED...) where a reader
needs its description. Every element's text is scanned: headings, captions, figures, table cells and column names,
choices, and the data behind every chart. Indicator definitions and team rules are quoted as the contract words
them (the Definitions page is their reference), as are the sources they cite: those exact texts are left out.
"""
import io
import json
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from torbay_dash import codes
from torbay_dash.indicators import REGISTRY

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["views/overview.py", "views/safeguarding.py", "views/cared_for.py", "views/workforce.py",
         "views/quality.py", "views/definitions.py"]
# quoted as the contract words them, or citing a published source's own code
CONTRACT_TEXT = sorted({text for i in REGISTRY.values() for text in (i.definition, i.team_rule, i.source) if text},
                       key=len, reverse=True)
RAW = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, codes.RAW_CODES), key=len, reverse=True))
                 + r")(?![\w-])")


def _spec_words(spec, fields: set, texts: list) -> None:
    """Text in a chart's spec (titles, labels, descriptions, label expressions, inline values), and the names
    of the fields its encodings draw (a field used only to select, such as a team's id, is not drawn)."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "encoding" and isinstance(value, dict):
                for channel in value.values():
                    for definition in channel if isinstance(channel, list) else [channel]:
                        if isinstance(definition, dict) and isinstance(definition.get("field"), str):
                            fields.add(definition["field"].split(".")[0])
            if key in ("datasets", "data") and isinstance(value, dict) and "values" not in value:
                continue
            _spec_words(value, fields, texts)
    elif isinstance(spec, list):
        for value in spec:
            _spec_words(value, fields, texts)
    elif isinstance(spec, str):
        texts.append(spec)


def chart_texts(node) -> list[str]:
    """The words a chart draws: its spec's text, and every value of each drawn field of its data."""
    proto = node.proto
    texts, fields = [], set()
    _spec_words(json.loads(proto.spec), fields, texts)
    raws = [dataset.data.data for dataset in getattr(proto, "datasets", [])]
    if getattr(proto, "data", None) is not None:
        raws.append(proto.data.data)
    for raw in filter(None, raws):
        frame = pa.ipc.open_stream(io.BytesIO(raw)).read_all().to_pandas()
        drawn = [c for c in frame.columns if c in fields]
        texts.append(frame[drawn].astype(str).to_csv(index=False))
    return texts


def page_texts(at: AppTest) -> list[str]:
    """Everything a person can read on the page, element by element."""
    texts = []

    def walk(node):
        kind = getattr(node, "type", "")
        if kind == "vega_lite_chart":
            texts.extend(chart_texts(node))
        elif kind == "dataframe":
            frame = node.value
            texts.append(" | ".join(map(str, frame.columns)))
            texts.append(frame.astype(str).to_csv(index=False))
        else:
            for attribute in ("value", "label", "delta", "help", "placeholder"):
                try:
                    value = getattr(node, attribute, None)
                except Exception:  # some elements compute a value from widget state that has none yet
                    continue
                if isinstance(value, str):
                    texts.append(value)
            options = getattr(node, "options", None)
            if isinstance(options, list):
                texts.extend(map(str, options))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return texts


def raw_codes_in(texts: list[str]) -> dict[str, str]:
    """Each raw code found, with the text it was found in (contract definitions taken out first)."""
    found = {}
    for text in texts:
        for quoted in CONTRACT_TEXT:
            text = text.replace(quoted, " ")
        for match in RAW.finditer(text):
            start = max(0, match.start() - 60)
            found.setdefault(match.group(1), text[start:match.end() + 60].replace("\n", " "))
    return found


def test_the_scan_finds_a_raw_code():
    """The scan itself: a code in a cell, a column of a chart's data, and words that merely contain one."""
    assert set(raw_codes_in(["plan category: NEG", '{"category": "EMO"}'])) == {"NEG", "EMO"}
    assert raw_codes_in(["Neglect; Emotional abuse; NEGATIVE; u3"]) == {}
    assert raw_codes_in([REGISTRY["cla_in_house_foster_pct"].definition]) == {}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", [{}, {"team": "Safeguarding and family support 1"}, {"team": "Cared-for children 1"}],
                         ids=["all_teams", "a_safeguarding_team", "a_cared_for_team"])
def test_no_page_shows_a_raw_code(demo_root, use_data_root, page, query):
    use_data_root(demo_root)
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(query)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    found = raw_codes_in(page_texts(at))
    assert not found, "raw codes on the page, where a reader needs words:\n" + "\n".join(
        f"  {code}: …{context}…" for code, context in sorted(found.items()))


@pytest.mark.parametrize("page, indicator_id", [
    ("views/safeguarding.py", "icpc_15wd_pct"), ("views/safeguarding.py", "cp_plans_2yrs_plus_pct"),
    ("views/cared_for.py", "cla_in_house_foster_pct"), ("views/cared_for.py", "cla_3plus_placements_pct"),
    ("views/cared_for.py", "care_leavers_suitable_accom_pct"), ("views/quality.py", "audits_good_or_better_pct"),
])
def test_the_children_behind_a_number_are_listed_in_words(demo_root, use_data_root, page, indicator_id):
    """The drill-down lists carry the most coded columns: placement types, categories, grades, accommodation."""
    use_data_root(demo_root)
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["indicator"] = indicator_id
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    found = raw_codes_in(page_texts(at))
    assert not found, "\n".join(f"  {code}: …{context}…" for code, context in sorted(found.items()))


def test_downloads_carry_both_code_and_description():
    """A CSV keeps the code for analysts and adds its words beside it."""
    frame = pd.DataFrame({"person_id": ["C1", "C2"], "category": ["NEG", None]})  # C2: no category recorded
    csv = codes.for_csv(frame)
    assert list(csv.columns) == ["person_id", "category", "category description"]
    assert csv["category description"].tolist() == ["Neglect", "not recorded"]
    assert json.dumps(codes.for_display(frame)["category"].tolist()) == '["Neglect", "not recorded"]'
