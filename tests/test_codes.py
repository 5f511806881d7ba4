"""Words, not codes: the code lists, describe(), for_display() and for_csv().

Hand-built frames first (each with the outcome expected), then the lists themselves
(every list has a source, every coded contract column has a list), then the demo
generator: every code it writes, and every code the SQL hands to a screen, has words.
"""
from __future__ import annotations

import datetime as dt
import json
import tomllib

import numpy as np
import pandas as pd
import pytest

from torbay_dash import codes, contract
from torbay_dash.codes import KEEP, NOT_RECORDED, RAW_CODES, UNRECOGNISED, describe, for_csv, for_display, rule_for

NULL_TEXT = {"None", "nan", "NaN", "NaT", "<NA>"}


# ------------------------------------------------------------------ describe()

def test_describe_known_codes_in_words():
    assert describe("cp_category", "NEG") == "Neglect"
    assert describe("placement_type", "U3") == "Foster care with relatives or friends: not long term"
    assert describe("placement_provider", "PR1") == "The authority's own provision"
    assert describe("legal_status", "C2") == "Full care order"
    assert describe("episode_ceased_reason", "E4A").startswith("Returned home")
    assert describe("cin_primary_need", "N1") == "Abuse or neglect"
    assert describe("audit_grade", "requires_improvement") == "Requires improvement"


def test_describe_is_forgiving_about_case_spaces_and_numbers():
    assert describe("cp_category", " neg ") == "Neglect"            # case and spaces ignored
    assert describe("audit_grade", "Good") == "Good"
    assert describe("referral_source", 4) == describe("referral_source", "4")     # a number read as a number
    assert describe("referral_source", 4.0) == "Housing (council or housing association)"
    assert describe("cp_category", "Neglect") == "Neglect"          # a source that already holds the words


def test_describe_unknown_code_stays_visible_with_a_marker():
    assert describe("placement_type", "U9") == f"U9 ({UNRECOGNISED})"
    assert describe("cp_category", "XYZ") == "XYZ (code not recognised)"


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, pd.NaT, "", "   ", "None", "nan"])
def test_describe_missing_is_not_recorded(missing):
    assert describe("cp_category", missing) == NOT_RECORDED


def test_describe_unknown_list_is_an_error():
    with pytest.raises(KeyError, match="no code list"):
        describe("no_such_list", "NEG")


# ------------------------------------------------------------------ for_display()

def test_for_display_words_for_coded_columns_and_not_recorded_for_gaps():
    frame = pd.DataFrame({
        "person_id": ["C1", "C2", None],           # not coded: a gap reads "not recorded"
        "category": ["NEG", "MUL", None],          # bare name from SQL -> CP category
        "placement_type": ["U1", "K2", "Q7"],      # unknown Q7 stays visible, marked
        "team": ["T01", "UNALLOCATED", None],      # open list: team ids pass, UNALLOCATED in words
        "days": [3.0, np.nan, 5.0],                # numbers untouched
    }, index=[10, 10, 11])                          # a duplicated index is kept as it is
    shown = for_display(frame)
    assert shown["person_id"].tolist() == ["C1", "C2", "not recorded"]
    assert shown["category"].tolist() == ["Neglect", "Multiple categories", "not recorded"]
    assert shown["placement_type"].tolist() == ["Foster care with relatives or friends: long term",
                                                "Children's home", "Q7 (code not recognised)"]
    assert shown["team"].tolist() == ["T01", "No allocated team", "not recorded"]
    assert shown["days"].isna().tolist() == [False, True, False]
    assert shown.index.tolist() == [10, 10, 11]
    assert list(shown.columns) == list(frame.columns)
    assert frame["category"].iloc[:2].tolist() == ["NEG", "MUL"]   # the input is not changed
    assert pd.isna(frame["category"].iloc[2])


def test_for_display_contract_columns_by_table_and_flags_in_words():
    frame = pd.DataFrame({
        "clap_cla_placement_provider": pd.array(["PR4", None], dtype="string[pyarrow]"),
        "clae_cla_episode_ceased_reason": ["E11", "X1"],
        "cppv_cp_visit_seen": ["Y", "N"],
        "grade": ["good", "inadequate"],
    })
    shown = for_display(frame, table="ssd_cla_placement")
    # -> provider in words, the gap not recorded; ceased reason and flags found by column name
    assert shown["clap_cla_placement_provider"].tolist() == ["Private provision", "not recorded"]
    assert shown["clae_cla_episode_ceased_reason"].tolist() == [
        "Adopted (application unopposed)", "Episode ended and another began the same day (still in care)"]
    assert shown["cppv_cp_visit_seen"].tolist() == ["Yes", "No"]
    assert shown["grade"].tolist() == ["Good", "Inadequate"]


