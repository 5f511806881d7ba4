"""The Practice Week pack: what senior leaders and members take on a Practice Week visit to a front-line team.

Practice Weeks (the 2021 review) let leaders and politicians see 'at close hand' the work of a team and
the pressures it faces. The pack gives them the team's figures beside its service and the authority, the
trends in plain words, its audit findings, what its staff carry, the children needing action now, the
questions those numbers raise, and a reproducible sample of cases to read.

Two audiences. "leaders" (visiting leaders and members): aggregates only, with the highlight report's
disclosure control (report.suppress_small, report.hides: counts of 1 to 5 and figures resting on them
show as 'c'), and no child or worker id anywhere. "managers" (the team's own managers): the same, plus the
lists of the scope's children and staff by pseudonymous id, every figure printed.

`build` gathers the figures (headlines, queries, sampling; staff.py and team_children.py when present);
`to_html` and `to_pdf` lay them out with the highlight report's CSS, tables and PDF text. No Streamlit here.
"""
from __future__ import annotations

import datetime as dt
import importlib
import math
from dataclasses import dataclass, field

import pandas as pd

from . import narrative, queries, sampling, stats
from .compute import EVERYTHING, Scope, compute
from .db import SnapshotDB, read_sql
from .headlines import Headline, headlines
from .indicators import PERCENT, REGISTRY
from .periods import Period, last_complete_month_end
from .report import (CSS, DISCLOSURE_NOTE, FTE_BASED, SUPPRESSED, count_text, esc, figure_texts, hides, html_end,
                     html_start, html_table, pdf_document, pdf_text, suppress_small, suppressed)
from .settings import LocalAuthority
from .team_profile import MIN_MONTHLY_N, spc_applies, without_spc

MANAGERS, LEADERS = "managers", "leaders"
AUDIENCE_WORDS = {MANAGERS: "the team's managers", LEADERS: "visiting leaders and members"}
# The team at a glance: a few measures across safeguarding, cared-for children, the workforce and QA.
AT_A_GLANCE = ("assessments_45wd_pct", "cp_visits_in_timescale_pct", "cp_reviews_on_time_pct",
               "cla_visits_in_timescale_pct", "cla_reviews_on_time_pct", "cla_health_assessment_pct",
               "care_leavers_in_touch_pct", "sw_avg_caseload", "sw_agency_rate_pct",
               "sw_supervision_in_timescale_pct", "audits_good_or_better_pct", "audit_actions_on_time_pct")
GOOD_OR_BETTER = "audits_good_or_better_pct"
AGENCY = "sw_agency_rate_pct"
SAMPLE_SIZE = 6
AGENCY_MARGIN = 10.0          # points above the authority's agency share that make it a question
THEMES_SHOWN = 8
CASE_KINDS = {"CLA": "child in care", "CP": "child protection plan", "CIN": "child in need"}
SAMPLE_LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"   # cases are lettered: numbers 1-5 would read as counts
BETTER, WORSE, NO_CLEAR, HIGHER, LOWER, SAME, HIDDEN = (
    "better", "worse", "no clear difference", "higher", "lower", "the same", "hidden")
CONFIDENTIAL_NOTE = ("For the team's managers only: it lists children and staff by pseudonymous id. "
                     "Do not leave it behind or pass it on; the leaders' version carries no id.")


# ---------------------------------------------------------------- content
@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass
class Table:
    caption: str
    frame: pd.DataFrame


@dataclass
class Section:
    title: str
    blocks: list = field(default_factory=list)     # str (a paragraph), Heading, Bullets or Table


@dataclass
class Figures:
    """The numbers the visit's questions come from (built from the sections; hand-made in tests)."""
    caseload_threshold: float = 20.0
    staff: int | None = None                        # staff members of the scope (team_staff rows)
    staff_above_threshold: int | None = None        # of them, with cases per FTE above the threshold
    supervision_overdue: int | None = None
    agency_pct: float | None = None                 # agency share of social work FTE, scope and authority
    authority_agency_pct: float | None = None
    agency_target: float | None = None
    overdue_by_list: dict[str, int] = field(default_factory=dict)   # list words -> children overdue
    good_or_better_pct: float | None = None
    authority_good_or_better_pct: float | None = None
    audits_compared: str | None = None              # BETTER, WORSE, NO_CLEAR, ... (compare_with_authority)
    actions_overdue: int | None = None
    worse_than_authority: tuple[str, ...] = ()      # indicator titles clearly worse than the authority
    special_cause_concern: tuple[str, ...] = ()     # indicator titles with special-cause concern


@dataclass
class Pack:
    title: str
    label: str
    audience: str
    scope: Scope
    seed: int
    as_at: dt.date
    snapshot_date: dt.date
    source: str
    generated: dt.datetime
    sections: list[Section]
    figures: Figures
    questions: list[str]
    children: pd.DataFrame | None = None   # managers: the scope's children now; leaders: None
    sample: pd.DataFrame | None = None     # managers: the drawn cases; leaders: their kind and team only

    @property
    def leaders(self) -> bool:
        return self.audience == LEADERS

    @property
    def stamp(self) -> list[tuple[str, str]]:
        return [("Team or service", self.label), ("For", AUDIENCE_WORDS[self.audience]),
                ("Snapshot", f"{self.snapshot_date:%-d %B %Y}"), ("Figures as at", f"{self.as_at:%-d %B %Y}"),
                ("Sample seed", str(self.seed)), ("Data source", self.source),
                ("Generated", f"{self.generated:%-d %B %Y %H:%M}")]


