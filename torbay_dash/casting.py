"""SQL that casts a source column to its contract type.

Extracts arrive with dates as DATE, TIMESTAMP or text (ISO or DD/MM/YYYY) and ids as
numbers or text. The snapshot views and the validator use the same expressions, so a
value the validator accepts is exactly a value the views can read.
"""
from __future__ import annotations

from .contract import DATE, DUCKDB_TYPE, ID, CODE, FLAG, TEXT


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def unreadable_condition(column: str, logical_type: str, source_type: str) -> str | None:
    """SQL true where a value is present but cannot be read as its contract type; None if none can fail."""
    expr = cast_expression(column, logical_type, source_type)
    if expr == quote_identifier(column):
        return None
    return f"({quote_identifier(column)} IS NOT NULL AND ({expr}) IS NULL)"


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
        return (f"COALESCE(TRY_CAST({text} AS DATE), "
                f"TRY_CAST(TRY_STRPTIME({text}, '%d/%m/%Y') AS DATE), "
                f"TRY_CAST(TRY_CAST({text} AS TIMESTAMP) AS DATE))")
    if logical_type == FLAG and source_type == "BOOLEAN":
        return f"CASE WHEN {col} THEN 'Y' WHEN NOT {col} THEN 'N' END"
    if logical_type in (ID, CODE, FLAG, TEXT):
        if source_type in ("DOUBLE", "FLOAT") and logical_type == ID:
            # 12.0 read from a spreadsheet is the id '12'
            return f"CAST(TRY_CAST({col} AS BIGINT) AS VARCHAR)"
        return f"CAST({col} AS VARCHAR)"
    return f"TRY_CAST({col} AS {target})"
