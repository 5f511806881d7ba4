"""Team scope (issue 15): every query that reaches child or worker rows applies the user's scope, exactly.

A team manager may only see rows of their own teams. For every query function below, on the full demo
(latest snapshot), for each team in ssd_department, for UNALLOCATED, for two teams of different services
and for a whole service:

- lists (children, events, workers) and by-team aggregates: every row's team is inside the scope, and the
  rows are exactly the unscoped rows of the in-scope teams (a multiset: a function that ignores its scope
  fails, and so does one that drops rows); the child ids are among the unscoped ones of those teams, and the
  worker ids belong to workers of those teams;
- aggregates without a team column (counts by month, stage, type...): the counts are additive over teams,
  so a scope's counts are the sum of its teams' counts, and the teams together (with UNALLOCATED) give the
  unscoped counts exactly; counts of distinct people are bounded instead.

Also: compute()'s figure at a scope (live and from the indicator store) against the scoped unit rows summed
in pandas; the case sampler; grow_our_own (not additive) against the same query over the scope's own staff;
the highlight report's figures against compute() at its scope, and no child id of the snapshot in its HTML;
and a registry test so a new scoped function in queries.py cannot go untested.

Two leaks these tests found, now fixed and kept as tests: rows with no team recorded passed every team's
filter in eight queries (hand-built snapshot: the demo has none); cla_reviews_due and cp_due listed a child
with two open allocations under the older team's scope too (seen in the demo for cla_reviews_due).

Unscoped results are computed once per function (module cache) and filtered in pandas. Every case must
return rows for some teams: a test that passes on empty frames proves nothing.
"""
from __future__ import annotations

import base64
import datetime as dt
import inspect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import numpy as np
import pandas as pd
import pytest

from snapshots import write_tables
from torbay_dash import compute as compute_module
from torbay_dash import figures, queries, report, sampling
from torbay_dash.compute import EVERYTHING, Scope, compute, compute_many, unavailable_reason, unit_rows
from torbay_dash.contract import UNALLOCATED
from torbay_dash.db import SnapshotDB, read_sql
from torbay_dash.indicators import MEAN, PERCENT, REGISTRY
from torbay_dash.periods import Period, add_months, last_complete_month_end, months
from torbay_dash.settings import load_settings
from torbay_dash.store import Store, load_snapshot

MATERIALISE_UP_TO = 2_000_000  # as the app opens a Torbay-sized snapshot (ui/data.py)
SAMPLE_SIZE, SAMPLE_SEED = 12, 202107
CP_DUE_WINDOW, CLA_REVIEWS_WINDOW, VISITS_DAYS_AHEAD = 15, 20, 7  # as the screens ask
WORKER_COLUMNS = ("worker_id", "professional_id", "staff_id")


# ---------------------------------------------------------------- the demo, opened once

@dataclass
class Demo:
    root: str
    db: SnapshotDB            # live: every figure from the unit rows
    settings: object
    teams: list[str]          # ssd_department's teams
    service_teams: dict[str, tuple[str, ...]]
    _store_db: SnapshotDB | None = None
    results: dict = field(default_factory=dict)  # (case, scope name) -> frame

    @property
    def snapshot(self):
        return self.db.snapshot

    @property
    def as_at(self) -> dt.date:
        return self.snapshot.as_at

    @property
    def year(self) -> Period:
        """The 12 months to the snapshot's last complete month end."""
        end = last_complete_month_end(self.as_at)
        return Period(add_months(end, -12) + dt.timedelta(days=1), end)

    @property
    def year_months(self) -> list[Period]:
        return months(self.year.start, self.year.end)

    @property
    def now(self) -> Period:
        """The month ending on the as-at date: the screens' stock lists (ui.widgets.as_at_period)."""
        return Period(self.as_at.replace(day=1), self.as_at)

    @property
    def store_db(self) -> SnapshotDB:
        """A second connection with the snapshot's indicator store attached, as the app reads figures.

        Built in memory (figures.build), never written beside the session's shared demo snapshot."""
        if self._store_db is None:
            db = SnapshotDB(self.snapshot, materialise_up_to=MATERIALISE_UP_TO)
            sums = figures.build(db, self.settings)
            held = [p for ps in figures.held_periods(self.as_at).values() for p in ps]
            db.figures = figures.IndicatorStore(sums, held, self.service_teams)
            self._store_db = db
        return self._store_db

    @cached_property
    def scopes(self) -> dict[str, tuple[str, ...]]:
        """Each team alone, UNALLOCATED, two teams of different services, a whole service of several teams."""
        services = sorted(self.service_teams, key=lambda s: (-len(self.service_teams[s]), s))
        big, other = services[0], services[1]
        pair = (self.service_teams[big][0], self.service_teams[other][0])
        return {**{t: (t,) for t in self.teams}, UNALLOCATED: (UNALLOCATED,),
                "+".join(pair): pair, f"service {big}": self.service_teams[big]}

    @cached_property
    def live_scopes(self) -> dict[str, tuple[str, ...]]:
        """For compute() without the indicator store (its `scoped` rows are unit_rows', tested at every scope;
        the app reads single teams and services from the store): UNALLOCATED and the pair, to keep the run short."""
        return {name: teams for name, teams in self.scopes.items() if len(teams) == 2 or teams == (UNALLOCATED,)}

    @cached_property
    def report_scopes(self) -> dict[str | None, tuple[str, ...] | None]:
        """Everyone, the first team, UNALLOCATED and the pair (from the store but the pair: compute() live)."""
        first = next(iter(self.scopes))
        return {"all teams": None, first: self.scopes[first], **self.live_scopes}

    @cached_property
    def person_ids(self) -> set[str]:
        return set(self.db.query("SELECT DISTINCT pers_person_id AS p FROM ssd_person WHERE p IS NOT NULL")["p"])

    @cached_property
    def membership(self) -> pd.DataFrame:
        """(team, worker, name): every worker id and staff id each team has had, from every table that says so."""
        return self.db.query("""
            WITH m AS (
                SELECT coalesce(team, 'UNALLOCATED') AS team, worker_id AS worker FROM allocations
                UNION SELECT team_id, professional_id FROM hr_staff
                UNION SELECT team_id, staff_id FROM hr_staff
                UNION SELECT prof_professional_department, prof_professional_id FROM ssd_professionals
                UNION SELECT team_id, worker_id FROM qa_audits
            )
            SELECT m.team, m.worker, p.prof_professional_name AS name
            FROM m LEFT JOIN ssd_professionals AS p ON p.prof_professional_id = m.worker
            WHERE m.team IS NOT NULL AND m.worker IS NOT NULL""")

    def workers_of(self, teams) -> set[str]:
        return set(self.membership.loc[self.membership["team"].isin(teams), "worker"])

    def names_of(self, teams) -> set[str]:
        return set(self.membership.loc[self.membership["team"].isin(teams), "name"].dropna())