# ---------------------------------------------------------------- comparisons and words
def compare_with_authority(scope_h: Headline, authority_h: Headline) -> str:
    """How the scope's figure stands against the authority's.

    A share of children or events is compared with the rest of the authority (the authority less the scope)
    by Wilson intervals: BETTER or WORSE only when they are apart, else NO_CLEAR. Staff FTE measures and
    means have no such test: HIGHER, LOWER or SAME, said as untested. '' when either figure is missing."""
    indicator = scope_h.indicator
    if scope_h.value is None or authority_h.value is None or scope_h.unavailable or authority_h.unavailable:
        return ""
    if indicator.unit == PERCENT and indicator.id not in FTE_BASED:
        k, n = int(scope_h.numerator or 0), int(scope_h.denominator or 0)
        rest_k = int((authority_h.numerator or 0) - k)
        rest_n = int((authority_h.denominator or 0) - n)
        rest = stats.wilson_interval(rest_k, rest_n) if rest_n > 0 else None
        found = stats.compare_to_rest(stats.wilson_interval(k, n), rest)
        if found == NO_CLEAR or indicator.direction not in ("higher", "lower"):
            return NO_CLEAR if found == NO_CLEAR else found
        return BETTER if found == indicator.direction else WORSE
    shown = narrative.format_value(indicator, scope_h.value), narrative.format_value(indicator, authority_h.value)
    if shown[0] == shown[1]:
        return SAME
    return HIGHER if scope_h.value > authority_h.value else LOWER


def comparison_words(indicator, verdict: str) -> str:
    """A verdict in plain words: 'worse than the authority (a clear difference)'."""
    if verdict in (BETTER, WORSE):
        return f"{verdict} than the authority (a clear difference)"
    if verdict == NO_CLEAR:
        return "no clear difference from the authority"
    if verdict == SAME:
        return "the same as the authority"
    if verdict in (HIGHER, LOWER):
        better = (verdict == HIGHER) == (indicator.direction == "higher")
        judged = "" if indicator.direction not in ("higher", "lower") else ("better; " if better else "worse; ")
        return f"{verdict} than the authority ({judged}not tested for chance)"
    if verdict == HIDDEN:
        return "not compared: small numbers"
    return "not compared"


def _plural(count_shown: str, one: str, many: str) -> str:
    return f"{count_shown} {one if count_shown == '1' else many}"


def questions(f: Figures, count=count_text) -> list[str]:
    """The questions the numbers raise for the visit, in plain words, rule by rule.

    `count` prints a count (report.suppress_small for the leaders' pack, so a small count reads 'c')."""
    asked = []
    if f.staff_above_threshold:
        of = f" of {count(f.staff)}" if f.staff else ""
        asked.append(f"{count(f.staff_above_threshold)}{of} staff carry more than {f.caseload_threshold:g} cases "
                     "per FTE: how is work shared, and what stops new cases reaching them?")
    if f.agency_pct is not None:
        high_vs_authority = (f.authority_agency_pct is not None
                             and f.agency_pct >= f.authority_agency_pct + AGENCY_MARGIN)
        above_target = f.agency_target is not None and f.agency_pct > f.agency_target
        if high_vs_authority or above_target:
            against = [f"the authority {f.authority_agency_pct:.1f}%" if f.authority_agency_pct is not None else "",
                       f"target {f.agency_target:g}%" if f.agency_target is not None else ""]
            asked.append(f"Agency staff are {f.agency_pct:.1f}% of social work FTE "
                         f"({'; '.join(a for a in against if a)}): how do children keep the same worker, and what "
                         "would help permanent staff stay?")
    if f.supervision_overdue:
        asked.append(f"{_plural(count(f.supervision_overdue), 'member of staff is', 'members of staff are')} "
                     "overdue supervision: what gets in the way, and who offers reflective supervision meanwhile?")
    for list_words, overdue in f.overdue_by_list.items():
        if overdue:
            asked.append(f"{list_words[:1].upper()}{list_words[1:]}: {_plural(count(overdue), 'child', 'children')} "
                         "overdue. What is the plan for each, and who checks it happens?")
    if f.audits_compared == WORSE:
        asked.append(f"Case audits graded good or better: {f.good_or_better_pct:.1f}% here against "
                     f"{f.authority_good_or_better_pct:.1f}% across the authority: which themes lie behind it, "
                     "and what has changed since?")
    if f.actions_overdue:
        asked.append(f"{_plural(count(f.actions_overdue), 'audit action is', 'audit actions are')} past due: "
                     "what stops them being completed, and does it matter for the child?")
    for title in f.worse_than_authority:
        if title != REGISTRY[GOOD_OR_BETTER].title:
            asked.append(f"{title}: clearly worse than the authority. What is behind it, and what is being done?")
    for title in f.special_cause_concern:
        asked.append(f"{title}: the trend shows special-cause concern. What changed, and when?")
    if not asked:
        asked.append("The figures raise no particular question: ask what the team is proud of, and what gets "
                     "in the way of its work with children.")
    return asked


