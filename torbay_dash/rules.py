"""Cross-table rules like the national validators': each with an id, plain words and a severity.

Being written: see issue 13.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .store import Snapshot


@dataclass(frozen=True)
class Rule:
    id: str            # stable, e.g. 'CHILD_NOT_IN_PERSON'
    message: str       # plain words, e.g. 'an event for a child not in ssd_person'
    severity: str      # 'error' (the figures may be wrong) or 'warning' (worth a look)
    tables: tuple[str, ...]


@dataclass
class RuleFailure:
    rule: str                  # Rule.id
    table: str                 # the table whose rows fail
    n_rows: int
    examples: list[dict] = field(default_factory=list)  # a few failing rows: pseudonymous ids, dates, row numbers


RULES: dict[str, Rule] = {}


def check(snapshot: Snapshot) -> list[RuleFailure]:
    """Every rule's failures on one snapshot (cached beside it, keyed on its content)."""
    return []
