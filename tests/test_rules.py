"""Cross-table rules: for each, a hand-built snapshot with rows that fail and rows that pass.

Every snapshot is published through the store (so validation leaves out what it would in
production); the failing rows are otherwise valid, so only the rule under test can catch them.
Each row's expected outcome is in the comment beside it.
"""
import datetime as dt
import json
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from torbay_dash import rules
from torbay_dash.frames import contract_frame
from torbay_dash.rules import RuleFailure, check, examples_frame, rule_table, skipped_rules
from torbay_dash.store import Store

AS_AT = "2021-07-31"


def publish(tmp_path, tables: dict[str, list[dict] | pd.DataFrame], as_at: str = AS_AT):
    """A served snapshot of these tables (rows as dicts are typed to the contract)."""
    frames = {name: rows if isinstance(rows, pd.DataFrame) else contract_frame(name, rows)
              for name, rows in tables.items()}
    snapshot = Store(tmp_path / "data").publish(dt.date.fromisoformat(as_at), frames, {"source": "rules test"})
    assert snapshot.usable, snapshot.reasons
    assert set(snapshot.tables) == set(tables), snapshot.quarantined
    return snapshot


def failures(snapshot, rule_id: str) -> dict[str, RuleFailure]:
    """The rule's failures on the snapshot (computed afresh), by table."""
    return {f.table: f for f in check(snapshot, use_cache=False) if f.rule == rule_id}


def ids(failure: RuleFailure) -> list[str]:
    return [e["record_id"] for e in failure.examples]


def person(pid, dob="2010-01-01"):
    return {"pers_person_id": pid, "pers_sex": "F", "pers_dob": dob}


# --- CHILD_NOT_IN_PERSON -------------------------------------------------------------------

def test_child_not_in_person_one_failure_per_table(tmp_path):
    snapshot = publish(tmp_path, {
        "ssd_person": [person("P1"),
                       person("P2", dob="1850-01-01"),     # left out by validation (before 1900), but in the file
                       person(None)],                      # no id: left out, and no match for anyone
        "ssd_contacts": [
            {"cont_contact_id": "C1", "cont_person_id": "P1", "cont_contact_date": "2021-01-04"},  # known -> pass
            {"cont_contact_id": "C2", "cont_person_id": "P9", "cont_contact_date": "2021-01-05"},  # unknown -> FAIL
            {"cont_contact_id": "C3", "cont_person_id": None, "cont_contact_date": "2021-01-06"},  # no id -> not judged
            # P2 left out of the view but in the file -> pass
            {"cont_contact_id": "C4", "cont_person_id": "P2", "cont_contact_date": "2021-01-07"},
        ],
        "ssd_cla_visits": [
            {"clav_cla_visit_id": "V1", "clav_cla_id": "X", "clav_person_id": "P8",
             "clav_cla_visit_date": "2021-02-01"},                                                 # unknown -> FAIL
        ],
        "qa_audits": [{"audit_id": "A1", "audit_type": "case", "person_id": "P1", "audit_date": "2021-03-01"}],  # pass
    })
    found = failures(snapshot, "CHILD_NOT_IN_PERSON")
    assert set(found) == {"ssd_contacts", "ssd_cla_visits"}
    contacts = found["ssd_contacts"]
    assert contacts.n_rows == 1 and ids(contacts) == ["C2"]
    assert contacts.examples[0]["person_id"] == "P9"
    assert contacts.examples[0]["row"] == 2            # the 2nd row of ssd_contacts.parquet
    assert found["ssd_cla_visits"].n_rows == 1 and ids(found["ssd_cla_visits"]) == ["V1"]


def test_child_not_in_person_skipped_without_person_table(tmp_path):
    snapshot = publish(tmp_path, {
        "ssd_contacts": [{"cont_contact_id": "C1", "cont_person_id": "P9", "cont_contact_date": "2021-01-05"}]})
    assert "CHILD_NOT_IN_PERSON" in skipped_rules(snapshot.tables)
    assert failures(snapshot, "CHILD_NOT_IN_PERSON") == {}


# --- DATE_AFTER_AS_AT ----------------------------------------------------------------------

