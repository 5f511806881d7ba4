"""The quality-assurance indicators against hand-built rows.

Each fixture row says in its comment what the indicator must do with it. Unless stated, the
period is June 2021: audits dated (and actions due) 2021-06-01..2021-06-30, both days included.
"""
import datetime as dt
import json
import re

import pandas as pd
import pytest

from conftest import SHARED
from snapshots import by_team_figures, evaluate, figures, write_tables
from test_indicators_safeguarding import rows_of
from torbay_dash.cli import main
from torbay_dash.compute import Scope, compute, unit_rows
from torbay_dash.db import SnapshotDB
from torbay_dash.indicators import REGISTRY
from torbay_dash.periods import Period, months
from torbay_dash.settings import load_settings
from torbay_dash.store import load_snapshot

JUNE = ("2021-06-01", "2021-06-30")

QUALITY_IDS = ["audits_completed", "audits_good_or_better_pct", "audit_moderation_agreement_pct",
               "audit_actions_on_time_pct"]


def test_every_quality_indicator_is_registered_in_the_handbooks_order():
    assert [i for i, ind in REGISTRY.items() if ind.area == "quality"] == QUALITY_IDS
    spec = SHARED / "spec" / "INDICATORS.md"
    if spec.is_file():
        section = spec.read_text().split("## Quality assurance")[1].split("\n## ")[0]
        assert re.findall(r"^\|\s*`(\w+)`", section, flags=re.M) == QUALITY_IDS


@pytest.mark.parametrize("indicator_id", QUALITY_IDS)
def test_entries_are_complete(indicator_id):
    ind = REGISTRY[indicator_id]
    assert ind.title and ind.definition and ind.team_rule and ind.numerator_label and ind.tables
    assert (ind.denominator_label != "") == (ind.unit == "percent")
    assert ind.kind == "flow" and ind.direction == "higher"


def test_the_audit_target_is_the_local_monthly_one():
    assert load_settings().targets["audits_completed"].value == 25


# --- helpers ------------------------------------------------------------------------------

def audit(aid, date, grade=None, moderated=None, team="T1", kind="case", person=None):
    return {"audit_id": aid, "audit_type": kind, "theme": "Planning", "person_id": person or "P" + aid,
            "team_id": team, "worker_id": "W" + aid, "auditor_id": "M1", "audit_date": date, "grade": grade,
            "moderated_grade": moderated, "child_voice_evident": "Y"}


def action(xid, audit_id, due, completed=None, raised="2021-05-01"):
    return {"action_id": xid, "audit_id": audit_id, "raised_date": raised, "due_date": due,
            "completed_date": completed}


AUDITS = [
    audit("A1", "2021-06-01", "good", person="P1"),                       # audit on period start -> in; good
    audit("A2", "2021-06-30", "requires_improvement", "good"),            # on period end -> in; moderated to good
                                                                          #   from requires_improvement -> counts
                                                                          #   as good; moderator disagreed
    audit("A3", "2021-06-15", "outstanding", "requires_improvement"),     # moderated down -> not good; disagreed
    audit("A4", "2021-06-10", "inadequate", team="T2"),                   # inadequate -> not good (T2)
    audit("A5", "2021-06-11", "good", "good", team="T2", person="P1"),    # moderator agreed; good (T2); the
                                                                          #   child of A1 seen by another team
    audit("A6", "2021-06-12", team="T2"),                                 # no grade -> left out of the grade
                                                                          #   indicators, still an audit done
    audit("A7", "2021-06-14", None, "good", team="T2"),                   # only a moderated grade: final good;
                                                                          #   nothing to agree with -> left out
                                                                          #   of moderation
    audit("A8", "2021-06-15", "good", "good", kind="thematic"),           # thematic audit -> not counted
    audit("A9", "2021-06-16", kind="dip_sample"),                         # dip sample -> not counted
    audit("A10", "2021-07-01", "good"),                                   # audit dated the day after the period
                                                                          #   -> out
    audit("A11", "2021-05-31", "good"),                                   # the day before the period -> out
    audit("A12", None, "good"),                                           # bad row: missing audit date -> out
    audit("A13", "2021-06-20", "requires_improvement", team=None),        # no team -> UNALLOCATED; not good
    audit("A14", "2021-06-21", "Good"),                                   # unrecognised grade -> left out of
                                                                          #   the grade indicators, still done
    audit("A15", "2021-06-22", "requires_improvement", "requires_improvement", team="T2"),  # agreed; not good
    audit("A16", "2021-06-23", "good", "excellent", team="T2"),           # unrecognised moderated grade -> left
                                                                          #   out of both grade indicators
    audit("A17", "2021-06-24", "good", "good"),                           # agreed; good
    audit("A18", "2021-06-25", "good", kind=None),                        # no audit type -> not a case audit
]
# Case audits in June: A1, A2, A3, A14, A17 (T1); A4, A5, A6, A7, A15, A16 (T2); A13 (UNALLOCATED).

