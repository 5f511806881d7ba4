"""AppTest: a damaged data root or settings file gives a message and the last good data, never an exception.

Most tests damage a copy of `service_root` (one good snapshot, 2021-07-31) and check every page: no
exception, the figures still as at 31 July 2021, what was not used said in the header, and the good
snapshot's files left exactly as they were.
"""
import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from signing import as_analyst
from snapshots import publish, small_service
from test_app import APP, PAGES
from torbay_dash.frames import contract_frame
from torbay_dash.settings import load_settings
from torbay_dash.store import DataError, Store

GOOD = "2021-07-31"
SERVED = "data as at **31 July 2021**"


@pytest.fixture
def root(service_root, tmp_path, use_data_root) -> Path:
    """A copy of the good data root, in use by the app, to damage."""
    copy = tmp_path / "data"
    shutil.copytree(service_root, copy, symlinks=True)
    return use_data_root(copy)


def app() -> AppTest:
    """The app signed in as an analyst: a damaged manifest, or an extract published as real, is not known to be
    synthetic, and demo mode refuses to show it (tests/test_sign_in.py)."""
    return as_analyst(AppTest.from_file(APP, default_timeout=120), Path(os.environ["TORBAY_DASH_DATA"])).run()


# What the app computes from a snapshot and caches beside it, whichever page opens it first: not the snapshot.
DERIVED_CACHES = {"derived", "rules.json"}


def hashes(folder: Path) -> dict[str, str]:
    """The snapshot's own files (without this, the test passed or failed by which test had opened it first)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.name not in DERIVED_CACHES}


def every_page(check) -> None:
    """Run `check(at, page)` on each page of one session."""
    at = app()
    for page in PAGES:
        at.switch_page(page).run()
        check(at, page)


def serves_the_good_snapshot(at: AppTest, page: str) -> None:
    assert not at.exception, (page, [e.value for e in at.exception])
    assert any(SERVED in c.value for c in at.caption), page
    assert at.title, f"{page} drew no title"


# Damage to the snapshots folder, each newer than the good snapshot or not a snapshot at all.
def newer_folder_with_a_looping_table(root: Path) -> None:
    folder = root / "snapshots" / "2021-08-31"
    folder.mkdir()
    os.symlink("ssd_person.parquet", folder / "ssd_person.parquet")
    (folder / "manifest.json").write_text("[1, 2, 3]")
    (folder / "validation.json").write_text("\x00 not json {{{")


def looping_entry(root: Path) -> None:
    os.symlink("loop", root / "snapshots" / "loop")


def looping_dated_entry(root: Path) -> None:
    os.symlink("2021-08-31", root / "snapshots" / "2021-08-31")


def dangling_entry(root: Path) -> None:
    os.symlink(root.parent / "nowhere", root / "snapshots" / "2021-08-31")


def entry_leading_outside_the_root(root: Path) -> None:
    outside = root.parent / "elsewhere" / "2021-08-31"
    shutil.copytree(root / "snapshots" / GOOD, outside)
    os.symlink(outside, root / "snapshots" / "2021-08-31")


def folder_named_as_no_real_date(root: Path) -> None:
    shutil.copytree(root / "snapshots" / GOOD, root / "snapshots" / "2021-13-45")


def folder_dated_in_the_future(root: Path) -> None:
    shutil.copytree(root / "snapshots" / GOOD, root / "snapshots" / "2999-12-31")


NEWER = "A newer extract (31 August 2021) was not used"
NOT_A_SNAPSHOT = "An entry of the snapshots folder that is not a snapshot ({}) was not used"


@pytest.mark.parametrize("damage, said", [pytest.param(damage, said, id=damage.__name__) for damage, said in [
    (newer_folder_with_a_looping_table, NEWER),
    (looping_entry, NOT_A_SNAPSHOT.format("snapshots/loop")),
    (looping_dated_entry, NEWER),
    (dangling_entry, NEWER),
    (entry_leading_outside_the_root, NEWER),
    (folder_named_as_no_real_date, NOT_A_SNAPSHOT.format("snapshots/2021-13-45")),
    (folder_dated_in_the_future, "A newer extract (31 December 2999) was not used"),
]])
def test_a_damaged_snapshots_folder_keeps_the_good_snapshot_and_says_what_was_not_used(root, damage, said):
    damage(root)
    before = hashes(root / "snapshots" / GOOD)

    def check(at, page):
        serves_the_good_snapshot(at, page)
        warnings = [w.value for w in at.warning if "not used" in w.value]
        assert warnings == [f"{said}; figures are from 31 July 2021."], (page, warnings)
        why = next(e for e in at.expander if e.label.startswith("Why"))
        listed = " ".join(m.value for m in why.markdown)
        assert all(f"**{r.what}**" in listed and r.reasons[0] in listed for r in Store(root).refusals())

    every_page(check)
    assert hashes(root / "snapshots" / GOOD) == before


def test_a_broken_manifest_and_validation_in_the_good_snapshot_still_serve_it(root):
    """The manifest only describes the extract, and validation.json is the store's cache: it validates again."""
    folder = root / "snapshots" / GOOD
    (folder / "manifest.json").write_text("[1, 2, 3]")
    (folder / "validation.json").write_text("\x00 not json {{{")
    before = {name: digest for name, digest in hashes(folder).items() if name != "validation.json"}
    every_page(serves_the_good_snapshot)
    assert {name: digest for name, digest in hashes(folder).items() if name != "validation.json"} == before