def test_date_after_as_at_reads_the_raw_file(tmp_path):
    snapshot = publish(tmp_path, {
        "ssd_contacts": [
            # the as-at day -> pass
            {"cont_contact_id": "C1", "cont_person_id": "P1", "cont_contact_date": "2021-07-31"},
            {"cont_contact_id": "C2", "cont_person_id": "P2", "cont_contact_date": "2021-08-01"},  # day after -> FAIL
            # before 1900: validation's
            {"cont_contact_id": "C3", "cont_person_id": "P3", "cont_contact_date": "1850-01-01"},
        ],
        "ssd_cp_reviews": [
            {"cppr_cp_review_id": "R1", "cppr_person_id": "P1", "cppr_cp_plan_id": "CP1",
             # a due date may be later -> pass
             "cppr_cp_review_due": "2021-09-01"},
        ],
        # text dates in the UK form, read with validation's own expressions
        "ssd_missing": pd.DataFrame({
            "miss_table_id": ["M1", "M2"], "miss_person_id": ["P1", "P2"],
            "miss_missing_episode_start_date": ["30/07/2021", "01/07/2021"],                      # M1 pass
            # M2 ends later -> FAIL
            "miss_missing_episode_end_date": ["31/07/2021", "02/08/2021 10:00"],
            "miss_missing_episode_type": ["M", "M"], "miss_missing_rhi_offered": ["Y", "Y"],
            "miss_missing_rhi_accepted": ["Y", "N"]}),
    })
    found = failures(snapshot, "DATE_AFTER_AS_AT")
    assert set(found) == {"ssd_contacts", "ssd_missing"}
    contacts = found["ssd_contacts"]
    assert contacts.n_rows == 1
    assert contacts.examples == [{"record_id": "C2", "person_id": "P2", "column_name": "cont_contact_date",
                                  "date": "2021-08-01", "row": 2}]
    missing = found["ssd_missing"]
    assert missing.n_rows == 1 and ids(missing) == ["M2"]
    assert missing.examples[0]["column_name"] == "miss_missing_episode_end_date"
    assert missing.examples[0]["date"] == "2021-08-02" and missing.examples[0]["row"] == 2


# --- DOB_AFTER_EVENT -----------------------------------------------------------------------

def test_dob_after_event(tmp_path):
    snapshot = publish(tmp_path, {
        "ssd_person": [person("P1", dob="2021-03-01"), person("P2", dob="2020-02-29"), person("P3", dob="2020-02-29")],
        "ssd_cla_episodes": [
            {"clae_cla_episode_id": "E1", "clae_person_id": "P1", "clae_cla_id": "L1",
             "clae_cla_episode_start_date": "2021-02-27"},       # in care 2 days before birth -> FAIL
            {"clae_cla_episode_id": "E2", "clae_person_id": "P2", "clae_cla_id": "L2",
             "clae_cla_episode_start_date": "2020-02-28"},       # the day before a leap-day birth -> FAIL
            {"clae_cla_episode_id": "E3", "clae_person_id": "P3", "clae_cla_id": "L3",
             "clae_cla_episode_start_date": "2020-02-29"},       # on the leap-day birth -> pass
        ],
        "ssd_contacts": [
            # 181 days pre-birth -> pass
            {"cont_contact_id": "C1", "cont_person_id": "P1", "cont_contact_date": "2020-09-01"},
            # 334 days pre-birth -> FAIL
            {"cont_contact_id": "C2", "cont_person_id": "P1", "cont_contact_date": "2020-04-01"},
        ],
        "ssd_cp_plans": [
            # unborn -> pass
            {"cppl_cp_plan_id": "CP1", "cppl_person_id": "P1", "cppl_cp_plan_start_date": "2021-01-10"},
        ],
    })
    found = failures(snapshot, "DOB_AFTER_EVENT")
    assert set(found) == {"ssd_cla_episodes", "ssd_contacts"}
    episodes = found["ssd_cla_episodes"]
    assert episodes.n_rows == 2 and ids(episodes) == ["E1", "E2"]
    assert episodes.examples[0] == {"record_id": "E1", "person_id": "P1", "event": "clae_cla_episode_start_date",
                                   "event_date": "2021-02-27", "dob": "2021-03-01", "row": 1}
    assert found["ssd_contacts"].n_rows == 1 and ids(found["ssd_contacts"]) == ["C2"]


# --- CLA_EPISODES_OVERLAP and CP_PLANS_OVERLAP ---------------------------------------------

def episode(eid, pid, start, end=None):
    return {"clae_cla_episode_id": eid, "clae_person_id": pid, "clae_cla_id": f"L{pid}",
            "clae_cla_episode_start_date": start, "clae_cla_episode_ceased_date": end}


