"""The performance surgery: what changed for a team's children between two snapshots.

A team manager works through the children who became overdue since the last extract, sees what was put
right, and who joined or left the team's caseload. The comparison is of two `team_children` frames (the
same lists, taken at each snapshot's own as-at date) and of the children allocated at each date, by
(list, child) only: no figure is recomputed here, so the surgery cannot disagree with the lists.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .compute import EVERYTHING, Scope
from .db import SnapshotDB, read_sql
from .team_children import LISTS, OVERDUE

NEWLY_OVERDUE = "newly overdue"
RESOLVED = "no longer overdue"
NEWLY_LISTED = "newly on the list"
OFF_LIST = "off the list"
NEW_CHILD = "new to the team"
LEFT = "closed or moved on"
# The order a surgery works through the changes.
CHANGES = (NEWLY_OVERDUE, RESOLVED, NEWLY_LISTED, OFF_LIST, NEW_CHILD, LEFT)
COLUMNS = ["change", "list_words", "person_id", "team", "worker_id", "before", "now", "due_date", "detail"]


def allocated_children(db: SnapshotDB, as_at: dt.date, scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Children allocated at `as_at` in scope: person_id, team, worker_id, allocated_since."""
    if "ssd_involvements" not in db.tables:
        return None
    return db.query(read_sql("team/allocated_children"),
                    {"as_at": as_at, "teams": list(scope.teams) if scope.teams is not None else None})


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(person_id=frame["person_id"].astype(str)).drop_duplicates(["list", "person_id"])


def changes(before: pd.DataFrame, now: pd.DataFrame, allocated_before: pd.DataFrame | None = None,
            allocated_now: pd.DataFrame | None = None) -> pd.DataFrame:
    """The surgery's list: one row per change (CHANGES), in that order, then in the lists' order, then by child.

    `before` and `now` are `team_children` frames for the same scope at two snapshots. An overdue item that
    is gone because the child left the team is listed once, as 'closed or moved on', not as put right.
    """
    b, n = _keyed(before), _keyed(now)
    both = b.merge(n, on=["list", "person_id"], how="outer", suffixes=("_before", "_now"), indicator="presence")
    left_team = set()
    if allocated_before is not None and allocated_now is not None:
        left_team = set(allocated_before["person_id"].astype(str)) - set(allocated_now["person_id"].astype(str))
    rows = []
    for row in both.itertuples(index=False):
        status_before = row.status_before if row.presence != "right_only" else None
        status_now = row.status_now if row.presence != "left_only" else None
        latest = "_now" if status_now is not None else "_before"
        if status_now == OVERDUE and status_before != OVERDUE:
            change = NEWLY_OVERDUE
        elif status_before == OVERDUE and status_now != OVERDUE:
            if row.person_id in left_team:
                continue  # said once, under LEFT
            change = RESOLVED
        elif status_before is None and status_now is not None and status_now != "due soon":
            change = NEWLY_LISTED
        elif status_now is None and status_before is not None and status_before != "due soon":
            if row.person_id in left_team:
                continue
            change = OFF_LIST
        else:
            continue  # unchanged, or only 'due soon' coming and going: the lists themselves show those
        rows.append({"change": change, "list_words": getattr(row, "list_words" + latest),
                     "person_id": row.person_id, "team": getattr(row, "team" + latest),
                     "worker_id": getattr(row, "worker_id" + latest), "before": status_before or "not listed",
                     "now": status_now or "not listed", "due_date": getattr(row, "due_date" + latest),
                     "detail": getattr(row, "detail" + latest)})
    if allocated_before is not None and allocated_now is not None:
        rows += _joined_and_left(allocated_before, allocated_now)
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["_order"] = out["change"].map({c: i for i, c in enumerate(CHANGES)})
    out["_list"] = out["list_words"].map({words: i for i, words in enumerate(LISTS.values())})
    return out.sort_values(["_order", "_list", "person_id"], kind="stable", na_position="last") \
        .drop(columns=["_order", "_list"]).reset_index(drop=True)


def _joined_and_left(before: pd.DataFrame, now: pd.DataFrame) -> list[dict]:
    """Children allocated now and not before (new), and before and not now (case closed or moved team)."""
    before = before.assign(person_id=before["person_id"].astype(str)).set_index("person_id")
    now = now.assign(person_id=now["person_id"].astype(str)).set_index("person_id")
    rows = []
    for person in sorted(set(now.index) - set(before.index)):
        child = now.loc[person]
        rows.append({"change": NEW_CHILD, "list_words": "allocated", "person_id": person, "team": child["team"],
                     "worker_id": child["worker_id"], "before": "not allocated here", "now": "allocated",
                     "due_date": None, "detail": f"allocated since {pd.Timestamp(child['allocated_since']):%d/%m/%Y}"})
    for person in sorted(set(before.index) - set(now.index)):
        child = before.loc[person]
        rows.append({"change": LEFT, "list_words": "allocated", "person_id": person, "team": child["team"],
                     "worker_id": child["worker_id"], "before": "allocated", "now": "not allocated here",
                     "due_date": None, "detail": "no longer allocated to this team"})
    return rows


def counts(changed: pd.DataFrame) -> dict[str, int]:
    """Children per change, every change named (0 where none)."""
    return {change: int((changed["change"] == change).sum()) for change in CHANGES}


GAP_TABLES = ("ssd_cin_episodes", "ssd_cp_plans", "ssd_cla_episodes", "ssd_cla_placement", "ssd_person",
              "ssd_care_leavers")


def data_gaps(db: SnapshotDB, as_at: dt.date, allocated: pd.DataFrame) -> pd.DataFrame | None:
    """The team's case records a figure may be wrong about (sql/team/data_gaps.sql): person_id, team, worker_id,
    problem. None when a table the checks read is absent."""
    if any(t not in db.tables for t in GAP_TABLES):
        return None
    return db.query(read_sql("team/data_gaps"), {"as_at": as_at}, frames={"allocated": allocated})
