"""AppTest of the Data quality page: problems, quarantine, held extracts confirmed, rules, reconciliation, upload."""
import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from signing import as_analyst
from snapshots import publish, small_service
from torbay_dash import ingest, rules
from torbay_dash.frames import contract_frame
from torbay_dash.ingest import IngestError, IngestResult
from torbay_dash.store import Store

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "views/data_quality.py"


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test sees its own data root and fakes, never figures cached by another test."""
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def open_page(root, use_data_root, sign_in: bool = True) -> AppTest:
    """The page, signed in as an analyst: its uploads publish real extracts, where demo mode is refused.
    The shared demo root opens in demo mode (as the analyst): its access.toml is not a test's to rewrite."""
    use_data_root(root)
    at = AppTest.from_file(APP, default_timeout=120)
    at = (as_analyst(at, Path(root)) if sign_in else at).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for kind in (at.markdown, at.caption, at.success, at.warning, at.error, at.info) for e in kind]
    return "\n".join(str(p) for p in parts)


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def test_demo_page_lists_problems_and_reconciles_the_june_2021_migration(demo_root, use_data_root):
    at = open_page(demo_root, use_data_root, sign_in=False)
    assert at.title[0].value == "Data quality"
    headers = [h.value for h in at.header]
    assert headers[:5] == ["Snapshots and their problems", "Extracts held or rejected", "Cross-table rules",
                           "What changed since the snapshot before", "Load an extract"]
    # the served snapshot (31 July 2021) by default: its tables and every problem, with CSVs
    assert "Snapshot as at 31 July 2021" in texts(at)
    problems = next(f for f in frames(at) if "message" in f.columns)
    assert len(problems) == len(Store(demo_root).get("2021-07-31").problems) > 0
    assert {"severity", "file", "table", "column", "rows affected", "example rows"} <= set(problems.columns)
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Download CSV") >= 5

    # the migration snapshot against the one before it
    at.selectbox(key="choice_dq_snapshot").set_value("2021-06-30").run()
    assert not at.exception, [e.value for e in at.exception]
    words = texts(at)
    assert "children's past care episodes changed between 31 May 2021 and 30 June 2021" in words
    migrated = Store(demo_root).get("2021-06-30").manifest["migration_defect"]["children_migrated_twice"]
    sentence = next(line for line in words.splitlines() if "past care episodes changed" in line)
    assert int(sentence.split("**")[1]) >= migrated
    summary = next(f for f in frames(at) if "children whose past changed" in f.columns)
    assert "ssd_cla_episodes" in set(summary["table"])
    assert [s.value for s in at.subheader][-3:] == ["Rows that vanished", "History that changed", "New rows"]
    # the cross-table rules' failures on this snapshot, each named and counted as rules.check finds them
    from torbay_dash import rules
    rules_found = next(f for f in frames(at) if "rows failing" in f.columns and "what it checks" in f.columns)
    expected = {(f.rule, f.table): f.n_rows for f in rules.check(Store(demo_root).get("2021-06-30"))}
    assert expected and dict(zip(zip(rules_found["rule"], rules_found["table"]), rules_found["rows failing"])) \
        == expected


def _two_snapshots(root):
    publish(root, "2021-06-30", small_service(), synthetic=True)
    return root


def test_a_quarantined_table_is_shown_with_its_reason(tmp_root, use_data_root):
    _two_snapshots(tmp_root)
    tables = small_service()
    frames_ = {name: contract_frame(name, rows) for name, rows in tables.items()}
    frames_["ssd_cla_episodes"] = frames_["ssd_cla_episodes"].drop(columns=["clae_cla_episode_start_date"])
    snapshot = Store(tmp_root).publish(dt.date(2021, 7, 31), frames_, {"source": "test"})
    assert "ssd_cla_episodes" in snapshot.quarantined
    at = open_page(tmp_root, use_data_root)
    quarantined = [w.value for w in at.warning if w.value.startswith("Quarantined")]
    assert quarantined and "ssd_cla_episodes" in quarantined[0] and "required column is missing" in quarantined[0]
    tables_shown = next(f for f in frames(at) if "status" in f.columns and "area" in f.columns)
    row = tables_shown[tables_shown["table"] == "ssd_cla_episodes"].iloc[0]
    assert row["status"] == "quarantined" and "required column is missing" in row["reason"]
    problems = next(f for f in frames(at) if "message" in f.columns)
    assert problems.iloc[0]["severity"] == "error"          # errors first
    # the reconciliation says the episodes were not compared, and why
    assert "ssd_cla_episodes: rows not compared" in texts(at)
    assert "Tables newly quarantined in 31 July 2021: ssd_cla_episodes." in texts(at)


