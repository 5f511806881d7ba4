"""A real browser loads an extract on the Data quality page, through the real ingest, and the app serves it.

The app runs on its own small data root (one snapshot, 31 July 2021), so the shared demo root is never
changed. The upload makes it a root of real extracts, where demo mode is refused, so the analyst signs in
through the OpenID Connect provider on loopback (tests/oidc_provider.py), as in test_browser_sign_in.
An SSD extract for 31 August 2021 is uploaded as CSV files, one per table (ssd_person with a forename
column, which ingest must drop, and a column outside the contract, which it ignores).

Skipped where Chromium is absent, except in CI (CI=true), where a missing browser fails.
"""
import re
import shutil
from pathlib import Path

import pytest

pytest.register_assert_rewrite("browser_app")
from browser_app import ROOT, _settled, require_browser, running_app  # noqa: E402
from oidc_provider import provider, secrets_args, sign_in, write_secrets  # noqa: E402
from signing import access_file  # noqa: E402
from snapshots import publish, small_service  # noqa: E402
from torbay_dash.bench_browser import _free_port  # noqa: E402
from torbay_dash import access_log  # noqa: E402
from torbay_dash.frames import contract_frame  # noqa: E402
from torbay_dash.store import Store  # noqa: E402

# the session's one browser (a second sync_playwright while it runs would fail)
pytest_plugins = ["browser_app"]

pytestmark = pytest.mark.browser

OUTCOMES = re.compile(r"^(Published: the extract|The extract could not be loaded|Held for confirmation: the extract"
                      r"|Rejected: nothing in the extract)")

require_browser()


ANALYST = "analyst@council.example"


@pytest.fixture
def small_root(tmp_path) -> Path:
    root = tmp_path / "data"
    publish(root, "2021-07-31", small_service(), synthetic=True)
    shutil.copy(ROOT / "data" / "local_authority.toml", root / "local_authority.toml")
    access_file(root, [{"email": ANALYST, "role": "analyst"}])
    return root


@pytest.fixture
def issuer():
    with provider() as url:
        yield url


@pytest.fixture
def app_on(small_root, tmp_path, issuer):
    port = _free_port()  # the redirect_uri names the port, so it is chosen first
    secrets = write_secrets(tmp_path / "secrets", f"http://127.0.0.1:{port}", issuer)
    with running_app(small_root, tmp_path / "server.log", extra_args=secrets_args(secrets), port=port) as base:
        yield base


def extract_files(folder: Path) -> list[Path]:
    """The small service as an SSD export in CSV, one file per table, with a forename and a stray column."""
    folder.mkdir()
    files = []
    for name, rows in small_service().items():
        frame = contract_frame(name, rows)
        if name == "ssd_person":
            frame = frame.assign(pers_forename="Forename", favourite_colour="blue")
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        files.append(path)
    return files


def test_an_uploaded_extract_is_published_and_served(app_on, small_root, tmp_path, browser, issuer):
    files = extract_files(tmp_path / "extract")
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    try:
        sign_in(page, app_on, issuer, ANALYST)
        page.goto(f"{app_on}/data-quality")
        _settled(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(f) for f in files])
        _settled(page)
        # the date field's parts, year first so that day 31 is valid whatever month was shown
        for part, value in (("year", "2021"), ("month", "08"), ("day", "31")):
            page.get_by_role("spinbutton", name=f"{part}, As-at date of the extract").click()
            page.keyboard.type(value)
        page.keyboard.press("Tab")
        _settled(page)
        shown = {part: page.get_by_role("spinbutton", name=f"{part}, As-at date of the extract")
                 .get_attribute("aria-valuenow") for part in ("year", "month", "day")}
        assert shown == {"year": "2021", "month": "8", "day": "31"}, shown
        page.get_by_role("button", name="Load extract").click()
        page.get_by_text(OUTCOMES).first.wait_for(timeout=120000)
        _settled(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        text = page.locator('[data-testid="stMain"]').inner_text()
        outcome = next(line for line in text.splitlines() if OUTCOMES.search(line))
        assert outcome.startswith("Published: the extract") and "is now snapshot 2021-08-31" in outcome, outcome
        assert "Identifying columns dropped" in text and "pers_forename" in text
        assert "Forename" not in text.replace("pers_forename", "")
        # served at once: the header is dated by the new snapshot
        assert page.get_by_text("31 August 2021").first.is_visible()
    finally:
        page.close()
    logged = access_log.read(small_root)
    uploaded = logged[logged["action"] == "uploaded"]
    assert uploaded[["user", "role", "page"]].values.tolist() == [[ANALYST, "analyst", "data_quality"]]
    served = Store(small_root).latest_usable()
    assert served.id == "2021-08-31"
    assert served.report.tables["ssd_person"] == len(small_service()["ssd_person"])
    assert "pers_forename" not in open(served.table_path("ssd_person"), "rb").read().decode("latin-1")
