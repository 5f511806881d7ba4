"""The board's highlight report: one section per improvement priority, as HTML and as PDF.

`build` gathers the figures (headlines.py) and the words (narrative.py) for every
priority in data/local_authority.toml; `to_html` and `to_pdf` lay them out. Both files
are self-contained (inline CSS, charts embedded as PNG drawn by vl-convert) and need no
network. The report leaves the dashboard for a wider audience, so disclosure control
applies: counts of 1 to 5 show as `c` (a true 0 stays 0), and a share, rate or mean
resting on such a count is suppressed too, so a shown denominator cannot reveal it.
No Streamlit here.
"""
from __future__ import annotations

import base64
import copy
import dataclasses
import datetime as dt
import html
import io
import json
import math
from dataclasses import dataclass, field

import pandas as pd

from . import narrative
from .db import SnapshotDB
from .headlines import ROLLING_YEAR, STOCK, Headline, headlines
from .indicators import COUNT, FTE, MEAN, PERCENT, RATE_PER_10K, Indicator
from .periods import last_complete_month_end
from .settings import LocalAuthority, Milestone, Priority, Target

SMALL_MIN, SMALL_MAX = 1, 5
SUPPRESSED = narrative.SUPPRESSED
# Workforce measures built from staff FTE (not counts of children): published unsuppressed, as the
# DfE's workforce census does.
FTE_BASED = frozenset({"sw_fte", "sw_agency_rate_pct", "sw_vacancy_rate_pct", "sw_turnover_rate_pct",
                       "sw_absence_rate_pct", "sw_avg_caseload"})
CHART_WIDTH, CHART_HEIGHT = 560, 170
DISCLOSURE_NOTE = (f"Disclosure control: counts of {SMALL_MIN} to {SMALL_MAX} are shown as '{SUPPRESSED}' "
                   "(a true 0 stays 0), and so is any share, rate or mean resting on such a count, with its "
                   "chart point, so a shown figure cannot reveal it. Staff FTE measures are not suppressed.")


# ---------------------------------------------------------------- disclosure control
def suppress_small(count) -> str:
    """A count as it may be published: 1-5 become 'c'; a true 0 stays '0'; None is ''."""
    if count is None or (isinstance(count, float) and math.isnan(count)):
        return ""
    if SMALL_MIN <= count <= SMALL_MAX:
        return SUPPRESSED
    return count_text(count)


def count_text(count) -> str:
    """A count as printed where no disclosure control applies: 1,234 (whole) or 12.5; None is ''."""
    if count is None or (isinstance(count, float) and math.isnan(count)):
        return ""
    return f"{count:,.0f}" if float(count).is_integer() else f"{count:,.1f}"


def _small(count) -> bool:
    return count is not None and not (isinstance(count, float) and math.isnan(count)) and SMALL_MIN <= count <= SMALL_MAX


def hides(indicator: Indicator, numerator, denominator) -> bool:
    """Whether a figure must be suppressed: it is, or rests on, a count of 1 to 5."""
    if indicator.id in FTE_BASED or indicator.unit == FTE:
        return False
    if indicator.unit in (COUNT, RATE_PER_10K):
        return _small(numerator)
    if indicator.unit == PERCENT:
        return _small(numerator) or _small(denominator)
    if indicator.unit == MEAN:
        return _small(denominator)
    return False


def suppressed(h: Headline) -> Headline:
    """A headline as a wider audience (members, the board) may see it on screen: a figure resting on a count
    of 1 to 5 is removed, not rounded, with its counts, its year-earlier figure and its chart points."""
    if h.unavailable:
        return h
    indicator = h.indicator
    hidden_now = hides(indicator, h.numerator, h.denominator)
    hidden_before = hides(indicator, h.previous_numerator, h.previous_denominator)
    series = h.series.copy()
    if not series.empty:
        hidden_rows = [hides(indicator, n, d) for n, d in zip(series["numerator"], series["denominator"])]
        series.loc[hidden_rows, ["value", "numerator", "denominator"]] = float("nan")
    return dataclasses.replace(
        h, series=series,
        value=None if hidden_now else h.value,
        numerator=None if hidden_now else h.numerator,
        denominator=None if hidden_now and indicator.unit == MEAN else h.denominator,
        previous_value=None if hidden_before else h.previous_value,
        previous_numerator=None if hidden_before else h.previous_numerator,
        previous_denominator=None if hidden_before and indicator.unit == MEAN else h.previous_denominator,
        suppressed=tuple(name for name, flag in (("value", hidden_now), ("previous", hidden_before)) if flag))


