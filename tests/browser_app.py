"""The running app and a real browser, shared by the browser test modules.

A test module uses these fixtures with ``pytest_plugins = ["browser_app"]`` (not by importing
them: a fixture imported into two modules is two fixtures, and would start two apps). The app
and the browser are session-scoped, so one app on the demo data serves every browser module.

Each module keeps its own skip logic (no Chromium: skipped, except CI=true, which fails), so
the fixtures here never run without a browser.
"""
import os
import shutil
from pathlib import Path

import pytest

from torbay_dash.bench_browser import running_app  # one way to serve the app, for tests and the benchmark

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGES = {"": "Overview", "safeguarding": "Safeguarding", "cared-for-children": "Cared-for children",
         "workforce": "Workforce", "quality-assurance": "Quality assurance", "team?team=Permanence": "Team",
         "data-quality": "Data quality", "definitions": "Definitions"}


def browser_available() -> bool:
    return Path(CHROMIUM).exists()


def require_browser() -> None:
    """At a browser module's top: skip it where Chromium is absent, except in CI (CI=true), where that fails."""
    if browser_available():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install it (apt-get install -y chromium)",
                    pytrace=False)
    pytest.skip("Chromium is not installed; browser tests skipped outside CI", allow_module_level=True)


@pytest.fixture(scope="session")
def server(demo_root, tmp_path_factory):
    """The app on the demo data, at its base URL."""
    with running_app(demo_root, tmp_path_factory.mktemp("streamlit") / "server.log") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _settled(page):
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
