"""The Overview screen's own sections: at a glance, the headline tiles with SPC badges, what changed since the
last snapshot, the SPC and benchmark explorers and the board's highlight report."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import benchmarks, charts, headlines, indicators, narrative, report
from ..charts import sparkline
from ..compute import Scope
from ..headlines import authority_of
from ..periods import (Period, add_months, change_label, is_weekly, last_complete_month_end, month_end,
                       months, weeks)
from ..revisions import revised_figures
from .data import (cache_key, fingerprint_of, latest_published, previous_snapshot, root_settings, settings, snapshot_db,
                   year_label)
from . import door
from .frame import Filters
from .widgets import chart_or_table, guarded, help_words, link_to_indicator, spec_chart, table, url_choice

VARIATION_BADGES = {
    "improvement_high": ("green", "▲ improving"), "improvement_low": ("green", "▼ improving"),
    "concern_high": ("orange", "▲ concern"), "concern_low": ("orange", "▼ concern"),
    "neither_high": ("blue", "▲ unusually high"), "neither_low": ("blue", "▼ unusually low"),
    "common_cause": ("gray", "● no significant change"), "not_enough_points": ("gray", "○ too few months to judge"),
}
ASSURANCE_BADGES = {"consistent_pass": ("green", "✓ target met consistently"),
                    "consistent_fail": ("red", "✗ target not met consistently"),
                    "inconsistent": ("orange", "~ target hit and miss")}
IMPROVING = ("improvement_high", "improvement_low")
CONCERN = ("concern_high", "concern_low")


@st.cache_data(show_spinner="Computing the headline indicators…", max_entries=30)
def _headlines(root: str, snapshot_id: str, fingerprint: str, ids: tuple[str, ...], as_at: dt.date, teams):
    db = snapshot_db(root, snapshot_id, fingerprint)
    return headlines.headlines(db, root_settings(root), list(ids), as_at, teams)


def overview_as_at(filters: Filters) -> dt.date:
    """Tiles show the last complete month of the chosen period."""
    return last_complete_month_end(min(filters.period.end, filters.as_at))


def headline_figures(filters: Filters, ids: list[str]) -> dict:
    """The headlines for the filters; for a wider audience (members) with small numbers suppressed."""
    ids = tuple(i for i in ids if i in indicators.REGISTRY)
    figures = _headlines(*cache_key(filters), ids, overview_as_at(filters), filters.scope.teams)
    if filters.aggregates_only:
        return {i: report.suppressed(h) for i, h in figures.items()}
    return figures


def spc_words(h) -> str:
    """The SPC reading in plain words, under a tile's badges."""
    if h.spc is None:
        return narrative.variation_words(h.variation)
    return " ".join(p for p in (h.spc.variation_text, h.spc.assurance_text) if p)


def at_a_glance(figures: dict) -> None:
    """The three questions a leader asks first: what improved for real, what needs attention, how we compare.

    An indicator improving for real while still missing its target is listed once, under improvement,
    in one sentence that says both; it is not also listed as needing attention.
    """
    available = [h for h in figures.values() if not h.unavailable and h.value is not None]
    improving = [h for h in available if h.variation in IMPROVING]
    concern = [h for h in available
               if h.variation in CONCERN or (h.assurance == "consistent_fail" and h.variation not in IMPROVING)]
    left, middle, right = st.columns(3)
    with left, st.container(border=True):
        st.markdown("**Improved for real** (special cause in the latest month)")
        for h in improving:
            value = narrative.format_value(h.indicator, h.value)
            if h.assurance == "consistent_fail" and h.target:
                target = narrative.format_level(h.indicator, h.target.value)
                st.markdown(f"- {h.indicator.title}: {value}, improving for real but not yet reliably meeting "
                            f"its target of {target}")
            else:
                st.markdown(f"- {h.indicator.title}: {value}")
        if not improving:
            st.write("No headline indicator shows special-cause improvement in its latest month.")
    with middle, st.container(border=True):
        st.markdown("**Needs attention** (special-cause concern, or a target not met consistently and not improving)")
        for h in concern:
            why = "concern" if h.variation in CONCERN else "target not met consistently"
            st.markdown(f"- {h.indicator.title}: {narrative.format_value(h.indicator, h.value)} ({why})")
        if not concern:
            st.write("No headline indicator shows special-cause concern or a target consistently missed.")
    with right, st.container(border=True):
        st.markdown("**Against England** (our latest figure beside England's latest published)")
        better, worse, lines = 0, 0, []
        for h in available:
            england = h.benchmark.england if h.benchmark else None
            if england is None or h.indicator.direction is None:
                continue
            ahead = h.value > england if h.indicator.direction == "higher" else h.value < england
            better, worse = better + ahead, worse + (not ahead and h.value != england)
            lines.append(f"- {h.indicator.title}: {narrative.format_value(h.indicator, h.value)} against "
                         f"England {narrative.format_value(h.indicator, england)} ({narrative.year_label(h.benchmark)})"
                         f" — {'better' if ahead else 'worse' if h.value != england else 'the same'}")
        st.markdown(f"Better than England on **{better}** and worse on **{worse}** of {len(lines)} comparable "
                    "measures. Published figures lag: compare the direction, not the decimal.")
        with st.expander("Each comparison"):
            st.markdown("\n".join(lines) if lines else "None published.")