@pytest.fixture(scope="module")
def demo(demo_root) -> Demo:
    snapshot = Store(demo_root).latest_usable()
    db = SnapshotDB(snapshot, materialise_up_to=MATERIALISE_UP_TO)
    teams = db.query(read_sql("teams"))
    service_teams = {s: tuple(sorted(g["team_id"])) for s, g in teams.groupby("service_id")}
    found = Demo(str(demo_root), db, load_settings(demo_root), sorted(teams["team_id"]), service_teams)
    assert len(found.teams) >= 2 and len(found.scopes) == len(found.teams) + 3
    return found


def result(demo: Demo, case, scope_name: str | None) -> pd.DataFrame:
    """The case's frame at a scope (None: unscoped), computed once per module."""
    key = (case.name, scope_name)
    if key not in demo.results:
        scope = EVERYTHING if scope_name is None else Scope(demo.scopes[scope_name])
        frame = case.call(demo, scope)
        assert frame is not None, f"{case.name}: a table it needs is absent from the demo snapshot"
        demo.results[key] = frame.reset_index(drop=True)
    return demo.results[key]


NUMBERS = ("integer", "floating", "mixed-integer-float", "decimal")


def row_keys(frame: pd.DataFrame) -> np.ndarray:
    """A hash per row, vectorised: every kind of null alike, numbers alike whether held as int or float."""
    parts = {}
    for i, column in enumerate(frame.columns):
        values = frame[column]
        missing = values.isna().to_numpy()
        if missing.all():
            parts[f"{i}"] = np.zeros(len(values))
        elif not pd.api.types.is_bool_dtype(values) and (pd.api.types.is_numeric_dtype(values) or (
                values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in NUMBERS)):
            numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            parts[f"{i}"] = np.where(missing, 0.0, numbers) + 0.0
        else:
            parts[f"{i}"] = values.astype(str).where(~missing, "").to_numpy(dtype=object)
        parts[f"{i} null"] = missing
    return pd.util.hash_pandas_object(pd.DataFrame(parts, index=range(len(frame))), index=False).to_numpy()


def rows_of(frame: pd.DataFrame) -> Counter:
    """The rows as a multiset (of their hashes)."""
    return Counter(row_keys(frame).tolist())


def example(frame: pd.DataFrame, keys) -> list:
    """The first row of `frame` among the row hashes `keys`, to show in a message."""
    found = frame[np.isin(row_keys(frame), np.array(list(keys), dtype="uint64"))]
    return found.head(1).to_dict("records")


# ---------------------------------------------------------------- cases: frames with a team on each row

@dataclass(frozen=True)
class RowsCase:
    name: str
    covers: str                              # the function it calls (the coverage registry below)
    call: Callable[[Demo, Scope], pd.DataFrame]
    team: str = "team"                       # the column holding each row's team
    person: str | None = "person_id"
    names: str | None = None                 # a column of worker names (shown on a team's own view)
    few_scopes: bool = False                 # Demo.live_scopes only (slow, and its scoping tested elsewhere)


