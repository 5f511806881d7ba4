"""The Quality assurance screen's own sections: audit volume, grades with intervals, moderation, actions,
themes, triangulation and the case sampler."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import indicators, queries, sampling, stats
from ..charts import AUDIT_TYPE_WORDS, audit_volume_chart, interval_chart, lines_chart, triangulation_chart
from ..compute import Scope
from ..periods import chart_months
from .data import cache_key, indicator_frame, registered, settings, snapshot_db
from .frame import ALL, Filters
from .widgets import (chart_or_table, child_rows, children_table, definition_popover, guarded, headline, lists_allowed,
                      table, team_links, url_choice,
                      url_number)

GOOD_OR_BETTER = "audits_good_or_better_pct"
TRIANGULATION = {GOOD_OR_BETTER: "audits good or better",
                 "cla_visits_in_timescale_pct": "CLA visits in timescale",
                 "assessments_45wd_pct": "assessments within 45 working days",
                 "icpc_15wd_pct": "ICPCs within 15 working days"}
CASE_TYPES = {"all": "All open cases (CIN, CP and CLA)", "CIN": "Children in need (CIN)",
              "CP": "Child protection plans (CP)", "CLA": "Children looked after (CLA)"}


@st.cache_data(show_spinner=False, max_entries=100)
def _qa(root: str, snapshot_id: str, fingerprint: str, what: str, *args):
    """One cached QA query by name: every QA frame is small and keyed on the snapshot and filters."""
    db = snapshot_db(root, snapshot_id, fingerprint)
    *rest, teams = args
    return getattr(queries, what)(db, *rest, Scope(teams))


def audit_target() -> float:
    target = settings().targets.get("audits_completed")
    return float(target.value) if target else float(settings().standards.get("audit_target_per_month", 25))


def audit_volume(filters: Filters) -> None:
    """Audits per month against the target; themed and dip-sample audits apart; by team and by auditor."""
    with guarded("Audit volume"):
        periods = chart_months(filters.period)
        volume = _qa(*cache_key(filters), "audit_volume", tuple(periods), filters.scope.teams)
        if volume is None:
            st.warning("Unavailable: the snapshot has no QA audit log (qa_audits).")
            return
        volume = volume.assign(month=pd.to_datetime(volume["period_from"]))
        case = volume[volume["audit_type"] == "case"]
        target = audit_target()
        recent = case.tail(6)
        per_month = recent["audits"].mean() if len(recent) else 0
        team_note = "" if filters.team == ALL and filters.service == ALL else \
            f" (for {filters.scope_label}; the target is the authority's)"
        st.markdown(f"**{int(case['audits'].sum()):,}** case audits in {filters.period}. Over the last "
                    f"{len(recent)} months: **{per_month:.1f} a month** against a target of **{target:g}**"
                    f" ({100 * per_month / target:.0f}% of target){team_note}; "
                    f"{int((recent['audits'] >= target).sum())} of those months met it.")
        wide = volume.pivot_table(index="month", columns="audit_type", values="audits", aggfunc="sum") \
            .reindex(columns=["case", "thematic", "dip_sample"], fill_value=0).reset_index()
        wide = wide.assign(month=wide["month"].dt.strftime("%Y-%m"), target=target).rename(
            columns={"case": "case audits", "thematic": "thematic audits", "dip_sample": "dip samples"})
        chart_or_table(audit_volume_chart(volume, target), wide, "audits each month against the target",
                       "audits_by_month.csv", "audit_volume")
        by_team, by_auditor = st.tabs(["By team", "By auditor"])
        with by_team:
            teams = _qa(*cache_key(filters), "audits_by", filters.period, "team", filters.scope.teams)
            teams = teams.assign(who=teams["who"].map(filters.team_name)).rename(columns={"who": "team"})
            table(teams, "audits_by_team.csv", "audits_by_team")
        with by_auditor:
            auditors = _qa(*cache_key(filters), "audits_by", filters.period, "auditor", filters.scope.teams)
            st.caption("Auditors by staff id: team managers and the principal social worker.")
            table(auditors.rename(columns={"who": "auditor"}), "audits_by_auditor.csv", "audits_by_auditor")


def with_wilson(frame: pd.DataFrame) -> pd.DataFrame:
    """Add low and high (%), the Wilson 95% interval of numerator/denominator, and n."""
    bounds = [stats.wilson_interval(int(k), int(n)) if pd.notna(n) and n > 0 else None
              for k, n in zip(frame["numerator"].fillna(0), frame["denominator"].fillna(0))]
    return frame.assign(low=[100 * b[0] if b else None for b in bounds],
                        high=[100 * b[1] if b else None for b in bounds],
                        n=frame["denominator"].fillna(0).astype(int))


def interval_text(row: pd.Series) -> str:
    if not row["n"]:
        return "no graded audits"
    return f"{row['value']:.0f}% ({row['low']:.0f}%–{row['high']:.0f}%, n = {row['n']})"


def audit_grades(filters: Filters) -> None:
    """Good-or-better share per month and per team, each with its Wilson 95% interval and n."""
    if not registered(GOOD_OR_BETTER):
        return
    indicator = indicators.get(GOOD_OR_BETTER)
    with guarded("Audit grades"):
        overall = with_wilson(indicator_frame(filters, GOOD_OR_BETTER, [filters.period])).iloc[0]
        if overall["unavailable"]:
            st.warning(f"Unavailable: {overall['unavailable']}")
            return
        st.markdown(f"In {filters.period}, **{interval_text(overall)}** of graded case audits were good or "
                    "outstanding (final grade after moderation). The range is the 95% interval: with few "
                    "audits the true share could lie anywhere in it.")
        definition_popover(indicator)
        monthly = with_wilson(indicator_frame(filters, GOOD_OR_BETTER, chart_months(filters.period)))
        monthly = monthly.assign(month=pd.to_datetime(monthly["from"]))
        st.markdown("**Month by month**")
        chart_or_table(interval_chart(monthly[monthly["n"] > 0], "month", "month", "% good or better", over_time=True),
                       monthly[["from", "to", "numerator", "denominator", "value", "low", "high"]],
                       "audits graded good or better each month", "audit_grades_by_month.csv", "grades_monthly")
        st.markdown("**By team**")
        teams = grades_by_team(filters)
        if teams.empty:
            st.write("No graded case audits for the teams in view.")
            return
        st.caption("A team is called higher or lower than the rest of the authority only when the two 95% "
                   "intervals do not overlap; otherwise the difference may be chance.")
        shown_as_table = chart_or_table(
            interval_chart(teams, "team_name", "team", "% good or better"),
            teams[["team_name", "numerator", "denominator", "value", "low", "high", "compared with the rest"]],
            "audits graded good or better by team", "audit_grades_by_team.csv", "grades_teams")
        team_links(filters, list(teams["team"]))
        if not shown_as_table:
            different = teams[teams["compared with the rest"] != "no clear difference"]
            st.write("No team's share differs clearly from the rest of the authority." if different.empty else
                     "; ".join(f"{r.team_name}: {r['compared with the rest']} than the rest"
                               for _, r in different.iterrows()) + ".")


def grades_by_team(filters: Filters) -> pd.DataFrame:
    """Per team: good-or-better share with its interval, and how it compares with the rest of the authority."""
    frame = with_wilson(indicator_frame(filters, GOOD_OR_BETTER, [filters.period], by_team=True))
    frame = frame[frame["n"] > 0]
    total_k, total_n = frame["numerator"].sum(), frame["denominator"].sum()

    def against_rest(row):
        rest_n = total_n - row["denominator"]
        rest = stats.wilson_interval(int(total_k - row["numerator"]), int(rest_n)) if rest_n > 0 else None
        return stats.compare_to_rest((row["low"] / 100, row["high"] / 100), rest)

    return frame.assign(team_name=frame["team"].map(filters.team_name),
                        **{"compared with the rest": frame.apply(against_rest, axis=1) if len(frame) else []})


def moderation(filters: Filters) -> None:
    """How often the moderator agrees with the auditor, and which way grades move when not."""
    with guarded("Moderation"):
        if registered("audit_moderation_agreement_pct"):
            headline(filters, "audit_moderation_agreement_pct")
        moderated = _qa(*cache_key(filters), "moderation", filters.period, filters.scope.teams)
        if moderated is None or moderated.empty:
            st.write("No moderated case audits in the period.")
            return
        outcome = moderated.groupby("outcome", as_index=False)["audits"].sum()
        words = ", ".join(f"**{r.audits}** {r.outcome}" for r in outcome.itertuples())
        st.markdown(f"Of {int(outcome['audits'].sum())} moderated case audits: {words}. A moderator grading "
                    "down more often than up suggests auditors grade generously.")
        table(moderated, "audit_moderation.csv", "moderation")


def audit_actions(filters: Filters) -> None:
    """Actions raised and due each month, how many were done on time, and the overdue list for managers."""
    with guarded("Audit actions"):
        if registered("audit_actions_on_time_pct"):
            headline(filters, "audit_actions_on_time_pct")
        periods = chart_months(filters.period)
        monthly = _qa(*cache_key(filters), "actions_by_month", tuple(periods), filters.scope.teams)
        if monthly is None:
            st.warning("Unavailable: the snapshot has no audit actions (qa_actions).")
            return
        monthly = monthly.assign(month=pd.to_datetime(monthly["period_from"]))
        long = monthly.melt(id_vars="month", value_vars=["raised", "completed_on_time", "completed_late",
                                                         "not_completed"], var_name="series", value_name="value")
        long["series"] = long["series"].str.replace("_", " ")
        chart_or_table(lines_chart(long, "actions", ["raised", "completed on time", "completed late", "not completed"]),
                       monthly.drop(columns=["month"]), "audit actions each month", "audit_actions_by_month.csv",
                       "actions_monthly")
        overdue = _qa(*cache_key(filters), "actions_overdue", filters.as_at, filters.scope.teams)
        st.markdown(f"**Overdue at {filters.as_at:%d %B %Y}**: {len(overdue):,} action(s) past their due date and "
                    "not completed, most overdue first.")
        if not overdue.empty:
            children_table(filters, overdue, "audit_actions_overdue.csv", "actions_overdue",
                           "audit actions overdue")


def audit_themes(filters: Filters) -> None:
    """Themes audited in the period and the quarter before, with how often each found practice below good."""
    with guarded("Audit themes"):
        frame = _qa(*cache_key(filters), "audit_themes", (filters.period,), filters.scope.teams)
        if frame is None or frame.empty:
            st.write("No audits in the period.")
            return
        frame = frame.assign(audit_type=frame["audit_type"].map(AUDIT_TYPE_WORDS).fillna(frame["audit_type"]))
        frame = frame.assign(share_below_good=(100 * frame["graded_below_good"] / frame["audits"]).round(0))
        recurring = frame[(frame["audit_type"] == "case audits")].sort_values("graded_below_good", ascending=False)
        if not recurring.empty:
            top = recurring.iloc[0]
            st.markdown(f"The theme most often graded below good in case audits: **{top['theme']}** "
                        f"({int(top['graded_below_good'])} of {int(top['audits'])}).")
        table(frame.drop(columns=["period_from", "period_to"]), "audit_themes.csv", "themes")


def triangulation(filters: Filters) -> None:
    """Each team's audit grades beside its timeliness, so quality is read with performance, not apart."""
    ids = [i for i in TRIANGULATION if i in indicators.REGISTRY]
    if GOOD_OR_BETTER not in ids:
        return
    with guarded("Triangulation"):
        frames = []
        for indicator_id in ids:
            frame = indicator_frame(filters, indicator_id, [filters.period], by_team=True)
            if frame["unavailable"].notna().any():
                continue
            frames.append(frame.assign(measure=TRIANGULATION[indicator_id], indicator=indicator_id))
        long = pd.concat(frames, ignore_index=True)
        long = long[long["denominator"].fillna(0) > 0]
        long = long.assign(team_name=long["team"].map(filters.team_name), n=long["denominator"].astype(int))
        grades = grades_by_team(filters).set_index("team")
        wide = long.pivot_table(index="team_name", columns="measure", values="value").round(1)
        counts = long.pivot_table(index="team_name", columns="measure", values="n").add_suffix(" (n)")
        shown = pd.concat([wide, counts], axis=1).sort_index(axis=1).reset_index()
        reading = {filters.team_name(t): r["compared with the rest"] for t, r in grades.iterrows()}
        shown["audit grades compared with the rest"] = shown["team_name"].map(
            lambda t: reading.get(t, "no graded audits"))
        st.caption(f"{filters.period}. Each measure keeps its own definition and n; a team with few audits "
                   "says little about its practice. Teams that audit well and meet timescales are doing both; "
                   "where timeliness is high but grades are low, the figures may run ahead of practice.")
        chart_or_table(triangulation_chart(long[["team_name", "measure", "value", "n"]]),
                       shown.rename(columns={"team_name": "team"}), "audit grades beside timeliness, by team",
                       "triangulation.csv", "triangulation")
        team_links(filters, list(long["team"].unique()))


