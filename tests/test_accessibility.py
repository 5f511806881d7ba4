"""Accessibility: axe-core in a real browser (Playwright driving Debian's Chromium) on every page.

Each page of the demo app is loaded, the viewport grown to the full height of its content
(Streamlit scrolls an inner container, and axe leaves out what is out of view), and axe-core
run with the WCAG 2.0, 2.1 and 2.2 level A and AA rules. Any serious or critical violation
fails, with the rule, what it asks, how many elements break it and where.

Skipped where Chromium is absent, except in CI (CI=true), where a missing browser fails.
"""
import pytest

# browser_app is a plugin (its fixtures: server, browser) and a module of helpers; marked for
# assertion rewriting before it is imported, as pytest does for a plugin
pytest.register_assert_rewrite("browser_app")
from browser_app import PAGES, require_browser, _settled  # noqa: E402

pytest_plugins = ["browser_app"]

pytestmark = pytest.mark.browser


require_browser()

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


# ---------------------------------------------------------------- beyond what axe sees: keyboard, names, titles

def _open(browser, server, path: str, height: int = 1000):
    page = browser.new_page(viewport={"width": WIDTH, "height": height})
    page.goto(f"{server}/{path}")
    _settled(page)
    return page


def test_every_page_has_its_own_browser_title(server, browser):
    titles = {}
    for path, title in PAGES.items():
        page = _open(browser, server, path)
        try:
            titles[path] = page.title()
            assert titles[path].startswith(f"{title} · "), titles[path]
        finally:
            page.close()
    assert len(set(titles.values())) == len(PAGES), titles


def test_overview_tiles_keep_their_whole_titles_and_sparklines_stay_out_of_the_tab_order(server, browser):
    page = _open(browser, server, "", height=1600)
    try:
        _show_everything(page)
        labels = page.locator('[data-testid="stMetricLabel"] p')
        assert labels.count() >= 20
        cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMetricLabel"] p')]
            .filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.innerText)""")
        assert not cut, f"tile titles cut off: {cut}"
        # "Children on child protection plans per 10,000" keeps its 10,000
        assert page.get_by_text("Children on child protection plans per 10,000", exact=True).first.is_visible()
        # the sparklines' toolbars (four buttons each, invisible) take no keyboard focus
        sparklines = page.locator('[class*="st-key-sparkline"]')
        assert sparklines.count() >= 20
        focusable = page.evaluate("""() => [...document.querySelectorAll(
            '[class*="st-key-sparkline"] [data-testid="stElementToolbar"] button')]
            .filter(b => b.offsetParent !== null).length""")
        assert focusable == 0
        # every chart is announced by its name, not as "Vega visualization"
        names = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
            .map(c => c.getAttribute('aria-label') || '')""")
        assert names and all(n.startswith("Chart: ") for n in names), names[:5]
    finally:
        page.close()


def test_focus_is_visible_on_sidebar_links(server, browser):
    page = _open(browser, server, "")
    try:
        link = page.locator('[data-testid="stSidebarNav"] a').nth(1)
        link.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
        outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)] }""")
        assert outline[0] == "A" and outline[1] != "none" and outline[2] >= 2, outline
    finally:
        page.close()


def test_a_tile_link_lands_on_its_indicator_with_focus(server, browser):
    page = _open(browser, server, "", height=900)
    try:
        page.locator('a[href*="indicator=cla_visits_in_timescale_pct"]').first.click()
        page.wait_for_url("**/cared-for-children?**", timeout=30000)
        _settled(page)
        heading = page.locator("#from-the-overview")
        heading.wait_for(timeout=30000)
        page.wait_for_function("() => document.activeElement && document.activeElement.id === 'from-the-overview'",
                               timeout=15000)
        box = heading.bounding_box()
        assert box is not None and 0 <= box["y"] < 300, box  # at the top of the window, not far below it
        # back on the overview, the same link lands again
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Overview").click()
        _settled(page)
        page.locator('a[href*="indicator=cla_visits_in_timescale_pct"]').first.click()
        page.wait_for_url("**/cared-for-children?**", timeout=30000)
        _settled(page)
        page.wait_for_function("() => document.activeElement && document.activeElement.id === 'from-the-overview'",
                               timeout=15000)
    finally:
        page.close()


def test_the_team_whose_children_to_list_can_be_chosen_by_keyboard_and_is_kept_in_the_url(server, browser):
    page = _open(browser, server, "safeguarding?indicator=assessments_45wd_pct", height=1600)
    try:
        choice = page.get_by_role("combobox", name="Team whose children to list")
        choice.focus()
        page.keyboard.type("Assessment team 2")
        page.keyboard.press("Enter")
        _settled(page)
        page.wait_for_function("() => window.location.search.includes('indicator_team=')", timeout=10000)
        caption = page.get_by_text("record(s) for Assessment team 2")
        caption.wait_for(timeout=30000)
        assert caption.is_visible()
        # a copied link lists the same team's children
        fresh = browser.new_page(viewport={"width": WIDTH, "height": 1600})
        fresh.goto(page.url)
        _settled(fresh)
        fresh.get_by_text("record(s) for Assessment team 2").wait_for(timeout=30000)
        fresh.close()
    finally:
        page.close()
