"""Files that leave the dashboard: CSV that a spreadsheet cannot execute."""
from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text a spreadsheet would run as a formula with an apostrophe (OWASP's CSV injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so Excel reads it as UTF-8) whose text cells cannot run as formulas."""
    cleaned = frame.copy()
    for column in cleaned.columns:
        if cleaned[column].dtype == object or pd.api.types.is_string_dtype(cleaned[column]):
            cleaned[column] = cleaned[column].map(neutralise)
    cleaned.columns = [neutralise(str(c)) for c in cleaned.columns]
    return cleaned.to_csv(index=False).encode("utf-8-sig")