def case_sampler(filters: Filters) -> None:
    """A reproducible, team-stratified random sample of open cases not audited in the last 6 months."""
    if not lists_allowed(filters, "The case sampler"):
        return
    with guarded("The case sampler"):
        population = _qa(*cache_key(filters), "open_cases", filters.as_at, filters.scope.teams)
        if population is None:
            st.warning("Unavailable: the sampler needs the CIN, CP, CLA, department and audit tables.")
            return
        case_type = url_choice("Population", list(CASE_TYPES), key="sample_population", default="all",
                               format_func=CASE_TYPES.get)
        chosen = population if case_type == "all" else population[population["case_type"] == case_type]
        eligible = sampling.not_recently_audited(chosen, filters.as_at)
        st.caption(f"{len(chosen):,} open case(s) at {filters.as_at:%d %B %Y} for {filters.scope_label}; "
                   f"{len(chosen) - len(eligible):,} audited in the last {sampling.RECENTLY_AUDITED_MONTHS} months "
                   f"are left out, leaving **{len(eligible):,}** to sample from. The team and service filters "
                   "in the sidebar narrow the population.")
        if eligible.empty:
            st.write("No case to sample.")
            return
        size_by = url_choice("Sample size", ["number", "margin"], key="sample_by", default="number",
                             format_func={"number": "A number of cases", "margin": "A margin of error"}.get)
        left, right = st.columns(2)
        if size_by == "number":
            with left:
                size = url_number("Cases to sample", "sample_n", min(int(audit_target()), len(eligible)), 1,
                                  len(eligible))
            margin = stats.margin_of_error(size, len(eligible))
            note = f"±{100 * margin:.1f} points at 95% confidence for a share near 50%" if margin else "every case"
        else:
            with left:
                margin_pct = url_number("Margin of error (± percentage points)", "sample_margin", 10, 1, 50)
            with right:
                expected = url_number("Expected share (%)", "sample_expected", 50, 1, 99,
                                      help="Your best guess of the share you are measuring; 50% is the most "
                                           "cautious and needs the most cases.")
            size = stats.sample_size(len(eligible), expected / 100, margin_pct / 100)
            note = f"enough for ±{margin_pct} points at 95% confidence if the share is near {expected}%"
        seed = url_number("Random seed", "sample_seed", int(filters.as_at.strftime("%Y%m")), 0, 2**31 - 1,
                          help="The same seed, snapshot and choices give the same sample: note it to redraw it.")
        sample = sampling.draw(eligible, size, seed)
        st.markdown(f"**{len(sample)} case(s)** drawn with seed **{seed}** from {len(eligible):,} ({note}), "
                    "split across teams in proportion to their open cases.")
        shown = sample.assign(team_name=sample["team"].map(filters.team_name),
                              service=sample["service_id"].map(filters.service_name)).rename(
            columns={"person_id": "child (pseudonymous id)", "worker_id": "worker",
                     "stratum_size": "team's eligible cases", "stratum_sample": "team's sample"})
        shown, logged = child_rows(filters, shown, f"audit sample drawn with seed {seed}")
        table(shown, f"audit_sample_{filters.as_at:%Y%m%d}_seed{seed}.csv", "sample",
              name=f"audit sample drawn with seed {seed}", csv_only=("team", "service_id"), logged=logged)


def sample_size_calculator(default_population: int) -> None:
    """How many cases to audit for a share known to ± a margin: the finite-population formula, worked."""
    left, middle, right, last = st.columns(4)
    with left:
        population = int(st.number_input("Population (N)", min_value=1, value=max(1, default_population),
                                         step=1, key="calc_population"))
    with middle:
        expected = st.number_input("Expected share (%)", min_value=1.0, max_value=99.0, value=50.0, step=5.0,
                                   key="calc_expected")
    with right:
        margin = st.number_input("Margin of error (±%)", min_value=0.5, max_value=50.0, value=5.0, step=0.5,
                                 key="calc_margin")
    with last:
        confidence = st.selectbox("Confidence", [90, 95, 99], index=1, key="calc_confidence",
                                  format_func=lambda c: f"{c}%")
    needed = stats.sample_size(population, expected / 100, margin / 100, confidence / 100)
    st.metric("Cases to audit", f"{needed:,}")
    st.caption(f"n₀ = z²·p(1−p)/e², then n = n₀ / (1 + (n₀ − 1)/N), rounded up: N = {population:,}, "
               f"p = {expected:g}%, e = ±{margin:g}%, {confidence}% confidence.")