def test_for_display_json_lists_and_categoricals():
    frame = pd.DataFrame({
        "cont_contact_outcome_json": ['["early_help","information_advice"]', "[]", "not json", None],
        "audit_type": pd.Categorical(["case", "dip_sample", "thematic", None]),
        "stage": pd.Categorical(["Contacts", None, "Referrals", "Referrals"]),
    })
    shown = for_display(frame)
    # -> each code of the array in words, joined; an empty array or a gap is "not recorded"
    assert shown["cont_contact_outcome_json"].tolist() == [
        "Passed to early help; Information and advice given", "not recorded",
        "not json (code not recognised)", "not recorded"]
    assert shown["audit_type"].tolist() == ["Case audit", "Dip sample", "Thematic audit", "not recorded"]
    assert shown["stage"].tolist() == ["Contacts", "not recorded", "Referrals", "Referrals"]


def test_for_display_leaves_no_raw_code_and_no_none_text():
    frame = pd.DataFrame({
        "latest_category": ["EMO", "PHY", "SAB", "NEG", "MUL", None],
        "legal_status": ["C1", "C2", "E1", "V2", "J1", None],
        "placement_provider": ["PR0", "PR1", "PR2", "PR3", "PR5", np.nan],
        "final_grade": ["outstanding", "good", "requires_improvement", "inadequate", None, "good"],
        "note": ["x", None, np.nan, pd.NA, "None", "nan"],
    })
    shown = for_display(frame)
    cells = {str(v) for v in shown.to_numpy().ravel()}
    assert not cells & RAW_CODES
    assert not cells & NULL_TEXT


def test_for_display_of_an_empty_frame():
    frame = pd.DataFrame({"category": pd.Series([], dtype=object), "n": pd.Series([], dtype=int)})
    shown = for_display(frame)
    assert list(shown.columns) == ["category", "n"] and shown.empty


# ------------------------------------------------------------------ for_csv()

def test_for_csv_keeps_each_code_with_its_description_after_it():
    frame = pd.DataFrame({"person_id": ["C1", "C2"], "category": ["NEG", None],
                          "team": ["T01", "UNALLOCATED"], "n": [1, 2]})
    out = for_csv(frame)
    # -> category and team each followed by their description; the codes themselves untouched
    assert list(out.columns) == ["person_id", "category", "category description",
                                 "team", "team description", "n"]
    assert out["category"].tolist()[0] == "NEG" and pd.isna(out["category"].tolist()[1])
    assert out["category description"].tolist() == ["Neglect", "not recorded"]
    assert out["team description"].tolist() == ["T01", "No allocated team"]
    assert out["n"].tolist() == [1, 2]


def test_for_csv_does_not_add_a_description_twice():
    frame = pd.DataFrame({"category": ["NEG"], "category description": ["given"]})
    assert list(for_csv(frame).columns) == ["category", "category description"]


# ------------------------------------------------------------------ the lists as data

def test_every_list_file_has_a_source_and_every_source_a_file():
    sources = tomllib.loads((codes.CODELISTS_DIR / "sources.toml").read_text(encoding="utf-8"))
    files = {p.stem for p in codes.CODELISTS_DIR.glob("*.csv")} - {"columns"}
    assert files == set(sources)
    for name, info in sources.items():
        assert info.get("source", "").strip(), name
        assert info.get("title", "").strip(), name
        assert info.get("kind") in ("published", "local"), name
        assert len(codes.code_list(name)) > 0


def test_list_files_are_code_description_utf8_with_short_plain_descriptions():
    for path in codes.CODELISTS_DIR.glob("*.csv"):
        if path.name == "columns.csv":
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        assert list(frame.columns) == ["code", "description"], path.name
        assert frame["code"].str.casefold().is_unique, path.name
        assert (frame["description"].str.len().between(2, 90)).all(), path.name   # words, not paragraphs


def test_every_coded_contract_column_has_a_list():
    mapped = {(r.table, r.column) for r in codes.column_rules() if r.table}
    for table in contract.TABLES.values():
        for col in table.columns:
            if col.type in (contract.CODE, contract.FLAG):
                assert (table.name, col.name) in mapped, f"{table.name}.{col.name} has no code list"
    for table, column in mapped:   # and every mapped column is a contract column
        assert column in contract.TABLES[table].column_names, f"{table}.{column}"


