"""A team's children now: every child a manager must act on, in one long list, one row per item and reason.

The lists a team manager takes to a performance surgery (overdue visits, reviews and conferences due,
assessments nearing 45 working days, plans over two years, three or more placements, missing from care),
built from the same rows as the indicators, so a child counted late on a tile is on the list here.
One shape for every list lets the surgery compare two snapshots by (list, child) alone.
No Streamlit here: the Team page, the surgery and the Practice Week pack draw these frames.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from . import indicators
from .calendar import add_working_days
from .codes import describe
from .compute import EVERYTHING, Scope, unavailable_reason, unit_rows
from .db import SnapshotDB, read_sql
from .periods import Period, add_months
from .queries import cla_reviews_due, cp_children_now, cp_due
from .settings import LocalAuthority

COLUMNS = ["list", "list_words", "person_id", "team", "worker_id", "status", "due_date", "detail"]
OVERDUE, DUE_SOON, NOW = "overdue", "due soon", "now"
# List id -> words, in the order a manager works through them: the late first, then what is coming.
LISTS = {
    "cla_visit": "statutory visit overdue or due within 7 days (in care)",
    "cp_visit": "child protection visit overdue",
    "assessment": "assessment open 35 working days or more (standard: 45)",
    "cla_review": "care review overdue or due within 10 working days",
    "cp_meeting": "child protection conference or review overdue or due within 10 working days",
    "cp_2_years": "on a child protection plan for 2 years or more",
    "placements_3plus": "3 or more placements in the last 12 months (in care)",
    "missing": "missing from care in the last 3 months",
}
VISIT_DAYS_AHEAD = 7
MEETING_WINDOW_WD = 10
ASSESSMENT_STANDARD_WD = 45
ASSESSMENT_NEARING_WD = 35
MISSING_MONTHS = 3


def _as_at_month(as_at: dt.date) -> Period:
    """The month ending at the as-at date: stock lists are taken 'now', as on the area pages."""
    return Period(as_at.replace(day=1), as_at)


def _rows(frame: pd.DataFrame, list_id: str, status, due_date, detail) -> pd.DataFrame:
    """One list in the common shape; `status`, `due_date` and `detail` are columns or single values."""
    if frame is None or frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.DataFrame({
        "list": list_id, "list_words": LISTS[list_id], "person_id": frame["person_id"].astype(str),
        "team": frame["team"], "worker_id": frame["worker_id"] if "worker_id" in frame else None,
        "status": status, "due_date": due_date, "detail": detail}, index=frame.index)
    return out[COLUMNS]


def _date(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _indicator_rows(db: SnapshotDB, indicator_id: str, period: Period, settings: LocalAuthority, scope: Scope,
                    numerator: int | None = None) -> pd.DataFrame | None:
    if indicator_id not in indicators.REGISTRY:
        return None
    indicator = indicators.get(indicator_id)
    if unavailable_reason(db, indicator):
        return None
    return unit_rows(db, indicator, [period], settings, scope, numerator=numerator)


def cla_visits(db, as_at, settings, scope) -> pd.DataFrame | None:
    """Children in care whose visit is overdue, or due within a week (the cla_visits_in_timescale_pct rule)."""
    rows = _indicator_rows(db, "cla_visits_in_timescale_pct", _as_at_month(as_at), settings, scope)
    if rows is None:
        return None
    due = db.query(read_sql("cared_for/visits_due"), {"days_ahead": VISIT_DAYS_AHEAD}, frames={"visits": rows})
    detail = [f"last seen {_date(seen):%d/%m/%Y}" if _date(seen) else "no seen visit recorded"
              for seen in due["last_seen_visit_date"]]
    return _rows(due, "cla_visit", due["status"], [_date(d) for d in due["next_visit_due"]], detail)


def cp_lists(db, as_at, settings, scope) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Children on plans whose visit is overdue, and those on a plan for two years or more."""
    standard = int(settings.standards.get("cp_visit_working_days", 10))
    plans = cp_children_now(db, as_at, standard, scope)
    if plans is None:
        return None, None
    late = plans[plans["visit_overdue"].fillna(False).astype(bool)]
    # due: the standard's last working day after the last seen visit (or the plan's start, if never seen)
    due = [add_working_days(_date(seen) or _date(start), standard)
           for seen, start in zip(late["last_seen_visit"], late["plan_start"])]
    visits = _rows(late, "cp_visit", OVERDUE, due,
                   [f"last seen {_date(s):%d/%m/%Y} ({int(w)} working days ago)" if _date(s)
                    else "not seen on this plan"
                    for s, w in zip(late["last_seen_visit"], late["working_days_since_seen"])])
    long = plans[plans["length_band"] == "2 years or more"]
    two_years = _rows(long, "cp_2_years", NOW, None,
                      [f"{describe('cp_category', category)}; plan started {_date(start):%d/%m/%Y}"
                       for category, start in zip(long["category"], long["plan_start"])])
    return visits, two_years


