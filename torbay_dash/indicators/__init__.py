"""The indicator registry: one declarative entry per indicator of spec/INDICATORS.md.

An entry says what the indicator means (title, definition, unit, direction, team rule)
and where its SQL lives. The SQL returns one row per counted unit -- an event or a
child -- for each period in the `periods` relation; compute.py turns those rows into
numerators, denominators and values, and the same rows are the drill-down list.
"""
from __future__ import annotations

from dataclasses import dataclass

# Units: how a value is formed from its numerator and denominator.
COUNT, PERCENT, RATE_PER_10K, MEAN, FTE = "count", "percent", "rate_per_10k", "mean", "fte"
UNIT_LABELS = {COUNT: "count", PERCENT: "%", RATE_PER_10K: "per 10,000 children", MEAN: "mean", FTE: "FTE"}

# Where a unit row's team comes from.
EVENT_TEAM = "event"          # the SQL returns `team` from the event row
ALLOCATED_TEAM = "allocated"  # the SQL returns `person_id` and `team_date`; the team is the child's
                              # ALLOCATED_SW involvement open at team_date

ALLOCATED_TEAM_RULE = ("The child's allocated team at the period end: the team of the ALLOCATED_SW "
                       "involvement open then (the latest start wins; on a tie, the larger involvement id, "
                       "compared as numbers when both are numbers); none open gives UNALLOCATED.")

AREAS = {"safeguarding": "Safeguarding", "cared_for": "Cared-for children",
         "workforce": "Workforce", "quality": "Quality assurance"}


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    area: str
    unit: str
    direction: str | None  # 'higher' or 'lower' is better; None: neither
    kind: str              # 'flow' (events in the period) or 'stock' (at the period end)
    tables: tuple[str, ...]
    definition: str
    team_rule: str         # shown to users
    team_source: str = EVENT_TEAM
    source: str = ""       # the statutory return or local source it follows
    params: tuple[str, ...] = ()  # local standards the SQL binds, by name in local_authority.toml
    uses: tuple[str, ...] = ()    # shared SQL fragments (sql/shared/<name>.sql) it reads as CTEs
    distinct_people: bool = False  # a count of children whose unit rows are (child, team) pairs:
                                   # overall it counts each child once
    numerator_label: str = ""
    denominator_label: str = ""

    @property
    def sql_name(self) -> str:
        return f"indicators/{self.id}"

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.unit]

    @property
    def better(self) -> str:
        return {"higher": "higher is better", "lower": "lower is better"}.get(self.direction, "neither higher nor lower is better")

    @property
    def in_words(self) -> str:
        """What the figure counts, in a reader's words (no table or column names): a tile's help.

        The exact rule, data fields and all, is `definition`, on the Definitions page.
        """
        what = {PERCENT: f"Percentage: {self.numerator_label} out of all {self.denominator_label}",
                RATE_PER_10K: f"{self.numerator_label.capitalize()} per 10,000 children aged under 18",
                MEAN: f"Average over {self.denominator_label}",
                FTE: self.numerator_label.capitalize(),
                COUNT: f"Number of {self.numerator_label}"}[self.unit]
        when = "events in the period" if self.kind == "flow" else "taken at the period end"
        return f"{what} ({when}); {self.better}."


def _collect() -> dict[str, Indicator]:
    from . import cared_for, quality, safeguarding, workforce
    registry: dict[str, Indicator] = {}
    for module in (safeguarding, cared_for, workforce, quality):
        for indicator in module.INDICATORS:
            if indicator.id in registry:
                raise ValueError(f"indicator id {indicator.id} is registered twice")
            registry[indicator.id] = indicator
    return registry


REGISTRY: dict[str, Indicator] = _collect()


def get(indicator_id: str) -> Indicator:
    try:
        return REGISTRY[indicator_id]
    except KeyError:
        raise KeyError(f"unknown indicator id {indicator_id!r}; known: {', '.join(sorted(REGISTRY))}") from None