def test_a_held_extract_is_confirmed_by_its_button(tmp_root, use_data_root):
    publish(tmp_root, "2021-07-31", small_service(), synthetic=True)
    fewer = small_service()
    fewer["ssd_person"] = fewer["ssd_person"][:5]      # lost 3 of 8 people -> held for an analyst
    held = publish(tmp_root, "2021-07-31", fewer)
    assert held.path.parent.name == "held"
    at = open_page(tmp_root, use_data_root)
    assert any("ssd_person has 5 rows against 8 now" in m.value for m in at.markdown)
    compare = next(f for f in frames(at) if "rows in the held extract" in f.columns)
    assert compare.set_index("table").loc["ssd_person", "rows in the held extract"] == 5
    button = next(b for b in at.button if b.label == "Confirm this extract")
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value.startswith(f"Confirmed: the extract {held.path.name} is now snapshot 2021-07-31")
               for s in at.success)
    assert Store(tmp_root).held() == []
    assert Store(tmp_root).get("2021-07-31").report.tables["ssd_person"] == 5
    assert "No extract is waiting for confirmation." in texts(at)
    assert not [b for b in at.button if b.label == "Confirm this extract"]


def test_rejected_extracts_are_listed_with_reasons(tmp_root, use_data_root):
    _two_snapshots(tmp_root)
    rejected = Store(tmp_root).publish(dt.date(2021, 7, 31), {
        "ssd_person": contract_frame("ssd_person", [{"pers_person_id": "P1"}]).assign(pers_surname="x")},
        {"source": "test"})
    assert rejected.path.parent.name == "rejected"
    at = open_page(tmp_root, use_data_root)
    not_used = next(f for f in frames(at) if set(f.columns) == {"what", "as at", "reason"})
    assert not_used["what"].str.contains("rejected").all()
    assert not_used["reason"].str.contains("identifying column").any()


FAKE_RULES = {"CHILD_NOT_IN_PERSON": rules.Rule("CHILD_NOT_IN_PERSON", "an event for a child not in ssd_person",
                                                "error", ("ssd_cla_episodes", "ssd_person")),
              "NEVER_FAILS": rules.Rule("NEVER_FAILS", "a rule every snapshot passes", "warning", ("ssd_person",))}


def fake_check(snapshot):
    """Fails CHILD_NOT_IN_PERSON on 2 rows in June 2021 and 3 in July; examples carry a name to be left out."""
    n = {"2021-06-30": 2, "2021-07-31": 3}.get(snapshot.id, 0)
    if not n:
        return []
    return [rules.RuleFailure("CHILD_NOT_IN_PERSON", "ssd_cla_episodes", n,
                              [{"clae_cla_episode_id": f"E{i}", "clae_person_id": f"PX{i}", "row": i,
                                "pers_forename": "Secret", "dept_team_name": "A team"} for i in range(n)])]


def test_rule_failures_with_examples_and_their_trend(tmp_root, use_data_root, monkeypatch):
    _two_snapshots(tmp_root)
    publish(tmp_root, "2021-07-31", small_service(), synthetic=True)
    monkeypatch.setattr(rules, "RULES", FAKE_RULES)
    monkeypatch.setattr(rules, "check", fake_check)
    at = open_page(tmp_root, use_data_root)
    assert "**1** of 2 rule(s) fail, on **3** rows in all" in texts(at)
    failures = next(f for f in frames(at) if "rows failing" in f.columns and "what it checks" in f.columns)
    assert failures.iloc[0]["rule"] == "CHILD_NOT_IN_PERSON"
    assert failures.iloc[0]["rows failing"] == 3 and failures.iloc[0]["rows in the table"] == 5
    examples = next(f for f in frames(at) if "clae person id" in f.columns)
    assert len(examples) == 3
    assert "pers forename" not in examples.columns and "dept team name" not in examples.columns
    assert "Secret" not in examples.to_csv()
    # the trend: a chart with a switch to its table of rule x snapshot
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")
    at.toggle(key="table_dq_rule_trend").set_value(True).run()
    trend = next(f for f in frames(at) if "snapshot" in f.columns and "CHILD NOT IN PERSON" in
                 [c.replace("_", " ") for c in f.columns])
    assert trend.iloc[:, 1].tolist() == [2, 3]      # rows failing in June, then July
    # an earlier snapshot passes
    at.selectbox(key="choice_dq_snapshot").set_value("2021-06-30").run()
    assert "on **2** rows in all" in texts(at)


def test_reconciliation_of_two_hand_built_snapshots(tmp_root, use_data_root):
    _two_snapshots(tmp_root)
    later = small_service()
    later["ssd_cla_episodes"] = later["ssd_cla_episodes"][1:]   # E1 (child P1) vanishes
    later["ssd_cla_episodes"][0] = {**later["ssd_cla_episodes"][0], "clae_cla_episode_start_date": "2020-02-01"}
    publish(tmp_root, "2021-07-31", later, synthetic=True)
    at = open_page(tmp_root, use_data_root)
    words = texts(at)
    assert ("**2** children's past care episodes changed between 30 June 2021 and 31 July 2021: 2 care episodes "
            "(1 vanished, 1 rewritten, 0 new but dated on or before 30 June 2021; of 5 then and 4 now).") in words
    vanished = next(f for f in frames(at) if list(f.columns) == ["table", "record id", "child (pseudonymous id)",
                                                                 "key date"])
    assert vanished["record id"].tolist() == ["E1"]
    changed = next(f for f in frames(at) if "change" in f.columns)
    assert changed[["record id", "column", "before", "after"]].values.tolist() == [
        ["E2", "clae_cla_episode_start_date", "2020-02-15", "2020-02-01"]]


