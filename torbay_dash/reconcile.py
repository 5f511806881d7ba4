"""Reconciliation of two snapshots: what a newer extract says differently about the past.

Each table's rows are matched on its contract key (ids compared as text, every value cast to
its contract type, the first row of a repeated id counting, as in the snapshot views) and
sorted into four lists, all set operations done in DuckDB over both snapshots' Parquet:

- **vanished**: keys in the previous snapshot but not in the current one;
- **changed history**: keys in both whose values differ, where the row describes the past
  (its key date, such as an episode's start, is on or before the previous snapshot's as-at
  date; tables without a key date, such as ``ssd_person``, are all past; a row whose key date is
  empty, such as a conference not yet held, is not) and at least one
  change rewrites what the previous snapshot said about that past;
- **updated since** (counted, not listed): rows whose only changes are what has happened
  since the previous as-at date. An end date filled in that falls *after* the previous as-at
  date is not history changing: the episode was open then, and the previous snapshot said
  so. Values filled in with it (a reason for ending) go with it. An end date filled in that
  falls *on or before* the previous as-at date does change history (the previous snapshot
  counted the episode open on a day it had already ended), as does any value rewritten or
  erased, and any value filled in on a row where nothing dated after the previous as-at
  date was recorded;
- **new**: keys in the current snapshot only, each said to be dated after the previous as-at
  date (new events) or on or before it (the past, told late: late recording, or a system
  migration that created records again under new ids).

Changed values are given old -> new for dates, codes, flags, numbers and pseudonymous ids;
free text (team and worker names, postcodes, JSON) is said to have changed, never shown.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from . import contract
from .casting import SESSION_SETUP, cast_expression, quote_identifier, quote_literal
from .store import Snapshot

# The date that places a row in time, for tables whose counted date is not their first required value.
_KEY_DATES = {
    "ssd_initial_cp_conference": "icpc_icpc_date",
    "ssd_cp_reviews": "cppr_cp_review_due",
    "ssd_pre_proceedings": "prep_pre_pro_decision_date",
    "ssd_cla_reviews": "clar_cla_review_due_date",
    "ssd_cla_health": "clah_health_check_date",
    "ssd_care_leavers": "clea_care_leaver_latest_contact",
    "ssd_permanence": "perm_adm_decision_date",
}
# Columns whose values are never shown (names, postcodes, free text): only that they changed.
HIDDEN_TYPES = {contract.TEXT}
HIDDEN = "(text, not shown)"

# How each column's value moved, in words.
REWRITTEN, ERASED, FILLED_PAST, FILLED_SINCE, FILLED = (
    "rewritten", "erased", "filled in, dated in the past", "filled in, dated since", "filled in")

SUMMARY_COLUMNS = ["table", "before", "after", "rows_before", "rows_after", "vanished", "changed_history",
                   "updated_since", "new", "new_dated_in_past", "children_affected"]
VANISHED_COLUMNS = ["table", "record_id", "person_id", "key_date"]
CHANGED_COLUMNS = ["table", "record_id", "person_id", "key_date", "column", "before", "after", "change"]
NEW_COLUMNS = ["table", "record_id", "person_id", "key_date", "dated"]


def key_date(table: str) -> str | None:
    """The column that places a table's rows in time (an episode's start, a visit's date), or None."""
    if table in _KEY_DATES:
        return _KEY_DATES[table]
    t = contract.TABLES[table]
    return next((c for c in contract.REQUIRED_VALUES.get(table, ()) if t.column(c).type == contract.DATE), None)


def person_column(table: str) -> str | None:
    """The column holding the child's pseudonymous id, where the table has one."""
    return next((c.name for c in contract.TABLES[table].columns
                 if c.name == "person_id" or c.name.endswith("_person_id")), None)


def _status(snapshot: Snapshot, table: str) -> str:
    if table not in snapshot.report.tables:
        return "absent"
    return "quarantined" if table in snapshot.quarantined else "served"