ACTIONS = [
    action("X1", "A1", "2021-06-01", "2021-06-01"),                      # due on period start, completed on its
                                                                          #   due date -> on time (T1)
    action("X2", "A1", "2021-06-10", "2021-06-11"),                      # action completed a day late -> not on
                                                                          #   time (T1)
    action("X3", "A4", "2021-06-15"),                                    # action never completed, due in period
                                                                          #   -> in denominator, not numerator (T2)
    action("X4", "A8", "2021-06-30", "2021-06-20"),                      # from a thematic audit, due on period
                                                                          #   end -> counted, on time (T1)
    action("X5", "A1", "2021-07-01", "2021-06-20"),                      # due the day after the period -> out
    action("X6", "A1", None, "2021-06-10"),                              # bad row: no due date -> out
    action("X7", "A_GONE", "2021-06-12", "2021-06-12"),                  # its audit is not in the log ->
                                                                          #   UNALLOCATED; on time
    action("X8", "A4", "2021-06-20", "2021-06-05", raised="2021-06-10"),  # bad row: completed before it was
                                                                          #   raised -> out
    action("X9", "A11", "2021-06-28", "2021-06-25"),                     # audit dated in May, action due in June
                                                                          #   -> the due date decides: in, on time
    action("X10", "A13", "2021-06-18", "2021-07-05"),                    # its audit has no team -> UNALLOCATED;
                                                                          #   late
]

TABLES = {"qa_audits": AUDITS, "qa_actions": ACTIONS}


# --- the figures --------------------------------------------------------------------------

def test_audits_completed(tmp_path):
    assert figures(evaluate(tmp_path / "a", TABLES, "audits_completed", *JUNE)) == (12, None, 12)
    teams = by_team_figures(evaluate(tmp_path / "b", TABLES, "audits_completed", *JUNE, by_team=True))
    assert teams == {"T1": (5, None), "T2": (6, None), "UNALLOCATED": (1, None)}


def test_audits_good_or_better(tmp_path):
    # graded: A1, A2, A3, A17 (T1); A4, A5, A7, A15 (T2); A13 (UNALLOCATED). Good or better: A1, A2, A17, A5, A7
    got = figures(evaluate(tmp_path / "a", TABLES, "audits_good_or_better_pct", *JUNE))
    assert got == (5, 9, pytest.approx(100 * 5 / 9))
    teams = by_team_figures(evaluate(tmp_path / "b", TABLES, "audits_good_or_better_pct", *JUNE, by_team=True))
    assert teams == {"T1": (3, 4), "T2": (2, 4), "UNALLOCATED": (0, 1)}


def test_audit_moderation_agreement(tmp_path):
    # moderated with an auditor's grade: A2, A3, A17 (T1); A5, A15 (T2). Agreed: A17, A5, A15
    got = figures(evaluate(tmp_path / "a", TABLES, "audit_moderation_agreement_pct", *JUNE))
    assert got == (3, 5, 60.0)
    teams = by_team_figures(evaluate(tmp_path / "b", TABLES, "audit_moderation_agreement_pct", *JUNE,
                                     by_team=True))
    assert teams == {"T1": (1, 3), "T2": (2, 2)}


