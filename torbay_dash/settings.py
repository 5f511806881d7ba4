"""The authority's own settings (data/local_authority.toml): population, standards, targets."""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .store import DataError

SETTINGS_FILE = "local_authority.toml"
# The repository's own settings: used when a data root has none of its own.
PROJECT_SETTINGS = Path(__file__).resolve().parents[1] / "data" / SETTINGS_FILE


@dataclass(frozen=True)
class Target:
    value: float
    tolerance: float = 0.0


@dataclass(frozen=True)
class Milestone:
    """A point on a trajectory: the value an indicator should reach by a date."""
    by: dt.date
    value: float


@dataclass(frozen=True)
class Priority:
    """An improvement priority: what the board tracks together, and the review's words it answers."""
    name: str
    recommendation: str = ""     # the review's recommendation (or finding) it answers, quoted briefly
    source: str = ""             # e.g. "Recommendation 2" or "Review findings"
    indicators: tuple[str, ...] = ()
    targets: dict[str, Target] = field(default_factory=dict)   # for indicators with none in [targets]
    trajectories: dict[str, tuple[Milestone, ...]] = field(default_factory=dict)
    note: str = ""               # what the dashboard cannot measure about it


@dataclass(frozen=True)
class LocalAuthority:
    code: int
    name: str
    region: str
    population: dict[int, int]
    standards: dict[str, float]
    targets: dict[str, Target]
    priorities: list[Priority] = field(default_factory=list)
    spc_rebase: tuple[dt.date, ...] = ()  # [spc] rebase: dates SPC limits restart at (e.g. a system migration)
    neighbour_model: str = "2025"  # [benchmarks] neighbour_model: the DfE statistical neighbour model ("2025", "2021")

    def population_for_year(self, year: int) -> int | None:
        """Children aged 0-17 in `year`, or in the nearest year on file."""
        if not self.population:
            return None
        nearest = min(self.population, key=lambda y: (abs(y - year), -y))
        return self.population[nearest]

    def standard(self, name: str) -> float:
        return self.standards[name]

    def target_for(self, indicator_id: str, priority: Priority | None = None) -> Target | None:
        """The indicator's target: [targets], else the priority's own."""
        found = self.targets.get(indicator_id)
        if found is None and priority is not None:
            found = priority.targets.get(indicator_id)
        return found


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DataError(f"{where}: {value!r} is not a date (write 2022-03-31)") from None


def parse_priority(raw: dict, targets: dict[str, Target], number: int) -> Priority:
    """One [[priorities]] entry, checked: every indicator id must be registered."""
    from .indicators import REGISTRY
    if not isinstance(raw, dict) or not str(raw.get("name", "")).strip():
        raise DataError(f"priority {number} has no name")
    name = str(raw["name"]).strip()
    where = f"priority {name!r}"
    indicators = tuple(raw.get("indicators", []))
    own_targets = {k: Target(**v) for k, v in raw.get("targets", {}).items()}
    trajectories = {}
    for k, milestones in raw.get("trajectories", {}).items():
        if any(not isinstance(m, dict) or {"by", "value"} - set(m) for m in milestones):
            raise DataError(f"{where}: each milestone of the trajectory of {k} needs `by` and `value`")
        trajectories[k] = tuple(sorted((Milestone(_date(m["by"], f"{where}, trajectory of {k}"), float(m["value"]))
                                        for m in milestones), key=lambda m: m.by))
    for kind, ids in (("indicator", indicators), ("target", own_targets), ("trajectory", trajectories)):
        unknown = [i for i in ids if i not in REGISTRY]
        if unknown:
            raise DataError(f"{where} names unknown {kind} id {', '.join(map(repr, unknown))}; "
                            f"known ids: {', '.join(sorted(REGISTRY))}")
    stray = [i for i in [*own_targets, *trajectories] if i not in indicators]
    if stray:
        raise DataError(f"{where} sets a target or trajectory for {', '.join(map(repr, stray))}, "
                        "which is not among its indicators")
    clash = [i for i in own_targets if i in targets and targets[i] != own_targets[i]]
    if clash:
        raise DataError(f"{where} sets a target for {', '.join(map(repr, clash))} that differs from [targets]")
    return Priority(name=name, recommendation=str(raw.get("recommendation", "")).strip(),
                    source=str(raw.get("source", "")).strip(), indicators=indicators, targets=own_targets,
                    trajectories=trajectories, note=str(raw.get("note", "")).strip())


def _part(raw: dict, key: str, kind: type, default):
    """One top-level key of the settings, checked to be a table (or a list) so a mistake is named."""
    value = raw.get(key, default)
    if not isinstance(value, kind):
        raise DataError(f"`{key}` must be a {'table' if kind is dict else 'list'}, "
                        f"not {type(value).__name__} ({value!r:.40})")
    return value


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{value!r:.40} is not a number")
    return value


def _numbers(raw: dict, key: str, years: bool = False) -> dict:
    """A table of numbers, e.g. [population_0_17] years to counts; the key is named when one is not a number."""
    try:
        return {int(k) if years else k: _number(v) for k, v in _part(raw, key, dict, {}).items()}
    except (TypeError, ValueError) as exc:
        raise DataError(f"[{key}] must map to numbers ({exc})") from None


def load_settings(data_root: Path | None = None) -> LocalAuthority:
    """Settings from the data root's local_authority.toml, else the repository's.

    A data root's file that is there but cannot be read (a folder, a broken link) is an
    error, never silently replaced by the repository's settings.
    """
    candidates = [Path(data_root) / SETTINGS_FILE] if data_root else []
    candidates.append(PROJECT_SETTINGS)
    path = next((p for p in candidates if p.exists() or p.is_symlink()), None)
    if path is None:
        raise DataError(f"no {SETTINGS_FILE} in {data_root} or the project's data/ folder")
    if not path.is_file():
        raise DataError(f"{path} is not a file that can be read (a folder, or a link that loops or leads nowhere)")
    try:
        raw = tomllib.loads(path.read_text())
        authority = _part(raw, "authority", dict, {})
        targets = {k: Target(**v) for k, v in _part(raw, "targets", dict, {}).items()}
        return LocalAuthority(
            code=int(authority.get("code", 0)),
            name=str(authority.get("name", "Local authority")),
            region=str(authority.get("region", "")),
            population={year: int(n) for year, n in _numbers(raw, "population_0_17", years=True).items()},
            standards=_numbers(raw, "standards"),
            targets=targets,
            priorities=[parse_priority(p, targets, i)
                        for i, p in enumerate(_part(raw, "priorities", list, []), 1)],
            spc_rebase=tuple(_date(d, "[spc] rebase") for d in _part(_part(raw, "spc", dict, {}), "rebase", list, [])),
            neighbour_model=str(_part(raw, "benchmarks", dict, {}).get("neighbour_model", "2025")),
        )
    except DataError as exc:
        raise DataError(f"{path}: {exc}") from None
    except (OSError, tomllib.TOMLDecodeError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(f"{path} cannot be read: {exc}") from None