def test_columns_are_found_by_table_or_by_name():
    assert rule_for("cppl_cp_plan_latest_category").list == "cp_category"
    assert rule_for("grade", table="qa_audits").list == "audit_grade"
    assert rule_for("team").unknown == KEEP
    assert rule_for("person_id") is None


def test_raw_codes_are_distinctive_codes_from_the_lists():
    every_code = {c for lst in codes.code_lists().values() for c in lst.codes}
    assert RAW_CODES <= every_code
    assert {"EMO", "NEG", "PHY", "SAB", "MUL", "U1", "U6", "K1", "PR1", "requires_improvement",
            "UNALLOCATED"} <= RAW_CODES
    # codes that are also everyday words or single letters never count as raw codes on a page
    assert not {"YES", "NO", "BOTH", "good", "case", "agency", "Y", "N", "M", "S", "4"} & RAW_CODES


# ------------------------------------------------------------------ the demo generator

@pytest.fixture(scope="module")
def demo_snapshot(tmp_path_factory):
    from torbay_dash.synth import generate
    root = tmp_path_factory.mktemp("codes_demo") / "data"
    snapshots = generate(root, seed=42, scale=0.05, snapshots="latest")
    return snapshots[-1]


def _codes_in(rule, series: pd.Series) -> set[str]:
    values = series.dropna().astype(str)
    if rule.format == codes.JSON_LIST:
        return {str(c) for v in values for c in json.loads(v)}
    return set(values)


def test_every_code_the_demo_writes_has_words(demo_snapshot):
    missing = {}
    for name in demo_snapshot.tables:
        frame = pd.read_parquet(demo_snapshot.table_path(name))
        for column in frame.columns:
            rule = rule_for(column, table=name)
            if rule is None:
                continue
            unknown = {c for c in _codes_in(rule, frame[column])
                       if UNRECOGNISED in describe(rule.list, c)}
            if unknown:
                missing[f"{name}.{column}"] = sorted(unknown)
        shown = for_display(frame, table=name)
        coded = [c for c in frame.columns if rule_for(c, table=name) is not None]
        cells = {str(v) for v in shown[coded].to_numpy().ravel()}
        assert not cells & RAW_CODES, name
        assert not cells & NULL_TEXT, name
    assert not missing, f"codes without words: {missing}"


def test_every_code_the_sql_hands_a_screen_has_words(demo_snapshot):
    from torbay_dash import queries
    from torbay_dash.compute import unit_rows
    from torbay_dash.db import SnapshotDB
    from torbay_dash.indicators import REGISTRY
    from torbay_dash.periods import Period, add_months, months
    from torbay_dash.settings import load_settings

    db = SnapshotDB(demo_snapshot)
    as_at = demo_snapshot.as_at
    end = as_at.replace(day=1) - dt.timedelta(days=1)
    period = Period(add_months(end, -12) + dt.timedelta(days=1), end)
    periods = months(period.start, period.end)
    settings = load_settings()
    cp_now = queries.cp_children_now(db, as_at, 10)
    frames = {
        "flow": queries.flow(db, period), "cp_children_now": cp_now,
        "cp_by_category": queries.cp_plans_by_category_and_length(db, cp_now),
        "cp_due": queries.cp_due(db, as_at, 15), "placement_mix": queries.placement_mix(db, periods),
        "cla_reviews_due": queries.cla_reviews_due(db, as_at, 20),
        "missing_by_month": queries.missing_by_month(db, periods),
        "grow_our_own": queries.grow_our_own(db, as_at, add_months(as_at, -36)),
        "audits_by_team": queries.audits_by(db, period, "team"), "moderation": queries.moderation(db, period),
        "actions_overdue": queries.actions_overdue(db, as_at), "open_cases": queries.open_cases(db, as_at),
    }
    frames.update({f"rows of {i}": unit_rows(db, ind, periods, settings) for i, ind in REGISTRY.items()})
    problems = []
    for where, frame in frames.items():
        if frame is None:
            continue
        shown = for_display(frame)
        for column in frame.columns:
            rule = rule_for(str(column))
            if rule is not None and rule.unknown != KEEP:
                bad = sorted({v for v in shown[column].astype(str) if UNRECOGNISED in v})
                if bad:
                    problems.append(f"{where}.{column}: {bad[:5]}")
            elif rule is None and (frame[column].dtype == object
                                   or pd.api.types.is_string_dtype(frame[column].dtype)):
                raw = sorted(set(frame[column].dropna().astype(str)) & RAW_CODES)
                if raw:   # a column carrying codes that no list claims
                    problems.append(f"{where}.{column} has raw codes but no list: {raw[:5]}")
    db.close()
    assert not problems, "\n".join(problems)