def test_audit_actions_on_time(tmp_path):
    # due in June: X1, X2, X4, X9 (T1); X3 (T2); X7, X10 (UNALLOCATED). On time: X1, X4, X9, X7
    got = figures(evaluate(tmp_path / "a", TABLES, "audit_actions_on_time_pct", *JUNE))
    assert got == (4, 7, pytest.approx(100 * 4 / 7))
    teams = by_team_figures(evaluate(tmp_path / "b", TABLES, "audit_actions_on_time_pct", *JUNE, by_team=True))
    assert teams == {"T1": (3, 4), "T2": (0, 1), "UNALLOCATED": (1, 2)}


def test_each_month_counts_its_own_audits(tmp_path):
    write_tables(tmp_path, TABLES)
    db = SnapshotDB(load_snapshot(tmp_path, cache=False))
    frame = compute(db, REGISTRY["audits_completed"], months(dt.date(2021, 5, 1), dt.date(2021, 7, 31)),
                    load_settings())
    assert list(frame["value"]) == [1, 12, 1]      # A11 in May, A10 in July


# --- teams and scope ----------------------------------------------------------------------

def test_a_child_audited_by_two_teams_counts_in_each(tmp_path):
    # P1 is the child of A1 (T1) and A5 (T2): each audit counts in its own team, and twice overall
    rows = rows_of(tmp_path, TABLES, "audits_completed", *JUNE)
    p1 = rows[rows["person_id"] == "P1"].set_index("unit_id")
    assert p1["team"].to_dict() == {"A1": "T1", "A5": "T2"}


@pytest.mark.parametrize("indicator_id, expected", [
    ("audits_completed", (6, None, 6)),
    ("audits_good_or_better_pct", (2, 4, 50.0)),
    ("audit_moderation_agreement_pct", (2, 2, 100.0)),
    ("audit_actions_on_time_pct", (0, 1, 0.0)),
])
def test_a_scope_of_one_team_sees_only_its_audits_and_actions(tmp_path, indicator_id, expected):
    write_tables(tmp_path, TABLES)
    db = SnapshotDB(load_snapshot(tmp_path, cache=False))
    period = Period(dt.date(2021, 6, 1), dt.date(2021, 6, 30))
    frame = compute(db, REGISTRY[indicator_id], [period], load_settings(), scope=Scope(("T2",)))
    assert figures(frame) == expected
    rows = unit_rows(db, REGISTRY[indicator_id], [period], load_settings(), Scope(("T2",)))
    assert set(rows["team"]) == {"T2"}


# --- the drill-down lists -----------------------------------------------------------------

def test_good_or_better_drill_down_shows_the_final_grade(tmp_path):
    rows = rows_of(tmp_path, TABLES, "audits_good_or_better_pct", *JUNE).set_index("unit_id")
    assert sorted(rows.index) == ["A1", "A13", "A15", "A17", "A2", "A3", "A4", "A5", "A7"]
    assert (rows.loc["A2", "grade"], rows.loc["A2", "final_grade"], rows.loc["A2", "numerator"]) == \
        ("requires_improvement", "good", 1)
    assert (rows.loc["A3", "final_grade"], rows.loc["A3", "numerator"]) == ("requires_improvement", 0)
    assert rows.loc["A1", "auditor_id"] == "M1" and rows.loc["A1", "worker_id"] == "WA1"
    assert str(rows.loc["A2", "audit_date"])[:10] == "2021-06-30"


def test_moderation_drill_down_says_which_way_the_grade_moved(tmp_path):
    rows = rows_of(tmp_path, TABLES, "audit_moderation_agreement_pct", *JUNE).set_index("unit_id")
    assert rows["moderation_outcome"].to_dict() == {"A2": "graded up", "A3": "graded down", "A17": "agreed",
                                                     "A5": "agreed", "A15": "agreed"}


