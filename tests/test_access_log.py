"""The access log: what is written, that it is only ever appended to, what is refused, and the analysts' page."""
import datetime as dt
import json
import threading

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from torbay_dash import access_log

UTC = dt.UTC


def at(year, month, day, hour=9, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def log_one(root, when, **changes):
    event = dict(user="a.manager@torbay.gov.uk", role="team_manager", page="Safeguarding", action="viewed",
                 what="children behind Visits in timescale", filters={"snapshot": "2026-11-30", "team": "T1"},
                 rows=12, when=when)
    access_log.record(root, **{**event, **changes})


def test_an_event_reads_back_with_every_field(tmp_path):
    when = dt.datetime(2026, 11, 3, 10, 15, 30, 250000, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    access_log.record(tmp_path, user="j.smith", role="analyst", page="Overview", action="exported",
                      what="highlight report PDF", filters={"snapshot": "2026-10-31", "period": "2026-10",
                                                             "all_teams": True, "limit": 500, "nothing": None},
                      rows=None, when=when)
    frame = access_log.read(tmp_path)
    assert list(frame.columns) == ["time", "user", "role", "page", "action", "what", "filters", "rows"]
    assert len(frame) == 1 and frame.attrs["damaged_lines"] == 0
    row = frame.iloc[0]
    assert row["time"] == pd.Timestamp("2026-11-03 09:15:30.250", tz="UTC")  # stored in UTC
    assert (row["user"], row["role"], row["page"], row["action"], row["what"]) == \
        ("j.smith", "analyst", "Overview", "exported", "highlight report PDF")
    assert row["filters"] == "snapshot=2026-10-31; period=2026-10; all_teams=yes; limit=500; nothing=none"
    assert pd.isna(row["rows"])
    line = json.loads((tmp_path / "access_log" / "2026-11.jsonl").read_text())
    assert line["time"] == "2026-11-03T09:15:30.250+00:00"
    assert line["filters"]["all_teams"] is True and line["rows"] is None


def test_each_month_has_its_own_file_and_read_is_newest_first_within_dates(tmp_path):
    log_one(tmp_path, at(2026, 10, 31, 23, 59), rows=1)
    log_one(tmp_path, at(2026, 11, 1, 0, 1), rows=2)
    log_one(tmp_path, at(2026, 11, 20), rows=3)
    files = sorted(p.name for p in (tmp_path / "access_log").iterdir())
    assert files == ["2026-10.jsonl", "2026-11.jsonl"]
    assert len((tmp_path / "access_log" / "2026-10.jsonl").read_text().splitlines()) == 1
    assert list(access_log.read(tmp_path)["rows"]) == [3, 2, 1]
    assert list(access_log.read(tmp_path, since=dt.date(2026, 11, 1))["rows"]) == [3, 2]
    assert list(access_log.read(tmp_path, until=dt.date(2026, 11, 1))["rows"]) == [2, 1]
    assert list(access_log.read(tmp_path, dt.date(2026, 10, 31), dt.date(2026, 10, 31))["rows"]) == [1]


def test_a_record_only_appends_to_an_existing_file(tmp_path):
    log_one(tmp_path, at(2026, 11, 2), rows=1)
    log_one(tmp_path, at(2026, 11, 3), rows=2)
    path = tmp_path / "access_log" / "2026-11.jsonl"
    before = path.read_bytes()
    log_one(tmp_path, at(2026, 11, 1), rows=3)  # an earlier time still goes at the end
    after = path.read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    assert after[len(before):].count(b"\n") == 1


@pytest.mark.parametrize("filters", [
    {"children": pd.DataFrame({"person_id": ["P1", "P2"]})},
    {"children": ["P1", "P2"]},
    {"children": ("P1",)},
    {"children": {"person_id": "P1"}},
    {"team": "x" * 201},
    {"ratio": float("nan")},
    pd.DataFrame({"person_id": ["P1"]}),
])
def test_anything_that_could_carry_rows_is_refused_and_nothing_is_written(tmp_path, filters):
    with pytest.raises(ValueError):
        log_one(tmp_path, at(2026, 11, 2), filters=filters)
    assert not (tmp_path / "access_log" / "2026-11.jsonl").exists()
    log_one(tmp_path, at(2026, 11, 2), filters={"team": "x" * 200})  # 200 characters is still fine
    assert len(access_log.read(tmp_path)) == 1


@pytest.mark.parametrize("changes", [
    {"action": "looked"}, {"rows": -1}, {"rows": True}, {"rows": 2.5}, {"what": "y" * 201}, {"user": None},
    {"when": dt.datetime(2026, 11, 2, 9, 0)},  # no time zone: which 9 o'clock?
    {"filters": {f"filter_{i}": "v" * 190 for i in range(25)}},  # each short, together too long for one line
])
def test_a_malformed_event_is_refused_and_nothing_is_written(tmp_path, changes):
    with pytest.raises(ValueError):
        log_one(tmp_path, **{"when": at(2026, 11, 2), **changes})
    assert not (tmp_path / "access_log").exists() or not any((tmp_path / "access_log").iterdir())


def test_a_damaged_line_is_skipped_and_counted(tmp_path):
    log_one(tmp_path, at(2026, 11, 2), rows=1)
    path = tmp_path / "access_log" / "2026-11.jsonl"
    with open(path, "ab") as handle:
        handle.write(b'{"time": "2026-11-02T10:00:00+00:00", "user": "cut sh\n')  # a line cut short
        handle.write(b'["not", "an", "event"]\n')
        handle.write(b'{"time": "2026-11-02T10:00:00", "user": "u", "role": "r", "page": "p", "action": "viewed", '
                     b'"what": "w", "filters": {}, "rows": 1}\n')  # a time with no zone
        handle.write(b"\n")  # a blank line is not an event, nor damage
    log_one(tmp_path, at(2026, 11, 3), rows=2)
    with open(path, "ab") as handle:
        handle.write(b'{"time": "2026-11-04T')  # the last line, with no end
    frame = access_log.read(tmp_path)
    assert list(frame["rows"]) == [2, 1]
    assert frame.attrs["damaged_lines"] == 4


def test_no_log_reads_as_an_empty_frame_with_the_columns(tmp_path):
    frame = access_log.read(tmp_path)
    assert frame.empty and list(frame.columns) == ["time", "user", "role", "page", "action", "what", "filters",
                                                   "rows"]
    assert frame.attrs["damaged_lines"] == 0


def month_files(root, *months):
    folder = root / "access_log"
    folder.mkdir(parents=True, exist_ok=True)
    for month in months:
        (folder / f"{month}.jsonl").write_text("")
    (folder / "notes.txt").write_text("not a month file")


def kept(root):
    return sorted(p.name for p in (root / "access_log").iterdir())


def test_prune_keeps_this_month_and_the_retention_before_it(tmp_path):
    month_files(tmp_path, "2026-08", "2026-09", "2026-10", "2026-11", "2026-12")
    removed = access_log.prune(tmp_path, 2, dt.date(2026, 12, 3))
    assert [p.name for p in removed] == ["2026-08.jsonl", "2026-09.jsonl"]
    assert kept(tmp_path) == ["2026-10.jsonl", "2026-11.jsonl", "2026-12.jsonl", "notes.txt"]


def test_prune_removes_a_month_on_the_first_day_its_last_entry_is_past_the_retention(tmp_path):
    month_files(tmp_path, "2026-09", "2026-10")
    assert access_log.prune(tmp_path, 2, dt.date(2026, 11, 30)) == []  # 30 September is exactly 2 months ago
    assert [p.name for p in access_log.prune(tmp_path, 2, dt.date(2026, 12, 1))] == ["2026-09.jsonl"]
    assert kept(tmp_path) == ["2026-10.jsonl", "notes.txt"]


def test_prune_across_a_year_end_and_with_a_retention_of_one_month(tmp_path):
    month_files(tmp_path, "2026-10", "2026-11", "2026-12", "2027-01")
    access_log.prune(tmp_path, 2, dt.date(2027, 1, 15))
    assert kept(tmp_path) == ["2026-11.jsonl", "2026-12.jsonl", "2027-01.jsonl", "notes.txt"]
    access_log.prune(tmp_path, 1, dt.date(2027, 1, 1))
    assert kept(tmp_path) == ["2026-12.jsonl", "2027-01.jsonl", "notes.txt"]


@pytest.mark.parametrize("retention", [0, -1, 1.5, True])
def test_prune_refuses_a_retention_below_one_month(tmp_path, retention):
    month_files(tmp_path, "2020-01")
    with pytest.raises(ValueError):
        access_log.prune(tmp_path, retention, dt.date(2026, 12, 3))
    assert "2020-01.jsonl" in kept(tmp_path)


def test_prune_then_read_keeps_the_entries_it_promises(tmp_path):
    log_one(tmp_path, at(2026, 9, 30, 23, 59), rows=1)
    log_one(tmp_path, at(2026, 10, 1, 0, 0), rows=2)
    access_log.prune(tmp_path, 2, dt.date(2026, 12, 1))
    assert list(access_log.read(tmp_path)["rows"]) == [2]


def test_concurrent_writers_never_mix_their_lines(tmp_path):
    start = threading.Barrier(4)

    def writer(number):
        start.wait()
        for i in range(200):
            log_one(tmp_path, at(2026, 11, 2), user=f"writer {number}", rows=i,
                    what=f"children behind an indicator, writer {number} " + "z" * (i % 150))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = (tmp_path / "access_log" / "2026-11.jsonl").read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 801
    events = [json.loads(line) for line in lines[:-1]]
    for number in range(4):
        assert sorted(e["rows"] for e in events if e["user"] == f"writer {number}") == list(range(200))
    frame = access_log.read(tmp_path)
    assert len(frame) == 800 and frame.attrs["damaged_lines"] == 0


# The page body, drawn on its own with AppTest

def draw_log_page(root, retention_months):
    from torbay_dash.ui.access_log import access_log_page

    access_log_page(root, retention_months)


def recent(days_ago, hour=9):
    return dt.datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0) - dt.timedelta(days=days_ago)


def page(root, retention=6):
    app = AppTest.from_function(draw_log_page, args=(str(root), retention), default_timeout=30).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def page_text(app):
    return "\n".join(m.value for m in app.markdown)


def shown(app):
    return app.dataframe[0].value


def test_the_page_lists_the_log_and_its_filters_narrow_it(tmp_path):
    log_one(tmp_path, recent(2), user="a.manager", action="viewed", rows=12)
    log_one(tmp_path, recent(1), user="a.manager", action="downloaded", rows=12)
    log_one(tmp_path, recent(0), user="b.analyst", role="analyst", page="Overview", action="exported",
            what="highlight report PDF", filters={"snapshot": "2026-11-30"}, rows=None)
    app = page(tmp_path)
    text = page_text(app)
    assert "Entries older than 6 months are removed" in text
    assert "3 entries, 2 users." in text
    table = shown(app)
    assert list(table["user"]) == ["b.analyst", "a.manager", "a.manager"]
    assert list(table["action"]) == ["exported", "downloaded", "viewed"]
    assert table["filters"].iloc[1] == "snapshot=2026-11-30; team=T1"
    assert "time (UTC)" in table.columns and "a.manager" not in "".join(table["filters"])
    assert app.dataframe[0].proto.alt == "Table: access log, 3 row(s)"
    [download] = app.get("download_button")
    assert download.proto.id.endswith("csv_log_table") and download.proto.url.endswith(".csv")

    app.multiselect(key="log_action").select("downloaded").run()
    assert not app.exception
    assert "1 entry, 1 user (of 3 entries in the log)." in page_text(app)
    assert list(shown(app)["action"]) == ["downloaded"]

    app.multiselect(key="log_action").unselect("downloaded").run()
    app.multiselect(key="log_role").select("analyst").run()
    assert list(shown(app)["user"]) == ["b.analyst"]

    app.multiselect(key="log_role").unselect("analyst").run()
    app.date_input(key="log_to").set_value(recent(1).date()).run()
    assert list(shown(app)["action"]) == ["downloaded", "viewed"]


def test_the_page_says_so_when_nothing_is_logged_and_removes_old_months(tmp_path):
    old = tmp_path / "access_log" / "2001-01.jsonl"
    old.parent.mkdir()
    old.write_text(json.dumps({"time": "2001-01-05T09:00:00+00:00", "user": "u", "role": "r", "page": "p",
                               "action": "viewed", "what": "w", "filters": {}, "rows": 1}) + "\n")
    app = page(tmp_path, retention=1)
    assert not old.exists()  # pruned on load
    assert "Entries older than 1 month are removed" in page_text(app)
    assert "Nothing has been logged yet" in app.info[0].value
    assert not app.dataframe and not app.get("download_button")


def test_the_page_warns_of_damaged_lines_and_still_shows_the_rest(tmp_path):
    log_one(tmp_path, recent(0), rows=4)
    with open(next((tmp_path / "access_log").iterdir()), "ab") as handle:
        handle.write(b"garbage\n")
    app = page(tmp_path)
    assert "1 line of the log could not be read" in app.warning[0].value
    assert list(shown(app)["rows shown"]) == [4]


def test_the_page_shows_a_message_not_a_traceback_when_the_log_cannot_be_read(tmp_path, monkeypatch):
    def unreadable(root, since=None, until=None):
        raise PermissionError("Permission denied: access_log/2026-11.jsonl")

    monkeypatch.setattr(access_log, "read", unreadable)
    app = page(tmp_path)
    assert "The access log could not be shown" in app.error[0].value