def test_cla_episodes_overlap(tmp_path):
    snapshot = publish(tmp_path, {"ssd_cla_episodes": [
        episode("E1", "A", "2021-01-01", "2021-03-10"),
        episode("E2", "A", "2021-03-01", "2021-04-01"),   # starts 2021-03-01 before E1 ends 2021-03-10 -> FAIL
        episode("E3", "B", "2021-01-01", "2021-03-01"),
        episode("E4", "B", "2021-03-01"),                 # starts the day E3 ends: touching -> pass
        episode("E5", "C", "2020-06-01"),                 # open
        episode("E6", "C", "2021-02-01", "2021-05-01"),   # starts while E5 is still open -> FAIL
        episode("E7", "D", "2020-01-01", "2020-02-29"),
        episode("E8", "D", "2020-02-29"),                 # starts on the leap day E7 ends: touching -> pass
        episode("E9", "E", "2021-01-01", "2021-01-01"),   # a day-long episode...
        episode("E10", "E", "2021-01-01"),                # ...then the next the same day: touching -> pass
    ]})
    found = failures(snapshot, "CLA_EPISODES_OVERLAP")
    assert list(found) == ["ssd_cla_episodes"]
    failure = found["ssd_cla_episodes"]
    assert failure.n_rows == 2 and ids(failure) == ["E2", "E6"]
    assert [e["overlaps_record_id"] for e in failure.examples] == ["E1", "E5"]
    assert failure.examples[0]["overlaps_end_date"] == "2021-03-10" and failure.examples[1]["overlaps_end_date"] is None
    assert [e["row"] for e in failure.examples] == [2, 6]


def test_cp_plans_overlap(tmp_path):
    def plan(pid, child, start, end=None):
        return {"cppl_cp_plan_id": pid, "cppl_person_id": child, "cppl_cp_plan_start_date": start,
                "cppl_cp_plan_end_date": end}
    snapshot = publish(tmp_path, {"ssd_cp_plans": [
        plan("CP1", "A", "2021-01-01", "2021-03-10"),
        plan("CP2", "A", "2021-03-10"),                  # starts the day CP1 ends -> pass
        plan("CP3", "B", "2021-01-01"),                  # open
        plan("CP4", "B", "2021-01-01", "2021-02-01"),    # same start as open CP3 -> FAIL
    ]})
    failure = failures(snapshot, "CP_PLANS_OVERLAP")["ssd_cp_plans"]
    assert failure.n_rows == 1 and ids(failure) == ["CP4"] and failure.examples[0]["overlaps_record_id"] == "CP3"


# --- PLACEMENT_OUTSIDE_EPISODE -------------------------------------------------------------

def placement(plid, child, cla_id, start, end=None):
    return {"clap_cla_placement_id": plid, "clap_person_id": child, "clap_cla_id": cla_id,
            "clap_cla_placement_start_date": start, "clap_cla_placement_end_date": end}


def test_placement_outside_episode(tmp_path):
    snapshot = publish(tmp_path, {
        "ssd_cla_episodes": [
            {**episode("E1", "A", "2020-01-01", "2020-06-01"), "clae_cla_id": "L1"},
            {**episode("E2", "A", "2020-06-01", "2020-12-31"), "clae_cla_id": "L1"},   # L1: 2020-01-01 to 2020-12-31
            {**episode("E3", "B", "2021-01-01"), "clae_cla_id": "L2"},                 # L2: open from 2021-01-01
            {**episode("E4", "D", "2021-01-01"), "clae_cla_id": "L3",
             "clae_entered_care_date": "2020-06-01"},                                  # L3: entered care 2020-06-01
        ],
        "ssd_cla_placement": [
            placement("PL1", "A", "L1", "2020-01-01", "2020-12-31"),  # spans both episodes of L1 -> pass
            placement("PL2", "A", "L1", "2020-11-01", "2021-01-15"),  # ends after L1 ceased 2020-12-31 -> FAIL
            placement("PL3", "A", "L1", "2020-07-01"),                # still open though L1 ceased -> FAIL
            placement("PL4", "B", "L2", "2021-02-01"),                # inside open L2 -> pass
            placement("PL5", "B", "L2", "2020-12-01", "2021-03-01"),  # starts before L2 began 2021-01-01 -> FAIL
            placement("PL6", "B", None, "2021-03-01"),                # no period named: inside B's L2 -> pass
            placement("PL7", "C", "L9", "2021-03-01"),                # period unknown, child has none -> FAIL
            # after entry to care, before the episode held -> pass
            placement("PL8", "D", "L3", "2020-07-01", "2020-12-31"),
        ],
    })
    failure = failures(snapshot, "PLACEMENT_OUTSIDE_EPISODE")["ssd_cla_placement"]
    assert failure.n_rows == 4 and ids(failure) == ["PL2", "PL3", "PL5", "PL7"]
    pl2 = failure.examples[0]
    assert pl2["period_of_care_id"] == "L1" and pl2["period_of_care_end"] == "2020-12-31" and pl2["row"] == 2
    assert failure.examples[3]["period_of_care_id"] is None