def sparkline_table(series: pd.DataFrame, indicator) -> pd.DataFrame:
    """A sparkline's months as rows, values rounded as the tile shows them."""
    return pd.DataFrame({"month": pd.to_datetime(series["to"]).dt.strftime("%b %Y"),
                         indicator.unit_label: series["value"].map(lambda v: narrative.format_value(indicator, v))})


@st.cache_data(show_spinner=False, max_entries=5000)
def sparkline_spec(month_ends: tuple, values: tuple, unit_label: str) -> dict:
    """A tile's sparkline in Vega-Lite, built and validated once per series, not on every run of every session
    (Altair spends some 50 ms a chart on that; the Overview draws 27)."""
    return sparkline(pd.DataFrame({"to": list(month_ends), "value": list(values)}), unit_label).to_dict()


def overview_tile(h, as_tables: bool = False, linked: bool = True) -> None:
    """One headline: value with period and n, change on a year earlier, sparkline, SPC, target, benchmarks, link."""
    indicator = h.indicator
    with st.container(border=True):
        if h.unavailable:
            st.metric(indicator.title, "unavailable", help=help_words(indicator))
            st.caption(h.unavailable)
            return
        if "value" in h.suppressed:
            st.metric(indicator.title, report.SUPPRESSED, help=help_words(indicator))
            st.caption(f"{narrative.period_words(h.basis, h.period)} · suppressed: it rests on a count of 1 to 5, "
                       "which is not shown to a wider audience")
            return
        delta = None
        if h.value is not None and h.previous_value is not None:
            change = h.value - h.previous_value
            unit = " points" if indicator.unit == indicators.PERCENT else ""
            delta = f"{change:+,.1f}{unit} on a year earlier"
        st.metric(indicator.title, narrative.format_value(indicator, h.value), delta=delta, delta_color="off",
                  help=help_words(indicator))
        n = (f"{h.numerator:,.0f} of {h.denominator:,.0f}" if indicator.unit == indicators.PERCENT
             and h.denominator is not None else f"n = {h.numerator:,.0f}" if h.numerator is not None else "")
        st.caption(f"{narrative.period_words(h.basis, h.period)} · {n} · {indicator.better}")
        months_shown = h.series.dropna(subset=["value"])
        if len(months_shown) > 1:
            if as_tables:
                table(sparkline_table(months_shown, indicator), f"{indicator.id}_recent_months.csv",
                      f"spark_{indicator.id}", name=f"{indicator.title}, recent months")
            else:
                with st.container(key=f"sparkline_{indicator.id}"):
                    spec_chart(sparkline_spec(tuple(h.series["to"]), tuple(h.series["value"]), indicator.unit_label),
                               f"{indicator.title}, recent months")
        colour, words = VARIATION_BADGES.get(h.variation or "not_enough_points", VARIATION_BADGES["not_enough_points"])
        badges = f":{colour}-badge[{words}]"
        if h.assurance in ASSURANCE_BADGES:
            a_colour, a_words = ASSURANCE_BADGES[h.assurance]
            badges += f" :{a_colour}-badge[{a_words}]"
        st.markdown(badges)
        if spc_words(h):
            with st.expander("What the badges mean"):
                st.write(spc_words(h))
        facts = []
        if h.target:
            facts.append(f"target {narrative.format_level(indicator, h.target.value)}")
        if h.benchmark:
            b = h.benchmark
            if b.england is not None:
                facts.append(f"England {narrative.format_value(indicator, b.england)}")
            if b.neighbours is not None:
                facts.append(f"neighbours {narrative.format_value(indicator, b.neighbours)}")
            facts.append(f"({narrative.year_label(b)})")
        if facts:
            st.caption(" · ".join(facts))
        if linked:  # a wider audience has no area pages to open
            link_to_indicator(indicator.id, label=f"Open in {indicators.AREAS[indicator.area]}")