def _shown_count(indicator: Indicator, count, hidden: bool, suppress: bool = True) -> str:
    if count is None or (isinstance(count, float) and math.isnan(count)):
        return ""
    if indicator.id in FTE_BASED:
        return f"{count:,.1f}"
    if not suppress:
        return count_text(count)
    return SUPPRESSED if hidden and count != 0 else suppress_small(count)


def figure_texts(h: Headline, suppress: bool = True) -> tuple[str, str]:
    """A headline's latest value and what it rests on ('17 of 30', 'n = 12'), as the report prints them.

    With `suppress` (a wider audience) a figure resting on a count of 1 to 5 shows as 'c'; without it (the
    team's own managers) every figure is printed."""
    indicator = h.indicator
    if h.unavailable:
        return "unavailable", ""
    hidden_now = suppress and hides(indicator, h.numerator, h.denominator)
    value_text = SUPPRESSED if hidden_now else narrative.format_value(indicator, h.value)
    if indicator.unit == PERCENT:
        n_text = (f"{_shown_count(indicator, h.numerator, hidden_now, suppress)} of "
                  f"{_shown_count(indicator, h.denominator, False, suppress)}")
    elif indicator.unit == MEAN:
        n_text = f"n = {_shown_count(indicator, h.denominator, hidden_now, suppress)}"
    elif indicator.unit == RATE_PER_10K:
        n_text = f"{_shown_count(indicator, h.numerator, hidden_now, suppress)} children"
    else:
        n_text = ""
    return value_text, n_text


# ---------------------------------------------------------------- the report's content
@dataclass
class IndicatorSection:
    headline: Headline
    sentence: str                       # narrative, after disclosure control
    value_text: str
    n_text: str
    previous_text: str
    target_text: str
    trajectory: tuple[Milestone, ...]
    trajectory_text: str
    comparator_text: str
    table: pd.DataFrame                 # the chart's figures, month by month, after disclosure control
    hidden_x: tuple = ()                # series points suppressed from the chart
    png: bytes | None = None            # the chart, drawn on first use

    @property
    def indicator(self) -> Indicator:
        return self.headline.indicator


@dataclass
class Section:
    priority: Priority
    indicators: list[IndicatorSection]


@dataclass
class Report:
    title: str
    authority: str
    snapshot_date: dt.date
    as_at: dt.date
    period_text: str
    filters_text: str
    source: str
    generated: dt.datetime
    sections: list[Section] = field(default_factory=list)

    @property
    def stamp(self) -> list[tuple[str, str]]:
        return [("Snapshot", f"{self.snapshot_date:%-d %B %Y}"), ("Period", self.period_text),
                ("Filters", self.filters_text), ("Data source", self.source),
                ("Generated", f"{self.generated:%-d %B %Y %H:%M}")]


def _period_label(basis: str, start: dt.date, end: dt.date) -> str:
    if basis == ROLLING_YEAR:
        return f"12 months to {end:%b %Y}"
    if basis == STOCK:
        return f"end {end:%b %Y}"
    return f"{end:%b %Y}"