# --- CP_PLAN_NO_CONFERENCE -----------------------------------------------------------------

def test_cp_plan_no_conference(tmp_path):
    def plan(pid, child, start, icpc=None, referral=None):
        return {"cppl_cp_plan_id": pid, "cppl_person_id": child, "cppl_icpc_id": icpc,
                "cppl_referral_id": referral, "cppl_cp_plan_start_date": start}
    snapshot = publish(tmp_path, {
        "ssd_initial_cp_conference": [
            {"icpc_icpc_id": "I1", "icpc_person_id": "A", "icpc_cp_plan_id": "CP1", "icpc_icpc_date": "2021-01-05"},
            {"icpc_icpc_id": "I2", "icpc_person_id": "B", "icpc_icpc_date": "2021-02-01"},
            {"icpc_icpc_id": "I3", "icpc_person_id": "D", "icpc_referral_id": "R4", "icpc_icpc_transfer_in": "Y",
             "icpc_icpc_date": "2021-03-01"},
            {"icpc_icpc_id": "I4", "icpc_person_id": "G", "icpc_referral_id": "R7", "icpc_icpc_transfer_in": "N",
             "icpc_icpc_date": "2021-05-01"},
        ],
        "ssd_cp_plans": [
            plan("CP1", "A", "2021-01-05"),                    # named by conference I1 -> pass
            plan("CP2", "B", "2021-02-01", icpc="I2"),         # names conference I2 -> pass
            plan("CP3", "C", "2021-02-10"),                    # no conference at all -> FAIL
            plan("CP4", "D", "2021-03-02", referral="R4"),     # transfer-in conference on its referral -> pass
            plan("CP5", "E", "2020-06-01"),                    # before the first conference 2021-01-05 -> not judged
            plan("CP6", "F", "2021-04-01", icpc="I99"),        # names a conference not found -> FAIL
            plan("CP7", "G", "2021-05-01", referral="R7"),     # a conference on its referral names no plan, and is
        ],                                                     # no transfer-in -> FAIL
    })
    failure = failures(snapshot, "CP_PLAN_NO_CONFERENCE")["ssd_cp_plans"]
    assert failure.n_rows == 3 and ids(failure) == ["CP3", "CP6", "CP7"]
    assert failure.examples[1]["icpc_id"] == "I99" and failure.examples[1]["start_date"] == "2021-04-01"


# --- REVIEW_BEFORE_EPISODE -----------------------------------------------------------------

REVIEW_TABLES = {
    "ssd_cla_episodes": [
        {**episode("E1", "A", "2021-02-01"), "clae_cla_id": "L1", "clae_entered_care_date": "2021-02-01"},
        {**episode("E2", "B", "2021-03-01"), "clae_cla_id": "L2", "clae_entered_care_date": "2020-10-01"},
    ],
    "ssd_cla_reviews": [
        {"clar_cla_review_id": "R1", "clar_cla_id": "L1", "clar_cla_review_date": "2021-01-15"},  # before care -> FAIL
        {"clar_cla_review_id": "R2", "clar_cla_id": "L1", "clar_cla_review_date": "2021-02-20"},  # pass
        {"clar_cla_review_id": "R3", "clar_cla_id": "L2", "clar_cla_review_date": "2020-10-01"},  # on entry -> pass
        # no period -> not judged
        {"clar_cla_review_id": "R4", "clar_cla_id": "L9", "clar_cla_review_date": "2020-12-01"},
    ],
    "ssd_cp_plans": [{"cppl_cp_plan_id": "CP1", "cppl_person_id": "C", "cppl_cp_plan_start_date": "2021-03-01"}],
    "ssd_cp_reviews": [
        {"cppr_cp_review_id": "CR1", "cppr_person_id": "C", "cppr_cp_plan_id": "CP1",
         "cppr_cp_review_date": "2021-02-28"},    # the day before its plan began -> FAIL
        {"cppr_cp_review_id": "CR2", "cppr_person_id": "C", "cppr_cp_plan_id": "CP1",
         "cppr_cp_review_date": "2021-03-01"},    # the day the plan began -> pass
    ],
}


