"""Small frames for screens beyond the indicators: the safeguarding flow, children on plans now, reminders.

Every function aggregates or filters in DuckDB and returns a short frame; None means a
table it needs is absent from the snapshot (the page says so instead of showing zeros).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .compute import EVERYTHING, Scope
from .db import SnapshotDB, read_sql, with_shared
from .periods import Period, add_months, periods_frame

FLOW_TABLES = ("ssd_contacts", "ssd_cin_episodes", "ssd_cin_assessments", "ssd_s47_enquiry",
               "ssd_initial_cp_conference", "ssd_cp_plans")
CP_NOW_TABLES = ("ssd_cp_plans", "ssd_cp_visits")
CP_DUE_TABLES = ("ssd_cp_reviews", "ssd_cp_plans", "ssd_initial_cp_conference")


def _teams(scope: Scope):
    return list(scope.teams) if scope.teams is not None else None


def _has(db: SnapshotDB, tables) -> bool:
    return all(t in db.tables for t in tables)


def year_before(period: Period) -> Period:
    return Period(add_months(period.start, -12), add_months(period.end, -12))


def flow(db: SnapshotDB, period: Period, scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Volumes at each stage for the period and the same period a year earlier, with conversion rates."""
    if not _has(db, FLOW_TABLES):
        return None
    sql = read_sql("safeguarding/flow")
    now = db.query(sql, {"from": period.start, "to": period.end, "teams": _teams(scope)})
    before_period = year_before(period)
    before = db.query(sql, {"from": before_period.start, "to": before_period.end, "teams": _teams(scope)})
    return db.query(read_sql("safeguarding/flow_compare"), frames={"now": now, "before": before})


def cp_children_now(db: SnapshotDB, as_at: dt.date, standard: int, scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """One row per child on a plan at `as_at`: category, length band, team, worker, last seen visit, overdue flag."""
    if not _has(db, CP_NOW_TABLES):
        return None
    return db.query(read_sql("safeguarding/cp_children_now"),
                    {"as_at": as_at, "teams": _teams(scope), "standard": standard})


def cp_plans_by_category_and_length(db: SnapshotDB, children: pd.DataFrame) -> pd.DataFrame:
    """Children on plans counted by category and length band (from cp_children_now's rows)."""
    return db.query("SELECT category, length_band, count(*) AS children FROM children GROUP BY ALL ORDER BY ALL",
                    frames={"children": children})


def cp_due(db: SnapshotDB, as_at: dt.date, window: int, scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """CP reviews and initial conferences due within `window` working days, or overdue, not yet held."""
    if not _has(db, CP_DUE_TABLES):
        return None
    return db.query(read_sql("safeguarding/cp_due"), {"as_at": as_at, "window": window, "teams": _teams(scope)})


# ---------------------------------------------------------------- cared-for children

def placement_mix(db: SnapshotDB, periods: list[Period], scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Children in care at each period end by kind of placement."""
    if not _has(db, ("ssd_cla_episodes", "ssd_legal_status", "ssd_cla_placement")):
        return None
    return db.query(with_shared(["cla_at_period_end"], "cared_for/placement_mix"), {"teams": _teams(scope)}, {"periods": periods_frame(periods)})


def cla_reviews_due(db: SnapshotDB, as_at: dt.date, window: int, scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Reviews of children in care due within `window` working days, or overdue, not yet held."""
    if not _has(db, ("ssd_cla_reviews", "ssd_cla_episodes")):
        return None
    return db.query(read_sql("cared_for/reviews_due"), {"as_at": as_at, "window": window, "teams": _teams(scope)})


def missing_by_month(db: SnapshotDB, periods: list[Period], scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Missing and away episodes of children in care per period, with return interviews."""
    if not _has(db, ("ssd_missing", "ssd_cla_episodes")):
        return None
    return db.query(read_sql("cared_for/missing_by_month"), {"teams": _teams(scope)},
                    {"periods": periods_frame(periods)})


# ---------------------------------------------------------------- workforce

def funded_posts(db: SnapshotDB, periods: list[Period], scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Funded social worker posts and FTE open at each period end."""
    if not _has(db, ("hr_posts",)):
        return None
    return db.query(read_sql("workforce/funded_posts"), {"teams": _teams(scope)}, {"periods": periods_frame(periods)})


def grow_our_own(db: SnapshotDB, as_at: dt.date, since: dt.date, scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """ASYE starters, international recruits and agency conversions by month started, and how many stayed."""
    if not _has(db, ("hr_staff",)):
        return None
    return db.query(read_sql("workforce/grow_our_own"), {"as_at": as_at, "since": since, "teams": _teams(scope)})


# ---------------------------------------------------------------- quality assurance

QA_TABLES = ("qa_audits",)
ACTION_TABLES = ("qa_audits", "qa_actions")
OPEN_CASE_TABLES = ("ssd_cla_episodes", "ssd_cp_plans", "ssd_cin_episodes", "ssd_department")


def audit_volume(db: SnapshotDB, periods: list[Period], scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Audits per period by type: case, thematic, dip sample (0 where none)."""
    if not _has(db, QA_TABLES):
        return None
    return db.query(read_sql("quality/audit_volume"), {"teams": _teams(scope)}, {"periods": periods_frame(periods)})


def audits_by(db: SnapshotDB, period: Period, by: str, scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Audits in the period by team or by auditor ('team' | 'auditor'), with graded and good-or-better counts."""
    if by not in ("team", "auditor"):
        raise ValueError(f"audits are counted by 'team' or 'auditor', not {by!r}")
    if not _has(db, QA_TABLES):
        return None
    return db.query(read_sql("quality/audits_by"),
                    {"from": period.start, "to": period.end, "by": by, "teams": _teams(scope)})


def moderation(db: SnapshotDB, period: Period, scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Moderated case audits in the period: grade, moderated grade, agreed / graded up / graded down."""
    if not _has(db, QA_TABLES):
        return None
    return db.query(read_sql("quality/moderation"), {"from": period.start, "to": period.end, "teams": _teams(scope)})


def actions_by_month(db: SnapshotDB, periods: list[Period], scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Audit actions raised and due per period, and of those due: on time, late, not completed."""
    if not _has(db, ACTION_TABLES):
        return None
    return db.query(read_sql("quality/actions_by_month"), {"teams": _teams(scope)},
                    {"periods": periods_frame(periods)})


def actions_overdue(db: SnapshotDB, as_at: dt.date, scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Actions past due and not completed at `as_at`, most overdue first."""
    if not _has(db, ACTION_TABLES):
        return None
    return db.query(read_sql("quality/actions_overdue"), {"as_at": as_at, "teams": _teams(scope)})


def audit_themes(db: SnapshotDB, periods: list[Period], scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Audits per period by type and theme, with those graded below good and without the child's voice."""
    if not _has(db, QA_TABLES):
        return None
    return db.query(read_sql("quality/themes"), {"teams": _teams(scope)}, {"periods": periods_frame(periods)})


def open_cases(db: SnapshotDB, as_at: dt.date, scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Children with a case open at `as_at` (CLA, else CP, else CIN), team, service, worker, last case audit."""
    if not _has(db, OPEN_CASE_TABLES + QA_TABLES):
        return None
    return db.query(read_sql("quality/open_cases"), {"as_at": as_at, "teams": _teams(scope)})