@dataclass
class Reconciliation:
    """Two consecutive snapshots compared table by table (see the module's docstring for each list)."""
    previous: Snapshot
    current: Snapshot
    summary: pd.DataFrame      # one row per table: SUMMARY_COLUMNS
    vanished: pd.DataFrame     # VANISHED_COLUMNS
    changed: pd.DataFrame      # one row per history-changing value: CHANGED_COLUMNS
    new: pd.DataFrame          # NEW_COLUMNS; `dated` is 'in the past' or 'since'
    not_compared: dict[str, str] = field(default_factory=dict)  # table -> why its rows were not compared

    @property
    def tables_added(self) -> list[str]:
        return sorted(self.summary.loc[(self.summary["before"] == "absent")
                                       & (self.summary["after"] != "absent"), "table"])

    @property
    def tables_removed(self) -> list[str]:
        return sorted(self.summary.loc[(self.summary["before"] != "absent")
                                       & (self.summary["after"] == "absent"), "table"])

    @property
    def tables_quarantined(self) -> list[str]:
        """Tables quarantined in the current snapshot that were not in the previous one."""
        return sorted(self.summary.loc[(self.summary["before"] != "quarantined")
                                       & (self.summary["after"] == "quarantined"), "table"])

    def past_rows(self, table: str) -> pd.DataFrame:
        """The rows of one table whose past changed: vanished, history rewritten, or new but dated in the past."""
        parts = [self.vanished.loc[self.vanished["table"] == table, ["record_id", "person_id"]].assign(how="vanished"),
                 self.changed.loc[self.changed["table"] == table, ["record_id", "person_id"]]
                 .drop_duplicates().assign(how="changed"),
                 self.new.loc[(self.new["table"] == table) & (self.new["dated"] == "in the past"),
                              ["record_id", "person_id"]].assign(how="new, dated in the past")]
        return pd.concat(parts, ignore_index=True)

    def children_affected(self, table: str) -> int:
        """How many children's past rows in the table vanished, changed or appeared dated in the past."""
        return int(self.past_rows(table)["person_id"].dropna().nunique())


def _source_types(con: duckdb.DuckDBPyConnection, path) -> dict[str, str]:
    return {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({quote_literal(str(path))})")
            .fetchall()}


def _load(con: duckdb.DuckDBPyConnection, name: str, snapshot: Snapshot, table: contract.Table) -> str | None:
    """One snapshot's rows as a temporary table, cast to contract types (the first row of a repeated id counts).

    Returns None, or why the table cannot be compared."""
    path = snapshot.table_path(table.name)
    try:
        types = _source_types(con, path)
    except duckdb.Error:
        return f"the file of snapshot {snapshot.id} cannot be read"
    missing = [c for c in table.column_names if c not in types]
    if missing:
        return f"snapshot {snapshot.id} lacks column(s) {', '.join(missing)}"
    columns = ", ".join(f"{cast_expression(c.name, c.type, types[c.name])} AS {quote_identifier(c.name)}"
                        for c in table.columns)
    key = quote_identifier(table.key)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * EXCLUDE (file_row_number) FROM ("
                    f"SELECT {columns}, file_row_number "
                    f"FROM read_parquet({quote_literal(str(path))}, file_row_number = true)) "
                    f"WHERE {key} IS NOT NULL "
                    f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY file_row_number) = 1")
    except duckdb.Error as exc:
        return f"the file of snapshot {snapshot.id} cannot be read ({str(exc).splitlines()[0][:120]})"
    return None


def _compare_table(con: duckdb.DuckDBPyConnection, table: contract.Table,
                   since: dt.date) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    """Vanished, changed-history and new rows of one table loaded as `prev` and `cur`; and rows updated since."""
    key = quote_identifier(table.key)
    person = person_column(table.name)
    when = key_date(table.name)
    as_at = f"DATE '{since.isoformat()}'"

    def ident(alias: str, other: str | None = None) -> str:
        person_sql = (f"coalesce({alias}.{quote_identifier(person)}, {other}.{quote_identifier(person)})"
                      if person and other else f"{alias}.{quote_identifier(person)}" if person else "NULL")
        when_sql = (f"coalesce({alias}.{quote_identifier(when)}, {other}.{quote_identifier(when)})"
                    if when and other else f"{alias}.{quote_identifier(when)}" if when else "NULL::DATE")
        return (f"'{table.name}' AS \"table\", {alias}.{key} AS record_id, "
                f"CAST({person_sql} AS VARCHAR) AS person_id, {when_sql} AS key_date")

    vanished = con.execute(f"SELECT {ident('p')} FROM prev p ANTI JOIN cur c ON p.{key} = c.{key} "
                           "ORDER BY record_id").df()
    dated = (f"CASE WHEN c.{quote_identifier(when)} <= {as_at} THEN 'in the past' ELSE 'since' END"
             if when else "'since'")
    new = con.execute(f"SELECT {ident('c')}, {dated} AS dated FROM cur c ANTI JOIN prev p ON p.{key} = c.{key} "
                      "ORDER BY record_id").df()

    # Rows present in both whose values differ, one row per differing column, as text.
    others = [c for c in table.columns if c.name != table.key]
    differs = " OR ".join(f"p.{quote_identifier(c.name)} IS DISTINCT FROM c.{quote_identifier(c.name)}"
                          for c in others) or "false"
    past = f"coalesce(p.{quote_identifier(when)} <= {as_at}, false)" if when else "true"  # undated: not yet
    con.execute(f"CREATE OR REPLACE TEMP TABLE both_changed AS SELECT {ident('c', 'p')}, {past} AS is_past, "
                + ", ".join(f"CAST(p.{quote_identifier(c.name)} AS VARCHAR) AS \"b{i}\", "
                            f"CAST(c.{quote_identifier(c.name)} AS VARCHAR) AS \"a{i}\"" for i, c in enumerate(others))
                + f" FROM prev p JOIN cur c ON p.{key} = c.{key} WHERE {differs}")
    branches = []
    for i, c in enumerate(others):
        b, a = f'"b{i}"', f'"a{i}"'
        if c.type == contract.DATE:
            filled = f"CASE WHEN CAST({a} AS DATE) <= {as_at} THEN '{FILLED_PAST}' ELSE '{FILLED_SINCE}' END"
        else:
            filled = f"'{FILLED}'"
        shown_b, shown_a = (quote_literal(HIDDEN), quote_literal(HIDDEN)) if c.type in HIDDEN_TYPES else (b, a)
        branches.append(
            f"SELECT \"table\", record_id, person_id, key_date, is_past, '{c.name}' AS \"column\", "
            f"{shown_b} AS \"before\", {shown_a} AS \"after\", "
            f"CASE WHEN {b} IS NULL THEN {filled} WHEN {a} IS NULL THEN '{ERASED}' ELSE '{REWRITTEN}' END AS change "
            f"FROM both_changed WHERE {b} IS DISTINCT FROM {a}")
    if not branches:
        return vanished, pd.DataFrame(columns=CHANGED_COLUMNS), new, 0
    changes = con.execute(f"""
        WITH changes AS ({' UNION ALL '.join(branches)}),
        rows AS (
            SELECT record_id, bool_or(change = '{FILLED_SINCE}') AS recorded_since FROM changes GROUP BY record_id
        ),
        judged AS (
            SELECT changes.*, rows.recorded_since,
                   is_past AND (change IN ('{REWRITTEN}', '{ERASED}', '{FILLED_PAST}')
                                OR (change = '{FILLED}' AND NOT rows.recorded_since)) AS history
            FROM changes JOIN rows USING (record_id)
        ),
        history_rows AS (SELECT record_id FROM judged GROUP BY record_id HAVING bool_or(history))
        SELECT judged.* EXCLUDE (is_past, recorded_since, history),
               judged.history, record_id IN (SELECT record_id FROM history_rows) AS history_row
        FROM judged ORDER BY record_id, "column"
    """).df()
    history = changes[changes["history"]][CHANGED_COLUMNS].reset_index(drop=True)
    updated_since = int(changes.loc[~changes["history_row"], "record_id"].nunique())
    return vanished, history, new, updated_since