def test_review_before_episode(tmp_path):
    found = failures(publish(tmp_path, REVIEW_TABLES), "REVIEW_BEFORE_EPISODE")
    assert set(found) == {"ssd_cla_reviews", "ssd_cp_reviews"}
    cla = found["ssd_cla_reviews"]
    assert cla.n_rows == 1 and ids(cla) == ["R1"]
    assert cla.examples[0] == {"record_id": "R1", "person_id": "A", "review_date": "2021-01-15", "parent_id": "L1",
                               "parent_start_date": "2021-02-01", "row": 1}
    assert found["ssd_cp_reviews"].n_rows == 1 and ids(found["ssd_cp_reviews"]) == ["CR1"]


def test_review_before_episode_runs_the_part_whose_tables_are_present(tmp_path):
    cp_only = {t: REVIEW_TABLES[t] for t in ("ssd_cp_plans", "ssd_cp_reviews")}
    snapshot = publish(tmp_path, cp_only)
    assert "REVIEW_BEFORE_EPISODE" not in skipped_rules(snapshot.tables)
    assert set(failures(snapshot, "REVIEW_BEFORE_EPISODE")) == {"ssd_cp_reviews"}


# --- ASSESSMENT_NO_REFERRAL ----------------------------------------------------------------

def test_assessment_no_referral(tmp_path):
    def assessment(aid, referral, start="2021-02-01"):
        return {"cina_assessment_id": aid, "cina_person_id": "P1", "cina_referral_id": referral,
                "cina_assessment_start_date": start}
    snapshot = publish(tmp_path, {
        "ssd_cin_episodes": [
            {"cine_referral_id": "R1", "cine_person_id": "P1", "cine_referral_date": "2021-01-01"},
            {"cine_referral_id": "R2", "cine_person_id": "P1", "cine_referral_date": "2021-01-10",
             # closes before referral: left out by validation, but in the file
             "cine_close_date": "2021-01-05"},
        ],
        "ssd_cin_assessments": [
            assessment("A1", "R1"),                     # referral held -> pass
            assessment("A2", "R9"),                     # referral not held -> FAIL
            assessment("A3", None),                     # no referral id -> not judged
            assessment("A4", "R8", "2020-06-01"),       # before the first referral 2021-01-01 -> not judged
            assessment("A5", "R2"),                     # referral row left out, reported by validation -> pass
        ],
    })
    failure = failures(snapshot, "ASSESSMENT_NO_REFERRAL")["ssd_cin_assessments"]
    assert failure.n_rows == 1 and ids(failure) == ["A2"] and failure.examples[0]["referral_id"] == "R9"


# --- Absent tables, examples, display ------------------------------------------------------

def test_rules_whose_tables_are_absent_are_skipped(tmp_path):
    snapshot = publish(tmp_path, {"ssd_cla_reviews": [
        {"clar_cla_review_id": "R1", "clar_cla_id": "L1", "clar_cla_review_date": "2021-01-15"}]})
    skipped = set(skipped_rules(snapshot.tables))
    assert skipped == set(rules.RULES) - {"DATE_AFTER_AS_AT"}   # only the raw date check can run on it
    assert check(snapshot, use_cache=False) == []


def test_examples_are_capped_and_counted_in_full(tmp_path):
    snapshot = publish(tmp_path, {
        "ssd_person": [person("P1")],
        "ssd_contacts": [{"cont_contact_id": f"C{i}", "cont_person_id": f"X{i}", "cont_contact_date": "2021-01-04"}
                         for i in range(1, 9)],        # 8 children unknown -> 8 rows fail, 5 shown
    })
    failure = failures(snapshot, "CHILD_NOT_IN_PERSON")["ssd_contacts"]
    assert failure.n_rows == 8 and len(failure.examples) == rules.EXAMPLES_PER_FAILURE
    assert [e["row"] for e in failure.examples] == [1, 2, 3, 4, 5]
    json.dumps([e for e in failure.examples])   # plain JSON: dates as strings, numbers as Python ints


