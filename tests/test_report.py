"""The board's highlight report: priorities from settings, HTML and PDF that carry every priority,
the stamp, and disclosure control."""
import datetime as dt
import html
import io
import re
import textwrap

import pytest

from torbay_dash import report
from torbay_dash.db import SnapshotDB
from torbay_dash.indicators import REGISTRY
from torbay_dash.settings import PROJECT_SETTINGS, Milestone, Priority, load_settings
from torbay_dash.store import DataError, Store

pypdf = pytest.importorskip("pypdf")

AS_AT = dt.date(2021, 7, 31)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def built(service_root):
    db = SnapshotDB(Store(service_root).latest_usable())
    settings = load_settings(service_root)
    built = report.build(db, settings, AS_AT, filters_text="all teams; demo filters")
    return built, settings


@pytest.fixture(scope="module")
def files(built, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    the_report, _ = built
    (folder / "report.html").write_text(report.to_html(the_report), encoding="utf-8")
    (folder / "report.pdf").write_bytes(report.to_pdf(the_report))
    return folder


@pytest.fixture(scope="module")
def html_text(files):
    raw = (files / "report.html").read_text(encoding="utf-8")
    return raw, _words(html.unescape(re.sub(r"<[^>]+>", " ", raw)))


@pytest.fixture(scope="module")
def pdf_text(files):
    reader = pypdf.PdfReader(io.BytesIO((files / "report.pdf").read_bytes()))
    return _words(" ".join(page.extract_text() for page in reader.pages))


def test_every_priority_is_in_the_html_and_the_pdf(built, html_text, pdf_text):
    _, settings = built
    names = [p.name for p in settings.priorities]
    assert len(names) >= 8
    for name in names:
        assert name in html_text[1], name
        assert name in pdf_text, name


def test_report_has_a_section_per_priority_with_its_recommendation(built, html_text, pdf_text):
    the_report, settings = built
    assert [s.priority for s in the_report.sections] == settings.priorities
    for section in the_report.sections:
        assert [i.headline.id for i in section.indicators] == list(section.priority.indicators)
        if section.priority.recommendation:
            assert _words(section.priority.recommendation) in html_text[1]


def test_stamp_says_snapshot_period_filters_source_and_time(built, html_text, pdf_text):
    the_report, _ = built
    assert the_report.source == "synthetic demo data"
    for text in (html_text[1], pdf_text):
        assert "Snapshot: 31 July 2021" in text.replace("Snapshot 31", "Snapshot: 31")
        assert "the 12 months to July 2021" in text
        assert "all teams; demo filters" in text
        assert "synthetic demo data" in text
        assert f"{the_report.generated:%-d %B %Y}" in text


def test_html_is_self_contained_with_charts_and_tables(built, html_text):
    raw, _ = html_text
    assert "<style>" in raw and "<script" not in raw and "<link" not in raw
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", raw)
    charted = [i for s in built[0].sections for i in s.indicators if not i.headline.unavailable]
    assert charted, "the small snapshot still has indicators to chart"
    assert raw.count('src="data:image/png;base64,') == len(charted)
    assert raw.count("the chart as a table</summary>") == len(charted)
    assert all(f'alt="{html.escape("Chart: " + i.sentence)}"' in raw for i in charted)


def test_pdf_carries_the_narrative(built, pdf_text):
    for section in built[0].sections:
        for item in section.indicators:
            assert _words(item.headline.indicator.title) in pdf_text


def test_narrative_in_the_report_follows_the_headlines(built):
    the_report, _ = built
    by_id = {i.headline.id: i for s in the_report.sections for i in s.indicators}
    assert by_id["assessments_45wd_pct"].sentence.startswith(
        "Assessments completed within 45 working days: ")
    assert "in the 12 months to July 2021" in by_id["assessments_45wd_pct"].sentence
    assert "not available on this snapshot" in by_id["icpc_15wd_pct"].sentence
    assert by_id["icpc_15wd_pct"].trajectory == (Milestone(dt.date(2022, 3, 31), 85.0),)
    assert "85% by March 2022" in by_id["icpc_15wd_pct"].trajectory_text


@pytest.mark.parametrize("count, shown", [(0, "0"), (1, "c"), (5, "c"), (6, "6"), (1234, "1,234"), (None, "")])
def test_suppress_small(count, shown):
    assert report.suppress_small(count) == shown


def test_disclosure_rules():
    pct, count, mean = REGISTRY["icpc_15wd_pct"], REGISTRY["cla_count"], REGISTRY["adoption_entry_to_placement_days"]
    assert report.hides(pct, 3, 40) and report.hides(pct, 30, 4) and not report.hides(pct, 0, 40)
    assert not report.hides(pct, 30, 40)
    assert report.hides(count, 5, None) and not report.hides(count, 0, None) and not report.hides(count, 6, None)
    assert report.hides(mean, 4000, 3) and not report.hides(mean, 4000, 12)
    assert not report.hides(REGISTRY["sw_agency_rate_pct"], 3.0, 40.0)      # staff FTE: not suppressed
    assert report.hides(REGISTRY["cin_rate_per_10k"], 4, 25450)              # the population is public


def test_no_small_count_leaves_the_report(built):
    """Small counts show as c; where a count is hidden its share is hidden too, in words and in tables."""
    hidden_seen = False
    for section in built[0].sections:
        for item in section.indicators:
            h = item.headline
            for column in ("Count", "Of"):
                if column in item.table:
                    cells = item.table[column].tolist()
                    assert not any(re.fullmatch(r"[1-5]", str(c)) for c in cells), (h.id, column, cells)
            if "Count" not in item.table and "Value" in item.table and h.indicator.unit == "count":
                assert not any(re.fullmatch(r"[1-5]", str(c)) for c in item.table["Value"]), h.id
            if report.hides(h.indicator, h.numerator, h.denominator):
                hidden_seen = True
                assert item.value_text == "c"
                assert ": c " in item.sentence
                if h.value is not None:
                    assert report.narrative.format_value(h.indicator, h.value) not in item.sentence
                assert all(v == "c" for v, n, d in zip(item.table["Value"], h.series["numerator"],
                                                        h.series["denominator"])
                           if report.hides(h.indicator, n, d))
    assert hidden_seen, "the small snapshot has a suppressed figure to check"


def test_suppressed_points_are_left_off_the_chart(built):
    items = [i for s in built[0].sections for i in s.indicators if i.hidden_x and i.headline.spc is not None]
    assert items
    spec = report.chart(items[0]).to_dict()
    shown = {v.get("x") for d in spec.get("datasets", {}).values() for v in d
             if v.get("y") is not None and v.get("y") == v.get("y")}      # NaN != NaN: a gap, not a point
    assert shown
    assert not any(str(x).startswith(str(day)) for day in items[0].hidden_x for x in shown)


def test_priorities_are_typed_and_checked(tmp_path):
    settings = load_settings()
    assert all(isinstance(p, Priority) for p in settings.priorities)
    sources = [p.source for p in settings.priorities]
    assert [f"Recommendation {n}" for n in range(1, 9)] == [s for s in sources if s.startswith("Recommendation")]
    for priority in settings.priorities:
        assert set(priority.indicators) <= set(REGISTRY)
        assert set(priority.trajectories) <= set(priority.indicators)
    cared_for = next(p for p in settings.priorities if p.name == "Children in care: sufficiency and stability")
    assert settings.target_for("cla_residential_count", cared_for).value == 20
    assert settings.target_for("icpc_15wd_pct").value == 85

    bad = PROJECT_SETTINGS.read_text() + textwrap.dedent("""
        [[priorities]]
        name = "Typo"
        indicators = ["icpc_15wd_pct", "icpc_within_15_days"]
        """)
    (tmp_path / "local_authority.toml").write_text(bad)
    with pytest.raises(DataError, match=r"priority 'Typo' names unknown indicator id 'icpc_within_15_days'"):
        load_settings(tmp_path)

    stray = PROJECT_SETTINGS.read_text() + textwrap.dedent("""
        [[priorities]]
        name = "Stray"
        indicators = ["contacts"]
        trajectories.icpc_15wd_pct = [{ by = 2022-03-31, value = 85 }]
        """)
    (tmp_path / "local_authority.toml").write_text(stray)
    with pytest.raises(DataError, match="not among its indicators"):
        load_settings(tmp_path)