def test_a_validation_file_of_the_wrong_shape_is_not_trusted(root):
    folder = root / "snapshots" / GOOD
    cached = json.loads((folder / "validation.json").read_text())
    (folder / "validation.json").write_text(json.dumps({**cached, "tables": list(cached["tables"])}))
    every_page(serves_the_good_snapshot)


@pytest.mark.parametrize("settings_text", ["[authority\nname = ", 'population_0_17 = "x"\n'],
                         ids=["syntax error", "wrong type"])
def test_invalid_settings_say_which_file_and_why_and_use_the_projects_own(root, settings_text):
    (root / "local_authority.toml").write_text(settings_text)
    with pytest.raises(DataError) as invalid:
        load_settings(root)

    def check(at, page):
        serves_the_good_snapshot(at, page)
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and str(invalid.value) in errors[0], (page, errors)
        assert "the project's own settings" in errors[0] and "population" in errors[0]

    every_page(check)


def test_invalid_settings_fall_back_to_the_last_that_loaded_for_the_root(root):
    settings_file = root / "local_authority.toml"
    good = settings_file.read_text().replace('name = "Torbay"', 'name = "Testshire"')
    assert "Testshire" in good
    settings_file.write_text(good)
    assert not app().error
    settings_file.write_text("[authority\n")
    at = app()
    assert "the last settings that loaded for this data root" in at.error[0].value
    assert any("Testshire children's services" in c.value and SERVED in c.value for c in at.caption)
    settings_file.write_text(good)
    assert not app().error  # corrected: read again at once


def test_figures_follow_an_edited_population_at_once(root):
    """Rates per 10,000 are cached with the settings they used, so a new population is never answered from old."""
    def rate() -> float:
        at = app().switch_page("views/cared_for.py").run()
        return float({m.label: m.value for m in at.metric}["Children looked after per 10,000 (at period end)"])

    settings_file = root / "local_authority.toml"
    before = rate()
    settings_file.write_text(settings_file.read_text().replace("2021 = 25450", "2021 = 2545"))
    assert rate() == pytest.approx(10 * before, rel=0.05)


def test_with_no_settings_to_fall_back_on_the_pages_say_why_and_show_no_figures(root, tmp_path, monkeypatch):
    """The project's own settings file invalid, and nothing loaded before: no figures rather than wrong ones."""
    import torbay_dash.settings
    import torbay_dash.ui.data

    broken = tmp_path / "project" / "local_authority.toml"
    broken.parent.mkdir()
    broken.write_text("[authority\n")
    monkeypatch.setattr(torbay_dash.settings, "PROJECT_SETTINGS", broken)
    monkeypatch.setattr(torbay_dash.ui.data, "PROJECT_SETTINGS", broken)
    (root / "local_authority.toml").unlink()

    def check(at, page):
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title and not at.metric, page
        assert page != "views/definitions.py" or "referrals" in " ".join(m.value for m in at.markdown)
        assert [e.value for e in at.error] == [f"The settings are invalid: {broken} cannot be read: Expected ']' at "
                                               "the end of a table declaration (at line 1, column 11). No other "
                                               "settings have loaded to use instead, so no figures are shown until "
                                               "the file is corrected."], page

    every_page(check)