def reconcile(previous: Snapshot, current: Snapshot) -> Reconciliation:
    """Compare two snapshots table by table; `previous` should be the earlier (see the module's docstring)."""
    since = previous.as_at
    con = duckdb.connect()
    con.execute(SESSION_SETUP)
    summary, vanished, changed, new, not_compared = [], [], [], [], {}
    try:
        for name, table in contract.TABLES.items():
            before, after = _status(previous, name), _status(current, name)
            if before == after == "absent":
                continue
            row = {"table": name, "before": before, "after": after,
                   "rows_before": previous.report.tables.get(name), "rows_after": current.report.tables.get(name),
                   "vanished": None, "changed_history": None, "updated_since": None, "new": None,
                   "new_dated_in_past": None, "children_affected": None}
            why = None
            if "absent" in (before, after):
                why = f"absent from snapshot {previous.id if before == 'absent' else current.id}"
            else:
                why = _load(con, "prev", previous, table) or _load(con, "cur", current, table)
            if why:
                not_compared[name] = why
                summary.append(row)
                continue
            gone, history, added, updated = _compare_table(con, table, since)
            past_new = added[added["dated"] == "in the past"]
            people = pd.concat([gone["person_id"], history["person_id"], past_new["person_id"]]).dropna()
            row.update(vanished=len(gone), changed_history=int(history["record_id"].nunique()),
                       updated_since=updated, new=len(added), new_dated_in_past=len(past_new),
                       children_affected=int(people.nunique()) if person_column(name) else None)
            summary.append(row)
            vanished.append(gone)
            changed.append(history)
            new.append(added)
    finally:
        con.close()
    frame = pd.DataFrame(summary, columns=SUMMARY_COLUMNS)
    for column in SUMMARY_COLUMNS[3:]:
        frame[column] = frame[column].astype("Int64")
    return Reconciliation(previous, current, frame,
                          _stack(vanished, VANISHED_COLUMNS), _stack(changed, CHANGED_COLUMNS),
                          _stack(new, NEW_COLUMNS), not_compared)


def _stack(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f[columns] for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    out = pd.concat(frames, ignore_index=True)
    for column in columns:  # missing values as None, not NaN, in the text columns
        if column != "key_date":
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    out["key_date"] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in out["key_date"]]
    return out


def previous_of(snapshots: list[Snapshot], current: Snapshot) -> Snapshot | None:
    """The usable snapshot dated just before `current`, from a store's list, or None."""
    earlier = [s for s in snapshots if s.usable and s.as_at < current.as_at]
    return max(earlier, key=lambda s: s.as_at) if earlier else None