# ---------------------------------------------------------------- helpers
def _teams_list(scope: Scope):
    return list(scope.teams) if scope.teams is not None else None


def _in_scope(frame: pd.DataFrame | None, scope: Scope, column: str = "team") -> pd.DataFrame | None:
    """Only the scope's rows: a list from elsewhere never reaches the pack, whatever its source did."""
    if frame is None or scope.teams is None:
        return frame
    return frame[frame[column].isin(scope.teams)].reset_index(drop=True)


def _service_of(scope: Scope, teams: pd.DataFrame) -> tuple[str, tuple[str, ...]] | None:
    """The one service holding every team of the scope, when the scope is only part of it."""
    if scope.teams is None or teams.empty:
        return None
    mine = teams[teams["team_id"].isin(scope.teams)]
    if mine.empty or mine["service_id"].nunique() != 1:
        return None
    service_id = mine["service_id"].iloc[0]
    members = tuple(sorted(teams.loc[teams["service_id"] == service_id, "team_id"]))
    if set(members) <= set(scope.teams):
        return None
    return str(mine["service_name"].iloc[0]), members


def _optional(module: str):
    """A module another session is writing (staff, team_children): None until it is merged."""
    try:
        return importlib.import_module(f"torbay_dash.{module}")
    except ModuleNotFoundError as missing:
        if missing.name == f"torbay_dash.{module}":
            return None
        raise


def _date_text(value) -> str:
    return "" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%d/%m/%Y}"


def _shown(value, suppress: bool) -> str:
    """A count as the audience may see it."""
    return suppress_small(value) if suppress else count_text(value)


def _fte(value) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):,.1f}"


def _pct(value) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):.1f}%"


def _has_figure(h: Headline) -> bool:
    """Whether the scope has anything to show: a share of none, or a mean of no one, says nothing."""
    if h.unavailable or h.value is None:
        return False
    return h.indicator.unit not in (PERCENT,) or bool(h.denominator)


# ---------------------------------------------------------------- sections
def _at_a_glance(label: str, mine: dict, service: dict | None, service_name: str, authority: dict,
                 suppress: bool) -> tuple[Section, dict[str, str]]:
    shown = [i for i in mine if _has_figure(mine[i])]
    verdicts, rows = {}, []
    for i in shown:
        h, whole = mine[i], authority[i]
        hidden = suppress and (hides(h.indicator, h.numerator, h.denominator)
                               or hides(whole.indicator, whole.numerator, whole.denominator))
        verdicts[i] = HIDDEN if hidden else compare_with_authority(h, whole)
        value, n = figure_texts(h, suppress)
        row = {"Indicator": h.indicator.title, "Period": narrative.period_words(h.basis, h.period),
               label: value, "n": n}
        if service is not None:
            s_value, s_n = figure_texts(service[i], suppress)
            row[service_name] = f"{s_value} ({s_n})" if s_n else s_value
        a_value, a_n = figure_texts(whole, suppress)
        row["Authority"] = f"{a_value} ({a_n})" if a_n else a_value
        row["Compared with the authority"] = comparison_words(h.indicator, verdicts[i])
        rows.append(row)
    section = Section("1. The team at a glance")
    section.blocks.append(f"Headline measures for {label}"
                          + (f" beside its service ({service_name})" if service is not None else "")
                          + " and the whole authority, each with its period and the number it rests on (n). "
                          "A share is called better or worse only where it differs clearly from the rest of the "
                          "authority (95% Wilson intervals apart); staff measures and averages are not tested.")
    words = {v: [mine[i].indicator.title for i in shown if verdicts[i] == v] for v in (BETTER, WORSE)}
    untested_worse = [mine[i].indicator.title for i in shown
                      if verdicts[i] in (HIGHER, LOWER) and "worse" in comparison_words(mine[i].indicator, verdicts[i])]
    summary = []
    summary.append("Clearly better than the authority: " + (", ".join(words[BETTER]) or "none") + ".")
    summary.append("Clearly worse than the authority: " + (", ".join(words[WORSE]) or "none") + ".")
    if untested_worse:
        summary.append("Less favourable than the authority, not tested for chance: " + ", ".join(untested_worse) + ".")
    section.blocks.append(" ".join(summary))
    section.blocks.append(Table(f"{label}: headline measures beside "
                                + (f"{service_name} and " if service is not None else "") + "the authority",
                                pd.DataFrame(rows)))
    missing = [mine[i].indicator.title for i in mine if i not in shown]
    if missing:
        section.blocks.append("Not shown, as there is nothing to measure for this scope in the period: "
                              + ", ".join(missing) + ".")
    return section, verdicts


def _trends(mine: dict, suppress: bool) -> Section:
    sentences = []
    for h in mine.values():
        if not _has_figure(h):
            continue
        hidden = suppressed(h).suppressed if suppress else ()
        sentences.append(narrative.describe(without_spc(h), hidden)
                         + ("" if spc_applies(h) else " Too few each month for SPC to read."))
    section = Section("2. Trends in plain words")
    section.blocks.append("Each measure against its own last 36 months: a change from the year before is only up "
                          "or down; better or worse is said only where statistical process control (SPC) finds "
                          f"special cause, and SPC is read only where the months each rest on "
                          f"{MIN_MONTHLY_N} or more (as on the Team page).")
    section.blocks.append(Bullets(tuple(sentences)) if sentences else "No measure has figures for this scope.")
    return section