def _table(h: Headline) -> tuple[pd.DataFrame, tuple]:
    """The monthly figures behind the chart, with SPC limits, suppressed where disclosive."""
    indicator = h.indicator
    points = getattr(h.spc, "points", None)
    by_x = {}
    if isinstance(points, pd.DataFrame) and not points.empty:
        by_x = {pd.Timestamp(r["x"]).date(): r for _, r in points.iterrows()}
    rows, hidden_x = [], []
    for _, r in h.series.iterrows():
        hidden = hides(indicator, r["numerator"], r["denominator"])
        end = pd.Timestamp(r["to"]).date()
        if hidden:
            hidden_x.append(end)
        point = by_x.get(end)

        def limit(name):
            if point is None or pd.isna(point.get(name)):
                return ""
            return narrative.format_value(indicator, point[name])

        row = {"Period": _period_label(h.basis, r["from"], end),
               "Value": SUPPRESSED if hidden else narrative.format_value(indicator, r["value"])}
        if indicator.unit != COUNT:
            row["Count"] = _shown_count(indicator, r["numerator"], hidden)
        if indicator.unit in (PERCENT, MEAN):
            row["Of"] = _shown_count(indicator, r["denominator"], hidden and indicator.unit == MEAN)
        row |= {"Centre line": limit("mean"), "Lower limit": limit("lpl"), "Upper limit": limit("upl"),
                "Special cause": ("" if point is None or not bool(point.get("special_cause"))
                                  else str(point.get("rule") or "yes"))}
        rows.append(row)
    return pd.DataFrame(rows), tuple(hidden_x)


def _indicator_section(h: Headline, priority: Priority, as_at: dt.date) -> IndicatorSection:
    indicator = h.indicator
    hidden_now = hides(indicator, h.numerator, h.denominator)
    hidden_before = hides(indicator, h.previous_numerator, h.previous_denominator)
    hidden = {name for name, flag in (("value", hidden_now), ("previous", hidden_before)) if flag}
    milestones = priority.trajectories.get(indicator.id, ())
    value_text, n_text = figure_texts(h)
    table, hidden_x = _table(h)
    return IndicatorSection(
        headline=h, sentence=narrative.describe(h, hidden),
        value_text=value_text, n_text=n_text,
        previous_text=(SUPPRESSED if hidden_before else narrative.format_value(indicator, h.previous_value)),
        target_text=(narrative.format_level(indicator, h.target.value)
                     + (f" (tolerance {h.target.tolerance:g})" if h.target.tolerance else "")) if h.target else "none set",
        trajectory=tuple(milestones),
        trajectory_text=narrative.trajectory_words(indicator, milestones, as_at, h.value, hidden_now),
        comparator_text=_comparator_text(h),
        table=table, hidden_x=hidden_x)


def _comparator_text(h: Headline) -> str:
    c = h.benchmark
    if c is None:
        return "none published"
    parts = [narrative.benchmark_words(h.indicator, c)]
    if c.authority is not None:
        parts.append(f"our published figure {narrative.format_value(h.indicator, c.authority)} "
                     f"({narrative.year_label(c)})")
    if c.note:
        parts.append(c.note)
    return "; ".join(p for p in parts if p)


def build(db: SnapshotDB, settings: LocalAuthority, as_at: dt.date | None = None, teams=None,
          filters_text: str = "", priorities: list[Priority] | None = None) -> Report:
    """The highlight report for the snapshot behind `db`, as at a month end (default: the snapshot's)."""
    snapshot = db.snapshot
    as_at = last_complete_month_end(as_at or snapshot.as_at)
    priorities = settings.priorities if priorities is None else priorities
    extra_targets: dict[str, Target] = {}
    for p in priorities:
        extra_targets |= p.targets
    ids = list(dict.fromkeys(i for p in priorities for i in p.indicators))
    figures = headlines(db, settings, ids, as_at, teams, targets=extra_targets) if ids else {}
    sections = [Section(p, [_indicator_section(figures[i], p, as_at) for i in p.indicators]) for p in priorities]
    if not filters_text:
        filters_text = f"teams: {', '.join(teams)}" if teams is not None else "all teams"
    manifest = snapshot.manifest or {}
    source = "synthetic demo data" if snapshot.synthetic else str(manifest.get("source") or "case management system extract")
    start = (as_at.replace(day=1) - pd.DateOffset(months=11)).date()
    return Report(
        title=f"{settings.name} children's services: improvement priorities highlight report",
        authority=settings.name, snapshot_date=snapshot.as_at, as_at=as_at,
        period_text=f"the 12 months to {as_at:%B %Y} ({start:%-d %B %Y} to {as_at:%-d %B %Y}); "
                    f"stocks at {as_at:%-d %B %Y}",
        filters_text=filters_text, source=source, generated=dt.datetime.now().replace(microsecond=0),
        sections=sections)


