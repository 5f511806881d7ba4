"""The seeded demo generator, "Synthetic Torbay": journeys simulated first, snapshots cut after.

No real child is ever involved: every row is generated here from a seed.
"""
from __future__ import annotations

import fcntl
from pathlib import Path

from ..store import Store, data_root, is_project_root
from .generate import Progress, generate


def needs_first_run(root: Path | None = None) -> bool:
    """True when the project's own data root holds no usable snapshot (an explicit root is left alone)."""
    root = data_root(root)
    return is_project_root(root) and Store(root).latest_usable() is None


def ensure_demo_data(root: Path | None = None, progress: Progress | None = None) -> bool:
    """Build the demo data into an empty project data root; True if it was built by this call.

    A lock file stops two first visitors building it twice.
    """
    root = data_root(root)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if Store(root).latest_usable() is not None:
            return False
        published = generate(root, progress=progress)
        from ..figures import prepare  # the screens then open on stored figures
        from ..settings import load_settings
        try:
            prepare(published[-2:], load_settings(root), say=progress)
        except Exception as exc:  # the screens build it, or compute live: the demo data is there
            (progress or print)(f"the indicator store was not built ({type(exc).__name__}: {exc})")
        return True


__all__ = ["generate", "ensure_demo_data", "needs_first_run"]