def _unit_rows_case(indicator_id: str) -> RowsCase:
    def call(demo: Demo, scope: Scope) -> pd.DataFrame:
        indicator = REGISTRY[indicator_id]
        assert unavailable_reason(demo.db, indicator) is None, indicator_id
        return unit_rows(demo.db, indicator, [demo.year], demo.settings, scope, numerator=None)
    return RowsCase(f"unit_rows:{indicator_id}", "compute.unit_rows", call)


def _records_behind(demo: Demo, indicator_id: str, scope: Scope, limit: int) -> pd.DataFrame:
    """What the screens call (ui.data.records_behind: Streamlit's cache works outside a running app)."""
    from torbay_dash.ui.data import records_behind
    rows = records_behind(demo.root, demo.snapshot.id, "scope-test", indicator_id, demo.now, scope.teams, limit)
    assert rows is not None and len(rows) < limit, f"{indicator_id}: the screen's limit would cut the list"
    return rows


def _caseload_workers(named: bool):
    def call(demo: Demo, scope: Scope) -> pd.DataFrame:  # as ui/workforce.caseloads
        rows = _records_behind(demo, "sw_avg_caseload", scope, 5000)
        threshold = float(demo.settings.standards.get("caseload_threshold", 20))
        return demo.db.query(read_sql("workforce/caseload_workers"), {"threshold": threshold, "named": named},
                             frames={"rows": rows})
    return call


def _visits_due(demo: Demo, scope: Scope) -> pd.DataFrame:  # as ui/cared_for.cla_visits_due
    rows = _records_behind(demo, "cla_visits_in_timescale_pct", scope, 2000)
    return demo.db.query(read_sql("cared_for/visits_due"), {"days_ahead": VISITS_DAYS_AHEAD}, frames={"visits": rows})


def _compute_by_team(store: bool):
    def call(demo: Demo, scope: Scope) -> pd.DataFrame:
        db = demo.store_db if store else demo.db
        return compute_many(db, list(REGISTRY), [demo.year], demo.settings, by_team=True, scope=scope)
    return call


def _sample(demo: Demo, scope: Scope) -> pd.DataFrame:
    """The case sampler as the QA screen draws it: open cases in scope, not audited lately, by team."""
    eligible = sampling.not_recently_audited(queries.open_cases(demo.db, demo.as_at, scope), demo.as_at)
    return sampling.draw(eligible, SAMPLE_SIZE, SAMPLE_SEED)


ROWS_CASES = [_unit_rows_case(i) for i in REGISTRY] + [
    RowsCase("compute_many by team (live)", "compute.compute_many", _compute_by_team(False), person=None,
             few_scopes=True),
    RowsCase("compute_many by team (indicator store)", "compute.compute_many", _compute_by_team(True), person=None),
    RowsCase("cp_children_now", "queries.cp_children_now",
             lambda d, s: queries.cp_children_now(d.db, d.as_at, int(d.settings.standard("cp_visit_working_days")), s)),
    RowsCase("cp_due", "queries.cp_due", lambda d, s: queries.cp_due(d.db, d.as_at, CP_DUE_WINDOW, s)),
    RowsCase("cla_reviews_due", "queries.cla_reviews_due",
             lambda d, s: queries.cla_reviews_due(d.db, d.as_at, CLA_REVIEWS_WINDOW, s)),
    RowsCase("cla visits due (sql cared_for/visits_due on records_behind)", "ui.data.records_behind", _visits_due),
    RowsCase("actions_overdue", "queries.actions_overdue", lambda d, s: queries.actions_overdue(d.db, d.as_at, s)),
    RowsCase("open_cases", "queries.open_cases", lambda d, s: queries.open_cases(d.db, d.as_at, s)),
    RowsCase("audits_by team", "queries.audits_by", lambda d, s: queries.audits_by(d.db, d.year, "team", s),
             team="who", person=None),
    RowsCase("caseload workers by id (sql workforce/caseload_workers)", "ui.data.records_behind",
             _caseload_workers(named=False), person=None),
    RowsCase("caseload workers by name (a team's own view)", "ui.data.records_behind",
             _caseload_workers(named=True), person=None, names="worker"),
]