# ---------------------------------------------------------------- charts
def _fallback_chart(h: Headline, hidden_x: tuple):
    import altair as alt
    frame = pd.DataFrame({"to": pd.to_datetime(h.series["to"]), "value": h.series["value"].astype("float64")})
    frame.loc[frame["to"].dt.date.isin(hidden_x), "value"] = float("nan")
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("to:T", title=None), y=alt.Y("value:Q", title=h.indicator.unit_label))


def chart(section: IndicatorSection):
    """The SPC chart (charts.spc_chart) with suppressed points left out; a plain line when SPC is absent."""
    from . import charts
    h = section.headline
    spc_chart = getattr(charts, "spc_chart", None)
    if h.spc is None or spc_chart is None or not isinstance(getattr(h.spc, "points", None), pd.DataFrame):
        return _fallback_chart(h, section.hidden_x)
    result = h.spc
    if section.hidden_x:
        points = result.points.copy()
        mask = pd.to_datetime(points["x"]).dt.date.isin(section.hidden_x)
        points.loc[mask, "y"] = float("nan")
        if "special_cause" in points:
            points.loc[mask, "special_cause"] = False
        result = dataclasses.replace(result, points=points) if dataclasses.is_dataclass(result) else copy.copy(result)
        if not dataclasses.is_dataclass(h.spc):
            result.points = points
    return spc_chart(result, h.indicator.title, h.indicator.unit_label,
                     target=h.target.value if h.target else None)


def _json_safe(value):
    """NaN and infinities (missing limits, gaps) become null: JSON has no NaN."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def chart_png(section: IndicatorSection) -> bytes:
    """The chart as PNG (vl-convert, offline), drawn once per section."""
    if section.png is None:
        import vl_convert as vlc
        spec = _json_safe(chart(section).properties(width=CHART_WIDTH, height=CHART_HEIGHT).to_dict())
        section.png = _small_png(vlc.vegalite_to_png(json.dumps(spec, allow_nan=False), scale=1.5))
    return section.png


def _small_png(png: bytes) -> bytes:
    """A chart PNG flattened on white and reduced to a 64-colour palette: a tenth of the size, same look."""
    from PIL import Image
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    white = Image.new("RGBA", image.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(white, image).convert("RGB")
    out = io.BytesIO()
    flat.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


# ---------------------------------------------------------------- HTML
CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;max-width:960px;margin:2em auto;padding:0 1em;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em} h2{font-size:1.35em;border-top:4px solid #1d70b8;padding-top:.6em;margin-top:2em}
h3{font-size:1.1em;margin-bottom:.3em} .stamp{background:#f3f2f1;padding:.6em 1em;font-size:.92em}
.stamp dt{font-weight:bold;float:left;clear:left;width:8em} .stamp dd{margin-left:8.5em}
blockquote{border-left:4px solid #b1b4b6;margin:.5em 0;padding:.2em .9em;color:#383f43}
.sentence{font-size:1.02em} .note{color:#505a5f;font-size:.92em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0} th,td{border:1px solid #b1b4b6;padding:.2em .5em;text-align:right}
th{background:#f3f2f1} th:first-child,td:first-child,table.figures td{text-align:left}
img{max-width:100%;height:auto} details{margin:.4em 0 1.2em} summary{cursor:pointer;color:#1d70b8}
.indicator{margin-bottom:1.6em}
"""


