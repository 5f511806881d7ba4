"""A team bar (or a link under the table view) leads to the team's page, whose Practice Week pack downloads and
passes axe: Playwright driving Chromium against the running app.

Skipped where Chromium is absent, except in CI (CI=true), where a missing browser fails.
"""
import io

import pytest

# browser_app is a plugin (its fixtures: server, browser) and a module of helpers; marked for
# assertion rewriting before it is imported, as pytest does for a plugin
pytest.register_assert_rewrite("browser_app")
from browser_app import require_browser, _settled  # noqa: E402

pytest_plugins = ["browser_app"]

pytestmark = pytest.mark.browser


require_browser()

from test_accessibility import FAILING_IMPACTS, WIDTH, _describe, _show_everything, axe_violations  # noqa: E402

TEAM = "Permanence"  # a one-word team with children overdue in the demo data (seed 42): its bar has a length
CHART = '[data-testid="stVegaLiteChart"][aria-label^="Chart: children overdue by team"]'
TOOLTIP = "#vg-tooltip-element"
PACK_FILES = ("Download the pack (HTML)", "Download the pack (PDF)")


def _hovered_team(page, x: float, y: float) -> str:
    """What Vega's tooltip names under the mouse ('' where no bar is)."""
    page.mouse.move(x, y)
    return page.evaluate("""(sel) => { const t = document.querySelector(sel);
        return t && t.classList.contains('visible') ? t.innerText : '' }""", TOOLTIP)


def _bar_centre(page, chart, team: str) -> tuple[float, float]:
    """Where to click the team's bar, in the window's coordinates.

    Streamlit draws a chart with Vega's SVG renderer (canvas only beyond 2,000 data points a mark), and each
    bar is an SVG path announced as "<team>: n children overdue, …". Drawn on a canvas there is no such path:
    then find the plot's left edge along the first (longest) bar by the tooltip, and walk down just inside
    it until the tooltip names the team.
    """
    chart.scroll_into_view_if_needed()
    bar = chart.locator(f'[aria-roledescription="bar"][aria-label^="{team}:"]')
    if bar.count():
        box = bar.first.bounding_box()
        assert box and box["width"] > 2, f"{team}'s bar has no length to click: {box}"
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    box = chart.bounding_box()
    y = box["y"] + 12  # inside the first band, under any padding
    left = next((x for x in range(int(box["x"]), int(box["x"] + box["width"] / 2), 8)
                 if _hovered_team(page, x, y)), None)
    assert left is not None, "no bar found on the canvas along the first band"
    for y in range(int(box["y"]), int(box["y"] + box["height"]), 5):
        if team in _hovered_team(page, left + 4, y):
            return left + 4, y
    raise AssertionError(f"no bar for {team} on the canvas")


def _on_the_team_page(page, team: str) -> None:
    """The Team page, for the team: its path, heading, the sidebar's choice and the page's own line."""
    page.wait_for_url("**/team?**", timeout=30000)
    _settled(page)
    assert page.evaluate("location.pathname") == "/team"
    assert page.get_by_role("heading", name="Team", exact=True).first.is_visible()
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_role("combobox", name="Team", exact=True).input_value() == team
    assert page.locator('[data-testid="stMain"]').get_by_text(f"{team}, ").first.is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("could not be shown").count() == 0


def _download(page, name: str) -> bytes:
    """One of the pack's files, prepared first if its button is not (or no longer) there."""
    button = page.get_by_role("button", name=name)
    if not button.count():
        page.get_by_role("button", name="Prepare the pack").click()
        _settled(page)
        button.wait_for(timeout=120000)
    with page.expect_download(timeout=60000) as download:
        button.click()
    assert download.value.failure() is None
    data = open(download.value.path(), "rb").read()
    _settled(page)
    return data


def test_a_team_bar_leads_to_the_team_page(server, browser):
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    try:
        page.goto(f"{server}/")
        _settled(page)
        page.get_by_role("heading", name="Teams at a glance: where the overdue work is").scroll_into_view_if_needed()
        chart = page.locator(CHART)
        chart.locator('[aria-roledescription="bar"], canvas').first.wait_for(timeout=30000)
        x, y = _bar_centre(page, chart, TEAM)
        page.mouse.click(x, y)
        _settled(page)
        assert page.get_by_text("could not be shown").count() == 0
        _on_the_team_page(page, TEAM)
    finally:
        page.close()


def test_a_team_link_under_the_table_view_leads_to_the_team_page(server, browser):
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    try:
        page.goto(f"{server}/")
        _settled(page)
        page.get_by_text("Show teams at a glance as a table").click()
        _settled(page)
        page.locator('[data-testid="stMain"]').get_by_role("link", name=TEAM, exact=True).click()
        _on_the_team_page(page, TEAM)
    finally:
        page.close()


def test_the_team_pages_practice_week_pack_downloads_and_passes_axe(server, browser):
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000}, accept_downloads=True)
    try:
        page.goto(f"{server}/team?team={TEAM}")  # a fresh load: the URL sets the sidebar's Team
        _on_the_team_page(page, TEAM)

        # the Practice Week pack: both files, for this team
        page.get_by_role("heading", name="Practice Week pack").scroll_into_view_if_needed()
        page.get_by_role("button", name="Prepare the pack").click()
        _settled(page)
        page.get_by_role("button", name=PACK_FILES[0]).wait_for(timeout=120000)
        html = _download(page, PACK_FILES[0]).decode("utf-8")
        assert TEAM in html
        assert "Traceback (most recent call last)" not in html
        pdf = _download(page, PACK_FILES[1])
        assert pdf.startswith(b"%PDF")
        from pypdf import PdfReader
        text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
        assert TEAM in text

        # axe on the page with the pack prepared (its buttons there), all of it in view
        if not page.get_by_role("button", name=PACK_FILES[1]).count():
            page.get_by_role("button", name="Prepare the pack").click()
            _settled(page)
        page.get_by_role("button", name=PACK_FILES[1]).wait_for(timeout=120000)
        _show_everything(page)
        assert page.get_by_role("button", name=PACK_FILES[1]).count() == 1
        failing = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
        assert not failing, (f"Team page with the pack prepared: {len(failing)} serious or critical WCAG 2.x "
                             "A/AA violation(s) found by axe-core:\n" + "\n".join(_describe(v) for v in failing))
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


def test_both_pack_files_can_be_downloaded_after_one_prepare(server, browser):
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000}, accept_downloads=True)
    try:
        page.goto(f"{server}/team?team={TEAM}")
        _settled(page)
        page.get_by_role("button", name="Prepare the pack").click()
        _settled(page)
        page.get_by_role("button", name=PACK_FILES[0]).wait_for(timeout=120000)
        with page.expect_download(timeout=60000):
            page.get_by_role("button", name=PACK_FILES[0]).click()
        _settled(page)
        assert page.get_by_role("button", name=PACK_FILES[1]).count() == 1, \
            "the PDF's button went with the rerun that downloading the HTML caused"
    finally:
        page.close()