def _scoped_checks(demo: Demo, case: RowsCase, name: str, teams: tuple[str, ...], full: pd.DataFrame,
                   scoped: pd.DataFrame) -> list[str]:
    problems = []
    outside = sorted(set(scoped[case.team].astype(str)) - set(teams))
    if outside:
        problems.append(f"{name}: {len(scoped[~scoped[case.team].isin(teams)])} row(s) of teams {outside} "
                        f"outside the scope {teams}")
    allowed = full[full[case.team].isin(teams)]
    if case.person:
        leaked = set(scoped[case.person].dropna()) - set(allowed[case.person].dropna())
        if leaked:
            problems.append(f"{name}: child ids not in the unscoped rows of {teams}: {sorted(leaked)[:5]}")
    if list(scoped.columns) != list(full.columns):
        problems.append(f"{name}: columns differ from the unscoped result's")
    else:
        got, want = rows_of(scoped), rows_of(allowed)
        if got != want:
            problems.append(f"{name}: {sum((got - want).values())} row(s) beyond the unscoped rows of {teams} "
                            f"(e.g. {example(scoped, got - want)}), {sum((want - got).values())} of theirs missing "
                            f"(e.g. {example(allowed, want - got)})")
    if teams == (UNALLOCATED,):  # no team recorded: the worker on the row is the check, not a team's staff
        return problems
    workers = demo.workers_of(teams)
    for column in WORKER_COLUMNS:
        if column in scoped:
            strangers = set(scoped[column].dropna()) - workers
            if strangers:
                problems.append(f"{name}: {column} of workers never in {teams}: {sorted(strangers)[:5]}")
    if case.names:
        strangers = set(scoped[case.names].dropna()) - demo.names_of(teams)
        if strangers:
            problems.append(f"{name}: worker names never in {teams}: {sorted(strangers)[:5]}")
    return problems


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in ROWS_CASES])
def test_rows_are_the_unscoped_rows_of_the_teams_in_scope(demo, case):
    full = result(demo, case, None)
    assert not full.empty, f"{case.name}: no rows unscoped: the test would prove nothing"
    assert case.team in full, f"{case.name}: no {case.team!r} column"
    problems, teams_with_rows = [], 0
    for name, teams in (demo.live_scopes if case.few_scopes else demo.scopes).items():
        scoped = result(demo, case, name)
        teams_with_rows += len(teams) == 1 and not scoped.empty
        problems += _scoped_checks(demo, case, name, teams, full, scoped)
    assert not problems, f"{case.name}:\n" + "\n".join(problems)
    assert teams_with_rows >= 1, f"{case.name}: no team has rows: the test would prove nothing"


# ---------------------------------------------------------------- cases: aggregates without a team column

@dataclass(frozen=True)
class SumsCase:
    name: str
    covers: str
    call: Callable[[Demo, Scope], pd.DataFrame]
    keys: tuple[str, ...]           # what identifies a row
    counts: tuple[str, ...]         # counts of rows that each belong to one team: additive over teams
    distinct: tuple[str, ...] = ()  # counts of distinct people: a scope's is at most its teams' sum


SUMS_CASES = [
    SumsCase("flow", "queries.flow", lambda d, s: queries.flow(d.db, d.year, s), ("step", "stage"),
             ("this_period", "year_before")),
    SumsCase("placement_mix", "queries.placement_mix", lambda d, s: queries.placement_mix(d.db, d.year_months, s),
             ("period_to", "placement"), ("children",)),
    SumsCase("missing_by_month", "queries.missing_by_month",
             lambda d, s: queries.missing_by_month(d.db, d.year_months, s), ("period_from",),
             ("missing_episodes", "away_episodes", "return_interviews_offered", "return_interviews_accepted"),
             distinct=("children",)),
    SumsCase("funded_posts", "queries.funded_posts", lambda d, s: queries.funded_posts(d.db, d.year_months, s),
             ("period_from",), ("funded_fte", "funded_posts")),
    SumsCase("audit_volume", "queries.audit_volume", lambda d, s: queries.audit_volume(d.db, d.year_months, s),
             ("period_from", "audit_type"), ("audits",)),
    SumsCase("audits_by auditor", "queries.audits_by", lambda d, s: queries.audits_by(d.db, d.year, "auditor", s),
             ("who",), ("case_audits", "thematic_audits", "dip_samples", "graded", "good_or_better")),
    SumsCase("moderation", "queries.moderation", lambda d, s: queries.moderation(d.db, d.year, s),
             ("grade", "moderated_grade", "outcome"), ("audits",)),
    SumsCase("actions_by_month", "queries.actions_by_month",
             lambda d, s: queries.actions_by_month(d.db, d.year_months, s), ("period_from",),
             ("raised", "due", "completed_on_time", "completed_late", "not_completed")),
    SumsCase("audit_themes", "queries.audit_themes", lambda d, s: queries.audit_themes(d.db, d.year_months, s),
             ("period_from", "audit_type", "theme"), ("audits", "graded_below_good", "child_voice_not_evident")),
]


def _indexed(frame: pd.DataFrame, case: SumsCase) -> pd.DataFrame:
    columns = list(case.counts + case.distinct)
    keyed = frame.assign(**{k: frame[k].astype(str) for k in case.keys})
    return keyed.groupby(list(case.keys))[columns].sum().astype("float64")


