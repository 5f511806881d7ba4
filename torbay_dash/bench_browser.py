"""Browser benchmark: the real app in Chromium, timed as a person waits for it.

bench.py times the engine; a leader waits for a page. This module drives the app only from outside (Streamlit
as a subprocess, Chromium through Playwright), so it times whatever engine is in place, and prints a Markdown
table to paste into the README. Timings are printed, never asserted: they depend on the machine and its load.

A page is done when a person could read it: a script run begun after the action has finished (stApp's
data-test-script-state is notRunning), nothing is stale, spinning or a skeleton, every visible chart is drawn,
the page's heading is there (on the Overview, its tiles too), and all of that has held for 300 ms. The time
reported is the wall time from the action to the first moment that held: nothing is subtracted.
"""
from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .bench_screens import machine

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu"]
VIEWPORT = {"width": 1400, "height": 1000}
# The app's navigation (app.py): each page's title and URL path, in the sidebar's order.
PAGES = {"Overview": "", "Safeguarding": "safeguarding", "Cared-for children": "cared-for-children",
         "Workforce": "workforce", "Quality assurance": "quality-assurance", "Data quality": "data-quality",
         "Definitions": "definitions"}
TIMEOUT_MS = 900_000  # a cold page under many sessions on a small machine takes minutes, not seconds
STEADY_MS = 300

# Each change of the app's script state, with its time since the document began: a run begun after an
# action is told apart from the one before it, and the server's run time is read from the browser's side.
RUN_LOG = """
window.__benchRuns = [];
new MutationObserver(() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app && app.getAttribute("data-test-script-state");
  const runs = window.__benchRuns;
  if (state && (!runs.length || runs[runs.length - 1][0] !== state)) runs.push([state, performance.now()]);
}).observe(document, {subtree: true, childList: true, attributes: true,
                      attributeFilter: ["data-test-script-state"]});
"""

# Falsy until the page is done (see the module's docstring); then what must hold still for STEADY_MS.
DONE = """({since, title, path, team, tiles}) => {
  const runs = window.__benchRuns || [];
  const first = runs.findIndex(([state, at]) => state === "running" && at >= since);
  const app = document.querySelector('[data-testid="stApp"]');
  if (first < 0 || !app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  const busy = '[data-stale="true"], [data-testid="stSpinner"], [data-testid="stStatusWidget"], ' +
               '[data-testid="stSkeleton"]';
  if (document.querySelector(busy) || location.pathname !== "/" + path) return false;
  if (team !== null && new URLSearchParams(location.search).get("team") !== team) return false;
  if (![...document.querySelectorAll("h1")].some(h => h.textContent.trim() === title)) return false;
  const metrics = document.querySelectorAll('[data-testid="stMetric"]').length;
  if (tiles && metrics === 0) return false;
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .filter(chart => chart.getClientRects().length > 0);
  if (charts.some(chart => !chart.querySelector("canvas, svg"))) return false;
  return {transitions: runs.length, metrics, charts: charts.length, started: runs[first][1],
          ended: runs[runs.length - 1][1], errors: document.querySelectorAll('[data-testid="stException"]').length};
}"""


@dataclass(frozen=True)
class Visit:
    """One timed action, in seconds: the wall time the user waited, and its parts as the browser saw them.

    `to_run` is from the action until the server's run begins (for an address: loading the page and
    connecting), `script` the run(s) themselves, `drawing` what is left: the browser drawing what was sent.
    """
    wall: float
    to_run: float | None = None
    script: float | None = None
    errors: int = 0

    @property
    def drawing(self) -> float | None:
        return None if self.script is None else self.wall - self.to_run - self.script