def fake_ingest_publishing(calls):
    def fake(source, as_at, root=None, fmt=None, progress=None):
        calls.append((Path(source), as_at, fmt, sorted(p.name for p in Path(source).iterdir())
                      if Path(source).is_dir() else Path(source).name))
        progress("Reading the tables", 0.5)
        snapshot = publish(Path(root), as_at.isoformat(), small_service())
        return IngestResult(snapshot, ingest.SSD, str(source), {"ssd_person": 8, "ssd_cla_episodes": 5},
                            dropped={"ssd_person": ["pers_forename", "pers_upn"]},
                            extra={"ssd_person": ["favourite_colour"]}, ignored=["notes.txt"])
    return fake


def test_upload_publishes_a_snapshot_that_is_then_served(tmp_root, use_data_root, monkeypatch):
    calls = []
    monkeypatch.setattr(ingest, "ingest", fake_ingest_publishing(calls))
    at = open_page(tmp_root, use_data_root)       # an empty data root: the page still offers the upload
    assert "There are no snapshots in this data root yet" in texts(at)
    at.file_uploader(key="dq_upload").set_value([("ssd_person.csv", b"pers_person_id\nP1\n", "text/csv"),
                                                  ("notes.txt.csv", b"a\n1\n", "text/csv")])
    at.date_input(key="dq_as_at").set_value(dt.date(2021, 7, 31))
    at.selectbox(key="dq_format").set_value(ingest.SSD)
    at.run()
    next(b for b in at.button if b.label == "Load extract").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (source, as_at, fmt, names), = calls
    assert as_at == dt.date(2021, 7, 31) and fmt == ingest.SSD and names == ["notes.txt.csv", "ssd_person.csv"]
    assert not source.exists()                   # the temporary copy is removed
    assert any(s.value.startswith("Published: the extract (ssd) is now snapshot 2021-07-31") for s in at.success)
    details = texts(at)
    assert "Identifying columns dropped" in details and "pers_forename, pers_upn" in details
    assert "favourite_colour" in details and "notes.txt" in details
    # the new snapshot is served at once: the sidebar offers it and the header is dated by it
    assert "2021-07-31" in at.selectbox(key="as_at").options
    assert any("data as at **31 July 2021**" in c.value for c in at.caption)


def test_upload_of_a_zip_passes_the_zip(tmp_root, use_data_root, monkeypatch):
    calls = []
    monkeypatch.setattr(ingest, "ingest", fake_ingest_publishing(calls))
    at = open_page(tmp_root, use_data_root)
    at.file_uploader(key="dq_upload").set_value(("extract.zip", b"PK\x05\x06" + b"\x00" * 18, "application/zip"))
    at.run()
    next(b for b in at.button if b.label == "Load extract").click().run()
    assert calls[0][0].name == "extract.zip"


@pytest.mark.parametrize("error, said", [
    (IngestError("no table of the data contract was found in the upload"),
     "The extract could not be loaded: no table of the data contract was found in the upload"),
    (RuntimeError("boom"), "The extract could not be loaded: RuntimeError: boom"),
])
def test_a_failed_upload_is_one_plain_sentence(tmp_root, use_data_root, monkeypatch, error, said):
    def failing(*args, **kwargs):
        raise error
    monkeypatch.setattr(ingest, "ingest", failing)
    at = open_page(_two_snapshots(tmp_root), use_data_root)
    at.file_uploader(key="dq_upload").set_value(("ssd_person.csv", b"pers_person_id\nP1\n", "text/csv"))
    at.run()
    next(b for b in at.button if b.label == "Load extract").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [said]


def test_load_without_files_asks_for_them(tmp_root, use_data_root):
    at = open_page(_two_snapshots(tmp_root), use_data_root)
    next(b for b in at.button if b.label == "Load extract").click().run()
    assert any("Choose the extract's file(s) first" in w.value for w in at.warning)


def test_a_newer_extract_loaded_is_served_at_once(tmp_root, use_data_root, monkeypatch):
    monkeypatch.setattr(ingest, "ingest", fake_ingest_publishing([]))
    at = open_page(_two_snapshots(tmp_root), use_data_root)
    assert any("data as at **30 June 2021**" in c.value for c in at.caption)
    at.file_uploader(key="dq_upload").set_value(("ssd_person.csv", b"pers_person_id\nP1\n", "text/csv"))
    at.date_input(key="dq_as_at").set_value(dt.date(2021, 7, 31))
    at.run()
    next(b for b in at.button if b.label == "Load extract").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value.startswith("Published") for s in at.success)
    assert any("data as at **31 July 2021**" in c.value for c in at.caption)