def test_actions_drill_down_lists_due_and_completed_dates(tmp_path):
    rows = rows_of(tmp_path, TABLES, "audit_actions_on_time_pct", *JUNE).set_index("unit_id")
    assert sorted(rows.index) == ["X1", "X10", "X2", "X3", "X4", "X7", "X9"]
    assert rows.loc["X2", "outcome"] == "completed late" and rows.loc["X2", "days_late"] == 1
    assert rows.loc["X1", "outcome"] == "completed on time" and rows.loc["X1", "days_late"] == 0
    assert rows.loc["X3", "outcome"] == "not completed" and pd.isna(rows.loc["X3", "completed_date"])
    assert rows.loc["X3", "audit_id"] == "A4" and rows.loc["X3", "person_id"] == "PA4"
    assert rows.loc["X4", "audit_type"] == "thematic"
    # missed actions come first: they are the ones a manager asks about
    assert list(rows["numerator"])[:3] == [0, 0, 0]


def test_drill_down_keeps_only_the_rows_asked_for(tmp_path):
    write_tables(tmp_path, TABLES)
    db = SnapshotDB(load_snapshot(tmp_path, cache=False))
    period = Period(dt.date(2021, 6, 1), dt.date(2021, 6, 30))
    late = unit_rows(db, REGISTRY["audit_actions_on_time_pct"], [period], load_settings(), numerator=0)
    assert sorted(late["unit_id"]) == ["X10", "X2", "X3"]


@pytest.mark.parametrize("indicator_id", QUALITY_IDS)
def test_drill_down_has_one_row_per_unit(tmp_path, indicator_id):
    rows = rows_of(tmp_path, TABLES, indicator_id, *JUNE)
    assert len(rows) > 0 and rows["unit_id"].is_unique and rows["numerator"].sum() > 0
    assert {"period_from", "period_to", "unit_id", "person_id", "team", "numerator", "denominator"} <= set(rows)
    assert not [c for c in rows.columns if "name" in c]


# --- nothing to count, or nothing to count with ---------------------------------------------

@pytest.mark.parametrize("indicator_id, expected", [
    ("audits_completed", (0, None, 0)),                 # a count of nothing is 0
    ("audits_good_or_better_pct", (0, 0, None)),        # a percentage of nothing has no value, not 0%
    ("audit_moderation_agreement_pct", (0, 0, None)),
    ("audit_actions_on_time_pct", (0, 0, None)),
])
def test_empty_tables(tmp_path, indicator_id, expected):
    tables = {t: [] for t in REGISTRY[indicator_id].tables}
    assert figures(evaluate(tmp_path, tables, indicator_id, *JUNE)) == expected


@pytest.mark.parametrize("indicator_id, expected", [
    ("audits_completed", (0, None, 0)),
    ("audits_good_or_better_pct", (0, 0, None)),
    ("audit_moderation_agreement_pct", (0, 0, None)),
    ("audit_actions_on_time_pct", (0, 0, None)),
])
def test_a_period_with_no_events(tmp_path, indicator_id, expected):
    assert figures(evaluate(tmp_path, TABLES, indicator_id, "2019-01-01", "2019-01-31")) == expected


def test_actions_need_the_audit_log_for_their_teams(tmp_path):
    frame = evaluate(tmp_path, {"qa_actions": ACTIONS}, "audit_actions_on_time_pct", *JUNE)
    assert "qa_audits" in frame.iloc[0]["unavailable"]


def test_without_an_audit_log_audits_are_unavailable_not_zero(tmp_path):
    frame = evaluate(tmp_path, {"ssd_contacts": []}, "audits_completed", *JUNE)
    assert frame.iloc[0]["value"] is None and "qa_audits" in frame.iloc[0]["unavailable"]


# --- the metrics command ------------------------------------------------------------------

def test_metrics_command_by_team(tmp_path, capsys):
    folder = write_tables(tmp_path / "snap", TABLES)
    code = main(["metrics", "--data", str(folder), "--from", JUNE[0], "--to", JUNE[1], "--by", "team",
                 "--ids", "audit_actions_on_time_pct"])
    out, err = capsys.readouterr()
    assert code == 0, err
    records = {r["team"]: r for r in json.loads(out)}
    assert records["T1"] == {"id": "audit_actions_on_time_pct", "from": "2021-06-01", "to": "2021-06-30",
                             "team": "T1", "numerator": 3, "denominator": 4, "value": 75}
    assert (records["UNALLOCATED"]["numerator"], records["UNALLOCATED"]["denominator"]) == (1, 2)
