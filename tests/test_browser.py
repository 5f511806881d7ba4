"""A real browser (Playwright driving Debian's Chromium) against the running app.

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


@pytest.mark.parametrize("path, title", PAGES.items())
def test_every_page_loads_by_its_link(server, browser, path, title):
    page = browser.new_page()
    try:
        page.goto(f"{server}/{path}")
        _settled(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_role("heading", name=title, exact=True).first.is_visible()
        # the frame is there too: a deep link keeps the sidebar filters
        assert page.locator('[data-testid="stSidebar"]').get_by_text("Filters").is_visible()
        assert page.get_by_text("Page not found").count() == 0
    finally:
        page.close()


def test_changing_the_team_filter_changes_the_url_and_survives_a_page_move(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{server}/")
        _settled(page)
        assert "team=" not in page.url
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="Team").click()
        page.locator('[role="option"]').filter(has_text="Cared-for children 1").click()
        _settled(page)
        page.wait_for_function("() => window.location.search.includes('team=')", timeout=10000)
        assert "team=Cared-for+children+1" in page.url or "team=Cared-for%20children%201" in page.url

        sidebar.get_by_role("link", name="Cared-for children").click()
        _settled(page)
        page.wait_for_function("() => window.location.pathname.endsWith('/cared-for-children')", timeout=10000)
        assert "team=" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0

        # a copied link reproduces the view
        copied = page.url
        fresh = browser.new_page()
        fresh.goto(copied)
        _settled(fresh)
        assert fresh.get_by_text("Cared-for children 1").first.is_visible()
        fresh.close()
    finally:
        page.close()


def test_safeguarding_team_pick_lists_that_teams_children(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    try:
        page.goto(f"{server}/safeguarding?indicator=assessments_45wd_pct")
        _settled(page)
        assert page.get_by_text("The children behind the number").is_visible()
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="Team").click()
        page.locator('[role="option"]').filter(has_text="Assessment team 1").click()
        _settled(page)
        page.wait_for_function("() => window.location.search.includes('team=')", timeout=10000)
        caption = page.get_by_text("record(s) for Assessment team 1")
        caption.wait_for(timeout=30000)
        assert caption.is_visible()
        assert page.locator('[data-testid="stDataFrame"]').count() >= 2
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("could not be shown").count() == 0
    finally:
        page.close()


def test_cared_for_team_manager_sees_their_overdue_visits(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    try:
        page.goto(f"{server}/cared-for-children")
        _settled(page)
        assert page.get_by_role("heading", name="Population over time").is_visible()
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="Team").click()
        page.locator('[role="option"]').filter(has_text="Cared-for children 2").click()
        _settled(page)
        page.wait_for_function("() => window.location.search.includes('team=')", timeout=10000)
        page.get_by_role("tab", name="Visits overdue or due in 7 days").click()
        summary = page.get_by_text("overdue,", exact=False).first
        summary.wait_for(timeout=30000)
        assert page.get_by_text("for Cared-for children 2").first.is_visible()
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("could not be shown").count() == 0
    finally:
        page.close()


def test_workforce_page_loads_with_its_charts(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    try:
        page.goto(f"{server}/workforce?team=Safeguarding+and+family+support+1")
        _settled(page)
        assert page.get_by_role("heading", name="Caseloads").is_visible()
        assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 3
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("could not be shown").count() == 0
    finally:
        page.close()


def test_quality_lead_draws_a_sample_and_the_link_keeps_it(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    try:
        page.goto(f"{server}/quality-assurance?sample_seed=777")
        _settled(page)
        assert page.get_by_role("heading", name="Volume: audits against the target").is_visible()
        assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 3
        box = page.get_by_label("Cases to sample")
        box.fill("12")
        box.press("Enter")
        _settled(page)
        drawn = page.locator('[data-testid="stMarkdownContainer"]', has_text="drawn with seed").first
        drawn.wait_for(timeout=30000)
        assert "12 case(s) drawn with seed 777" in drawn.inner_text()
        assert "sample_n=12" in page.url and "sample_seed=777" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("could not be shown").count() == 0
    finally:
        page.close()


def test_an_overview_tile_opens_its_area_page_on_that_indicator(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    try:
        page.goto(f"{server}/?team=Assessment+team+1")
        _settled(page)
        assert page.get_by_role("heading", name="At a glance", exact=True).is_visible()
        assert page.get_by_text("Improved for real").is_visible()
        page.locator('a[href*="indicator=assessments_45wd_pct"]').first.click()
        page.wait_for_url("**/safeguarding?**", timeout=30000)
        _settled(page)
        assert "indicator=assessments_45wd_pct" in page.url and "team=Assessment" in page.url
        # without the link the page opens on ICPC timeliness, its default
        assert page.get_by_text("Assessments completed within 45 working days").first.is_visible()
        # the team filter came along: the page is for the team the leader was looking at
        assert page.get_by_text("Assessment team 1").first.is_visible()
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()