def _audit_totals(db: SnapshotDB, frame: pd.DataFrame) -> dict:
    totals = db.query("SELECT sum(case_audits) AS case_audits, sum(graded) AS graded, "
                      "sum(good_or_better) AS good_or_better FROM audits", frames={"audits": frame})
    return {k: (0 if pd.isna(v) else int(v)) for k, v in totals.iloc[0].items()}


AUDIT_COUNTS = ("case_audits", "graded", "good_or_better")


def secondary_hidden(rows: list[dict], columns) -> list[set]:
    """For each row, the columns to hide beyond its own counts of 1 to 5: where a column has exactly one
    such count, the smallest other non-zero count too, so that the scope's total (printed beside the team
    rows, and in the team at a glance) less the shown rows cannot give the hidden one."""
    extra = [set() for _ in rows]
    for column in columns:
        values = [row[column] for row in rows]
        small = [i for i, v in enumerate(values) if suppress_small(v) == SUPPRESSED]
        others = sorted((v, i) for i, v in enumerate(values) if i not in small and v)
        if len(small) == 1 and others:
            extra[others[0][1]].add(column)
    return extra


def _grade_row(name: str, row: dict, suppress: bool, hidden_columns: set = frozenset()) -> dict:
    indicator = REGISTRY[GOOD_OR_BETTER]
    good, graded = row["good_or_better"], row["graded"]
    share = None if not graded else 100.0 * good / graded
    hidden = suppress and (hides(indicator, good, graded) or bool(hidden_columns & {"graded", "good_or_better"}))

    def shown(column):
        return SUPPRESSED if column in hidden_columns and row[column] else _shown(row[column], suppress)

    return {"Audits of": name, "Case audits": shown("case_audits"), "Graded": shown("graded"),
            "Good or better": shown("good_or_better"), "Good or better (%)": SUPPRESSED if hidden else _pct(share)}


def _audits(db: SnapshotDB, as_at: dt.date, period: Period, scope: Scope, label: str, team_name: dict,
            suppress: bool, figures: Figures) -> Section:
    section = Section("3. Audit findings")
    by_team = queries.audits_by(db, period, "team", scope)
    if by_team is None:
        section.blocks.append("Unavailable: this snapshot has no audit table.")
        return section
    section.blocks.append(f"Audits dated from {period.start:%-d %B %Y} to {period.end:%-d %B %Y}; a case audit's "
                          "grade is the moderated grade where there is one.")
    by_team = _in_scope(by_team.rename(columns={"who": "team"}), scope)
    records = by_team.to_dict("records")
    extra = secondary_hidden(records, AUDIT_COUNTS) if suppress else [set() for _ in records]
    rows = [_grade_row(team_name.get(r["team"], r["team"]), r, suppress, more) for r, more in zip(records, extra)]
    if len(by_team) > 1:
        rows.append(_grade_row(f"All of {label}", _audit_totals(db, by_team), suppress))
    everyone = queries.audits_by(db, period, "team", EVERYTHING)
    rows.append(_grade_row("The authority", _audit_totals(db, everyone), suppress))
    section.blocks.append(Heading("Grades"))
    if any(extra):
        section.blocks.append("Where a single team's count is hidden, the next smallest is hidden too, so the "
                              "total cannot give it back.")
    section.blocks.append(Table(f"Case audit grades, {label} and the authority", pd.DataFrame(rows)))

    themes = queries.audit_themes(db, [period], scope)
    section.blocks.append(Heading("Themes"))
    if themes is None or themes.empty:
        section.blocks.append("No audit in the period.")
    else:
        themed = db.query(f"""
            SELECT theme, sum(audits) AS audits, sum(graded_below_good) AS below_good,
                   sum(child_voice_not_evident) AS voice_not_evident
            FROM themes GROUP BY theme ORDER BY audits DESC, theme LIMIT {THEMES_SHOWN}""", frames={"themes": themes})
        section.blocks.append(Table(f"Audit themes, {label} (the {THEMES_SHOWN} most audited)", pd.DataFrame({
            "Theme": themed["theme"],
            "Audits": [_shown(v, suppress) for v in themed["audits"]],
            "Graded below good": [_shown(v, suppress) for v in themed["below_good"]],
            "Child's voice not evident": [_shown(v, suppress) for v in themed["voice_not_evident"]]})))

    section.blocks.append(Heading("Actions"))
    if "qa_actions" not in db.tables:
        section.blocks.append("Unavailable: this snapshot has no audit actions table.")
        return section
    sql = read_sql("team/pack_actions")
    counts = [(f"{label}", db.query(sql, {"as_at": as_at, "teams": _teams_list(scope)}).iloc[0]),
              ("The authority", db.query(sql, {"as_at": as_at, "teams": None}).iloc[0])]
    figures.actions_overdue = int(counts[0][1]["overdue_actions"])
    section.blocks.append(Table(f"Audit actions open at {as_at:%-d %B %Y}", pd.DataFrame([{
        "Actions of": name, "Open": _shown(int(r["open_actions"]), suppress),
        "Past due": _shown(int(r["overdue_actions"]), suppress),
        "Past due by more than 30 days": _shown(int(r["overdue_30_days"]), suppress)} for name, r in counts])))
    if not suppress:
        overdue = _in_scope(queries.actions_overdue(db, as_at, scope), scope)
        if overdue is not None and not overdue.empty:
            section.blocks.append(Table(f"Audit actions past due, {label}, most overdue first", pd.DataFrame({
                "Action": overdue["action_id"], "Child (pseudonymous id)": overdue["person_id"],
                "Worker": overdue["worker_id"], "Theme": overdue["theme"].fillna(""),
                "Due": [_date_text(d) for d in overdue["due_date"]],
                "Days past due": [count_text(d) for d in overdue["days_overdue"]]})))
    return section