@pytest.mark.parametrize("case", SUMS_CASES, ids=lambda c: c.name)
def test_aggregates_add_up_over_the_teams_in_scope(demo, case):
    full = _indexed(result(demo, case, None), case)
    assert full.to_numpy().sum() > 0, f"{case.name}: nothing counted unscoped: the test would prove nothing"
    alone = {name: _indexed(result(demo, case, name), case) for name, teams in demo.scopes.items()
             if len(teams) == 1}
    index = full.index
    for frame in alone.values():
        index = index.union(frame.index)
    align = {name: frame.reindex(index, fill_value=0.0) for name, frame in alone.items()}
    full = full.reindex(index, fill_value=0.0)
    team_of = {teams[0]: name for name, teams in demo.scopes.items() if len(teams) == 1}
    problems = []
    for name, frame in align.items():
        over = frame[(frame > full + 1e-9).any(axis=1)]
        if not over.empty:
            problems.append(f"{name}: counts above the unscoped counts at {list(over.index)[:3]}")
    counted = [name for name, frame in align.items() if frame.to_numpy().sum() > 0]
    assert counted, f"{case.name}: no team has anything counted: the test would prove nothing"
    everyone = sum(align.values())
    additive, distinct = list(case.counts), list(case.distinct)
    if additive:  # the teams together (UNALLOCATED too) are everyone: nothing ignored, nothing dropped
        gap = (everyone[additive] - full[additive]).abs()
        if (gap > 1e-6).any().any():
            problems.append(f"the teams' counts add up to {everyone[additive].sum().to_dict()}, unscoped "
                            f"{full[additive].sum().to_dict()}")
    if distinct and (everyone[distinct] < full[distinct] - 1e-9).any().any():
        problems.append("the teams' distinct people add up to fewer than everyone's")
    for name, teams in demo.scopes.items():
        if len(teams) == 1:
            continue
        scoped = _indexed(result(demo, case, name), case).reindex(index, fill_value=0.0)
        parts = [align[team_of[t]] for t in teams]
        expected = sum(parts)
        if additive and ((scoped[additive] - expected[additive]).abs() > 1e-6).any().any():
            problems.append(f"{name}: counts {scoped[additive].sum().to_dict()} are not its teams' sum "
                            f"{expected[additive].sum().to_dict()}")
        if distinct:
            most = pd.concat([p[distinct] for p in parts]).groupby(level=list(range(len(case.keys)))).max()
            most = most.reindex(index, fill_value=0.0)
            if (scoped[distinct] > expected[distinct] + 1e-9).any().any() or \
                    (scoped[distinct] < most - 1e-9).any().any():
                problems.append(f"{name}: distinct people outside [max, sum] of its teams'")
    assert not problems, f"{case.name}:\n" + "\n".join(problems)


class _OwnRows:
    """A connection on which a table is replaced by a frame (its rows of the scope's teams only)."""

    def __init__(self, db: SnapshotDB, **frames: pd.DataFrame):
        self.db, self.frames, self.tables = db, frames, db.tables

    def query(self, sql: str, params=None, frames=None) -> pd.DataFrame:
        for name in self.frames:
            sql = re.sub(rf"\b{name}\b", f"own_{name}", sql)
        return self.db.query(sql, params, {**{f"own_{n}": f for n, f in self.frames.items()}, **(frames or {})})


def test_grow_our_own_counts_only_the_staff_of_the_teams_in_scope(demo):
    """Not additive over teams (a person is counted by their first spell in scope, "still employed" in scope),
    so the scoped figure must be the unscoped query over the scope's own staff spells exactly."""
    staff = demo.db.query("SELECT * FROM hr_staff")
    since = add_months(demo.as_at, -36)
    full = queries.grow_our_own(demo.db, demo.as_at, since)
    assert full["people"].sum() > 0, "nobody grown: the test would prove nothing"
    problems, counted = [], 0
    for name, teams in demo.scopes.items():
        scoped = queries.grow_our_own(demo.db, demo.as_at, since, Scope(teams))
        own = queries.grow_our_own(_OwnRows(demo.db, hr_staff=staff[staff["team_id"].isin(teams)]), demo.as_at, since)
        counted += int(scoped["people"].sum())
        if rows_of(scoped) != rows_of(own):
            problems.append(f"{name}: {scoped[['people', 'still_employed']].sum().to_dict()}, over the scope's own "
                            f"staff {own[['people', 'still_employed']].sum().to_dict()}")
        if scoped["people"].sum() > full["people"].sum():
            problems.append(f"{name}: more people than everyone's")
    assert not problems, "\n".join(problems)
    assert counted > 0


# ---------------------------------------------------------------- compute's figures at a scope

def _expected_sums(indicator, rows: pd.DataFrame) -> tuple[float, float | None]:
    """The figure compute() must give from unit rows (aggregate_overall*.sql restated in pandas)."""
    if indicator.distinct_people:
        return float(rows.loc[rows["numerator"] > 0, "person_id"].nunique()), None
    numerator = float(pd.to_numeric(rows["numerator"]).sum())
    if indicator.unit not in (PERCENT, MEAN):  # counts, FTE; a rate's denominator is the population
        return numerator, None
    return numerator, float(pd.to_numeric(rows["denominator"]).sum()) if len(rows) else 0.0


