"""Every CSV we write is inert in a spreadsheet: no cell, and no line inside a cell, starts a formula."""
import csv
import io
import re

import pandas as pd
import pytest

from torbay_dash.export import csv_text, neutralise, neutralise_frame, safe_csv

HOSTILE = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "  =1",
           "ok\r=HYPERLINK(\"x\")", "ok\n@SUM(1)", "ok\r\n+1"]
# A raw line (split on any line break) that opens, perhaps after a quote, with a formula start.
LIVE_LINE = re.compile(r'^"?[=+\-@\t]')


def live_lines(raw: str) -> list[str]:
    return [line for line in re.split(r"\r\n|\r|\n", raw) if LIVE_LINE.match(line)]


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"),
    ("+1", "'+1"),
    ("-1+2", "'-1+2"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),        # OWASP: a leading TAB or CR may be stripped, leaving the formula
    ("\r=1", "'\r'=1"),       # leading CR, and the line after it starts a formula
    ("  =1", "'  =1"),        # spaces before the formula do not hide it
    ("ok\r=HYPERLINK(\"x\")", "ok\r'=HYPERLINK(\"x\")"),
    ("ok\n@SUM(1)", "ok\n'@SUM(1)"),
    ("ok\r\n+1", "ok\r\n'+1"),  # \r\n is one break: the apostrophe goes after both
    ("ok\n  -1", "ok\n'  -1"),
])
def test_a_formula_at_the_start_or_after_a_line_break_is_made_inert(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("value", ["C1", "ok-dash", "a = b", "line one\nline two", "", 3, -4, 2.5, None])
def test_harmless_values_and_non_text_are_left_alone(value):
    """Only text that could run changes; numbers (negative ones too) stay numbers."""
    assert neutralise(value) == value


def hostile_frame() -> pd.DataFrame:
    return pd.DataFrame({"child": HOSTILE,
                         "days": list(range(-5, 5)),
                         "rate": [0.5 * i for i in range(10)],
                         "=SUM(A1)": ["x"] * 10})


def test_downloaded_csv_parses_back_to_inert_cells_and_untouched_numbers():
    """The app's download: BOM, hostile text neutralised cell by cell, header too, numbers as written."""
    raw = safe_csv(hostile_frame())
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["child", "days", "rate", "'=SUM(A1)"]
    assert [r[0] for r in rows[1:]] == [neutralise(v) for v in HOSTILE]
    assert [int(r[1]) for r in rows[1:]] == list(range(-5, 5))
    assert [float(r[2]) for r in rows[1:]] == [0.5 * i for i in range(10)]


def test_no_raw_line_of_the_csv_starts_a_formula():
    """A spreadsheet that splits rows on any line break must still find no live formula."""
    raw = safe_csv(hostile_frame()).decode("utf-8-sig")
    assert live_lines(raw) == []


def test_cells_holding_a_line_break_are_quoted():
    """A lone \\r is quoted too (pandas' csv writer quotes only characters of its line terminator)."""
    text = csv_text(pd.DataFrame({"note": ["a\rb", "a\nb", "a\r\nb", "plain"]}))
    assert text == 'note\r\n"a\rb"\r\n"a\nb"\r\n"a\r\nb"\r\nplain\r\n'


def test_string_dtype_columns_are_guarded_and_whole_numbers_beside_blanks_stay_whole():
    """The CLI's records come as an object column of ints and blanks: 8 must not become 8.0."""
    frame = pd.DataFrame({"team": pd.Series(["@SUM(1+1)", "T1"], dtype="string"),
                          "numerator": pd.Series([8, None], dtype=object)})
    cleaned = neutralise_frame(frame)
    assert cleaned["team"].tolist() == ["'@SUM(1+1)", "T1"]
    assert csv_text(frame).split("\r\n") == ["team,numerator", "'@SUM(1+1),8", "T1,", ""]


def test_the_frame_is_not_changed_in_place():
    frame = hostile_frame()
    neutralise_frame(frame)
    assert frame["child"].tolist() == HOSTILE and "=SUM(A1)" in frame.columns


def test_download_and_cli_share_one_writer():
    """One guard: the download is the CLI's CSV text with a byte-order mark."""
    frame = hostile_frame()
    assert safe_csv(frame) == csv_text(frame).encode("utf-8-sig")