def _staff(db: SnapshotDB, as_at: dt.date, settings: LocalAuthority, scope: Scope, label: str, team_name: dict,
           suppress: bool, figures: Figures) -> Section:
    section = Section("4. What staff carry")
    threshold = float(settings.standards.get("caseload_threshold", 20))
    figures.caseload_threshold = threshold
    staff_module = _optional("staff")
    if staff_module is None:
        return _staff_from_indicators(db, as_at, settings, scope, team_name, section)
    staff = _in_scope(staff_module.team_staff(db, as_at, settings, scope), scope)
    if staff is not None:
        by_team = db.query("""
            SELECT team, count(*) AS staff, sum(fte) AS fte, sum(cases) AS cases,
                   sum(cases) / nullif(sum(fte), 0) AS cases_per_fte,
                   count(*) FILTER (WHERE above_threshold) AS above_threshold,
                   count(*) FILTER (WHERE supervision_overdue) AS supervision_overdue
            FROM staff GROUP BY team ORDER BY team""", frames={"staff": staff})
        figures.staff = int(by_team["staff"].sum())
        figures.staff_above_threshold = int(by_team["above_threshold"].sum())
        figures.supervision_overdue = int(by_team["supervision_overdue"].sum())
        section.blocks.append(f"Caseloads at {as_at:%-d %B %Y}: cases per FTE, and staff above the threshold of "
                              f"{threshold:g} cases per FTE a manager should look at.")
        section.blocks.append(Table(f"Caseloads by team, {label}", pd.DataFrame({
            "Team": [team_name.get(t, t) for t in by_team["team"]],
            "Staff": [_shown(v, suppress) for v in by_team["staff"]],
            "FTE": [_fte(v) for v in by_team["fte"]],
            "Cases": [_shown(v, suppress) for v in by_team["cases"]],
            "Cases per FTE": [_fte(v) for v in by_team["cases_per_fte"]],
            f"Above {threshold:g} per FTE": [_shown(v, suppress) for v in by_team["above_threshold"]],
            "Supervision overdue": [_shown(v, suppress) for v in by_team["supervision_overdue"]]})))
        if not suppress and not staff.empty:
            ordered = staff.sort_values(["cases_per_fte", "worker_id"], ascending=[False, True], na_position="last")
            section.blocks.append(Table(f"Staff of {label}, highest caseload first", pd.DataFrame({
                "Worker": ordered["worker_id"].fillna(""), "Team": [team_name.get(t, t) for t in ordered["team"]],
                "Role": ordered["role"].fillna(""), "Employment": ordered["employment_type"].fillna(""),
                "Agency": [_yes(a) or "no" for a in ordered["agency"]],
                "FTE": [_fte(v) for v in ordered["fte"]], "Cases": [count_text(v) for v in ordered["cases"]],
                "Cases per FTE": [_fte(v) for v in ordered["cases_per_fte"]],
                "Above threshold": [_yes(a) for a in ordered["above_threshold"]],
                "Last supervision": [_date_text(d) for d in ordered["last_supervision"]],
                "Supervision overdue": [_yes(a) for a in ordered["supervision_overdue"]]})))
    establishment = _in_scope(staff_module.team_establishment(db, as_at, scope), scope)
    whole = staff_module.team_establishment(db, as_at, EVERYTHING)
    if establishment is not None and whole is not None:
        section.blocks.append(_establishment(db, as_at, settings, scope, label, team_name, establishment, whole))
    section.blocks.append("Staff FTE measures are not suppressed (as the DfE's workforce census publishes them); "
                          "counts of staff and cases are.")
    return section


