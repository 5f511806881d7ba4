"""What every chart shares: the palette and text colours, numbers and months in words as displayed,
labels spread so they do not overlap, and the accessible finish (description, config) of each chart."""
from __future__ import annotations

import math
import re

import altair as alt
import pandas as pd

from ..indicators import COUNT, PERCENT, Indicator

TEXT_COLOUR = "#222222"   # 15.9:1 on white: axis labels and titles, legends, titles, text marks


RULE_COLOUR = "#333333"   # 12.6:1: reference lines


# Series colours, in the order categorical scales use them. Contrast on white (WCAG 2.2):
PALETTE = [
    "#1f5fa6",  # dark blue      6.5:1
    "#b35806",  # orange-brown   4.9:1
    "#00766f",  # dark teal      5.5:1
    "#6a3d9a",  # purple         7.6:1
    "#595959",  # dark grey      7.0:1
    "#a3286b",  # wine           6.8:1
    "#3b7a27",  # dark green     5.3:1
    "#0b2e59",  # navy          13.6:1
    "#7a5a1e",  # brown          6.4:1
]
BLUE, ORANGE, TEAL, PURPLE, GREY, WINE, GREEN, NAVY, BROWN = PALETTE


def _palette(n: int) -> list[str]:
    return [PALETTE[i % len(PALETTE)] for i in range(n)]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or bool(pd.isna(value))


def _number(value, decimals: int = 1) -> str:
    if _missing(value):
        return "no value"
    return f"{float(value):,.{decimals}f}"


def _count(value) -> str:
    return _number(value, 0)


def _decimals(values) -> int:
    """0 when every known value is whole (counts), else 1."""
    known = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    return 0 if len(known) and (known == known.round()).all() else 1


def _value(indicator: Indicator, value) -> str:
    """As the dashboard shows it: % to one decimal, counts whole, rates, means and FTE to one decimal."""
    if _missing(value):
        return "no value"
    if indicator.unit == PERCENT:
        return f"{float(value):.1f}%"
    if indicator.unit == COUNT:
        return _count(value)
    return f"{_number(value)} {indicator.unit_label}"


def _month(value) -> str:
    return "no month" if _missing(value) else f"{pd.Timestamp(value):%b %Y}"


def _long_month(value) -> str:
    return "no month" if _missing(value) else f"{pd.Timestamp(value):%B %Y}"


def _x_words(value) -> str:
    """An x value in words: a month for dates, else the value itself (whole numbers without a decimal)."""
    if isinstance(value, (pd.Timestamp,)) or hasattr(value, "strftime"):
        return _month(value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return str(value)


def _n_words(numerator, denominator) -> str:
    if not _missing(denominator):
        return f"{_count(numerator)} of {_count(denominator)}"
    return f"n = {_count(numerator)}" if not _missing(numerator) else ""


def _span(months: pd.Series) -> str:
    known = pd.to_datetime(months).dropna()
    if known.empty:
        return "no months"
    first, last = known.min(), known.max()
    return _long_month(first) if first == last else f"{_long_month(first)} to {_long_month(last)}"


def _sentence(*parts: str) -> str:
    """Parts joined with semicolons into one sentence with a capital and a full stop."""
    text = "; ".join(p for p in parts if p)
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _rounded_words(text) -> str:
    """Text from elsewhere (a reference line's label) with any number of 2+ decimals said to 1 decimal."""
    return re.sub(r"\d+\.\d{2,}", lambda m: f"{float(m.group()):.1f}", str(text))


def _nice_ceiling(value: float) -> float:
    """A round number at or above value (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten)."""
    if not value or value <= 0 or _missing(value):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


LABEL_GAP_PX = 13      # a line of 11px label text


PLOT_MARGIN_PX = 100   # what axes take from a chart's height, at most (the plot is at least height - 100)


def _spread(centres: list[float], gap: float, low: float, high: float) -> list[float]:
    """Label positions (in data units) at least `gap` apart, kept in order and inside [low, high]."""
    placed: list[float] = []
    for c in centres:
        placed.append(max(c, placed[-1] + gap) if placed else max(c, low))
    for i in range(len(placed) - 1, -1, -1):
        ceiling = high if i == len(placed) - 1 else placed[i + 1] - gap
        placed[i] = min(placed[i], ceiling)
    return placed


def _accessible(chart, description: str | None, default: str, title=None):
    """The chart with its description (the accessible name), an optional title, and readable colours."""
    chart = chart.properties(description=description or default)
    if title is not None:
        chart = chart.properties(title=title)
    return (chart
            .configure_axis(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)
            .configure_legend(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)
            .configure_header(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)
            .configure_title(color=TEXT_COLOUR, subtitleColor=TEXT_COLOUR)
            .configure_text(color=TEXT_COLOUR)
            .configure_range(category=PALETTE))


def _axis_title(indicator: Indicator) -> str:
    return f"{indicator.title} ({indicator.unit_label})"


def _point_words(indicator: Indicator, month, value, numerator, denominator, prefix: str = "") -> str:
    n = _n_words(numerator, denominator)
    return f"{prefix}{_month(month)}: {_value(indicator, value)}" + (f" ({n})" if n else "")


def _team_words(indicator: Indicator, data: pd.DataFrame) -> list[str]:
    return [f"{t}: {_value(indicator, v)}" + (f" ({n})" if (n := _n_words(k, d)) else "")
            for t, v, k, d in zip(data["team_name"], data["value"], data["numerator"], data["denominator"])]


def _teams_sentence(indicator: Indicator, data: pd.DataFrame, what: str) -> str:
    known = data.dropna(subset=["value"]).sort_values("value")
    parts = [f"{what} of {_axis_title(indicator)} by team, {len(data)} team{'s' if len(data) != 1 else ''}"]
    if len(known) > 1:
        parts.append(f"highest {known['team_name'].iloc[-1]} {_value(indicator, known['value'].iloc[-1])}, "
                     f"lowest {known['team_name'].iloc[0]} {_value(indicator, known['value'].iloc[0])}")
    elif len(known) == 1:
        parts.append(f"{known['team_name'].iloc[0]} {_value(indicator, known['value'].iloc[0])}")
    parts.append("n is printed beside each bar")
    return _sentence(*parts)


def _filled_or_outlined(field: str, domain: list[str], colours: list[str], filled: list[bool], legend) -> dict:
    """Fill and stroke encodings for bars side by side: a filled bar, or one outlined in its colour on white.

    The legend shows the same (Vega-Lite merges the two into one legend), so the series differ by
    more than colour. Use with mark_bar(strokeWidth=2).
    """
    fills = [c if f else "#ffffff" for c, f in zip(colours, filled)]
    return {"fill": alt.Fill(field, sort=domain, legend=legend, scale=alt.Scale(domain=domain, range=fills)),
            "stroke": alt.Stroke(field, sort=domain, legend=legend, scale=alt.Scale(domain=domain, range=colours))}
