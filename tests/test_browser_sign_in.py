"""Real sign-in in a real browser: st.login() against an OpenID Connect provider on loopback (issue 15).

The provider is oidc-provider-mock, run in a thread of the test process (tests/oidc_provider.py); the app
is served by `running_app` on its own small data root with an access.toml (sign_in = "oidc") and a
secrets.toml whose [auth] section points at the provider, passed as `--secrets.files`. Each identity signs
in in its own browser context (its own cookies) the way a person does: the app's "Sign in" button, the
provider's page (the identity typed there), back to the app.

The data is the small service (teams MASH, Assessment team, Cared-for children 1; children P1..P8) with a
few rows more, so that the managers' lists have children of every team in them when nobody is scoped:
reviews due for the five children in care (P1-P3 in Cared-for children 1, P4-P5 in the Assessment team)
and child protection plans, with visits overdue, for P6 and P8 (MASH) and P7 (Assessment team).

Skipped where Chromium is absent, except in CI (CI=true), where a missing browser fails.
"""
import contextlib
import re
import shutil

import pytest

pytest.register_assert_rewrite("browser_app", "oidc_provider")
from browser_app import PAGES, ROOT, require_browser, running_app  # noqa: E402
from oidc_provider import provider, secrets_args, settled, sign_in, write_secrets  # noqa: E402
from snapshots import publish, small_service  # noqa: E402
from torbay_dash.bench_browser import _free_port  # noqa: E402

# the session's one browser (a second sync_playwright while it runs would fail)
pytest_plugins = ["browser_app"]

pytestmark = pytest.mark.browser

require_browser()

MANAGER = "manager@council.example"
MEMBER = "member@council.example"
STRANGER = "stranger@elsewhere.example"
CONTACT = "the performance team (performance@council.example)"
ACCESS = f'''[access]
sign_in = "oidc"
contact = "{CONTACT}"

[[users]]
email = "{MANAGER}"
role = "team_manager"
teams = ["T_ASSESS"]

[[users]]
email = "{MEMBER}"
role = "member"
'''
PERSON_IDS = [row["pers_person_id"] for row in small_service()["ssd_person"]]  # P1..P8
PERSON_ID = re.compile(r"\b(" + "|".join(PERSON_IDS) + r")\b")
OTHER_TEAMS = ("MASH", "Cared-for children 1")  # the names of the teams outside the manager's

# Every text node of the page, one a line (a dataframe's accessible table puts its cells next to each
# other with nothing between them: "P7Assessment team" would hide P7 from a word-boundary search).
ALL_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const tag = node.parentElement && node.parentElement.tagName;
    if (tag !== "SCRIPT" && tag !== "STYLE") out.push(node.textContent);
  }
  return out.join("\\n");
}"""

# Each dataframe on the page (its accessible table: the rows drawn), as rows of cell texts, header first.
TABLES = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] table')].map(table =>
  [...table.querySelectorAll("tr")].map(row =>
    [...row.querySelectorAll("th, td")].map(cell => cell.textContent.trim())))"""


def service() -> dict[str, list[dict]]:
    tables = small_service()
    tables["ssd_involvements"] += [
        {"invo_involvements_id": str(i), "invo_person_id": f"P{i}", "invo_professional_role_id": "ALLOCATED_SW",
         "invo_professional_team": team, "invo_professional_id": f"W{i % 3}",
         "invo_involvement_start_date": "2020-10-01"}
        for i, team in ((6, "T_MASH"), (7, "T_ASSESS"), (8, "T_MASH"))]
    tables["ssd_cp_plans"] = [{"cppl_cp_plan_id": f"CP{i}", "cppl_person_id": f"P{i}",
                               "cppl_cp_plan_start_date": "2021-01-04", "cppl_cp_plan_latest_category": "NEG"}
                              for i in (6, 7, 8)]
    tables["ssd_cp_visits"] = [{"cppv_cp_visit_id": "V6", "cppv_person_id": "P6", "cppv_cp_visit_date": "2021-02-01",
                                "cppv_cp_visit_seen": "Y"}]
    tables["ssd_cla_reviews"] = [{"clar_cla_review_id": f"RV{i}", "clar_cla_id": f"C{i}",
                                  "clar_cla_review_due_date": "2021-08-03"} for i in range(1, 6)]
    return tables


@pytest.fixture(scope="module")
def issuer():
    with provider() as url:
        yield url


@pytest.fixture(scope="module")
def app(issuer, tmp_path_factory):
    """The app on its own data root, signing in through the provider: its base URL."""
    work = tmp_path_factory.mktemp("sign_in")
    root = work / "data"
    publish(root, "2021-07-31", service(), synthetic=True)
    shutil.copy(ROOT / "data" / "local_authority.toml", root / "local_authority.toml")
    (root / "access.toml").write_text(ACCESS)
    port = _free_port()  # the redirect_uri names the port, so it is chosen first
    base = f"http://127.0.0.1:{port}"
    secrets = write_secrets(work / "secrets", base, issuer)
    with running_app(root, work / "server.log", extra_args=secrets_args(secrets), port=port) as served:
        assert served == base
        yield base


@contextlib.contextmanager
def fresh_page(browser):
    """A page in a new browser context: no cookie from any other identity."""
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    try:
        yield context.new_page()
    finally:
        context.close()