def esc(text) -> str:
    return html.escape(str(text))


def html_table(frame: pd.DataFrame, caption: str, css_class: str = "") -> str:
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in frame.columns)
    body = "".join("<tr>" + "".join(
        (f'<th scope="row">{esc(v)}</th>' if j == 0 else f"<td>{esc(v)}</td>") for j, v in enumerate(row)) + "</tr>"
        for row in frame.itertuples(index=False))
    klass = f' class="{css_class}"' if css_class else ""
    return f"<table{klass}><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _key_figures(s: IndicatorSection) -> pd.DataFrame:
    h = s.headline
    when = narrative.period_words(h.basis, h.period)
    latest = (f"unavailable: {h.unavailable}" if h.unavailable
              else f"{s.value_text} {when}" + (f" ({s.n_text})" if s.n_text else ""))
    rows = [("Latest", latest),
            ("A year earlier", s.previous_text),
            ("Variation (SPC)", narrative.variation_words(h.variation) or "not available"),
            ("Target", s.target_text)]
    if s.trajectory_text:
        rows.append(("Trajectory", s.trajectory_text))
    rows.append(("Published comparators", s.comparator_text))
    return pd.DataFrame(rows, columns=["Figure", "Value"])


def html_start(title: str, stamp: list[tuple[str, str]], css: str = CSS) -> list[str]:
    """A self-contained page's opening lines: head with inline CSS, then the header's title and stamp
    (the header is left open for a note)."""
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{esc(title)}</title><style>{css}</style></head><body>",
           f"<header><h1>{esc(title)}</h1><dl class=\"stamp\">"]
    out += [f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in stamp]
    out.append("</dl>")
    return out


def html_end(stamp: list[tuple[str, str]]) -> str:
    """The page's closing lines: the stamp again in the footer, for a printed page that gets separated."""
    return ("</main><footer><p class=\"note\">" + " · ".join(f"{esc(k)}: {esc(v)}" for k, v in stamp)
            + "</p></footer></body></html>")


def to_html(report: Report) -> str:
    """The report as one self-contained HTML page: inline CSS, charts as embedded PNG, a table per chart."""
    out = html_start(report.title, report.stamp)
    out.append(f"<p class=\"note\">{esc(DISCLOSURE_NOTE)} Changes from the year before are described as "
               "up or down; better or worse is said only where statistical process control (SPC) finds special "
               "cause.</p></header><main>")
    out.append("<nav><h2>Priorities</h2><ol>" + "".join(
        f'<li><a href="#priority-{n}">{esc(sec.priority.name)}</a></li>'
        for n, sec in enumerate(report.sections, 1)) + "</ol></nav>")
    for n, sec in enumerate(report.sections, 1):
        p = sec.priority
        out.append(f'<section id="priority-{n}"><h2>{esc(p.name)}</h2>')
        if p.recommendation:
            out.append(f"<p><strong>{esc(p.source or 'The review')}:</strong></p>"
                       f"<blockquote>{esc(p.recommendation)}</blockquote>")
        if p.note:
            out.append(f'<p class="note">{esc(p.note)}</p>')
        if not sec.indicators and not p.note:
            out.append("<p>No indicator in this dashboard measures this priority.</p>")
        for s in sec.indicators:
            h = s.headline
            out.append(f'<div class="indicator"><h3>{esc(h.indicator.title)}</h3>'
                       f'<p class="sentence">{esc(s.sentence)}</p>')
            out.append(html_table(_key_figures(s), f"{h.indicator.title}: key figures", "figures"))
            if not h.unavailable and not h.series.empty:
                png = base64.b64encode(chart_png(s)).decode("ascii")
                out.append(f'<img src="data:image/png;base64,{png}" alt="{esc("Chart: " + s.sentence)}">')
                out.append(f"<details><summary>{esc(h.indicator.title)}: the chart as a table</summary>"
                           + html_table(s.table, f"{h.indicator.title}, month by month") + "</details>")
            out.append("</div>")
        out.append("</section>")
    out.append(html_end(report.stamp))
    return "\n".join(out)