def quarantined_cla_episodes(root: Path) -> None:
    """A newer snapshot whose ssd_cla_episodes lacks a required column: served, with that table held back."""
    frames = {name: contract_frame(name, rows) for name, rows in small_service().items()}
    frames["ssd_cla_episodes"] = frames["ssd_cla_episodes"].drop(columns="clae_cla_episode_start_date")
    snapshot = Store(root).publish(dt.date(2021, 8, 31), frames, {"source": "test fixture"})
    assert snapshot.usable and "ssd_cla_episodes" in snapshot.quarantined


def test_tables_held_back_are_named_apart_from_tables_missing(root):
    quarantined_cla_episodes(root)
    at = app()
    assert not at.exception
    assert any("data as at **31 August 2021**" in c.value for c in at.caption)
    held = [w.value for w in at.warning if w.value.startswith("Held back from the figures")]
    assert len(held) == 1 and "ssd_cla_episodes (clae_cla_episode_start_date: required column is missing)" in held[0]
    why = next(e for e in at.expander if e.label == "Why they are held back")
    because = why.markdown[0].value
    assert "ssd_cla_episodes.parquet: table ssd_cla_episodes, column clae_cla_episode_start_date" in because
    missing = next(w.value for w in at.warning if w.value.startswith("Missing from this snapshot"))
    assert "ssd_contacts" in missing and "ssd_cla_episodes" not in missing


def test_held_and_rejected_extracts_are_said_with_their_reasons(root):
    lost_a_table = {name: rows for name, rows in small_service().items() if name != "ssd_cla_episodes"}
    held = publish(root, GOOD, lost_a_table)
    no_ids = contract_frame("ssd_person", small_service()["ssd_person"]).drop(columns="pers_person_id")
    rejected = Store(root).publish(dt.date(2021, 8, 31), {"ssd_person": no_ids}, {"source": "test fixture"})
    assert held.held_because and not rejected.usable
    at = app()
    assert not at.exception
    warning = next(w.value for w in at.warning if "not used" in w.value)
    assert warning == ("A newer extract (31 August 2021) and a replacement extract for 31 July 2021 were not used; "
                       "figures are from 31 July 2021.")
    listed = next(e for e in at.expander if e.label == "Why they were not used").markdown[0].value
    assert "held for confirmation" in listed and "table ssd_cla_episodes is served now but absent" in listed
    assert "rejected" in listed and "pers_person_id" in listed


def test_the_empty_state_explains_every_entry_not_used(tmp_root, service_root, use_data_root):
    use_data_root(tmp_root)
    snapshots = tmp_root / "snapshots"
    shutil.copytree(service_root / "snapshots" / GOOD, snapshots / "2021-13-45")
    os.symlink(tmp_root / "nowhere", snapshots / "2021-08-31")
    at = app()
    assert not at.exception
    assert any(t.value == "No data loaded yet" for t in at.title)
    listed = at.expander[0].markdown[0].value
    assert "**snapshots/2021-13-45**" in listed and "not a real date" in listed
    assert "**snapshots/2021-08-31**" in listed and "leads nowhere" in listed


def test_a_frame_that_fails_is_said_in_a_sentence_and_the_page_still_runs(root, monkeypatch):
    import torbay_dash.ui.frame

    def broken(*args):
        raise RuntimeError("the team table vanished")

    monkeypatch.setattr(torbay_dash.ui.frame, "team_table", broken)
    at = app().switch_page("views/safeguarding.py").run()
    assert not at.exception
    assert "(RuntimeError: the team table vanished)" in at.error[0].value
    assert at.title[0].value == "Safeguarding"
    assert any("filters could not be drawn" in i.value for i in at.info)


def test_a_pages_own_error_is_not_hidden(root, monkeypatch):
    import torbay_dash.ui.overview

    def broken(*args):
        raise RuntimeError("a page's own error")

    monkeypatch.setattr(torbay_dash.ui.overview, "overview_tiles", broken)
    assert app().exception
