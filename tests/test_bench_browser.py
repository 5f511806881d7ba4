"""The browser benchmark: its summary statistics, and one end-to-end run that prints the table (no timings asserted)."""
import subprocess
import sys
from pathlib import Path

import pytest

# browser_app is also a plugin of the browser test modules: marked for assertion rewriting before it is imported
pytest.register_assert_rewrite("browser_app")
from browser_app import require_browser  # noqa: E402

from torbay_dash.bench_browser import PAGES, summarise  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_summarise_one_to_twenty_by_nearest_rank():
    assert summarise([float(s) for s in range(20, 0, -1)]) == {"n": 20, "p50": 10.0, "p95": 19.0, "max": 20.0}


def test_summarise_one_timing_is_every_statistic():
    assert summarise([2.5]) == {"n": 1, "p50": 2.5, "p95": 2.5, "max": 2.5}


def test_summarise_rounds_the_rank_up_to_a_measured_time():
    # 95% of 25 timings is 23.75 of them: the 24th; half of 2 is the 1st, half of 3 rounds up to the 2nd
    assert summarise([float(s) for s in range(1, 26)])["p95"] == 24.0
    assert summarise([1.0, 2.0])["p50"] == 1.0
    assert summarise([3.0, 1.0, 2.0])["p50"] == 2.0


def test_summarise_refuses_no_timings():
    with pytest.raises(ValueError):
        summarise([])


@pytest.mark.browser
@pytest.mark.timeout(900)
def test_run_browser_prints_the_table(service_root):
    """End to end on the small service (three teams, one snapshot): the fastest root every page draws on.

    In its own process, as the command runs it: this test run's browser tests already drive a Playwright."""
    require_browser()
    code = f"from torbay_dash.bench_browser import run_browser; run_browser({str(service_root)!r}, sessions=2, teams=1)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=850)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| What | n | p50 s | p95 s | max s |")
    names = [row.split(" | ")[0].removeprefix("| ") for row in rows[1:]]
    expected = ["Overview, fresh server (page load)", "Overview again (page load, warm caches)",
                *[f"{title}, {visit} visit (sidebar link)" for visit in ("1st", "2nd")
                  for title in [*PAGES][1:] + ["Overview"]]]
    assert names[:len(expected)] == expected
    rest = names[len(expected):]
    assert len(rest) == 4 and rest[0].startswith("Team switch on the Overview (Team selectbox): ")
    assert rest[1:] == ["Team switch on the Overview: the 1 above", "2 sessions at once: Overview (page load)",
                        "2 sessions at once: then each a team (Team selectbox)"]
    assert [row.split(" | ")[1] for row in rows[-2:]] == ["2", "2"]
    assert "Machine: " in out and "Chromium " in out
    assert "error box" not in out