def _same(a, b) -> bool:
    if a is None or pd.isna(a):
        return b is None or pd.isna(b)
    return b is not None and not pd.isna(b) and abs(float(a) - float(b)) < 1e-6


@pytest.mark.parametrize("store", [False, True], ids=["live", "indicator store"])
def test_compute_at_a_scope_is_the_sum_of_the_scoped_unit_rows(demo, store):
    """compute()'s overall figure at a scope equals the unit rows of the in-scope teams, summed in pandas."""
    db = demo.store_db if store else demo.db
    problems, nonzero = [], 0
    for name, teams in (demo.scopes if store else demo.live_scopes).items():
        tidy = compute_many(db, list(REGISTRY), [demo.year], demo.settings, scope=Scope(teams)).set_index("id")
        for indicator_id, indicator in REGISTRY.items():
            full = result(demo, _unit_rows_case(indicator_id), None)
            numerator, denominator = _expected_sums(indicator, full[full["team"].isin(teams)])
            got = tidy.loc[indicator_id]
            nonzero += numerator > 0
            if not _same(got["numerator"], numerator) or (denominator is not None
                                                          and not _same(got["denominator"], denominator)):
                problems.append(f"{indicator_id} at {name}: {got['numerator']} / {got['denominator']}, "
                                f"the scoped unit rows give {numerator} / {denominator}")
    assert not problems, "\n".join(problems[:20])
    assert nonzero > len(REGISTRY) // 2, "hardly any figure is non-zero: the test would prove nothing"


# ---------------------------------------------------------------- the case sampler

def test_the_sample_is_drawn_only_from_open_cases_of_the_teams_in_scope(demo):
    population = sampling.not_recently_audited(queries.open_cases(demo.db, demo.as_at), demo.as_at)
    sizes = []
    for name, teams in demo.scopes.items():
        sample = _sample(demo, Scope(teams))
        allowed = population[population["team"].isin(teams)]
        assert set(sample["team"]) <= set(teams), f"{name}: sampled teams {set(sample['team'])}"
        assert set(sample["person_id"]) <= set(allowed["person_id"]), f"{name}: a child of another team sampled"
        assert set(sample["worker_id"].dropna()) <= demo.workers_of(teams), f"{name}: workers of other teams"
        assert len(sample) == min(SAMPLE_SIZE, len(allowed)), name
        # the same draw as from the unscoped population filtered to the scope: the screen's filter is the scope
        expected = sampling.draw(allowed, SAMPLE_SIZE, SAMPLE_SEED)
        assert rows_of(sample) == rows_of(expected), f"{name}: not the sample of the scope's own cases"
        sizes.append(len(sample))
    assert sum(sizes) > 0, "nothing sampled in any scope: the test would prove nothing"


# ---------------------------------------------------------------- the highlight report

PNG_1PX = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
                           "hKmMIQAAAABJRU5ErkJggg==")
DATA_URI = re.compile(r"data:[a-z/+.-]+;base64,[A-Za-z0-9+/=]+")


def _report_problems(demo: Demo, db: SnapshotDB, name: str, teams: tuple[str, ...] | None) -> list[str]:
    built = report.build(db, demo.settings, demo.as_at, teams=list(teams) if teams is not None else None)
    scope = Scope(tuple(teams)) if teams is not None else EVERYTHING
    problems, shown = [], 0
    for section in built.sections:
        for part in section.indicators:
            h = part.headline
            if h.teams != scope.teams:
                problems.append(f"{name} {h.id}: headline for teams {h.teams}")
            if h.unavailable or h.period is None:
                continue
            shown += 1
            for period, n, d, v in ((h.period, h.numerator, h.denominator, h.value),
                                    (h.previous_period, h.previous_numerator, h.previous_denominator,
                                     h.previous_value)):
                if period is None:
                    continue
                want = compute(demo.store_db, h.indicator, [period], demo.settings, scope=scope).iloc[0]
                if not (_same(n, want["numerator"]) and _same(d, want["denominator"]) and _same(v, want["value"])):
                    problems.append(f"{name} {h.id} {period}: report {n}/{d}={v}, compute "
                                    f"{want['numerator']}/{want['denominator']}={want['value']}")
    if not shown:
        problems.append(f"{name}: no figure in the report")
    text = DATA_URI.sub("", report.to_html(built))
    leaked = set(re.findall(r"[A-Za-z0-9_]+", text)) & demo.person_ids
    if leaked:
        problems.append(f"{name}: child ids in the report's HTML: {sorted(leaked)[:5]}")
    return problems


def test_the_highlight_report_at_a_scope_shows_computes_figures_and_no_child_id(demo, monkeypatch):
    """The report as the app builds it (indicator store attached) against compute() at the same scope, itself
    checked against the scoped unit rows above.

    The charts are images (no text to leak) and the slowest part: stubbed with a 1-pixel PNG here."""
    monkeypatch.setattr(report, "chart_png", lambda section: PNG_1PX)
    assert demo.person_ids and all(re.fullmatch(r"[A-Za-z0-9_]+", p) for p in list(demo.person_ids)[:100])
    problems = []
    for name, teams in demo.report_scopes.items():
        problems += _report_problems(demo, demo.store_db, name, teams)
    assert not problems, "\n".join(problems[:20])