def _establishment(db: SnapshotDB, as_at: dt.date, settings: LocalAuthority, scope: Scope, label: str,
                   team_name: dict, establishment: pd.DataFrame, whole: pd.DataFrame) -> Table:
    """Funded, filled, agency and vacant FTE by team, then for the scope and the authority: FTE summed, and
    the shares the workforce indicators give (the establishment's own shares are theirs, team by team)."""
    month = [Period(as_at.replace(day=1), as_at)]
    columns = ["funded_fte", "filled_fte", "agency_fte", "vacancy_fte", "agency_pct", "vacancy_pct"]
    rows = [{"name": team_name.get(r["team"], r["team"]), **{c: r[c] for c in columns}}
            for r in establishment.sort_values("team").to_dict("records")]
    totals = [(f"All of {label}", establishment, scope)] if len(establishment) > 1 else []
    for name, frame, where in totals + [("The authority", whole, EVERYTHING)]:
        summed = db.query("SELECT sum(funded_fte) AS funded_fte, sum(filled_fte) AS filled_fte, "
                          "sum(agency_fte) AS agency_fte, sum(vacancy_fte) AS vacancy_fte FROM frame",
                          frames={"frame": frame}).iloc[0].to_dict()
        shares = {f"{kind}_pct": compute(db, REGISTRY[f"sw_{kind}_rate_pct"], month, settings, scope=where)
                  ["value"].iloc[0] for kind in ("agency", "vacancy")}
        rows.append({"name": name, **summed, **shares})
    return Table(f"Establishment at {as_at:%-d %B %Y}, {label} and the authority (FTE)", pd.DataFrame({
        "Team": [r["name"] for r in rows],
        "Funded": [_fte(r["funded_fte"]) for r in rows], "Filled": [_fte(r["filled_fte"]) for r in rows],
        "Agency": [_fte(r["agency_fte"]) for r in rows], "Vacant": [_fte(r["vacancy_fte"]) for r in rows],
        "Agency share": [_pct(r["agency_pct"]) for r in rows],
        "Vacancy rate": [_pct(r["vacancy_pct"]) for r in rows]}))


def _yes(flag) -> str:
    """'yes' for a true flag; '' for false or unknown (a null is not a yes)."""
    return "yes" if flag is not None and not pd.isna(flag) and bool(flag) else ""


def _staff_from_indicators(db, as_at, settings, scope, team_name, section) -> Section:
    """Until staff.py is merged: the caseload and agency indicators by team."""
    month = Period(as_at.replace(day=1), as_at)
    rows = {}
    for indicator_id in ("sw_avg_caseload", AGENCY):
        frame = compute(db, REGISTRY[indicator_id], [month], settings, by_team=True, scope=scope)
        for r in _in_scope(frame[frame["unavailable"].isna()], scope).to_dict("records"):
            rows.setdefault(r["team"], {})[indicator_id] = r
    section.blocks.append(f"Caseloads and agency share by team at {as_at:%-d %B %Y} (the workforce indicators; "
                          "per-worker caseloads come with the staff lists).")
    section.blocks.append(Table("Caseloads and agency share by team", pd.DataFrame([{
        "Team": team_name.get(team, team),
        "Average caseload per FTE": _fte(r.get("sw_avg_caseload", {}).get("value")),
        "Social worker FTE": _fte(r.get("sw_avg_caseload", {}).get("denominator")),
        "Agency share of FTE": _pct(r.get(AGENCY, {}).get("value"))} for team, r in sorted(rows.items())],
        columns=["Team", "Average caseload per FTE", "Social worker FTE", "Agency share of FTE"])))
    return section


def _children(db: SnapshotDB, as_at: dt.date, settings: LocalAuthority, scope: Scope, label: str,
              team_name: dict, suppress: bool, figures: Figures) -> tuple[Section, pd.DataFrame | None]:
    section = Section("5. Children now" if not suppress else "5. Children needing action now (counts)")
    module = _optional("team_children")
    children = None if module is None else _in_scope(module.children_now(db, as_at, settings, scope), scope)
    if children is None:
        section.blocks.append("Unavailable: the lists of children need tables this snapshot does not hold.")
        return section, None
    counts = db.query("""
        SELECT list_words, min(rowid_) AS first_row, count(DISTINCT person_id) AS children,
               count(DISTINCT person_id) FILTER (WHERE status = 'overdue') AS overdue,
               count(DISTINCT person_id) FILTER (WHERE status = 'due soon') AS due_soon
        FROM children GROUP BY list_words ORDER BY first_row""",
                      frames={"children": children.assign(rowid_=range(len(children)))})
    figures.overdue_by_list = {r["list_words"]: int(r["overdue"]) for r in counts.to_dict("records")}
    if children.empty:
        section.blocks.append(f"No child of {label} is on any list at {as_at:%-d %B %Y}.")
        return section, children
    if suppress:
        # Children and those overdue only: with 'due soon' beside them, a list of two statuses would give a
        # hidden count back by subtraction.
        section.blocks.append(f"Children of {label} on each list at {as_at:%-d %B %Y}, and of them those overdue; "
                              "no child is named here.")
        section.blocks.append(Table(f"Children needing action, {label}", pd.DataFrame({
            "List": counts["list_words"], "Children": [_shown(v, True) for v in counts["children"]],
            "Overdue": [_shown(v, True) for v in counts["overdue"]]})))
        return section, None
    section.blocks.append(f"Every child of {label} on a list at {as_at:%-d %B %Y}, the overdue first "
                          "(pseudonymous ids: the case record gives the rest).")
    for list_words in counts["list_words"]:
        rows = children[children["list_words"] == list_words]
        section.blocks.append(Heading(str(list_words)))
        section.blocks.append(Table(f"Children: {list_words}", pd.DataFrame({
            "Child (pseudonymous id)": rows["person_id"], "Team": [team_name.get(t, t) for t in rows["team"]],
            "Worker": rows["worker_id"].fillna(""), "Status": rows["status"],
            "Due": [_date_text(d) for d in rows["due_date"]], "Detail": rows["detail"].fillna("")})))
    return section, children


