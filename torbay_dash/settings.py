"""The authority's own settings (data/local_authority.toml): population, standards, targets."""
from __future__ import annotations

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
class LocalAuthority:
    code: int
    name: str
    region: str
    population: dict[int, int]
    standards: dict[str, float]
    targets: dict[str, Target]
    priorities: list[dict] = field(default_factory=list)

    def population_for_year(self, year: int) -> int | None:
        """Children aged 0-17 in `year`, or in the nearest year on file."""
        if not self.population:
            return None
        nearest = min(self.population, key=lambda y: (abs(y - year), -y))
        return self.population[nearest]

    def standard(self, name: str) -> float:
        return self.standards[name]


def load_settings(data_root: Path | None = None) -> LocalAuthority:
    """Settings from the data root's local_authority.toml, else the repository's."""
    candidates = [Path(data_root) / SETTINGS_FILE] if data_root else []
    candidates.append(PROJECT_SETTINGS)
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise DataError(f"no {SETTINGS_FILE} in {data_root} or the project's data/ folder")
    try:
        raw = tomllib.loads(path.read_text())
        authority = raw.get("authority", {})
        return LocalAuthority(
            code=int(authority.get("code", 0)),
            name=authority.get("name", "Local authority"),
            region=authority.get("region", ""),
            population={int(y): int(n) for y, n in raw.get("population_0_17", {}).items()},
            standards=dict(raw.get("standards", {})),
            targets={k: Target(**v) for k, v in raw.get("targets", {}).items()},
            priorities=list(raw.get("priorities", [])),
        )
    except (OSError, tomllib.TOMLDecodeError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(f"{path} cannot be read: {exc}") from None
