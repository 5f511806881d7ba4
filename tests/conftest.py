import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def tmp_root(tmp_path) -> Path:
    """An empty data root."""
    root = tmp_path / "data"
    root.mkdir()
    return root


@pytest.fixture(scope="session")
def service_root(tmp_path_factory) -> Iterator[Path]:
    """A data root with one small, valid, synthetic snapshot (see tests/snapshots.py)."""
    from snapshots import publish, small_service
    root = tmp_path_factory.mktemp("service") / "data"
    snapshot = publish(root, "2021-07-31", small_service(), synthetic=True)
    assert snapshot.usable, snapshot.report.problems
    shutil.copy(ROOT / "data" / "local_authority.toml", root / "local_authority.toml")
    yield root
    assert not (root / "access.toml").exists(), "a test wrote access.toml into the shared service root: use a copy"


@pytest.fixture
def use_data_root(monkeypatch):
    """Point the app and the CLI at a data root for one test."""
    def use(root: Path):
        monkeypatch.setenv("TORBAY_DASH_DATA", str(root))
        return root
    return use


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory) -> Iterator[Path]:
    """The full demo data (seed 42, scale 1, every monthly snapshot), generated once per test run."""
    from torbay_dash.synth import generate
    root = tmp_path_factory.mktemp("demo") / "data"
    generate(root, seed=42, scale=1, snapshots="monthly")
    shutil.copy(ROOT / "data" / "local_authority.toml", root / "local_authority.toml")
    demo_access = (root / "access.toml").read_text()
    yield root
    assert (root / "access.toml").read_text() == demo_access, \
        "a test rewrote the shared demo root's access.toml: use a copy, or demo mode's 'view as'"