# ---------------------------------------------------------------- rows with no team recorded

def _audit(audit_id: str, team: str | None, person: str) -> dict:
    return {"audit_id": audit_id, "audit_type": "case", "theme": "Planning", "person_id": person, "team_id": team,
            "worker_id": "W1", "auditor_id": "W9", "audit_date": "2021-07-10", "grade": "good",
            "moderated_grade": "requires_improvement", "child_voice_evident": "N"}


@pytest.fixture(scope="module")
def teamless_db(tmp_path_factory) -> SnapshotDB:
    """Audits, actions, posts and staff of team T1 beside the same with no team recorded (team_id empty),
    and an action whose audit is not in the log. The demo has none of these, so they are built by hand."""
    folder = tmp_path_factory.mktemp("teamless") / "2021-08-31"
    action = {"raised_date": "2021-06-01", "due_date": "2021-07-01"}
    staff = {"employment_type": "permanent", "fte": 1.0, "start_date": "2021-01-04", "is_asye": "Y"}
    tables = {
        "qa_audits": [_audit("A1", "T1", "P1"), _audit("A2", None, "P2")],
        "qa_actions": [{"action_id": "X1", "audit_id": "A1", **action}, {"action_id": "X2", "audit_id": "A2", **action},
                       {"action_id": "X3", "audit_id": "A9", **action}],
        "hr_posts": [{"post_id": "HP1", "team_id": "T1", "is_social_worker_post": "Y", "fte": 1.0,
                      "start_date": "2020-01-01"},
                     {"post_id": "HP2", "team_id": None, "is_social_worker_post": "Y", "fte": 1.0,
                      "start_date": "2020-01-01"}],
        "hr_staff": [{"staff_id": "S1", "professional_id": "W1", "team_id": "T1", **staff},
                     {"staff_id": "S2", "professional_id": "W2", "team_id": None, **staff}],
    }
    return SnapshotDB(load_snapshot(write_tables(folder, tables), cache=False))


JULY = Period(dt.date(2021, 7, 1), dt.date(2021, 7, 31))
SPRING = Period(dt.date(2021, 6, 1), dt.date(2021, 7, 31))
AS_AT = dt.date(2021, 7, 31)
TEAMLESS_COUNTS = {  # function: (call, the count a scope of another team (T2) must see: nothing)
    "actions_overdue": (lambda db, s: queries.actions_overdue(db, AS_AT, s), lambda f: len(f)),
    "audits_by": (lambda db, s: queries.audits_by(db, JULY, "team", s), lambda f: int(f["case_audits"].sum())),
    "moderation": (lambda db, s: queries.moderation(db, JULY, s), lambda f: int(f["audits"].sum())),
    "audit_volume": (lambda db, s: queries.audit_volume(db, [JULY], s), lambda f: int(f["audits"].sum())),
    "audit_themes": (lambda db, s: queries.audit_themes(db, [JULY], s), lambda f: int(f["audits"].sum())),
    "actions_by_month": (lambda db, s: queries.actions_by_month(db, [SPRING], s), lambda f: int(f["due"].sum())),
    "funded_posts": (lambda db, s: queries.funded_posts(db, [JULY], s), lambda f: int(f["funded_posts"].sum())),
    "grow_our_own": (lambda db, s: queries.grow_our_own(db, AS_AT, dt.date(2019, 1, 1), s),
                     lambda f: int(f["people"].sum())),
}


@pytest.mark.parametrize("function", list(TEAMLESS_COUNTS))
def test_rows_with_no_team_are_not_shown_to_another_team(teamless_db, function):
    call, count = TEAMLESS_COUNTS[function]
    assert count(call(teamless_db, EVERYTHING)) > 0  # the rows are there for everyone
    assert count(call(teamless_db, Scope(("T1",)))) > 0  # and the team's own rows for the team
    assert count(call(teamless_db, Scope(("T2",)))) == 0, f"{function}: another team's scope sees rows with no team"


def test_compute_keeps_rows_with_no_team_to_unallocated(teamless_db):
    """The contrast: the indicators over the same audits show a teamless audit only to UNALLOCATED."""
    settings = load_settings()
    for indicator_id in ("audits_completed", "audit_actions_on_time_pct"):
        indicator = REGISTRY[indicator_id]
        everyone = unit_rows(teamless_db, indicator, [SPRING], settings)
        assert not everyone.empty and UNALLOCATED in set(everyone["team"]), indicator_id
        assert unit_rows(teamless_db, indicator, [SPRING], settings, Scope(("T2",))).empty, indicator_id


