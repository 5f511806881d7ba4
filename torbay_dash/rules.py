"""Cross-table rules like the national validators': each with an id, plain words and a severity.

validation.py judges each table on its own (unreadable values, dates that cannot be right,
an end before its start, repeats) and leaves bad rows out of the views. The rules here judge
the rows that are left against each other: a child missing from ssd_person, overlapping care
episodes, a placement outside its period of care, a plan with no conference. They never
change a figure; they say where a figure may be wrong ('error') or worth a look ('warning'),
with a few failing rows to find in the source system.

Each rule is made of parts, one query per table it judges (sql/rules/*.sql); a part runs
when every table it reads is served, and a rule none of whose parts can run is skipped, not
failed. All counting is done in DuckDB; only the few example rows reach pandas.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Callable

import pandas as pd

from . import contract
from .casting import cast_expression, implausible_condition, latest_plausible, quote_identifier, quote_literal
from .db import SnapshotDB, read_sql
from .store import Snapshot

# Bump whenever a rule, its parts or the examples' shape change, so cached results are redone.
RULES_VERSION = 1
CACHE_FILE = "rules.json"
EXAMPLES_PER_FAILURE = 5
# Pre-birth work (a referral, assessment, S47, conference or plan for an unborn child) may come
# before the date of birth, but not by more than a pregnancy: 300 days (about 43 weeks) is
# already more than any, so an event earlier than that belongs to someone else.
PRE_BIRTH_DAYS = 300


@dataclass(frozen=True)
class Rule:
    id: str            # stable, e.g. 'CHILD_NOT_IN_PERSON'
    message: str       # plain words, e.g. 'an event for a child not in ssd_person'
    severity: str      # 'error' (the figures may be wrong) or 'warning' (worth a look)
    tables: tuple[str, ...]  # every table the rule reads; it runs on those of its parts whose tables are served
    detail: str = ""   # what is not judged, and why: the rule's exceptions in plain words


@dataclass
class RuleFailure:
    rule: str                  # Rule.id
    table: str                 # the table whose rows fail
    n_rows: int
    examples: list[dict] = field(default_factory=list)  # a few failing rows: pseudonymous ids, dates, row numbers


@dataclass(frozen=True)
class _Part:
    """One query of a rule: the tables it reads and how to write its SQL for a snapshot."""
    tables: tuple[str, ...]
    sql: Callable[[Snapshot, SnapshotDB], str]


def _template(file: str, **values: str) -> Callable[[Snapshot, SnapshotDB], str]:
    text = read_sql(f"rules/{file}")
    return lambda snapshot, db: text.format(**values, **_file_ids(snapshot, db, text))


def _source_types(db: SnapshotDB, snapshot: Snapshot, table_name: str) -> dict[str, str]:
    source = f"read_parquet({quote_literal(str(snapshot.table_path(table_name)))})"
    return {r["column_name"]: r["column_type"]
            for r in db.query(f"DESCRIBE SELECT * FROM {source}").to_dict("records")}


# Placeholders a rule's SQL may use for every id in a table's file, rows left out or not:
# a link to a row that validation left out (and reports) is not also a broken link.
FILE_IDS = {"person_ids_in_file": ("ssd_person", "pers_person_id"),
            "referral_ids_in_file": ("ssd_cin_episodes", "cine_referral_id")}


def _file_ids(snapshot: Snapshot, db: SnapshotDB, text: str) -> dict[str, str]:
    """The FILE_IDS placeholders a query uses, each as a subquery reading the ids from the raw file."""
    found = {}
    for placeholder, (table_name, column) in FILE_IDS.items():
        if "{" + placeholder + "}" in text:
            expr = cast_expression(column, contract.ID, _source_types(db, snapshot, table_name)[column])
            path = quote_literal(str(snapshot.table_path(table_name)))
            found[placeholder] = f"(SELECT {expr} AS id FROM read_parquet({path}) WHERE {expr} IS NOT NULL)"
    return found


def _person_column(table: contract.Table) -> str | None:
    """The column naming the child in a table (`*person_id`), if it has one."""
    return next((c.name for c in table.columns if c.type == contract.ID and c.name.endswith("person_id")), None)


# Tables naming a child: every contract table with a person id column, except ssd_person itself.
CHILD_TABLES = tuple(t.name for t in contract.TABLES.values()
                     if t.name != "ssd_person" and _person_column(t) is not None)


def _q(name: str) -> str:
    return quote_identifier(name)


def _child_not_in_person_parts() -> list[_Part]:
    parts = []
    for name in CHILD_TABLES:
        table = contract.TABLES[name]
        parts.append(_Part(("ssd_person", name), _template(
            "child_not_in_person", name=name, table=_q(name), record=_q(table.key), person=_q(_person_column(table)))))
    return parts


# Events checked against the date of birth: (table, date column, may come before birth).
# Work with an unborn child is routine before birth: a contact or referral about a pregnancy,
# a pre-birth assessment, S47 enquiry, conference and CP plan (the CIN census counts unborn
# children), their reviews and visits, pre-proceedings begun before birth, an allocated
# worker, a case audit. Care cannot: a child is looked after, placed, under an order, seen on a
# CLA visit, health-checked, missing, in CAMHS or adopted only once born (the 903 validator
# allows no episode before birth).
BIRTH_EVENTS: tuple[tuple[str, str, bool], ...] = (
    ("ssd_contacts", "cont_contact_date", True),
    ("ssd_cin_episodes", "cine_referral_date", True),
    ("ssd_cin_assessments", "cina_assessment_start_date", True),
    ("ssd_s47_enquiry", "s47e_s47_start_date", True),
    ("ssd_initial_cp_conference", "icpc_icpc_date", True),
    ("ssd_cp_plans", "cppl_cp_plan_start_date", True),
    ("ssd_cp_reviews", "cppr_cp_review_date", True),
    ("ssd_cp_visits", "cppv_cp_visit_date", True),
    ("ssd_pre_proceedings", "prep_pre_pro_decision_date", True),
    ("ssd_involvements", "invo_involvement_start_date", True),
    ("qa_audits", "audit_date", True),
    ("ssd_cla_episodes", "clae_cla_episode_start_date", False),
    ("ssd_cla_episodes", "clae_entered_care_date", False),
    ("ssd_cla_placement", "clap_cla_placement_start_date", False),
    ("ssd_legal_status", "lega_legal_status_start_date", False),
    ("ssd_cla_visits", "clav_cla_visit_date", False),
    ("ssd_cla_health", "clah_health_check_date", False),
    ("ssd_missing", "miss_missing_episode_start_date", False),
    ("ssd_care_leavers", "clea_care_leaver_latest_contact", False),
    ("ssd_permanence", "perm_placement_order_date", False),
    ("ssd_permanence", "perm_matched_date", False),
    ("ssd_permanence", "perm_placed_for_adoption_date", False),
    ("ssd_permanence", "perm_permanence_order_date", False),
    ("local_camhs", "referral_date", False),
    ("local_camhs", "start_date", False),
)


def _dob_after_event_parts() -> list[_Part]:
    parts = []
    for name, column, pre_birth in BIRTH_EVENTS:
        table = contract.TABLES[name]
        allowance = f"AND t.{_q(column)} < p.pers_dob - INTERVAL {PRE_BIRTH_DAYS} DAY" if pre_birth else ""
        parts.append(_Part(("ssd_person", name), _template(
            "dob_after_event", name=name, table=_q(name), record=_q(table.key),
            person=_q(_person_column(table)), column_name=column, column=_q(column), pre_birth=allowance)))
    return parts


def _overlap_part(table: str, id: str, person: str, start: str, end: str) -> _Part:
    return _Part((table,), _template("overlap", name=table, table=_q(table), id=_q(id), person=_q(person),
                                     start=_q(start), end=_q(end)))


def _date_after_as_at_sql(table_name: str) -> Callable[[Snapshot, SnapshotDB], str]:
    """Rows of the raw file with a date after the as-at date where only the past is known.

    The views leave such rows out, so this reads the file itself, with validation's own
    expressions: a date read, not before 1900 (validation's other complaint), and after as-at.
    """
    table = contract.TABLES[table_name]

    def sql(snapshot: Snapshot, db: SnapshotDB) -> str:
        source = f"read_parquet({quote_literal(str(snapshot.table_path(table_name)))}, file_row_number = true)"
        types = _source_types(db, snapshot, table_name)
        checks = []
        for col in table.columns:
            latest = latest_plausible(table_name, col.name, snapshot.as_at)
            if col.type != contract.DATE or latest is None or col.name not in types:
                continue
            after = implausible_condition(col.name, col.type, types[col.name], latest)
            before_1900 = implausible_condition(col.name, col.type, types[col.name], None)
            checks.append((col.name, f"({after} AND NOT {before_1900})",
                           cast_expression(col.name, col.type, types[col.name])))
        if not checks:
            return ""
        person = _person_column(table)
        person_sql = cast_expression(person, contract.ID, types[person]) if person in types else "NULL"
        which = " ".join(f"WHEN {cond} THEN '{name}'" for name, cond, _ in checks)
        value = " ".join(f"WHEN {cond} THEN {expr}" for _, cond, expr in checks)
        return (f"SELECT '{table_name}' AS table_name,\n"
                f"  {cast_expression(table.key, contract.ID, types[table.key])} AS record_id,\n"
                f"  {person_sql} AS person_id,\n"
                f"  CASE {which} END AS column_name,\n"
                f"  CASE {value} END AS date,\n"
                f"  file_row_number + 1 AS row\n"
                f"FROM {source}\nWHERE {' OR '.join(cond for _, cond, _ in checks)}")
    return sql


def _date_after_as_at_parts() -> list[_Part]:
    return [_Part((t.name,), _date_after_as_at_sql(t.name)) for t in contract.TABLES.values()
            if any(c.type == contract.DATE and (t.name, c.name) not in contract.FUTURE_DATES for c in t.columns)]


RULES: dict[str, Rule] = {}
_PARTS: dict[str, list[_Part]] = {}


def _register(rule_id: str, message: str, severity: str, parts: list[_Part], detail: str = "") -> None:
    tables = tuple(sorted({t for p in parts for t in p.tables}))
    RULES[rule_id] = Rule(rule_id, message, severity, tables, detail)
    _PARTS[rule_id] = parts


_register(
    "CHILD_NOT_IN_PERSON",
    "a row for a child that ssd_person does not hold", "error", _child_not_in_person_parts(),
    "Every table naming a child is checked, one result per table; its figures by age, sex or "
    "ethnicity leave the child out. Rows with no child id are not judged here.")
_register(
    "DATE_AFTER_AS_AT",
    "a date after the snapshot's as-at date, where only the past can be known", "error",
    _date_after_as_at_parts(),
    "Due, target and expected dates (review due dates, an unborn child's expected birth, HR starts "
    "and leavers agreed ahead) may be later. Such rows are left out of the figures; dates before 1900 "
    "are reported by validation instead.")
_register(
    "DOB_AFTER_EVENT",
    "an event dated before the child was born", "error", _dob_after_event_parts(),
    "Pre-birth work (contacts, referrals, assessments, S47 enquiries, conferences, CP plans with "
    f"their reviews and visits, pre-proceedings, allocations, audits) fails only when more than "
    f"{PRE_BIRTH_DAYS} days before birth, longer than any pregnancy. Care, placements, legal status, "
    "CLA visits, health checks, missing episodes, CAMHS and permanence cannot come before birth.")
_register(
    "CLA_EPISODES_OVERLAP",
    "two care episodes of one child overlap", "error",
    [_overlap_part("ssd_cla_episodes", "clae_cla_episode_id", "clae_person_id",
                   "clae_cla_episode_start_date", "clae_cla_episode_ceased_date")],
    "One episode ending on the day the next starts is not an overlap; an open episode overlaps "
    "every later one. The later episode is reported, with the one it overlaps.")
_register(
    "CP_PLANS_OVERLAP",
    "two child protection plans of one child overlap", "error",
    [_overlap_part("ssd_cp_plans", "cppl_cp_plan_id", "cppl_person_id",
                   "cppl_cp_plan_start_date", "cppl_cp_plan_end_date")],
    "One plan ending on the day the next starts is not an overlap; an open plan overlaps every later "
    "one. The later plan is reported, with the one it overlaps.")
_register(
    "PLACEMENT_OUTSIDE_EPISODE",
    "a placement outside the period of care it belongs to", "warning",
    [_Part(("ssd_cla_placement", "ssd_cla_episodes"), _template("placement_outside_episode"))],
    "Tested against the whole period of care (clap_cla_id), from entry to care to its last episode's "
    "end, since a placement may span several episodes; a placement still open when the period has "
    "ceased fails. A placement whose period is not found is tested against every period of its child.")
_register(
    "CP_PLAN_NO_CONFERENCE",
    "a child protection plan with no initial conference", "warning",
    [_Part(("ssd_cp_plans", "ssd_initial_cp_conference"), _template("cp_plan_no_conference"))],
    "Not judged: plans brought by a transfer-in conference of the same child (same referral or "
    "the plan's start date), and plans starting before the extract's first conference.")
_register(
    "REVIEW_BEFORE_EPISODE",
    "a review dated before the care or plan it reviews began", "warning",
    [_Part(("ssd_cla_reviews", "ssd_cla_episodes"), _template("cla_review_before_care")),
     _Part(("ssd_cp_reviews", "ssd_cp_plans"), _template("cp_review_before_plan"))],
    "A CLA review is judged against its period of care's entry to care (the earliest episode start "
    "or entered-care date); a CP review against its plan's start. Reviews whose period or plan is "
    "not found are not judged.")
_register(
    "ASSESSMENT_NO_REFERRAL",
    "an assessment whose referral is not in ssd_cin_episodes", "warning",
    [_Part(("ssd_cin_assessments", "ssd_cin_episodes"), _template("assessment_no_referral"))],
    "Not judged: assessments with no referral id, and those starting before the extract's first referral.")


def _runnable_parts(rule_id: str, served: set[str]) -> list[_Part]:
    return [p for p in _PARTS[rule_id] if set(p.tables) <= served]


def skipped_rules(served: set[str] | list[str]) -> list[str]:
    """Ids of the rules that cannot run on these served tables (none of their parts has its tables)."""
    served = set(served)
    return [rule_id for rule_id in RULES if not _runnable_parts(rule_id, served)]


def _json_value(value):
    """A value fit for JSON and display: dates as ISO strings, numbers as Python numbers, nulls as None."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _json_value(value.item())
    return value


def _row_numbers(db: SnapshotDB, snapshot: Snapshot, table_name: str, ids: list[str]) -> dict[str, int]:
    """1-based rows in the table's file of these ids (the first row of an id, the one the view keeps)."""
    table = contract.TABLES[table_name]
    source = f"read_parquet({quote_literal(str(snapshot.table_path(table_name)))}, file_row_number = true)"
    types = _source_types(db, snapshot, table_name)
    key = cast_expression(table.key, contract.ID, types[table.key])
    found = db.query(f"SELECT {key} AS id, min(file_row_number) + 1 AS row FROM {source} "
                     f"WHERE list_contains($ids, {key}) GROUP BY 1", {"ids": [str(i) for i in ids]})
    return {str(r["id"]): int(r["row"]) for r in found.to_dict("records")}


def _run_rule(rule_id: str, snapshot: Snapshot, db: SnapshotDB) -> list[RuleFailure]:
    """One rule's failures, one per table with failing rows, each with a few examples."""
    sqls = [s for s in (p.sql(snapshot, db) for p in _runnable_parts(rule_id, db.tables)) if s]
    if not sqls:
        return []
    failing = "\nUNION ALL BY NAME\n".join(f"SELECT * FROM (\n{s}\n)" for s in sqls)
    found = db.query(
        f"WITH failing AS (\n{failing}\n)\n"
        f"SELECT count(*) OVER (PARTITION BY table_name) AS n_rows, * FROM failing\n"
        f"QUALIFY row_number() OVER (PARTITION BY table_name ORDER BY record_id) <= {EXAMPLES_PER_FAILURE}\n"
        f"ORDER BY table_name, record_id")
    failures = []
    for table_name, rows in found.groupby("table_name", sort=True):
        examples = [{k: _json_value(v) for k, v in row.items() if k not in ("table_name", "n_rows")}
                    for row in rows.to_dict("records")]
        if "row" not in rows.columns or rows["row"].isna().any():
            numbers = _row_numbers(db, snapshot, table_name, [e["record_id"] for e in examples])
            for example in examples:
                example["row"] = numbers.get(str(example["record_id"]))
        failures.append(RuleFailure(rule_id, str(table_name), int(rows["n_rows"].iloc[0]), examples))
    return failures


def run_rules(snapshot: Snapshot) -> list[RuleFailure]:
    """Every applicable rule on one snapshot, uncached."""
    db = SnapshotDB(snapshot)
    try:
        return [f for rule_id in RULES for f in _run_rule(rule_id, snapshot, db)]
    finally:
        db.close()


def _from_cache(data: dict, snapshot: Snapshot) -> list[RuleFailure] | None:
    """The cached failures when written by this RULES_VERSION for this content, else None."""
    if data.get("rules_version") != RULES_VERSION or data.get("key") != snapshot.key:
        return None
    failures = data.get("failures")
    if not isinstance(failures, list):
        return None
    try:
        out = [RuleFailure(**f) for f in failures]
    except TypeError:
        return None
    if not all(isinstance(f.rule, str) and isinstance(f.table, str) and isinstance(f.n_rows, int)
               and isinstance(f.examples, list) and all(isinstance(e, dict) for e in f.examples) for f in out):
        return None
    return out


def check(snapshot: Snapshot, use_cache: bool = True) -> list[RuleFailure]:
    """Every rule's failures on one snapshot (cached beside it, keyed on its content)."""
    path = snapshot.path / CACHE_FILE
    if use_cache:
        try:
            cached = _from_cache(json.loads(path.read_text()), snapshot)
        except (OSError, ValueError, AttributeError):
            cached = None
        if cached is not None:
            return cached
    failures = run_rules(snapshot)
    if use_cache:
        data = {"rules_version": RULES_VERSION, "key": snapshot.key,
                "checked_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "failures": [asdict(f) for f in failures]}
        partial = snapshot.path / f".{CACHE_FILE}.{uuid.uuid4().hex[:8]}"
        try:
            partial.write_text(json.dumps(data, indent=1))
            os.replace(partial, path)
        except OSError:  # a read-only folder: the result is just returned, computed again next time
            try:
                partial.unlink(missing_ok=True)
            except OSError:
                pass
    return failures


def rule_table(failures: list[RuleFailure]) -> pd.DataFrame:
    """One row per rule and table failing, most serious first: for the data-quality page and CSV."""
    columns = ["rule", "message", "severity", "table", "rows_failing"]
    rows = [{"rule": f.rule, "message": RULES[f.rule].message if f.rule in RULES else "",
             "severity": RULES[f.rule].severity if f.rule in RULES else "", "table": f.table,
             "rows_failing": f.n_rows} for f in failures]
    frame = pd.DataFrame(rows, columns=columns)
    order = {"error": 0, "warning": 1}
    return (frame.assign(_order=frame["severity"].map(order).fillna(2))
            .sort_values(["_order", "rule", "table"], kind="stable").drop(columns="_order").reset_index(drop=True))


def examples_frame(failure: RuleFailure) -> pd.DataFrame:
    """A failure's example rows as a frame, the row number first."""
    frame = pd.DataFrame(failure.examples)
    if "row" in frame.columns:
        frame = frame[["row"] + [c for c in frame.columns if c != "row"]]
    return frame