def assessments(db, as_at, scope) -> pd.DataFrame | None:
    """Assessments open 35 working days or more: due by the 45th, overdue after it."""
    if "ssd_cin_assessments" not in db.tables:
        return None
    teams = list(scope.teams) if scope.teams is not None else None  # an empty scope sees no team, not every team
    open_ = db.query(read_sql("team/assessments_open"),
                     {"as_at": as_at, "nearing": ASSESSMENT_NEARING_WD, "teams": teams})
    due = [add_working_days(_date(s), ASSESSMENT_STANDARD_WD) for s in open_["start_date"]]
    status = [OVERDUE if days > ASSESSMENT_STANDARD_WD else DUE_SOON for days in open_["working_days_open"]]
    detail = [f"started {_date(s):%d/%m/%Y}; open {int(d)} working days"
              for s, d in zip(open_["start_date"], open_["working_days_open"])]
    return _rows(open_, "assessment", status, due, detail)


def meetings(db, as_at, scope) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Care reviews, and CP conferences and reviews, overdue or due within 10 working days."""
    reviews = cla_reviews_due(db, as_at, MEETING_WINDOW_WD, scope)
    if reviews is not None:
        reviews = _rows(reviews, "cla_review", reviews["status"].replace({"due": DUE_SOON}),
                        [_date(d) for d in reviews["due_date"]], "care review")
    cp = cp_due(db, as_at, MEETING_WINDOW_WD, scope)
    if cp is not None:
        cp = _rows(cp, "cp_meeting", [OVERDUE if _date(d) < as_at else DUE_SOON for d in cp["due_date"]],
                   [_date(d) for d in cp["due_date"]], cp["meeting"])
    return reviews, cp


def placements_and_missing(db, as_at, settings, scope) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Children in care with 3+ placements in 12 months; children in care missing in the last 3 months."""
    moves = _indicator_rows(db, "cla_3plus_placements_pct", _as_at_month(as_at), settings, scope, numerator=1)
    if moves is not None:
        moves = _rows(moves, "placements_3plus", NOW, None,
                      [f"{int(n)} placements" for n in moves["placements_in_12_months"]])
    window = Period(add_months(as_at, -MISSING_MONTHS) + dt.timedelta(days=1), as_at)
    missing = _indicator_rows(db, "cla_missing_pct", window, settings, scope, numerator=1)
    if missing is not None:
        missing = _rows(missing.drop_duplicates("person_id"), "missing", NOW, None,
                        f"missing episode since {window.start:%d/%m/%Y}")
    return moves, missing


def children_now(db: SnapshotDB, as_at: dt.date, settings: LocalAuthority,
                 scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """Every list of LISTS for the scope at `as_at`, one row per item (a child with two open assessments is on
    the assessment list twice, the most urgent first); None if no list can be drawn.

    A list whose tables are absent is left out (`unavailable` says which), never shown as empty.
    """
    return combine(lists_at(db, as_at, settings, scope))


def combine(parts: dict[str, pd.DataFrame | None]) -> pd.DataFrame | None:
    """The lists of `lists_at` as one frame, in LISTS order, the overdue first; None if none could be drawn."""
    drawn = [frame for frame in parts.values() if frame is not None and not frame.empty]
    if all(frame is None for frame in parts.values()):
        return None
    if not drawn:
        return pd.DataFrame(columns=COLUMNS)
    frame = pd.concat(drawn, ignore_index=True)
    order = {list_id: i for i, list_id in enumerate(LISTS)}
    frame["_order"] = frame["list"].map(order)
    frame["_status"] = frame["status"].map({OVERDUE: 0, DUE_SOON: 1, NOW: 2})
    frame = frame.sort_values(["_order", "_status", "due_date", "person_id"], na_position="last", kind="stable")
    return frame.drop(columns=["_order", "_status"]).reset_index(drop=True)


def lists_at(db: SnapshotDB, as_at: dt.date, settings: LocalAuthority,
             scope: Scope = EVERYTHING) -> dict[str, pd.DataFrame | None]:
    """Each list by id (None: a table it needs is absent or quarantined)."""
    cp_visit, cp_2_years = cp_lists(db, as_at, settings, scope)
    cla_review, cp_meeting = meetings(db, as_at, scope)
    moves, missing = placements_and_missing(db, as_at, settings, scope)
    return {"cla_visit": cla_visits(db, as_at, settings, scope), "cp_visit": cp_visit,
            "assessment": assessments(db, as_at, scope), "cla_review": cla_review, "cp_meeting": cp_meeting,
            "cp_2_years": cp_2_years, "placements_3plus": moves, "missing": missing}


def unavailable(parts: dict[str, pd.DataFrame | None]) -> list[str]:
    """The words of the lists of `lists_at` that could not be drawn from the snapshot."""
    return [LISTS[list_id] for list_id, frame in parts.items() if frame is None]


def summary(children: pd.DataFrame) -> pd.DataFrame:
    """Children per list: list, list_words, children, overdue, due_soon (every list, 0 where none).

    Each counts children, not items: a child with an overdue and a due-soon assessment is one child, overdue."""
    first = children.drop_duplicates(["list", "person_id"])  # combine() put each child's most urgent item first
    counted = first.groupby("list").agg(children=("person_id", "nunique"),
                                         overdue=("status", lambda s: int((s == OVERDUE).sum())),
                                         due_soon=("status", lambda s: int((s == DUE_SOON).sum())))
    out = pd.DataFrame({"list": list(LISTS), "list_words": list(LISTS.values())})
    out = out.merge(counted, left_on="list", right_index=True, how="left").fillna(0)
    return out.astype({"children": int, "overdue": int, "due_soon": int})
