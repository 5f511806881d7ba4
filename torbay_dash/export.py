"""Files that leave the dashboard: CSV that a spreadsheet cannot execute.

One guard for every CSV we write (the app's downloads and the CLI's --format csv), after
OWASP's CSV injection advice: a text cell that starts with = + - @ TAB or CR, even after
spaces, gets an apostrophe in front; so does every line inside a cell that starts a formula
after a line break, since a spreadsheet may split the cell there. Cells holding a line
break are written quoted, so the break stays inside the cell.
"""
from __future__ import annotations

import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A line break followed (after optional spaces) by a formula start; \r\n first so it counts as one break.
FORMULA_AFTER_BREAK = re.compile(r"(\r\n|\r|\n)(?= *[=+\-@\t])")
# Both \r and \n in the terminator: the csv module quotes a field only for characters in it.
LINE_TERMINATOR = "\r\n"


def neutralise(value):
    """Text a spreadsheet would run as a formula, at its start or after any line break, made inert with an apostrophe.

    Anything that is not text (numbers, dates, missing values) is returned unchanged.
    """
    if not isinstance(value, str):
        return value
    value = FORMULA_AFTER_BREAK.sub(r"\1'", value)
    if value.lstrip(" ").startswith(FORMULA_STARTS):
        value = "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and column names cannot run as formulas; numbers stay numbers."""
    cleaned = frame.copy()
    for column in cleaned.columns:
        cells = cleaned[column]
        if cells.dtype == object or pd.api.types.is_string_dtype(cells):
            # rebuilt with the column's own dtype: Series.map would turn 8 next to a blank into 8.0
            cleaned[column] = pd.Series([neutralise(v) for v in cells], index=cells.index, dtype=cells.dtype)
    cleaned.columns = [neutralise(str(c)) for c in cleaned.columns]
    return cleaned


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as guarded CSV text, without its index; the one writer behind every CSV we hand out."""
    return neutralise_frame(frame).to_csv(index=False, lineterminator=LINE_TERMINATOR)


def safe_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so Excel reads it as UTF-8) whose text cells cannot run as formulas."""
    return csv_text(frame).encode("utf-8-sig")