def _allocation(number: str, team: str, start: str) -> dict:
    return {"invo_involvements_id": number, "invo_person_id": "P1", "invo_professional_role_id": "ALLOCATED_SW",
            "invo_professional_team": team, "invo_professional_id": f"W{number}", "invo_involvement_start_date": start}


@pytest.fixture(scope="module")
def two_teams_db(tmp_path_factory) -> SnapshotDB:
    """P1 allocated to T1 since January and to T2 since March, both open: on a plan and in care, reviews due."""
    folder = tmp_path_factory.mktemp("two_teams") / "2021-08-31"
    tables = {
        "ssd_involvements": [_allocation("1", "T1", "2021-01-04"), _allocation("2", "T2", "2021-03-01")],
        "ssd_cp_plans": [{"cppl_cp_plan_id": "CP1", "cppl_person_id": "P1", "cppl_cp_plan_start_date": "2021-01-04"}],
        "ssd_cp_reviews": [{"cppr_cp_review_id": "RV1", "cppr_person_id": "P1", "cppr_cp_plan_id": "CP1",
                            "cppr_cp_review_due": "2021-08-10"}],
        "ssd_cp_visits": [], "ssd_initial_cp_conference": [], "ssd_cin_episodes": [], "qa_audits": [],
        "ssd_department": [{"dept_team_id": t, "dept_team_name": t, "dept_team_parent_id": "S1"} for t in ("T1", "T2")],
        "ssd_cla_episodes": [{"clae_cla_id": "E1", "clae_person_id": "P1",
                              "clae_cla_episode_start_date": "2021-02-01"}],
        "ssd_cla_reviews": [{"clar_cla_review_id": "R1", "clar_cla_id": "E1",
                             "clar_cla_review_due_date": "2021-08-10"}],
    }
    return SnapshotDB(load_snapshot(write_tables(folder, tables), cache=False))


TWO_TEAMS = {  # function: the child's list at AS_AT
    "cp_due": lambda db, s: queries.cp_due(db, AS_AT, CP_DUE_WINDOW, s),
    "cla_reviews_due": lambda db, s: queries.cla_reviews_due(db, AS_AT, CLA_REVIEWS_WINDOW, s),
    "cp_children_now": lambda db, s: queries.cp_children_now(db, AS_AT, 10, s),
    "open_cases": lambda db, s: queries.open_cases(db, AS_AT, s),
}


@pytest.mark.parametrize("function", list(TWO_TEAMS))
def test_a_child_with_two_open_allocations_is_listed_for_the_latest_team_only(two_teams_db, function):
    call = TWO_TEAMS[function]
    assert set(call(two_teams_db, EVERYTHING)["team"]) == {"T2"}  # the latest allocation's team
    assert set(call(two_teams_db, Scope(("T2",)))["person_id"]) == {"P1"}
    older = call(two_teams_db, Scope(("T1",)))
    assert older.empty, f"{function}: the older team's scope lists {list(zip(older['person_id'], older['team']))}"


# ---------------------------------------------------------------- coverage cannot silently rot

NOT_SCOPED = {  # public functions of queries.py without a scope, and why they need none
    "year_before": "dates only",
    "cp_plans_by_category_and_length": "counts the rows cp_children_now returned for the scope",
}
COMPUTE_EXEMPT = {  # public functions of compute.py taking a scope that are covered through another
    "live_sums": "compute()'s path without the indicator store: the live cases",
    "query_params": "builds the parameters of unit_rows and compute",
}


def _public(module) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(f) for name, f in inspect.getmembers(module, inspect.isfunction)
            if f.__module__ == module.__name__ and not name.startswith("_")}


def _covered() -> set[str]:
    return {c.covers for c in ROWS_CASES + SUMS_CASES} | {f"queries.{n}" for n in TEAMLESS_COUNTS} | {
        "compute.compute",  # test_compute_at_a_scope_... and the report's comparison call it directly
        "queries.grow_our_own"}  # test_grow_our_own_counts_only_the_staff_of_the_teams_in_scope


def test_every_query_function_taking_a_scope_is_covered():
    functions = _public(queries)
    scoped = {f"queries.{n}" for n, sig in functions.items() if "scope" in sig.parameters or "teams" in sig.parameters}
    unscoped = {n for n in functions if f"queries.{n}" not in scoped}
    assert scoped - _covered() == set(), "a query function takes a scope but no case in this file calls it"
    assert {c for c in _covered() if c.startswith("queries.")} <= scoped, "a covered name is gone from queries.py"
    assert unscoped == set(NOT_SCOPED), ("a public query function without a scope: give it one, or say in "
                                         "NOT_SCOPED why it needs none")
    compute_scoped = {f"compute.{n}" for n, sig in _public(compute_module).items() if "scope" in sig.parameters}
    assert compute_scoped - _covered() == {f"compute.{n}" for n in COMPUTE_EXEMPT}
    assert set(TEAMLESS_COUNTS) <= {n.split(".")[1] for n in scoped}
