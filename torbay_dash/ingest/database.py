"""Contract tables from a reporting database (SQL Server, PostgreSQL, SQLite...) through SQLAlchemy.

The SSD script leaves its tables in the reporting database under the contract's names, so
they are read by name (any case). Rows are fetched in batches and written to Parquet as
text as they arrive, the same as a CSV export, so a large table never sits in memory.
"""
from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .. import contract
from .columns import plan_columns
from .files import Unreadable, Written

BATCH_ROWS = 50_000


def is_database_url(source: str) -> bool:
    return "://" in str(source)


def safe_label(url: str) -> str:
    """The URL with any password taken out, for the manifest and messages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("://", 1)[0] + "://…"


def _text(value) -> str | None:
    """A database value as the text a CSV export would hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id stored as 12.0 is the id '12'
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value == value.to_integral_value() else str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    text = str(value).strip()
    return None if text in ("", "NULL") else text


def open_database(url: str):
    """An engine and the names of its tables; Unreadable (with the password hidden) when it cannot be reached."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
    label = safe_label(url)
    try:
        engine = create_engine(url)
        names = inspect(engine).get_table_names()
    except (ArgumentError, NoSuchModuleError) as exc:
        raise Unreadable(f"{label} is not a database URL this machine can open ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:200]}); install the database's driver") from None
    except (SQLAlchemyError, ImportError, OSError) as exc:
        raise Unreadable(f"the database {label} cannot be read ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:200].replace(url, label)})") from None
    return engine, names


def contract_tables(names: list[str]) -> tuple[dict[str, str], list[str]]:
    """Contract table -> the database's name for it; the other tables are ignored."""
    found, ignored = {}, []
    for name in sorted(names):
        if name.strip().lower() in contract.TABLES and name.strip().lower() not in found:
            found[name.strip().lower()] = name
        else:
            ignored.append(name)
    return found, ignored


def write_db_table(engine, table: str, source_name: str, staging: Path) -> Written:
    """Stream one database table into the staging folder as its contract table's Parquet."""
    from sqlalchemy import MetaData, Table, select
    from sqlalchemy.exc import SQLAlchemyError
    target = staging / f"{table}.parquet"
    try:
        source = Table(source_name, MetaData(), autoload_with=engine)
        plan = plan_columns(table, [c.name for c in source.columns])
        chosen = list(plan.selected.items())
        schema = pa.schema([(name, pa.string()) for name, _ in chosen])
        rows = 0
        query = select(*[source.c[src] for _, src in chosen]) if chosen else select(source)
        with engine.connect() as conn, pq.ParquetWriter(target, schema, compression="zstd") as writer:
            result = conn.execution_options(stream_results=True).execute(query)
            while batch := result.fetchmany(BATCH_ROWS):
                if chosen:
                    columns = list(zip(*batch))
                    writer.write_table(pa.table([pa.array([_text(v) for v in col], pa.string())
                                                 for col in columns], schema=schema))
                rows += len(batch)
    except (SQLAlchemyError, OSError, ValueError) as exc:
        target.unlink(missing_ok=True)
        raise Unreadable(f"the table cannot be read ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})") \
            from None
    return Written(table, source_name, rows, plan)