def overview_tiles(filters: Filters, groups: dict[str, list[str]], per_row: int = 3) -> None:
    """Every headline indicator as a tile, grouped by area."""
    with guarded("The headline indicators"):
        figures = headline_figures(filters, [i for ids in groups.values() for i in ids])
        st.header("At a glance")
        at_a_glance(figures)
        as_tables = st.toggle("Show each tile's recent months as a table instead of a sparkline", key="tiles_as_tables")
        for area, ids in groups.items():
            shown = [figures[i] for i in ids if i in figures]
            if not shown:
                continue
            st.header(indicators.AREAS[area])
            for start in range(0, len(shown), per_row):
                for column, h in zip(st.columns(per_row), shown[start:start + per_row]):
                    with column:
                        overview_tile(h, as_tables, linked=not filters.aggregates_only)


def spc_explorer(filters: Filters, ids: list[str]) -> None:
    """One indicator's SPC chart with its limits and special-cause points, in words and as a table."""
    ids = [i for i in ids if i in indicators.REGISTRY]
    if not ids:
        return
    chosen = url_choice("Indicator", ids, key="spc", default=ids[0], format_func=lambda i: indicators.get(i).title)
    with guarded("The SPC chart"):
        h = headline_figures(filters, [chosen])[chosen]
        if h.unavailable or h.spc is None:
            st.warning(f"Unavailable: {h.unavailable or 'no values'}")
            return
        st.markdown(spc_words(h))
        points = h.spc.points
        chart_or_table(charts.spc_chart(h.spc, h.indicator.title, h.indicator.unit_label,
                                        h.target.value if h.target else None),
                       points, f"SPC chart of {h.indicator.title}", f"{chosen}_spc.csv", "spc")
        st.caption("Statistical process control (Making Data Count): the centre line is the mean; the dashed "
                   "lines are the process limits (mean ± 2.66 × the mean moving range). A point outside them, 7 "
                   "rising or falling in a row, 7 on one side of the mean, or 2 of 3 near a limit is special cause: "
                   "a real change, not noise. Points are single months, so a small month moves more than the "
                   "12-month figure on the tile.")


def benchmark_explorer(filters: Filters, ids: list[str]) -> None:
    """Our latest figure beside our own published one, England, the region and the neighbours; the neighbours chart."""
    comparable = [i for i in ids if i in indicators.REGISTRY and i in benchmarks.COMPARABLE]
    if not comparable:
        return
    chosen = url_choice("Measure", comparable, key="benchmark", default=comparable[0],
                        format_func=lambda i: indicators.get(i).title)
    indicator = indicators.get(chosen)
    with guarded("The benchmarks"):
        h = headline_figures(filters, [chosen])[chosen]
        authority = authority_of(settings())
        published = benchmarks.published(chosen, **authority)
        if published.empty:
            st.write("No comparable published figure.")
            return
        latest = latest_published(chosen, filters.as_at)
        ours = report.SUPPRESSED if "value" in h.suppressed else narrative.format_value(indicator, h.value)
        st.markdown(f"**Ours now**: {ours} "
                    f"({narrative.period_words(h.basis, h.period)}, computed from the snapshot)."
                    + (f" {benchmarks.COMPARABLE[chosen].note}" if benchmarks.COMPARABLE[chosen].note else ""))
        shown = published.drop(columns=[c for c in ("note", "measure") if c in published.columns]).round(1)
        st.caption(f"Published figures by year ({benchmarks.SOURCE}). 'authority' is {settings().name}'s own "
                   "published figure; 'neighbours' the mean of its statistical neighbours.")
        table(shown, f"{chosen}_benchmarks.csv", "benchmarks")
        if latest is None:
            return
        frame = benchmarks.neighbour_values(chosen, int(latest["year"]), **authority)
        if frame.empty:
            return
        st.markdown(f"**{settings().name} against its statistical neighbours, {year_label(latest)}**")
        chart_or_table(charts.neighbours_chart(frame, indicator.title, indicator.unit_label), frame,
                       f"{indicator.title}: {settings().name} and its statistical neighbours",
                       f"{chosen}_neighbours.csv", "neighbours")
    not_comparable = [i for i in ids if i in benchmarks.NOT_COMPARABLE]
    if not_comparable:
        with st.expander("Indicators with no published comparator, and why"):
            st.markdown("\n".join(f"- **{indicators.get(i).title}**: {benchmarks.NOT_COMPARABLE[i]}"
                                   for i in not_comparable if i in indicators.REGISTRY))


