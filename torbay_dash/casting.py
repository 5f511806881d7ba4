"""SQL that casts a source column to its contract type.

Extracts arrive with dates as DATE, TIMESTAMP or text (YYYY-MM-DD or DD/MM/YYYY, with or
without a time) and ids as numbers or text. Text dates in any other form (two-digit years,
month first) are unreadable, never guessed. The snapshot views and the validator use the
same expressions, so a value the validator accepts is exactly a value the views can read.
"""
from __future__ import annotations

import datetime as dt

from .contract import DATE, DUCKDB_TYPE, EARLIEST_DATE, FUTURE_DATES, ID, CODE, FLAG, TEXT

ISO_DATE = r"\d{4}-\d{2}-\d{2}([ T].*)?"
UK_DATE = r"\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def unreadable_condition(column: str, logical_type: str, source_type: str) -> str | None:
    """SQL true where a value is present but cannot be read as its contract type; None if none can fail."""
    expr = cast_expression(column, logical_type, source_type)
    if expr == quote_identifier(column):
        return None
    present = quote_identifier(column) + " IS NOT NULL"
    if source_type.upper() == "VARCHAR":  # blank text is an empty value, as validation and CSV ingest read it
        present += f" AND trim({quote_identifier(column)}) <> ''"
    return f"({present} AND ({expr}) IS NULL)"


def latest_plausible(table: str, column: str, as_at: dt.date) -> dt.date | None:
    """The latest date a column may hold: the as-at date, or None for dates that may be in the future."""
    return None if (table, column) in FUTURE_DATES else as_at


def implausible_condition(column: str, logical_type: str, source_type: str, latest: dt.date | None) -> str | None:
    """SQL true where a date is read but cannot be right: before 1900, or after `latest`."""
    if logical_type != DATE:
        return None
    expr = cast_expression(column, logical_type, source_type)
    after = f" OR ({expr}) > DATE '{latest.isoformat()}'" if latest else ""
    return f"coalesce(({expr}) < DATE '{EARLIEST_DATE}'{after}, false)"


def month_first_condition(column: str, source_type: str) -> str | None:
    """SQL true for a text date that only reads as month/day/year (12/25/2021): a sign the column is US-ordered."""
    if source_type.upper() != "VARCHAR":
        return None
    text = f"TRIM({quote_identifier(column)})"
    return (f"coalesce(regexp_full_match({text}, '{UK_DATE}') "
            f"AND TRY_CAST(split_part({text}, '/', 2) AS INTEGER) > 12 "
            f"AND TRY_CAST(split_part({text}, '/', 1) AS INTEGER) <= 12, false)")


# Timestamps with a time zone become dates in England's local time, whatever the machine's zone.
SESSION_SETUP = "SET TimeZone = 'Europe/London'"


def quote_literal(text: str) -> str:
    """A SQL string literal; used only for file paths in view definitions (DDL takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def cast_expression(column: str, logical_type: str, source_type: str) -> str:
    """An expression giving `column` as its contract type, or NULL where a value cannot be read."""
    col = quote_identifier(column)
    source_type = source_type.upper()
    target = DUCKDB_TYPE[logical_type]
    if logical_type == DATE:
        if source_type == "DATE":
            return col
        if source_type.startswith("TIMESTAMP"):
            return f"CAST({col} AS DATE)"
        text = f"NULLIF(TRIM(CAST({col} AS VARCHAR)), '')"
        return (f"CASE WHEN regexp_full_match({text}, '{ISO_DATE}') "
                f"THEN COALESCE(TRY_CAST({text} AS DATE), TRY_CAST(TRY_CAST({text} AS TIMESTAMP) AS DATE)) "
                f"WHEN regexp_full_match({text}, '{UK_DATE}') "
                f"THEN TRY_CAST(TRY_STRPTIME(split_part({text}, ' ', 1), '%d/%m/%Y') AS DATE) END")
    if logical_type == FLAG and source_type == "BOOLEAN":
        return f"CASE WHEN {col} THEN 'Y' WHEN NOT {col} THEN 'N' END"
    if logical_type in (ID, CODE, FLAG, TEXT):
        if source_type in ("DOUBLE", "FLOAT") and logical_type == ID:
            # 12.0 read from a spreadsheet is the id '12'
            return f"CAST(TRY_CAST({col} AS BIGINT) AS VARCHAR)"
        return f"CAST({col} AS VARCHAR)"
    return f"TRY_CAST({col} AS {target})"
