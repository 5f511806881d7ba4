"""Typed pandas frames for contract tables, so writers (demo, ingest, tests) emit the contract's types."""
from __future__ import annotations

import pandas as pd

from . import contract

PANDAS_DTYPE = {
    contract.ID: "string[pyarrow]", contract.TEXT: "string[pyarrow]", contract.CODE: "string[pyarrow]",
    contract.FLAG: "string[pyarrow]", contract.DATE: "date32[pyarrow]",
    contract.NUMBER: "float64[pyarrow]", contract.INTEGER: "int64[pyarrow]",
}


def contract_frame(table_name: str, rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """A frame with every contract column of `table_name`, typed; columns absent from rows are null."""
    table = contract.TABLES[table_name]
    frame = pd.DataFrame(rows)
    unknown = set(frame.columns) - set(table.column_names)
    if unknown:
        raise KeyError(f"{table_name} has no column(s) {', '.join(sorted(unknown))}")
    out = pd.DataFrame(index=frame.index)
    for col in table.columns:
        values = frame[col.name] if col.name in frame else pd.Series([None] * len(frame), index=frame.index)
        if col.type == contract.DATE:
            values = pd.to_datetime(values).dt.date
        out[col.name] = values.astype(PANDAS_DTYPE[col.type])
    return out.reset_index(drop=True)