def test_rule_table_and_examples_frame():
    found = [RuleFailure("PLACEMENT_OUTSIDE_EPISODE", "ssd_cla_placement", 3,
                         [{"record_id": "PL1", "person_id": "A", "row": 7}]),
             RuleFailure("CLA_EPISODES_OVERLAP", "ssd_cla_episodes", 2)]
    table = rule_table(found)
    assert list(table.columns) == ["rule", "message", "severity", "table", "rows_failing"]
    assert list(table["rule"]) == ["CLA_EPISODES_OVERLAP", "PLACEMENT_OUTSIDE_EPISODE"]   # errors first
    assert list(table["severity"]) == ["error", "warning"] and list(table["rows_failing"]) == [2, 3]
    assert rule_table([]).empty and list(rule_table([]).columns) == list(table.columns)
    assert list(examples_frame(found[0]).columns) == ["row", "record_id", "person_id"]


def test_every_rule_is_described():
    for rule_id, rule in rules.RULES.items():
        assert rule.id == rule_id and rule.severity in ("error", "warning")
        assert rule.message and rule.detail and rule.tables


# --- The cache -----------------------------------------------------------------------------

@pytest.fixture
def overlapping(tmp_path):
    return publish(tmp_path, {"ssd_cla_episodes": [episode("E1", "A", "2021-01-01", "2021-03-10"),
                                                   episode("E2", "A", "2021-03-01")]})   # E2 overlaps E1 -> FAIL


def test_cache_is_written_and_used(overlapping):
    first = check(overlapping)
    cache = overlapping.path / rules.CACHE_FILE
    data = json.loads(cache.read_text())
    assert data["rules_version"] == rules.RULES_VERSION and data["key"] == overlapping.key
    # doctor the cache: a result that only the cache could give proves it is read
    data["failures"][0]["n_rows"] = 99
    cache.write_text(json.dumps(data))
    assert [f.n_rows for f in check(overlapping)] == [99]
    assert first[0].n_rows == 1


def test_cache_of_another_version_key_or_shape_is_recomputed(overlapping, monkeypatch):
    check(overlapping)
    cache = overlapping.path / rules.CACHE_FILE
    good = json.loads(cache.read_text())
    good["failures"][0]["n_rows"] = 99
    for doctored in ({**good, "rules_version": rules.RULES_VERSION - 1},
                     {**good, "key": "another content"},
                     {**good, "failures": {"not": "a list"}},
                     {**good, "failures": [{"rule": "X"}]}):
        cache.write_text(json.dumps(doctored))
        assert [f.n_rows for f in check(overlapping)] == [1]
    cache.write_text("not json")
    assert [f.n_rows for f in check(overlapping)] == [1]
    # a new RULES_VERSION redoes a cache written by the old one
    cache.write_text(json.dumps(good))
    assert [f.n_rows for f in check(overlapping)] == [99]
    monkeypatch.setattr(rules, "RULES_VERSION", rules.RULES_VERSION + 1)
    assert [f.n_rows for f in check(overlapping)] == [1]
    assert json.loads(cache.read_text())["rules_version"] == rules.RULES_VERSION


def test_unwritable_folder_still_gets_results(overlapping, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only data root")
    monkeypatch.setattr(rules.os, "replace", refuse)
    assert [f.n_rows for f in check(overlapping)] == [1]
    assert not (overlapping.path / rules.CACHE_FILE).exists()
    assert not [p for p in overlapping.path.iterdir() if p.name.startswith(f".{rules.CACHE_FILE}")]


# --- The demo ------------------------------------------------------------------------------

def test_demo_snapshot_runs_quickly(tmp_path_factory):
    from torbay_dash.synth import generate
    root = tmp_path_factory.mktemp("rules_demo") / "data"
    snapshot = generate(root, seed=42, scale=1, snapshots="latest")[-1]
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "local_authority.toml", root / "local_authority.toml")
    started = time.perf_counter()
    found = check(snapshot, use_cache=False)
    elapsed = time.perf_counter() - started
    assert elapsed < 20, f"rules took {elapsed:.1f} s"
    assert skipped_rules(snapshot.tables) == []
    for failure in found:
        assert failure.rule in rules.RULES and failure.n_rows > 0
        assert 0 < len(failure.examples) <= rules.EXAMPLES_PER_FAILURE
        assert all(isinstance(e["row"], int) and e["row"] > 0 for e in failure.examples)
    json.dumps([f.examples for f in found])