@st.cache_data(show_spinner=False, max_entries=10)
def _report(root: str, snapshot_id: str, fingerprint: str, as_at: dt.date, teams, filters_text: str):
    return report.build(snapshot_db(root, snapshot_id, fingerprint), root_settings(root), as_at, teams, filters_text)


def highlight_report(filters: Filters) -> None:
    """The Improvement Operations Board's report: each priority in words and charts, as HTML or PDF."""
    with guarded("The highlight report"):
        priorities = settings().priorities
        if not priorities:
            st.write("No improvement priorities are configured in local_authority.toml.")
            return
        as_at = overview_as_at(filters)
        filters_text = f"{filters.scope_label}; period ending {as_at:%d %B %Y}"
        built = _report(*cache_key(filters), as_at, filters.scope.teams, filters_text)
        st.caption(f"{len(priorities)} improvement priorities from local_authority.toml, stamped with the snapshot "
                   f"({filters.as_at:%d %B %Y}), the period and the filters ({filters_text}). Small numbers are "
                   "suppressed: the report goes to a wider audience.")
        for section in built.sections:
            with st.expander(section.priority.name):
                if section.priority.recommendation:
                    st.caption(section.priority.recommendation)
                for item in section.indicators:
                    st.markdown(f"- {item.sentence}")
        stamp = f"{settings().name.lower()}_highlight_report_{as_at:%Y%m%d}"
        left, right = st.columns(2)
        logged = {"what": "the board's highlight report", "filters": filters.for_log(), "page": filters.page}
        with left:
            st.download_button("Download the report (HTML)", lambda: report.to_html(built), file_name=f"{stamp}.html",
                               mime="text/html", icon=":material/download:", key="report_html",
                               on_click=lambda: door.log_event("exported", **{**logged, "what": logged["what"]
                                                                               + " (HTML)"}))
        with right:
            st.download_button("Download the report (PDF)", lambda: report.to_pdf(built), file_name=f"{stamp}.pdf",
                               mime="application/pdf", icon=":material/picture_as_pdf:", key="report_pdf",
                               on_click=lambda: door.log_event("exported", **{**logged, "what": logged["what"]
                                                                               + " (PDF)"}))


@st.cache_data(show_spinner="Comparing with the previous snapshot…", max_entries=20)
def _revisions(root: str, snapshot_id: str, fingerprint: str, before_id: str, before_fingerprint: str,
               ids: tuple[str, ...], periods: tuple[Period, ...], teams) -> pd.DataFrame:
    now, before = snapshot_db(root, snapshot_id, fingerprint), snapshot_db(root, before_id, before_fingerprint)
    return revised_figures(now, before, list(ids), list(periods), root_settings(root), Scope(teams))


POINT_TYPE_WORDS = {"special_cause_improvement": "special cause: improvement",
                    "special_cause_concern": "special cause: concern",
                    "special_cause_neither": "special cause: unusual, neither better nor worse"}


def revision_periods(before_as_at: dt.date, weekly: bool, months_back: int = 12) -> list[list[Period]]:
    """The periods whose figures two extracts are compared over, in groups computed together.

    Monthly loads: the `months_back` months to the older extract's date. Weekly loads: the whole months to
    its last complete month (held in the indicator store, so read at once) and, apart, the four weeks to
    its date (computed live), the figures a weekly reader quoted last week.
    """
    if not weekly:
        return [months(add_months(before_as_at, -months_back) + dt.timedelta(days=1), before_as_at)]
    last_month_end = last_complete_month_end(before_as_at)
    whole_months = months(add_months(last_month_end, -months_back) + dt.timedelta(days=1), last_month_end)
    return [whole_months, weeks(before_as_at - dt.timedelta(days=27), before_as_at)]


