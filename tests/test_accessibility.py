"""Accessibility: axe-core in a real browser (Playwright driving Debian's Chromium) on every page.

Each page of the demo app is loaded, the viewport grown to the full height of its content
(Streamlit scrolls an inner container, and axe leaves out what is out of view), and axe-core
run with the WCAG 2.0, 2.1 and 2.2 level A and AA rules. Any serious or critical violation
fails, with the rule, what it asks, how many elements break it and where.

Skipped where Chromium is absent, except in CI (CI=true), where a missing browser fails.
"""
import os

import pytest

# browser_app is a plugin (its fixtures: server, browser) and a module of helpers; marked for
# assertion rewriting before it is imported, as pytest does for a plugin
pytest.register_assert_rewrite("browser_app")
from browser_app import CHROMIUM, PAGES, _settled  # noqa: E402
from browser_app import browser_available as _browser_available  # noqa: E402

pytest_plugins = ["browser_app"]

pytestmark = pytest.mark.browser


if not _browser_available():
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install it (apt-get install -y chromium)",
                    pytrace=False)
    pytest.skip("Chromium is not installed; browser tests skipped outside CI", allow_module_level=True)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]  # axe-core has no wcag22a tag
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
FAILING_IMPACTS = {"serious", "critical"}
WIDTH = 1400
MAX_HEIGHT = 30000  # far beyond any page; only a guard against a runaway layout

# The height of everything that scrolls: Streamlit scrolls the main area (stMain; section.main and
# stAppViewContainer in other versions) and the sidebar inside a fixed-height window.
CONTENT_HEIGHT = """() => {
  const selectors = ['[data-testid="stMain"]', 'section.main', '[data-testid="stAppViewContainer"]',
                     '[data-testid="stSidebarContent"]'];
  let height = document.scrollingElement ? document.scrollingElement.scrollHeight : 0;
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) height = Math.max(height, el.scrollHeight);
  }
  return Math.ceil(height);
}"""


def _show_everything(page):
    """Grow the viewport to the content's full height, until the height stops changing.

    Charts and tables render when they come into view and may change the height, so measure again
    after each resize."""
    for _ in range(5):
        height = min(page.evaluate(CONTENT_HEIGHT), MAX_HEIGHT)
        if height <= page.viewport_size["height"]:
            break
        page.set_viewport_size({"width": WIDTH, "height": height})
        page.wait_for_timeout(750)
        _settled(page)
    page.wait_for_timeout(500)


def _describe(violation, examples: int = 3) -> str:
    nodes = violation["nodes"]
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']} "
             f"[{len(nodes)} element(s)] {violation.get('helpUrl', '')}".rstrip()]
    for node in nodes[:examples]:
        target = " ".join(str(t) for t in node["target"])
        html = " ".join(node.get("html", "").split())
        lines.append(f"    at {target}\n       {html[:200]}{'…' if len(html) > 200 else ''}")
    if len(nodes) > examples:
        lines.append(f"    … and {len(nodes) - examples} more")
    return "\n".join(lines)


def axe_violations(page) -> list[dict]:
    """axe-core's violations of the WCAG A and AA rules on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe
    return Axe().run(page, options=AXE_OPTIONS).response["violations"]


def load_and_audit(server, browser, path: str) -> list[dict]:
    """Load a page, let it settle, show all of it and run axe on it: every violation, any impact."""
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    try:
        page.goto(f"{server}/{path}")
        _settled(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        _show_everything(page)
        return axe_violations(page)
    finally:
        page.close()


@pytest.mark.parametrize("path, title", PAGES.items())
def test_no_serious_or_critical_wcag_violations(server, browser, path, title):
    violations = load_and_audit(server, browser, path)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, (f"{title} (/{path}): {len(failing)} serious or critical WCAG 2.x A/AA "
                         "violation(s) found by axe-core:\n" + "\n".join(_describe(v) for v in failing))