def _sample(db: SnapshotDB, as_at: dt.date, scope: Scope, label: str, seed: int, team_name: dict,
            suppress: bool) -> tuple[Section, pd.DataFrame | None]:
    section = Section("7. A suggested sample of cases to read")
    population = queries.open_cases(db, as_at, scope)
    if population is None:
        section.blocks.append("Unavailable: the sample needs the CIN, CP, CLA, department and audit tables.")
        return section, None
    population = _in_scope(population, scope)
    eligible = sampling.not_recently_audited(population, as_at)
    drawn = (sampling.draw(eligible, min(SAMPLE_SIZE, len(eligible)), seed) if len(eligible)
             else eligible.assign(stratum_size=[], stratum_sample=[]))
    drawn = drawn.assign(case=[f"Case {SAMPLE_LABELS[i]}" for i in range(len(drawn))],
                         kind=drawn["case_type"].map(CASE_KINDS).fillna(drawn["case_type"]))
    how = (f"drawn with seed {seed} from {_shown(len(eligible), suppress)} open cases of {label} not audited in "
           f"the last {sampling.RECENTLY_AUDITED_MONTHS} months, split across teams in proportion to their open "
           f"cases. The same seed and snapshot draw the same cases, in the same order, in both versions of "
           "this pack.")
    small = suppress and suppress_small(len(eligible)) == SUPPRESSED
    section.blocks.append(f"{_shown(len(drawn), suppress)} cases {how}")
    if drawn.empty or small:
        if small:
            section.blocks.append("The cases are not listed here: there are too few to show without identifying "
                                  "children. The team's managers hold the list.")
        return section, (drawn[["case", "kind", "team"]] if suppress else drawn)
    teams = [team_name.get(t, t) for t in drawn["team"]]
    if suppress:
        section.blocks.append(Table(f"Sample drawn with seed {seed}: kind of case and team", pd.DataFrame({
            "Case": drawn["case"], "Kind of case": drawn["kind"], "Team": teams})))
        return section, drawn[["case", "kind", "team"]]
    section.blocks.append(Table(f"Sample drawn with seed {seed}", pd.DataFrame({
        "Case": drawn["case"], "Child (pseudonymous id)": drawn["person_id"], "Kind of case": drawn["kind"],
        "Team": teams, "Worker": drawn["worker_id"].fillna(""),
        "Last case audit": [_date_text(d) or "never" for d in drawn["last_case_audit"]]})))
    return section, drawn


# ---------------------------------------------------------------- build
def build(db: SnapshotDB, settings: LocalAuthority, as_at: dt.date, scope: Scope, label: str, audience: str,
          seed: int, teams: pd.DataFrame) -> Pack:
    """The Practice Week pack for a team or service (`scope`, named `label`) as at a month end.

    `audience` is "leaders" (aggregates, disclosure control, no ids) or "managers" (child and staff lists of
    the scope). `teams` is the department table (team_id, team_name, service_id, service_name)."""
    if audience not in AUDIENCE_WORDS:
        raise ValueError(f"the pack is for 'managers' or 'leaders', not {audience!r}")
    suppress = audience == LEADERS
    snapshot = db.snapshot
    as_at = last_complete_month_end(as_at or snapshot.as_at)
    team_name = dict(zip(teams["team_id"], teams["team_name"]))
    service = _service_of(scope, teams)
    figures = Figures()

    ids = [i for i in AT_A_GLANCE if i in REGISTRY]
    mine = headlines(db, settings, ids, as_at, scope.teams)
    authority = headlines(db, settings, ids, as_at, None)
    service_figures = headlines(db, settings, ids, as_at, service[1]) if service else None
    glance, verdicts = _at_a_glance(label, mine, service_figures, service[0] if service else "", authority, suppress)

    h, whole = mine[AGENCY], authority[AGENCY]
    figures.agency_pct, figures.authority_agency_pct = h.value, whole.value
    target = settings.targets.get(AGENCY)
    figures.agency_target = float(target.value) if target else None
    g, g_whole = mine[GOOD_OR_BETTER], authority[GOOD_OR_BETTER]
    if GOOD_OR_BETTER in verdicts and verdicts[GOOD_OR_BETTER] != HIDDEN:
        figures.good_or_better_pct, figures.authority_good_or_better_pct = g.value, g_whole.value
        figures.audits_compared = verdicts[GOOD_OR_BETTER]
    figures.worse_than_authority = tuple(mine[i].indicator.title for i, v in verdicts.items() if v == WORSE)
    figures.special_cause_concern = tuple(mine[i].indicator.title for i in verdicts
                                          if str(without_spc(mine[i]).variation or "").startswith("concern"))

    audit_period = g.period or Period(as_at.replace(day=1), as_at)
    sections = [glance, _trends(mine, suppress),
                _audits(db, as_at, audit_period, scope, label, team_name, suppress, figures),
                _staff(db, as_at, settings, scope, label, team_name, suppress, figures)]
    children_section, children = _children(db, as_at, settings, scope, label, team_name, suppress, figures)
    sections.append(children_section)
    asked = questions(figures, suppress_small if suppress else count_text)
    sections.append(Section("6. Questions the numbers raise for the visit", [
        "Drawn by rule from the figures above; a starting point for conversations with the team, not a verdict.",
        Bullets(tuple(asked))]))
    sample_section, sample = _sample(db, as_at, scope, label, seed, team_name, suppress)
    sections.append(sample_section)

    manifest = snapshot.manifest or {}
    source = ("synthetic demo data" if snapshot.synthetic
              else str(manifest.get("source") or "case management system extract"))
    return Pack(title=f"Practice Week pack: {label}", label=label, audience=audience, scope=scope, seed=seed,
                as_at=as_at, snapshot_date=snapshot.as_at, source=source,
                generated=dt.datetime.now().replace(microsecond=0), sections=sections, figures=figures,
                questions=asked, children=None if suppress else children, sample=sample)