def period_label(start: dt.date, end: dt.date) -> str:
    """'2021-06' for a calendar month, 'week to 24 Jul 2021' for a week, else the dates."""
    if start.day == 1 and end == month_end(start):
        return f"{start:%Y-%m}"
    if (end - start).days == 6:
        return f"week to {end:%d %b %Y}"
    return str(Period(start, end))


def what_changed(filters: Filters, ids: list[str], months_back: int = 12) -> None:
    """Since the last snapshot: headline figures whose newest month is special cause, and past figures revised.

    Where the last two snapshots are a week apart it reads week on week, and the last four weeks are
    compared too; SPC still reads calendar months, so a new monthly point appears only once a month ends.
    """
    before = previous_snapshot(filters)
    with guarded("What changed since the last snapshot"):
        if before is None:
            st.write("This is the first usable snapshot: there is nothing earlier to compare with.")
            return
        weekly = is_weekly([before.as_at, filters.as_at])
        since = (change_label(before.as_at, filters.as_at) if weekly
                 else f"since the snapshot of {before.as_at:%d %B %Y}")
        figures = headline_figures(filters, ids)
        moved = []
        for h in figures.values():
            if h.unavailable or h.spc is None or h.spc.points.empty:
                continue
            new_months = h.spc.points[pd.to_datetime(h.spc.points["x"]).dt.date > before.as_at]
            special = new_months[new_months["point_type"] != "common_cause"]
            for _, point in special.iterrows():
                kind = POINT_TYPE_WORDS.get(point["point_type"], str(point["point_type"]))
                moved.append(f"- {h.indicator.title}: {narrative.format_value(h.indicator, point['y'])} in "
                             f"{pd.Timestamp(point['x']):%B %Y} ({kind})")
        st.markdown(f"**Moved by special cause {since}**")
        st.markdown("\n".join(moved) if moved else "No headline indicator's newest month is special cause.")
        if weekly:
            st.caption(f"The charts read calendar months: a new point appears once a month ends. The newest "
                       f"complete month is {overview_as_at(filters):%B %Y}.")
        groups = revision_periods(before.as_at, weekly, months_back)
        ids_here = tuple(i for i in ids if i in indicators.REGISTRY)
        revised = pd.concat([_revisions(*cache_key(filters), before.id, fingerprint_of(before), ids_here,
                                        tuple(periods), filters.scope.teams) for periods in groups if periods],
                            ignore_index=True)
        if weekly:
            st.markdown(f"**Figures the newer extract tells differently** (the {months_back} months to "
                        f"{groups[0][-1].end:%B %Y} and the 4 weeks to {before.as_at:%d %B %Y}, "
                        f"{before.as_at:%d %B %Y} snapshot against {filters.as_at:%d %B %Y})")
        else:
            st.markdown(f"**Past months the newer extract tells differently** (the {months_back} months to "
                        f"{before.as_at:%B %Y}, {before.as_at:%d %B %Y} snapshot against {filters.as_at:%d %B %Y})")
        if revised.empty:
            st.write("No headline figure for those " + ("periods" if weekly else "months") + " was revised.")
            return
        when = "period" if weekly else "month"
        shown = revised.assign(indicator=revised["id"].map(lambda i: indicators.get(i).title),
                               **{when: [period_label(f, t) if weekly else f"{pd.Timestamp(f):%Y-%m}"
                                         for f, t in zip(revised["from"], revised["to"])]},
                               change=revised["value_now"] - revised["value_before"])
        shown = shown.iloc[shown["change"].abs().fillna(float("inf")).argsort()[::-1]]
        biggest = shown.iloc[0]
        st.caption(f"{len(shown)} figure(s) revised, mostly by records entered late. The largest: "
                   f"{biggest['indicator']} for {biggest[when]}, {biggest['value_before']:,.1f} → "
                   f"{biggest['value_now']:,.1f}. Largest changes first; quote the newer figure.")
        table(shown[["indicator", when, "value_before", "value_now", "change", "numerator_before", "numerator_now",
                     "denominator_before", "denominator_now"]].round(1), "revised_figures.csv", "revisions")