# ---------------------------------------------------------------- PDF
_LATIN1 = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"',
                         "\u201d": '"', "\u2026": "...", "\u2264": "<=", "\u2265": ">=", "\u2212": "-"})


def pdf_text(text) -> str:
    """The PDF's core fonts are Latin-1: typographic marks become plain ones."""
    return str(text).translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def pdf_document(title: str, stamp: list[tuple[str, str]]):
    """An A4 PDF (fpdf2) opened on a first page with the title and the stamp, the stamp and page number in
    every footer; with its text width in mm and a writer `text(size, body, style="", height=None, colour=...)`
    for a paragraph in the core font."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    stamp_line = pdf_text(" | ".join(f"{k}: {v}" for k, v in stamp))

    class _PDF(FPDF):
        def footer(self):
            self.set_y(-13)
            self.set_font("Helvetica", "", 7)
            self.set_text_color(80, 90, 95)
            self.multi_cell(0, 3.2, f"{stamp_line} | page {self.page_no()}", align="C")

    pdf = _PDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(pdf_text(title))
    pdf.set_lang("en")
    pdf.set_creator("torbay_dash")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(15, 15, 15)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    line = dict(new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def text(size, body, style="", height=None, colour=(11, 12, 12)):
        pdf.set_font("Helvetica", style, size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(width, height or size * 0.5, pdf_text(body), **line)

    pdf.add_page()
    text(18, title, "B", 8)
    pdf.ln(2)
    for key, value in stamp:
        text(10, f"{key}: {value}", height=5.5)
    pdf.ln(2)
    return pdf, width, text


def to_pdf(report: Report) -> bytes:
    """The report as PDF (fpdf2): a cover with the stamp, then one priority per section, charts as PNG."""
    pdf, width, text = pdf_document(report.title, report.stamp)
    text(9, DISCLOSURE_NOTE + " Changes from the year before are described as up or down; better or worse is "
         "said only where statistical process control (SPC) finds special cause.", height=4.5, colour=(80, 90, 95))
    pdf.ln(3)
    text(13, "Priorities", "B", 7)
    for n, sec in enumerate(report.sections, 1):
        text(10, f"{n}. {sec.priority.name}", height=5.5)

    for n, sec in enumerate(report.sections, 1):
        p = sec.priority
        pdf.add_page()
        text(15, f"{n}. {p.name}", "B", 7.5)
        if p.recommendation:
            text(9.5, f"{p.source or 'The review'}: \"{p.recommendation}\"", "I", 4.8)
        if p.note:
            text(9, p.note, height=4.5, colour=(80, 90, 95))
        if not sec.indicators and not p.note:
            text(10, "No indicator in this dashboard measures this priority.", height=5)
        for s in sec.indicators:
            h = s.headline
            pdf.ln(3)
            if pdf.get_y() > pdf.h - 90:
                pdf.add_page()
            text(11.5, h.indicator.title, "B", 6)
            text(10, s.sentence, height=5)
            figures = _key_figures(s)
            pdf.set_font("Helvetica", "", 8.5)
            pdf.set_text_color(11, 12, 12)
            with pdf.table(col_widths=(35, width - 35), first_row_as_headings=False, line_height=4.4,
                           text_align="LEFT", padding=0.8) as grid:
                for label, value in figures.itertuples(index=False):
                    row = grid.row()
                    row.cell(pdf_text(label))
                    row.cell(pdf_text(value))
            if not h.unavailable and not h.series.empty:
                png = chart_png(s)
                image_width = width
                pixels_wide, pixels_high = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
                image_height = image_width * pixels_high / max(pixels_wide, 1)
                if pdf.get_y() + image_height > pdf.h - 18:
                    pdf.add_page()
                pdf.image(io.BytesIO(png), w=image_width, alt_text=pdf_text("Chart: " + s.sentence))
    return bytes(pdf.output())
