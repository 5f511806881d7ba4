"""Which source columns become which contract columns: names in any case or spacing, in any order."""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import contract


@dataclass
class ColumnPlan:
    """How one source table's columns are read."""
    table: str
    selected: dict[str, str] = field(default_factory=dict)  # contract column -> source column
    dropped: list[str] = field(default_factory=list)        # identifying: read past, never written
    extra: list[str] = field(default_factory=list)          # not in the contract: ignored
    repeated: list[str] = field(default_factory=list)       # a second source column for a contract column

    @property
    def missing(self) -> list[str]:
        return [c for c in contract.TABLES[self.table].column_names if c not in self.selected]


def plan_columns(table: str, source_columns: list[str]) -> ColumnPlan:
    """Match a source table's columns to the contract table's, case- and space-insensitively."""
    wanted = {c.lower(): c for c in contract.TABLES[table].column_names}
    plan = ColumnPlan(table)
    for source in source_columns:
        name = source.strip().lower().lstrip("\ufeff")
        target = wanted.get(name)
        if contract.is_identifying(source):
            plan.dropped.append(source)
        elif target is None:
            plan.extra.append(source)
        elif target in plan.selected:
            plan.repeated.append(source)
        else:
            plan.selected[target] = source
    return plan