def tables(pack: Pack) -> list[Table]:
    """Every table the pack prints, in order."""
    return [b for s in pack.sections for b in s.blocks if isinstance(b, Table)]


# ---------------------------------------------------------------- HTML
PACK_CSS = CSS + """
@media print{body{max-width:none;margin:0} h2{break-after:avoid} table{break-inside:auto} tr{break-inside:avoid}}
.confidential{border:3px solid #d4351c;padding:.5em 1em;font-weight:bold}
"""


def _note(pack: Pack) -> str:
    return DISCLOSURE_NOTE if pack.leaders else CONFIDENTIAL_NOTE


def to_html(pack: Pack) -> str:
    """The pack as one self-contained, printable HTML page: headings, captioned tables, no chart."""
    out = html_start(pack.title, pack.stamp, PACK_CSS)
    out.append(f'<p class="{"note" if pack.leaders else "confidential"}">{esc(_note(pack))}</p></header><main>')
    out.append("<nav><h2>Contents</h2><ol>" + "".join(
        f'<li><a href="#section-{n}">{esc(s.title.split(". ", 1)[-1])}</a></li>'
        for n, s in enumerate(pack.sections, 1)) + "</ol></nav>")
    for n, sec in enumerate(pack.sections, 1):
        out.append(f'<section id="section-{n}"><h2>{esc(sec.title)}</h2>')
        for block in sec.blocks:
            if isinstance(block, Heading):
                out.append(f"<h3>{esc(block.text)}</h3>")
            elif isinstance(block, Bullets):
                out.append("<ul>" + "".join(f"<li>{esc(item)}</li>" for item in block.items) + "</ul>")
            elif isinstance(block, Table):
                out.append(html_table(block.frame, block.caption) if not block.frame.empty
                           else f"<p>{esc(block.caption)}: none.</p>")
            else:
                out.append(f"<p>{esc(block)}</p>")
        out.append("</section>")
    out.append(html_end(pack.stamp))
    return "\n".join(out)


# ---------------------------------------------------------------- PDF
def to_pdf(pack: Pack) -> bytes:
    """The pack as PDF (fpdf2): the same content as the HTML, tables with heading rows."""
    from fpdf.fonts import FontFace

    pdf, width, text = pdf_document(pack.title, pack.stamp)

    def column_width(column: str, cells: pd.Series) -> float:
        """Room for the column's longest unbreakable word (an id must not wrap; headings are bold) and for
        most of its longest cell, so that only long text wraps."""
        texts = [pdf_text(v) for v in cells]
        words = [w for text in texts for w in text.split()]
        longest_word = max([pdf.get_string_width(w) for w in words] + [0])
        pdf.set_font(style="B")
        heading_word = max([pdf.get_string_width(w) for w in pdf_text(column).split()] + [0])
        pdf.set_font(style="")
        longest_cell = max([pdf.get_string_width(text) for text in texts] + [0])
        return max(longest_word, heading_word, min(45.0, longest_cell), 5.0) + 2.5

    def grid(table: Table):
        text(9, table.caption, "B", 4.6)
        if table.frame.empty:
            text(9, "None.", height=4.6)
            return
        pdf.set_font("Helvetica", "", 7.5 if len(table.frame.columns) > 5 else 8.5)
        pdf.set_text_color(11, 12, 12)
        weights = [column_width(column, table.frame[column]) for column in table.frame.columns]
        with pdf.table(col_widths=tuple(weights), line_height=4.2, text_align="LEFT", padding=0.8, width=width,
                       headings_style=FontFace(emphasis="BOLD", fill_color=(243, 242, 241))) as rows:
            header = rows.row()
            for column in table.frame.columns:
                header.cell(pdf_text(column))
            for values in table.frame.itertuples(index=False):
                row = rows.row()
                for value in values:
                    row.cell(pdf_text("" if value is None or (isinstance(value, float) and math.isnan(value))
                                      else value))
        pdf.ln(2)

    text(9.5, _note(pack), "" if pack.leaders else "B", 4.6, (80, 90, 95) if pack.leaders else (212, 53, 28))
    for sec in pack.sections:
        pdf.ln(4)
        if pdf.get_y() > pdf.h - 60:
            pdf.add_page()
        text(14, sec.title, "B", 7)
        for block in sec.blocks:
            if isinstance(block, Heading):
                pdf.ln(1)
                text(11, block.text, "B", 5.5)
            elif isinstance(block, Bullets):
                for item in block.items:
                    text(9.5, f"- {item}", height=4.8)
            elif isinstance(block, Table):
                grid(block)
            else:
                text(9.5, block, height=4.8)
    return bytes(pdf.output())