def summarise(seconds: list[float]) -> dict:
    """n, p50, p95 and max of some timings.

    Percentiles are by nearest rank: the smallest timing with at least p% of the timings at or below it, so
    each is a time that was measured (for 1..20 s, p50 is 10 s and p95 19 s; for one timing, all are it).
    """
    if not seconds:
        raise ValueError("no timings to summarise")
    ordered = sorted(seconds)

    def nearest_rank(percent: int) -> float:
        return ordered[max(-(-percent * len(ordered) // 100), 1) - 1]

    return {"n": len(ordered), "p50": nearest_rank(50), "p95": nearest_rank(95), "max": ordered[-1]}


def build_demo(root: Path, scale: float) -> float:
    """The demo data and the settings it needs, in `root`, as `python -m torbay_dash demo` builds them: seconds."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "torbay_dash", "demo", "--out", str(root), "--scale", str(scale)],
                   cwd=ROOT, check=True, capture_output=True)
    shutil.copy(ROOT / "data" / "local_authority.toml", root / "local_authority.toml")
    return time.perf_counter() - start


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(data_root: Path, log_path: Path, extra_args: tuple[str, ...] = (), port: int | None = None):
    """The app on a data root, served on loopback, at its base URL until the block ends.

    `extra_args` go to `streamlit run` after the defaults (e.g. `--secrets.files=...`); `port` is for a caller
    that must know it beforehand (sign-in's redirect_uri names it), otherwise a free one is chosen.
    """
    port = _free_port() if port is None else port
    env = {**os.environ, "TORBAY_DASH_DATA": str(data_root)}
    # the log goes to a file: a pipe nobody reads fills up and stalls the server
    with open(log_path, "wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                                   "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
                                   "--browser.gatherUsageStats=false", *extra_args],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    raise RuntimeError("streamlit did not start: "
                                       + log_path.read_text(errors="replace")[-2000:]) from None
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


async def _timed(page, action, title: str = "Overview", team: str | None = None, new_document: bool = False) -> Visit:
    """Run an action (a navigation or a click) and wait until the page is done and has held still."""
    # the wall clock starts first: the page's clock then starts no earlier, and drawing (the rest) is never negative
    start = time.perf_counter()
    expect = {"since": 0 if new_document else await page.evaluate("performance.now()"), "title": title,
              "path": PAGES[title], "team": team, "tiles": title == "Overview"}
    await action()
    while True:
        done = await (await page.wait_for_function(DONE, arg=expect, polling=50, timeout=TIMEOUT_MS)).json_value()
        seen = time.perf_counter()
        await page.wait_for_timeout(STEADY_MS)
        if await page.evaluate(DONE, expect) == done:
            return Visit(seen - start, (done["started"] - expect["since"]) / 1000,
                         (done["ended"] - done["started"]) / 1000, done["errors"])


async def load_overview(page, base: str) -> Visit:
    """Open the Overview by its address, as a new visitor does."""
    return await _timed(page, lambda: page.goto(base, timeout=TIMEOUT_MS), new_document=True)


async def follow_link(page, title: str) -> Visit:
    """Open a page by its link in the sidebar's navigation."""
    link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title)
    return await _timed(page, link.click, title=title)


def _team_box(page):
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Team")


async def team_labels(page, count: int) -> list[str]:
    """The first `count` teams the sidebar's Team selectbox offers (after "All teams")."""
    await _team_box(page).click()
    labels = await page.get_by_role("option").all_inner_texts()
    await page.keyboard.press("Escape")
    return [label for label in labels if label != "All teams"][:count]


async def choose_team(page, team: str) -> Visit:
    """Open the sidebar's Team selectbox, then time picking a team until the Overview is done for it."""
    await _team_box(page).click()
    option = page.get_by_role("option", name=team, exact=True)
    return await _timed(page, option.click, team=team)


async def _new_page(browser):
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(RUN_LOG)
    return await context.new_page()


async def sessions_at_once(browser, base: str, sessions: int, teams: list[str]) -> tuple[list[Visit], list[Visit]]:
    """Many visitors, each in their own browser context: all open the Overview at once, then all pick a team."""
    pages = [await _new_page(browser) for _ in range(sessions)]
    try:
        loads = await asyncio.gather(*(load_overview(page, base) for page in pages))
        switches = await asyncio.gather(*(choose_team(page, teams[i % len(teams)]) for i, page in enumerate(pages)))
    finally:
        await asyncio.gather(*(page.context.close() for page in pages))
    return list(loads), list(switches)


def _progress(what: str, visits: list[Visit]) -> None:
    print(f"{what}: " + ", ".join(f"{v.wall:.1f} s" for v in visits), file=sys.stderr, flush=True)


async def drive(base: str, sessions: int, teams: int) -> tuple[dict[str, list[Visit]], str]:
    """Every timing, by the table's row, in the order taken; and Chromium's version."""
    from playwright.async_api import async_playwright

    rows: dict[str, list[Visit]] = {}

    def record(what: str, visits: list[Visit]) -> None:
        rows[what] = visits
        _progress(what, visits)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await _new_page(browser)
            record("Overview, fresh server (page load)", [await load_overview(page, base)])
            record("Overview again (page load, warm caches)", [await load_overview(page, base)])
            # pages are visited before any team is picked: the team stays in the URL from page to page
            for visit in ("1st", "2nd"):
                for title in [*PAGES][1:] + ["Overview"]:
                    record(f"{title}, {visit} visit (sidebar link)", [await follow_link(page, title)])
            labels = await team_labels(page, teams)
            switches = []
            for label in labels:
                switches.append(await choose_team(page, label))
                record(f"Team switch on the Overview (Team selectbox): {label}", switches[-1:])
            record(f"Team switch on the Overview: the {len(labels)} above", switches)
            await page.context.close()
            loads, picks = await sessions_at_once(browser, base, sessions, labels)
            record(f"{sessions} sessions at once: Overview (page load)", loads)
            record(f"{sessions} sessions at once: then each a team (Team selectbox)", picks)
            return rows, browser.version
        finally:
            await browser.close()


def describe_data(root: Path) -> str:
    """The snapshots a root holds, and the newest one's scale and rows, from its manifest where it says."""
    folders = sorted(p for p in (root / "snapshots").glob("*") if (p / "manifest.json").is_file())
    if not folders:
        return f"data: {root}"
    words = f"data: {len(folders)} snapshot(s), newest {folders[-1].name}"
    with contextlib.suppress(OSError, ValueError, AttributeError):
        manifest = json.loads((folders[-1] / "manifest.json").read_text())
        counts = manifest.get("row_counts", {})
        words += f" with {sum(counts.values()):,} rows in {len(counts)} tables"
        scale = manifest.get("generator", {}).get("scale")
        if scale is not None:
            words += f", demo scale {scale:g}"
    return words


def table(rows: dict[str, list[Visit]]) -> str:
    """The timings as a Markdown table, one row per action."""
    lines = ["| What | n | p50 s | p95 s | max s | to run p50 s | script run p50 s | drawing p50 s |",
             "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for what, visits in rows.items():
        wall = summarise([v.wall for v in visits])
        parts = [[getattr(v, part) for v in visits if v.script is not None] for part in ("to_run", "script", "drawing")]
        shown = [f"{summarise(part)['p50']:.2f}" if part else "–" for part in parts]
        lines.append(f"| {what} | {wall['n']} | {wall['p50']:.2f} | {wall['p95']:.2f} | {wall['max']:.2f} | "
                     + " | ".join(shown) + " |")
    return "\n".join(lines)


def run_browser(data_root: str | None = None, sessions: int = 25, scale: float = 1.0, teams: int = 5) -> None:
    """Time the app in Chromium and print a Markdown table; without a data root, on demo data built for it.

    `scale` is the demo's (ignored with a data root); `teams` how many teams to switch to one after another;
    `sessions` how many visitors open the Overview at once, then each pick one of those teams.
    """
    if sessions < 1 or teams < 1:
        raise ValueError("sessions and teams must be at least 1")
    with tempfile.TemporaryDirectory(prefix="torbay_bench_browser_") as work:
        work = Path(work)
        rows: dict[str, list[Visit]] = {}
        if data_root is None:
            root = work / "data"
            built = [Visit(build_demo(root, scale))]
            rows[f"Build the demo data (`python -m torbay_dash demo --scale {scale:g}`)"] = built
            _progress("demo data built", built)
        else:
            root = Path(data_root)
        log = work / "server.log"
        with running_app(root, log) as base:
            try:
                timed, chromium = asyncio.run(drive(base, sessions, teams))
            except Exception as exc:  # the server's log goes with the temporary folder: say how it ends
                raise RuntimeError(f"the browser benchmark failed ({type(exc).__name__}); the server's log "
                                   f"ends:\n{log.read_text(errors='replace')[-2000:]}") from exc
        rows.update(timed)
        data = describe_data(root)
    print(table(rows))
    print()
    print(f"Machine: {machine()}, {platform.system()} {platform.release()}, "
          f"Streamlit {importlib.metadata.version('streamlit')}, Chromium {chromium}; {data}.")
    print("Each time is the wall time from the action (opening the address, clicking a sidebar link, picking a "
          "team) until the page is done: a script run begun after the action has finished, nothing stale or "
          "spinning, the heading, the tiles (Overview) and every visible chart drawn, all still 300 ms later. "
          "Its parts, as the browser saw them: to run (loading the page and connecting, or the click reaching the "
          "server), script run (the server's run or runs) and drawing (the rest). Teams are picked in the "
          "sidebar's Team selectbox, as a person does; the sessions at once take the teams above in turn, each in "
          "a new browser context (its own cache, as a new visitor). Percentiles by nearest rank. Chromium and the "
          "server share this machine's cores: with many sessions, loading and drawing pages compete with the "
          "server, as they would not for visitors on their own computers.")
    errors = [what for what, visits in rows.items() if any(v.errors for v in visits)]
    if errors:
        print("An error box (stException) was on the page after: " + "; ".join(errors) + ".")