@contextlib.contextmanager
def signed_in(browser, app, issuer, email):
    with fresh_page(browser) as page:
        sign_in(page, app, issuer, email)
        yield page


def open_page(page, url: str) -> None:
    page.goto(url)
    settled(page)


def headings(page) -> list[str]:
    return [h.strip() for h in page.locator("h1").all_inner_texts()]


def every_tab_text(page) -> str:
    """The page's text with each tab in the main area opened in turn (a dataframe is drawn only when shown)."""
    texts = [page.evaluate(ALL_TEXT)]
    tabs = page.locator('[data-testid="stMain"]').get_by_role("tab")
    for i in range(tabs.count()):
        tabs.nth(i).click()
        page.wait_for_timeout(500)
        texts.append(page.evaluate(ALL_TEXT))
    return "\n".join(texts)


def children_lists(page) -> list[dict[str, str]]:
    """The rows of every table on the page with a "team" column (the lists of children), as dicts."""
    rows = []
    for table in page.evaluate(TABLES):
        if table and "team" in table[0]:
            rows += [dict(zip(table[0], row)) for row in table[1:] if row]
    return rows


def no_error_box(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()


def test_signed_out_sees_only_the_sign_in_page(browser, app):
    with fresh_page(browser) as page:
        open_page(page, app)
        assert "Sign in" in headings(page)
        assert page.get_by_role("button", name="Sign in").is_visible()
        assert page.locator('[data-testid="stSidebar"]').filter(has_text="Filters").count() == 0
        assert page.locator('[data-testid="stMetric"], [data-testid="stDataFrame"]').count() == 0
        assert not PERSON_ID.search(page.evaluate(ALL_TEXT))


def test_team_manager_lists_only_their_teams_children(browser, app, issuer):
    with signed_in(browser, app, issuer, MANAGER) as page:
        assert "Sign in" not in headings(page) and "No access yet" not in headings(page), headings(page)
        seen = {}
        for path, tab in (("cared-for-children", "Reviews due in 20 working days"), ("safeguarding", None)):
            open_page(page, f"{app}/{path}")
            no_error_box(page)
            if tab:
                page.locator('[data-testid="stMain"]').get_by_role("tab", name=tab).click()
                page.locator('[role="tabpanel"]:visible [data-testid="stDataFrame"] table').wait_for(
                    state="attached", timeout=30_000)
            rows = children_lists(page)
            seen[path] = rows
            assert rows, f"no list of children on /{path}"
            assert {row["team"] for row in rows} == {"Assessment team"}, rows
            cells = [cell for row in rows for cell in row.values()]
            assert not [cell for cell in cells if cell in OTHER_TEAMS], rows
        # the children of the Assessment team, and only them: reviews due for P4, P5; CP visit overdue for P7
        ids = {path: sorted(row["child (pseudonymous id)"] for row in rows) for path, rows in seen.items()}
        assert ids == {"cared-for-children": ["P4", "P5"], "safeguarding": ["P7"]}, ids
        # the text the member's test searches does hold the ids a list shows (here, the manager's)
        assert "P7" in PERSON_ID.findall(page.evaluate(ALL_TEXT))


def test_member_sees_no_child_id_on_any_page(browser, app, issuer):
    with signed_in(browser, app, issuer, MEMBER) as page:
        # every page, the analysts' access log too; a page not open to members says so and shows nothing
        for path, title in {**PAGES, "access-log": "Access log"}.items():
            open_page(page, f"{app}/{path}")
            no_error_box(page)
            shown = headings(page)
            assert title in shown or "Overview" in shown, (title, shown)
            if "Overview" in shown:  # signed in and shown the authority's figures, not a door
                assert page.locator('[data-testid="stMetric"]').count() > 0
            text = every_tab_text(page)
            assert not PERSON_ID.findall(text), (title, sorted(set(PERSON_ID.findall(text))))


def test_signed_in_but_not_listed_has_no_access(browser, app, issuer):
    with signed_in(browser, app, issuer, STRANGER) as page:
        for url in (app, f"{app}/safeguarding"):
            open_page(page, url)
            assert "No access yet" in headings(page), headings(page)
            text = page.locator('[data-testid="stMain"]').inner_text()
            assert f"You are signed in as {STRANGER}" in text, text
            assert CONTACT in text, text
            assert page.get_by_role("button", name="Sign out").is_visible()
            assert page.locator('[data-testid="stSidebar"]').filter(has_text="Filters").count() == 0
            assert page.locator('[data-testid="stMetric"], [data-testid="stDataFrame"]').count() == 0
            assert not PERSON_ID.search(page.evaluate(ALL_TEXT))


def test_a_team_outside_the_scope_in_the_url_is_refused(browser, app, issuer):
    with signed_in(browser, app, issuer, MANAGER) as page:
        for path in ("", "safeguarding"):
            open_page(page, f"{app}/{path}?team=T_MASH")
            text = page.evaluate(ALL_TEXT)
            assert "outside what you may see" in text, text[:2000]
            # nothing of MASH's: not its children on plans (P6, P8), not a row of it in any list
            assert not {"P6", "P8"} & set(PERSON_ID.findall(text)), sorted(set(PERSON_ID.findall(text)))
            assert not [row for row in children_lists(page) if row.get("team") in OTHER_TEAMS]
