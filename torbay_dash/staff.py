"""A team's staff and a worker's caseload, for the Team page, the worker view and the Practice Week pack.

Each frame is built from the unit rows of the indicators it must agree with (caseload per FTE,
supervision, agency and vacancy rates, statutory visits), run on a one-period frame ending at the
as-at date, so a team's table and the indicators never tell two stories. None means a table a
frame needs is absent from the snapshot.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .compute import EVERYTHING, Scope, unavailable_reason, unit_rows
from .db import SnapshotDB, read_sql
from .indicators import REGISTRY
from .periods import Period, periods_frame
from .settings import LocalAuthority

STAFF_INDICATORS = {"caseload": "sw_avg_caseload", "supervision": "sw_supervision_in_timescale_pct"}
ESTABLISHMENT_INDICATORS = {"vacancy": "sw_vacancy_rate_pct", "agency": "sw_agency_rate_pct"}
CASELOAD_INDICATORS = {"cla_visits": "cla_visits_in_timescale_pct", "cp_visits": "cp_visits_in_timescale_pct",
                       "in_need": "cin_rate_per_10k"}
VISIT_INDICATORS = ("cla_visits_in_timescale_pct", "cp_visits_in_timescale_pct")
CASELOAD_SHARED = ("cp_plans_at_period_end",)  # every open plan, not only those the CP visit indicator judges


def _teams(scope: Scope):
    return list(scope.teams) if scope.teams is not None else None


def _needs(db: SnapshotDB, indicator_ids, *tables: str) -> bool:
    """Whether every table of these indicators, and the others named, is served."""
    wanted = {t for i in indicator_ids for t in REGISTRY[i].tables} | set(tables)
    return wanted <= db.tables


def _composed(body: str, units: dict[str, str], shared: tuple[str, ...] = ()) -> str:
    """sql/team/<body>.sql after CTEs: the shared fragments the indicators use (each once, in order),
    then each indicator's unit rows under the CTE name it is given in `units`."""
    fragments: list[str] = []
    for name in [f for i in units.values() for f in REGISTRY[i].uses] + list(shared):
        if name not in fragments:
            fragments.append(name)
    ctes = [f"{f} AS (\n{read_sql('shared/' + f)}\n)" for f in fragments]
    ctes += [f"{name} AS (\n{read_sql(REGISTRY[i].sql_name)}\n)" for name, i in units.items()]
    text = "\n".join(line for line in read_sql("team/" + body).splitlines() if not line.lstrip().startswith("--"))
    text = text.lstrip()
    if text.upper().startswith("WITH"):
        return "WITH " + ",\n".join(ctes) + ",\n" + text[4:]
    return "WITH " + ",\n".join(ctes) + "\n" + text


def _at(as_at: dt.date) -> dict[str, pd.DataFrame]:
    """The `periods` frame of one period ending at the as-at date: stock indicators read only its end."""
    return {"periods": periods_frame([Period(as_at, as_at)])}


def team_staff(db: SnapshotDB, as_at: dt.date, settings: LocalAuthority,
               scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """One row per social-worker spell in post at `as_at` in scope (team = hr_staff.team_id).

    Columns: staff_id, worker_id (professional id on involvements, may be null), team, role,
    employment_type, agency, fte, is_asye, started, cases, cases_per_fte, above_threshold (cases per
    FTE above the caseload_threshold standard), last_supervision, supervision_overdue. Cases and
    cases per FTE are sw_avg_caseload's (a professional's cases sit on their latest-starting spell);
    supervision_overdue is a spell sw_supervision_in_timescale_pct counts as not supervised in time.
    Ordered by team, staff_id.
    """
    if not _needs(db, STAFF_INDICATORS.values()):
        return None
    params = {"teams": _teams(scope), "caseload_threshold": settings.standard("caseload_threshold"),
              "supervision_days": settings.standard("supervision_days")}
    return db.query(_composed("staff_team", STAFF_INDICATORS), params, _at(as_at))


def team_establishment(db: SnapshotDB, as_at: dt.date, scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """One row per team at `as_at`: funded, filled, employed, agency and vacant social-worker FTE.

    Columns: team, funded_fte, filled_fte, employed_fte, agency_fte, vacancy_fte, agency_pct,
    vacancy_pct. The percentages are sw_agency_rate_pct and sw_vacancy_rate_pct by team (posts count
    in the post's team, staff in their own); funded_fte = filled_fte + vacancy_fte, as agency cover
    leaves a post vacant.
    """
    if not _needs(db, ESTABLISHMENT_INDICATORS.values()):
        return None
    return db.query(_composed("staff_establishment", ESTABLISHMENT_INDICATORS), {"teams": _teams(scope)}, _at(as_at))


def worker_caseload(db: SnapshotDB, as_at: dt.date, settings: LocalAuthority, worker_id: str,
                    scope: Scope = EVERYTHING) -> pd.DataFrame | None:
    """One row per child allocated to `worker_id` at `as_at`, in scope by the child's allocated team.

    Columns: person_id, team, status ('in care', 'child protection plan' or 'child in need', the
    highest that applies; null when none does), allocated_since, last_visit, next_visit_due,
    visit_overdue, judged as cla_visits_in_timescale_pct and cp_visits_in_timescale_pct judge them
    (see sql/team/worker_caseload.sql). Overdue first, then by the date the next visit is due.
    """
    if not _needs(db, CASELOAD_INDICATORS.values(), "ssd_involvements"):
        return None
    params = {"teams": _teams(scope), "as_at": as_at, "worker_id": worker_id,
              "cp_visit_working_days": settings.standard("cp_visit_working_days")}
    return db.query(_composed("worker_caseload", CASELOAD_INDICATORS, CASELOAD_SHARED), params, _at(as_at))


def visit_timeliness(db: SnapshotDB, period: Period, settings: LocalAuthority, scope: Scope = EVERYTHING,
                     worker_id: str | None = None) -> pd.DataFrame | None:
    """Statutory visits in time at the period end, for a worker's children and for the whole scope.

    Columns: indicator, who ('worker' or 'team'), numerator, denominator, value (percent; null over
    no children). The rows are compute.unit_rows of cla_visits_in_timescale_pct and
    cp_visits_in_timescale_pct, so 'team' is the engine's figure at this scope; a child is the
    worker's when the worker holds the child's allocation that sets the team (the latest open one).
    An indicator whose tables are absent is left out; None when both are, or with no involvements.
    """
    if "ssd_involvements" not in db.tables:
        return None
    available = [i for i in VISIT_INDICATORS if unavailable_reason(db, REGISTRY[i], by_team=True) is None]
    if not available:
        return None
    units = pd.concat(
        [unit_rows(db, REGISTRY[i], [period], settings, scope)[["worker_id", "numerator", "denominator"]]
         .assign(indicator=i) for i in available], ignore_index=True)
    indicators = pd.DataFrame({"indicator": available, "indicator_order": range(len(available))})
    return db.query(read_sql("team/worker_visit_timeliness"), {"worker_id": worker_id},
                    {"units": units, "indicators": indicators})
